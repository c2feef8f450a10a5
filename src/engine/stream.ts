import { CloudWatchPeriods } from './cloudWatchMetrics';
import { hashKeyFromBigInt, ShardLocator } from './hashKey';
import { HotKeySketch } from './hotKeys';
import { KeyTable } from './keyTable';
import { ExplicitTally, KeyWindow } from './keyWindow';
import { CallWindow, ReadLimiter, WriteLimiter } from './limiter';
import {
  GET_SHARD_ITERATOR_CALLS_PER_SECOND,
  KEY_WINDOW_EXACT_KEYS,
  type RecordDistribution,
  SEQUENCE_COUNTER_MAX,
  type StreamMode,
  type ThrottleModel,
} from './limits';
import { type DetailBudget, PayloadSlabs, RecordLog } from './recordLog';
import type { ReshardPlan } from './resharding';
import { formatSequenceNumber, type SequenceFields, SequenceNumbers, sequenceBase } from './sequenceNumber';
import { ShardMetrics } from './shardMetrics';

/** Stream lifecycle states [model §7]. */
export type StreamStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';

/**
 * The shard index a ShardId names, as AWS reads it: the digits after the first '-' (shardId-5, shard-0) or a
 * bare number; undefined when that is not a number below 2^31 [model §2].
 */
export function shardIndexOf(shardIdText: string): number | undefined {
  const dash = shardIdText.indexOf('-');
  const digits = dash >= 0 ? shardIdText.slice(dash + 1) : shardIdText;
  const index = /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
  return Number.isInteger(index) && index < 2 ** 31 ? index : undefined;
}

/** `shardId-` + the index zero-padded to 12 digits [model §2]. */
export function shardIdOf(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`;
}

/**
 * One shard, open or closed. A closed shard (after a split or merge) keeps its records, readable until
 * retention ends, and its lineage through parent ids; it is listed until close + retention (Stream.isListed).
 */
export class Shard {
  readonly shardId: string;
  readonly startWords = new Uint32Array(4);
  readonly endWords = new Uint32Array(4);
  readonly createdSec: number;
  /** Virtual epoch ms the shard was created, and closed (undefined while open). */
  readonly createdMs: number;
  /**
   * Virtual epoch ms it began taking writes (a split's or merge's children: when their parents closed). A
   * piece UpdateShardCount makes and closes in one step takes none: its openedMs is its close (see
   * resharding.ts closeShard).
   */
  openedMs: number;
  closedAtMs: number | undefined;
  /** Set once the shard is EXPIRED (Stream.settleExpiredShards): a longer retention later never lists it again. */
  expired = false;
  readonly log: RecordLog;
  readonly writes: WriteLimiter;
  readonly reads: ReadLimiter;
  /** GetShardIterator's calls on this shard [model §6]. */
  readonly iteratorCalls = new CallWindow(GET_SHARD_ITERATOR_CALLS_PER_SECOND);
  readonly metrics: ShardMetrics;

  readonly index: number;
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
  readonly parentShardId: string | undefined;
  readonly adjacentParentShardId: string | undefined;
  /** Its stream's sequence-number tag, written into every number of this shard. */
  readonly streamTag: number;

  constructor(
    index: number,
    startingHashKey: bigint,
    endingHashKey: bigint,
    createdMs: number,
    keys: KeyTable,
    payloads: PayloadSlabs,
    throttle: ThrottleModel,
    maxRecordBytes: number,
    streamTag: number,
    parentShardId?: string,
    adjacentParentShardId?: string,
    openedMs = createdMs,
  ) {
    this.index = index;
    this.streamTag = streamTag;
    this.startingHashKey = startingHashKey;
    this.endingHashKey = endingHashKey;
    this.parentShardId = parentShardId;
    this.adjacentParentShardId = adjacentParentShardId;
    this.shardId = shardIdOf(index);
    hashKeyFromBigInt(startingHashKey, this.startWords);
    hashKeyFromBigInt(endingHashKey, this.endWords);
    this.createdMs = createdMs;
    this.openedMs = openedMs;
    this.createdSec = Math.floor(createdMs / 1000);
    this.log = new RecordLog(keys, payloads);
    // A child of a split or merge takes writes from the instant its parents close (`openedMs`), though its
    // sequence numbers say it was created a second later, as AWS's do.
    this.writes = new WriteLimiter(throttle, openedMs, maxRecordBytes);
    this.reads = new ReadLimiter(openedMs);
    this.metrics = new ShardMetrics(Math.floor(openedMs / 1000));
  }

  get isOpen(): boolean {
    return this.closedAtMs === undefined;
  }

  /**
   * The sequence number of this shard's record with the given ordinal. Records count from 1: counter 0 is
   * the shard's StartingSequenceNumber, so even a record written in the shard's first second sorts after it
   * (AFTER_SEQUENCE_NUMBER on the StartingSequenceNumber must not skip the first record).
   */
  sequenceNumberOf(ordinal: number, arrivalMs: number): string {
    return this.sequenceNumbers.format(this.sequenceBaseAt(arrivalMs), ordinal + 1);
  }

  /**
   * sequenceNumberOf's number as ASCII digit codes (56 of them) written into `out` at `at`; returns the
   * index after them.
   */
  writeSequenceNumber(ordinal: number, arrivalMs: number, out: Uint8Array, at: number): number {
    return this.sequenceNumbers.write(this.sequenceBaseAt(arrivalMs), ordinal + 1, out, at);
  }

  /** The fields but the counter of the numbers of records arriving at `arrivalMs` (see sequenceBase). */
  private sequenceBaseAt(arrivalMs: number): bigint {
    const arrivalSec = Math.floor(arrivalMs / 1000);
    // Every record of a second shares all fields but the counter: build them once per second.
    if (arrivalSec !== this.sequenceBaseSec) {
      this.sequenceBaseSec = arrivalSec;
      this.sequenceBaseValue = sequenceBase({
        shardCreatedSec: this.createdSec,
        shardIndex: this.index,
        arrivalSec,
        streamTag: this.streamTag,
      });
    }
    return this.sequenceBaseValue;
  }
  private readonly sequenceNumbers = new SequenceNumbers();
  private sequenceBaseSec = -1;
  private sequenceBaseValue = 0n;

  /** The record ordinal a sequence number's counter stands for (counter 0, the shard start, is before ordinal 0). */
  static ordinalOfCounter(counter: number): number {
    return counter - 1;
  }

  /** StartingSequenceNumber: counter 0, arrival = the shard's creation [model §2]. */
  get startingSequenceNumber(): string {
    return formatSequenceNumber({
      shardCreatedSec: this.createdSec,
      shardIndex: this.index,
      counter: 0n,
      arrivalSec: this.createdSec,
      streamTag: this.streamTag,
    });
  }

  /** EndingSequenceNumber of a closed shard: the maximal counter, arrival = close time. */
  get endingSequenceNumber(): string | undefined {
    if (this.closedAtMs === undefined) return undefined;
    return formatSequenceNumber({
      shardCreatedSec: this.createdSec,
      shardIndex: this.index,
      counter: SEQUENCE_COUNTER_MAX,
      arrivalSec: Math.floor(this.closedAtMs / 1000),
      streamTag: this.streamTag,
    });
  }
}

/** Everything Shardlab knows of one stream. */
export class Stream {
  status: StreamStatus = 'CREATING';
  /** When the current CREATING/UPDATING/DELETING state ends (virtual ms); Infinity when ACTIVE. */
  transitionAtMs: number;
  readonly keys = new KeyTable();
  /** Where its shards' logs copy small payloads, side by side (see PayloadSlabs). */
  readonly payloads = new PayloadSlabs();
  /** Attempts per key in the virtual second in progress (`keySecond`); closed into `keyWindow` when it ends. */
  readonly hotKeys: HotKeySketch;
  readonly keyWindow = new KeyWindow();
  /** Records routed by ExplicitHashKeys in the second in progress, per partition key and shard. */
  readonly explicitTally = new ExplicitTally();
  /** The virtual second (epoch s) `hotKeys` is counting. */
  keySecond: number;
  /** Every shard ever created, by index; closed shards stay until their records have expired. */
  readonly shards: Shard[] = [];
  /** Open shards sorted by StartingHashKey, and a locator over their ranges. */
  openShards: Shard[] = [];
  locator: ShardLocator;
  /** Bumped whenever the open shards change, invalidating the key table's cached routes. */
  routeEpoch = 1;
  retentionHours: number;
  maxRecordSizeKiB: number;
  encryptionType: 'NONE' | 'KMS' = 'NONE';
  /** The stream's tags, key → value (AddTagsToStream, CreateStream's Tags; see tags.ts). */
  readonly tags = new Map<string, string>();
  /**
   * The engine's budget of records and payload bytes held in detail, which every stream's shards share:
   * past it the oldest records across all streams are held as counts only.
   */
  readonly budget: DetailBudget;
  /** The resharding the stream is UPDATING for, applied when that ends (Resharding.complete). */
  pendingReshard: ReshardPlan | undefined;
  /** Virtual ms of this stream's UpdateShardCount calls in the last 24 hours (oldest first). */
  shardCountUpdates: number[] = [];
  /** No retained record expires before this virtual instant (a lower bound kept by the engine's expiry pass). */
  expiryDueMs = Number.NEGATIVE_INFINITY;
  /** Attempts the engine saw, by outcome, since creation (PutRecord + each PutRecords entry). */
  totals = { accepted: 0, throttled: 0, rejected: 0 };
  /** Stream-level (basic) CloudWatch periods: IncomingRecords/Bytes and WriteProvisionedThroughputExceeded. */
  readonly cloudWatch = new CloudWatchPeriods();
  readonly arn: string;

  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** When the stream first became ACTIVE and could take writes (epoch ms); +∞ while it is CREATING. */
  writableSinceMs = Number.POSITIVE_INFINITY;
  /** Capacity mode: UpdateStreamMode changes it [model §15.3]. */
  mode: StreamMode;
  /** How records are placed [model §15.2]: by their hash key, or spread evenly (AUTO, on-demand only). */
  recordDistribution: RecordDistribution = 'USER_PARTITION_KEY';
  /** The next open shard (by position in openShards) an AUTO record goes to: even, in turn. */
  autoCursor = 0;
  /** Virtual ms of this stream's UpdateStreamMode calls in the last 24 hours, and the mode it switches to. */
  modeUpdates: number[] = [];
  pendingMode: StreamMode | undefined;
  /** The virtual second the open shards last changed (creation, resharding, scaling). */
  layoutChangedSec = 0;
  /** Records/s demand per virtual hour, for the 30-day peak (as hourlyPeakBytes). */
  readonly hourlyPeakRecords = new Float64Array(720);
  /** On-demand scaling [model §15.3]: the shards it will split, and when. */
  scalingAtMs = Number.POSITIVE_INFINITY;
  scalingShards: Shard[] = [];
  /** Write demand (bytes/s, accepted + throttled) per virtual hour, for the 30-day peak; slot = hour % 720. */
  readonly hourlyPeakBytes = new Float64Array(720);
  readonly hourlyPeakHour = new Float64Array(720).fill(-1);
  readonly createdMs: number;
  readonly throttle: ThrottleModel;
  /**
   * This stream's sequence-number tag (1–255), unique among the engine's live streams and the streams created
   * in the same virtual second, and different from the previous stream of the same name: every sequence number
   * of its shards carries it [model §15.6].
   */
  readonly sequenceTag: number;

  constructor(
    name: string,
    accountId: string,
    region: string,
    mode: StreamMode,
    createdMs: number,
    throttle: ThrottleModel,
    options: {
      retentionHours: number;
      maxRecordSizeKiB: number;
      budget: DetailBudget;
      transitionMs: number;
      sequenceTag: number;
    },
  ) {
    this.name = name;
    this.accountId = accountId;
    this.region = region;
    this.mode = mode;
    this.createdMs = createdMs;
    this.throttle = throttle;
    this.arn = `arn:aws:kinesis:${region}:${accountId}:stream/${name}`;
    this.retentionHours = options.retentionHours;
    this.maxRecordSizeKiB = options.maxRecordSizeKiB;
    this.budget = options.budget;
    this.sequenceTag = options.sequenceTag;
    this.transitionAtMs = createdMs + options.transitionMs;
    this.hotKeys = new HotKeySketch(this.keys, { exactKeys: KEY_WINDOW_EXACT_KEYS });
    this.keySecond = Math.floor(createdMs / 1000);
    this.locator = new ShardLocator([{ start: 0n, end: (1n << 128n) - 1n }]);
  }

  /**
   * Adds a shard with the next index, created at `createdMs` (its sequence numbers' stamp) and taking writes
   * from `openedMs` (default: the same); call reindexOpenShards once the open shards are final.
   */
  addShard(
    start: bigint,
    end: bigint,
    createdMs: number,
    parent?: string,
    adjacentParent?: string,
    openedMs = createdMs,
  ): Shard {
    const shard = new Shard(
      this.shards.length,
      start,
      end,
      createdMs,
      this.keys,
      this.payloads,
      this.throttle,
      this.maxRecordBytes,
      this.sequenceTag,
      parent,
      adjacentParent,
      openedMs,
    );
    this.budget.join(shard.log);
    this.shards.push(shard);
    return shard;
  }

  /**
   * The shard of this stream a sequence number came from, or undefined when it did not come from this stream:
   * its stream tag, its shard index and that shard's creation second must all match [model §15.6]. A number
   * of an earlier stream of the same name fails on the tag (or on the creation second).
   */
  shardOfSequence(fields: SequenceFields): Shard | undefined {
    if (fields.streamTag !== this.sequenceTag) return undefined;
    const shard = this.shards[fields.shardIndex];
    return shard !== undefined && shard.createdSec === fields.shardCreatedSec ? shard : undefined;
  }

  /**
   * Sets the maximum record size (UpdateMaxRecordSize [model §15.1]): it applies to the next record, and each
   * shard's write burst follows it (see WriteLimiter.setMaxRecordBytes).
   */
  setMaxRecordSizeKiB(kib: number, nowMs: number): void {
    this.maxRecordSizeKiB = kib;
    for (const shard of this.shards) shard.writes.setMaxRecordBytes(nowMs, this.maxRecordBytes);
  }

  /** Rebuilds routing after the set of open shards changed. */
  reindexOpenShards(): void {
    this.openShards = this.shards
      .filter((s) => s.isOpen)
      .sort((a, b) => (a.startingHashKey < b.startingHashKey ? -1 : 1));
    this.locator = new ShardLocator(
      this.openShards.map((s) => ({ start: s.startingHashKey, end: s.endingHashKey })),
    );
    this.routeEpoch++;
  }

  /**
   * Whether a shard still exists at `nowMs` (virtual epoch ms) for ListShards, DescribeStream, reads and the
   * page: open, or CLOSED less than RetentionPeriodHours ago. It turns EXPIRED at close + retention, whether or
   * not it ever held a record [model §9; AWS Developer Guide, "Data routing, data persistence, and shard state
   * after a reshard": "After the stream's retention period has expired … the shard itself transitions to an
   * EXPIRED state"]. Its records, which all arrived before it closed, have expired by then.
   */
  isListed(shard: Shard, nowMs: number): boolean {
    return shard.closedAtMs === undefined || (!shard.expired && nowMs < shard.closedAtMs + this.retentionMs);
  }

  /**
   * Marks EXPIRED for good every closed shard whose retention period has run out at `nowMs` (virtual epoch
   * ms): called before the retention changes, as increasing it never brings back what expired [model §8].
   */
  settleExpiredShards(nowMs: number): void {
    for (const shard of this.shards) if (!this.isListed(shard, nowMs)) shard.expired = true;
  }

  /** The shards listed at `nowMs` (isListed), in ShardId order. */
  listedShards(nowMs: number): Shard[] {
    return this.shards.filter((s) => this.isListed(s, nowMs));
  }

  get retentionMs(): number {
    return this.retentionHours * 3_600_000;
  }

  /** The widest count bucket of its shards (ms): count-only records expire late by less than this. */
  get countBucketMs(): number {
    let width = 1000;
    for (const shard of this.shards) width = Math.max(width, shard.log.countBucketMs);
    return width;
  }

  get maxRecordBytes(): number {
    return this.maxRecordSizeKiB * 1024;
  }

  get retainedRecords(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.log.retainedRecords;
    return n;
  }

  get detailRecords(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.log.detailRecords;
    return n;
  }

  /** Records of this stream released from detail early by the engine's budget, since creation. */
  get releasedRecords(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.log.releasedRecords;
    return n;
  }

  /** Of releasedRecords, those released because all streams' payloads reached the budget's bytes. */
  get releasedForPayloadRecords(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.log.releasedForPayloadRecords;
    return n;
  }

  /** Payload bytes its shards' logs hold (its share of the engine's payload budget). */
  get payloadBytes(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.log.payloadBytes;
    return n;
  }

  /** Gives what its shards hold back to the engine's budget: the stream is gone (DeleteStream ended). */
  leaveBudget(): void {
    for (const shard of this.shards) this.budget.leave(shard.log);
  }
}
