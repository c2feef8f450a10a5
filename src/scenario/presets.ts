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
];
