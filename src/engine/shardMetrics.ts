import { METRICS_HISTORY_SECONDS } from './limits';

/** The per-second series a shard keeps, in a fixed-size ring each. */
export const SHARD_SERIES = [
  'incomingRecords',
  'incomingBytes',
  'throttledRecords',
  'throttledBytes',
  'expiredRecords',
  'retainedRecords',
  'retainedBytes',
] as const;
/** Name of one per-second shard series. */
export type ShardSeriesName = (typeof SHARD_SERIES)[number];
const SERIES_COUNT = SHARD_SERIES.length;
const RETAINED_RECORDS = SHARD_SERIES.indexOf('retainedRecords');
const RETAINED_BYTES = SHARD_SERIES.indexOf('retainedBytes');

/**
 * Per-shard metrics per virtual second, like CloudWatch's shard-level metrics at 1-second resolution:
 * counters for the second in progress, and the last METRICS_HISTORY_SECONDS completed seconds in a ring.
 * Memory is fixed; it never grows with simulated time.
 */
export class ShardMetrics {
  /** Counters of the second in progress, indexed like SHARD_SERIES. */
  readonly current = new Float64Array(SERIES_COUNT);
  /** Completed seconds: ring[(second % HISTORY) * SERIES_COUNT + series]. */
  private readonly ring = new Float64Array(METRICS_HISTORY_SECONDS * SERIES_COUNT);
  /** Totals since the shard was created. */
  totalIncomingRecords = 0;
  totalIncomingBytes = 0;
  totalThrottledRecords = 0;
  totalThrottledBytes = 0;
  totalExpiredRecords = 0;
  /** The second now in progress. */
  currentSecond: number;

  constructor(startSecond: number) {
    this.currentSecond = startSecond;
  }

  recordAccepted(bytes: number): void {
    this.current[0] = (this.current[0] as number) + 1;
    this.current[1] = (this.current[1] as number) + bytes;
    this.totalIncomingRecords++;
    this.totalIncomingBytes += bytes;
  }

  recordAcceptedMany(count: number, bytes: number): void {
    this.current[0] = (this.current[0] as number) + count;
    this.current[1] = (this.current[1] as number) + bytes;
    this.totalIncomingRecords += count;
    this.totalIncomingBytes += bytes;
  }

  recordThrottled(count: number, bytes: number): void {
    this.current[2] = (this.current[2] as number) + count;
    this.current[3] = (this.current[3] as number) + bytes;
    this.totalThrottledRecords += count;
    this.totalThrottledBytes += bytes;
  }

  recordExpired(count: number): void {
    this.current[4] = (this.current[4] as number) + count;
    this.totalExpiredRecords += count;
  }

  /**
   * Completes every second before `second`: the one in progress gets its counters, later skipped seconds
   * get zeros; each completed second samples the retained totals as they are now.
   */
  rollTo(second: number, retainedRecords: number, retainedBytes: number): void {
    if (second <= this.currentSecond) return;
    const first = Math.max(this.currentSecond, second - METRICS_HISTORY_SECONDS);
    for (let s = first; s < second; s++) {
      const base = (s % METRICS_HISTORY_SECONDS) * SERIES_COUNT;
      if (s === this.currentSecond) this.ring.set(this.current, base);
      else this.ring.fill(0, base, base + SERIES_COUNT);
      this.ring[base + RETAINED_RECORDS] = retainedRecords;
      this.ring[base + RETAINED_BYTES] = retainedBytes;
    }
    this.current.fill(0);
    this.currentSecond = second;
  }

  /** The value of a series in a completed second (0 if that second is no longer kept). */
  valueAt(series: ShardSeriesName, second: number): number {
    if (second >= this.currentSecond || second < this.currentSecond - METRICS_HISTORY_SECONDS) return 0;
    return this.ring[
      (second % METRICS_HISTORY_SECONDS) * SERIES_COUNT + SHARD_SERIES.indexOf(series)
    ] as number;
  }

  /** Copies the last `count` completed seconds of a series, oldest first, into `target` at `offset`. */
  copySeries(
    series: ShardSeriesName,
    count: number,
    target: Float64Array | Float32Array,
    offset: number,
  ): void {
    const index = SHARD_SERIES.indexOf(series);
    const n = Math.min(count, METRICS_HISTORY_SECONDS);
    for (let k = 0; k < n; k++) {
      const second = this.currentSecond - n + k;
      target[offset + k] =
        second < 0 ? 0 : (this.ring[(second % METRICS_HISTORY_SECONDS) * SERIES_COUNT + index] as number);
    }
  }
}
