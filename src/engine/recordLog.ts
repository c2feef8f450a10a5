import { CountBuckets } from './countBuckets';
import type { KeyTable } from './keyTable';
import { PAYLOAD_DETAIL_BUDGET_BYTES_DEFAULT, PAYLOAD_RELEASE_TO_SHARE } from './limits';

/** Records per storage chunk: chunks are dropped whole once every record in them has expired. */
export const RECORD_CHUNK_SIZE = 4096;

/**
 * Key column flag: the record's key is not interned; it is held in the chunk's `directKeys` (see DirectKeys)
 * and the column holds DIRECT_KEY + the key's UTF-8 size (≤ 768) instead of a key id (ids stay far below
 * 2^31).
 */
const DIRECT_KEY = 0x80000000;

/**
 * A chunk's keys that are not interned, without a retained string per record: ASCII keys (nearly all) as
 * bytes in one growing buffer, at `offset[i]`, `length` being the key column's UTF-8 size; other keys as
 * their strings. A string per record, kept for the record's life, cost the garbage collector a copy or two
 * of each key from the young generation: measured on the endpoint, 500-entry PutRecords took 4.3 µs of
 * server CPU per record with strings and 3.4 µs without.
 */
class DirectKeys {
  // Starts small (a chunk per shard is open at once; 2,000 shards) and doubles as keys come.
  private bytes = new Uint8Array(1024);
  private used = 0;
  private readonly offset = new Uint32Array(RECORD_CHUNK_SIZE);
  /** Keys that are not ASCII, by record index (null until the chunk has one). */
  private wide: (string | undefined)[] | null = null;

  /** Holds record i's key; `utf8Bytes` is its UTF-8 size (equal to its length when it is ASCII). */
  set(i: number, key: string, utf8Bytes: number): void {
    const length = key.length;
    if (utf8Bytes !== length) {
      this.wide ??= new Array<string | undefined>(RECORD_CHUNK_SIZE);
      this.wide[i] = key;
      return;
    }
    if (this.used + length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + length));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    const bytes = this.bytes;
    const at = this.used;
    for (let k = 0; k < length; k++) bytes[at + k] = key.charCodeAt(k);
    this.offset[i] = at;
    this.used = at + length;
  }

  /** Record i's key; `utf8Bytes` is the size the key column holds for it. */
  get(i: number, utf8Bytes: number): string {
    const wide = this.wide?.[i];
    if (wide !== undefined) return wide;
    const at = this.offset[i] as number;
    return String.fromCharCode(...this.bytes.subarray(at, at + utf8Bytes));
  }

  /** Forgets record i's key (only strings hold memory of their own). */
  clear(i: number): void {
    if (this.wide) this.wide[i] = undefined;
  }
}

interface Chunk {
  /** Ordinal (per-shard sequence counter) of the chunk's first record. */
  firstOrdinal: number;
  length: number;
  /** Index of the first record still held (earlier ones expired or were released). */
  start: number;
  arrivalMs: Float64Array;
  /** Key id, or DIRECT_KEY + UTF-8 size for a key held in `directKeys`. */
  keyId: Uint32Array;
  dataBytes: Uint32Array;
  /** Payloads only where a person typed them, a client sent them or a KPL producer encoded them. */
  payloads: ChunkPayloads | null;
  /** Keys of records written without interning (null until the chunk has one); dropped with the chunk. */
  directKeys: DirectKeys | null;
}

/**
 * A chunk's payloads, held without an object per record: each is (buffer, offset, length) in typed columns,
 * the buffer being the endpoint decoder's shared slab for small records (base64.ts), or the payload's own
 * otherwise. A retained Uint8Array per record cost the garbage collector ~0.35 µs per record at the
 * endpoint's rate (measured: 2.2 → 1.85 µs per PutRecords entry); a view is made again only on read.
 */
class ChunkPayloads {
  /** The buffers payloads are views of, each once in a row of records; a slot is emptied when unused. */
  private readonly buffers: (ArrayBufferLike | undefined)[] = [];
  /** Records using each buffer slot, so a released payload's memory can go. */
  private readonly uses: number[] = [];
  private readonly slot = new Int32Array(RECORD_CHUNK_SIZE).fill(-1);
  private readonly offset = new Uint32Array(RECORD_CHUNK_SIZE);
  private readonly length = new Uint32Array(RECORD_CHUNK_SIZE);

  set(i: number, payload: Uint8Array): void {
    let b = this.buffers.length - 1;
    if (b < 0 || this.buffers[b] !== payload.buffer) {
      this.buffers.push(payload.buffer);
      this.uses.push(0);
      b++;
    }
    this.uses[b] = (this.uses[b] as number) + 1;
    this.slot[i] = b;
    this.offset[i] = payload.byteOffset;
    this.length[i] = payload.length;
  }

  has(i: number): boolean {
    return (this.slot[i] as number) >= 0;
  }

  /** Record i's payload bytes (0 without one). */
  lengthOf(i: number): number {
    return (this.slot[i] as number) < 0 ? 0 : (this.length[i] as number);
  }

  get(i: number): Uint8Array | undefined {
    const b = this.slot[i] as number;
    if (b < 0) return undefined;
    return new Uint8Array(this.buffers[b] as ArrayBufferLike, this.offset[i], this.length[i]);
  }

  /** Forgets record i's payload; returns its length (0 if it had none). */
  clear(i: number): number {
    const b = this.slot[i] as number;
    if (b < 0) return 0;
    this.slot[i] = -1;
    const left = (this.uses[b] as number) - 1;
    this.uses[b] = left;
    if (left === 0) this.buffers[b] = undefined;
    return this.length[i] as number;
  }
}

/** Shared empty columns for chunks whose records are all gone, so their memory is freed at once. */
const NO_ARRIVALS = new Float64Array(0);
const NO_WORDS = new Uint32Array(0);
/** Stands for "no chunk being filled": it is full, so the first append starts a real chunk. */
const FULL_PLACEHOLDER: Chunk = {
  firstOrdinal: 0,
  length: RECORD_CHUNK_SIZE,
  start: RECORD_CHUNK_SIZE,
  arrivalMs: NO_ARRIVALS,
  keyId: NO_WORDS,
  dataBytes: NO_WORDS,
  payloads: null,
  directKeys: null,
};

/** One record read back from a shard. */
export interface StoredRecord {
  ordinal: number;
  arrivalMs: number;
  partitionKey: string;
  /** UTF-8 size of the partition key. */
  keyBytes: number;
  dataBytes: number;
  payload: Uint8Array | undefined;
}

/** What left the log in one call: records and their bytes (data + partition key). */
export interface Removed {
  records: number;
  bytes: number;
}

/**
 * The payload byte budget the record logs of one stream share: the bytes of the payloads they hold, and the
 * limit past which the oldest records (by arrival, across the logs) are released into count-only buckets
 * until PAYLOAD_RELEASE_TO_SHARE of the limit is left. Memory is then bounded by `limitBytes`, never by
 * simulated time: a 1-shard stream taking 1 MiB/s of aggregated records holds at most this much payload.
 */
export class PayloadBudget {
  limitBytes: number;
  /** Payload bytes the logs hold (each record's Data, where it has one). */
  heldBytes = 0;
  /** Records released early because of this budget. */
  releasedRecords = 0;
  private readonly logs: RecordLog[] = [];
  /** Told how many records each release moved to counts (the stream's releasedRecords). */
  onRelease: ((records: number) => void) | undefined;

  constructor(limitBytes = PAYLOAD_DETAIL_BUDGET_BYTES_DEFAULT) {
    this.limitBytes = limitBytes;
  }

  /** Makes `log` share this budget (a log joins at most one budget). */
  join(log: RecordLog): void {
    if (log.payloadBudget === this) return;
    log.payloadBudget = this;
    this.logs.push(log);
    this.heldBytes += log.payloadBytes;
    this.enforce();
  }

  /** Releases the oldest detailed records, log by log, until the held payload is within the budget. */
  enforce(): void {
    if (this.heldBytes <= this.limitBytes) return;
    const target = Math.floor(this.limitBytes * PAYLOAD_RELEASE_TO_SHARE);
    while (this.heldBytes > target) {
      let oldest: RecordLog | undefined;
      let oldestMs = Number.POSITIVE_INFINITY;
      for (const log of this.logs) {
        if (log.payloadBytes === 0) continue;
        const arrival = log.oldestDetailArrivalMs();
        if (arrival < oldestMs) {
          oldestMs = arrival;
          oldest = log;
        }
      }
      if (!oldest) break;
      const released = oldest.releaseOldestPayloads(this.heldBytes - target);
      if (released === 0) break;
      this.releasedRecords += released;
      this.onRelease?.(released);
    }
  }
}

/**
 * Columnar record storage of one shard, in arrival order (the virtual clock never goes back). About 16 bytes
 * per record: arrival time, key id and data size in typed arrays; a record whose key is not interned holds
 * its key string in a per-chunk array instead (8 more bytes, and the string). Records beyond the stream's detail budget
 * are released early into per-second counts: they still count as retained until their retention ends, but
 * can no longer be read.
 */
export class RecordLog {
  private chunks: Chunk[] = [];
  private chunkHead = 0;
  /** The newest chunk (the last of `chunks`), or a full placeholder before the first record. */
  private last: Chunk = FULL_PLACEHOLDER;
  /** Ordinal the next appended record gets; equals the shard's sequence counter. */
  nextOrdinal = 0;
  detailRecords = 0;
  detailBytes = 0;
  /** Records held as counts only, per arrival-time bucket (see CountBuckets). */
  private readonly held = new CountBuckets();
  /** Bytes of the payloads held (see PayloadBudget), and the budget this log shares, if any. */
  payloadBytes = 0;
  payloadBudget: PayloadBudget | undefined;
  /** Width of a count bucket (ms), see CountBuckets: a count-only record expires late by less than this. */
  get countBucketMs(): number {
    return this.held.widthMs;
  }

  /** Records held as counts only (no detail), and their bytes (data + key). */
  get countOnlyRecords(): number {
    return this.held.records;
  }
  get countOnlyBytes(): number {
    return this.held.bytes;
  }

  private readonly keys: KeyTable;

  constructor(keys: KeyTable) {
    this.keys = keys;
  }

  get retainedRecords(): number {
    return this.detailRecords + this.countOnlyRecords;
  }

  get retainedBytes(): number {
    return this.detailBytes + this.countOnlyBytes;
  }

  /** Ordinal of the oldest record still readable (the trim horizon); nextOrdinal when none is. */
  get firstReadableOrdinal(): number {
    const chunk = this.chunks[this.chunkHead];
    return chunk ? chunk.firstOrdinal + chunk.start : this.nextOrdinal;
  }

  /** Arrival time of the oldest retained record (detail or count), or Infinity. */
  oldestArrivalMs(): number {
    return Math.min(this.held.oldestStartMs(), this.oldestDetailArrivalMs());
  }

  /** Arrival time of the oldest record still held in detail, or Infinity. */
  oldestDetailArrivalMs(): number {
    const chunk = this.chunks[this.chunkHead];
    return chunk && chunk.start < chunk.length
      ? (chunk.arrivalMs[chunk.start] as number)
      : Number.POSITIVE_INFINITY;
  }

  /** When the next retained record expires, given the retention period; Infinity if none. */
  nextExpiryMs(retentionMs: number): number {
    return Math.min(this.held.oldestNewestMs(), this.oldestDetailArrivalMs()) + retentionMs;
  }

  /**
   * Appends records accepted by aggregate simulation: they are held as counts only (no detail). They take no
   * sequence counters: nobody can read them, and leaving the counter alone keeps the ordinals of detailed
   * records contiguous within their chunk (Kinesis sequence numbers may have gaps; only order matters).
   */
  appendCounts(arrivalMs: number, records: number, bytes: number): void {
    this.held.add(arrivalMs, records, bytes);
  }

  /** The chunk being filled: a full one means the next record starts a new chunk. */
  private tail(): Chunk {
    const chunk = this.last;
    return chunk.length < RECORD_CHUNK_SIZE ? chunk : this.startChunk();
  }

  private startChunk(): Chunk {
    const fresh: Chunk = {
      firstOrdinal: this.nextOrdinal,
      length: 0,
      start: 0,
      arrivalMs: new Float64Array(RECORD_CHUNK_SIZE),
      keyId: new Uint32Array(RECORD_CHUNK_SIZE),
      dataBytes: new Uint32Array(RECORD_CHUNK_SIZE),
      payloads: null,
      directKeys: null,
    };
    this.chunks.push(fresh);
    this.last = fresh;
    return fresh;
  }

  /**
   * Appends an accepted record whose key is held as a string (not interned; `keyBytes` is its UTF-8 size);
   * returns its ordinal.
   */
  appendDirect(
    arrivalMs: number,
    key: string,
    keyBytes: number,
    dataBytes: number,
    payload?: Uint8Array,
  ): number {
    const chunk = this.tail();
    const i = chunk.length;
    chunk.arrivalMs[i] = arrivalMs;
    chunk.keyId[i] = DIRECT_KEY + keyBytes;
    chunk.dataBytes[i] = dataBytes;
    chunk.directKeys ??= new DirectKeys();
    chunk.directKeys.set(i, key, keyBytes);
    chunk.length = i + 1;
    this.detailRecords++;
    this.detailBytes += dataBytes + keyBytes;
    const ordinal = this.nextOrdinal++;
    if (payload !== undefined) this.storePayload(chunk, i, payload);
    return ordinal;
  }

  /** Appends an accepted record (the caller holds a key reference for it); returns its ordinal. */
  append(arrivalMs: number, keyId: number, dataBytes: number, payload?: Uint8Array): number {
    const chunk = this.tail();
    const i = chunk.length;
    chunk.arrivalMs[i] = arrivalMs;
    chunk.keyId[i] = keyId;
    chunk.dataBytes[i] = dataBytes;
    chunk.length = i + 1;
    this.detailRecords++;
    this.detailBytes += dataBytes + (this.keys.utf8Bytes[keyId] as number);
    const ordinal = this.nextOrdinal++;
    if (payload !== undefined) this.storePayload(chunk, i, payload);
    return ordinal;
  }

  /**
   * Gives the newest record (ordinal nextOrdinal − 1) its payload after it was stored without one: a KPL
   * producer encodes an aggregate only once Kinesis accepted it. False (and nothing changes) if that record
   * is no longer held in detail or already has a payload.
   */
  attachPayload(ordinal: number, payload: Uint8Array): boolean {
    const chunk = this.last;
    const i = ordinal - chunk.firstOrdinal;
    if (ordinal !== this.nextOrdinal - 1 || i < chunk.start || i >= chunk.length) return false;
    if (chunk.payloads?.has(i)) return false;
    this.storePayload(chunk, i, payload);
    return true;
  }

  /** Holds a payload for record i of the chunk and charges it to the budget (which may release old records). */
  private storePayload(chunk: Chunk, i: number, payload: Uint8Array): void {
    chunk.payloads ??= new ChunkPayloads();
    chunk.payloads.set(i, payload);
    this.payloadBytes += payload.length;
    const budget = this.payloadBudget;
    if (budget) {
      budget.heldBytes += payload.length;
      if (budget.heldBytes > budget.limitBytes) budget.enforce();
    }
  }

  /**
   * Releases the oldest detailed records into count-only buckets, in arrival order, until at least
   * `bytesToFree` payload bytes are freed or no detail is left; returns how many records it released.
   */
  releaseOldestPayloads(bytesToFree: number): number {
    const before = this.payloadBytes;
    let released = 0;
    while (before - this.payloadBytes < bytesToFree) {
      const chunk = this.chunks[this.chunkHead];
      if (!chunk || chunk.start >= chunk.length) break;
      // Up to the record that frees enough: records before it go too (the trim horizon stays contiguous).
      let end = chunk.start;
      let freed = before - this.payloadBytes;
      while (end < chunk.length && freed < bytesToFree) freed += chunk.payloads?.lengthOf(end++) ?? 0;
      for (let i = chunk.start; i < end; i++) {
        const bytes = (chunk.dataBytes[i] as number) + this.keyBytesOf(chunk.keyId[i] as number);
        this.held.add(chunk.arrivalMs[i] as number, 1, bytes);
      }
      released += this.dropFromChunk(chunk, end).records;
      if (chunk.start >= chunk.length && chunk.length === RECORD_CHUNK_SIZE) this.retireHeadChunk(chunk);
      else if (chunk.start < chunk.length) continue;
      else break;
    }
    this.compactChunks();
    return released;
  }

  /** Removes every record that arrived at or before `cutoffMs` (arrival + retention <= now). */
  expire(cutoffMs: number): Removed {
    let { records, bytes } = this.held.expire(cutoffMs);

    while (this.chunkHead < this.chunks.length) {
      const chunk = this.chunks[this.chunkHead] as Chunk;
      if (chunk.start >= chunk.length || (chunk.arrivalMs[chunk.start] as number) > cutoffMs) break;
      // Binary search for the first record that arrived after the cutoff.
      let lo = chunk.start;
      let hi = chunk.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((chunk.arrivalMs[mid] as number) <= cutoffMs) lo = mid + 1;
        else hi = mid;
      }
      const dropped = this.dropFromChunk(chunk, lo);
      records += dropped.records;
      bytes += dropped.bytes;
      if (chunk.start < chunk.length || chunk.length < RECORD_CHUNK_SIZE) break;
      this.retireHeadChunk(chunk);
    }
    this.compactChunks();
    return { records, bytes };
  }

  /** Releases the oldest detailed chunk into per-second counts; returns how many records it released. */
  releaseOldestChunk(): number {
    const chunk = this.chunks[this.chunkHead];
    if (!chunk) return 0;
    for (let i = chunk.start; i < chunk.length; i++) {
      const bytes = (chunk.dataBytes[i] as number) + this.keyBytesOf(chunk.keyId[i] as number);
      this.held.add(chunk.arrivalMs[i] as number, 1, bytes);
    }
    const released = this.dropFromChunk(chunk, chunk.length);
    // A released chunk that is still being filled keeps receiving records after its start.
    if (chunk.length === RECORD_CHUNK_SIZE) this.retireHeadChunk(chunk);
    this.compactChunks();
    return released.records;
  }

  /** Drops the chunk's records [start, end) from the detail counts and releases their key references. */
  private dropFromChunk(chunk: Chunk, end: number): Removed {
    let bytes = 0;
    let payloadBytes = 0;
    const direct = chunk.directKeys;
    for (let i = chunk.start; i < end; i++) {
      const keyId = chunk.keyId[i] as number;
      if (keyId >= DIRECT_KEY) {
        bytes += (chunk.dataBytes[i] as number) + keyId - DIRECT_KEY;
        (direct as DirectKeys).clear(i);
      } else {
        bytes += (chunk.dataBytes[i] as number) + (this.keys.utf8Bytes[keyId] as number);
        this.keys.release(keyId);
      }
      if (chunk.payloads) payloadBytes += chunk.payloads.clear(i);
    }
    if (payloadBytes > 0) {
      this.payloadBytes -= payloadBytes;
      if (this.payloadBudget) this.payloadBudget.heldBytes -= payloadBytes;
    }
    const records = end - chunk.start;
    chunk.start = end;
    this.detailRecords -= records;
    this.detailBytes -= bytes;
    return { records, bytes };
  }

  /** Moves past a full chunk whose records are all gone, releasing its columns right away. */
  private retireHeadChunk(chunk: Chunk): void {
    chunk.arrivalMs = NO_ARRIVALS;
    chunk.keyId = NO_WORDS;
    chunk.dataBytes = NO_WORDS;
    chunk.payloads = null;
    chunk.directKeys = null;
    this.chunkHead++;
  }

  /** UTF-8 size of a record's key, from its key column value. */
  private keyBytesOf(keyId: number): number {
    return keyId >= DIRECT_KEY ? keyId - DIRECT_KEY : (this.keys.utf8Bytes[keyId] as number);
  }

  private compactChunks(): void {
    if (this.chunkHead > 32 && this.chunkHead * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.chunkHead);
      this.chunkHead = 0;
    }
  }

  /** Doubles the bucket width and merges the held buckets into it (they stay in arrival order). */
  /** Ordinal of the first held record that arrived at or after `timestampMs` (nextOrdinal if none). */
  ordinalAtOrAfter(timestampMs: number): number {
    for (let c = this.chunkHead; c < this.chunks.length; c++) {
      const chunk = this.chunks[c] as Chunk;
      if ((chunk.arrivalMs[chunk.length - 1] as number) < timestampMs) continue;
      let lo = chunk.start;
      let hi = chunk.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((chunk.arrivalMs[mid] as number) < timestampMs) lo = mid + 1;
        else hi = mid;
      }
      return chunk.firstOrdinal + lo;
    }
    return this.nextOrdinal;
  }

  /**
   * Visits held records from `fromOrdinal` on (records before the trim horizon are skipped) until `visit`
   * returns false or the log ends. Returns the ordinal after the last visited record.
   */
  read(fromOrdinal: number, visit: (record: StoredRecord) => boolean): number {
    let ordinal = Math.max(fromOrdinal, this.firstReadableOrdinal);
    const record: StoredRecord = {
      ordinal: 0,
      arrivalMs: 0,
      partitionKey: '',
      keyBytes: 0,
      dataBytes: 0,
      payload: undefined,
    };
    for (let c = this.chunkIndexOf(ordinal); c < this.chunks.length; c++) {
      const chunk = this.chunks[c] as Chunk;
      for (let i = Math.max(chunk.start, ordinal - chunk.firstOrdinal); i < chunk.length; i++) {
        record.ordinal = chunk.firstOrdinal + i;
        record.arrivalMs = chunk.arrivalMs[i] as number;
        const keyId = chunk.keyId[i] as number;
        record.partitionKey =
          keyId >= DIRECT_KEY
            ? (chunk.directKeys as DirectKeys).get(i, keyId - DIRECT_KEY)
            : this.keys.keyOf(keyId);
        record.keyBytes = this.keyBytesOf(keyId);
        record.dataBytes = chunk.dataBytes[i] as number;
        record.payload = chunk.payloads?.get(i);
        if (!visit(record)) return record.ordinal;
        ordinal = record.ordinal + 1;
      }
    }
    return ordinal;
  }

  /** Arrival time of the record with this ordinal if it is held, else undefined. */
  arrivalOf(ordinal: number): number | undefined {
    const c = this.chunkIndexOf(ordinal);
    const chunk = this.chunks[c];
    if (!chunk) return undefined;
    const i = ordinal - chunk.firstOrdinal;
    return i >= chunk.start && i < chunk.length ? chunk.arrivalMs[i] : undefined;
  }

  private chunkIndexOf(ordinal: number): number {
    let lo = this.chunkHead;
    let hi = this.chunks.length - 1;
    if (hi < lo) return lo;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.chunks[mid] as Chunk).firstOrdinal <= ordinal) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
