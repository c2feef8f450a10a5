/**
 * Simulation benchmarks (Node, engine only): producers on the virtual clock and snapshot building, the
 * figures the producers/worker issue asks for. Imported by bench/run.ts, which prints every row.
 */
import { createEngine, type Engine } from '../src/engine/index';
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

const gc = (globalThis as { gc?: () => void }).gc;

/** Every simulation benchmark, in order; each starts from a collected heap, not the engine benches' garbage. */
export function simulationBenchRows(): BenchRow[] {
  return [perRecordRealTime, aggregateHour, snapshot500].map((bench) => {
    gc?.();
    return bench();
  });
}
