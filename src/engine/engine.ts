import {
  type AccountLimits,
  accountUsage,
  createStreamRefusal,
  deleteStreamRefusal,
  describeLimits,
  resolveAccountLimits,
} from './accountLimits';
import { OPERATION_SHAPES, type OperationName, STREAM_ADDRESSED } from './api/operations';
import type { StructureShape } from './api/shape';
import { type TypedRequest, validateRequest } from './api/validation';
import { DryRunGate } from './dryRun';
import { errors, KinesisError } from './errors';
import { createStreamHashRanges, hashKeyAndUtf8Length, hashKeyFromDecimal, MAX_HASH_KEY } from './hashKey';
import { ROUTED_BY_EXPLICIT, ROUTED_BY_MD5 } from './hotKeys';
import { decodeIterator, decodeToken, encodeIterator, encodeToken, javaDateString } from './iterators';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  DESCRIBE_STREAM_DEFAULT_LIMIT,
  GET_RECORDS_MAX_BYTES,
  GET_RECORDS_MAX_RECORDS,
  LIST_SHARDS_DEFAULT_MAX_RESULTS,
  LIST_STREAMS_DEFAULT_LIMIT,
  MAX_RECORD_SIZE_KIB_DEFAULT,
  METRICS_HISTORY_SECONDS,
  NEXT_TOKEN_TTL_MS,
  ON_DEMAND_INITIAL_SHARDS,
  PUT_RECORDS_MAX_REQUEST_BYTES,
  RECORD_DETAIL_BUDGET_DEFAULT,
  RETENTION_HOURS_DEFAULT,
  RETENTION_HOURS_MAX,
  RETENTION_HOURS_MIN,
  SHARD_ITERATOR_TTL_MS,
  type StreamMode,
  type ThrottleModel,
  TRANSITION_MS_DEFAULT,
} from './limits';
import { utf8ByteLength } from './md5';
import { SeededRandom } from './random';
import { deriveStreamTag, parseSequenceNumber } from './sequenceNumber';
import { Shard, Stream, shardIdOf } from './stream';

/** Options of createEngine. */
export interface EngineOptions {
  /** default '000000000000' */
  accountId?: string;
  /** default 'us-east-1' */
  region?: string;
  /** Virtual epoch milliseconds at creation (default 2026-01-01T00:00:00Z). */
  startTimeMs?: number;
  /** All randomness comes from this (default 1). */
  seed?: number;
  /** Virtual CREATING→ACTIVE / UPDATING→ACTIVE / DELETING→gone delay, default 500. */
  transitionMs?: number;
  /** Write throttling model, default 'token-bucket'. */
  throttle?: ThrottleModel;
  /** Records per stream kept in detail before the oldest are held as counts only (default 4,000,000). */
  recordDetailBudget?: number;
  /**
   * The account's quotas [model §7, §15], for teaching: `shardLimit` (open shards of PROVISIONED streams,
   * default 20,000), `onDemandStreamCountLimit` (default 50), `creatingOrDeletingLimit` (streams CREATING or
   * DELETING at once, default 5). Whole numbers ≥ 0; see resolveAccountLimits.
   */
  accountLimits?: Partial<AccountLimits>;
}

/** The default virtual start: 2026-01-01T00:00:00Z, so runs do not depend on the host's clock. */
export const DEFAULT_START_TIME_MS = Date.UTC(2026, 0, 1);

/** A typed call's result: the operation's output, or the Kinesis error it would have returned. */
export type ApiResult = { ok: true; value: Record<string, unknown> } | { ok: false; error: KinesisError };

/** How one record attempt ended, from the fast in-process write path. */
export const WRITE_THROTTLED = -1;
/** writeRecord's result when the stream takes no writes (not ACTIVE or UPDATING). */
export const WRITE_REJECTED = -2;

/** Attempted records by outcome, engine-wide: each attempt is counted exactly once. */
export interface AttemptCounters {
  accepted: number;
  throttled: number;
  rejected: number;
}

type Handler = (request: TypedRequest) => Record<string, unknown>;

/**
 * The shard engine: streams, shards, records and their limits on a virtual clock. Pure and synchronous;
 * the host calls it and advances time. Errors are returned as Kinesis would, never thrown to the host.
 */
export class ShardEngine {
  readonly accountId: string;
  readonly region: string;
  readonly throttleModel: ThrottleModel;
  readonly transitionMs: number;
  readonly detailBudget: number;
  readonly random: SeededRandom;
  readonly counters: AttemptCounters = { accepted: 0, throttled: 0, rejected: 0 };
  /** The account's quotas, from EngineOptions.accountLimits and the defaults. */
  readonly accountLimits: AccountLimits;
  private nowMs: number;
  /** Streams created so far (an input of each new stream's sequence-number tag). */
  private streamsCreated = 0;
  /** The sequence-number tag of the last stream of each name, so a re-created stream never reuses it. */
  private readonly lastTagOfName = new Map<string, number>();
  /** Tags of the streams created in the virtual second `tagSecond` (live or already deleted). */
  private tagsOfSecond = new Set<number>();
  private tagSecond = Number.NaN;
  private readonly dryRuns = new DryRunGate();
  private readonly streams = new Map<string, Stream>();
  private readonly tokenSecret: number;
  private readonly handlers: Record<OperationName, Handler>;
  private readonly shapesWithRequiredName = new Map<OperationName, StructureShape>();
  private readonly routeScratch = new Uint32Array(4);
  /** The hash key of the record being written by putRecordFast or the API. */
  private readonly keyWords = new Uint32Array(4);
  /** The shard the last fast-path record (putRecordFast, putUnpinned, writeRecord) went to, whatever its outcome. */
  lastShardIndex = 0;
  /** Why the last fast-path record returned WRITE_REJECTED, as the Kinesis error PutRecord would give. */
  lastRejection: KinesisError | undefined;

  constructor(options: EngineOptions = {}) {
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.region = options.region ?? DEFAULT_REGION;
    this.nowMs = options.startTimeMs ?? DEFAULT_START_TIME_MS;
    this.random = new SeededRandom(options.seed ?? 1);
    this.transitionMs = Math.max(0, options.transitionMs ?? TRANSITION_MS_DEFAULT);
    this.throttleModel = options.throttle ?? 'token-bucket';
    this.detailBudget = options.recordDetailBudget ?? RECORD_DETAIL_BUDGET_DEFAULT;
    this.accountLimits = resolveAccountLimits(options.accountLimits);
    this.tokenSecret = this.random.nextUint32();
    this.handlers = {
      CreateStream: (r) => this.createStream(r),
      DeleteStream: (r) => this.deleteStream(r),
      ListStreams: (r) => this.listStreams(r),
      DescribeStream: (r) => this.describeStream(r),
      DescribeStreamSummary: (r) => this.describeStreamSummary(r),
      ListShards: (r) => this.listShards(r),
      PutRecord: (r) => this.putRecord(r),
      PutRecords: (r) => this.putRecords(r),
      GetShardIterator: (r) => this.getShardIterator(r),
      GetRecords: (r) => this.getRecords(r),
      IncreaseStreamRetentionPeriod: (r) => this.changeRetention(r, 'increase'),
      DecreaseStreamRetentionPeriod: (r) => this.changeRetention(r, 'decrease'),
      DescribeLimits: () => ({ ...describeLimits(this.accountLimits, accountUsage(this.streams.values())) }),
      UpdateMaxRecordSize: (r) => this.updateMaxRecordSize(r),
    };
    for (const name of STREAM_ADDRESSED) {
      const shape: StructureShape = OPERATION_SHAPES[name];
      const members = {
        ...shape.members,
        StreamName: { ...shape.members.StreamName, notNull: true },
      } as StructureShape['members'];
      this.shapesWithRequiredName.set(name, { type: 'Structure', members });
    }
  }

  /** Current virtual time, epoch milliseconds. */
  now(): number {
    return this.nowMs;
  }

  // ---------------------------------------------------------------- time

  /** Advances the virtual clock; state transitions, expiry and per-second metrics happen as time passes. */
  advanceTime(ms: number): void {
    if (!Number.isFinite(ms) || ms <= 0) return;
    const target = this.nowMs + ms;
    // Only the last METRICS_HISTORY_SECONDS seconds are kept per second: jump straight to them.
    const historyStart = (Math.floor(target / 1000) - METRICS_HISTORY_SECONDS - 1) * 1000;
    if (historyStart > this.nowMs) this.stepTo(historyStart);
    while (this.nowMs < target) {
      const nextSecond = (Math.floor(this.nowMs / 1000) + 1) * 1000;
      this.stepTo(Math.min(target, nextSecond));
    }
  }

  private stepTo(timeMs: number): void {
    this.nowMs = timeMs;
    const second = Math.floor(timeMs / 1000);
    for (const stream of [...this.streams.values()]) {
      if (stream.transitionAtMs <= timeMs) this.completeTransition(stream);
      if (!this.streams.has(stream.name)) continue;
      if (second > stream.keySecond) this.closeKeySecond(stream, second);
      this.expire(stream);
      for (const shard of stream.shards) {
        if (second > shard.metrics.currentSecond) {
          shard.metrics.rollTo(second, shard.log.retainedRecords, shard.log.retainedBytes);
        }
      }
    }
  }

  /** Ends the second the hot-key counters were counting: its hottest keys join the diagnosis window. */
  private closeKeySecond(stream: Stream, second: number): void {
    stream.keyWindow.close(stream.keySecond, stream.hotKeys, (words) =>
      stream.openShards.length > 0 ? this.routeHashKey(stream, words) : -1,
    );
    stream.hotKeys.reset();
    stream.keySecond = second;
  }

  private completeTransition(stream: Stream): void {
    stream.transitionAtMs = Number.POSITIVE_INFINITY;
    if (stream.status === 'DELETING') this.streams.delete(stream.name);
    else stream.status = 'ACTIVE';
  }

  /** Removes every record whose retention has ended: readable while now < arrival + retention. */
  private expire(stream: Stream, force = false): void {
    if (!force && this.nowMs < stream.expiryDueMs) return;
    const retention = stream.retentionMs;
    const cutoff = this.nowMs - retention;
    // A lower bound of the next expiry: a record written from now on expires at now + retention or later.
    let due = this.nowMs + retention;
    for (const shard of stream.shards) {
      let next = shard.log.nextExpiryMs(retention);
      if (next <= this.nowMs) {
        const removed = shard.log.expire(cutoff);
        if (removed.records > 0) shard.metrics.recordExpired(removed.records);
        next = shard.log.nextExpiryMs(retention);
      }
      if (next < due) due = next;
    }
    stream.expiryDueMs = due;
  }

  /** When the next retained record of a stream expires (virtual ms), or Infinity. */
  nextExpiryMs(streamName: string): number {
    const stream = this.streams.get(streamName);
    if (!stream) return Number.POSITIVE_INFINITY;
    let next = Number.POSITIVE_INFINITY;
    for (const shard of stream.shards) next = Math.min(next, shard.log.nextExpiryMs(stream.retentionMs));
    return next;
  }

  // ---------------------------------------------------------------- typed API

  /**
   * Runs one operation with a typed request (Data as Uint8Array): the same validation and semantics as
   * dispatch, without the JSON and base64 round trip.
   */
  call(operation: OperationName, request: TypedRequest): ApiResult {
    // A dry run attempts no record, whatever its answer.
    const attempted =
      request.DryRun === true
        ? 0
        : operation === 'PutRecord'
          ? 1
          : operation === 'PutRecords'
            ? countEntries(request)
            : 0;
    try {
      const needsName = STREAM_ADDRESSED.has(operation) && request.StreamARN === undefined;
      const shape = needsName
        ? (this.shapesWithRequiredName.get(operation) as StructureShape)
        : OPERATION_SHAPES[operation];
      const invalid = validateRequest(request, shape);
      if (invalid) throw invalid;
      return { ok: true, value: this.handlers[operation](request) };
    } catch (caught) {
      const error = caught instanceof KinesisError ? caught : errors.internalFailure();
      if (error.type !== 'ProvisionedThroughputExceededException') this.countRejected(attempted, request);
      return { ok: false, error };
    }
  }

  /**
   * Counts records of a refused request: engine-wide, and in the totals of the stream the request names
   * (by a StreamName or StreamARN string), if that stream exists.
   */
  countRejected(records: number, request?: Record<string, unknown>): void {
    if (records <= 0) return;
    this.counters.rejected += records;
    const stream = request ? this.namedStream(request) : undefined;
    if (stream) stream.totals.rejected += records;
  }

  /** The existing stream a request names, without any checks (for attributing refused records). */
  private namedStream(request: Record<string, unknown>): Stream | undefined {
    if (typeof request.StreamName === 'string') return this.streams.get(request.StreamName);
    if (typeof request.StreamARN !== 'string') return undefined;
    const match = /^arn:aws[^:]*:kinesis:([^:]*):(\d{12}):stream\/(.+)$/.exec(request.StreamARN);
    if (!match || match[1] !== this.region || match[2] !== this.accountId) return undefined;
    return this.streams.get(match[3] as string);
  }

  /** The stream with this name, for the fast write path and snapshots. */
  stream(name: string): Stream | undefined {
    return this.streams.get(name);
  }

  /** Names of all streams, in creation order. */
  streamNames(): string[] {
    return [...this.streams.keys()];
  }

  /** Interns a partition key for repeated fast writes and pins it; returns its key id. */
  pinKey(stream: Stream, partitionKey: string): number {
    const id = stream.keys.intern(partitionKey);
    stream.keys.retain(id);
    return id;
  }

  /** Unpins a key pinned with pinKey. */
  unpinKey(stream: Stream, keyId: number): void {
    stream.keys.release(keyId);
  }

  /** The open shard (index into stream.shards) a key id routes to, by its MD5 hash key. */
  routeKey(stream: Stream, keyId: number): number {
    const keys = stream.keys;
    if (keys.routeEpoch[keyId] === stream.routeEpoch) return keys.routeShard[keyId] as number;
    const shard = (stream.openShards[stream.locator.locate(keys.hashWords, keyId * 4)] as Shard).index;
    keys.routeShard[keyId] = shard;
    keys.routeEpoch[keyId] = stream.routeEpoch;
    return shard;
  }

  /** The open shard (index into stream.shards) holding a 128-bit hash key given as 4 words. */
  routeHashKey(stream: Stream, words: Uint32Array, offset = 0): number {
    return (stream.openShards[stream.locator.locate(words, offset)] as Shard).index;
  }

  /**
   * The fast write path for producers (no validation beyond what the producer guarantees): writes one record
   * of `dataBytes` with a pinned key id to shard `shardIndex`. `explicitHashKey` (4 words) is the
   * ExplicitHashKey the record was routed by, if any: the hot-key counters count the record under it.
   * Returns the shard index if accepted, or WRITE_THROTTLED / WRITE_REJECTED (`lastShardIndex` is
   * `shardIndex` either way).
   */
  writeRecord(
    stream: Stream,
    shardIndex: number,
    keyId: number,
    dataBytes: number,
    payload?: Uint8Array,
    explicitHashKey?: Uint32Array,
  ): number {
    this.lastShardIndex = shardIndex;
    if (stream.status !== 'ACTIVE' && stream.status !== 'UPDATING') return this.reject(stream);
    const shard = stream.shards[shardIndex] as Shard;
    const keyBytes = stream.keys.utf8Bytes[keyId] as number;
    const bytes = dataBytes + keyBytes;
    if (bytes > stream.maxRecordBytes) return this.rejectTooLarge(stream, dataBytes, keyBytes);
    if (!shard.writes.tryTake(this.nowMs, bytes)) {
      shard.metrics.recordThrottled(1, bytes);
      if (explicitHashKey)
        stream.hotKeys.addHash(explicitHashKey, 0, stream.keys.keyOf(keyId), 1, 1, bytes, ROUTED_BY_EXPLICIT);
      else stream.hotKeys.addKey(keyId, 1, 1, bytes);
      stream.keys.releaseIfUnused(keyId);
      stream.totals.throttled++;
      this.counters.throttled++;
      return WRITE_THROTTLED;
    }
    stream.keys.retain(keyId);
    shard.log.append(this.nowMs, keyId, dataBytes, payload);
    shard.metrics.recordAccepted(bytes);
    if (explicitHashKey)
      stream.hotKeys.addHash(explicitHashKey, 0, stream.keys.keyOf(keyId), 1, 0, bytes, ROUTED_BY_EXPLICIT);
    else stream.hotKeys.addKey(keyId, 1, 0, bytes);
    stream.totals.accepted++;
    this.counters.accepted++;
    if (++stream.detailUpperBound > stream.detailBudget) this.enforceDetailBudget(stream);
    return shardIndex;
  }

  /**
   * PutRecord in-process for any partition key, with no JSON, no validation and no key interning: routes by
   * the MD5 of `partitionKey` (or by its cached route if the key is pinned), throttles, stores the record
   * (the key string itself; with `payload` if given, else as `dataBytes` zero bytes), counts metrics and hot
   * keys — the semantics of a valid PutRecord. The caller guarantees what validation would check: a key of
   * 1–256 UTF-16 units, and data + key within the stream's maximum record size. Returns the shard index
   * (the record's sequence counter is then `stream.shards[i].log.nextOrdinal - 1`), WRITE_THROTTLED or
   * WRITE_REJECTED; `lastShardIndex` is the shard it was routed to in every case.
   */
  putRecordFast(stream: Stream, partitionKey: string, dataBytes: number, payload?: Uint8Array): number {
    if (stream.keys.size > 0) {
      const keyId = stream.keys.find(partitionKey);
      if (keyId >= 0) return this.writePinned(stream, keyId, dataBytes, payload);
    }
    // putUnpinned, written out: one call level less on the path the benchmark holds to the MD5 rate.
    const words = this.keyWords;
    const keyBytes = hashKeyAndUtf8Length(partitionKey, words);
    const open = stream.openShards;
    const shardIndex = open.length > 0 ? (open[stream.locator.locate(words, 0)] as Shard).index : 0;
    return this.writeDirect(stream, shardIndex, partitionKey, keyBytes, words, dataBytes, payload);
  }

  /**
   * putRecordFast for a key the caller knows is new or not worth looking up (unbounded key sets such as
   * sequence numbers or timestamps): the record holds the key string even if the key happens to be pinned,
   * which changes nothing but its storage. Returns the shard index, WRITE_THROTTLED or WRITE_REJECTED;
   * `lastShardIndex` is the shard it was routed to in every case.
   */
  putUnpinned(stream: Stream, partitionKey: string, dataBytes: number, payload?: Uint8Array): number {
    const words = this.keyWords;
    const keyBytes = hashKeyAndUtf8Length(partitionKey, words);
    const open = stream.openShards;
    const shardIndex = open.length > 0 ? (open[stream.locator.locate(words, 0)] as Shard).index : 0;
    return this.writeDirect(stream, shardIndex, partitionKey, keyBytes, words, dataBytes, payload);
  }

  /** putRecordFast for a key that is interned: its cached route and key id. */
  private writePinned(stream: Stream, keyId: number, dataBytes: number, payload?: Uint8Array): number {
    const shardIndex = stream.openShards.length > 0 ? this.routeKey(stream, keyId) : 0;
    return this.writeRecord(stream, shardIndex, keyId, dataBytes, payload);
  }

  /**
   * writeRecord for a key that is not interned: `words` holds the hash key it was routed by (its MD5, or
   * its ExplicitHashKey when `explicit`), `keyBytes` its UTF-8 size. The accepted path is kept small (the
   * rare outcomes are out of line) so it inlines into putRecordFast.
   */
  private writeDirect(
    stream: Stream,
    shardIndex: number,
    partitionKey: string,
    keyBytes: number,
    words: Uint32Array,
    dataBytes: number,
    payload: Uint8Array | undefined,
    explicit = false,
  ): number {
    this.lastShardIndex = shardIndex;
    if (stream.status !== 'ACTIVE' && stream.status !== 'UPDATING') return this.reject(stream);
    const shard = stream.shards[shardIndex] as Shard;
    const now = this.nowMs;
    const bytes = dataBytes + keyBytes;
    if (bytes > stream.maxRecordBytes) return this.rejectTooLarge(stream, dataBytes, keyBytes);
    if (!shard.writes.tryTake(now, bytes))
      return this.throttleDirect(stream, shard, partitionKey, bytes, words, explicit);
    shard.log.appendDirect(now, partitionKey, keyBytes, dataBytes, payload);
    shard.metrics.recordAccepted(bytes);
    stream.hotKeys.addHash(
      words,
      0,
      partitionKey,
      1,
      0,
      bytes,
      explicit ? ROUTED_BY_EXPLICIT : ROUTED_BY_MD5,
    );
    stream.totals.accepted++;
    this.counters.accepted++;
    if (++stream.detailUpperBound > stream.detailBudget) this.enforceDetailBudget(stream);
    return shardIndex;
  }

  /** A record of a stream that takes no writes (not ACTIVE or UPDATING): PutRecord's ResourceNotFound. */
  private reject(stream: Stream): number {
    this.counters.rejected++;
    stream.totals.rejected++;
    this.lastRejection = errors.streamNotFound(stream.name, this.accountId);
    return WRITE_REJECTED;
  }

  /** A record whose data + key exceed the stream's maximum record size: PutRecord's InvalidArgumentException. */
  private rejectTooLarge(stream: Stream, dataBytes: number, keyBytes: number): number {
    this.counters.rejected++;
    stream.totals.rejected++;
    this.lastRejection = errors.recordTooLarge(dataBytes, keyBytes, stream.maxRecordBytes);
    return WRITE_REJECTED;
  }

  /** A throttled record whose key is not interned. */
  private throttleDirect(
    stream: Stream,
    shard: Shard,
    partitionKey: string,
    bytes: number,
    words: Uint32Array,
    explicit: boolean,
  ): number {
    shard.metrics.recordThrottled(1, bytes);
    stream.hotKeys.addHash(
      words,
      0,
      partitionKey,
      1,
      1,
      bytes,
      explicit ? ROUTED_BY_EXPLICIT : ROUTED_BY_MD5,
    );
    stream.totals.throttled++;
    this.counters.throttled++;
    return WRITE_THROTTLED;
  }

  /**
   * Aggregate simulation: `count` attempts of `bytesEach` bytes (data + key, on average) on one shard, spread
   * evenly over the virtual interval (sinceMs, now], throttled by the same limiter as a fluid (what the
   * bucket holds at sinceMs plus what it earns meanwhile); accepted records are held as counts only.
   * Every attempt is counted once: accepted, throttled, or rejected (stream not writable, record too large).
   * Returns how many were accepted.
   */
  writeAggregate(
    stream: Stream,
    shardIndex: number,
    count: number,
    bytesEach: number,
    sinceMs = this.nowMs,
  ): number {
    if (count <= 0) return 0;
    const refused =
      stream.status !== 'ACTIVE' && stream.status !== 'UPDATING'
        ? errors.streamNotFound(stream.name, this.accountId)
        : bytesEach > stream.maxRecordBytes
          ? errors.recordTooLarge(bytesEach, 0, stream.maxRecordBytes)
          : undefined;
    if (refused) {
      this.counters.rejected += count;
      stream.totals.rejected += count;
      this.lastRejection = refused;
      return 0;
    }
    const shard = stream.shards[shardIndex] as Shard;
    const accepted = shard.writes.takeMany(this.nowMs, count, bytesEach, sinceMs);
    const throttled = count - accepted;
    if (accepted > 0) {
      shard.log.appendCounts(this.nowMs, accepted, accepted * bytesEach);
      shard.metrics.recordAcceptedMany(accepted, accepted * bytesEach);
    }
    if (throttled > 0) shard.metrics.recordThrottled(throttled, throttled * bytesEach);
    stream.totals.accepted += accepted;
    stream.totals.throttled += throttled;
    this.counters.accepted += accepted;
    this.counters.throttled += throttled;
    return accepted;
  }

  /** Releases the oldest detailed records (chunk by chunk, across shards) until the stream is within budget. */
  private enforceDetailBudget(stream: Stream): void {
    let detail = stream.detailRecords;
    while (detail > stream.detailBudget) {
      let oldest: Shard | undefined;
      let oldestMs = Number.POSITIVE_INFINITY;
      for (const shard of stream.shards) {
        const arrival = shard.log.oldestDetailArrivalMs();
        if (arrival < oldestMs) {
          oldestMs = arrival;
          oldest = shard;
        }
      }
      if (!oldest) break;
      const released = oldest.log.releaseOldestChunk();
      if (released === 0) break;
      stream.releasedRecords += released;
      detail -= released;
    }
    stream.detailUpperBound = detail;
  }

  // ---------------------------------------------------------------- addressing

  private resolveStream(request: TypedRequest): Stream {
    const name = request.StreamName as string | undefined;
    const arn = request.StreamARN as string | undefined;
    let streamName = name;
    let account = this.accountId;
    if (arn !== undefined) {
      const match = /^arn:aws[^:]*:kinesis:([^:]*):(\d{12}):stream\/(.+)$/.exec(arn);
      const arnName = match?.[3] ?? arn;
      if (name !== undefined && name !== arnName) throw errors.streamArnMismatch(arn, name);
      streamName = arnName;
      if (match && (match[1] !== this.region || match[2] !== this.accountId)) {
        throw errors.streamNotFound(arnName, match[2] as string);
      }
      account = match?.[2] ?? account;
    }
    const stream = this.streams.get(streamName ?? '');
    if (!stream) throw errors.streamNotFound(streamName ?? '', account);
    return stream;
  }

  /** Streams that take writes: ACTIVE or UPDATING; CREATING and DELETING look absent [model §7]. */
  private writableStream(request: TypedRequest): Stream {
    const stream = this.resolveStream(request);
    if (stream.status === 'CREATING' || stream.status === 'DELETING')
      throw errors.streamNotFound(stream.name, this.accountId);
    return stream;
  }

  // ---------------------------------------------------------------- control plane

  private createStream(request: TypedRequest): Record<string, unknown> {
    const name = request.StreamName as string;
    const mode = ((request.StreamModeDetails as { StreamMode?: StreamMode } | undefined)?.StreamMode ??
      'PROVISIONED') as StreamMode;
    // On-demand shards are the service's to manage: such a stream starts with 4, whatever ShardCount says.
    const shardCount =
      mode === 'ON_DEMAND' ? ON_DEMAND_INITIAL_SHARDS : (request.ShardCount as number | undefined);
    if (shardCount === undefined) throw errors.shardCountRequired();
    if (this.streams.has(name)) throw errors.streamExists(name, this.accountId);
    const refused = createStreamRefusal(
      this.accountLimits,
      accountUsage(this.streams.values()),
      mode,
      shardCount,
      this.accountId,
      this.region,
    );
    if (refused) throw refused;
    const stream = new Stream(name, this.accountId, this.region, mode, this.nowMs, this.throttleModel, {
      retentionHours: RETENTION_HOURS_DEFAULT,
      maxRecordSizeKiB: (request.MaxRecordSizeInKiB as number | undefined) ?? MAX_RECORD_SIZE_KIB_DEFAULT,
      detailBudget: this.detailBudget,
      transitionMs: this.transitionMs,
      sequenceTag: this.newStreamTag(name),
    });
    for (const range of createStreamHashRanges(shardCount))
      stream.addShard(range.start, range.end, this.nowMs);
    stream.reindexOpenShards();
    this.streams.set(name, stream);
    if (this.transitionMs === 0) this.completeTransition(stream);
    return {};
  }

  /**
   * The sequence-number tag of a stream about to be created (sequenceNumber.ts deriveStreamTag), without any
   * random draw. It avoids the tags of live streams, of the previous stream of this name and of every stream
   * created in the same virtual second. A number names (tag, shard index, shard creation second), and a
   * stream's first shards are created in its creation second, so while at most 255 streams are live and at
   * most 255 are created per virtual second, a number is accepted only by the stream that issued it.
   */
  private newStreamTag(name: string): number {
    const second = Math.floor(this.nowMs / 1000);
    if (second !== this.tagSecond) {
      this.tagSecond = second;
      this.tagsOfSecond = new Set();
    }
    const previous = this.lastTagOfName.get(name);
    const avoid = new Set(this.tagsOfSecond);
    if (previous !== undefined) avoid.add(previous);
    for (const stream of this.streams.values()) avoid.add(stream.sequenceTag);
    const tag = deriveStreamTag(name, this.nowMs, this.streamsCreated++, this.tokenSecret, (t) =>
      avoid.has(t),
    );
    this.lastTagOfName.set(name, tag);
    this.tagsOfSecond.add(tag);
    return tag;
  }

  private deleteStream(request: TypedRequest): Record<string, unknown> {
    const stream = this.resolveStream(request);
    const refused = deleteStreamRefusal(
      this.accountLimits,
      accountUsage(this.streams.values()),
      stream,
      this.accountId,
    );
    if (refused) throw refused;
    stream.status = 'DELETING';
    stream.transitionAtMs = this.nowMs + this.transitionMs;
    if (this.transitionMs === 0) this.completeTransition(stream);
    return {};
  }

  private listStreams(request: TypedRequest): Record<string, unknown> {
    // Up to 100 names a call whatever Limit says (AWS: "at most 100 results are returned").
    const limit = Math.min(
      (request.Limit as number | undefined) ?? LIST_STREAMS_DEFAULT_LIMIT,
      LIST_STREAMS_DEFAULT_LIMIT,
    );
    let after = request.ExclusiveStartStreamName as string | undefined;
    const token = request.NextToken as string | undefined;
    if (token !== undefined) {
      const fields = decodeToken('ls', token, this.tokenSecret);
      if (!fields) throw errors.invalidNextToken();
      if (this.nowMs - Number(fields[1]) > NEXT_TOKEN_TTL_MS) throw errors.expiredNextToken();
      after = fields[0];
    }
    const names = [...this.streams.keys()].sort().filter((n) => after === undefined || n > after);
    const page = names.slice(0, limit);
    const hasMore = names.length > limit;
    const result: Record<string, unknown> = {
      StreamNames: page,
      HasMoreStreams: hasMore,
      StreamSummaries: page.map((n) => {
        const s = this.streams.get(n) as Stream;
        return {
          StreamName: s.name,
          StreamARN: s.arn,
          StreamStatus: s.status,
          StreamModeDetails: { StreamMode: s.mode },
          StreamCreationTimestamp: s.createdMs / 1000,
        };
      }),
    };
    if (hasMore)
      result.NextToken = encodeToken('ls', [page[page.length - 1] as string, this.nowMs], this.tokenSecret);
    return result;
  }

  private shardDescription(shard: Shard): Record<string, unknown> {
    const range: Record<string, unknown> = { StartingSequenceNumber: shard.startingSequenceNumber };
    if (shard.endingSequenceNumber !== undefined) range.EndingSequenceNumber = shard.endingSequenceNumber;
    const out: Record<string, unknown> = { ShardId: shard.shardId };
    if (shard.parentShardId !== undefined) out.ParentShardId = shard.parentShardId;
    if (shard.adjacentParentShardId !== undefined) out.AdjacentParentShardId = shard.adjacentParentShardId;
    out.HashKeyRange = {
      StartingHashKey: shard.startingHashKey.toString(),
      EndingHashKey: shard.endingHashKey.toString(),
    };
    out.SequenceNumberRange = range;
    return out;
  }

  /** Shards a describe/list call shows: none while CREATING [model §7]. */
  private listedShards(stream: Stream): Shard[] {
    return stream.status === 'CREATING' ? [] : stream.visibleShards;
  }

  private describeStream(request: TypedRequest): Record<string, unknown> {
    const stream = this.resolveStream(request);
    // Up to 100 shards a call whatever Limit says [model §10].
    const limit = Math.min(
      (request.Limit as number | undefined) ?? DESCRIBE_STREAM_DEFAULT_LIMIT,
      DESCRIBE_STREAM_DEFAULT_LIMIT,
    );
    const after = request.ExclusiveStartShardId as string | undefined;
    const shards = this.listedShards(stream).filter((s) => after === undefined || s.shardId > after);
    return {
      StreamDescription: {
        StreamName: stream.name,
        StreamARN: stream.arn,
        StreamStatus: stream.status,
        StreamModeDetails: { StreamMode: stream.mode },
        Shards: shards.slice(0, limit).map((s) => this.shardDescription(s)),
        HasMoreShards: shards.length > limit,
        RetentionPeriodHours: stream.retentionHours,
        StreamCreationTimestamp: stream.createdMs / 1000,
        EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
        EncryptionType: stream.encryptionType,
      },
    };
  }

  private describeStreamSummary(request: TypedRequest): Record<string, unknown> {
    const stream = this.resolveStream(request);
    return {
      StreamDescriptionSummary: {
        StreamName: stream.name,
        StreamARN: stream.arn,
        StreamStatus: stream.status,
        StreamModeDetails: { StreamMode: stream.mode },
        RetentionPeriodHours: stream.retentionHours,
        StreamCreationTimestamp: stream.createdMs / 1000,
        EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
        EncryptionType: stream.encryptionType,
        OpenShardCount: stream.status === 'CREATING' ? 0 : stream.openShards.length,
        ConsumerCount: 0,
        MaxRecordSizeInKiB: stream.maxRecordSizeKiB,
        // "Only present for streams that use the on-demand capacity mode" (SDK model); AUTO is not modelled.
        ...(stream.mode === 'ON_DEMAND' ? { RecordDistributionStrategy: 'USER_PARTITION_KEY' } : {}),
      },
    };
  }

  /**
   * UpdateMaxRecordSize {StreamARN, MaxRecordSizeInKiB} [model §15.1]: the stream must be ACTIVE
   * (ResourceInUseException otherwise); the new maximum applies at once to every shard, and the stream stays
   * ACTIVE (AWS documents no UPDATING phase for it). Output: empty.
   */
  private updateMaxRecordSize(request: TypedRequest): Record<string, unknown> {
    const stream = this.resolveStream(request);
    if (stream.status !== 'ACTIVE') throw errors.streamNotActive(stream.name, this.accountId, stream.status);
    stream.setMaxRecordSizeKiB(request.MaxRecordSizeInKiB as number, this.nowMs);
    return {};
  }

  private listShards(request: TypedRequest): Record<string, unknown> {
    const token = request.NextToken as string | undefined;
    const hasStream = request.StreamName !== undefined || request.StreamARN !== undefined;
    if (token === undefined && !hasStream) throw errors.listShardsNeedsStream();
    if (token !== undefined && hasStream) throw errors.listShardsBothGiven();
    if (token !== undefined && request.ExclusiveStartShardId !== undefined)
      throw errors.listShardsTokenAndStartShard();
    let stream: Stream;
    let after = request.ExclusiveStartShardId as string | undefined;
    if (token !== undefined) {
      const fields = decodeToken('lsh', token, this.tokenSecret);
      if (!fields) throw errors.invalidNextToken();
      if (this.nowMs - Number(fields[2]) > NEXT_TOKEN_TTL_MS) throw errors.expiredNextToken();
      stream = this.resolveStream({ StreamName: fields[0] });
      after = fields[1] === '' ? undefined : fields[1];
    } else {
      stream = this.resolveStream(request);
    }
    const filter = request.ShardFilter as { Type: string; ShardId?: string; Timestamp?: number } | undefined;
    let shards = this.listedShards(stream);
    if (filter?.Type === 'AFTER_SHARD_ID' && filter.ShardId !== undefined) {
      const id = filter.ShardId;
      shards = shards.filter((s) => s.shardId > id);
    } else if (filter?.Type === 'AT_LATEST') {
      shards = shards.filter((s) => s.isOpen);
    }
    if (after !== undefined) shards = shards.filter((s) => s.shardId > (after as string));
    // Up to 1,000 shards a call whatever MaxResults says [model §10].
    const max = Math.min(
      (request.MaxResults as number | undefined) ?? LIST_SHARDS_DEFAULT_MAX_RESULTS,
      LIST_SHARDS_DEFAULT_MAX_RESULTS,
    );
    const page = shards.slice(0, max);
    const result: Record<string, unknown> = { Shards: page.map((s) => this.shardDescription(s)) };
    if (shards.length > max) {
      result.NextToken = encodeToken(
        'lsh',
        [stream.name, (page[page.length - 1] as Shard).shardId, this.nowMs],
        this.tokenSecret,
      );
    }
    return result;
  }

  private changeRetention(
    request: TypedRequest,
    direction: 'increase' | 'decrease',
  ): Record<string, unknown> {
    const stream = this.resolveStream(request);
    const hours = request.RetentionPeriodHours as number;
    if (stream.status !== 'ACTIVE') throw errors.streamNotActive(stream.name, this.accountId, stream.status);
    if (hours < RETENTION_HOURS_MIN) throw errors.retentionTooShort(hours);
    if (direction === 'increase') {
      if (hours > RETENTION_HOURS_MAX) throw errors.retentionTooLong(hours);
      if (hours < stream.retentionHours)
        throw errors.retentionIncreaseBelowCurrent(hours, stream.name, stream.retentionHours);
    } else if (hours > stream.retentionHours) {
      throw errors.retentionDecreaseAboveCurrent(hours, stream.name, stream.retentionHours);
    }
    stream.retentionHours = hours;
    // Decreasing hides older records at once; increasing never brings expired ones back [model §8].
    this.expire(stream, true);
    return {};
  }

  // ---------------------------------------------------------------- data plane

  /** Routes a request record: ExplicitHashKey when given, else MD5 of the partition key (in `keyWords`). */
  private routeRequestRecord(stream: Stream, explicitHashKey: string | undefined): number {
    if (explicitHashKey === undefined) return this.routeHashKey(stream, this.keyWords);
    if (!hashKeyFromDecimal(explicitHashKey, this.routeScratch))
      throw errors.explicitHashKeyOutOfRange(explicitHashKey);
    return this.routeHashKey(stream, this.routeScratch);
  }

  private checkExplicitHashKey(value: string | undefined): void {
    if (value !== undefined && BigInt(value) > MAX_HASH_KEY) throw errors.explicitHashKeyOutOfRange(value);
  }

  /**
   * What makes Kinesis refuse a whole PutRecords request before writing any entry [model §4, §15.1]: an
   * entry whose data + key exceed the stream's maximum record size (InvalidArgumentException naming both
   * sizes), or more than 10 MiB of data + keys in all. `dataBytes[i]`/`keyBytes[i]` are entry i's sizes
   * in bytes (keys: UTF-8). Returns the error, or undefined if the request may proceed.
   */
  putRecordsProblem(
    stream: Stream,
    dataBytes: ArrayLike<number>,
    keyBytes: ArrayLike<number>,
    count: number,
  ): KinesisError | undefined {
    let total = 0;
    for (let i = 0; i < count; i++) {
      const data = dataBytes[i] as number;
      const key = keyBytes[i] as number;
      if (data + key > stream.maxRecordBytes) return errors.recordTooLarge(data, key, stream.maxRecordBytes);
      total += data + key;
    }
    if (total > PUT_RECORDS_MAX_REQUEST_BYTES)
      return errors.putRecordsTooLarge(total, PUT_RECORDS_MAX_REQUEST_BYTES);
    return undefined;
  }

  private checkRecordSize(stream: Stream, data: Uint8Array, keyBytes: number): void {
    if (data.length + keyBytes > stream.maxRecordBytes)
      throw errors.recordTooLarge(data.length, keyBytes, stream.maxRecordBytes);
  }

  private putRecord(request: TypedRequest): Record<string, unknown> {
    const stream = this.writableStream(request);
    const data = request.Data as Uint8Array;
    const explicit = request.ExplicitHashKey as string | undefined;
    this.checkExplicitHashKey(explicit);
    const ordering = request.SequenceNumberForOrdering as string | undefined;
    if (ordering !== undefined) {
      const fields = parseSequenceNumber(ordering);
      // It must parse, not lie in the future, and come from this stream [model §2, §15.6].
      if (
        ordering !== '0' &&
        (!fields || fields.arrivalSec * 1000 > this.nowMs || !stream.shardOfSequence(fields))
      ) {
        throw errors.sequenceNumberForOrdering(ordering, stream.name, this.accountId);
      }
    }
    const key = request.PartitionKey as string;
    const keyBytes = hashKeyAndUtf8Length(key, this.keyWords);
    this.checkRecordSize(stream, data, keyBytes);
    if (request.DryRun === true) throw this.dryRuns.answer(stream, this.nowMs, this.accountId);
    const shardIndex = this.routeRequestRecord(stream, explicit);
    const shard = stream.shards[shardIndex] as Shard;
    const words = explicit === undefined ? this.keyWords : this.routeScratch;
    const outcome = this.writeDirect(
      stream,
      shardIndex,
      key,
      keyBytes,
      words,
      data.length,
      data,
      explicit !== undefined,
    );
    if (outcome === WRITE_THROTTLED)
      throw errors.shardRateExceeded(shard.shardId, stream.name, this.accountId);
    // Counters are per shard and strictly increasing, which also satisfies SequenceNumberForOrdering.
    return {
      ShardId: shard.shardId,
      SequenceNumber: shard.sequenceNumberOf(shard.log.nextOrdinal - 1, this.nowMs),
    };
  }

  private putRecords(request: TypedRequest): Record<string, unknown> {
    const stream = this.writableStream(request);
    const entries = request.Records as { PartitionKey: string; Data: Uint8Array; ExplicitHashKey?: string }[];
    // Whole-request checks first: one bad entry fails the request, as AWS does.
    const dataSizes: number[] = [];
    const keySizes: number[] = [];
    for (const entry of entries) {
      this.checkExplicitHashKey(entry.ExplicitHashKey);
      dataSizes.push(entry.Data.length);
      keySizes.push(utf8ByteLength(entry.PartitionKey));
    }
    const refused = this.putRecordsProblem(stream, dataSizes, keySizes, entries.length);
    if (refused) throw refused;
    if (request.DryRun === true) throw this.dryRuns.answer(stream, this.nowMs, this.accountId);
    let failed = 0;
    const results = entries.map((entry) => {
      const key = entry.PartitionKey;
      const keyBytes = hashKeyAndUtf8Length(key, this.keyWords);
      const shardIndex = this.routeRequestRecord(stream, entry.ExplicitHashKey);
      const shard = stream.shards[shardIndex] as Shard;
      const explicit = entry.ExplicitHashKey !== undefined;
      const outcome = this.writeDirect(
        stream,
        shardIndex,
        key,
        keyBytes,
        explicit ? this.routeScratch : this.keyWords,
        entry.Data.length,
        entry.Data,
        explicit,
      );
      if (outcome === WRITE_THROTTLED) {
        failed++;
        return {
          ErrorCode: 'ProvisionedThroughputExceededException',
          ErrorMessage: errors.shardRateExceededMessage(shard.shardId, stream.name, this.accountId),
        };
      }
      return {
        SequenceNumber: shard.sequenceNumberOf(shard.log.nextOrdinal - 1, this.nowMs),
        ShardId: shard.shardId,
      };
    });
    return { FailedRecordCount: failed, Records: results };
  }

  /** The shard index a ShardId names: the digits after the first '-' (shardId-5, shard-0) or a bare number [model §2]. */
  private parseShardId(shardIdText: string): number | undefined {
    const dash = shardIdText.indexOf('-');
    const digits = dash >= 0 ? shardIdText.slice(dash + 1) : shardIdText;
    const index = /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
    return Number.isInteger(index) && index < 2 ** 31 ? index : undefined;
  }

  private findShard(
    streamName: string,
    shardIdText: string,
    request: TypedRequest,
  ): { stream: Stream; shard: Shard } {
    const index = this.parseShardId(shardIdText);
    if (index === undefined) throw errors.shardNotFoundForResharding(shardIdText, streamName, this.accountId);
    let stream: Stream;
    try {
      stream = this.resolveStream(request);
    } catch (error) {
      // AWS names the shard, not the stream, when either is missing (kinesalite's recorded AWS tests).
      if (error instanceof KinesisError && error.type === 'ResourceNotFoundException') {
        throw errors.shardNotFound(shardIdOf(index), streamName, this.accountId);
      }
      throw error;
    }
    const shard = stream.shards[index];
    if (!shard || stream.status === 'CREATING' || (!shard.isOpen && shard.log.retainedRecords === 0)) {
      throw errors.shardNotFound(shardIdOf(index), stream.name, this.accountId);
    }
    return { stream, shard };
  }

  private getShardIterator(request: TypedRequest): Record<string, unknown> {
    const requestedName =
      (request.StreamName as string | undefined) ?? streamNameOfArn(request.StreamARN as string | undefined);
    const { stream, shard } = this.findShard(requestedName, request.ShardId as string, request);
    const type = request.ShardIteratorType as string;
    const sequence = request.StartingSequenceNumber as string | undefined;
    let ordinal: number;
    if (type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER') {
      if (sequence === undefined) throw errors.iteratorTypeMismatch(type, false);
      const fields = parseSequenceNumber(sequence);
      if (!fields)
        throw errors.invalidStartingSequenceNumber(sequence, shard.shardId, stream.name, this.accountId);
      // The number must name a shard of this very stream (tag, index and creation second) [model §15.6] …
      const origin = stream.shardOfSequence(fields);
      if (!origin)
        throw errors.sequenceNumberOfOtherStream(sequence, shard.shardId, stream.name, this.accountId);
      // … and the shard asked for.
      if (origin !== shard) throw errors.sequenceNumberOfOtherShard(origin.shardId, shard.shardId);
      const counter =
        fields.counter > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(fields.counter);
      const at = Shard.ordinalOfCounter(counter);
      ordinal = type === 'AT_SEQUENCE_NUMBER' ? Math.max(0, at) : at + 1;
    } else if (sequence !== undefined) {
      throw errors.iteratorTypeMismatch(type, true);
    } else if (type === 'TRIM_HORIZON') {
      ordinal = 0;
    } else if (type === 'LATEST') {
      ordinal = shard.log.nextOrdinal;
    } else {
      const timestamp = request.Timestamp as number | undefined;
      if (timestamp === undefined) throw errors.timestampRequired();
      const timestampMs = Math.round(timestamp * 1000);
      if (timestampMs > this.nowMs) throw errors.timestampInFuture(timestampMs, this.nowMs);
      ordinal = shard.log.ordinalAtOrAfter(timestampMs);
    }
    if (request.DryRun === true) throw this.dryRuns.answer(stream, this.nowMs, this.accountId);
    return {
      ShardIterator: encodeIterator(
        {
          streamName: stream.name,
          streamCreatedMs: stream.createdMs,
          streamTag: stream.sequenceTag,
          shardIndex: shard.index,
          ordinal,
          issuedMs: this.nowMs,
        },
        this.tokenSecret,
      ),
    };
  }

  private getRecords(request: TypedRequest): Record<string, unknown> {
    const state = decodeIterator(request.ShardIterator as string, this.tokenSecret);
    if (!state) throw errors.invalidShardIterator();
    const stream = this.streams.get(state.streamName);
    // An iterator of an earlier stream of the same name finds no stream (the tag tells apart two streams
    // created in the same ms).
    if (!stream || stream.createdMs !== state.streamCreatedMs || stream.sequenceTag !== state.streamTag)
      throw errors.streamNotFound(state.streamName, this.accountId);
    const shard = stream.shards[state.shardIndex];
    if (!shard) throw errors.invalidShardIterator();
    if (this.nowMs - state.issuedMs > SHARD_ITERATOR_TTL_MS) {
      throw errors.iteratorExpired(javaDateString(state.issuedMs), javaDateString(this.nowMs));
    }
    if (request.DryRun === true) throw this.dryRuns.answer(stream, this.nowMs, this.accountId);
    if (!shard.reads.admitCall(this.nowMs))
      throw errors.shardRateExceeded(shard.shardId, stream.name, this.accountId);
    const limit = (request.Limit as number | undefined) ?? GET_RECORDS_MAX_RECORDS;
    const records: Record<string, unknown>[] = [];
    let bytes = 0;
    let lastArrival = 0;
    const next = shard.log.read(state.ordinal, (record) => {
      if (records.length >= limit) return false;
      const size = record.dataBytes + record.keyBytes;
      if (records.length > 0 && bytes + size > GET_RECORDS_MAX_BYTES) return false;
      bytes += size;
      lastArrival = record.arrivalMs;
      records.push({
        SequenceNumber: shard.sequenceNumberOf(record.ordinal, record.arrivalMs),
        ApproximateArrivalTimestamp: record.arrivalMs / 1000,
        Data: record.payload ?? new Uint8Array(record.dataBytes),
        PartitionKey: record.partitionKey,
      });
      return true;
    });
    shard.reads.charge(this.nowMs, bytes);
    const caughtUp = next >= shard.log.nextOrdinal;
    const result: Record<string, unknown> = {
      Records: records,
      MillisBehindLatest: caughtUp ? 0 : Math.max(0, this.nowMs - (shard.log.arrivalOf(next) ?? lastArrival)),
    };
    if (shard.isOpen || !caughtUp) {
      result.NextShardIterator = encodeIterator(
        { ...state, ordinal: next, issuedMs: this.nowMs },
        this.tokenSecret,
      );
    } else {
      result.ChildShards = stream.shards
        .filter((s) => s.parentShardId === shard.shardId || s.adjacentParentShardId === shard.shardId)
        .map((s) => ({
          ShardId: s.shardId,
          ParentShards: [s.parentShardId, s.adjacentParentShardId].filter((p) => p !== undefined),
          HashKeyRange: {
            StartingHashKey: s.startingHashKey.toString(),
            EndingHashKey: s.endingHashKey.toString(),
          },
        }));
    }
    return result;
  }
}

function countEntries(request: TypedRequest): number {
  return Array.isArray(request.Records) ? request.Records.length : 0;
}

/** The stream name an ARN ends in (`…:stream/NAME`), or '' (used to name the stream in error messages). */
function streamNameOfArn(arn: string | undefined): string {
  if (arn === undefined) return '';
  const at = arn.indexOf(':stream/');
  return at >= 0 ? arn.slice(at + ':stream/'.length) : arn;
}
