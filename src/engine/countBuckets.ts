import { COUNT_BUCKETS_MAX } from './limits';

/** Columns a CountBuckets starts with; they double up to what COUNT_BUCKETS_MAX needs, once per log. */
const INITIAL_CAPACITY = 16;
/** Room for every bucket the budget allows plus the one that makes it coarsen, and as many expired before. */
const MAX_CAPACITY = 2 * (COUNT_BUCKETS_MAX + 1);

/**
 * A shard's records held as counts only (simulated in aggregate, or released from detail), per arrival-time
 * bucket, oldest first: each bucket's start (ms, a multiple of `widthMs`), its newest arrival, its records and
 * their bytes. The width starts at one second and doubles whenever more than COUNT_BUCKETS_MAX buckets would
 * be held, so memory is bounded by that budget and never by simulated time; a count-only record expires with
 * its bucket's newest record: late by less than the width, never early [model §8].
 *
 * Columns are typed arrays reused in place (expired buckets are dropped by moving the live ones to the front,
 * coarsening merges in place): an aggregate step adds to every shard every virtual second, and growing arrays
 * per bucket cost the 500-shard, 3600× run ~150 MB of garbage per virtual hour.
 */
export class CountBuckets {
  /** Bucket width (ms). */
  widthMs = 1000;
  records = 0;
  bytes = 0;
  private startMs = new Float64Array(0);
  private newestMs = new Float64Array(0);
  private counts = new Float64Array(0);
  private sizes = new Float64Array(0);
  private head = 0;
  private end = 0;

  /** Whether no record is held. */
  get empty(): boolean {
    return this.head === this.end;
  }

  /** Start of the oldest bucket (ms), or Infinity. */
  oldestStartMs(): number {
    return this.head < this.end ? (this.startMs[this.head] as number) : Number.POSITIVE_INFINITY;
  }

  /** Newest arrival in the oldest bucket (ms): when it expires, the bucket does. Infinity if none. */
  oldestNewestMs(): number {
    return this.head < this.end ? (this.newestMs[this.head] as number) : Number.POSITIVE_INFINITY;
  }

  /** Adds `records` records of `bytes` bytes in all (data + key) that arrived at `arrivalMs`. */
  add(arrivalMs: number, records: number, bytes: number): void {
    const start = Math.floor(arrivalMs / this.widthMs) * this.widthMs;
    const last = this.end - 1;
    if (last >= this.head && this.startMs[last] === start) {
      this.counts[last] = (this.counts[last] as number) + records;
      this.sizes[last] = (this.sizes[last] as number) + bytes;
      this.newestMs[last] = arrivalMs;
    } else {
      if (this.end === this.startMs.length) this.makeRoom();
      const at = this.end++;
      this.startMs[at] = start;
      this.newestMs[at] = arrivalMs;
      this.counts[at] = records;
      this.sizes[at] = bytes;
      if (this.end - this.head > COUNT_BUCKETS_MAX) this.coarsen();
    }
    this.records += records;
    this.bytes += bytes;
  }

  /** Drops the buckets whose newest record arrived at or before `cutoffMs`; returns what they held. */
  expire(cutoffMs: number): { records: number; bytes: number } {
    let records = 0;
    let bytes = 0;
    while (this.head < this.end && (this.newestMs[this.head] as number) <= cutoffMs) {
      records += this.counts[this.head] as number;
      bytes += this.sizes[this.head] as number;
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

  /** Room for one more bucket at the end: the live buckets move to the front, or the columns double. */
  private makeRoom(): void {
    const live = this.end - this.head;
    if (this.head > 0 && live < this.startMs.length / 2) {
      for (const column of this.columns()) column.copyWithin(0, this.head, this.end);
    } else {
      const capacity = Math.min(MAX_CAPACITY, Math.max(INITIAL_CAPACITY, this.startMs.length * 2));
      const grow = (old: Float64Array) => {
        const grown = new Float64Array(capacity);
        grown.set(old.subarray(this.head, this.end));
        return grown;
      };
      this.startMs = grow(this.startMs);
      this.newestMs = grow(this.newestMs);
      this.counts = grow(this.counts);
      this.sizes = grow(this.sizes);
    }
    this.head = 0;
    this.end = live;
  }

  private columns(): Float64Array[] {
    return [this.startMs, this.newestMs, this.counts, this.sizes];
  }

  /** Doubles the width and merges the buckets that now share a start, in place. */
  private coarsen(): void {
    this.widthMs *= 2;
    const width = this.widthMs;
    let out = this.head - 1;
    for (let i = this.head; i < this.end; i++) {
      const start = Math.floor((this.startMs[i] as number) / width) * width;
      if (out >= this.head && this.startMs[out] === start) {
        this.counts[out] = (this.counts[out] as number) + (this.counts[i] as number);
        this.sizes[out] = (this.sizes[out] as number) + (this.sizes[i] as number);
        this.newestMs[out] = this.newestMs[i] as number;
      } else {
        out++;
        this.startMs[out] = start;
        this.newestMs[out] = this.newestMs[i] as number;
        this.counts[out] = this.counts[i] as number;
        this.sizes[out] = this.sizes[i] as number;
      }
    }
    this.end = out + 1;
  }
}
