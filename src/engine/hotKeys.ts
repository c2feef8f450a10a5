import type { KeyTable } from './keyTable';
import { HOT_KEY_CAPACITY, HOT_KEY_EXACT_KEYS, HOT_KEY_SKETCH_WIDTH } from './limits';
import { grown } from './typedArrays';

/** One entry of the hottest partition keys. */
export interface HotKey {
  partitionKey: string;
  /** The key's 128-bit hash key (MD5), 4 big-endian words. */
  hashKey: Uint32Array;
  /** Attempts counted for this key (accepted + throttled); never below the true count, above it by ≤ `error`. */
  count: number;
  /** Throttled attempts counted while the key was monitored (exact while `error` is 0, else a lower bound). */
  throttled: number;
  /** Bytes (data + partition key) of the attempts counted while the key was monitored (as `throttled`). */
  bytes: number;
  /** Whether the hash key is an ExplicitHashKey (records routed by it, not by the MD5 of the key). */
  explicit: boolean;
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

/** How an entry's records were routed: by the key's MD5, or by an ExplicitHashKey. */
export const ROUTED_BY_MD5 = 0;
export const ROUTED_BY_EXPLICIT = 1;
export type Routing = typeof ROUTED_BY_MD5 | typeof ROUTED_BY_EXPLICIT;

/** Count-min rows, indexed by hash key words 0 and 1 (no extra hashing). */
const ROWS = 2;
/** Counters are int32 while the total of attempts is at most this. */
const INT32_MAX = 0x7fffffff;

/**
 * The hottest partition keys of a stream, identified by their MD5 hash key (no key ids, no reference counts,
 * no string map: the write path has the hash words already).
 *
 * - **Exact** while the stream has seen at most `exactKeys` distinct keys: one counter per key.
 * - Beyond, a **count-min sketch** (Cormode & Muthukrishnan, 2005) with conservative update: 2 rows of
 *   `width` counters, row r indexed by the low bits of hash word r, so no extra hashing. Every attempt, of
 *   any key, updates the sketch. A min-heap of the `capacity` hottest keys counts its members exactly; a key
 *   outside it is admitted, replacing the minimum, only when its estimate beats the minimum and the noise
 *   floor total/width.
 *
 * Invariant: a monitored key's sketch estimate is never below its heap count, which is never below the heap
 * minimum. So an attempt whose estimate is below the minimum is of a key that is neither monitored nor
 * admissible, and costs two counter updates and no lookup — the common case with many distinct keys.
 *
 * Guarantees: a listed `count` is never below the key's true count and over-estimates it by at most `error`
 * (the estimate the key was admitted with, less the admitting attempt). An estimate exceeds the true count by
 * more than k·total/width with probability at most 1/k² (Markov's inequality on each of the 2 independent
 * rows): at the default width of 16,384, by more than total/4,096 with probability ≤ 1/16 and by more than
 * total/1,638 with probability ≤ 1/100 (conservative update only lowers these). Keys whose share is well
 * above that and above 1/capacity of the attempts are listed. Memory is fixed: at most `exactKeys`
 * entries, then 2 × width counters and `capacity` entries.
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
  private byteCounts: Float64Array;
  private explicitFlags: Uint8Array;
  private names: string[] = [];
  private size = 0;
  /** Open addressing on hash word 1 (linear probing, load ≤ 1/2): slot = entry + 1, 0 = empty. */
  private slots: Int32Array;

  /**
   * Count-min counters, row-major, once counting is no longer exact (null while exact): int32 while the
   * total fits, so the conservative update runs branch-free (which row holds the minimum is a coin toss, and
   * mispredicted branches cost more than the rest of the update).
   */
  private rows: Int32Array | null = null;
  /** The same counters as doubles once the total passes 2^31 − 1 (then `rows` is null). */
  private wideRows: Float64Array | null = null;
  /** width − 1: a row index is a hash word's low bits. */
  private readonly mask: number;
  /** The heap minimum's count (sketch mode). */
  private heapMin = 0;
  /**
   * Monitored keys per row-0 counter (sketch mode): an attempt whose cell holds none is of a key that is not
   * monitored, so it needs no lookup unless it is hot enough to be admitted.
   */
  private monitoredAt = new Uint16Array(0);
  /** Min-heap of entries by count (sketch mode), and each entry's heap position. */
  private heap = new Int32Array(0);
  private posOf = new Int32Array(0);

  private readonly keys: KeyTable;

  constructor(keys: KeyTable, options: HotKeySketchOptions = {}) {
    this.keys = keys;
    // At most 65,535, so a row-0 cell's count of monitored keys fits its Uint16Array.
    this.capacity = Math.min(options.capacity ?? HOT_KEY_CAPACITY, 0xffff);
    this.exactKeys = Math.max(this.capacity, options.exactKeys ?? HOT_KEY_EXACT_KEYS);
    this.width = options.width ?? HOT_KEY_SKETCH_WIDTH;
    this.mask = this.width - 1;
    const initial = Math.min(64, this.exactKeys);
    this.words = new Uint32Array(4 * initial);
    this.counts = new Float64Array(initial);
    this.errors = new Float64Array(initial);
    this.throttledCounts = new Float64Array(initial);
    this.byteCounts = new Float64Array(initial);
    this.explicitFlags = new Uint8Array(initial);
    this.slots = new Int32Array(slotCountFor(initial));
  }

  /**
   * Forgets every count, back to exact mode (the engine keeps one sketch per virtual second and resets it
   * when the second is over). Cheap while exact: only the index is cleared.
   */
  reset(): void {
    this.total = 0;
    this.size = 0;
    this.slots.fill(0);
    if (this.exact) return;
    // A stream that saw too many keys to count exactly in one second will likely again: it stays in sketch
    // mode, its counters zeroed in place (no allocation per second) and its heap emptied.
    if (this.wideRows !== null) {
      this.wideRows = null;
      this.rows = new Int32Array(ROWS * this.width);
    } else (this.rows as Int32Array).fill(0);
    this.monitoredAt.fill(0);
    this.heapMin = 0;
  }

  /** Whether every count is exact (at most `exactKeys` distinct keys seen). */
  get exact(): boolean {
    return this.rows === null && this.wideRows === null;
  }

  /** Number of distinct keys currently monitored. */
  get monitored(): number {
    return this.size;
  }

  /**
   * Counts `count` (a whole number) attempts of an interned key routed by its MD5, `throttled` of them
   * throttled, `bytes` their data + key bytes.
   */
  addKey(keyId: number, count: number, throttled: number, bytes = 0): void {
    const words = this.keys.hashWords;
    const o = keyId * 4;
    const total = this.total + count;
    this.total = total;
    const rows = this.rows;
    if (rows === null || total > INT32_MAX) {
      this.addOther(words, o, undefined, keyId, count, throttled, bytes, ROUTED_BY_MD5);
      return;
    }
    // The conservative update of addHash (see there).
    const i0 = (words[o] as number) & this.mask;
    const i1 = this.width + ((words[o + 1] as number) & this.mask);
    const c0 = rows[i0] as number;
    const c1 = rows[i1] as number;
    const d = c0 - c1;
    const estimate = c1 + (d & (d >> 31)) + count;
    const d0 = c0 - estimate;
    const d1 = c1 - estimate;
    rows[i0] = estimate + (d0 & ~(d0 >> 31));
    rows[i1] = estimate + (d1 & ~(d1 >> 31));
    if (this.monitoredAt[i0] !== 0 || (estimate > this.heapMin && estimate * this.width > total))
      this.monitor(words, o, undefined, keyId, count, throttled, bytes, ROUTED_BY_MD5, estimate);
  }

  /**
   * Counts `count` (a whole number) attempts of `key` routed by the hash key at `words[offset..offset+3]`
   * (its MD5, or an ExplicitHashKey: see Routing), `throttled` of them throttled, `bytes` their data + key bytes.
   */
  addHash(
    words: Uint32Array,
    offset: number,
    key: string,
    count: number,
    throttled: number,
    bytes = 0,
    explicit: Routing = ROUTED_BY_MD5,
  ): void {
    const total = this.total + count;
    this.total = total;
    const rows = this.rows;
    if (rows === null || total > INT32_MAX) {
      this.addOther(words, offset, key, -1, count, throttled, bytes, explicit);
      return;
    }
    // Conservative update, inline and branch-free: this runs once per record on the fast write path. Every
    // counter is at most `total` < 2^31, so the differences below are exact int32 values and d >> 31 is
    // −1 exactly when d < 0: estimate = min(c0, c1) + count, and each counter becomes max(c, estimate).
    const i0 = (words[offset] as number) & this.mask;
    const i1 = this.width + ((words[offset + 1] as number) & this.mask);
    const c0 = rows[i0] as number;
    const c1 = rows[i1] as number;
    const d = c0 - c1;
    const estimate = c1 + (d & (d >> 31)) + count;
    const d0 = c0 - estimate;
    const d1 = c1 - estimate;
    rows[i0] = estimate + (d0 & ~(d0 >> 31));
    rows[i1] = estimate + (d1 & ~(d1 >> 31));
    // Most attempts stop here: a key that is not monitored (its cell holds no monitored key) and not hot.
    if (this.monitoredAt[i0] !== 0 || (estimate > this.heapMin && estimate * this.width > total))
      this.monitor(words, offset, key, -1, count, throttled, bytes, explicit, estimate);
  }

  /**
   * Everything but the int32 sketch: exact mode (bump or add an entry; past `exactKeys` entries, switch to
   * the sketch), and the double counters once the total no longer fits an int32.
   */
  private addOther(
    words: Uint32Array,
    o: number,
    key: string | undefined,
    keyId: number,
    count: number,
    throttled: number,
    bytes: number,
    explicit: Routing,
  ): void {
    if (this.exact) {
      const found = this.find(words, o);
      if (found >= 0) {
        this.counts[found] = (this.counts[found] as number) + count;
        this.byteCounts[found] = (this.byteCounts[found] as number) + bytes;
        if (throttled !== 0)
          this.throttledCounts[found] = (this.throttledCounts[found] as number) + throttled;
        return;
      }
      if (this.size < this.exactKeys) {
        this.insert(words, o, key ?? this.keys.keyOf(keyId), count, 0, throttled, bytes, explicit);
        return;
      }
      this.toSketch();
    }
    const narrow = this.rows;
    if (narrow !== null && this.total <= INT32_MAX) {
      this.total -= count;
      if (key === undefined) this.addKey(keyId, count, throttled, bytes);
      else this.addHash(words, o, key, count, throttled, bytes, explicit);
      return;
    }
    if (narrow !== null) {
      this.wideRows = Float64Array.from(narrow);
      this.rows = null;
    }
    const rows = this.wideRows as Float64Array;
    const i0 = (words[o] as number) & this.mask;
    const i1 = this.width + ((words[o + 1] as number) & this.mask);
    const c0 = rows[i0] as number;
    const c1 = rows[i1] as number;
    const estimate = Math.min(c0, c1) + count;
    rows[i0] = Math.max(c0, estimate);
    rows[i1] = Math.max(c1, estimate);
    if (this.monitoredAt[i0] !== 0 || (estimate > this.heapMin && estimate * this.width > this.total))
      this.monitor(words, o, key, keyId, count, throttled, bytes, explicit, estimate);
  }

  /** Counts a monitored entry in its row-0 cell. */
  private mark(e: number): void {
    const i = (this.words[e * 4] as number) & this.mask;
    this.monitoredAt[i] = (this.monitoredAt[i] as number) + 1;
  }

  private unmark(e: number): void {
    const i = (this.words[e * 4] as number) & this.mask;
    this.monitoredAt[i] = (this.monitoredAt[i] as number) - 1;
  }

  /**
   * Sketch mode, for an attempt that may be of a monitored key or hot enough to be admitted: bumps the key's
   * exact count if it is monitored, else admits it in place of the minimum if its estimate beats that and the
   * noise floor total/width.
   */
  private monitor(
    words: Uint32Array,
    o: number,
    key: string | undefined,
    keyId: number,
    count: number,
    throttled: number,
    bytes: number,
    explicit: Routing,
    estimate: number,
  ): void {
    const e = this.find(words, o);
    if (e >= 0) {
      this.counts[e] = (this.counts[e] as number) + count;
      this.byteCounts[e] = (this.byteCounts[e] as number) + bytes;
      if (throttled !== 0) this.throttledCounts[e] = (this.throttledCounts[e] as number) + throttled;
      this.siftDown(this.posOf[e] as number);
    } else if (estimate > this.heapMin && estimate * this.width > this.total) {
      if (this.size < this.capacity) {
        // Room left (after a reset): the key joins the heap.
        const fresh = this.size++;
        this.setEntry(
          fresh,
          words,
          o,
          key ?? this.keys.keyOf(keyId),
          estimate,
          estimate - count,
          throttled,
          bytes,
          explicit,
        );
        this.placeSlot(fresh);
        this.mark(fresh);
        this.heap[fresh] = fresh;
        this.posOf[fresh] = fresh;
        this.siftUp(fresh);
        this.heapMin = this.size < this.capacity ? 0 : (this.counts[this.heap[0] as number] as number);
        return;
      }
      // The evicted key's counters already hold at least its count: nothing to fold back.
      const root = this.heap[0] as number;
      this.removeSlot(root);
      this.unmark(root);
      this.setEntry(
        root,
        words,
        o,
        key ?? this.keys.keyOf(keyId),
        estimate,
        estimate - count,
        throttled,
        bytes,
        explicit,
      );
      this.placeSlot(root);
      this.mark(root);
      this.siftDown(0);
    } else return;
    this.heapMin = this.size < this.capacity ? 0 : (this.counts[this.heap[0] as number] as number);
  }

  /** The `limit` hottest keys, hottest first (ties: first seen first). */
  top(limit: number): HotKey[] {
    const order = Array.from({ length: this.size }, (_, i) => i).sort(
      (a, b) => (this.counts[b] as number) - (this.counts[a] as number) || a - b,
    );
    return order.slice(0, limit).map((e) => this.entry(e));
  }

  /**
   * The `limit` hottest keys, hottest first;
   * among equal counts the more throttled first, then first seen. Selects with a bounded heap, so closing a
   * second of 4,096 keys costs no sort of them all.
   */
  hottest(limit: number): HotKey[] {
    const counts = this.counts;
    const throttled = this.throttledCounts;
    // Is entry a colder than entry b? (count, then throttled, then later-seen is colder)
    const colder = (a: number, b: number) => {
      const ca = counts[a] as number;
      const cb = counts[b] as number;
      if (ca !== cb) return ca < cb;
      const ta = throttled[a] as number;
      const tb = throttled[b] as number;
      return ta !== tb ? ta < tb : a > b;
    };
    const heap = new Int32Array(Math.max(1, Math.min(limit, this.size)));
    let n = 0;
    const siftUp = (i: number) => {
      const e = heap[i] as number;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        const pe = heap[parent] as number;
        if (!colder(e, pe)) break;
        heap[i] = pe;
        i = parent;
      }
      heap[i] = e;
    };
    const siftDown = (i: number) => {
      const e = heap[i] as number;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        const right = child + 1;
        if (right < n && colder(heap[right] as number, heap[child] as number)) child = right;
        if (!colder(heap[child] as number, e)) break;
        heap[i] = heap[child] as number;
        i = child;
      }
      heap[i] = e;
    };
    for (let e = 0; e < this.size; e++) {
      if (n < heap.length) {
        heap[n] = e;
        siftUp(n++);
      } else if (colder(heap[0] as number, e)) {
        heap[0] = e;
        siftDown(0);
      }
    }
    const chosen = Array.from(heap.subarray(0, n)).sort((a, b) => (colder(a, b) ? 1 : colder(b, a) ? -1 : 0));
    return chosen.map((e) => this.entry(e));
  }

  private entry(e: number): HotKey {
    return {
      partitionKey: this.names[e] as string,
      hashKey: this.words.slice(e * 4, e * 4 + 4),
      count: this.counts[e] as number,
      throttled: this.throttledCounts[e] as number,
      bytes: this.byteCounts[e] as number,
      explicit: this.explicitFlags[e] !== ROUTED_BY_MD5,
      error: this.errors[e] as number,
    };
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
    bytes: number,
    explicit: Routing,
  ): void {
    const e = this.size;
    if (e >= this.counts.length) this.growEntries(Math.min(this.exactKeys, e * 2));
    this.size = e + 1;
    this.setEntry(e, words, o, key, count, error, throttled, bytes, explicit);
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
    bytes: number,
    explicit: Routing,
  ): void {
    const b = e * 4;
    this.words[b] = words[o] as number;
    this.words[b + 1] = words[o + 1] as number;
    this.words[b + 2] = words[o + 2] as number;
    this.words[b + 3] = words[o + 3] as number;
    this.counts[e] = count;
    this.errors[e] = error;
    this.throttledCounts[e] = throttled;
    this.byteCounts[e] = bytes;
    this.explicitFlags[e] = explicit;
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
    this.words = grown(this.words, capacity * 4);
    this.counts = grown(this.counts, capacity);
    this.errors = grown(this.errors, capacity);
    this.throttledCounts = grown(this.throttledCounts, capacity);
    this.byteCounts = grown(this.byteCounts, capacity);
    this.explicitFlags = grown(this.explicitFlags, capacity);
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
    // Every key's count goes into its counters, the monitored ones' too: estimates never go below counts.
    const rows = new Float64Array(ROWS * this.width);
    for (let e = 0; e < this.size; e++) {
      for (let r = 0; r < ROWS; r++) {
        const i = r * this.width + ((this.words[e * 4 + r] as number) & this.mask);
        rows[i] = (rows[i] as number) + (this.counts[e] as number);
      }
    }
    // No counter exceeds the total: int32 counters while it fits.
    if (this.total <= INT32_MAX) this.rows = Int32Array.from(rows);
    else this.wideRows = rows;
    const keep = order.slice(0, this.capacity);
    const words = new Uint32Array(this.capacity * 4);
    const counts = new Float64Array(this.capacity);
    const errors = new Float64Array(this.capacity);
    const throttled = new Float64Array(this.capacity);
    const bytes = new Float64Array(this.capacity);
    const explicit = new Uint8Array(this.capacity);
    const names: string[] = [];
    keep.forEach((e, i) => {
      words.set(this.words.subarray(e * 4, e * 4 + 4), i * 4);
      counts[i] = this.counts[e] as number;
      errors[i] = this.errors[e] as number;
      throttled[i] = this.throttledCounts[e] as number;
      bytes[i] = this.byteCounts[e] as number;
      explicit[i] = this.explicitFlags[e] as number;
      names[i] = this.names[e] as string;
    });
    this.words = words;
    this.counts = counts;
    this.errors = errors;
    this.throttledCounts = throttled;
    this.byteCounts = bytes;
    this.explicitFlags = explicit;
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
    this.heapMin = this.size < this.capacity ? 0 : (this.counts[this.heap[0] as number] as number);
    this.monitoredAt = new Uint16Array(this.width);
    for (let e = 0; e < this.size; e++) this.mark(e);
  }

  /** Moves a heap position's entry up while it is colder than its parent (a key just admitted). */
  private siftUp(pos: number): void {
    const heap = this.heap;
    const counts = this.counts;
    let i = pos;
    const e = heap[i] as number;
    const c = counts[e] as number;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pe = heap[parent] as number;
      if ((counts[pe] as number) <= c) break;
      heap[i] = pe;
      this.posOf[pe] = i;
      i = parent;
    }
    heap[i] = e;
    this.posOf[e] = i;
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
