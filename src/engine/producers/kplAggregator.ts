import { type ShardEngine, WRITE_REJECTED, WRITE_THROTTLED } from '../engine';
import type { KinesisError } from '../errors';
import { chargeFault, type FaultError } from '../faults';
import { hashKeyAndUtf8Length, hashKeyToDecimal } from '../hashKey';
import {
  DATA_MODEL_MAX_BYTES,
  KPL_AGGREGATION_MAX_BYTES_MIN,
  KPL_COLLECTION_MAX_BYTES,
  KPL_COLLECTION_MAX_COUNT,
  KPL_COLLECTION_SHARD_FLUSH_BYTES,
  KPL_RECORD_MAX_BUFFERED_MS,
} from '../limits';
import type { Stream } from '../stream';
import type { KeySample } from './keyDistribution';
import {
  encodeAggregate,
  KPL_AGGREGATE_PARTITION_KEY,
  KPL_FIXED_OVERHEAD,
  recordEntrySize,
  tableEntrySize,
} from './kplAggregation';
import type { ProducerTotals } from './producerSet';

/**
 * A producer's KPL options [model §12]: aggregation packs user records into aggregated Kinesis records of at
 * most `aggregationMaxBytes` (AggregationMaxSize); collection batches Kinesis records into PutRecords of at
 * most KPL_COLLECTION_MAX_COUNT entries and KPL_COLLECTION_MAX_BYTES (else each goes out as a PutRecord).
 */
export interface KplSpec {
  aggregationMaxBytes: number;
  collection: boolean;
}

/** A KPL producer's figures: user records against the Kinesis records that carried them. */
export interface KplTotals {
  /** Kinesis records sent, and how each ended (accepted + throttled + rejected = sent). */
  kinesisRecords: number;
  kinesisAccepted: number;
  kinesisThrottled: number;
  kinesisRejected: number;
  /** User records sent per Kinesis record sent, in all (0 before the first). */
  aggregationRatio: number;
  /**
   * The last completed virtual second (epoch s; -1 before one): user records put in it (the application's
   * rate) and Kinesis records sent in it.
   */
  lastSecond: number;
  userRecordsLastSecond: number;
  kinesisRecordsLastSecond: number;
  /** Why the producer was stopped (its stream became AUTO), until it is started again. */
  refusedReason: string | undefined;
}

/** Why a KPL spec cannot run on a stream, as [field, message], or undefined [model §12, §15.2]. */
export function kplProblem(
  kpl: KplSpec | undefined,
  stream?: Pick<Stream, 'maxRecordBytes' | 'recordDistribution'>,
): [string, string] | undefined {
  if (kpl === undefined) return undefined;
  if (typeof kpl !== 'object' || typeof kpl.collection !== 'boolean')
    return ['kpl', 'KPL options need an aggregation max size and whether to collect'];
  // An aggregate's data and its 1-byte key "a" must fit the stream's max record size together.
  const streamMax = stream?.maxRecordBytes;
  const max = streamMax === undefined ? DATA_MODEL_MAX_BYTES : streamMax - KPL_AGGREGATE_PARTITION_KEY.length;
  if (
    !Number.isInteger(kpl.aggregationMaxBytes) ||
    kpl.aggregationMaxBytes < KPL_AGGREGATION_MAX_BYTES_MIN ||
    kpl.aggregationMaxBytes > max
  ) {
    const bound =
      streamMax === undefined
        ? `${max.toLocaleString('en-US')} (10 MiB)`
        : `${max.toLocaleString('en-US')} (the stream's max record size, ${streamMax.toLocaleString('en-US')} bytes, less the aggregate's 1-byte partition key "a")`;
    return [
      'aggregationMaxBytes',
      `the aggregation max size must be whole bytes from ${KPL_AGGREGATION_MAX_BYTES_MIN} to ${bound}`,
    ];
  }
  if (stream?.recordDistribution === 'AUTO') return ['kpl', KPL_AUTO_REFUSED];
  return undefined;
}

/** Why aggregation is refused on an AUTO stream [model §15.2]. */
export const KPL_AUTO_REFUSED =
  'KPL aggregation is refused on a stream whose record distribution is AUTO: AWS does not support it there ' +
  '(aggregated records can be silently dropped on de-aggregation). Turn aggregation off, or use ' +
  'USER_PARTITION_KEY.';

/** How aggregate simulation shapes a KPL producer's user records (see aggregateShape). */
export interface AggregateShape {
  /** User records in a full aggregate (1: each goes alone, as a plain record). */
  perAggregate: number;
  /** Bytes one user record adds to an aggregate. */
  unitBytes: number;
  /** Bytes (data + partition key) of a user record sent alone. */
  singleBytes: number;
}

/**
 * How aggregate simulation (counts per shard, no single records) shapes a KPL producer's user records:
 * user records per full aggregate and the bytes each adds. Every user record is counted with its own
 * key-table entry (the KPL shares a key among the records that repeat it, so this is the aggregate's largest
 * size). A user record that does not fit an aggregate with another goes alone (perAggregate 1).
 */
export function aggregateShape(maxBytes: number, dataBytes: number, keyBytes: number): AggregateShape {
  const unit = recordEntrySize(1, -1, Math.round(dataBytes)) + tableEntrySize(Math.round(keyBytes));
  const singleBytes = dataBytes + keyBytes;
  if (KPL_FIXED_OVERHEAD + unit * 2 > maxBytes) return { perAggregate: 1, unitBytes: unit, singleBytes };
  return { perAggregate: Math.floor((maxBytes - KPL_FIXED_OVERHEAD) / unit), unitBytes: unit, singleBytes };
}

/**
 * Kinesis records that carry `users` user records of one shard spread over `spanMs`, in aggregate
 * simulation, and their mean size (data + partition key, bytes). A group is sent when full or when its
 * oldest record has waited RecordMaxBufferedTime (100 ms), so it holds a full aggregate's worth or what
 * arrives in 100 ms, whichever is less. Fewer than one user record per 100 ms go alone, as plain records.
 */
export function kinesisRecordsFor(
  users: number,
  shape: AggregateShape,
  spanMs: number,
): { records: number; bytesEach: number } {
  if (users <= 0) return { records: 0, bytesEach: 0 };
  const windows = Math.max(1, Math.round(spanMs / KPL_RECORD_MAX_BUFFERED_MS));
  const perWindow = users / windows;
  if (shape.perAggregate === 1 || perWindow < 1) return { records: users, bytesEach: shape.singleBytes };
  // A group holds what fills it, or what arrives within its 100 ms, whichever is less.
  const records = Math.min(users, Math.ceil(users / Math.min(shape.perAggregate, perWindow)));
  if (records === users) return { records, bytesEach: shape.singleBytes };
  return {
    records,
    bytesEach: KPL_FIXED_OVERHEAD + (users * shape.unitBytes) / records + KPL_AGGREGATE_PARTITION_KEY.length,
  };
}

/** User records collected for one predicted shard (the KPL's Reducer container), not yet a Kinesis record. */
interface OpenAggregate {
  /** Index into stream.shards of the shard the first record's hash key falls in. */
  shard: number;
  /** The first user record's hash key: the Kinesis record's ExplicitHashKey. */
  firstHash: Uint32Array;
  sinceMs: number;
  keys: string[];
  keyLookup: Map<string, number>;
  hashKeys: string[];
  hashKeyLookup: Map<string, number> | undefined;
  keyIndex: number[];
  hashKeyIndex: number[];
  dataBytes: number[];
  /** Each user record's sequence within the producer: its synthetic data names it. */
  seq: number[];
  /** Protobuf message bytes so far (without magic and MD5). */
  size: number;
  /** The first user record as sent alone: its key id (-1 for keys not interned), key and key size. */
  firstKeyId: number;
  firstKey: string;
  firstKeyBytes: number;
}

/** A Kinesis record ready to send: an aggregate of 2+ user records, or one user record on its own. */
interface KinesisRecordOut {
  agg: OpenAggregate;
  users: number;
  /** Data bytes (the whole aggregate, or the lone user record's data) and partition key bytes. */
  dataBytes: number;
  keyBytes: number;
}

/**
 * One KPL producer's aggregator and collector, sending through the engine's write path [model §12]. As the
 * KPL does (awslabs/amazon-kinesis-producer, `aggregator.h`, `reducer.h`, `kinesis_record.cc`,
 * `collector.h`, `put_records_context.h`):
 * - user records are grouped per predicted shard (the open shard their hash key falls in);
 * - a group becomes one Kinesis record when one more user record would pass AggregationMaxSize, or when its
 *   oldest has waited RecordMaxBufferedTime (100 ms); a group of one user record goes out as that record
 *   itself (its own key and data), one of more as an aggregate whose PartitionKey is "a";
 * - every Kinesis record's ExplicitHashKey is its first user record's hash key, so it lands on that shard;
 * - with collection, Kinesis records wait for a PutRecords request of ≤ 500 entries and ≤ 5 MiB (key
 *   lengths + data), sent when full, when one shard has 256 KiB waiting, or when the oldest user record has
 *   waited 100 ms; without it, each goes out as a PutRecord.
 * Shard limits see only the Kinesis record: 1 record, its data + its key. User records are counted in the
 * producer's totals through the Kinesis record that carried them (accepted, throttled or rejected with it).
 * An aggregate is encoded (protobuf + MD5) only once Kinesis accepted it, as its stored payload; the user
 * records' data is a deterministic fill naming each (`u<seq>` then dots).
 */
export class KplPipeline {
  private readonly engine: ShardEngine;
  private readonly stream: Stream;
  readonly spec: KplSpec;
  private readonly totals: ProducerTotals;
  readonly kplTotals: KplTotals = {
    kinesisRecords: 0,
    kinesisAccepted: 0,
    kinesisThrottled: 0,
    kinesisRejected: 0,
    aggregationRatio: 0,
    lastSecond: -1,
    userRecordsLastSecond: 0,
    kinesisRecordsLastSecond: 0,
    refusedReason: undefined,
  };
  private readonly open = new Map<number, OpenAggregate>();
  private collected: KinesisRecordOut[] = [];
  private collectedBytes = 0;
  private readonly collectedByShard = new Map<number, number>();
  /** User records held (in open groups and collected Kinesis records). */
  buffered = 0;
  private userSeq = 0;
  private userRecordsSent = 0;
  private readonly aggregateKeyId: number;
  private readonly words = new Uint32Array(4);
  private second = -1;
  private userThisSecond = 0;
  private kinesisThisSecond = 0;
  private fill = new Uint8Array(256);
  private readonly stagedData: number[] = [];
  private readonly stagedKeys: number[] = [];

  constructor(engine: ShardEngine, stream: Stream, spec: KplSpec, totals: ProducerTotals) {
    this.engine = engine;
    this.stream = stream;
    this.spec = spec;
    this.totals = totals;
    this.aggregateKeyId = engine.pinKey(stream, KPL_AGGREGATE_PARTITION_KEY);
  }

  /** Carries on the Kinesis totals of the pipeline this one replaces (the producer was edited). */
  inherit(from: KplPipeline): void {
    const t = this.kplTotals;
    const f = from.kplTotals;
    t.kinesisRecords = f.kinesisRecords;
    t.kinesisAccepted = f.kinesisAccepted;
    t.kinesisThrottled = f.kinesisThrottled;
    t.kinesisRejected = f.kinesisRejected;
    this.userRecordsSent = from.userRecordsSent;
    this.userSeq = from.userSeq;
  }

  /** Releases the pinned aggregate key. Held user records are dropped unsent. */
  dispose(): void {
    this.engine.unpinKey(this.stream, this.aggregateKeyId);
    this.dropHeld();
  }

  /** Drops what is held, unsent (the producer was removed or refused): never attempted. */
  dropHeld(): void {
    this.open.clear();
    this.collected = [];
    this.collectedBytes = 0;
    this.collectedByShard.clear();
    this.buffered = 0;
  }

  /** Adds one user record drawn by the key sampler, of `dataBytes` data; may send Kinesis records. */
  put(sample: KeySample, dataBytes: number): void {
    const now = this.engine.now();
    const keys = this.stream.keys;
    let key: string;
    let keyBytes: number;
    let shard: number;
    const words = this.words;
    if (sample.key !== undefined) {
      key = sample.key;
      keyBytes = hashKeyAndUtf8Length(key, words);
      shard = this.engine.routeHashKey(this.stream, words);
    } else {
      key = keys.keyOf(sample.keyId);
      keyBytes = keys.utf8Bytes[sample.keyId] as number;
      shard = sample.shardIndex;
      words.set(keys.hashWords.subarray(sample.keyId * 4, sample.keyId * 4 + 4));
    }
    let hashKey: string | undefined;
    if (sample.explicitHashKey !== undefined) {
      words.set(sample.explicitHashKey);
      hashKey = hashKeyToDecimal(sample.explicitHashKey);
    }
    const seq = ++this.userSeq;
    this.buffered++;
    this.countSecond(1, 0);
    let agg = this.open.get(shard);
    if (agg !== undefined && this.wouldPassLimit(agg, key, keyBytes, hashKey, dataBytes)) {
      this.open.delete(shard);
      this.emit(agg);
      agg = undefined;
    }
    if (agg === undefined) {
      agg = {
        shard,
        firstHash: words.slice(),
        sinceMs: now,
        keys: [],
        keyLookup: new Map(),
        hashKeys: [],
        hashKeyLookup: undefined,
        keyIndex: [],
        hashKeyIndex: [],
        dataBytes: [],
        seq: [],
        size: 0,
        firstKeyId: sample.key === undefined ? sample.keyId : -1,
        firstKey: key,
        firstKeyBytes: keyBytes,
      };
      this.open.set(shard, agg);
    }
    this.addTo(agg, key, keyBytes, hashKey, dataBytes, seq);
    // A user record too large for an aggregate by itself goes alone (the KPL's bypass).
    if (agg.seq.length === 1 && KPL_FIXED_OVERHEAD + agg.size > this.spec.aggregationMaxBytes) {
      this.open.delete(shard);
      this.emit(agg);
    }
  }

  /** Sends what has waited RecordMaxBufferedTime (100 ms) by now: groups, then the collected request. */
  tick(): void {
    const now = this.engine.now();
    for (const [shard, agg] of this.open) {
      if (now - agg.sinceMs >= KPL_RECORD_MAX_BUFFERED_MS) {
        this.open.delete(shard);
        this.emit(agg);
      }
    }
    if (this.collected.length > 0 && now - this.oldestCollectedMs() >= KPL_RECORD_MAX_BUFFERED_MS)
      this.sendCollected();
  }

  /** Sends everything held now (the producer stops, is edited or finishes). */
  flushAll(): void {
    for (const agg of this.open.values()) this.emit(agg);
    this.open.clear();
    this.sendCollected();
  }

  /** The running figures, with the per-second ones brought up to now. */
  snapshot(): KplTotals {
    this.rollSecond(this.engine.now());
    const t = this.kplTotals;
    t.aggregationRatio = t.kinesisRecords > 0 ? this.userRecordsSent / t.kinesisRecords : 0;
    return { ...t };
  }

  /**
   * Counts Kinesis records sent by aggregate simulation for `users` user records (outcomes counted by the
   * caller per user record; these are the Kinesis records' own), spread over `spanMs` ending now.
   */
  countAggregated(
    users: number,
    kinesis: { sent: number; accepted: number; throttled: number; rejected: number },
    spanMs: number,
  ): void {
    const t = this.kplTotals;
    t.kinesisRecords += kinesis.sent;
    t.kinesisAccepted += kinesis.accepted;
    t.kinesisThrottled += kinesis.throttled;
    t.kinesisRejected += kinesis.rejected;
    this.userRecordsSent += users;
    // A step longer than a second counts its mean rate in its last second.
    const scale = spanMs > 1000 ? 1000 / spanMs : 1;
    this.countSecond(users * scale, kinesis.sent * scale);
  }

  /** Whether adding this user record would make the group's aggregate pass AggregationMaxSize. */
  private wouldPassLimit(
    agg: OpenAggregate,
    key: string,
    keyBytes: number,
    hashKey: string | undefined,
    dataBytes: number,
  ): boolean {
    let k = agg.keyLookup.get(key);
    let add = 0;
    if (k === undefined) {
      k = agg.keys.length;
      add += tableEntrySize(keyBytes);
    }
    let h = -1;
    if (hashKey !== undefined) {
      h = agg.hashKeyLookup?.get(hashKey) ?? -1;
      if (h < 0) {
        h = agg.hashKeys.length;
        add += tableEntrySize(hashKey.length);
      }
    }
    add += recordEntrySize(k, h, dataBytes);
    return KPL_FIXED_OVERHEAD + agg.size + add > this.spec.aggregationMaxBytes;
  }

  private addTo(
    agg: OpenAggregate,
    key: string,
    keyBytes: number,
    hashKey: string | undefined,
    dataBytes: number,
    seq: number,
  ): void {
    let k = agg.keyLookup.get(key);
    if (k === undefined) {
      k = agg.keys.length;
      agg.keys.push(key);
      agg.keyLookup.set(key, k);
      agg.size += tableEntrySize(keyBytes);
    }
    let h = -1;
    if (hashKey !== undefined) {
      agg.hashKeyLookup ??= new Map();
      h = agg.hashKeyLookup.get(hashKey) ?? -1;
      if (h < 0) {
        h = agg.hashKeys.length;
        agg.hashKeys.push(hashKey);
        agg.hashKeyLookup.set(hashKey, h);
        agg.size += tableEntrySize(hashKey.length);
      }
    }
    agg.keyIndex.push(k);
    agg.hashKeyIndex.push(h);
    agg.dataBytes.push(dataBytes);
    agg.seq.push(seq);
    agg.size += recordEntrySize(k, h, dataBytes);
  }

  /** Turns a group into a Kinesis record: sent at once (PutRecord) or collected for PutRecords. */
  private emit(agg: OpenAggregate): void {
    const users = agg.seq.length;
    const single = users === 1;
    const rec: KinesisRecordOut = {
      agg,
      users,
      dataBytes: single ? (agg.dataBytes[0] as number) : KPL_FIXED_OVERHEAD + agg.size,
      keyBytes: single ? agg.firstKeyBytes : KPL_AGGREGATE_PARTITION_KEY.length,
    };
    if (!this.spec.collection) {
      this.send([rec]);
      return;
    }
    // The request's size as the KPL counts it: key length + data [put_records_request.h].
    const bytes = rec.keyBytes + rec.dataBytes;
    if (
      this.collected.length > 0 &&
      (this.collected.length + 1 > KPL_COLLECTION_MAX_COUNT ||
        this.collectedBytes + bytes > KPL_COLLECTION_MAX_BYTES)
    ) {
      this.sendCollected();
    }
    this.collected.push(rec);
    this.collectedBytes += bytes;
    const shardBytes = (this.collectedByShard.get(agg.shard) ?? 0) + bytes;
    this.collectedByShard.set(agg.shard, shardBytes);
    if (this.collected.length >= KPL_COLLECTION_MAX_COUNT || shardBytes >= KPL_COLLECTION_SHARD_FLUSH_BYTES)
      this.sendCollected();
  }

  private oldestCollectedMs(): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const rec of this.collected) oldest = Math.min(oldest, rec.agg.sinceMs);
    return oldest;
  }

  private sendCollected(): void {
    if (this.collected.length === 0) return;
    const batch = this.collected;
    this.collected = [];
    this.collectedBytes = 0;
    this.collectedByShard.clear();
    this.send(batch);
  }

  /**
   * Sends Kinesis records as one PutRecords request (collection) or one PutRecord each. A PutRecords
   * request Kinesis refuses whole (an entry over the stream's max record size) rejects every user record in
   * it [model §4].
   */
  private send(batch: KinesisRecordOut[]): void {
    const t = this.totals;
    const k = this.kplTotals;
    const engine = this.engine;
    const stream = this.stream;
    let users = 0;
    for (const rec of batch) users += rec.users;
    this.buffered -= users;
    t.buffered = this.buffered;
    t.attempted += users;
    k.kinesisRecords += batch.length;
    this.userRecordsSent += users;
    this.countSecond(0, batch.length);
    if (this.spec.collection) {
      t.requests++;
      const data = this.stagedData;
      const keys = this.stagedKeys;
      data.length = 0;
      keys.length = 0;
      for (const rec of batch) {
        data.push(rec.dataBytes);
        keys.push(rec.keyBytes);
      }
      const refused = engine.putRecordsProblem(stream, data, keys, batch.length);
      if (refused) {
        t.requestsRejected++;
        t.rejected += users;
        k.kinesisRejected += batch.length;
        t.lastError = { errorType: refused.type, message: refused.message };
        engine.countRejected(batch.length, { StreamName: stream.name });
        return;
      }
    } else t.requests += batch.length;
    // An injected fault fails a whole call (faults.ts): every Kinesis record of a PutRecords request, or one
    // PutRecord. The KPL would retry them (until RecordTtl); that is not simulated, so their user records
    // end throttled (ProvisionedThroughputExceededException) or rejected (InternalFailure).
    const faults = engine.faults;
    if (faults.any && this.spec.collection) {
      const fault = faults.decide(stream.name, engine.now(), batch.length);
      if (fault !== undefined) {
        this.countFault(fault, batch.length, users);
        return;
      }
    }
    for (const rec of batch) {
      if (faults.any && !this.spec.collection) {
        const fault = faults.decide(stream.name, engine.now(), 1);
        if (fault !== undefined) {
          this.countFault(fault, 1, rec.users);
          continue;
        }
      }
      const agg = rec.agg;
      const shard = engine.routeHashKey(stream, agg.firstHash);
      let outcome: number;
      if (rec.users > 1)
        outcome = engine.writeRecord(
          stream,
          shard,
          this.aggregateKeyId,
          rec.dataBytes,
          undefined,
          agg.firstHash,
        );
      else if (agg.hashKeys.length > 0)
        // Its ExplicitHashKey places it; the producer's one partition key stays pinned while it lives.
        outcome = engine.writeRecord(stream, shard, agg.firstKeyId, rec.dataBytes, undefined, agg.firstHash);
      // By its key's MD5, the hash key the KPL sends as its ExplicitHashKey: the same shard. (By string: a
      // key id drawn a while ago, e.g. a past second's timestamp key, may have been released since.)
      else outcome = engine.putUnpinned(stream, agg.firstKey, rec.dataBytes);
      this.countOutcome(rec, outcome);
    }
  }

  /** Counts `records` Kinesis records (carrying `users` user records) of a call an injected fault failed. */
  private countFault(error: FaultError, records: number, users: number): void {
    const t = this.totals;
    const k = this.kplTotals;
    this.engine.countFaulted(this.stream, error, records);
    if (chargeFault(t, error, users, this.stream.name, this.engine.accountId)) k.kinesisThrottled += records;
    else k.kinesisRejected += records;
  }

  private countOutcome(rec: KinesisRecordOut, outcome: number): void {
    const t = this.totals;
    const k = this.kplTotals;
    const n = rec.users;
    if (outcome === WRITE_THROTTLED) {
      const shard = this.engine.lastShardIndex;
      t.throttled += n;
      t.throttledByShard[shard] = (t.throttledByShard[shard] ?? 0) + n;
      k.kinesisThrottled++;
    } else if (outcome === WRITE_REJECTED) {
      t.rejected += n;
      k.kinesisRejected++;
      const error: KinesisError | undefined = this.engine.lastRejection;
      if (error) t.lastError = { errorType: error.type, message: error.message };
    } else {
      t.accepted += n;
      t.acceptedByShard[outcome] = (t.acceptedByShard[outcome] ?? 0) + n;
      k.kinesisAccepted++;
      const log = (this.stream.shards[outcome] as Stream['shards'][number]).log;
      log.attachPayload(log.nextOrdinal - 1, this.encode(rec));
    }
  }

  /**
   * The Kinesis record's Data: the aggregate (magic ‖ protobuf ‖ MD5), or the lone user record's data — a view
   * of a reused buffer, valid until the next call (the record log keeps a copy).
   */
  encode(rec: KinesisRecordOut): Uint8Array {
    const agg = rec.agg;
    if (rec.users === 1) return this.userData(agg.seq[0] as number, agg.dataBytes[0] as number);
    return encodeAggregate(agg.keys, agg.hashKeys, agg.keyIndex, agg.hashKeyIndex, (i) =>
      this.userData(agg.seq[i] as number, agg.dataBytes[i] as number),
    );
  }

  /** Synthetic user data: `u<seq>` then dots, cut to `bytes` (a reused buffer). */
  private userData(seq: number, bytes: number): Uint8Array {
    if (this.fill.length < bytes) this.fill = new Uint8Array(Math.max(bytes, this.fill.length * 2));
    const out = this.fill.subarray(0, bytes);
    out.fill(0x2e);
    const label = `u${seq}`;
    for (let i = 0; i < label.length && i < bytes; i++) out[i] = label.charCodeAt(i);
    return out;
  }

  private rollSecond(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    if (second === this.second) return;
    const k = this.kplTotals;
    if (this.second >= 0) {
      // The second just completed, or an idle one after it.
      const completed = second - 1;
      k.lastSecond = completed;
      k.userRecordsLastSecond = completed === this.second ? this.userThisSecond : 0;
      k.kinesisRecordsLastSecond = completed === this.second ? this.kinesisThisSecond : 0;
    }
    this.second = second;
    this.userThisSecond = 0;
    this.kinesisThisSecond = 0;
  }

  private countSecond(users: number, kinesis: number): void {
    this.rollSecond(this.engine.now());
    this.userThisSecond += users;
    this.kinesisThisSecond += kinesis;
  }
}
