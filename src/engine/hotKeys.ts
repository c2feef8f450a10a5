import type { KeyTable } from './keyTable';
import { HOT_KEY_CAPACITY } from './limits';

/** One entry of the hottest partition keys. */
export interface HotKey {
  partitionKey: string;
  /** Attempts counted for this key (accepted + throttled); an over-estimate by at most `error`. */
  count: number;
  throttled: number;
  /** Space-Saving's bound on how much `count` may over-estimate. 0 means exact. */
  error: number;
  keyId: number;
}

/**
 * The hottest partition keys of a stream, by the Space-Saving algorithm (Metwally et al., 2005) over a
 * min-heap of HOT_KEY_CAPACITY counters. Exact while a stream has seen at most that many distinct keys;
 * beyond, every key whose true count exceeds total/capacity is guaranteed to be listed, and each listed
 * count over-estimates by at most its `error`. Memory is fixed.
 */
export class HotKeySketch {
  private readonly keyIds: Int32Array;
  private readonly counts: Float64Array;
  private readonly errors: Float64Array;
  private readonly throttled: Float64Array;
  /** slotOfKey[keyId] = heap position + 1 (0 = not monitored). */
  private slotOfKey = new Int32Array(1024);
  private size = 0;
  total = 0;

  private readonly keys: KeyTable;
  readonly capacity: number;

  constructor(keys: KeyTable, capacity = HOT_KEY_CAPACITY) {
    this.keys = keys;
    this.capacity = capacity;
    this.keyIds = new Int32Array(capacity);
    this.counts = new Float64Array(capacity);
    this.errors = new Float64Array(capacity);
    this.throttled = new Float64Array(capacity);
  }

  /** Counts `count` attempts of a key, `throttled` of them throttled. */
  add(keyId: number, count: number, throttled: number): void {
    this.total += count;
    if (keyId >= this.slotOfKey.length) this.growSlots(keyId + 1);
    let pos = (this.slotOfKey[keyId] as number) - 1;
    if (pos < 0) {
      if (this.size < this.capacity) {
        pos = this.size++;
        this.counts[pos] = 0;
        this.errors[pos] = 0;
        this.throttled[pos] = 0;
      } else {
        // Replace the minimum: the newcomer inherits its count as the error bound.
        pos = 0;
        const evicted = this.keyIds[0] as number;
        this.slotOfKey[evicted] = 0;
        this.keys.release(evicted);
        this.errors[0] = this.counts[0] as number;
        this.throttled[0] = 0;
      }
      this.keyIds[pos] = keyId;
      this.slotOfKey[keyId] = pos + 1;
      this.keys.retain(keyId);
    }
    this.counts[pos] = (this.counts[pos] as number) + count;
    this.throttled[pos] = (this.throttled[pos] as number) + throttled;
    this.siftDown(pos);
  }

  /** The `limit` hottest keys, hottest first. */
  top(limit: number): HotKey[] {
    const order = Array.from({ length: this.size }, (_, i) => i).sort(
      (a, b) =>
        (this.counts[b] as number) - (this.counts[a] as number) ||
        (this.keyIds[a] as number) - (this.keyIds[b] as number),
    );
    return order.slice(0, limit).map((i) => ({
      partitionKey: this.keys.keyOf(this.keyIds[i] as number),
      count: this.counts[i] as number,
      throttled: this.throttled[i] as number,
      error: this.errors[i] as number,
      keyId: this.keyIds[i] as number,
    }));
  }

  /** Number of distinct keys currently monitored. */
  get monitored(): number {
    return this.size;
  }

  /** Drops every counter (and the key references they hold). */
  clear(): void {
    for (let i = 0; i < this.size; i++) {
      const keyId = this.keyIds[i] as number;
      this.slotOfKey[keyId] = 0;
      this.keys.release(keyId);
    }
    this.size = 0;
    this.total = 0;
  }

  private siftDown(pos: number): void {
    let i = pos;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) return;
      const right = left + 1;
      let smallest = left;
      if (right < this.size && (this.counts[right] as number) < (this.counts[left] as number))
        smallest = right;
      if ((this.counts[smallest] as number) >= (this.counts[i] as number)) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const ka = this.keyIds[a] as number;
    const kb = this.keyIds[b] as number;
    this.keyIds[a] = kb;
    this.keyIds[b] = ka;
    this.slotOfKey[kb] = a + 1;
    this.slotOfKey[ka] = b + 1;
    const c = this.counts[a] as number;
    this.counts[a] = this.counts[b] as number;
    this.counts[b] = c;
    const e = this.errors[a] as number;
    this.errors[a] = this.errors[b] as number;
    this.errors[b] = e;
    const t = this.throttled[a] as number;
    this.throttled[a] = this.throttled[b] as number;
    this.throttled[b] = t;
  }

  private growSlots(minimum: number): void {
    let capacity = this.slotOfKey.length;
    while (capacity < minimum) capacity *= 2;
    const slots = new Int32Array(capacity);
    slots.set(this.slotOfKey);
    this.slotOfKey = slots;
  }
}
