// @vitest-environment node
// The patch algebra on its own: apply(a, diff(a, b)) gives b for any values of the snapshot's kinds, bit
// for bit, and each patch form is chosen where it is smaller. The snapshot-level property (a real host,
// through the wire) is pageCodec.test.ts's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyPatch,
  diffSeries,
  diffValue,
  type SeriesPatch,
  type ValuePatch,
  withOwnArrays,
} from './snapshotDelta';

/** apply(a, diff(a, b)), with `a` unchanged by it. */
function roundTrip(a: unknown, b: unknown): { result: unknown; patch: ValuePatch | undefined } {
  const before = structuredClone(a);
  const patch = diffValue(a, b);
  const result = patch ? applyPatch(a, patch) : a;
  expect(a).toStrictEqual(before);
  return { result, patch };
}

/** Values shaped like a snapshot's parts: primitives (-0 and NaN included), objects, arrays, typed arrays. */
const valueArb = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(
      fc.double(),
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.constantFrom(-0, 0, Number.NaN, null, undefined, true, ''),
      fc.string({ maxLength: 4 }),
    ),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('value'), { maxKeys: 4, noNullPrototype: true }),
    fc.float64Array({ maxLength: 6 }),
    fc.float32Array({ maxLength: 6 }),
    fc.int32Array({ maxLength: 6 }),
  ),
})).value;

/** Two related values: `b` is `a` with some leaves changed, so patches are deep, not just 'set'. */
function mutate(value: unknown, pick: number[]): unknown {
  const next = pick.shift() ?? 0;
  if (Array.isArray(value))
    return value.map((item, i) => (i === next % (value.length || 1) ? mutate(item, pick) : item));
  if (value instanceof Float64Array || value instanceof Float32Array || value instanceof Int32Array) {
    const copy = value.slice();
    if (copy.length > 0) copy[next % copy.length] = (copy[next % copy.length] as number) + (next % 7) - 3;
    return copy;
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    const out: Record<string, unknown> = { ...value };
    if (keys.length === 0 || next % 5 === 0) out[`k${next % 3}`] = next;
    else if (next % 5 === 1) delete out[keys[next % keys.length] as string];
    else {
      const key = keys[next % keys.length] as string;
      out[key] = mutate(out[key], pick);
    }
    return out;
  }
  return typeof value === 'number' ? value + next : next;
}

describe('snapshot deltas: the patch algebra', () => {
  it('rebuilds any value from any other, and related values through deep patches', () => {
    fc.assert(
      fc.property(valueArb, valueArb, (a, b) => {
        expect(roundTrip(a, b).result).toStrictEqual(b);
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(valueArb, fc.array(fc.nat(50), { maxLength: 6 }), (a, pick) => {
        const b = mutate(a, [...pick]);
        expect(roundTrip(a, b).result).toStrictEqual(b);
      }),
      { numRuns: 400 },
    );
  });

  it('sends nothing for equal values, and keeps -0, NaN and keys whose value is undefined', () => {
    expect(
      diffValue(
        { a: [1, { b: 'x' }], c: new Float64Array([1]) },
        { a: [1, { b: 'x' }], c: new Float64Array([1]) },
      ),
    ).toBeUndefined();
    expect(roundTrip(new Float64Array([0, 1]), new Float64Array([-0, Number.NaN])).result).toStrictEqual(
      new Float64Array([-0, Number.NaN]),
    );
    expect(roundTrip([0], [-0]).result).toStrictEqual([-0]);
    expect(Object.is((roundTrip({ x: 0 }, { x: -0 }).result as { x: number }).x, -0)).toBe(true);
    const { result } = roundTrip({ a: 1 }, { a: 1, parentShardId: undefined });
    expect(Object.hasOwn(result as object, 'parentShardId')).toBe(true);
    expect(roundTrip({ a: 1, gone: 2 }, { a: 1 }).patch).toEqual({ op: 'fields', set: {}, drop: ['gone'] });
  });

  it('sends per-shard totals as their integer steps, in the narrowest array', () => {
    const base = Float64Array.from({ length: 2000 }, (_, i) => 1e9 + i * 1000);
    const next = base.map((v, i) => v + (i % 100));
    const { patch, result } = roundTrip(base, next);
    expect(patch?.op).toBe('steps');
    expect(patch?.op === 'steps' && patch.steps).toBeInstanceOf(Int8Array);
    expect(result).toStrictEqual(next);
    // Bytes grow by more than 127: 16 bits.
    const bytes = roundTrip(
      base,
      base.map((v) => v + 30_000),
    ).patch;
    expect(bytes?.op === 'steps' && bytes.steps).toBeInstanceOf(Int16Array);
    // A step that is not a whole number, or not exact, is not sent as one.
    const fraction = roundTrip(
      base,
      base.map((v) => v + 0.5),
    );
    expect(fraction.patch?.op).toBe('set');
    expect(fraction.result).toStrictEqual(base.map((v) => v + 0.5));
    const huge = Float64Array.from([2 ** 53, 1]);
    expect(roundTrip(huge, Float64Array.from([2 ** 53 + 2, 2])).result).toStrictEqual(
      Float64Array.from([2 ** 53 + 2, 2]),
    );
    // A producer's per-shard counts (plain numbers) too.
    const counts = Array.from({ length: 500 }, (_, i) => 70_000 + i);
    const moved = counts.map((v, i) => v + (i % 3));
    const plain = roundTrip(counts, moved);
    expect(plain.patch?.op).toBe('steps');
    expect(plain.result).toStrictEqual(moved);
    expect(Array.isArray(plain.result)).toBe(true);
  });

  it('sends a few changed elements of a long typed array by index', () => {
    const base = new Float64Array(1000).map((_, i) => i / 3);
    const next = base.slice();
    next[7] = Math.PI;
    next[900] = -0;
    const { patch, result } = roundTrip(base, next);
    expect(patch?.op).toBe('elements');
    expect(result).toStrictEqual(next);
    // Another kind or length is sent whole.
    expect(roundTrip(base, new Float32Array(1000)).patch?.op).toBe('set');
    expect(roundTrip(base, base.subarray(1)).patch?.op).toBe('set');
  });

  it('refuses a patch that does not fit the value it is applied to', () => {
    expect(() => applyPatch([1, 2], { op: 'fields', set: {} })).toThrow(/does not fit/);
    expect(() => applyPatch(new Float64Array(2), { op: 'steps', steps: new Int8Array(3) })).toThrow(
      /does not fit/,
    );
    expect(() =>
      applyPatch(new Float32Array(2), {
        op: 'elements',
        at: new Uint16Array([5]),
        values: new Float32Array([1]),
      }),
    ).toThrow(/does not fit/);
    expect(() =>
      applyPatch({}, { op: 'fields', set: JSON.parse('{"__proto__": {"op": "set", "value": 1}}') }),
    ).toThrow(/does not fit/);
  });

  it('copies every typed array for posting, sharing what has none', () => {
    const shards = [{ shardId: 'a' }];
    const value = { stream: { accepted: new Float64Array([1]), shards }, list: [new Int32Array([2])] };
    const copy = withOwnArrays(value);
    expect(copy).toStrictEqual(value);
    expect(copy.stream.accepted).not.toBe(value.stream.accepted);
    expect(copy.list[0]).not.toBe(value.list[0]);
    expect(copy.stream.shards).toBe(shards);
  });
});

/** Series like the snapshot's: `rows` shard-major rows of `seconds` values per field, in one buffer. */
function series(rows: number, seconds: number, value: (field: number, row: number, t: number) => number) {
  const fields = ['incomingRecords', 'incomingBytes', 'throttledRecords'];
  const length = rows * seconds;
  const buffer = new ArrayBuffer(fields.length * length * 4);
  return Object.fromEntries(
    fields.map((field, k) => [
      field,
      new Float32Array(buffer, k * length * 4, length).map((_, i) =>
        value(k, Math.floor(i / seconds), i % seconds),
      ),
    ]),
  ) as Record<string, Float32Array>;
}

describe('snapshot deltas: the per-shard series', () => {
  const seconds = 120;
  // Second s of shard r, field k (epoch seconds), so a window starting at `first` is value(k, r, first + t).
  const truth = (k: number, r: number, s: number) => (k + 1) * 1000 + r * 7 + (s % 97);
  const window = (rows: number, first: number) => series(rows, seconds, (k, r, t) => truth(k, r, first + t));

  /** The series patch from the stream's `series` field (as diffSnapshot makes it), applied. */
  function seriesRoundTrip(a: Record<string, Float32Array>, b: Record<string, Float32Array>, shift: number) {
    const patch = diffSeries(a, b, seconds, shift);
    const result = patch ? (applyPatch(a, patch) as Record<string, Float32Array>) : a;
    expect(result).toStrictEqual(b);
    return patch;
  }

  it('sends one value per shard and field when one second passed, and nothing within the second', () => {
    const a = window(200, 1000);
    const b = window(200, 1001);
    const patch = seriesRoundTrip(a, b, 1) as SeriesPatch;
    expect(patch.op).toBe('series');
    expect(patch.from).toBeInstanceOf(Uint8Array);
    expect([...new Set(patch.from)]).toEqual([seconds - 1]);
    expect(patch.tails.incomingRecords).toHaveLength(200);
    expect(seriesRoundTrip(a, window(200, 1000), 0)).toBeUndefined();
  });

  it('follows a jump of many seconds, one past the window, and changes anywhere in a row', () => {
    const a = window(20, 1000);
    expect((seriesRoundTrip(a, window(20, 1090), 90) as SeriesPatch).tails.incomingBytes).toHaveLength(
      20 * 90,
    );
    seriesRoundTrip(a, window(20, 1000 + seconds + 5), seconds + 5);
    const changed = window(20, 1003);
    (changed.throttledRecords as Float32Array)[5 * seconds + 10] = -0;
    (changed.incomingRecords as Float32Array)[19 * seconds] = Number.NaN;
    const patch = seriesRoundTrip(a, changed, 3) as SeriesPatch;
    expect(patch.from[5]).toBe(10);
    expect(patch.from[19]).toBe(0);
    expect(patch.from[0]).toBe(seconds - 3);
  });
});
