/**
 * What Amazon CloudWatch would show of a stream and its shards: per whole virtual minute (and per 5 minutes),
 * the data behind the statistics of `IncomingRecords`, `IncomingBytes` and `WriteProvisionedThroughputExceeded`.
 *
 * How Kinesis defines them ("Monitoring the Amazon Kinesis Data Streams Service with Amazon CloudWatch",
 * Kinesis Data Streams Developer Guide; stream-level metrics are basic, shard-level ones "enhanced"):
 * - IncomingRecords / IncomingBytes: "the number of records/bytes successfully put … over the specified time
 *   period … from PutRecord and PutRecords operations. Minimum, Maximum, and Average statistics represent
 *   the records/bytes in a single put operation … in the specified time period." So Sum counts accepted
 *   records only (throttled ones are not "successfully put"; repost.aws knowledge-center
 *   kinesis-data-stream-throttling: "CloudWatch metrics report only successful operations"), SampleCount
 *   counts put operations and Maximum is the most records (bytes) in one of them.
 * - WriteProvisionedThroughputExceeded: "the number of records rejected due to throttling … from PutRecord
 *   and PutRecords operations"; "the most commonly used statistic … is Average"; a non-zero Minimum means
 *   records were throttled throughout, a Maximum of 0 none. Shardlab takes each put operation as one sample
 *   whose value is the records throttled in it, which is what those sentences describe.
 * - Metrics are sent "every minute": 1-minute periods aligned to whole minutes; a 5-minute period is the
 *   sum (SampleCount, Sum) or maximum (Maximum) of its five 1-minute periods, as CloudWatch rolls them up.
 *
 * Where AWS is silent (engine/README.md): a put operation is a sample of a shard's metrics when at least one
 * of its entries went to that shard; an operation whose entries were all throttled is still a sample (its
 * IncomingRecords value is 0). Records simulated in aggregate (a jump, or a producer past what record by
 * record simulation keeps up with) are counted exactly in the sums, but their put operations are not known:
 * `aggregatedAttempts` counts them, and a period with any has no exact SampleCount, Average or Maximum.
 *
 * Besides what CloudWatch shows, each shard's period keeps the per-second truth it hides: its busiest
 * second (demand = accepted + throttled, records and bytes) and how many of its seconds throttled.
 *
 * Memory is fixed per shard and per stream (two small rings), allocated on first use; it never grows with
 * simulated time.
 */

/** The facts kept per period, in this order in every ring and snapshot array. */
export const CLOUDWATCH_FIELDS = [
  /** IncomingRecords Sum: records accepted. */
  'incomingRecords',
  /** IncomingBytes Sum: bytes (data + partition key) accepted. */
  'incomingBytes',
  /** WriteProvisionedThroughputExceeded Sum: records throttled. */
  'throttledRecords',
  /** SampleCount: put operations (PutRecord or PutRecords calls) that reached it. */
  'putOperations',
  /** IncomingRecords Maximum: most records accepted in a single put operation. */
  'maxRecords',
  /** IncomingBytes Maximum: most bytes accepted in a single put operation. */
  'maxBytes',
  /** WriteProvisionedThroughputExceeded Maximum: most records throttled in a single put operation. */
  'maxThrottled',
  /** IncomingRecords Minimum: fewest records accepted in a single put operation (0 once one was all throttled). */
  'minRecords',
  /** IncomingBytes Minimum: fewest bytes accepted in a single put operation. */
  'minBytes',
  /**
   * WriteProvisionedThroughputExceeded Minimum: fewest records throttled in a single put operation; above 0,
   * every put operation of the period was throttled.
   */
  'minThrottled',
  /** Attempts simulated in aggregate, whose put operations are not known (0 = the statistics are exact). */
  'aggregatedAttempts',
  /** Per-second truth (shards only): the busiest second's demand, records and bytes. */
  'peakSecondRecords',
  'peakSecondBytes',
  /** Per-second truth (shards only): seconds of the period in which at least one record was throttled. */
  'throttledSeconds',
] as const;
/** One fact kept per period. */
export type CloudWatchField = (typeof CLOUDWATCH_FIELDS)[number];
const FIELDS = CLOUDWATCH_FIELDS.length;
const F = Object.fromEntries(CLOUDWATCH_FIELDS.map((name, i) => [name, i])) as Record<
  CloudWatchField,
  number
>;
/** Fields that combine by maximum into a longer period, and by minimum (the others add up). */
const IS_MAX = CLOUDWATCH_FIELDS.map((name) => name.startsWith('max') || name.startsWith('peak'));
const IS_MIN = CLOUDWATCH_FIELDS.map((name) => name.startsWith('min'));

/** 1-minute periods kept per shard and per stream: the last hour. */
export const ONE_MINUTE_PERIODS_KEPT = 60;
/** 5-minute periods kept per shard and per stream: the last 3 hours. */
export const FIVE_MINUTE_PERIODS_KEPT = 36;
const MINUTE_MS = 60_000;

/**
 * A ring of the last `kept` periods of `periodMinutes` minutes each (aligned to whole multiples of the
 * period since the epoch, as CloudWatch aligns them), field-major: ring[field * kept + period % kept].
 */
export class PeriodRing {
  readonly periodMinutes: number;
  readonly kept: number;
  private ring: Float64Array | undefined;
  /** The newest period (epoch minutes / periodMinutes) the ring holds, or -Infinity before any. */
  newestPeriod = Number.NEGATIVE_INFINITY;

  constructor(periodMinutes: number, kept: number) {
    this.periodMinutes = periodMinutes;
    this.kept = kept;
  }

  /** The ring slot of the period holding epoch minute `minute`, rolling forward to it; -1 if too old. */
  private slotOf(minute: number): number {
    const period = Math.floor(minute / this.periodMinutes);
    const kept = this.kept;
    if (!this.ring) this.ring = new Float64Array(FIELDS * kept);
    if (period > this.newestPeriod) {
      // Periods skipped without data hold zeros; at most `kept` slots are cleared, however long the gap.
      const from = Math.max(this.newestPeriod + 1, period - kept + 1);
      for (let p = from; p <= period; p++) {
        const slot = p % kept;
        for (let f = 0; f < FIELDS; f++) this.ring[f * kept + slot] = 0;
      }
      this.newestPeriod = period;
    } else if (period <= this.newestPeriod - kept) return -1;
    return period % kept;
  }

  /** Adds a value to a field of a slot; `sampled`: whether the slot already had put operations (minima). */
  private add(slot: number, field: number, value: number, sampled = true): void {
    const ring = this.ring as Float64Array;
    const at = field * this.kept + slot;
    ring[at] = IS_MAX[field]
      ? Math.max(ring[at] as number, value)
      : IS_MIN[field]
        ? sampled
          ? Math.min(ring[at] as number, value)
          : value
        : (ring[at] as number) + value;
  }

  /** Put operations the slot holds so far. */
  private operationsAt(slot: number): number {
    return (this.ring as Float64Array)[F.putOperations * this.kept + slot] as number;
  }

  /**
   * What CloudWatchPeriods summed for minute `minute`, one value per field (sums, maxima, minima): the only
   * way facts reach a ring.
   */
  addPending(minute: number, pending: Float64Array): void {
    const slot = this.slotOf(minute);
    if (slot < 0) return;
    const sampled = this.operationsAt(slot) > 0;
    const operations = pending[F.putOperations] as number;
    for (let f = 0; f < FIELDS; f++) {
      const value = pending[f] as number;
      // A minimum counts only where there were operations (0 is then a value, not "none").
      if (IS_MIN[f]) {
        if (operations > 0) this.add(slot, f, value, sampled);
      } else if (value !== 0) this.add(slot, f, value);
    }
  }

  /** A field of the period holding epoch minute `minute` (0 if it is not kept or had no data). */
  valueAt(field: CloudWatchField, minute: number): number {
    const period = Math.floor(minute / this.periodMinutes);
    if (!this.ring || period > this.newestPeriod || period <= this.newestPeriod - this.kept) return 0;
    return this.ring[F[field] * this.kept + (period % this.kept)] as number;
  }

  /**
   * Copies the `count` periods that end at or before epoch minute `endMinute` (exclusive: the periods
   * completed by then), oldest first, field-major into `target` from `offset`:
   * target[offset + field * stride + i] for i < count. Periods not kept or without data are zeros.
   */
  copyCompleted(
    endMinute: number,
    count: number,
    target: Float64Array,
    offset: number,
    stride: number,
  ): void {
    const lastPeriod = Math.floor(endMinute / this.periodMinutes) - 1;
    const firstPeriod = lastPeriod - count + 1;
    const ring = this.ring;
    if (!ring) return;
    const kept = this.kept;
    const from = Math.max(firstPeriod, this.newestPeriod - kept + 1);
    const to = Math.min(lastPeriod, this.newestPeriod);
    for (let p = from; p <= to; p++) {
      const slot = p % kept;
      const i = p - firstPeriod;
      for (let f = 0; f < FIELDS; f++) target[offset + f * stride + i] = ring[f * kept + slot] as number;
    }
  }
}

// Field indexes as constants: the per-record path reads them on every write.
const OPS = F.putOperations;
const RECORDS = F.incomingRecords;
const BYTES = F.incomingBytes;
const THROTTLED = F.throttledRecords;
const MAX_RECORDS = F.maxRecords;
const MAX_BYTES = F.maxBytes;
const MAX_THROTTLED = F.maxThrottled;
const MIN_RECORDS = F.minRecords;
const MIN_BYTES = F.minBytes;
const MIN_THROTTLED = F.minThrottled;
const AGGREGATED = F.aggregatedAttempts;
const PEAK_RECORDS = F.peakSecondRecords;
const PEAK_BYTES = F.peakSecondBytes;
const THROTTLED_SECONDS = F.throttledSeconds;

/**
 * The CloudWatch periods of one shard or one stream: 1-minute and 5-minute rings fed together. What arrives
 * (put operations, aggregate steps, completed seconds) is summed per field for the current minute first, and
 * moved into both rings when the minute changes or the rings are read: sums add and maxima take the larger
 * in any order, so the facts are the same, at a fraction of the cost (a 500-entry PutRecords over 500 shards
 * is 500 operations of one record; a jump's aggregate step touches every shard every second).
 */
export class CloudWatchPeriods {
  private readonly one = new PeriodRing(1, ONE_MINUTE_PERIODS_KEPT);
  private readonly five = new PeriodRing(5, FIVE_MINUTE_PERIODS_KEPT);
  private pendingMinute = 0;
  private pendingAny = false;
  private readonly pending = new Float64Array(FIELDS);

  /** The 1-minute periods (reading them moves the pending minute in first). */
  get oneMinute(): PeriodRing {
    this.flush();
    return this.one;
  }

  /** The 5-minute periods (reading them moves the pending minute in first). */
  get fiveMinutes(): PeriodRing {
    this.flush();
    return this.five;
  }

  /** The pending sums of minute `minute` (the previous minute's moved into the rings first). */
  private at(minute: number): Float64Array {
    if (minute !== this.pendingMinute) {
      this.flush();
      this.pendingMinute = minute;
    }
    this.pendingAny = true;
    return this.pending;
  }

  /** A PutRecord of one record in minute `minute`: accepted (`bytes` = data + key) or throttled. */
  addSingle(minute: number, bytes: number, throttled: boolean): void {
    const p = this.at(minute);
    const first = p[OPS] === 0;
    p[OPS] = (p[OPS] as number) + 1;
    // This operation's values: 1 or 0 record (bytes or 0) accepted, 0 or 1 throttled.
    const records = throttled ? 0 : 1;
    const accepted = throttled ? 0 : bytes;
    const refused = throttled ? 1 : 0;
    if (first || records < (p[MIN_RECORDS] as number)) p[MIN_RECORDS] = records;
    if (first || accepted < (p[MIN_BYTES] as number)) p[MIN_BYTES] = accepted;
    if (first || refused < (p[MIN_THROTTLED] as number)) p[MIN_THROTTLED] = refused;
    if (throttled) {
      p[THROTTLED] = (p[THROTTLED] as number) + 1;
      if ((p[MAX_THROTTLED] as number) < 1) p[MAX_THROTTLED] = 1;
    } else {
      p[RECORDS] = (p[RECORDS] as number) + 1;
      p[BYTES] = (p[BYTES] as number) + bytes;
      if ((p[MAX_RECORDS] as number) < 1) p[MAX_RECORDS] = 1;
      if (bytes > (p[MAX_BYTES] as number)) p[MAX_BYTES] = bytes;
    }
  }

  /** One put operation in minute `minute`: records and bytes accepted, records throttled. */
  addOperation(minute: number, records: number, bytes: number, throttled: number): void {
    const p = this.at(minute);
    const first = p[OPS] === 0;
    if (first || records < (p[MIN_RECORDS] as number)) p[MIN_RECORDS] = records;
    if (first || bytes < (p[MIN_BYTES] as number)) p[MIN_BYTES] = bytes;
    if (first || throttled < (p[MIN_THROTTLED] as number)) p[MIN_THROTTLED] = throttled;
    p[OPS] = (p[OPS] as number) + 1;
    p[RECORDS] = (p[RECORDS] as number) + records;
    p[BYTES] = (p[BYTES] as number) + bytes;
    p[THROTTLED] = (p[THROTTLED] as number) + throttled;
    if (records > (p[MAX_RECORDS] as number)) p[MAX_RECORDS] = records;
    if (bytes > (p[MAX_BYTES] as number)) p[MAX_BYTES] = bytes;
    if (throttled > (p[MAX_THROTTLED] as number)) p[MAX_THROTTLED] = throttled;
  }

  /** Attempts simulated in aggregate in minute `minute`: exact sums, unknown put operations. */
  addAggregate(minute: number, records: number, bytes: number, throttled: number): void {
    const p = this.at(minute);
    p[RECORDS] = (p[RECORDS] as number) + records;
    p[BYTES] = (p[BYTES] as number) + bytes;
    p[THROTTLED] = (p[THROTTLED] as number) + throttled;
    p[AGGREGATED] = (p[AGGREGATED] as number) + records + throttled;
  }

  /** One completed second of minute `minute`: its demand (records, bytes) and whether it throttled. */
  addSecond(minute: number, demandRecords: number, demandBytes: number, throttled: boolean): void {
    // A second without demand adds nothing (and throttles nothing).
    if (demandRecords === 0 && !throttled) return;
    const p = this.at(minute);
    if (demandRecords > (p[PEAK_RECORDS] as number)) p[PEAK_RECORDS] = demandRecords;
    if (demandBytes > (p[PEAK_BYTES] as number)) p[PEAK_BYTES] = demandBytes;
    if (throttled) p[THROTTLED_SECONDS] = (p[THROTTLED_SECONDS] as number) + 1;
  }

  private flush(): void {
    if (!this.pendingAny) return;
    this.one.addPending(this.pendingMinute, this.pending);
    this.five.addPending(this.pendingMinute, this.pending);
    this.pending.fill(0);
    this.pendingAny = false;
  }
}

/** What the write path needs of a shard to count it in a put operation (ShardMetrics has these). */
export interface OperationShard {
  readonly periods: CloudWatchPeriods;
  /** The operation in progress's records accepted, bytes accepted and records throttled on this shard. */
  opRecords: number;
  opBytes: number;
  opThrottled: number;
  /** Whether this shard is already listed in the operation in progress. */
  inOperation: boolean;
}

/**
 * Tells the CloudWatch periods where put operations begin and end. The write path counts every record it
 * accepts or throttles (`count`); a record counted while no operation is open is a PutRecord of its own.
 * A PutRecords request (the API's, or a simulated producer's) opens an operation with `begin` and closes it
 * with `end`: each shard it touched gets one sample of what went to it, and the stream one sample of the
 * whole request. Aggregate steps, whose requests are not simulated one by one, call `countAggregate`.
 */
export class PutOperations {
  private open = false;
  private stream: CloudWatchPeriods | undefined;
  private streamRecords = 0;
  private streamBytes = 0;
  private streamThrottled = 0;
  private readonly touched: OperationShard[] = [];

  /** Opens a put operation (a PutRecords request) on a stream; a nested begin is ignored. */
  begin(): void {
    if (this.open) return;
    this.open = true;
  }

  /** Closes the operation in progress at virtual time `nowMs`: one sample per shard it touched, one for the stream. */
  end(nowMs: number): void {
    if (!this.open) return;
    this.open = false;
    const minute = Math.floor(nowMs / MINUTE_MS);
    for (const shard of this.touched) {
      shard.periods.addOperation(minute, shard.opRecords, shard.opBytes, shard.opThrottled);
      shard.opRecords = 0;
      shard.opBytes = 0;
      shard.opThrottled = 0;
      shard.inOperation = false;
    }
    this.touched.length = 0;
    if (this.stream)
      this.stream.addOperation(minute, this.streamRecords, this.streamBytes, this.streamThrottled);
    this.stream = undefined;
    this.streamRecords = 0;
    this.streamBytes = 0;
    this.streamThrottled = 0;
  }

  /** One record accepted (`throttled` false, `bytes` data + key) or throttled on a shard of a stream, at `nowMs`. */
  count(
    stream: CloudWatchPeriods,
    shard: OperationShard,
    bytes: number,
    throttled: boolean,
    nowMs: number,
  ): void {
    if (!this.open) {
      const minute = Math.floor(nowMs / MINUTE_MS);
      shard.periods.addSingle(minute, bytes, throttled);
      stream.addSingle(minute, bytes, throttled);
      return;
    }
    this.stream = stream;
    if (!shard.inOperation) {
      shard.inOperation = true;
      this.touched.push(shard);
    }
    if (throttled) {
      shard.opThrottled++;
      this.streamThrottled++;
    } else {
      shard.opRecords++;
      shard.opBytes += bytes;
      this.streamRecords++;
      this.streamBytes += bytes;
    }
  }

  /** Attempts simulated in aggregate on a shard at `nowMs`: `accepted` records of `acceptedBytes`, `throttled`. */
  countAggregate(
    stream: CloudWatchPeriods,
    shard: OperationShard,
    accepted: number,
    acceptedBytes: number,
    throttled: number,
    nowMs: number,
  ): void {
    const minute = Math.floor(nowMs / MINUTE_MS);
    shard.periods.addAggregate(minute, accepted, acceptedBytes, throttled);
    stream.addAggregate(minute, accepted, acceptedBytes, throttled);
  }
}
