import type { LessonStep } from '../../common/lesson';
import { KPL_AGGREGATION_MAX_BYTES_DEFAULT } from '../../engine/limits';
import type { ProducerSpec } from '../../worker/engineTypes';
import { PRESETS } from '../presets';
import { SCENARIO_VERSION, type Scenario } from '../schema';

/** A built-in lesson: a scenario with steps, and the id its deep link (`#lesson=<id>&step=<n>`) names. */
export type Lesson = Scenario & { id: string; name: string; steps: LessonStep[] };

/** A preset's scenario (without its id), to build a lesson on. */
function preset(id: string): Scenario {
  const found = PRESETS.find((p) => p.id === id);
  if (!found) throw new Error(`no preset ${id}`);
  const { id: _id, ...scenario } = found;
  return scenario;
}

const lesson = (id: string, name: string, base: Scenario, steps: LessonStep[]): Lesson => ({
  ...base,
  id,
  name,
  steps,
});

const emptyStream = (shardCount: number): Scenario => ({
  version: SCENARIO_VERSION,
  seed: 21,
  speed: 1,
  stream: { streamName: 'shardlab-demo', shardCount, retentionHours: 24, throttle: 'token-bucket' },
  producers: [],
});

/** A producer spec for the lessons below (PutRecord of 100-byte records over 1,000 keys unless told). */
const producerSpec = (spec: Partial<ProducerSpec> & Pick<ProducerSpec, 'name'>): ProducerSpec => ({
  api: 'PutRecord',
  batchSize: 1,
  payloadBytes: { min: 100, max: 100 },
  rate: 700,
  distribution: { kind: 'uniform', keyCount: 1000 },
  ...spec,
});

/** One shard; "once" and "sdk" running; two stopped burst producers that retry without and with jitter. */
function retryStream(): Scenario {
  const burst = (name: string, jitter: 'none' | 'full') => ({
    running: false,
    spec: producerSpec({
      name,
      rate: 'burst',
      recordCount: 2000,
      retry: { kind: 'custom', maxAttempts: 3, baseMs: 1000, capMs: 1000, jitter },
    }),
  });
  return {
    ...emptyStream(1),
    seed: 23,
    producers: [
      { running: true, spec: producerSpec({ name: 'once', retry: { kind: 'none' } }) },
      { running: true, spec: producerSpec({ name: 'sdk', retry: { kind: 'sdkDefault' } }) },
      burst('in-step', 'none'),
      burst('jittered', 'full'),
    ],
  };
}

/** One shard; "plain" running, "kpl" and "kpl-large" stopped. */
function kplStream(): Scenario {
  const kpl = { aggregationMaxBytes: KPL_AGGREGATION_MAX_BYTES_DEFAULT, collection: true };
  return {
    ...emptyStream(1),
    seed: 29,
    producers: [
      {
        running: true,
        spec: producerSpec({ name: 'plain', api: 'PutRecords', batchSize: 500, rate: 3000 }),
      },
      {
        running: false,
        spec: producerSpec({ name: 'kpl', api: 'PutRecords', batchSize: 500, rate: 3000, kpl }),
      },
      {
        running: false,
        spec: producerSpec({
          name: 'kpl-large',
          api: 'PutRecords',
          batchSize: 500,
          rate: 100,
          payloadBytes: { min: 10_240, max: 10_240 },
          kpl,
        }),
      },
    ],
  };
}

/**
 * The curriculum. Captions say what to look at and what to predict, naming what is on screen; they state no
 * number the simulation produces: those the worker measures (the pause's shard and time, each action's
 * answer) and the lesson panel shows. `{shard}` and `{time}` are filled from the pause outcome.
 * lessons.test.ts runs every lesson through the real SimulationHost and checks each caption's claims.
 */
export const LESSONS: readonly Lesson[] = [
  lesson('md5-to-shard', 'MD5 → hash key → shard', emptyStream(4), [
    {
      caption:
        'Four shards split the 128-bit hash key space into equal ranges: see StartingHashKey and EndingHashKey in the Shards table, and the segments of the Keyspace bar. Predict: which shard will a record with PartitionKey "orders-1" go to?',
    },
    {
      caption:
        'A PutRecord with PartitionKey "orders-1" was sent. Its answer (below) names the ShardId. Type orders-1 into the Key inspector: the MD5 of the key\'s UTF-8 bytes, read as a 128-bit number, is its hash key, and it lies between that shard\'s StartingHashKey and EndingHashKey.',
      actions: [{ type: 'putRecord', partitionKey: 'orders-1', data: 'first' }],
    },
    {
      caption:
        'The same key again. Predict before reading the answer: same shard or another? The MD5 of a key never changes, so neither does its shard while the shards stay as they are.',
      actions: [{ type: 'putRecord', partitionKey: 'orders-1', data: 'second' }],
    },
    {
      caption:
        'Now "orders-2", one character away. MD5 scatters similar keys over the whole hash space: its shard is unrelated to the shard of orders-1. Check it in the Key inspector.',
      actions: [{ type: 'putRecord', partitionKey: 'orders-2', data: 'third' }],
    },
  ]),

  lesson('uniform-vs-skewed', 'Uniform vs skewed keys', preset('uniform'), [
    {
      caption:
        'Many distinct keys, drawn uniformly. Press Space to play. Watch Write throughput: predict whether any shard reaches the line of its limit. The lesson pauses after 10 virtual seconds.',
      pauseWhen: { kind: 'afterSeconds', seconds: 10 },
    },
    {
      caption:
        'The same rate, but the keys now follow a Zipf distribution: a few keys carry most records. Predict which shard throttles first. The lesson pauses when one does: {shard} at {time}. Is it the shard of the busiest key in Key distribution?',
      actions: [
        { type: 'setProducerRunning', producer: 'orders', running: false },
        {
          type: 'addProducer',
          producer: {
            name: 'orders-zipf',
            api: 'PutRecords',
            batchSize: 500,
            payloadBytes: { min: 200, max: 200 },
            rate: 3200,
            distribution: { kind: 'zipf', keyCount: 10_000, exponent: 1.2 },
          },
        },
        { type: 'play' },
      ],
      pauseWhen: { kind: 'shardThrottles' },
    },
    {
      caption:
        "Read the Diagnosis for {shard}: is one key alone over the shard's limit (hot key) or many keys together (hot shard)? Compare the busiest key's records with the limit line. The lesson pauses when the diagnosis names a hot shard.",
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'diagnosis', verdict: 'hotShard' },
    },
  ]),

  lesson('hot-key-more-shards', 'The hot key, and why more shards do not help', preset('celebrity'), [
    {
      caption:
        'Half of the "timeline" records carry the key "celebrity". Predict which shard throttles first: the lesson pauses when one does ({shard} at {time}). Compare it with the shard the Key inspector gives for celebrity.',
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'shardThrottles' },
    },
    {
      caption:
        'Read the Diagnosis: it pauses here when it calls {shard} a Hot key. The busiest key alone asks more than one shard takes. Only that shard is marked Throttling now in the Shards table.',
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'diagnosis', verdict: 'hotKey' },
    },
    {
      caption:
        'UpdateShardCount doubles the shards. Predict: will celebrity stop throttling with twice the shards? The stream is UPDATING; the lesson pauses when it is ACTIVE again (at {time}). See the new shards in Shard lineage.',
      actions: [{ type: 'updateShardCount', targetShardCount: 8 }, { type: 'play' }],
      pauseWhen: { kind: 'streamActive' },
    },
    {
      caption:
        'The first shard to throttle on the new layout: {shard}. It holds "celebrity" now: every record of one key has the same hash key, so it lands on one shard however many there are.',
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'shardThrottles' },
    },
    {
      caption:
        'Ten more seconds. Only one shard is marked Throttling now; the others have spare capacity. More shards do not help a hot key: change the key (a random suffix, see the Fixing a hot key preset) or spread it with ExplicitHashKey.',
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'afterSeconds', seconds: 10 },
    },
  ]),

  lesson('hot-shard-split', 'The hot shard and the split', preset('split-hot-shard'), [
    {
      caption:
        "Many customer keys, but most records' keys hash into the lower half of the hash space. Predict: hot key or hot shard? The lesson pauses when the Diagnosis calls {shard} a hot shard; read its numbers there.",
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'diagnosis', verdict: 'hotShard' },
    },
    {
      caption:
        'SplitShard at the middle of its hash range. The stream is UPDATING and the parent still takes the writes (and still throttles); the producer keeps running. The lesson pauses when the stream is ACTIVE again, at {time}: two children appear in the Shards table and Shard lineage.',
      actions: [{ type: 'splitShard', shardId: 'shardId-000000000000' }, { type: 'play' }],
      pauseWhen: { kind: 'streamActive' },
    },
    {
      caption:
        "Predict: does either child throttle? Watch Write throughput for ten virtual seconds: each child takes part of the parent's load, below the limit line, and no shard is marked Throttling now.",
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'afterSeconds', seconds: 10 },
    },
  ]),

  lesson('timestamp-key', 'Timestamp as partition key', preset('timestamp-key'), [
    {
      caption:
        'Every record carries the current second as its key. Predict how many shards take writes in any one second. The lesson pauses at the first throttled record: {shard} at {time}.',
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'shardThrottles' },
    },
    {
      caption:
        'Watch the Keyspace heatmap and Write throughput for ten seconds: each second, one key takes the whole load to one shard, and the hot spot can move when the second changes. One shard works while the others idle.',
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'afterSeconds', seconds: 10 },
    },
    {
      caption:
        'The timestamp producer is stopped; a couple of quiet seconds pass. Then the same rate keyed by event id: many keys each second. Predict whether anything throttles over the next ten seconds.',
      actions: [
        { type: 'setProducerRunning', producer: 'events', running: false },
        { type: 'step', seconds: 2 },
        {
          type: 'addProducer',
          producer: {
            name: 'events-by-id',
            api: 'PutRecords',
            batchSize: 500,
            payloadBytes: { min: 200, max: 200 },
            rate: 2500,
            distribution: { kind: 'uniform', keyCount: 10_000, prefix: 'event-' },
          },
        },
        { type: 'play' },
      ],
      pauseWhen: { kind: 'afterSeconds', seconds: 10 },
    },
  ]),

  lesson('explicit-hash-key', 'ExplicitHashKey', preset('explicit-hash-key'), [
    {
      caption:
        'Every record of "one-key" has the PartitionKey "device-1" and no ExplicitHashKey. Predict how many shards receive its records. The lesson pauses at the first throttled record: {shard} at {time}.',
      actions: [
        { type: 'setProducerRunning', producer: 'kpl-style', running: false },
        {
          type: 'addProducer',
          producer: {
            name: 'one-key',
            api: 'PutRecords',
            batchSize: 500,
            payloadBytes: { min: 200, max: 200 },
            rate: 3000,
            distribution: { kind: 'weighted', keys: [{ key: 'device-1', weight: 1 }] },
          },
        },
        { type: 'play' },
      ],
      pauseWhen: { kind: 'shardThrottles' },
    },
    {
      caption:
        'The same key and rate, but each record now carries an ExplicitHashKey, which Kinesis uses instead of the MD5 of the key. Predict the Write throughput per shard for the next ten seconds. Key distribution lists device-1 with a row per shard, marked (ExplicitHashKey).',
      actions: [
        { type: 'setProducerRunning', producer: 'one-key', running: false },
        { type: 'setProducerRunning', producer: 'kpl-style', running: true },
        { type: 'play' },
      ],
      pauseWhen: { kind: 'afterSeconds', seconds: 10 },
    },
    {
      caption:
        'A PutRecord with PartitionKey "device-1" and ExplicitHashKey 0: the answer names the shard whose StartingHashKey is 0, whatever the key\'s MD5.',
      actions: [
        { type: 'pause' },
        { type: 'putRecord', partitionKey: 'device-1', explicitHashKey: '0', data: 'x' },
      ],
    },
  ]),

  lesson('retention-24h', 'Retention and +24 h', preset('retention-fast-forward'), [
    {
      caption:
        'A sensor writes records to a stream that keeps them RetentionPeriodHours (24 here). Watch the Retention chart for a virtual minute: records are retained, none has expired yet.',
      actions: [{ type: 'setSpeed', speed: 10 }, { type: 'play' }],
      pauseWhen: { kind: 'afterSeconds', seconds: 60 },
    },
    {
      caption:
        'Jump +24 h: a day of traffic is simulated with the sensor running. Predict what the Retention chart shows afterwards. The records of the first minute are now older than the retention period: they have expired (the chart says at what resolution).',
      actions: [{ type: 'jump', hours: 24 }],
    },
    {
      caption:
        'Play an hour at 3600×: records keep arriving and the oldest keep expiring, so the retained count levels off instead of growing. Retention is a sliding window, not a daily purge.',
      actions: [{ type: 'setSpeed', speed: 3600 }, { type: 'play' }],
      pauseWhen: { kind: 'afterSeconds', seconds: 3600 },
    },
  ]),

  lesson('putrecords-partial-failure', 'PutRecords partial failure', emptyStream(2), [
    {
      caption:
        "A burst: one PutRecords request of 500 entries at one instant, on two shards. Predict whether every entry is accepted. The Producers table shows the burst's accepted and throttled counts.",
      actions: [
        {
          type: 'burst',
          name: 'one-request',
          recordCount: 500,
          distribution: { kind: 'uniform', keyCount: 100 },
        },
      ],
    },
    {
      caption:
        "Now ten requests of 500 at one instant: more than two shards take. Each request still succeeds (HTTP 200), but its entries over a shard's limit come back with ErrorCode ProvisionedThroughputExceededException: a partial failure (FailedRecordCount above 0). The producer retries nothing: compare accepted and throttled in the Producers table, and read the message in Throttling.",
      actions: [
        { type: 'step', seconds: 5 },
        {
          type: 'burst',
          name: 'ten-requests',
          recordCount: 5000,
          distribution: { kind: 'uniform', keyCount: 100 },
        },
      ],
    },
    {
      caption:
        'A different failure: 500 entries of 100 KiB each make one request over the 10 MiB a PutRecords may carry. Kinesis refuses the whole request: no entry is written, and the Producers table counts the request as refused whole.',
      actions: [
        { type: 'step', seconds: 5 },
        {
          type: 'burst',
          name: 'too-big',
          recordCount: 500,
          payloadBytes: { min: 102_400, max: 102_400 },
          distribution: { kind: 'uniform', keyCount: 100 },
        },
      ],
    },
  ]),

  lesson('resharding-lineage', 'Resharding lineage', preset('update-shard-count-4-to-3'), [
    {
      caption:
        'Four shards with even traffic. Shard lineage draws each shard as a bar over virtual time across its hash range. Play for five seconds.',
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'afterSeconds', seconds: 5 },
    },
    {
      caption:
        "UpdateShardCount to 3 (UNIFORM_SCALING). Predict: which shards exist afterwards? The stream is UPDATING for a while; the lesson pauses when it is ACTIVE (at {time}). Every old shard is closed; the new ones name their parents in the lineage's data table.",
      actions: [{ type: 'updateShardCount', targetShardCount: 3 }, { type: 'play' }],
      pauseWhen: { kind: 'streamActive' },
    },
    {
      caption:
        'MergeShards joins the two lowest open shards (adjacent ranges) into one new shard, whose ParentShardId and AdjacentParentShardId name both. Predict whether the merged shard keeps up with the traffic of both its parents. The lesson pauses when the stream is ACTIVE again; then watch the Diagnosis.',
      actions: [
        { type: 'mergeShards', shardId: 'shardId-000000000006', adjacentShardId: 'shardId-000000000009' },
        { type: 'play' },
      ],
      pauseWhen: { kind: 'streamActive' },
    },
    {
      caption:
        'Closed shards stay listed (marked closed) for the retention period after they close, 24 h here, as in ListShards: the old shards and the short-lived ones UpdateShardCount went through. Jump +25 h: they expire, so they leave the Shards table as they leave ListShards; Shard lineage still draws them, EXPIRED.',
      actions: [{ type: 'pause' }, { type: 'jump', hours: 25 }],
    },
  ]),

  lesson('on-demand', 'On-demand capacity', preset('on-demand-spike'), [
    {
      caption:
        'An ON_DEMAND stream with one steady producer. Watch On-demand capacity for a virtual minute: open shards × 1,000 records/s against the demand, and the 30-day peak line.',
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'afterSeconds', seconds: 60 },
    },
    {
      caption:
        'Start "ramp": within twice the peak. Predict: throttling? At 600×, on-demand scaling (AWS 2022 documentation) splits shards that carry too much; the lesson pauses when the open shards change (at {time}).',
      actions: [
        { type: 'setProducerRunning', producer: 'ramp', running: true },
        { type: 'setSpeed', speed: 600 },
        { type: 'play' },
      ],
      pauseWhen: { kind: 'shardsChange' },
    },
    {
      caption:
        'Start "spike": far above twice the peak. Predict whether capacity is there in time. The lesson pauses at the first throttled record: {shard} at {time}.',
      actions: [{ type: 'setProducerRunning', producer: 'spike', running: true }, { type: 'play' }],
      pauseWhen: { kind: 'shardThrottles' },
    },
    {
      caption:
        'Scaling catches up only after a delay: the lesson pauses when it next splits shards (at {time}). Until then the Throttling chart counts what on-demand could not take.',
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'shardsChange' },
    },
  ]),

  lesson('auto-distribution', 'AUTO record distribution', preset('auto-distribution'), [
    {
      caption:
        'Record distribution AUTO on an ON_DEMAND stream, and a producer whose key "celebrity" carries most records. Predict: does any shard throttle? Watch the Shards table for ten seconds: records spread evenly, whatever their key.',
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'afterSeconds', seconds: 10 },
    },
    {
      caption:
        'UpdateStreamRecordDistributionStrategy to USER_PARTITION_KEY: records go by the MD5 of their key again. Predict which shard throttles. The lesson pauses at the first throttled record: {shard} at {time}.',
      actions: [{ type: 'updateRecordDistribution', strategy: 'USER_PARTITION_KEY' }, { type: 'play' }],
      pauseWhen: { kind: 'shardThrottles' },
    },
    {
      caption:
        'The Diagnosis names a Hot key on {shard}. AUTO avoided it by ignoring the key, which has a price: with AUTO, records of one key no longer keep their order on one shard.',
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'diagnosis', verdict: 'hotKey' },
    },
  ]),

  lesson('cloudwatch-40-percent', 'Throttled while CloudWatch says 40 %', preset('cloudwatch-40-percent'), [
    {
      caption:
        "One shard and one producer: a steady load that bursts for a few seconds at the top of every virtual minute, as a batch job would. Press Space and watch Write throughput. The lesson pauses at the first throttled record: {shard} at {time}. Predict: what will CloudWatch's one-minute metrics say about this minute?",
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'shardThrottles' },
    },
    {
      caption:
        'Turn on the CloudWatch lens (the switch on Write throughput). The lesson plays on and pauses after 60 virtual seconds, once the minute of that burst is complete. Read CloudWatch IncomingRecords: Sum ÷ 60 s against the line of 1,000 records/s, next to the busiest second of the same minute, and its data table.',
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'afterSeconds', seconds: 60 },
    },
    {
      caption:
        "Why CloudWatch looks calm: a minute's Sum spreads a burst of a few seconds over 60, and IncomingRecords counts accepted records only — the throttled ones are WriteProvisionedThroughputExceeded (the lens on Throttling). Try the Statistic menu: Maximum is the most records in a single put operation, not per second. Then Metrics of: stream (basic) shows what you see without enhanced shard-level metrics.",
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'afterSeconds', seconds: 60 },
    },
  ]),

  lesson('retries-and-jitter', 'Retries: what they deliver, what they cost', retryStream(), [
    {
      caption:
        'One shard and two producers with the same rate and keys: "once" sends each record once; "sdk" retries a throttled PutRecord as the AWS SDK for JavaScript does by default (3 attempts in all, full jitter). Together they ask more than 1,000 records/s. Press Space: the lesson pauses at the first throttled record, {shard} at {time}. Predict: which producer loses fewer records?',
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'shardThrottles' },
    },
    {
      caption:
        'A virtual minute later, read the Retries table: "sdk" delivers after a retry records that "once" drops, so it drops fewer — but not all: its Refused by retry quota column counts the retries the SDK\'s retry quota (500 tokens, 5 for a throttling retry, one token back per successful call) turned down while the shard stayed full. Amplification is attempts per delivered record: every retry is one more attempt on the same full shard.',
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'afterSeconds', seconds: 60 },
    },
    {
      caption:
        'Stop both. Two producers now fire a burst each at the same instant, far more than the shard holds: "in-step" retries with no jitter (every record waits the same backoff), "jittered" with full jitter. Open Retry charts under the Retries table: in Attempts per 100 ms, the retries of "in-step" come back together in one lane, a retry storm, while those of "jittered" spread over many.',
      actions: [
        { type: 'setProducerRunning', producer: 'once', running: false },
        { type: 'setProducerRunning', producer: 'sdk', running: false },
        { type: 'setProducerRunning', producer: 'in-step', running: true },
        { type: 'setProducerRunning', producer: 'jittered', running: true },
        { type: 'play' },
      ],
      pauseWhen: { kind: 'afterSeconds', seconds: 3 },
    },
  ]),

  lesson('kpl-aggregation', 'KPL aggregation: many user records per Kinesis record', kplStream(), [
    {
      caption:
        'One shard, and "plain": small records, each its own Kinesis record in PutRecords, more than 1,000 records/s. Press Space: the lesson pauses at the first throttled record, {shard} at {time}. The records limit binds long before the bytes limit.',
      actions: [{ type: 'play' }],
      pauseWhen: { kind: 'shardThrottles' },
    },
    {
      caption:
        'Stop "plain", start "kpl": the same user records, with KPL aggregation and collection. Watch KPL aggregation: user records/s against Kinesis records/s, and the Throttling chart, for ten virtual seconds. Predict: does the shard throttle now? Its limits count Kinesis records (each aggregate is one record, with PartitionKey "a"), and their bytes.',
      actions: [
        { type: 'setProducerRunning', producer: 'plain', running: false },
        { type: 'setProducerRunning', producer: 'kpl', running: true },
        { type: 'play' },
      ],
      pauseWhen: { kind: 'afterSeconds', seconds: 10 },
    },
    {
      caption:
        'Start "kpl-large": large user records through the same shard, also aggregated. Aggregation packs records, not bytes: the 1 MiB/s limit still binds. The lesson pauses at the next throttled record, {shard} at {time}.',
      actions: [{ type: 'setProducerRunning', producer: 'kpl-large', running: true }, { type: 'play' }],
      pauseWhen: { kind: 'shardThrottles' },
    },
  ]),
];

/** The built-in lesson with this id, or undefined. */
export function lessonById(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}

/** A lesson as a plain scenario file (what a teacher exports, edits and shares): without its id. */
export function lessonScenario(lesson: Lesson): Scenario {
  const { id: _id, ...scenario } = lesson;
  return scenario;
}
