import {
  SHARD_READ_BYTES_PER_SECOND,
  SHARD_READ_CALLS_PER_SECOND,
  SHARD_WRITE_BYTES_PER_SECOND,
  SHARD_WRITE_RECORDS_PER_SECOND,
  type ThrottleModel,
} from './limits';

/**
 * A shard's write allowance [model §0, §6]: 1,000 records/s AND 1 MiB/s of data + partition-key bytes.
 * A record is accepted only if both allow it; a throttled record consumes nothing.
 *
 * - 'token-bucket': two buckets that start full and refill continuously. The byte bucket holds
 *   max(1 MiB, the stream's maximum record size) — the "tank that refills at a steady rate" of the
 *   large-records page: a stream with MaxRecordSizeInKiB above 1024 can take a record up to its maximum in
 *   a burst, and still averages 1 MiB/s.
 * - 'fixed-window': counters reset at each whole virtual second. A window allows 1 MiB, except that one
 *   record up to the maximum record size is accepted in an otherwise empty window (then it is full).
 */
export class WriteLimiter {
  private records: number;
  private bytes: number;
  private lastMs: number;
  /** The whole virtual second the fixed window's counters belong to (the allowance starts full in it). */
  private window: number;

  readonly model: ThrottleModel;
  private readonly recordsPerSecond: number;
  private readonly bytesPerSecond: number;
  /** The byte bucket's capacity (token bucket), or the largest single record of a window (fixed window). */
  burstBytes: number;

  constructor(
    model: ThrottleModel,
    nowMs: number,
    maxRecordBytes = SHARD_WRITE_BYTES_PER_SECOND,
    recordsPerSecond = SHARD_WRITE_RECORDS_PER_SECOND,
    bytesPerSecond = SHARD_WRITE_BYTES_PER_SECOND,
  ) {
    this.model = model;
    this.recordsPerSecond = recordsPerSecond;
    this.bytesPerSecond = bytesPerSecond;
    this.burstBytes = Math.max(bytesPerSecond, maxRecordBytes);
    this.records = recordsPerSecond;
    this.bytes = model === 'token-bucket' ? this.burstBytes : bytesPerSecond;
    this.lastMs = nowMs;
    this.window = Math.floor(nowMs / 1000);
  }

  /**
   * Follows a new maximum record size (UpdateMaxRecordSize): the burst becomes max(1 MiB, `maxRecordBytes`).
   * A token bucket holding more than its new capacity is cut down to it; a larger one fills at the usual
   * 1 MiB/s, so raising the maximum grants no bytes at once.
   */
  setMaxRecordBytes(nowMs: number, maxRecordBytes: number): void {
    if (nowMs !== this.lastMs) this.refill(nowMs);
    this.burstBytes = Math.max(this.bytesPerSecond, maxRecordBytes);
    if (this.model === 'token-bucket' && this.bytes > this.burstBytes) this.bytes = this.burstBytes;
  }

  /** Takes one record of `bytes` if the shard's allowance holds it; false means throttled. */
  tryTake(nowMs: number, bytes: number): boolean {
    if (nowMs !== this.lastMs) this.refill(nowMs);
    if (this.records < 1) return false;
    if (this.bytes < bytes && !this.takesOversized(bytes)) return false;
    this.records -= 1;
    this.bytes -= bytes;
    return true;
  }

  /** Fixed window: a record over the window's bytes (up to the burst) is taken alone in an empty window. */
  private takesOversized(bytes: number): boolean {
    return (
      this.model === 'fixed-window' &&
      bytes <= this.burstBytes &&
      this.records === this.recordsPerSecond &&
      this.bytes === this.bytesPerSecond
    );
  }

  /**
   * Aggregate simulation: takes up to `count` records of `bytesEach` bytes spread evenly over the virtual
   * interval (sinceMs, nowMs], and returns how many the shard took. A token bucket is treated as a fluid:
   * what it holds at sinceMs plus what it earns during the interval, so one call over a second takes what
   * a second of record-by-record writes would (up to 2,000 records after an idle spell, as a full bucket
   * plus its refill allows). Fixed windows reset at whole seconds, so callers keep intervals within one.
   */
  takeMany(nowMs: number, count: number, bytesEach: number, sinceMs = nowMs): number {
    if (this.model === 'token-bucket' && sinceMs < nowMs && sinceMs >= this.lastMs) {
      this.refill(sinceMs);
      const elapsed = (nowMs - sinceMs) / 1000;
      const records = this.records + elapsed * this.recordsPerSecond;
      const bytes = this.bytes + elapsed * this.bytesPerSecond;
      const byBytes = bytesEach > 0 ? Math.floor(bytes / bytesEach) : count;
      const taken = Math.max(0, Math.min(count, Math.floor(records), byBytes));
      this.records = Math.min(this.recordsPerSecond, records - taken);
      this.bytes = Math.min(this.burstBytes, bytes - taken * bytesEach);
      this.lastMs = nowMs;
      return taken;
    }
    if (nowMs !== this.lastMs) this.refill(nowMs);
    const byRecords = Math.floor(this.records);
    let byBytes = bytesEach > 0 ? Math.floor(this.bytes / bytesEach) : count;
    if (byBytes === 0 && byRecords > 0 && this.takesOversized(bytesEach)) byBytes = 1;
    const taken = Math.max(0, Math.min(count, byRecords, byBytes));
    this.records -= taken;
    this.bytes -= taken * bytesEach;
    return taken;
  }

  private refill(nowMs: number): void {
    if (this.model === 'fixed-window') {
      const window = Math.floor(nowMs / 1000);
      if (window !== this.window) {
        this.window = window;
        this.records = this.recordsPerSecond;
        this.bytes = this.bytesPerSecond;
      }
    } else {
      const elapsed = Math.max(0, nowMs - this.lastMs) / 1000;
      this.records = Math.min(this.recordsPerSecond, this.records + elapsed * this.recordsPerSecond);
      this.bytes = Math.min(this.burstBytes, this.bytes + elapsed * this.bytesPerSecond);
    }
    this.lastMs = nowMs;
  }
}

/**
 * A per-second call quota as AWS states them ("N transactions per second"): at most `perSecond` calls in any
 * rolling 1,000 virtual ms. A refused call does not count.
 */
export class CallWindow {
  /** Virtual ms of the calls admitted in the last second, oldest first. */
  private readonly times: number[] = [];
  private readonly perSecond: number;

  constructor(perSecond: number) {
    this.perSecond = perSecond;
  }

  /** Counts a call at `nowMs` if it fits: whether it did. */
  admit(nowMs: number): boolean {
    const times = this.times;
    while (times.length > 0 && (times[0] as number) <= nowMs - 1000) times.shift();
    if (times.length >= this.perSecond) return false;
    times.push(nowMs);
    return true;
  }
}

/**
 * A shard's shared read allowance [model §0, §6]: at most 5 GetRecords calls in any rolling second, and a
 * 2 MiB/s byte bucket that may go into debt (a 10 MiB read blocks the shard's reads for the next 5 s).
 */
export class ReadLimiter {
  private readonly calls = new CallWindow(SHARD_READ_CALLS_PER_SECOND);
  private bytes = SHARD_READ_BYTES_PER_SECOND;
  private lastMs: number;
  /** Reads are refused until then after a response larger than a second's allowance. */
  private blockedUntilMs = Number.NEGATIVE_INFINITY;

  constructor(nowMs: number) {
    this.lastMs = nowMs;
  }

  /** Admits one GetRecords call, or returns false if the shard's read allowance is spent. */
  admitCall(nowMs: number): boolean {
    this.refill(nowMs);
    if (nowMs < this.blockedUntilMs || this.bytes <= 0) return false;
    return this.calls.admit(nowMs);
  }

  /**
   * Charges the bytes a call returned; the bucket may go negative. A response larger than a second's
   * allowance blocks the shard's reads for as long as it takes to earn it: 10 MiB → the next 5 s [model §6].
   */
  charge(nowMs: number, bytes: number): void {
    this.bytes -= bytes;
    if (bytes > SHARD_READ_BYTES_PER_SECOND) {
      this.blockedUntilMs = Math.max(
        this.blockedUntilMs,
        nowMs + (bytes / SHARD_READ_BYTES_PER_SECOND) * 1000,
      );
    }
  }

  private refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.lastMs) / 1000;
    this.bytes = Math.min(SHARD_READ_BYTES_PER_SECOND, this.bytes + elapsed * SHARD_READ_BYTES_PER_SECOND);
    this.lastMs = nowMs;
  }
}
