/**
 * Retry benchmarks (Node, engine only): what the AWS SDK's default retries cost the simulation at 100,000
 * records/s, against the same producer without retries. Imported by bench/run.ts; `npx tsx
 * bench/retries.ts` runs only these rows.
 */
import { createEngine } from '../src/engine/index';
import { ProducerSet, type ProducerSpec } from '../src/engine/producers/producerSet';
import type { RetryPolicy } from '../src/engine/producers/retryPolicy';
import type { BenchRow } from './simulation';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function producersOn(shards: number): ProducerSet {
  const engine = createEngine({ seed: 1, transitionMs: 0 });
  const created = engine.call('CreateStream', { StreamName: 'bench', ShardCount: shards });
  if (!created.ok) throw new Error(created.error.message);
  const stream = engine.core.stream('bench');
  if (!stream) throw new Error('no stream');
  return new ProducerSet(engine.core, stream);
}

const spec = (retry: RetryPolicy): ProducerSpec => ({
  name: 'steady',
  api: 'PutRecords',
  batchSize: 500,
  payloadBytes: { min: 100, max: 100 },
  rate: 100_000,
  distribution: { kind: 'uniform', keyCount: 10_000 },
  retry,
});

/** Wall ms per virtual second, record by record, 10 virtual seconds after 2 of warm-up. */
function perRecord(shards: number, retry: RetryPolicy) {
  const producers = producersOn(shards);
  producers.aggregateThreshold = Number.POSITIVE_INFINITY;
  producers.add(spec(retry));
  producers.advance(2000);
  const start = performance.now();
  producers.advance(10_000);
  const msPerSecond = (performance.now() - start) / 10;
  const [t] = producers.totals();
  return { msPerSecond, t };
}

/** Wall seconds for one virtual hour at 3600× (ten 360 s ticks), in aggregate. */
function aggregateHour(shards: number, retry: RetryPolicy) {
  const producers = producersOn(shards);
  producers.aggregateThreshold = 1;
  producers.add(spec(retry));
  const start = performance.now();
  for (let tick = 0; tick < 10; tick++) producers.advance(360_000);
  const seconds = (performance.now() - start) / 1000;
  const [t] = producers.totals();
  return { seconds, t };
}

export function retryBenchRows(): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const shards of [100, 50]) {
    const none = perRecord(shards, { kind: 'none' });
    const sdk = perRecord(shards, { kind: 'sdkDefault' });
    const core = sdk.msPerSecond / 1000;
    rows.push({
      name: `Retries: 100,000 rec/s over ${shards} shards, per-record, SDK default vs none`,
      value: `${sdk.msPerSecond.toFixed(0)} vs ${none.msPerSecond.toFixed(0)} ms per virtual s (${(core * 100).toFixed(1)}% of a core)`,
      target: '< 50% of a core',
      pass: core < 0.5,
      note: `amplification ${sdk.t?.retries.amplification?.toFixed(2)} vs ${none.t?.retries.amplification?.toFixed(2)}; dropped ${fmt(sdk.t?.retries.dropped ?? 0)} vs ${fmt(none.t?.retries.dropped ?? 0)}`,
    });
  }
  for (const shards of [100, 50]) {
    const none = aggregateHour(shards, { kind: 'none' });
    const sdk = aggregateHour(shards, { kind: 'sdkDefault' });
    rows.push({
      name: `Retries: 3600×, 100,000 rec/s over ${shards} shards, 1 virtual hour (aggregate), SDK default vs none`,
      value: `${sdk.seconds.toFixed(2)} vs ${none.seconds.toFixed(2)} s wall`,
      target: '< 5 s',
      pass: sdk.seconds < 5,
      note: `amplification ${sdk.t?.retries.amplification?.toFixed(2)} vs ${none.t?.retries.amplification?.toFixed(2)}; dropped ${fmt(sdk.t?.retries.dropped ?? 0)} vs ${fmt(none.t?.retries.dropped ?? 0)}`,
    });
  }
  return rows;
}

// Run alone: `npx tsx bench/retries.ts`.
if (import.meta.url === `file://${process.argv[1]}`) console.table(retryBenchRows());
