/**
 * Engine benchmarks (Node only, engine only). Run with `npm run bench` (`tsx --expose-gc bench/run.ts`):
 * heap figures need `gc()`, so without --expose-gc they are marked as unreliable. Prints one table.
 * Every part is bounded in records, so the whole run takes well under two minutes on two cores; the endpoint
 * part (bench/endpoint.ts: the AWS SDK against Shardlab's server and a null server) runs for about 30 s.
 */

import { createStreamHashRanges } from '../src/engine/hashKey';
import { createEngine, type Engine, encodeBase64 } from '../src/engine/index';
import { md5Utf8Words } from '../src/engine/md5';
import type { Stream } from '../src/engine/stream';
import { endpointBenchRows } from './endpoint';
import { kplBenchRows } from './kpl';
import { retryBenchRows } from './retries';
import { simulationBenchRows } from './simulation';

const gc = (globalThis as { gc?: () => void }).gc;

interface Row {
  name: string;
  value: string;
  target: string;
  pass?: boolean;
  note?: string;
}
const rows: Row[] = [];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function measure(run: () => number): { seconds: number; count: number } {
  const start = performance.now();
  const count = run();
  return { seconds: (performance.now() - start) / 1000, count };
}

function heapUsed(): number {
  gc?.();
  gc?.();
  // Typed arrays live outside the JS heap: count their backing stores too.
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function streamOf(engine: Engine, name: string): Stream {
  const stream = engine.core.stream(name);
  if (!stream) throw new Error(`no stream ${name}`);
  return stream;
}

/** An ACTIVE stream of `shards` shards; above the 500-shard account limit, shards are laid out directly. */
function activeStream(engine: Engine, name: string, shards: number): Stream {
  const result = engine.call('CreateStream', { StreamName: name, ShardCount: Math.min(shards, 500) });
  if (!result.ok) throw new Error(result.error.message);
  const stream = streamOf(engine, name);
  if (shards > 500) {
    // The bench only: the account limit stops CreateStream at 500 shards.
    stream.shards.length = 0;
    for (const range of createStreamHashRanges(shards)) stream.addShard(range.start, range.end, engine.now());
    stream.reindexOpenShards();
  }
  return stream;
}

// ---------------------------------------------------------------- 1. MD5 and the typed write path

const KEY_COUNT = 1_000_000;
const keys = Array.from({ length: KEY_COUNT }, (_, i) => `user-${i}`);

function benchMd5(): number {
  const out = new Uint32Array(4);
  let sink = 0;
  const t = measure(() => {
    for (let i = 0; i < KEY_COUNT; i++) sink ^= (md5Utf8Words(keys[i] as string, out)[0] as number) | 0;
    return KEY_COUNT;
  });
  if (sink === 42) console.log('');
  return t.count / t.seconds;
}

/**
 * engine.core.putRecordFast(stream, key, bytes) for 1M distinct keys on 4 shards, virtual time advancing with
 * the writes so every record is accepted and retained: MD5 routing, throttling, storage, metrics, hot keys.
 */
function benchPutRecordFast(): { rate: number; accepted: number } {
  const engine = createEngine({ transitionMs: 0 });
  const stream = activeStream(engine, 'fast', 4);
  const core = engine.core;
  const t = measure(() => {
    for (let i = 0; i < KEY_COUNT; i++) {
      core.putRecordFast(stream, keys[i] as string, 100);
      if ((i & 1023) === 1023) engine.advanceTime(256);
    }
    return KEY_COUNT;
  });
  if (stream.retainedRecords !== KEY_COUNT) throw new Error(`retained ${stream.retainedRecords}`);
  return { rate: t.count / t.seconds, accepted: core.counters.accepted };
}

/** Intern + route + writeRecord for 1M distinct keys on 4 shards (the interning path, for comparison). */
function benchCorePath(): { rate: number; accepted: number } {
  const engine = createEngine({ transitionMs: 0 });
  const stream = activeStream(engine, 'core', 4);
  const core = engine.core;
  const t = measure(() => {
    for (let i = 0; i < KEY_COUNT; i++) {
      const id = stream.keys.intern(keys[i] as string);
      core.writeRecord(stream, core.routeKey(stream, id), id, 100);
      if ((i & 1023) === 1023) engine.advanceTime(256);
    }
    return KEY_COUNT;
  });
  return { rate: t.count / t.seconds, accepted: core.counters.accepted };
}

/** engine.call('PutRecord', …): full validation, typed request, sequence number formatting. */
function benchTypedCall(): number {
  const engine = createEngine({ transitionMs: 0 });
  activeStream(engine, 'typed', 4);
  const n = 300_000;
  const data = new Uint8Array(100);
  const t = measure(() => {
    for (let i = 0; i < n; i++) {
      engine.call('PutRecord', { StreamName: 'typed', PartitionKey: keys[i] as string, Data: data });
      if ((i & 1023) === 1023) engine.advanceTime(256);
    }
    return n;
  });
  return t.count / t.seconds;
}

// ---------------------------------------------------------------- 2. records/s on 4 shards

function benchFourShards(throttleAll: boolean): { rate: number; accepted: number; throttled: number } {
  const engine = createEngine({ transitionMs: 0, recordDetailBudget: 1_000_000 });
  const stream = activeStream(engine, 'four', 4);
  const core = engine.core;
  const pool = 4096;
  const ids = Array.from({ length: pool }, (_, i) => core.pinKey(stream, `producer-${i}`));
  const routes = ids.map((id) => core.routeKey(stream, id));
  const n = 3_000_000;
  const t = measure(() => {
    for (let i = 0; i < n; i++) {
      const k = i & (pool - 1);
      core.writeRecord(stream, routes[k] as number, ids[k] as number, 100);
      if (!throttleAll && (i & 1023) === 1023) engine.advanceTime(256);
    }
    return n;
  });
  return { rate: t.count / t.seconds, accepted: core.counters.accepted, throttled: core.counters.throttled };
}

// ---------------------------------------------------------------- 3. Zipf on 1,000 shards

function zipfSampler(n: number, s: number, seed: number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 1 / (i + 1) ** s;
    cdf[i] = sum;
  }
  for (let i = 0; i < n; i++) cdf[i] = (cdf[i] as number) / sum;
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let z = Math.imul(state ^ (state >>> 15), 1 | state);
    z = (z + Math.imul(z ^ (z >>> 7), 61 | z)) ^ z;
    const u = ((z ^ (z >>> 14)) >>> 0) / 4294967296;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function benchZipf(): { rate: number; accepted: number; throttled: number } {
  const engine = createEngine({ transitionMs: 0, recordDetailBudget: 2_000_000 });
  const stream = activeStream(engine, 'zipf', 1000);
  const core = engine.core;
  const keyCount = 10_000;
  const ids = Int32Array.from({ length: keyCount }, (_, i) => core.pinKey(stream, `customer-${i}`));
  const routes = Int32Array.from(ids, (id) => core.routeKey(stream, id));
  const n = 5_000_000;
  const sample = zipfSampler(keyCount, 1.1, 12345);
  const draws = Int32Array.from({ length: 1 << 20 }, () => sample());
  const t = measure(() => {
    for (let i = 0; i < n; i++) {
      const k = draws[i & ((1 << 20) - 1)] as number;
      core.writeRecord(stream, routes[k] as number, ids[k] as number, 200);
      if ((i & 4095) === 4095) engine.advanceTime(4);
    }
    return n;
  });
  return { rate: t.count / t.seconds, accepted: core.counters.accepted, throttled: core.counters.throttled };
}

// ---------------------------------------------------------------- 4. the wire path

function benchDispatch(): number {
  const engine = createEngine({ transitionMs: 0 });
  activeStream(engine, 'wire', 4);
  const n = 200_000;
  const data = encodeBase64(new Uint8Array(100).fill(65));
  const bodies = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ StreamName: 'wire', PartitionKey: keys[i], Data: data }),
  );
  let ok = 0;
  const t = measure(() => {
    for (let i = 0; i < n; i++) {
      if (engine.dispatch('Kinesis_20131202.PutRecord', bodies[i] as string).status === 200) ok++;
      if ((i & 1023) === 1023) engine.advanceTime(256);
    }
    return n;
  });
  if (ok < n / 2) throw new Error(`dispatch bench: only ${ok} of ${n} accepted`);
  return t.count / t.seconds;
}

// ---------------------------------------------------------------- 5. memory

/** Writes `n` records through the fast path on 50 shards with 10,000 pinned keys (no payloads). */
function fill(engine: Engine, stream: Stream, n: number, keysPool: Int32Array, routes: Int32Array): void {
  const core = engine.core;
  for (let i = 0; i < n; i++) {
    const k = i % keysPool.length;
    core.writeRecord(stream, routes[k] as number, keysPool[k] as number, 100);
    if ((i & 4095) === 4095) engine.advanceTime(200);
  }
}

function memoryEngine(budget: number) {
  const engine = createEngine({ transitionMs: 0, recordDetailBudget: budget });
  const stream = activeStream(engine, 'mem', 50);
  const ids = Int32Array.from({ length: 10_000 }, (_, i) => engine.core.pinKey(stream, `device-${i}`));
  const routes = Int32Array.from(ids, (id) => engine.core.routeKey(stream, id));
  return { engine, stream, ids, routes };
}

function benchHeapPerRecord(): { perRecord: number; retained: number } {
  const { engine, stream, ids, routes } = memoryEngine(Number.POSITIVE_INFINITY);
  const before = heapUsed();
  fill(engine, stream, 5_000_000, ids, routes);
  const after = heapUsed();
  const retained = stream.retainedRecords;
  if (stream.detailRecords !== retained) throw new Error('records were released: raise the budget');
  return { perRecord: (after - before) / retained, retained };
}

function benchPlateau(): number[] {
  const { engine, stream, ids, routes } = memoryEngine(1_000_000);
  const base = heapUsed();
  const heaps: number[] = [];
  for (let m = 0; m < 3; m++) {
    fill(engine, stream, 1_000_000, ids, routes);
    heaps.push(heapUsed() - base);
  }
  if (stream.retainedRecords < 2_900_000) throw new Error(`retained only ${stream.retainedRecords}`);
  if (stream.detailRecords > 1_000_000) throw new Error(`detail ${stream.detailRecords} over the budget`);
  return heaps;
}

// ---------------------------------------------------------------- run

async function main(): Promise<void> {
  const started = performance.now();
  // Warm up the JIT on the hot paths before measuring.
  benchMd5();
  const md5Rate = benchMd5();
  rows.push({
    name: 'bare MD5 loop (md5Utf8Words), same 1M user-N keys, before',
    value: `${fmt(md5Rate)} keys/s`,
    target: '—',
  });

  benchPutRecordFast();
  const fast = benchPutRecordFast();
  // MD5 again right after, so the ratio compares like with like (same run, same JIT and heap state).
  const md5After = benchMd5();
  const md5Both = Math.max(md5Rate, md5After);
  rows.push({
    name: 'bare MD5 loop again, after the fast-path run',
    value: `${fmt(md5After)} keys/s`,
    target: '—',
    note: `baseline = max = ${fmt(md5Both)} keys/s`,
  });
  rows.push({
    name: 'PutRecord fast path: core.putRecordFast(stream, key, 100) (1M distinct keys)',
    value: `${fmt(fast.rate)} rec/s = ${((fast.rate / md5Both) * 100).toFixed(0)}% of MD5`,
    target: '≥ 50% of MD5',
    pass: fast.rate >= md5Both * 0.5,
    note: `${fmt(fast.accepted)} of 1M accepted and retained`,
  });
  benchCorePath();
  const core = benchCorePath();
  rows.push({
    name: 'intern + routeKey + writeRecord (1M distinct keys, interned)',
    value: `${fmt(core.rate)} rec/s = ${((core.rate / md5Both) * 100).toFixed(0)}% of MD5`,
    target: '(reported)',
    note: `${fmt(core.accepted)} of 1M accepted`,
  });
  benchTypedCall();
  const typed = benchTypedCall();
  rows.push({
    name: "engine.call('PutRecord', …) (validation, sequence number)",
    value: `${fmt(typed)} rec/s = ${((typed / md5Both) * 100).toFixed(0)}% of MD5`,
    target: '(reported)',
  });

  const four = benchFourShards(false);
  rows.push({
    name: '4 shards, pinned keys, virtual time advancing',
    value: `${fmt(four.rate)} rec/s`,
    target: '≥ 1,000,000',
    pass: four.rate >= 1_000_000,
    note: `${fmt(four.accepted)} accepted, ${fmt(four.throttled)} throttled`,
  });
  const throttled = benchFourShards(true);
  rows.push({
    name: '4 shards, all throttled (time frozen)',
    value: `${fmt(throttled.rate)} rec/s`,
    target: '≥ 1,000,000',
    pass: throttled.rate >= 1_000_000,
    note: `${fmt(throttled.accepted)} accepted, ${fmt(throttled.throttled)} throttled`,
  });

  const zipf = benchZipf();
  rows.push({
    name: 'Zipf(1.1) over 10,000 pinned keys, 1,000 shards',
    value: `${fmt(zipf.rate)} rec/s`,
    target: '≥ 2,000,000',
    pass: zipf.rate >= 2_000_000,
    note: `${fmt(zipf.accepted)} accepted, ${fmt(zipf.throttled)} throttled`,
  });

  benchDispatch();
  const wire = benchDispatch();
  rows.push({
    name: 'dispatch PutRecord (JSON + base64, 100-byte data)',
    value: `${fmt(wire)} calls/s`,
    target: '≥ 150,000',
    pass: wire >= 150_000,
  });

  const heap = benchHeapPerRecord();
  rows.push({
    name: `heap per retained record (${fmt(heap.retained)} records, detail kept)`,
    value: `${heap.perRecord.toFixed(1)} bytes`,
    target: '≤ 32 bytes',
    pass: gc ? heap.perRecord <= 32 : undefined,
    note: gc ? undefined : 'no gc(): run with --expose-gc',
  });
  const plateau = benchPlateau();
  const mb = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;
  rows.push({
    name: 'heap with budget 1M after 1M / 2M / 3M records',
    value: plateau.map(mb).join(' / '),
    target: 'plateau at the budget',
    pass: gc ? (plateau[2] as number) < (plateau[0] as number) * 1.25 + 4 * 1048576 : undefined,
  });

  // Producers on the virtual clock and snapshot building (bench/simulation.ts).
  rows.push(...simulationBenchRows());
  rows.push(...retryBenchRows());
  rows.push(...kplBenchRows());

  // The Kinesis endpoint over loopback, against a null server (bench/endpoint.ts; servers in child processes).
  rows.push(...(await endpointBenchRows()));

  const width = Math.max(...rows.map((r) => r.name.length));
  const valueWidth = Math.max(...rows.map((r) => r.value.length));
  console.log(`Shardlab engine bench — node ${process.version}, gc ${gc ? 'exposed' : 'NOT exposed'}\n`);
  for (const r of rows) {
    const verdict = r.pass === undefined ? '    ' : r.pass ? 'PASS' : 'MISS';
    console.log(
      `${verdict}  ${r.name.padEnd(width)}  ${r.value.padEnd(valueWidth)}  target ${r.target}${r.note ? `  (${r.note})` : ''}`,
    );
  }
  console.log(
    '\n"% of MD5" compares with the bare MD5 loop: md5Utf8Words over the same 1M user-N keys, in this process,',
  );
  console.log(
    'measured right before and right after the fast-path run; the faster (max) of the two is the baseline.',
  );
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
