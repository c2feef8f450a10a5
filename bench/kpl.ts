/**
 * The engine cost of KPL aggregation at 100,000 user records/s of 100 B (Node, engine only, record by
 * record), against the same producer without KPL: wall ms per virtual second over 10 virtual seconds after
 * 1 s of warm-up. Imported by bench/run.ts; `npx tsx bench/kpl.ts` runs only these rows.
 */
import { fileURLToPath } from 'node:url';
import { createEngine } from '../src/engine/index';
import { ProducerSet, type ProducerSpec } from '../src/engine/producers/producerSet';
import type { BenchRow } from './simulation';

const RATE = 100_000;
const SECONDS = 10;
/** At 1× the worker must simulate a virtual second in well under a wall second: half a core at most. */
const TARGET_MS_PER_SECOND = 500;

const base: ProducerSpec = {
  name: 'bench',
  api: 'PutRecords',
  batchSize: 500,
  payloadBytes: { min: 100, max: 100 },
  rate: RATE,
  distribution: { kind: 'uniform', keyCount: 10_000 },
};
const kpl = { aggregationMaxBytes: 51_200, collection: true };

function run(shards: number, spec: ProducerSpec) {
  const engine = createEngine({ seed: 1, transitionMs: 0 });
  engine.call('CreateStream', { StreamName: 's', ShardCount: shards });
  const stream = engine.core.stream('s');
  if (!stream) throw new Error('no stream');
  const producers = new ProducerSet(engine.core, stream);
  producers.aggregateThreshold = Number.POSITIVE_INFINITY;
  producers.add(spec);
  producers.advance(1000); // warm-up
  const start = performance.now();
  producers.advance(SECONDS * 1000);
  const msPerSecond = (performance.now() - start) / SECONDS;
  const [t] = producers.totals();
  return { msPerSecond, t, heldMiB: stream.budget.payloadBytes / 1024 / 1024 };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** KPL rows: aggregation + collection on 16 shards and on 1 shard, against plain PutRecords. */
export function kplBenchRows(): BenchRow[] {
  const plain = run(128, base);
  const rows: BenchRow[] = [];
  for (const [label, shards, spec] of [
    ['KPL aggregation + collection, 16 shards', 16, { ...base, kpl }],
    ['KPL aggregation, no collection, 16 shards', 16, { ...base, kpl: { ...kpl, collection: false } }],
    ['KPL aggregation + collection, 1 shard (aggregates throttled)', 1, { ...base, kpl }],
  ] as const) {
    const r = run(shards, spec);
    const k = r.t?.kpl;
    rows.push({
      name: `KPL: 100,000 user rec/s of 100 B, ${label}`,
      value: `${r.msPerSecond.toFixed(0)} ms per virtual s (${(r.msPerSecond / 10).toFixed(1)}% of a core) vs ${plain.msPerSecond.toFixed(0)} ms without KPL (128 shards)`,
      target: `< ${TARGET_MS_PER_SECOND} ms per virtual s (half a core)`,
      pass: r.msPerSecond < TARGET_MS_PER_SECOND,
      note: `user records accepted ${fmt(r.t?.accepted ?? 0)}, throttled ${fmt(r.t?.throttled ?? 0)}; Kinesis records ${fmt(k?.kinesisRecords ?? 0)} (${(k?.aggregationRatio ?? 0).toFixed(0)} user records each); payload held ${r.heldMiB.toFixed(1)} MiB`,
    });
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  for (const row of kplBenchRows())
    console.log(
      `${row.pass === false ? 'MISS' : 'PASS'}  ${row.name}  ${row.value}  target ${row.target}  (${row.note})`,
    );
