/**
 * The engine cost of KPL aggregation at 100,000 user records/s (Node, engine only, record by record):
 * `npx tsx bench/kpl.ts`. Each case advances 10 virtual seconds after 1 s of warm-up and prints wall ms per
 * virtual second. Not part of `npm run bench` (run it on its own: it takes about half a minute).
 */

import { createEngine } from '../src/engine/index';
import { ProducerSet, type ProducerSpec } from '../src/engine/producers/producerSet';

const RATE = 100_000;
const SECONDS = 10;

const base: ProducerSpec = {
  name: 'bench',
  api: 'PutRecords',
  batchSize: 500,
  payloadBytes: { min: 100, max: 100 },
  rate: RATE,
  distribution: { kind: 'uniform', keyCount: 10_000 },
};

function run(label: string, shards: number, spec: ProducerSpec): void {
  const engine = createEngine({ seed: 1, transitionMs: 0 });
  engine.call('CreateStream', { StreamName: 's', ShardCount: shards });
  const stream = engine.core.stream('s');
  if (!stream) throw new Error('no stream');
  const producers = new ProducerSet(engine.core, stream);
  producers.add(spec);
  producers.advance(1000); // warm-up
  const start = performance.now();
  producers.advance(SECONDS * 1000);
  const ms = performance.now() - start;
  const [t] = producers.totals();
  const k = t?.kpl;
  const heldMiB = stream.payloadBudget.heldBytes / 1024 / 1024;
  console.log(
    [
      label.padEnd(44),
      `${(ms / SECONDS).toFixed(1).padStart(7)} ms per virtual s`,
      `user accepted ${String(t?.accepted).padStart(9)}`,
      `throttled ${String(t?.throttled).padStart(9)}`,
      k ? `Kinesis records ${k.kinesisRecords} (${k.aggregationRatio.toFixed(0)} user/Kinesis)` : '',
      k ? `payload held ${heldMiB.toFixed(1)} MiB` : '',
    ].join('  '),
  );
}

const kpl = { aggregationMaxBytes: 51_200, collection: true };
run('no KPL, PutRecords of 500, 16 shards', 16, base);
run('no KPL, PutRecords of 500, 128 shards', 128, base);
run('KPL aggregation + collection, 16 shards', 16, { ...base, kpl });
run('KPL aggregation, no collection, 16 shards', 16, { ...base, kpl: { ...kpl, collection: false } });
run('KPL aggregation + collection, 1 shard', 1, { ...base, kpl });
