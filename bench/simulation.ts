/**
 * Simulation benchmarks (Node, engine only): producers on the virtual clock and snapshot building, the
 * figures the producers/worker issue asks for. Imported by bench/run.ts, which prints every row.
 */
import { putRecordsAnswerHasFailures } from '../src/engine/api/dispatch';
import { createEngine, type Engine } from '../src/engine/index';
import { ACCOUNT_SHARD_LIMIT } from '../src/engine/limits';
import { ProducerSet, type ProducerSpec } from '../src/engine/producers/producerSet';
import type { Stream } from '../src/engine/stream';

export interface BenchRow {
  name: string;
  value: string;
  target: string;
  pass?: boolean;
  note?: string;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const gc = (globalThis as { gc?: () => void }).gc;

function setup(shards: number): { engine: Engine; stream: Stream } {
  const engine = createEngine({ seed: 1, transitionMs: 0 });
  const created = engine.call('CreateStream', { StreamName: 'bench', ShardCount: shards });
  if (!created.ok) throw new Error(created.error.message);
  const stream = engine.core.stream('bench');
  if (!stream) throw new Error('no stream');
  return { engine, stream };
}

const steady = (rate: number): ProducerSpec => ({
  name: 'steady',
  api: 'PutRecords',
  batchSize: 500,
  payloadBytes: { min: 100, max: 100 },
  rate,
  distribution: { kind: 'uniform', keyCount: 10_000 },
});

/** 100,000 records/s over 100 shards, simulated record by record: wall time per virtual second. */
function perRecordRealTime(): BenchRow {
  const { engine, stream } = setup(100);
  const producers = new ProducerSet(engine.core, stream);
  producers.aggregateThreshold = Number.POSITIVE_INFINITY;
  producers.add(steady(100_000));
  producers.advance(2000); // warm up
  const seconds = 10;
  const start = performance.now();
  producers.advance(seconds * 1000);
  const wallPerVirtualSecond = (performance.now() - start) / seconds;
  const core = wallPerVirtualSecond / 1000;
  const [totals] = producers.totals();
  return {
    name: 'Producers: 100,000 rec/s over 100 shards, per-record, real time',
    value: `${(core * 100).toFixed(1)}% of a core (${wallPerVirtualSecond.toFixed(0)} ms per virtual s)`,
    target: '< 50% of a core',
    pass: core < 0.5,
    note: `${fmt(totals?.accepted ?? 0)} accepted, ${fmt(totals?.throttled ?? 0)} throttled`,
  };
}

/** 3600×: 100 shards at their limit for one virtual hour in aggregate mode. */
function aggregateHour(): BenchRow {
  const { engine, stream } = setup(100);
  const producers = new ProducerSet(engine.core, stream);
  producers.aggregateThreshold = 1; // what the host does at 3600×
  producers.add(steady(100_000));
  const start = performance.now();
  // The host advances in 100 ms wall ticks: 360 virtual seconds each at 3600×.
  for (let tick = 0; tick < 10; tick++) producers.advance(360_000);
  const wall = (performance.now() - start) / 1000;
  const [totals] = producers.totals();
  return {
    name: 'Producers: 3600×, 100 shards at their limit, 1 virtual hour (aggregate)',
    value: `${wall.toFixed(2)} s wall`,
    target: '< 5 s',
    pass: wall < 5,
    note: `${fmt(totals?.attempted ?? 0)} attempts: ${fmt(totals?.accepted ?? 0)} accepted, ${fmt(totals?.throttled ?? 0)} throttled`,
  };
}

/** 3600×: 500 shards at their limit for one virtual hour in aggregate mode, against 100 shards in the same run. */
function aggregateHour500(hundredShardsWall: number): BenchRow {
  const { engine, stream } = setup(500);
  const producers = new ProducerSet(engine.core, stream);
  producers.aggregateThreshold = 1;
  producers.add(steady(500_000));
  const start = performance.now();
  for (let tick = 0; tick < 10; tick++) producers.advance(360_000);
  const wall = (performance.now() - start) / 1000;
  const [totals] = producers.totals();
  return {
    name: 'Producers: 3600×, 500 shards at their limit, 1 virtual hour (aggregate)',
    value: `${wall.toFixed(2)} s wall (${(wall / hundredShardsWall).toFixed(1)}× the 100-shard run for 5× the shards)`,
    target: '< 1 s (so 3600× keeps up)',
    pass: wall < 1,
    note: `${fmt(totals?.attempted ?? 0)} attempts: ${fmt(totals?.accepted ?? 0)} accepted, ${fmt(totals?.throttled ?? 0)} throttled`,
  };
}

function heapBytes(): number {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * Memory bounded by a budget, not by simulated time: 500 shards with 7 days of retention, a producer at
 * their limit; a week by +24 h jumps (as the page does them), then a virtual hour played at 3600×, then two
 * more days. Heap after the week, after the hour and after 9 days.
 */
function weekOfRetention500(): BenchRow[] {
  const base = heapBytes();
  const { engine, stream } = setup(500);
  const retention = engine.call('IncreaseStreamRetentionPeriod', {
    StreamName: 'bench',
    RetentionPeriodHours: 168,
  });
  if (!retention.ok) throw new Error(retention.error.message);
  const producers = new ProducerSet(engine.core, stream);
  producers.aggregateThreshold = 1;
  producers.add(steady(500_000));
  const day = 86_400_000;
  const jumpDay = () => {
    const target = engine.now() + day;
    while (engine.now() < target)
      producers.advance(Math.min(60_000, target - engine.now()), {
        aggregate: true,
        coarseUntilMs: target - 300_000,
      });
  };
  const start = performance.now();
  for (let d = 0; d < 7; d++) jumpDay();
  const week = heapBytes() - base;
  for (let tick = 0; tick < 10; tick++) producers.advance(360_000);
  const hour = heapBytes() - base;
  jumpDay();
  jumpDay();
  const wall = (performance.now() - start) / 1000;
  const nine = heapBytes() - base;
  const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
  const expired = engine.snapshot('bench', 1)?.expired.reduce((a, b) => a + b, 0) ?? 0;
  return [
    {
      name: 'Memory: 500 shards × 7 days of retention, producer at the limit (heap + array buffers)',
      value: `${mib(week)} after 7 days, ${mib(hour)} after 1 h more at 3600×, ${mib(nine)} after 9 days`,
      target: '< 256 MiB, flat once retention is reached',
      pass: Math.max(week, hour, nine) < 256 * 1048576 && nine <= week * 1.1 + 4 * 1048576,
      note: `${wall.toFixed(1)} s wall for 9 virtual days; ${fmt(expired)} records expired; count buckets ${stream.countBucketMs / 1000} s wide`,
    },
  ];
}

/**
 * Memory proportional to what is held, not to the shard count: the account's 20,000 shards (40 streams of
 * 500, as clients of the endpoint may create them), one 100-byte record each through the endpoint's
 * dispatch (JSON, base64, a payload and a key kept per record).
 */
function accountOfShards(): BenchRow {
  const engine = createEngine({ seed: 1, transitionMs: 0 });
  const streams = ACCOUNT_SHARD_LIMIT / 500;
  for (let s = 0; s < streams; s++) {
    const created = engine.call('CreateStream', { StreamName: `s${s}`, ShardCount: 500 });
    if (!created.ok) throw new Error(created.error.message);
  }
  engine.advanceTime(1000);
  const base = heapBytes();
  const start = performance.now();
  const data = 'x'.repeat(100);
  // One record per shard: an ExplicitHashKey at the start of each shard's range.
  const step = 2n ** 128n / 500n;
  const records = Array.from({ length: 500 }, (_, i) => ({
    Data: btoa(data),
    PartitionKey: `device-${i}`,
    ExplicitHashKey: (step * BigInt(i) + 1n).toString(),
  }));
  for (let s = 0; s < streams; s++) {
    const answer = engine.dispatch(
      'Kinesis_20131202.PutRecords',
      JSON.stringify({ StreamName: `s${s}`, Records: records }),
    );
    if (answer.status !== 200 || putRecordsAnswerHasFailures(answer.body)) throw new Error(answer.body);
  }
  const held = heapBytes() - base;
  const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
  return {
    name: `Memory: the account's ${fmt(ACCOUNT_SHARD_LIMIT)} shards, one 100-byte record each (heap + array buffers)`,
    value: `${mib(held)} (${fmt(held / ACCOUNT_SHARD_LIMIT)} bytes per shard)`,
    target: '< 512 MiB (each shard holds what it needs, not a whole chunk)',
    pass: held < 512 * 1048576,
    note: `${((performance.now() - start) / 1000).toFixed(1)} s wall to write them`,
  };
}

/** Building the UI snapshot (120 s of per-shard history, hot keys) for 500 shards. */
function snapshot500(): BenchRow {
  const { engine, stream } = setup(500);
  const producers = new ProducerSet(engine.core, stream);
  producers.add({ ...steady(200_000), distribution: { kind: 'zipf', keyCount: 10_000, exponent: 1.1 } });
  producers.advance(130_000);
  for (let i = 0; i < 20; i++) engine.snapshot('bench', 120, 20); // warm up
  const runs = 200;
  const start = performance.now();
  for (let i = 0; i < runs; i++) engine.snapshot('bench', 120, 20);
  const ms = (performance.now() - start) / runs;
  return {
    name: 'Snapshot: 500 shards, 120 s history, top 20 keys',
    value: `${ms.toFixed(2)} ms`,
    target: '< 2 ms',
    pass: ms < 2,
  };
}

/** Every simulation benchmark, in order; each starts from a collected heap, not the engine benches' garbage. */
export function simulationBenchRows(): BenchRow[] {
  gc?.();
  const rows = [perRecordRealTime()];
  gc?.();
  const hundred = aggregateHour();
  rows.push(hundred);
  gc?.();
  rows.push(aggregateHour500(Number.parseFloat(hundred.value)));
  gc?.();
  rows.push(snapshot500());
  gc?.();
  rows.push(...weekOfRetention500());
  gc?.();
  rows.push(accountOfShards());
  return rows;
}
