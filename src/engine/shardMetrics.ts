import { CloudWatchPeriods, type OperationShard } from './cloudWatchMetrics';
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
export class ShardMetrics implements OperationShard {
  /** Shard-level (enhanced) CloudWatch periods, fed per put operation by the write path (PutOperations). */
  readonly periods = new CloudWatchPeriods();
  /** The put operation in progress on this shard (see PutOperations). */
  opRecords = 0;
  opBytes = 0;
  opThrottled = 0;
  inOperation = false;
  /** Counters of the second in progress, indexed like SHARD_SERIES. */
  readonly current = new Float64Array(SERIES_COUNT);
  /**
   * Completed seconds, series-major so a series copies out in at most two blocks:
   * ring[series * HISTORY + second % HISTORY]. Float32, like the snapshot's series, so snapshots copy
   * memory without converting: values are exact below 2^24 per shard-second and rounded to 7 significant
   * digits above (per-shard totals, kept separately in float64, stay exact).
   */
  private readonly ring = new Float32Array(METRICS_HISTORY_SECONDS * SERIES_COUNT);
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
  /** The second in progress's demand: records attempted (accepted + throttled) and their bytes. */
  get currentDemandRecords(): number {
    return (this.current[0] as number) + (this.current[2] as number);
  }
  get currentDemandBytes(): number {
    return (this.current[1] as number) + (this.current[3] as number);
  }
  /** Records throttled in the second in progress. */
  get currentThrottled(): number {
    return this.current[2] as number;
  }

  rollTo(second: number, retainedRecords: number, retainedBytes: number): void {
    if (second <= this.currentSecond) return;
    // The completed second's per-second truth joins its CloudWatch minute: its demand and whether it throttled.
    this.periods.addSecond(
      Math.floor(this.currentSecond / 60),
      this.currentDemandRecords,
      this.currentDemandBytes,
      this.currentThrottled > 0,
    );
    const first = Math.max(this.currentSecond, second - METRICS_HISTORY_SECONDS);
    for (let s = first; s < second; s++) {
      const slot = s % METRICS_HISTORY_SECONDS;
      const completed = s === this.currentSecond;
      for (let k = 0; k < SERIES_COUNT; k++) {
        this.ring[k * METRICS_HISTORY_SECONDS + slot] = completed ? (this.current[k] as number) : 0;
      }
      this.ring[RETAINED_RECORDS * METRICS_HISTORY_SECONDS + slot] = retainedRecords;
      this.ring[RETAINED_BYTES * METRICS_HISTORY_SECONDS + slot] = retainedBytes;
    }
    // A loop, not fill(): a handful of entries, every shard every virtual second (a builtin call costs more).
    for (let k = 0; k < SERIES_COUNT; k++) this.current[k] = 0;
    this.currentSecond = second;
  }

  /** The value of a series in a completed second (0 if that second is no longer kept). */
  valueAt(series: ShardSeriesName, second: number): number {
    if (second >= this.currentSecond || second < this.currentSecond - METRICS_HISTORY_SECONDS) return 0;
    return this.ring[
      SHARD_SERIES.indexOf(series) * METRICS_HISTORY_SECONDS + (second % METRICS_HISTORY_SECONDS)
    ] as number;
  }

  /**
   * Copies the last `count` completed seconds of the series at `seriesIndex` in SHARD_SERIES, oldest first,
   * into `target` at `offset` (by index, no name lookup: the snapshot's hot loop).
   */
  copySeriesAt(seriesIndex: number, count: number, target: Float32Array, offset: number): void {
    const base = seriesIndex * METRICS_HISTORY_SECONDS;
    const n = Math.min(count, METRICS_HISTORY_SECONDS);
    const startSlot =
      (((this.currentSecond - n) % METRICS_HISTORY_SECONDS) + METRICS_HISTORY_SECONDS) %
      METRICS_HISTORY_SECONDS;
    const firstPart = Math.min(n, METRICS_HISTORY_SECONDS - startSlot);
    target.set(this.ring.subarray(base + startSlot, base + startSlot + firstPart), offset);
    if (firstPart < n) target.set(this.ring.subarray(base, base + n - firstPart), offset + firstPart);
  }
}
