import type { TypedRequest } from './api/validation';
import { PutOperations } from './cloudWatchMetrics';
import type { AttemptCounters, EngineState } from './engineState';
import { errors, type KinesisError } from './errors';
import { hashKeyAndUtf8Length, hashKeyFromDecimal, MAX_HASH_KEY } from './hashKey';
import { ROUTED_BY_EXPLICIT } from './hotKeys';
import { PUT_RECORDS_MAX_ENTRIES, PUT_RECORDS_MAX_REQUEST_BYTES } from './limits';
import { utf8ByteLength } from './md5';
import type { DetailBudget } from './recordLog';
import { parseSequenceNumber } from './sequenceNumber';
import type { Shard, Stream } from './stream';

/**
 * A PutRecords request's entries read in place (api/putRecordsBytes.ts): `count` entries, entry i's
 * PartitionKey `keys[i]` and its Data, `dataBytes[i]` bytes, as checked base64 in `body` from `dataStarts[i]`.
 */
export interface InPlaceEntries {
  count: number;
  keys: readonly string[];
  body: Uint8Array;
  dataStarts: Int32Array;
  dataBytes: Int32Array;
}

/** Where putRecordsInPlace tells each entry's outcome, in entry order. */
export interface InPlaceAnswer {
  /** The entry was stored on `shard` as its record `ordinal`, arriving at `arrivalMs`. */
  accepted(shard: Shard, ordinal: number, arrivalMs: number): void;
  /** The entry was throttled on `shard` (ProvisionedThroughputExceededException). */
  throttled(shard: Shard, stream: Stream): void;
}

const NO_BODY = new Uint8Array(0);

/**
 * A PutRecords read in place between its answer and its settling (WritePath.putRecordsInPlace, settle): per
 * entry its key, the key's UTF-8 size and MD5 words, the shard it went to, whether the shard took it, and its
 * Data in `body`. One call is unsettled at a time, so the columns are reused.
 */
class UnsettledCall {
  /** The call's stream; undefined when there is nothing to settle. */
  stream: Stream | undefined = undefined;
  count = 0;
  body: Uint8Array = NO_BODY;
  readonly keys: string[] = [];
  readonly keyBytes = new Int32Array(PUT_RECORDS_MAX_ENTRIES);
  readonly words = new Uint32Array(PUT_RECORDS_MAX_ENTRIES * 4);
  readonly shardIndex = new Int32Array(PUT_RECORDS_MAX_ENTRIES);
  /** 1 where the shard's limiter took the entry, 0 where it throttled it. */
  readonly accepted = new Uint8Array(PUT_RECORDS_MAX_ENTRIES);
  readonly dataStarts = new Int32Array(PUT_RECORDS_MAX_ENTRIES);
  readonly dataBytes = new Int32Array(PUT_RECORDS_MAX_ENTRIES);
}

/** How one record attempt ended, from the fast in-process write path. */
export const WRITE_THROTTLED = -1;
/** writeRecord's result when the stream takes no writes (not ACTIVE or UPDATING). */
export const WRITE_REJECTED = -2;

/**
 * The write path [model §1, §3, §4, §6]: PutRecord and PutRecords, and the fast in-process paths simulated
 * producers use (writeRecord, putRecordFast, putUnpinned, writeAggregate). Every record goes the same way:
 * routed by its hash key to the open shard holding it, throttled by the shard's limiter, stored, counted in
 * the shard's metrics and the second's hot-key counters, and counted once engine-wide.
 */
export class WritePath {
  private readonly state: EngineState;
  /** The engine-wide counters (state.counters), held here for the hot path. */
  private readonly counters: AttemptCounters;
  /**
   * The engine's detail budget (state.budget), held here for the hot path: each accepted record adds one to
   * its upper bound, and only when that passes the limit are records counted and the oldest released.
   */
  private readonly budget: DetailBudget;
  private readonly routeScratch = new Uint32Array(4);
  /** The hash key of the record being written by putRecordFast or the API. */
  private readonly keyWords = new Uint32Array(4);
  /** The shard the last fast-path record (putRecordFast, putUnpinned, writeRecord) went to, whatever its outcome. */
  lastShardIndex = 0;
  /** Why the last fast-path record returned WRITE_REJECTED, as the Kinesis error PutRecord would give. */
  lastRejection: KinesisError | undefined;
  /** Where put operations begin and end, for the CloudWatch periods' per-operation statistics. */
  readonly operations = new PutOperations();
  /** The PutRecords read in place that is answered but not yet settled (see putRecordsInPlace). */
  private readonly unsettledCall = new UnsettledCall();
  /** Per shard index, the ordinals the unsettled call reserved on it (all 0 once it settled). */
  private reserved = new Int32Array(0);

  constructor(state: EngineState) {
    this.state = state;
    this.counters = state.counters;
    this.budget = state.budget;
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
    // AUTO: the key does not place the record [model §15.2]; nor is it counted as a hot key.
    const auto = stream.recordDistribution === 'AUTO';
    const target = auto ? this.autoShard(stream) : shardIndex;
    this.lastShardIndex = target;
    if (stream.status !== 'ACTIVE' && stream.status !== 'UPDATING') return this.reject(stream);
    const shard = stream.shards[target] as Shard;
    const keyBytes = stream.keys.utf8Bytes[keyId] as number;
    const bytes = dataBytes + keyBytes;
    if (bytes > stream.maxRecordBytes) return this.rejectTooLarge(stream, dataBytes, keyBytes);
    if (!shard.writes.tryTake(this.state.nowMs, bytes)) {
      shard.metrics.recordThrottled(1, bytes);
      this.operations.count(stream.cloudWatch, shard.metrics, bytes, true, this.state.nowMs);
      if (auto) {
        // counted per shard only
      } else if (explicitHashKey)
        this.countExplicit(stream, target, stream.keys.keyOf(keyId), explicitHashKey, 1, bytes);
      else stream.hotKeys.addKey(keyId, 1, 1, bytes);
      stream.keys.releaseIfUnused(keyId);
      stream.totals.throttled++;
      this.counters.throttled++;
      return WRITE_THROTTLED;
    }
    stream.keys.retain(keyId);
    shard.log.append(this.state.nowMs, keyId, dataBytes, payload);
    shard.metrics.recordAccepted(bytes);
    this.operations.count(stream.cloudWatch, shard.metrics, bytes, false, this.state.nowMs);
    if (auto) {
      // counted per shard only
    } else if (explicitHashKey)
      this.countExplicit(stream, target, stream.keys.keyOf(keyId), explicitHashKey, 0, bytes);
    else stream.hotKeys.addKey(keyId, 1, 0, bytes);
    stream.totals.accepted++;
    this.counters.accepted++;
    if (++this.budget.records > this.budget.recordLimit) this.budget.enforceRecords();
    return target;
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
    return this.putUnpinned(stream, partitionKey, dataBytes, payload);
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
    const shardIndex =
      stream.recordDistribution === 'AUTO'
        ? this.autoShard(stream)
        : open.length > 0
          ? (open[stream.locator.locate(words, 0)] as Shard).index
          : 0;
    return this.writeDirect(stream, shardIndex, partitionKey, keyBytes, words, dataBytes, payload);
  }

  /**
   * The shard an AUTO stream's next record goes to [model §15.2]: the open shards in turn, so records spread
   * evenly whatever their keys (no key or ExplicitHashKey routes them, and no per-key order holds).
   */
  autoShard(stream: Stream): number {
    const open = stream.openShards;
    if (open.length === 0) return 0;
    const shard = open[stream.autoCursor % open.length] as Shard;
    stream.autoCursor = (stream.autoCursor + 1) % open.length;
    return shard.index;
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
    const now = this.state.nowMs;
    const bytes = dataBytes + keyBytes;
    if (bytes > stream.maxRecordBytes) return this.rejectTooLarge(stream, dataBytes, keyBytes);
    if (!shard.writes.tryTake(now, bytes))
      return this.throttleDirect(stream, shard, partitionKey, bytes, words, 0, explicit);
    this.storeDirect(stream, shard, partitionKey, keyBytes, words, 0, dataBytes, payload, explicit, 0, false);
    return shardIndex;
  }

  /**
   * writeDirect's accepted record, past the shard's limiter: stored on `shard` at the current instant and
   * counted (shard metrics, CloudWatch, hot keys, totals, the detail budget). `words[wordsAt..+3]` is the hash
   * key it was routed by; the payload as writeDirect takes it.
   */
  private storeDirect(
    stream: Stream,
    shard: Shard,
    partitionKey: string,
    keyBytes: number,
    words: Uint32Array,
    wordsAt: number,
    dataBytes: number,
    payload: Uint8Array | undefined,
    explicit: boolean,
    payloadOffset: number,
    payloadBase64: boolean,
  ): void {
    const now = this.state.nowMs;
    const bytes = dataBytes + keyBytes;
    shard.log.appendDirect(now, partitionKey, keyBytes, dataBytes, payload, payloadOffset, payloadBase64);
    shard.metrics.recordAccepted(bytes);
    this.operations.count(stream.cloudWatch, shard.metrics, bytes, false, now);
    if (stream.recordDistribution === 'AUTO') {
      // An AUTO record was placed in turn, not by a key: counted per shard only.
    } else if (explicit) this.countExplicit(stream, shard.index, partitionKey, words, 0, bytes);
    else stream.hotKeys.addHash(words, wordsAt, partitionKey, 1, 0, bytes);
    stream.totals.accepted++;
    this.counters.accepted++;
    if (++this.budget.records > this.budget.recordLimit) this.budget.enforceRecords();
  }

  /** A record routed by an ExplicitHashKey: counted under that hash key, and in the per-key-and-shard tally. */
  private countExplicit(
    stream: Stream,
    shardIndex: number,
    partitionKey: string,
    hashKey: Uint32Array,
    throttled: number,
    bytes: number,
  ): void {
    stream.hotKeys.addHash(hashKey, 0, partitionKey, 1, throttled, bytes, ROUTED_BY_EXPLICIT);
    stream.explicitTally.add(partitionKey, shardIndex, hashKey, 1, throttled, bytes);
  }

  /** A record of a stream that takes no writes (not ACTIVE or UPDATING): PutRecord's ResourceNotFound. */
  private reject(stream: Stream): number {
    this.counters.rejected++;
    stream.totals.rejected++;
    this.lastRejection = errors.streamNotFound(stream.name, this.state.accountId);
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
    wordsAt: number,
    explicit: boolean,
  ): number {
    shard.metrics.recordThrottled(1, bytes);
    this.operations.count(stream.cloudWatch, shard.metrics, bytes, true, this.state.nowMs);
    if (stream.recordDistribution === 'AUTO') {
      // placed in turn, not by a key
    } else if (explicit) this.countExplicit(stream, shard.index, partitionKey, words, 1, bytes);
    else stream.hotKeys.addHash(words, wordsAt, partitionKey, 1, 1, bytes);
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
    sinceMs = this.state.nowMs,
  ): number {
    if (count <= 0) return 0;
    const refused =
      stream.status !== 'ACTIVE' && stream.status !== 'UPDATING'
        ? errors.streamNotFound(stream.name, this.state.accountId)
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
    const accepted = shard.writes.takeMany(this.state.nowMs, count, bytesEach, sinceMs);
    const throttled = count - accepted;
    if (accepted > 0) {
      shard.log.appendCounts(this.state.nowMs, accepted, accepted * bytesEach);
      shard.metrics.recordAcceptedMany(accepted, accepted * bytesEach);
    }
    if (throttled > 0) shard.metrics.recordThrottled(throttled, throttled * bytesEach);
    this.operations.countAggregate(
      stream.cloudWatch,
      shard.metrics,
      accepted,
      accepted * bytesEach,
      throttled,
      this.state.nowMs,
    );
    stream.totals.accepted += accepted;
    stream.totals.throttled += throttled;
    this.counters.accepted += accepted;
    this.counters.throttled += throttled;
    return accepted;
  }

  /** Routes a request record: ExplicitHashKey when given, else MD5 of the partition key (in `keyWords`). */
  private routeRequestRecord(stream: Stream, explicitHashKey: string | undefined): number {
    if (stream.recordDistribution === 'AUTO') return this.autoShard(stream);
    if (explicitHashKey === undefined) return this.state.routeHashKey(stream, this.keyWords);
    if (!hashKeyFromDecimal(explicitHashKey, this.routeScratch))
      throw errors.explicitHashKeyOutOfRange(explicitHashKey);
    return this.state.routeHashKey(stream, this.routeScratch);
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

  /** PutRecord [model §3]: one record, routed, throttled (ProvisionedThroughputExceededException) or stored. */
  putRecord(request: TypedRequest): Record<string, unknown> {
    const stream = this.state.writableStream(request);
    const data = request.Data as Uint8Array;
    const explicit = request.ExplicitHashKey as string | undefined;
    this.checkExplicitHashKey(explicit);
    const ordering = request.SequenceNumberForOrdering as string | undefined;
    if (ordering !== undefined && stream.recordDistribution === 'AUTO')
      throw errors.sequenceNumberForOrderingWithAuto(stream.name, this.state.accountId);
    if (ordering !== undefined) {
      const fields = parseSequenceNumber(ordering);
      // It must parse, not lie in the future, and come from this stream [model §2, §15.6].
      if (
        ordering !== '0' &&
        (!fields || fields.arrivalSec * 1000 > this.state.nowMs || !stream.shardOfSequence(fields))
      ) {
        throw errors.sequenceNumberForOrdering(ordering, stream.name, this.state.accountId);
      }
    }
    // Under AUTO the key is optional [model §15.2]: a record without one reads back without one.
    const key = (request.PartitionKey as string | undefined) ?? '';
    const keyBytes = hashKeyAndUtf8Length(key, this.keyWords);
    this.checkRecordSize(stream, data, keyBytes);
    if (request.DryRun === true)
      throw this.state.dryRuns.answer(stream, this.state.nowMs, this.state.accountId);
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
      throw errors.shardRateExceeded(shard.shardId, stream.name, this.state.accountId);
    // Counters are per shard and strictly increasing, which also satisfies SequenceNumberForOrdering.
    return {
      ShardId: shard.shardId,
      SequenceNumber: shard.sequenceNumberOf(shard.log.nextOrdinal - 1, this.state.nowMs),
    };
  }

  /** PutRecords [model §4]: whole-request checks first, then each entry; a throttled entry fails alone. */
  putRecords(request: TypedRequest): Record<string, unknown> {
    const stream = this.state.writableStream(request);
    const entries = request.Records as {
      PartitionKey?: string;
      Data: Uint8Array;
      ExplicitHashKey?: string;
    }[];
    // Whole-request checks first: one bad entry fails the request, as AWS does.
    const dataSizes: number[] = new Array(entries.length);
    const keySizes: number[] = new Array(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as (typeof entries)[number];
      this.checkExplicitHashKey(entry.ExplicitHashKey);
      dataSizes[i] = entry.Data.length;
      keySizes[i] = utf8ByteLength(entry.PartitionKey ?? '');
    }
    const refused = this.putRecordsProblem(stream, dataSizes, keySizes, entries.length);
    if (refused) throw refused;
    if (request.DryRun === true)
      throw this.state.dryRuns.answer(stream, this.state.nowMs, this.state.accountId);
    // One put operation: its entries make one sample of each shard they went to (CloudWatch periods).
    this.operations.begin();
    try {
      return this.putRecordsEntries(stream, entries);
    } finally {
      this.operations.end(this.state.nowMs);
    }
  }

  /**
   * PutRecords' entries as a request read in place gives them (api/putRecordsBytes.ts), on a stream that
   * takes writes and routes by key (not AUTO), once the request passed every check putRecords makes before
   * its first entry: entry i has the key `entries.keys[i]` (routed by its MD5) and its Data as base64 in
   * `entries.body` (see InPlaceEntries), decoded only if stored. Each is routed and taken or throttled by its
   * shard's limiter as putRecords does it, and its outcome, sequence number included, told to `answer` in
   * order. Returns how many failed.
   *
   * The call's answer is then final, but its bookkeeping is left for settle(): storing the accepted records
   * and counting every entry (shard metrics, CloudWatch, hot keys, totals, the detail budget), in entry order
   * as putRecords does it in one pass (each accepted record gets the ordinal its sequence number says: the
   * ones it reserved). `entries.body` is kept until then. ShardEngine's methods that read or change records,
   * counts or time settle first, and the server's Session before every use (see ShardEngine.settle), so
   * nothing can see a call half done; the endpoint settles right after the answer is sent, which lets a
   * client read its answer while the server stores (src/server/callTurns.ts).
   */
  putRecordsInPlace(stream: Stream, entries: InPlaceEntries, answer: InPlaceAnswer): number {
    this.settle();
    const { keys, dataBytes, count } = entries;
    const call = this.unsettledCall;
    const words = call.words;
    const now = this.state.nowMs;
    if (this.reserved.length < stream.shards.length) this.reserved = new Int32Array(stream.shards.length);
    const reserved = this.reserved;
    let failed = 0;
    try {
      for (let i = 0; i < count; i++) {
        const key = keys[i] as string;
        const at = i * 4;
        const keyBytes = hashKeyAndUtf8Length(key, words, at);
        const shardIndex = this.state.routeHashKey(stream, words, at);
        const shard = stream.shards[shardIndex] as Shard;
        call.keys[i] = key;
        call.keyBytes[i] = keyBytes;
        call.shardIndex[i] = shardIndex;
        if (shard.writes.tryTake(now, (dataBytes[i] as number) + keyBytes)) {
          call.accepted[i] = 1;
          const ordinal = shard.log.nextOrdinal + (reserved[shardIndex] as number);
          reserved[shardIndex] = (reserved[shardIndex] as number) + 1;
          answer.accepted(shard, ordinal, now);
        } else {
          call.accepted[i] = 0;
          failed++;
          answer.throttled(shard, stream);
        }
      }
    } catch (error) {
      // A fault here is a bug; the ordinals reserved so far must not shift every later answer.
      reserved.fill(0);
      throw error;
    }
    call.dataStarts.set(entries.dataStarts.subarray(0, count));
    call.dataBytes.set(dataBytes.subarray(0, count));
    call.stream = stream;
    call.body = entries.body;
    call.count = count;
    return failed;
  }

  /**
   * Completes the PutRecords read in place that putRecordsInPlace answered last, if it is not yet complete:
   * stores its accepted records and counts its entries, as one put operation. Cheap when there is none.
   */
  settle(): void {
    const call = this.unsettledCall;
    const stream = call.stream;
    if (stream === undefined) return;
    call.stream = undefined;
    const count = call.count;
    const words = call.words;
    this.operations.begin();
    try {
      for (let i = 0; i < count; i++) {
        const shardIndex = call.shardIndex[i] as number;
        const shard = stream.shards[shardIndex] as Shard;
        const key = call.keys[i] as string;
        const keyBytes = call.keyBytes[i] as number;
        const dataBytes = call.dataBytes[i] as number;
        if (call.accepted[i] === 1)
          this.storeDirect(
            stream,
            shard,
            key,
            keyBytes,
            words,
            i * 4,
            dataBytes,
            call.body,
            false,
            call.dataStarts[i] as number,
            true,
          );
        else this.throttleDirect(stream, shard, key, dataBytes + keyBytes, words, i * 4, false);
      }
    } finally {
      this.operations.end(this.state.nowMs);
      for (let i = 0; i < count; i++) this.reserved[call.shardIndex[i] as number] = 0;
      // The keys and the body are not kept past the call (the shards hold their own copies).
      call.keys.length = 0;
      call.body = NO_BODY;
    }
  }

  /** PutRecords' entries, each routed, throttled or stored on its own [model §4]. */
  private putRecordsEntries(
    stream: Stream,
    entries: { PartitionKey?: string; Data: Uint8Array; ExplicitHashKey?: string }[],
  ): Record<string, unknown> {
    let failed = 0;
    const results = entries.map((entry) => {
      const key = entry.PartitionKey ?? '';
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
          ErrorMessage: errors.shardRateExceededMessage(shard.shardId, stream.name, this.state.accountId),
        };
      }
      return {
        SequenceNumber: shard.sequenceNumberOf(shard.log.nextOrdinal - 1, this.state.nowMs),
        ShardId: shard.shardId,
      };
    });
    return { FailedRecordCount: failed, Records: results };
  }
}
