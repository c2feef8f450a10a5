import type { KeyTable } from './keyTable';
import { HOT_KEY_CAPACITY, HOT_KEY_EXACT_KEYS, HOT_KEY_SKETCH_WIDTH } from './limits';

/** One entry of the hottest partition keys. */
export interface HotKey {
  partitionKey: string;
  /** The key's 128-bit hash key (MD5), 4 big-endian words. */
  hashKey: Uint32Array;
  /** Attempts counted for this key (accepted + throttled); never below the true count, above it by ≤ `error`. */
  count: number;
  /** Throttled attempts counted while the key was monitored (exact while `error` is 0, else a lower bound). */
  throttled: number;
  /** How much `count` may over-estimate the true count. 0 means exact. */
  error: number;
}

/** Sizes of a HotKeySketch (the defaults come from limits.ts). */
export interface HotKeySketchOptions {
  /** Keys monitored individually once counting is no longer exact (the top-k heap). */
  capacity?: number;
  /** Distinct keys counted exactly before switching to the count-min sketch; at least `capacity`. */
  exactKeys?: number;
  /** Counters per count-min row, a power of two. */
  width?: number;
}

const ROWS = 4;

/**
 * The hottest partition keys of a stream, identified by their MD5 hash key (no key ids, no reference counts,
 * no string map: the write path has the hash words already).
 *
 * - **Exact** while the stream has seen at most `exactKeys` distinct keys: one counter per key.
 * - Beyond, a **count-min sketch** (Cormode & Muthukrishnan, 2005) with conservative update: 4 rows of
 *   `width` counters, row r indexed by hash word r, so no extra hashing. A min-heap of the `capacity`
 *   hottest keys counts its members exactly; a key outside it is admitted, replacing the minimum, only when
 *   its estimate beats the minimum and the noise floor total/width. An evicted key's count is folded back
 *   into its counters, so estimates never under-count.
 *
 * Guarantees: a listed `count` is never below the key's true count and over-estimates it by at most `error`
 * (the estimate the key was admitted with, less the admitting attempt). With probability ≥ 1 − e⁻⁴ (98%)
 * per key, an estimate exceeds the true count by at most e·total/width (total/3,000 at the default width),
 * so keys whose share is well above that and above 1/capacity of the attempts are listed. Memory is fixed:
 * at most `exactKeys` entries, then 4 × width counters and `capacity` entries.
 */
export class HotKeySketch {
  readonly capacity: number;
  readonly exactKeys: number;
  readonly width: number;
  /** Attempts counted. */
  total = 0;

  // Entries: 4 hash words, count, error, throttled and key string each.
  private words: Uint32Array;
  private counts: Float64Array;
  private errors: Float64Array;
  private throttledCounts: Float64Array;
  private names: string[] = [];
  private size = 0;
  /** Open addressing on hash word 1 (linear probing, load ≤ 1/2): slot = entry + 1, 0 = empty. */
  private slots: Int32Array;

  /** Count-min counters, row-major, once counting is no longer exact; null while exact. */
  private rows: Float64Array | null = null;
  /** Min-heap of entries by count (sketch mode), and each entry's heap position. */
  private heap = new Int32Array(0);
  private posOf = new Int32Array(0);

  private readonly keys: KeyTable;

  constructor(keys: KeyTable, options: HotKeySketchOptions = {}) {
    this.keys = keys;
    this.capacity = options.capacity ?? HOT_KEY_CAPACITY;
    this.exactKeys = Math.max(this.capacity, options.exactKeys ?? HOT_KEY_EXACT_KEYS);
    this.width = options.width ?? HOT_KEY_SKETCH_WIDTH;
    const initial = Math.min(64, this.exactKeys);
    this.words = new Uint32Array(4 * initial);
    this.counts = new Float64Array(initial);
    this.errors = new Float64Array(initial);
    this.throttledCounts = new Float64Array(initial);
    this.slots = new Int32Array(slotCountFor(initial));
  }

  /** Whether every count is exact (at most `exactKeys` distinct keys seen). */
  get exact(): boolean {
    return this.rows === null;
  }

  /** Number of distinct keys currently monitored. */
  get monitored(): number {
    return this.size;
  }

  /** Counts `count` attempts of an interned key, `throttled` of them throttled. */
  addKey(keyId: number, count: number, throttled: number): void {
    const words = this.keys.hashWords;
    const o = keyId * 4;
    this.total += count;
    const found = this.find(words, o);
    if (found >= 0) this.bump(found, count, throttled);
    else this.addNew(words, o, this.keys.keyOf(keyId), count, throttled);
  }

  /** Counts `count` attempts of `key`, whose hash key is at `words[offset..offset+3]`. */
  addHash(words: Uint32Array, offset: number, key: string, count: number, throttled: number): void {
    this.total += count;
    const found = this.find(words, offset);
    if (found >= 0) this.bump(found, count, throttled);
    else this.addNew(words, offset, key, count, throttled);
  }

  /** A monitored key: its count is exact from now on. */
  private bump(e: number, count: number, throttled: number): void {
    this.counts[e] = (this.counts[e] as number) + count;
    if (throttled !== 0) this.throttledCounts[e] = (this.throttledCounts[e] as number) + throttled;
    if (this.rows !== null) this.siftDown(this.posOf[e] as number);
  }

  /** A key not monitored: a new exact entry, or counted in the sketch and admitted if it beats the heap. */
  private addNew(words: Uint32Array, o: number, key: string, count: number, throttled: number): void {
    if (this.rows === null) {
      if (this.size < this.exactKeys) {
        this.insert(words, o, key, count, 0, throttled);
        return;
      }
      this.toSketch();
    }
    const estimate = this.sketchAdd(words, o, count);
    const root = this.heap[0] as number;
    if (estimate > (this.counts[root] as number) && estimate * this.width > this.total)
      this.admit(root, words, o, key, estimate, count, throttled);
  }

  /** Replaces the heap's minimum `root` by a key with this estimate. */
  private admit(
    root: number,
    words: Uint32Array,
    o: number,
    key: string,
    estimate: number,
    count: number,
    throttled: number,
  ): void {
    this.foldIntoSketch(root);
    this.removeSlot(root);
    this.setEntry(root, words, o, key, estimate, estimate - count, throttled);
    this.placeSlot(root);
    this.siftDown(0);
  }

  /** The `limit` hottest keys, hottest first (ties: first seen first). */
  top(limit: number): HotKey[] {
    const order = Array.from({ length: this.size }, (_, i) => i).sort(
      (a, b) => (this.counts[b] as number) - (this.counts[a] as number) || a - b,
    );
    return order.slice(0, limit).map((e) => ({
      partitionKey: this.names[e] as string,
      hashKey: this.words.slice(e * 4, e * 4 + 4),
      count: this.counts[e] as number,
      throttled: this.throttledCounts[e] as number,
      error: this.errors[e] as number,
    }));
  }

  // ---------------------------------------------------------------- entries and their index

  private find(words: Uint32Array, o: number): number {
    const w0 = words[o] as number;
    const w1 = words[o + 1] as number;
    const slots = this.slots;
    const mask = slots.length - 1;
    const own = this.words;
    let p = w1 & mask;
    for (;;) {
      const slot = slots[p] as number;
      if (slot === 0) return -1;
      const b = (slot - 1) * 4;
      if (own[b + 1] === w1 && own[b] === w0 && own[b + 2] === words[o + 2] && own[b + 3] === words[o + 3])
        return slot - 1;
      p = (p + 1) & mask;
    }
  }

  /** A new entry (exact mode). */
  private insert(
    words: Uint32Array,
    o: number,
    key: string,
    count: number,
    error: number,
    throttled: number,
  ): void {
    const e = this.size;
    if (e >= this.counts.length) this.growEntries(Math.min(this.exactKeys, e * 2));
    this.size = e + 1;
    this.setEntry(e, words, o, key, count, error, throttled);
    if (this.size * 2 > this.slots.length) this.reindex(slotCountFor(this.counts.length));
    else this.placeSlot(e);
  }

  private setEntry(
    e: number,
    words: Uint32Array,
    o: number,
    key: string,
    count: number,
    error: number,
    throttled: number,
  ): void {
    const b = e * 4;
    this.words[b] = words[o] as number;
    this.words[b + 1] = words[o + 1] as number;
    this.words[b + 2] = words[o + 2] as number;
    this.words[b + 3] = words[o + 3] as number;
    this.counts[e] = count;
    this.errors[e] = error;
    this.throttledCounts[e] = throttled;
    this.names[e] = key;
  }

  private placeSlot(e: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let p = (this.words[e * 4 + 1] as number) & mask;
    while (slots[p] !== 0) p = (p + 1) & mask;
    slots[p] = e + 1;
  }

  /** Deletes an entry's slot by backward shifting, so lookups never need tombstones. */
  private removeSlot(e: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let hole = (this.words[e * 4 + 1] as number) & mask;
    while (slots[hole] !== e + 1) hole = (hole + 1) & mask;
    let j = hole;
    for (;;) {
      j = (j + 1) & mask;
      const slot = slots[j] as number;
      if (slot === 0) break;
      const home = (this.words[(slot - 1) * 4 + 1] as number) & mask;
      // Entry j may move back into the hole unless its home lies cyclically in (hole, j].
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      slots[hole] = slot;
      hole = j;
    }
    slots[hole] = 0;
  }

  private reindex(slotCount: number): void {
    this.slots = new Int32Array(slotCount);
    for (let e = 0; e < this.size; e++) this.placeSlot(e);
  }

  private growEntries(capacity: number): void {
    const words = new Uint32Array(capacity * 4);
    words.set(this.words);
    this.words = words;
    const counts = new Float64Array(capacity);
    counts.set(this.counts);
    this.counts = counts;
    const errors = new Float64Array(capacity);
    errors.set(this.errors);
    this.errors = errors;
    const throttled = new Float64Array(capacity);
    throttled.set(this.throttledCounts);
    this.throttledCounts = throttled;
  }

  // ---------------------------------------------------------------- sketch mode

  /**
   * Leaves exact counting: the `capacity` hottest keys stay monitored (still exact), the others go into the
   * count-min counters.
   */
  private toSketch(): void {
    const order = Array.from({ length: this.size }, (_, i) => i).sort(
      (a, b) => (this.counts[b] as number) - (this.counts[a] as number) || a - b,
    );
    const rows = new Float64Array(ROWS * this.width);
    this.rows = rows;
    for (let i = this.capacity; i < order.length; i++) {
      const e = order[i] as number;
      this.raiseCounters(this.words, e * 4, 0, this.counts[e] as number);
    }
    const keep = order.slice(0, this.capacity);
    const words = new Uint32Array(this.capacity * 4);
    const counts = new Float64Array(this.capacity);
    const errors = new Float64Array(this.capacity);
    const throttled = new Float64Array(this.capacity);
    const names: string[] = [];
    keep.forEach((e, i) => {
      words.set(this.words.subarray(e * 4, e * 4 + 4), i * 4);
      counts[i] = this.counts[e] as number;
      errors[i] = this.errors[e] as number;
      throttled[i] = this.throttledCounts[e] as number;
      names[i] = this.names[e] as string;
    });
    this.words = words;
    this.counts = counts;
    this.errors = errors;
    this.throttledCounts = throttled;
    this.names = names;
    this.size = keep.length;
    this.reindex(slotCountFor(this.capacity) * 2);
    // Hottest first is not a min-heap: lay the entries out coldest first, which is one.
    this.heap = new Int32Array(this.capacity);
    this.posOf = new Int32Array(this.capacity);
    for (let i = 0; i < this.size; i++) {
      const e = this.size - 1 - i;
      this.heap[i] = e;
      this.posOf[e] = i;
    }
  }

  /** Conservative update: raises the key's counters to (their minimum + count); returns the new estimate. */
  private sketchAdd(words: Uint32Array, o: number, count: number): number {
    const rows = this.rows as Float64Array;
    const width = this.width;
    const mask = width - 1;
    const i0 = (words[o] as number) & mask;
    const i1 = width + ((words[o + 1] as number) & mask);
    const i2 = 2 * width + ((words[o + 2] as number) & mask);
    const i3 = 3 * width + ((words[o + 3] as number) & mask);
    const c0 = rows[i0] as number;
    const c1 = rows[i1] as number;
    const c2 = rows[i2] as number;
    const c3 = rows[i3] as number;
    const estimate = Math.min(Math.min(c0, c1), Math.min(c2, c3)) + count;
    // Unconditional stores (max, not a branch per row): which rows hold the minimum is unpredictable.
    rows[i0] = Math.max(c0, estimate);
    rows[i1] = Math.max(c1, estimate);
    rows[i2] = Math.max(c2, estimate);
    rows[i3] = Math.max(c3, estimate);
    return estimate;
  }

  /** Raises a key's counters to at least `atLeast` (or adds `add` to them), keeping estimates ≥ true counts. */
  private raiseCounters(words: Uint32Array, o: number, atLeast: number, add: number): void {
    const rows = this.rows as Float64Array;
    const mask = this.width - 1;
    for (let r = 0; r < ROWS; r++) {
      const i = r * this.width + ((words[o + r] as number) & mask);
      rows[i] = Math.max((rows[i] as number) + add, atLeast);
    }
  }

  /** An evicted key's exact-since-admission count goes back into its counters. */
  private foldIntoSketch(e: number): void {
    this.raiseCounters(this.words, e * 4, this.counts[e] as number, 0);
  }

  private siftDown(pos: number): void {
    const heap = this.heap;
    const counts = this.counts;
    const size = this.size;
    let i = pos;
    const e = heap[i] as number;
    const c = counts[e] as number;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      if (
        right < size &&
        (counts[heap[right] as number] as number) < (counts[heap[left] as number] as number)
      )
        child = right;
      const ce = heap[child] as number;
      if ((counts[ce] as number) >= c) break;
      heap[i] = ce;
      this.posOf[ce] = i;
      i = child;
    }
    heap[i] = e;
    this.posOf[e] = i;
  }
}

/** Index slots for `entries` entries at load ≤ 1/2: a power of two. */
function slotCountFor(entries: number): number {
  let n = 16;
  while (n < entries * 2) n *= 2;
  return n;
}
