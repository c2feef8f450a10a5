import { Reader, Writer } from 'protobufjs/minimal';
import { md5Bytes } from '../md5';

/**
 * The KPL's aggregated record format [model §12; awslabs/amazon-kinesis-producer `aggregation-format.md`]:
 *
 *     MAGIC (F3 89 9A C2) ‖ protobuf (proto2) AggregatedRecord ‖ MD5 of the protobuf bytes (16 bytes)
 *
 *     message AggregatedRecord { repeated string partition_key_table = 1;
 *                                repeated string explicit_hash_key_table = 2;
 *                                repeated Record records = 3; }
 *     message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
 *                      required bytes data = 3; repeated Tag tags = 4; }
 *
 * The protobuf wire encoding is protobufjs's (its minimal Writer and Reader); the sizes are computed here,
 * because the aggregator must know an aggregate's exact size before it encodes it (the KPL's
 * `KinesisRecord::accurate_size`: kFixedOverhead 20 + the message's ByteSize).
 */

/** The 4 magic bytes that open every aggregated record (`KinesisRecord::kMagic`). */
export const KPL_MAGIC: readonly number[] = [0xf3, 0x89, 0x9a, 0xc2];
/** Magic + MD5 trailer, bytes (`KinesisRecord::kFixedOverhead` = 4 + 16). */
export const KPL_FIXED_OVERHEAD = 20;
/**
 * The partition key the KPL gives every aggregated record of two or more user records: one byte, since the
 * ExplicitHashKey places it (`KinesisRecord::partition_key`: "We will therefore use a single byte").
 */
export const KPL_AGGREGATE_PARTITION_KEY = 'a';

/** One user record inside an aggregate. `explicitHashKey` is a decimal string, as the KPL's table holds it. */
export interface UserRecord {
  partitionKey: string;
  explicitHashKey?: string | undefined;
  data: Uint8Array;
}

/** Bytes of `value` as a protobuf varint (value < 2^53). */
export function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/** Bytes a length-delimited field of `length` bytes takes with its one-byte tag (field numbers 1–15). */
function delimitedSize(length: number): number {
  return 1 + varintSize(length) + length;
}

/**
 * Bytes one Record sub-message takes inside AggregatedRecord (its tag and length included): partition key
 * index, optional explicit hash key index (-1: none), data of `dataBytes`.
 */
export function recordEntrySize(keyIndex: number, hashKeyIndex: number, dataBytes: number): number {
  const body =
    1 +
    varintSize(keyIndex) +
    (hashKeyIndex >= 0 ? 1 + varintSize(hashKeyIndex) : 0) +
    delimitedSize(dataBytes);
  return delimitedSize(body);
}

/** Bytes one key table entry (partition key or explicit hash key) of `utf8Bytes` takes. */
export function tableEntrySize(utf8Bytes: number): number {
  return delimitedSize(utf8Bytes);
}

/** Whether `data` opens with the KPL's magic bytes (it may still fail its MD5 check). */
export function hasKplMagic(data: Uint8Array): boolean {
  return (
    data.length >= KPL_FIXED_OVERHEAD &&
    data[0] === KPL_MAGIC[0] &&
    data[1] === KPL_MAGIC[1] &&
    data[2] === KPL_MAGIC[2] &&
    data[3] === KPL_MAGIC[3]
  );
}

const DIGEST = new Uint32Array(4);

/** Writes the 16-byte MD5 of `bytes` at `out[offset..]` (digest bytes: each state word little-endian). */
function writeMd5(bytes: Uint8Array, out: Uint8Array, offset: number): void {
  md5Bytes(bytes, DIGEST);
  for (let i = 0; i < 4; i++) {
    const w = DIGEST[i] as number;
    out[offset + i * 4] = w & 0xff;
    out[offset + i * 4 + 1] = (w >>> 8) & 0xff;
    out[offset + i * 4 + 2] = (w >>> 16) & 0xff;
    out[offset + i * 4 + 3] = w >>> 24;
  }
}

/**
 * Wraps an encoded AggregatedRecord message in magic and MD5 trailer: the Kinesis record's Data.
 */
export function frameAggregate(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(KPL_FIXED_OVERHEAD + message.length);
  out.set(KPL_MAGIC, 0);
  out.set(message, 4);
  writeMd5(message, out, 4 + message.length);
  return out;
}

/**
 * Encodes user records as one aggregated record (magic ‖ AggregatedRecord ‖ MD5). Keys are interned in the
 * tables in first-use order, as the KPL's KeySet does; a record without an ExplicitHashKey has no
 * explicit_hash_key_index. Throws RangeError for no records (the KPL cannot serialize an empty container).
 *
 * @example encodeAggregatedRecord([{ partitionKey: 'k', data: Uint8Array.of(1) }]) // F3 89 9A C2 0A 01 6B …
 */
export function encodeAggregatedRecord(records: readonly UserRecord[]): Uint8Array {
  if (records.length === 0) throw new RangeError('an aggregated record needs at least one user record');
  const keys = new Map<string, number>();
  const hashKeys = new Map<string, number>();
  const keyIndex: number[] = [];
  const hashKeyIndex: number[] = [];
  for (const r of records) {
    let k = keys.get(r.partitionKey);
    if (k === undefined) {
      k = keys.size;
      keys.set(r.partitionKey, k);
    }
    keyIndex.push(k);
    let h = -1;
    if (r.explicitHashKey !== undefined) {
      h = hashKeys.get(r.explicitHashKey) ?? -1;
      if (h < 0) {
        h = hashKeys.size;
        hashKeys.set(r.explicitHashKey, h);
      }
    }
    hashKeyIndex.push(h);
  }
  return encodeAggregate([...keys.keys()], [...hashKeys.keys()], keyIndex, hashKeyIndex, (i) => {
    return (records[i] as UserRecord).data;
  });
}

/**
 * Encodes an aggregated record from its tables: `keys` and `hashKeys` (decimal strings) in table order,
 * and per user record its index into each (-1: no ExplicitHashKey) and its data (`dataOf(i)` may return a
 * reused buffer: it is copied at once). Returns magic ‖ message ‖ MD5.
 */
export function encodeAggregate(
  keys: readonly string[],
  hashKeys: readonly string[],
  keyIndex: ArrayLike<number>,
  hashKeyIndex: ArrayLike<number>,
  dataOf: (i: number) => Uint8Array,
): Uint8Array {
  const w = Writer.create();
  for (const key of keys) w.uint32((1 << 3) | 2).string(key);
  for (const key of hashKeys) w.uint32((2 << 3) | 2).string(key);
  for (let i = 0; i < keyIndex.length; i++) {
    w.uint32((3 << 3) | 2).fork();
    w.uint32((1 << 3) | 0).uint64(keyIndex[i] as number);
    const h = hashKeyIndex[i] as number;
    if (h >= 0) w.uint32((2 << 3) | 0).uint64(h);
    w.uint32((3 << 3) | 2).bytes(dataOf(i));
    w.ldelim();
  }
  return frameAggregate(w.finish());
}

/**
 * A uint64 table index. Tables hold fewer than 2^32 keys (AggregationMaxCount ≤ 4294967295), so every valid
 * index is a varint of at most 5 bytes, which reads the same as a uint32; a longer one is malformed.
 */
function readIndex(r: Reader): number {
  const start = r.pos;
  const v = r.uint32() >>> 0;
  if (r.pos - start > 5) throw new RangeError('table index out of range');
  return v;
}

/** Why bytes are not a valid aggregated record (a consumer then reads them as one plain record). */
export type NotAggregated = 'no-magic' | 'md5-mismatch' | 'malformed';

/**
 * Decodes an aggregated record into its user records, in order. Returns the reason instead when the bytes
 * are not one: no magic (or shorter than magic + MD5), an MD5 trailer that does not match the message, or a
 * message that is not a well-formed AggregatedRecord (unknown wire types, an index outside its table, a
 * missing required field). Tags (field 4) are skipped: the KPL and KCL never implemented them.
 */
export function decodeAggregatedRecord(data: Uint8Array): UserRecord[] | NotAggregated {
  if (!hasKplMagic(data)) return 'no-magic';
  const message = data.subarray(4, data.length - 16);
  const check = new Uint8Array(16);
  writeMd5(message, check, 0);
  for (let i = 0; i < 16; i++) if (check[i] !== data[data.length - 16 + i]) return 'md5-mismatch';
  try {
    const keys: string[] = [];
    const hashKeys: string[] = [];
    const entries: { key: number; hashKey: number; data: Uint8Array | undefined }[] = [];
    const r = Reader.create(message);
    while (r.pos < r.len) {
      const tag = r.uint32();
      const field = tag >>> 3;
      if (field === 1 && (tag & 7) === 2) keys.push(r.string());
      else if (field === 2 && (tag & 7) === 2) hashKeys.push(r.string());
      else if (field === 3 && (tag & 7) === 2) {
        const end = r.uint32() + r.pos;
        const entry = { key: -1, hashKey: -1, data: undefined as Uint8Array | undefined };
        while (r.pos < end) {
          const t = r.uint32();
          const f = t >>> 3;
          if (f === 1 && (t & 7) === 0) entry.key = readIndex(r);
          else if (f === 2 && (t & 7) === 0) entry.hashKey = readIndex(r);
          else if (f === 3 && (t & 7) === 2) entry.data = r.bytes();
          else r.skipType(t & 7);
        }
        if (r.pos !== end) return 'malformed';
        entries.push(entry);
      } else r.skipType(tag & 7);
    }
    const out: UserRecord[] = [];
    for (const e of entries) {
      const partitionKey = keys[e.key];
      if (partitionKey === undefined || e.data === undefined) return 'malformed';
      const explicitHashKey = e.hashKey >= 0 ? hashKeys[e.hashKey] : undefined;
      if (e.hashKey >= 0 && explicitHashKey === undefined) return 'malformed';
      out.push({ partitionKey, explicitHashKey, data: e.data });
    }
    return out;
  } catch {
    return 'malformed';
  }
}
