/**
 * Snapshot deltas for the page's WebSocket (`npm start`): what changed between the snapshot a page received
 * last and the next one. Most of a snapshot repeats the previous one — the per-shard series (120 s windows)
 * move by one value per virtual second, the layout changes only when shards do — so the server sends a
 * delta (`diffSnapshot`) and the page's relay worker rebuilds the whole snapshot (`applySnapshotDelta`).
 * The two are exact inverses: `applySnapshotDelta(base, diffSnapshot(base, next))` deep-equals `next`, typed
 * arrays value for value, bit for bit (-0 and NaN included).
 *
 * A delta is a patch tree over the snapshot's own shape (ValuePatch), so a field added to the snapshot later
 * travels without a change here. Only two things know the snapshot: the per-shard series, whose rows are
 * predicted by shifting the base's by the seconds that passed (SeriesPatch), and `needsFullSnapshot`, the
 * changes a delta is not worth (or not trusted) for: a new generation, another stream, another shard set,
 * another series window, time going back.
 *
 * Snapshots are treated as immutable once built (the host builds new objects and arrays for every one, and
 * the engine's cached parts — shard layout, lineage, diagnosis — are replaced, never changed in place): a
 * part identical to the base's is not compared further. The server's periodic whole snapshot bounds what a
 * breach of that could cost a page; pageSnapshots.test.ts checks every snapshot of random runs.
 */
import type { SimulationSnapshot } from './protocol';

/** Any typed array a snapshot may carry. */
export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array;

/** Integer differences, in the narrowest array that holds them all. */
export type IntegerSteps = Int8Array | Int16Array | Int32Array;

/**
 * How one value changed. A value left out of a `fields` or `items` patch did not change.
 * - `set`: the new value, whole (new, of another shape, or smaller whole than patched).
 * - `fields`: a plain object; `set` patches its changed keys (new keys included), `drop` lists keys gone.
 * - `items`: an array of the same length; element `at[i]` changed by `patches[i]`.
 * - `elements`: a typed array of the same kind and length; element `at[i]` is now `values[i]`.
 * - `steps`: a Float64Array or an array of numbers, of the same length; element i is now base[i] + steps[i]
 *   (exact: checked when made). Per-shard totals grow by whole records and bytes.
 * - `series`: the per-shard series (see SeriesPatch).
 */
export type ValuePatch =
  | { op: 'set'; value: unknown }
  | FieldsPatch
  | { op: 'items'; at: number[]; patches: ValuePatch[] }
  | { op: 'elements'; at: Uint16Array | Uint32Array; values: NumericArray }
  | { op: 'steps'; steps: IntegerSteps }
  | SeriesPatch;

export interface FieldsPatch {
  op: 'fields';
  set: Record<string, ValuePatch>;
  drop?: string[];
}

/**
 * The per-shard series (`StreamSnapshot.series`: Float32Arrays, shard-major rows of `seconds` values, every
 * field the same length): each row of each field is the base's moved left by `shift` seconds (the seconds
 * that passed), then overwritten from index `from[row]` to the row's end by the next values of
 * `tails[field]` (rows one after another). A steady second adds one value per row; nothing else is sent.
 */
export interface SeriesPatch {
  op: 'series';
  seconds: number;
  shift: number;
  from: Uint8Array | Uint16Array;
  tails: Record<string, Float32Array>;
}

/**
 * Why `next` cannot be sent as a delta on `base`, or undefined when it can. Deltas are kept to what they
 * were built and tested for: the same generation, the same stream, the same shards in the same positions,
 * the same series window, time not going back. Anything else is rare (a reset, a view change, a reshard)
 * and goes whole.
 */
export function needsFullSnapshot(base: SimulationSnapshot, next: SimulationSnapshot): string | undefined {
  if (base.generation !== next.generation) return 'generation';
  const a = base.stream;
  const b = next.stream;
  if (a === null || b === null) return a === b ? undefined : 'stream';
  if (a.streamArn !== b.streamArn) return 'stream';
  if (a.seconds !== b.seconds) return 'seconds';
  if (b.firstSecond < a.firstSecond) return 'time';
  if (a.shards !== b.shards) {
    if (a.shards.length !== b.shards.length) return 'shards';
    for (let i = 0; i < a.shards.length; i++)
      if (a.shards[i]?.shardId !== b.shards[i]?.shardId) return 'shards';
  }
  return undefined;
}

/**
 * What changed from `base` (the snapshot the page holds) to `next`, as a patch of the snapshot's fields
 * (empty `set` when nothing did); undefined when a full snapshot must be sent (see needsFullSnapshot).
 */
export function diffSnapshot(base: SimulationSnapshot, next: SimulationSnapshot): FieldsPatch | undefined {
  if (needsFullSnapshot(base, next) !== undefined) return undefined;
  const shift = next.stream && base.stream ? next.stream.firstSecond - base.stream.firstSecond : 0;
  const seconds = next.stream?.seconds ?? 0;
  const patch = diffFields(base as unknown as Fields, next as unknown as Fields, {
    stream: (a, b) =>
      isPlainObject(a) && isPlainObject(b)
        ? diffFields(a, b, { series: (x, y) => diffSeries(x, y, seconds, shift) })
        : diffValue(a, b),
  });
  return patch ?? { op: 'fields', set: {} };
}

/** `base` with `patch` applied: the snapshot the server diffed against. Throws if they do not fit. */
export function applySnapshotDelta(base: SimulationSnapshot, patch: FieldsPatch): SimulationSnapshot {
  return applyPatch(base, patch) as SimulationSnapshot;
}

type Fields = Record<string, unknown>;
type Differ = (a: unknown, b: unknown) => ValuePatch | undefined;

function isTypedArray(value: unknown): value is NumericArray {
  return (
    ArrayBuffer.isView(value) &&
    !(value instanceof DataView) &&
    !(value instanceof BigInt64Array) &&
    !(value instanceof BigUint64Array)
  );
}

function isPlainObject(value: unknown): value is Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value))
    return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The value `b` as a patch on `a` (any values of the snapshot's kinds: primitives, plain objects, arrays,
 * typed arrays), or undefined if they are the same (SameValue for primitives, bits for typed arrays).
 */
export function diffValue(a: unknown, b: unknown): ValuePatch | undefined {
  if (Object.is(a, b)) return undefined;
  if (isTypedArray(a) && isTypedArray(b)) return diffTyped(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return diffItems(a, b);
  if (isPlainObject(a) && isPlainObject(b)) return diffFields(a, b);
  return { op: 'set', value: b };
}

function diffFields(a: Fields, b: Fields, special: Record<string, Differ> = {}): FieldsPatch | undefined {
  const set: Record<string, ValuePatch> = {};
  let changed = false;
  for (const key of Object.keys(b)) {
    const patch = !Object.hasOwn(a, key)
      ? ({ op: 'set', value: b[key] } as const)
      : (special[key] ?? diffValue)(a[key], b[key]);
    if (!patch) continue;
    set[key] = patch;
    changed = true;
  }
  const drop = Object.keys(a).filter((key) => !Object.hasOwn(b, key));
  if (!changed && drop.length === 0) return undefined;
  return drop.length > 0 ? { op: 'fields', set, drop } : { op: 'fields', set };
}

function diffItems(a: unknown[], b: unknown[]): ValuePatch | undefined {
  if (a.length !== b.length) return { op: 'set', value: b };
  if (b.length > 0 && allNumbers(a) && allNumbers(b)) return diffNumbers(a, b);
  const at: number[] = [];
  const patches: ValuePatch[] = [];
  for (let i = 0; i < b.length; i++) {
    const patch = diffValue(a[i], b[i]);
    if (!patch) continue;
    at.push(i);
    patches.push(patch);
  }
  if (at.length === 0) return undefined;
  // A list remade (the hot keys, each second): the list itself is smaller than patches of every item.
  const patch: ValuePatch = { op: 'items', at, patches };
  return cborBytes(patch) < cborBytes(b) ? patch : { op: 'set', value: b };
}

/** About how many bytes CBOR takes for a value (RFC 8949: heads, UTF-16 length for text): to compare forms. */
function cborBytes(value: unknown): number {
  const head = (n: number) => (n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5);
  if (typeof value === 'number') return cborNumberBytes(value);
  if (typeof value === 'string') return head(value.length) + value.length;
  if (typeof value !== 'object' || value === null) return typeof value === 'bigint' ? 9 : 1;
  if (ArrayBuffer.isView(value)) return 4 + head(value.byteLength) + value.byteLength;
  if (Array.isArray(value)) {
    let bytes = head(value.length);
    for (const item of value) bytes += cborBytes(item);
    return bytes;
  }
  const fields = value as Fields;
  const keys = Object.keys(fields);
  let bytes = head(keys.length);
  for (const key of keys) bytes += head(key.length) + key.length + cborBytes(fields[key]);
  return bytes;
}

function allNumbers(values: unknown[]): values is number[] {
  for (const value of values) if (typeof value !== 'number') return false;
  return true;
}

/** Bytes CBOR takes for a number (RFC 8949 §3.1: an integer's head, else a float cbor2 shortens to 4). */
function cborNumberBytes(value: number): number {
  if (!Number.isSafeInteger(value) || Object.is(value, -0)) return Math.fround(value) === value ? 5 : 9;
  const size = Math.abs(value) - (value < 0 ? 1 : 0);
  return size < 24 ? 1 : size < 0x100 ? 2 : size < 0x10000 ? 3 : size < 0x100000000 ? 5 : 9;
}

/** An array of numbers: as integer steps when they are smaller than the numbers themselves. */
function diffNumbers(a: number[], b: number[]): ValuePatch | undefined {
  let changed = false;
  for (let i = 0; i < b.length && !changed; i++) changed = !same(a[i] as number, b[i] as number);
  if (!changed) return undefined;
  const steps = integerSteps(a, b);
  if (!steps) return { op: 'set', value: b };
  let wholeBytes = 0;
  for (const value of b) wholeBytes += cborNumberBytes(value);
  return steps.byteLength < wholeBytes ? { op: 'steps', steps } : { op: 'set', value: b };
}

/** Whether two numbers are the same value as a typed array keeps them (NaN = NaN, 0 ≠ -0): SameValue. */
function same(x: number, y: number): boolean {
  return x === y ? x !== 0 || 1 / x === 1 / y : Number.isNaN(x) && Number.isNaN(y);
}

function diffTyped(a: NumericArray, b: NumericArray): ValuePatch | undefined {
  if (a.constructor !== b.constructor || a.length !== b.length) return { op: 'set', value: b };
  const changed: number[] = [];
  for (let i = 0; i < b.length; i++) if (!same(a[i] as number, b[i] as number)) changed.push(i);
  if (changed.length === 0) return undefined;
  const n = b.length;
  const indexBytes = n <= 0x10000 ? 2 : 4;
  const sparseBytes = changed.length * (indexBytes + b.BYTES_PER_ELEMENT);
  const steps = b instanceof Float64Array ? integerSteps(a as Float64Array, b) : undefined;
  const stepsBytes = steps ? steps.byteLength : Number.POSITIVE_INFINITY;
  const wholeBytes = b.byteLength;
  if (wholeBytes <= sparseBytes && wholeBytes <= stepsBytes) return { op: 'set', value: b };
  if (steps && stepsBytes < sparseBytes) return { op: 'steps', steps };
  const at = indexBytes === 2 ? Uint16Array.from(changed) : Uint32Array.from(changed);
  const values = new (b.constructor as new (length: number) => NumericArray)(changed.length);
  for (let j = 0; j < changed.length; j++) values[j] = b[changed[j] as number] as number;
  return { op: 'elements', at, values };
}

/**
 * b − a element by element as integers in the narrowest array, when every base[i] + step[i] gives b[i]
 * exactly (per-shard totals grow by whole records and bytes); undefined otherwise.
 */
function integerSteps(a: ArrayLike<number>, b: ArrayLike<number>): IntegerSteps | undefined {
  let low = 0;
  let high = 0;
  for (let i = 0; i < b.length; i++) {
    const step = (b[i] as number) - (a[i] as number);
    if (!Number.isInteger(step) || !same((a[i] as number) + step, b[i] as number)) return undefined;
    if (step < low) low = step;
    if (step > high) high = step;
    if (low < -0x80000000 || high > 0x7fffffff) return undefined;
  }
  const steps =
    low >= -0x80 && high <= 0x7f
      ? new Int8Array(b.length)
      : low >= -0x8000 && high <= 0x7fff
        ? new Int16Array(b.length)
        : new Int32Array(b.length);
  for (let i = 0; i < b.length; i++) steps[i] = (b[i] as number) - (a[i] as number);
  return steps;
}

/** A 32-bit view of a Float32Array's bits, so rows compare as integers (exact and quick). */
function bitsOf(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

/**
 * The stream's `series` (`b`) as a patch on the base's (`a`), `shift` seconds later (next.firstSecond −
 * base.firstSecond); series of another shape are diffed as plain fields.
 */
export function diffSeries(a: unknown, b: unknown, seconds: number, shift: number): ValuePatch | undefined {
  if (!isPlainObject(a) || !isPlainObject(b)) return diffValue(a, b);
  const fields = Object.keys(b);
  const length = (b[fields[0] as string] as { length?: number } | undefined)?.length ?? 0;
  const fits =
    seconds > 0 &&
    seconds <= 0xffff &&
    length % seconds === 0 &&
    fields.length === Object.keys(a).length &&
    fields.every(
      (f) =>
        a[f] instanceof Float32Array &&
        b[f] instanceof Float32Array &&
        a[f].length === length &&
        b[f].length === length,
    );
  if (!fits) return diffFields(a, b);
  const rows = length / seconds;
  const kept = Math.max(0, seconds - shift);
  const from = seconds <= 0xff ? new Uint8Array(rows) : new Uint16Array(rows);
  const before = fields.map((f) => bitsOf(a[f] as Float32Array));
  const after = fields.map((f) => bitsOf(b[f] as Float32Array));
  let tail = 0;
  for (let row = 0; row < rows; row++) {
    const start = row * seconds;
    let first = kept;
    for (let k = 0; k < fields.length; k++) {
      const x = before[k] as Uint32Array;
      const y = after[k] as Uint32Array;
      for (let t = 0; t < first; t++) {
        if (x[start + t + shift] !== y[start + t]) {
          first = t;
          break;
        }
      }
    }
    from[row] = first;
    tail += seconds - first;
  }
  if (tail === 0 && shift === 0) return undefined;
  const tails: Record<string, Float32Array> = {};
  for (const field of fields) {
    const values = b[field] as Float32Array;
    const out = new Float32Array(tail);
    let at = 0;
    for (let row = 0; row < rows; row++) {
      const start = row * seconds;
      out.set(values.subarray(start + (from[row] as number), start + seconds), at);
      at += seconds - (from[row] as number);
    }
    tails[field] = out;
  }
  return { op: 'series', seconds, shift, from, tails };
}

function misfit(patch: ValuePatch, base: unknown): Error {
  return new Error(
    `a snapshot delta (${patch.op}) does not fit the snapshot it was made for (${typeof base})`,
  );
}

/** `base` with `patch` applied; parts the patch leaves alone are `base`'s own (shared, not copied). */
export function applyPatch(base: unknown, patch: ValuePatch): unknown {
  switch (patch.op) {
    case 'set':
      return patch.value;
    case 'fields': {
      if (!isPlainObject(base)) throw misfit(patch, base);
      const out: Fields = { ...base };
      for (const [key, inner] of Object.entries(patch.set)) {
        if (key === '__proto__') throw misfit(patch, base);
        out[key] = applyPatch(base[key], inner);
      }
      for (const key of patch.drop ?? []) delete out[key];
      return out;
    }
    case 'items': {
      if (!Array.isArray(base) || patch.at.length !== patch.patches.length) throw misfit(patch, base);
      const out = base.slice();
      patch.at.forEach((i, j) => {
        if (!Number.isInteger(i) || i < 0 || i >= out.length) throw misfit(patch, base);
        out[i] = applyPatch(base[i], patch.patches[j] as ValuePatch);
      });
      return out;
    }
    case 'elements': {
      if (!isTypedArray(base) || base.constructor !== patch.values.constructor) throw misfit(patch, base);
      const out = base.slice();
      for (let j = 0; j < patch.at.length; j++) {
        const i = patch.at[j] as number;
        if (i >= out.length) throw misfit(patch, base);
        out[i] = patch.values[j] as number;
      }
      return out;
    }
    case 'steps': {
      const typed = base instanceof Float64Array;
      if ((!typed && !(Array.isArray(base) && allNumbers(base))) || base.length !== patch.steps.length)
        throw misfit(patch, base);
      const out = typed ? new Float64Array(base.length) : new Array<number>(base.length);
      for (let i = 0; i < out.length; i++) out[i] = (base[i] as number) + (patch.steps[i] as number);
      return out;
    }
    case 'series':
      return applySeries(base, patch);
  }
}

/** The series rebuilt in one buffer (as the engine builds them, so posting transfers one buffer). */
function applySeries(base: unknown, patch: SeriesPatch): Record<string, Float32Array> {
  const { seconds, shift, from } = patch;
  const fields = Object.keys(patch.tails);
  const rows = from.length;
  const length = rows * seconds;
  if (
    !isPlainObject(base) ||
    Object.keys(base).length !== fields.length ||
    !fields.every((f) => base[f] instanceof Float32Array && base[f].length === length)
  )
    throw misfit(patch, base);
  const kept = Math.max(0, seconds - shift);
  const buffer = new ArrayBuffer(fields.length * length * 4);
  const out: Record<string, Float32Array> = {};
  fields.forEach((field, k) => {
    const before = base[field] as Float32Array;
    const tail = patch.tails[field] as Float32Array;
    const values = new Float32Array(buffer, k * length * 4, length);
    let at = 0;
    for (let row = 0; row < rows; row++) {
      const start = row * seconds;
      const first = from[row] as number;
      if (first > kept) throw misfit(patch, base);
      values.set(before.subarray(start + shift, start + shift + first), start);
      values.set(tail.subarray(at, at + seconds - first), start + first);
      at += seconds - first;
    }
    if (at !== tail.length) throw misfit(patch, base);
    out[field] = values;
  });
  return out;
}

/**
 * `value` with every typed array in it copied (objects and arrays on the way to one are new, the rest
 * shared): what the relay posts with its buffers transferred, keeping its own copy to apply the next delta to.
 */
export function withOwnArrays<T>(value: T): T {
  return copyArrays(value) as T;
}

function copyArrays(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return (value as unknown as { slice(): unknown }).slice();
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item !== 'object' || item === null) continue;
      const copy = copyArrays(item);
      if (copy === item) continue;
      out ??= value.slice();
      out[i] = copy;
    }
    return out ?? value;
  }
  if (isPlainObject(value)) {
    let out: Fields | undefined;
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (typeof item !== 'object' || item === null) continue;
      const copy = copyArrays(item);
      if (copy === item) continue;
      out ??= { ...value };
      out[key] = copy;
    }
    return out ?? value;
  }
  return value;
}
