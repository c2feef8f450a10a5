import type { ProducerSpec } from '../worker/engineTypes';
import { SCENARIO_VERSION, type Scenario } from './schema';

const producer = (
  spec: Partial<ProducerSpec> & Pick<ProducerSpec, 'name' | 'distribution'>,
): ProducerSpec => ({
  api: 'PutRecords',
  batchSize: 500,
  payloadBytes: { min: 200, max: 200 },
  rate: 2000,
  ...spec,
});

const stream = (shardCount: number, retentionHours = 24) => ({
  streamName: 'shardlab-demo',
  shardCount,
  retentionHours,
  throttle: 'token-bucket' as const,
});

/** An ON_DEMAND stream (it starts with the engine's 4 shards; shardCount says so for readers). */
const onDemandStream = (recordDistribution?: 'AUTO') => ({
  ...stream(4),
  mode: 'ON_DEMAND' as const,
  ...(recordDistribution ? { recordDistribution } : {}),
});

/**
 * Which of the keys customer-0 … customer-399 hash into the lower half of the hash space (shardId-000000000000
 * of a 2-shard stream): bit i (most significant first in each hex digit) is set when MD5("customer-i") <
 * 2^127. Computed once with node:crypto; 205 keys are set, 108 of them in the lowest quarter.
 */
const CUSTOMERS_IN_LOWER_HALF =
  '0966fce6391e268bce07a68d6583cf8aab996d223bdaa7691a5a7df53947b9a6bdde89a725e7961539ead205af64619c9400';

/** customer-0 … customer-399: keys in the lower half weigh `lowerWeight`, the others 1. */
const customers = (lowerWeight: number) =>
  Array.from({ length: CUSTOMERS_IN_LOWER_HALF.length * 4 }, (_, i) => {
    const digit = Number.parseInt(CUSTOMERS_IN_LOWER_HALF[i >> 2] ?? '0', 16);
    return { key: `customer-${i}`, weight: (digit >> (3 - (i & 3))) & 1 ? lowerWeight : 1 };
  });

/** Named, seeded, reproducible scenarios, each with the one lesson it teaches. */
export const PRESETS: readonly (Scenario & { id: string; name: string; lesson: string })[] = [
  {
    id: 'uniform',
    name: 'Uniform keys',
    lesson:
      'Many distinct keys spread evenly: every shard gets its share of the keyspace and nobody throttles.',
    version: SCENARIO_VERSION,
    seed: 1,
    speed: 1,
    stream: stream(4),
    producers: [
      {
        running: true,
        spec: producer({ name: 'orders', rate: 3200, distribution: { kind: 'uniform', keyCount: 10_000 } }),
      },
    ],
  },
  {
    id: 'celebrity',
    name: 'Celebrity hot key',
    lesson:
      'One key takes half the traffic: its shard throttles while the others idle, and more shards would not help.',
    version: SCENARIO_VERSION,
    seed: 2,
    speed: 1,
    stream: stream(4),
    producers: [
      {
        running: true,
        spec: producer({
          name: 'timeline',
          rate: 2400,
          distribution: { kind: 'hotKey', hotKey: 'celebrity', hotPercent: 50, keyCount: 5000 },
        }),
      },
    ],
  },
  {
    id: 'few-keys',
    name: 'Fewer keys than shards',
    lesson:
      'Three keys on eight shards: at most three shards can ever receive data, whatever the shard count.',
    version: SCENARIO_VERSION,
    seed: 3,
    speed: 1,
    stream: stream(8),
    producers: [
      {
        running: true,
        spec: producer({
          name: 'tenants',
          rate: 2400,
          distribution: {
            kind: 'weighted',
            keys: ['tenant-a', 'tenant-b', 'tenant-c'].map((key) => ({ key, weight: 1 })),
          },
        }),
      },
    ],
  },
  {
    id: 'timestamp-key',
    name: 'Timestamp as key',
    lesson:
      'Using the current second as the key sends every record of that second to one shard: a hot shard that moves each second.',
    version: SCENARIO_VERSION,
    seed: 4,
    speed: 1,
    stream: stream(4),
    producers: [
      { running: true, spec: producer({ name: 'events', rate: 2500, distribution: { kind: 'timestamp' } }) },
    ],
  },
  {
    id: 'random-suffix',
    name: 'Fixing a hot key with random suffixes',
    lesson:
      'The celebrity key split into celebrity-0 … celebrity-19 spreads over every shard: the same traffic, no throttling.',
    version: SCENARIO_VERSION,
    seed: 5,
    speed: 1,
    stream: stream(4),
    producers: [
      {
        running: true,
        spec: producer({
          name: 'timeline-suffixed',
          rate: 2400,
          distribution: {
            kind: 'weighted',
            keys: [
              ...Array.from({ length: 20 }, (_, i) => ({ key: `celebrity-${i}`, weight: 2.5 })),
              ...Array.from({ length: 50 }, (_, i) => ({ key: `user-${i}`, weight: 1 })),
            ],
          },
        }),
      },
    ],
  },
  {
    id: 'retention-fast-forward',
    name: 'Retention expiry in fast-forward',
    lesson:
      'At 3600× an hour passes every second: after 24 virtual hours the first records expire, exactly at arrival + RetentionPeriodHours.',
    version: SCENARIO_VERSION,
    seed: 6,
    speed: 3600,
    stream: stream(2),
    producers: [
      {
        running: true,
        spec: producer({
          name: 'sensor',
          api: 'PutRecord',
          batchSize: 1,
          rate: 20,
          payloadBytes: { min: 50, max: 120 },
          distribution: { kind: 'uniform', keyCount: 100 },
        }),
      },
    ],
  },
  {
    id: 'explicit-hash-key',
    name: 'ExplicitHashKey spreads one key',
    lesson:
      'Every record has the PartitionKey "device-1", but an ExplicitHashKey overrides its MD5: the load spreads over all shards.',
    version: SCENARIO_VERSION,
    seed: 7,
    speed: 1,
    stream: stream(4),
    producers: [
      {
        running: true,
        spec: producer({
          name: 'kpl-style',
          rate: 3000,
          distribution: { kind: 'explicitHashKeys', partitionKey: 'device-1' },
        }),
      },
    ],
  },
  {
    id: 'split-hot-shard',
    name: 'Split the hot shard',
    lesson:
      'Many keys, but four fifths of them by weight hash into shardId-000000000000: it is asked ~1,600 records/s and throttles (a hot shard, not a hot key). Press Split here in the Diagnosis: after the UPDATING period its two children take ~800 records/s each and nobody throttles, while the producer keeps running.',
    version: SCENARIO_VERSION,
    seed: 8,
    speed: 1,
    stream: stream(2),
    producers: [
      {
        running: true,
        spec: producer({
          name: 'checkout',
          rate: 2000,
          distribution: { kind: 'weighted', keys: customers(4) },
        }),
      },
    ],
  },
  {
    id: 'split-hot-key',
    name: 'Splitting does not fix a hot key',
    lesson:
      'The key "celebrity" alone asks 1,200 records/s of shardId-000000000001. Split that shard (Split on its row): every record of one key goes to one hash key, so one child gets all of "celebrity" and still throttles. Only changing the key helps (see random suffixes).',
    version: SCENARIO_VERSION,
    seed: 9,
    speed: 1,
    stream: stream(2),
    producers: [
      {
        running: true,
        spec: producer({
          name: 'timeline',
          rate: 2000,
          distribution: { kind: 'hotKey', hotKey: 'celebrity', hotPercent: 60, keyCount: 5000 },
        }),
      },
    ],
  },
  {
    id: 'update-shard-count-4-to-3',
    name: 'UpdateShardCount 4 → 3',
    lesson:
      'A 4-shard stream with even traffic. Set TargetShardCount to 3 and press UpdateShardCount: after the UPDATING period (about 2 virtual minutes) every old shard is closed and three new ones, shardId-000000000006, -009 and -010, hold equal thirds of the hash space. Watch them appear in the Shard lineage chart.',
    version: SCENARIO_VERSION,
    seed: 10,
    speed: 1,
    stream: stream(4),
    producers: [
      {
        running: true,
        spec: producer({ name: 'orders', rate: 2000, distribution: { kind: 'uniform', keyCount: 10_000 } }),
      },
    ],
  },
  {
    id: 'on-demand-spike',
    name: 'On-demand absorbs a ramp but not a spike above 2× its peak',
    lesson:
      'An ON_DEMAND stream with "steady" at 1,500 records/s of 1 KB: its peak, and its 4 shards hold twice that. Start "ramp" (+1,500 records/s, within twice the peak): no throttling while scaling splits shards over 500 KB/s within 15 minutes (AWS 2022 documentation; play at 600×). Then start "spike" (+9,000 records/s, far above twice the new peak): it throttles until scaling catches up, two rounds of splits later. Watch On-demand capacity.',
    version: SCENARIO_VERSION,
    seed: 11,
    speed: 60,
    stream: onDemandStream(),
    producers: [
      {
        running: true,
        spec: producer({
          name: 'steady',
          rate: 1500,
          payloadBytes: { min: 1000, max: 1000 },
          distribution: { kind: 'uniform', keyCount: 10_000 },
        }),
      },
      {
        running: false,
        spec: producer({
          name: 'ramp',
          rate: 1500,
          payloadBytes: { min: 1000, max: 1000 },
          distribution: { kind: 'uniform', keyCount: 10_000 },
        }),
      },
      {
        running: false,
        spec: producer({
          name: 'spike',
          rate: 9000,
          payloadBytes: { min: 1000, max: 1000 },
          distribution: { kind: 'uniform', keyCount: 10_000 },
        }),
      },
    ],
  },
  {
    id: 'on-demand-hot-key',
    name: 'On-demand does not fix a hot key',
    lesson:
      'An ON_DEMAND stream where the key "celebrity" alone asks ~1,500 records/s. Its shard carries more than 500 KB/s, so on-demand scaling splits it within 15 minutes (AWS 2022 documentation; play at 600× or jump 20 minutes) — evenly by hash range, never by key: one child gets all of "celebrity" and still throttles, and the diagnosis still says Hot key. More shards never help one key.',
    version: SCENARIO_VERSION,
    seed: 12,
    speed: 60,
    stream: onDemandStream(),
    producers: [
      {
        running: true,
        spec: producer({
          name: 'timeline',
          rate: 2000,
          payloadBytes: { min: 400, max: 400 },
          distribution: { kind: 'hotKey', hotKey: 'celebrity', hotPercent: 75, keyCount: 5000 },
        }),
      },
    ],
  },
  {
    id: 'auto-distribution',
    name: 'AUTO distribution: no skew, no per-key order',
    lesson:
      'A celebrity-style producer (70 % of 1,500 records/s on the key "celebrity", more than one shard takes) on an ON_DEMAND stream with record distribution AUTO: keys are ignored for placement, records spread evenly over the shards, and nobody throttles — but records of one key no longer keep their order on one shard. Switch the record distribution to USER_PARTITION_KEY in the Stream panel and the key\'s shard throttles.',
    version: SCENARIO_VERSION,
    seed: 13,
    speed: 1,
    stream: onDemandStream('AUTO'),
    producers: [
      {
        running: true,
        spec: producer({
          name: 'timeline',
          rate: 1500,
          distribution: { kind: 'hotKey', hotKey: 'celebrity', hotPercent: 70, keyCount: 5000 },
        }),
      },
    ],
  },
  {
    id: 'cloudwatch-40-percent',
    name: 'Throttled while CloudWatch says 40 %',
    lesson:
      "One shard; \"app\" sends 350 records/s, except for the first 3 s of every virtual minute, when a batch job's burst takes it to 3,000 records/s. The burst throttles (Throttling, per second), yet CloudWatch's 1-minute IncomingRecords Sum ÷ 60 s stays near 40 % of 1,000 records/s: a minute's sum hides its seconds, and it counts accepted records only. Turn on the CloudWatch lens and wait for a whole virtual minute.",
    version: SCENARIO_VERSION,
    seed: 14,
    speed: 1,
    stream: stream(1),
    producers: [
      {
        running: true,
        spec: producer({
          name: 'app',
          rate: 350,
          // 3 s at 3,000 records/s from :00 of each virtual minute (rateShape.ts).
          rateShape: { kind: 'periodicBurst', periodMs: 60_000, burstMs: 3000, burstRate: 3000 },
          distribution: { kind: 'uniform', keyCount: 1000 },
        }),
      },
    ],
  },
];
