import { COUNT_BUCKETS_MAX } from './limits';

/** Buckets a CountBuckets has room for at first; room doubles up to what COUNT_BUCKETS_MAX needs, once per log. */
const INITIAL_CAPACITY = 16;
/**
 * Room for every bucket the budget allows, the one that makes it coarsen, and COMPACT_EVERY expired ones
 * before the live buckets move to the front (so a full log moves them once per COMPACT_EVERY new buckets).
 */
const COMPACT_EVERY = 128;
const MAX_CAPACITY = COUNT_BUCKETS_MAX + 1 + COMPACT_EVERY;
/** A bucket's numbers, in this order after its start (ms): */
const FIELDS = 4;
const NEWEST = 1;
const RECORDS = 2;
const BYTES = 3;

/**
 * A shard's records held as counts only (simulated in aggregate, or released from detail), per arrival-time
 * bucket, oldest first: each bucket's start (ms, a multiple of `widthMs`), its newest arrival, its records and
 * their bytes. The width starts at one second and doubles whenever more than COUNT_BUCKETS_MAX buckets would
 * be held, so memory is bounded by that budget and never by simulated time; a count-only record expires with
 * its bucket's newest record: late by less than the width, never early [model §8].
 *
 * The buckets live in one typed array reused in place (expired buckets are dropped by moving the live ones to
 * the front, coarsening merges in place): an aggregate step adds to every shard every virtual second, and growing arrays
 * per bucket cost the 500-shard, 3600× run ~150 MB of garbage per virtual hour.
 */
export class CountBuckets {
  /** Bucket width (ms). */
  widthMs = 1000;
  records = 0;
  bytes = 0;
  /**
   * The buckets, FIELDS numbers each: start (ms), newest arrival (ms), records, bytes. One buffer, not one per
   * field: a typed array allocation costs more than its size, and 500 shards grow theirs at once.
   */
  private buckets = new Float64Array(0);
  /** Bucket indexes: the oldest held, and one past the newest. */
  private head = 0;
  private end = 0;

  /** Buckets held. */
  get count(): number {
    return this.end - this.head;
  }

  /** Start of the oldest bucket (ms), or Infinity. */
  oldestStartMs(): number {
    return this.head < this.end ? (this.buckets[this.head * FIELDS] as number) : Number.POSITIVE_INFINITY;
  }

  /** Newest arrival in the oldest bucket (ms): when it expires, the bucket does. Infinity if none. */
  oldestNewestMs(): number {
    return this.head < this.end
      ? (this.buckets[this.head * FIELDS + NEWEST] as number)
      : Number.POSITIVE_INFINITY;
  }

  /** Adds `records` records of `bytes` bytes in all (data + key) that arrived at `arrivalMs`. */
  add(arrivalMs: number, records: number, bytes: number): void {
    const start = Math.floor(arrivalMs / this.widthMs) * this.widthMs;
    const last = (this.end - 1) * FIELDS;
    let b = this.buckets;
    if (this.end > this.head && b[last] === start) {
      b[last + NEWEST] = arrivalMs;
      b[last + RECORDS] = (b[last + RECORDS] as number) + records;
      b[last + BYTES] = (b[last + BYTES] as number) + bytes;
    } else {
      if (this.end * FIELDS === b.length) {
        this.makeRoom();
        b = this.buckets;
      }
      const at = this.end++ * FIELDS;
      b[at] = start;
      b[at + NEWEST] = arrivalMs;
      b[at + RECORDS] = records;
      b[at + BYTES] = bytes;
      // Sparse buckets may not merge at the next width: coarsen until they fit (each pass doubles it).
      while (this.end - this.head > COUNT_BUCKETS_MAX) this.coarsen();
    }
    this.records += records;
    this.bytes += bytes;
  }

  /** Drops the buckets whose newest record arrived at or before `cutoffMs`; returns what they held. */
  expire(cutoffMs: number): { records: number; bytes: number } {
    let records = 0;
    let bytes = 0;
    const b = this.buckets;
    while (this.head < this.end && (b[this.head * FIELDS + NEWEST] as number) <= cutoffMs) {
      records += b[this.head * FIELDS + RECORDS] as number;
      bytes += b[this.head * FIELDS + BYTES] as number;
      this.head++;
    }
    this.records -= records;
    this.bytes -= bytes;
    if (this.head === this.end) {
      this.head = 0;
      this.end = 0;
      this.records = 0;
      this.bytes = 0;
    }
    return { records, bytes };
  }

  /** Room for one more bucket at the end: the live buckets move to the front, or the buffer doubles. */
  private makeRoom(): void {
    const live = this.end - this.head;
    const capacity = this.buckets.length / FIELDS;
    // At full size the buffer always has expired buckets at its front (at most COUNT_BUCKETS_MAX are live).
    if (this.head > 0 && (live < capacity / 2 || capacity === MAX_CAPACITY)) {
      this.buckets.copyWithin(0, this.head * FIELDS, this.end * FIELDS);
    } else {
      const grown = new Float64Array(
        Math.min(MAX_CAPACITY, Math.max(INITIAL_CAPACITY, capacity * 2)) * FIELDS,
      );
      grown.set(this.buckets.subarray(this.head * FIELDS, this.end * FIELDS));
      this.buckets = grown;
    }
    this.head = 0;
    this.end = live;
  }

  /** Doubles the width and merges the buckets that now share a start, in place. */
  private coarsen(): void {
    this.widthMs *= 2;
    const width = this.widthMs;
    const b = this.buckets;
    let out = (this.head - 1) * FIELDS;
    const first = this.head * FIELDS;
    for (let i = first; i < this.end * FIELDS; i += FIELDS) {
      const start = Math.floor((b[i] as number) / width) * width;
      if (out >= first && b[out] === start) {
        b[out + NEWEST] = b[i + NEWEST] as number;
        b[out + RECORDS] = (b[out + RECORDS] as number) + (b[i + RECORDS] as number);
        b[out + BYTES] = (b[out + BYTES] as number) + (b[i + BYTES] as number);
      } else {
        out += FIELDS;
        b[out] = start;
        b[out + NEWEST] = b[i + NEWEST] as number;
        b[out + RECORDS] = b[i + RECORDS] as number;
        b[out + BYTES] = b[i + BYTES] as number;
      }
    }
    this.end = out / FIELDS + 1;
  }
}
