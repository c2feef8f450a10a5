import { base64EncodedLength, decodeBase64BytesInto } from './api/base64';
import { CountBuckets } from './countBuckets';
import type { KeyTable } from './keyTable';
import {
  DETAIL_RELEASE_TO_SHARE,
  PAYLOAD_DETAIL_BUDGET_BYTES_DEFAULT,
  PAYLOAD_RELEASE_TO_SHARE,
  RECORD_DETAIL_BUDGET_DEFAULT,
} from './limits';
import { grown } from './typedArrays';

/** Records per storage chunk: chunks are dropped whole once every record in them has expired. */
export const RECORD_CHUNK_SIZE = 4096;
/**
 * Room a log's first chunk has at first; it doubles as records arrive, up to RECORD_CHUNK_SIZE (later chunks
 * start whole). A shard holding a few records then takes a few KiB, not a whole chunk's 64 KiB (128 KiB with
 * keys and payloads from the endpoint): the account's 20,000 shards with a record each took 2.9 GiB. The
 * growing has a cost: on the endpoint bench (500 shards, ~1,400 records each, all in a first chunk) the
 * server ran ~30 full garbage collections in 8 s instead of ~13.
 */
const CHUNK_FIRST_CAPACITY = 256;

/**
 * Key column flag: the record's key is not interned; it is held in the chunk's `extras` (see ChunkExtras)
 * and the column holds DIRECT_KEY + the key's UTF-8 size (≤ 768) instead of a key id (ids stay far below
 * 2^31).
 */
const DIRECT_KEY = 0x80000000;

/** The bytes of a record's key held with it (its UTF-8 size; 0 for an interned key): see RecordLog.charge. */
const heldKeyBytes = (keyColumn: number): number => (keyColumn >= DIRECT_KEY ? keyColumn - DIRECT_KEY : 0);

/** An empty key buffer, until a chunk holds its first ASCII key. */
const EMPTY_KEY_BYTES = new Uint8Array(0);
/** The most a chunk's key buffer takes at first (it still grows past this if its keys need it). */
const KEY_BYTES_FIRST_MAX = 128 * 1024;

/**
 * A stream's payload slabs (see PayloadSlabs): from 4 KiB, doubling to 1 MiB; payloads over 4 KiB get a
 * buffer of their own.
 */
const PAYLOAD_SLAB_MIN_BYTES = 4 * 1024;
const PAYLOAD_SLAB_MAX_BYTES = 1024 * 1024;
const PAYLOAD_SLAB_MAX_PIECE = 4 * 1024;
const NO_SLAB = new Uint8Array(0);

/**
 * Where the logs of one stream's shards copy small payloads: one slab after another, shared by every shard of
 * the stream, so consecutive records sit side by side whichever shard they went to. A slab per shard put each
 * entry of a 500-shard PutRecords in another cold buffer: the endpoint's server spent 3.4–3.8 µs of CPU per
 * record with slabs per shard, 3.2–3.4 with one (its 500-entry PutRecords bench, 66% → 70% of the null
 * server). A slab is freed once its newest record has left every log: records leave a stream in arrival
 * order (they expire after the stream's one retention period, and the detail budget releases the oldest
 * across all logs first), so a stream keeps at most about two slabs' worth unused: 2 MiB for a busy stream,
 * a few KiB for a quiet one (slabs grow with use).
 */
export class PayloadSlabs {
  /** The slab being filled, and how much of it is used. */
  private slab: Uint8Array<ArrayBuffer> = NO_SLAB;
  private used = 0;

  /**
   * Copies `length` (≤ 4 KiB) bytes of `payload` from `from` into the slab being filled (a new one when it
   * has no room), or with `base64` decodes there the checked base64 at `from` that decodes to `length` bytes,
   * then the characters of `key` (ASCII, ≤ 256; none by default) right after them: returns the offset they
   * went to in `this.current`.
   */
  store(payload: Uint8Array, from: number, length: number, base64 = false, key = ''): number {
    let slab = this.slab;
    let offset = this.used;
    const room = length + key.length;
    if (offset + room > slab.length) {
      // At least the room asked: a 4 KiB payload and its key do not fit a stream's first slab (4 KiB).
      slab = new Uint8Array(
        Math.max(room, Math.min(PAYLOAD_SLAB_MAX_BYTES, Math.max(PAYLOAD_SLAB_MIN_BYTES, slab.length * 2))),
      );
      this.slab = slab;
      offset = 0;
    }
    copyPayload(payload, from, length, base64, slab, offset);
    if (key !== '') copyKey(key, slab, offset + length);
    this.used = offset + room;
    return offset;
  }

  /** The slab the last store() went to. */
  get current(): Uint8Array<ArrayBuffer> {
    return this.slab;
  }
}

/**
 * Writes a payload into `out` at `at`: `length` bytes of `payload` from `from`, or with `base64` the checked
 * base64 there that decodes to `length` bytes, decoded (a PutRecords read in place hands Data as it stands
 * in the request body).
 */
function copyPayload(
  payload: Uint8Array,
  from: number,
  length: number,
  base64: boolean,
  out: Uint8Array,
  at: number,
): void {
  if (base64) decodeBase64BytesInto(payload, from, from + base64EncodedLength(length), out, at);
  else out.set(from === 0 && length === payload.length ? payload : payload.subarray(from, from + length), at);
}

/** Writes an ASCII key's characters into `out` at `at`. */
function copyKey(key: string, out: Uint8Array, at: number): void {
  for (let k = 0; k < key.length; k++) out[at + k] = key.charCodeAt(k);
}

/**
 * Words per record in ChunkExtras.payloadRows: buffer slot + 1 (0: no payload), offset, length (with
 * KEY_AFTER_PAYLOAD when the record's key is held right after its payload).
 */
const ROW = 3;
const AT_SLOT = 0;
const AT_OFFSET = 1;
const AT_LENGTH = 2;
/**
 * Payload row flag: the record's ASCII key is held in the payload's buffer, right after its bytes (a record
 * stored with its Data: PutRecord and PutRecords), so storing it writes where its payload went rather than in
 * the chunk's own key buffer: one place in memory less per record, which for 500 entries on 500 shards is a
 * cold cache line less each.
 */
const KEY_AFTER_PAYLOAD = 0x80000000;
const PAYLOAD_LENGTH = 0x7fffffff;

/**
 * What a chunk holds beyond its three columns, for the records that have it: keys not interned, and
 * payloads. A record's payload place is one row of three words, so storing it touches one cache line: each
 * entry of a PutRecords lands in another shard's chunk, and with a column per field and a use count per
 * buffer every field was a cache miss of its own (the endpoint's dispatch of 500-entry PutRecords over 500
 * shards, in process: 2.24 µs per record with columns and use counts, 2.10 with rows and runs).
 *
 * Keys, without a retained string per record: ASCII keys (nearly all) as bytes, right after the record's
 * payload when it has one (KEY_AFTER_PAYLOAD), else in one growing buffer at `keyOffsets[i]`, their length
 * being the key column's UTF-8 size; other keys as their strings. A string per
 * record, kept for the record's life, cost the garbage collector a copy or two of each key (measured on the
 * endpoint: 4.3 µs of server CPU per record with strings, 3.4 µs without).
 *
 * Payloads, without an object per record: (buffer, offset, length), the buffer being one of the log's
 * payload slabs (see RecordLog.storePayload) or a large payload's own; a retained Uint8Array per record cost
 * the garbage collector ~0.35 µs per record. A view is made again only on read. Each buffer is listed once
 * per run of records using it (`buffers`, the run ending before `runEnd`): records leave a chunk oldest first
 * (see drop), so a buffer is let go, and its memory can go, once its run has left.
 */
class ChunkExtras {
  /** Room for this many records: the chunk's columns' (see grow). */
  private capacity: number;
  private keyOffsets: Uint32Array | null = null;
  private payloadRows: Uint32Array | null = null;
  // Sized on the chunk's first key (keys of a stream tend to be alike): a chunk per shard is open at once
  // (2,000 shards), and growing from a small buffer cost the PutRecord fast path ~3 % in copies.
  private keyBytes = EMPTY_KEY_BYTES;
  private keyBytesUsed = 0;
  /** Keys that are not ASCII, by record index (null until the chunk has one). */
  private wide: (string | undefined)[] | null = null;
  private readonly buffers: (ArrayBuffer | undefined)[] = [];
  /** Per buffer slot but the last, the index after its run's newest record. */
  private readonly runEnd: number[] = [];
  /** The last of `buffers` while records may still join its run (an append compares it, not the list). */
  private lastBuffer: ArrayBuffer | undefined = undefined;
  /** The index after the newest record of the last run. */
  private lastRunEnd = 0;
  /** Buffers before this slot are let go. */
  private firstHeldSlot = 0;

  /** Room for `capacity` records, the chunk's columns' (see grow). */
  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Makes room for `capacity` records (the chunk's columns grew), keeping what is held. */
  grow(capacity: number): void {
    this.capacity = capacity;
    if (this.keyOffsets) this.keyOffsets = grown(this.keyOffsets, capacity);
    if (this.payloadRows) this.payloadRows = grown(this.payloadRows, capacity * ROW);
  }

  /** Holds record i's key; `utf8Bytes` is its UTF-8 size (equal to its length when it is ASCII). */
  setKey(i: number, key: string, utf8Bytes: number): void {
    const length = key.length;
    if (utf8Bytes !== length) {
      this.wide ??= new Array<string | undefined>(RECORD_CHUNK_SIZE);
      this.wide[i] = key;
      return;
    }
    if (this.keyBytesUsed + length > this.keyBytes.length) {
      const first = Math.min(KEY_BYTES_FIRST_MAX, this.capacity * (length + 1));
      const grown = new Uint8Array(Math.max(this.keyBytes.length * 2, this.keyBytesUsed + length, first));
      grown.set(this.keyBytes.subarray(0, this.keyBytesUsed));
      this.keyBytes = grown;
    }
    const bytes = this.keyBytes;
    const at = this.keyBytesUsed;
    for (let k = 0; k < length; k++) bytes[at + k] = key.charCodeAt(k);
    this.keyOffsets ??= new Uint32Array(this.capacity);
    this.keyOffsets[i] = at;
    this.keyBytesUsed = at + length;
  }

  /** Record i's key; `utf8Bytes` is the size the key column holds for it. */
  key(i: number, utf8Bytes: number): string {
    const wide = this.wide?.[i];
    if (wide !== undefined) return wide;
    const rows = this.payloadRows;
    const row = i * ROW;
    if (
      rows !== null &&
      rows[row + AT_SLOT] !== 0 &&
      (rows[row + AT_LENGTH] as number) >= KEY_AFTER_PAYLOAD
    ) {
      const buffer = this.buffers[(rows[row + AT_SLOT] as number) - 1] as ArrayBuffer;
      const at = (rows[row + AT_OFFSET] as number) + ((rows[row + AT_LENGTH] as number) & PAYLOAD_LENGTH);
      return String.fromCharCode(...new Uint8Array(buffer, at, utf8Bytes));
    }
    const at = (this.keyOffsets as Uint32Array)[i] as number;
    return String.fromCharCode(...this.keyBytes.subarray(at, at + utf8Bytes));
  }

  /**
   * Holds record i's payload, `length` bytes at `offset` in `buffer` (records get theirs in index order);
   * `keyAfter`: its key is held right after them (see KEY_AFTER_PAYLOAD).
   */
  setPayload(i: number, buffer: ArrayBuffer, offset: number, length: number, keyAfter = false): void {
    if (buffer !== this.lastBuffer) {
      if (this.buffers.length > 0) this.runEnd.push(this.lastRunEnd);
      this.buffers.push(buffer);
      this.lastBuffer = buffer;
    }
    this.lastRunEnd = i + 1;
    this.payloadRows ??= new Uint32Array(this.capacity * ROW);
    const rows = this.payloadRows;
    const row = i * ROW;
    rows[row + AT_SLOT] = this.buffers.length;
    rows[row + AT_OFFSET] = offset;
    rows[row + AT_LENGTH] = keyAfter ? length + KEY_AFTER_PAYLOAD : length;
  }

  hasPayload(i: number): boolean {
    return this.payloadRows !== null && this.payloadRows[i * ROW + AT_SLOT] !== 0;
  }

  /** Record i's payload bytes (0 without one). */
  payloadLength(i: number): number {
    const rows = this.payloadRows;
    const row = i * ROW;
    return rows === null || rows[row + AT_SLOT] === 0
      ? 0
      : (rows[row + AT_LENGTH] as number) & PAYLOAD_LENGTH;
  }

  payload(i: number): Uint8Array | undefined {
    const rows = this.payloadRows;
    const row = i * ROW;
    const slot = rows === null ? 0 : (rows[row + AT_SLOT] as number);
    if (rows === null || slot === 0) return undefined;
    return new Uint8Array(
      this.buffers[slot - 1] as ArrayBuffer,
      rows[row + AT_OFFSET],
      (rows[row + AT_LENGTH] as number) & PAYLOAD_LENGTH,
    );
  }

  /** Bytes of its key offsets, payload rows and key buffer. */
  get byteLength(): number {
    return (
      (this.keyOffsets?.byteLength ?? 0) + (this.payloadRows?.byteLength ?? 0) + this.keyBytes.byteLength
    );
  }

  /** Adds the payload buffers this chunk still keeps reachable to `into`. */
  addHeldBuffers(into: Set<ArrayBuffer>): void {
    for (let slot = this.firstHeldSlot; slot < this.buffers.length; slot++) {
      const buffer = this.buffers[slot];
      if (buffer) into.add(buffer);
    }
  }

  /**
   * Records [from, to) leave the chunk, the oldest held (records leave in index order): forgets their keys,
   * lets go of buffers no held record uses, and returns their payload bytes.
   */
  drop(from: number, to: number): number {
    let payloadBytes = 0;
    const rows = this.payloadRows;
    if (rows)
      for (let row = from * ROW; row < to * ROW; row += ROW)
        if (rows[row + AT_SLOT] !== 0) payloadBytes += (rows[row + AT_LENGTH] as number) & PAYLOAD_LENGTH;
    const wide = this.wide;
    if (wide) for (let i = from; i < to; i++) wide[i] = undefined;
    const runs = this.buffers.length;
    let slot = this.firstHeldSlot;
    while (slot < runs && (slot + 1 < runs ? (this.runEnd[slot] as number) : this.lastRunEnd) <= to) {
      this.buffers[slot] = undefined;
      slot++;
    }
    this.firstHeldSlot = slot;
    if (slot === runs) this.lastBuffer = undefined;
    return payloadBytes;
  }
}

interface Chunk {
  /** Ordinal (per-shard sequence counter) of the chunk's first record. */
  firstOrdinal: number;
  length: number;
  /** Index of the first record still held (earlier ones expired or were released). */
  start: number;
  /**
   * Room, in records (`arrivals.length / 2`): kept beside `length` so an append checks its room without
   * reading the array's header, another cache line on a cold shard.
   */
  capacity: number;
  /**
   * The records' three columns, interleaved in one buffer (16 bytes a record), so storing a record writes one
   * place in memory: record i's arrival time (ms) is `arrivals[2i]`, and in `words`, the same buffer as
   * 32-bit words, its key column `words[4i + 2]` (a key id, or DIRECT_KEY + the UTF-8 size of a key held in
   * `extras`) and its Data size `words[4i + 3]`. Three arrays were three cold cache lines a record when a
   * PutRecords spreads over 500 shards.
   */
  arrivals: Float64Array;
  words: Uint32Array;
  /**
   * Keys not interned, and payloads (only where a person typed them, a client sent them or a KPL producer
   * encoded them); null until the chunk has one; dropped with the chunk.
   */
  extras: ChunkExtras | null;
}

/** Shared empty columns for chunks whose records are all gone, so their memory is freed at once. */
const NO_ARRIVALS = new Float64Array(0);
const NO_WORDS = new Uint32Array(0);
/** Stands for "no chunk being filled": it is full, so the first append starts a real chunk. */
const FULL_PLACEHOLDER: Chunk = {
  firstOrdinal: 0,
  length: RECORD_CHUNK_SIZE,
  start: RECORD_CHUNK_SIZE,
  capacity: 0,
  arrivals: NO_ARRIVALS,
  words: NO_WORDS,
  extras: null,
};

/** Bytes of a chunk's columns per record (see Chunk.arrivals). */
const COLUMN_BYTES = 16;

/** A chunk's interleaved columns with room for `capacity` records, holding `from`'s if given. */
function columns(capacity: number, from?: Chunk): { arrivals: Float64Array; words: Uint32Array } {
  const buffer = new ArrayBuffer(capacity * COLUMN_BYTES);
  if (from) new Uint8Array(buffer).set(new Uint8Array(from.arrivals.buffer, 0, from.capacity * COLUMN_BYTES));
  return { arrivals: new Float64Array(buffer), words: new Uint32Array(buffer) };
}

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
 * What the record logs of the whole engine may hold in detail, shared by every stream's shards: records
 * (`recordLimit`) and payload bytes (`payloadLimitBytes`: their Data and the partition keys they hold). Past
 * either limit the oldest records by arrival, across all logs, are released into count-only buckets (still
 * retained and counted until retention ends, no longer readable) until a share of the limit is left
 * (DETAIL_RELEASE_TO_SHARE, PAYLOAD_RELEASE_TO_SHARE), so releases come in batches. Memory is then bounded by
 * these limits, never by simulated time nor by the number of streams. Each log counts the records it released
 * (RecordLog.releasedRecords), so each stream counts its own.
 */
export class DetailBudget {
  recordLimit: number;
  /**
   * An upper bound of the records the logs hold in detail: exact after each check (enforceRecords), then +1
   * per record the write path appends (expiry and release only lower the true count), so the write path
   * checks the budget with one compare.
   */
  records = 0;
  payloadLimitBytes: number;
  /**
   * Payload bytes the logs hold: each record's Data, where it has one, and its partition key where the record
   * holds it (not interned), so keys too are bounded by `payloadLimitBytes`.
   */
  payloadBytes = 0;
  private readonly logs: RecordLog[] = [];

  constructor(
    recordLimit = RECORD_DETAIL_BUDGET_DEFAULT,
    payloadLimitBytes = PAYLOAD_DETAIL_BUDGET_BYTES_DEFAULT,
  ) {
    this.recordLimit = recordLimit;
    this.payloadLimitBytes = payloadLimitBytes;
  }

  /** Records released early by this budget, over the logs that share it now. */
  get releasedRecords(): number {
    let n = 0;
    for (const log of this.logs) n += log.releasedRecords;
    return n;
  }

  /** Makes `log` share this budget (a log joins at most one budget). */
  join(log: RecordLog): void {
    if (log.budget === this) return;
    log.budget = this;
    this.logs.push(log);
    this.records += log.detailRecords;
    this.payloadBytes += log.payloadBytes;
    this.enforcePayload();
  }

  /** Takes `log` out of this budget (its stream is gone): what it holds no longer counts. */
  leave(log: RecordLog): void {
    const at = this.logs.indexOf(log);
    if (at < 0) return;
    this.logs[at] = this.logs[this.logs.length - 1] as RecordLog;
    this.logs.pop();
    log.budget = undefined;
    this.records = Math.max(0, this.records - log.detailRecords);
    this.payloadBytes -= log.payloadBytes;
  }

  /**
   * Counts the records held in detail exactly; past `recordLimit`, releases the oldest across all logs until
   * DETAIL_RELEASE_TO_SHARE of it is left. Costs a pass over every log: the write path calls it only when
   * the upper bound `records` passes the limit.
   */
  enforceRecords(): void {
    let detail = 0;
    for (const log of this.logs) detail += log.detailRecords;
    if (detail > this.recordLimit) {
      const target = Math.floor(this.recordLimit * DETAIL_RELEASE_TO_SHARE);
      detail -= this.releaseOldest(false, detail - target);
    }
    this.records = detail;
  }

  /**
   * Past `payloadLimitBytes`, releases the oldest records across the logs holding payloads until
   * PAYLOAD_RELEASE_TO_SHARE of it is left.
   */
  enforcePayload(): void {
    if (this.payloadBytes <= this.payloadLimitBytes) return;
    const target = Math.floor(this.payloadLimitBytes * PAYLOAD_RELEASE_TO_SHARE);
    this.releaseOldest(true, this.payloadBytes - target);
  }

  /**
   * Releases the oldest records held in detail across the logs, strictly by arrival (no record is released
   * while an older one of any log taking part is held), until `amount` records are released or, with
   * `payload`, `amount` payload bytes are freed (then only logs holding payload bytes take part: a log whose
   * records have none, e.g. only 0-byte ones with interned keys, would free nothing and keeps them): finds
   * the arrival cutoff (CutoffSearch), releases every record before it and, at the cutoff instant itself, as
   * many as are still due. Returns the records released.
   */
  private releaseOldest(payload: boolean, amount: number): number {
    const logs = this.logs.filter((log) => (payload ? log.payloadBytes > 0 : log.detailRecords > 0));
    const { beforeMs, atMs, oneInstant } = new CutoffSearch(logs, payload).find(amount);
    let released = 0;
    let freed = 0;
    const releaseFrom = (log: RecordLog, untilMs: number, left: number) => {
      const before = log.payloadBytes;
      released += log.releaseOldest(
        untilMs,
        payload ? Number.POSITIVE_INFINITY : left,
        payload ? left : Number.POSITIVE_INFINITY,
        payload,
      );
      freed += before - log.payloadBytes;
    };
    for (const log of logs) releaseFrom(log, beforeMs, Number.POSITIVE_INFINITY);
    if (oneInstant) {
      for (const log of logs) {
        const done = payload ? freed : released;
        if (done >= amount) break;
        releaseFrom(log, atMs, amount - done);
      }
      return released;
    }
    // The search stopped short (instants closer than it could tell apart): merge the rest, the log holding
    // the oldest record up to the next log's oldest at a time.
    for (;;) {
      const done = payload ? freed : released;
      if (done >= amount) break;
      let oldest: RecordLog | undefined;
      let oldestMs = Number.POSITIVE_INFINITY;
      let nextMs = Number.POSITIVE_INFINITY;
      for (const log of logs) {
        if (payload ? log.payloadBytes === 0 : log.detailRecords === 0) continue;
        const at = log.oldestDetailArrivalMs();
        if (at < oldestMs) {
          nextMs = oldestMs;
          oldestMs = at;
          oldest = log;
        } else if (at < nextMs) nextMs = at;
      }
      if (!oldest) break;
      releaseFrom(oldest, nextMs, amount - done);
    }
    return released;
  }
}

/**
 * Finds where the oldest `amount` records (or payload bytes) held in detail across some logs end, by
 * arrival: `beforeMs` with less than `amount` held at or before it, and `atMs`, at least `amount` at or
 * before it, with nothing held in between (the records in (beforeMs, atMs] arrived at one instant). A search
 * on the instant (see find); each probe counts what each log holds at or before it by a binary search on
 * the log's ordinals, within the window earlier probes left it, and payload bytes from prefix sums built as
 * far as probes reach. A release then costs O(logs × probes + released), a handful of probes at a steady
 * rate (~50 at worst), however the records interleave across logs: a merge over the logs' oldest records
 * would take a step per log and instant, one per record when each request spreads over the shards
 * (measured on 500 shards, one PutRecords of 500 entries a millisecond: 3× slower).
 */
class CutoffSearch {
  private readonly logs: RecordLog[];
  private readonly payload: boolean;
  /** Per log: ordinals held at or before the low instant begin at `first`, end at `low`; at the high, `high`. */
  private readonly first: Float64Array;
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private readonly probe: Float64Array;
  private probeNewestMs = Number.NEGATIVE_INFINITY;
  /** Per log, with `payload`: prefix sums of payload bytes from `first` (index 0 = none), built on demand. */
  private readonly sums: number[][];

  constructor(logs: RecordLog[], payload: boolean) {
    this.logs = logs;
    this.payload = payload;
    const n = logs.length;
    this.first = Float64Array.from(logs, (log) => log.firstReadableOrdinal);
    this.low = Float64Array.from(this.first);
    this.high = Float64Array.from(logs, (log) => log.nextOrdinal);
    this.probe = new Float64Array(n);
    this.sums = payload ? logs.map(() => [0]) : [];
  }

  /**
   * The cutoff for `amount`; `oneInstant` says the records in (beforeMs, atMs] arrived at one instant (else
   * the search stopped short, at instants closer than it can tell apart, and they must be merged).
   */
  find(amount: number): { beforeMs: number; atMs: number; oneInstant: boolean } {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let heldHi = 0;
    for (const log of this.logs) {
      lo = Math.min(lo, log.oldestDetailArrivalMs());
      hi = Math.max(hi, log.newestDetailArrivalMs());
      heldHi += this.payload ? log.payloadBytes : log.detailRecords;
    }
    // Less than `amount` is held at or before lo (nothing); at least `amount` at or before hi (or all).
    lo -= 1;
    let heldLo = 0;
    // Probes interpolate where `amount` falls between what lo and hi hold (the oldest eighth, at a steady
    // rate, is found in a probe or two). A probe that did not halve the interval makes the next one gallop
    // up from lo (twice as far as the last) when it fell short, or bisect when it went past: so probes, and
    // the payload sums they need, go little past the cutoff, and at worst the search is a bisection.
    let next: 'interpolate' | 'gallop' | 'bisect' = 'interpolate';
    let step = 0;
    for (let probes = 0; probes < 400; probes++) {
      const width = hi - lo;
      const mid =
        next === 'gallop'
          ? lo + Math.min(2 * step, width / 2)
          : next === 'bisect'
            ? lo + width / 2
            : lo + width * Math.min(Math.max((amount - heldLo) / (heldHi - heldLo), 1 / 1024), 1023 / 1024);
      if (!(mid > lo && mid < hi)) {
        // lo and hi are adjacent (nothing lies between), or a step was too small to move: bisect once more.
        if (next === 'bisect') break;
        next = 'bisect';
        continue;
      }
      step = mid - lo;
      const held = this.heldAtOrBefore(lo, mid);
      const fellShort = held < amount;
      if (fellShort) {
        lo = mid;
        heldLo = held;
        this.low.set(this.probe);
      } else {
        // Down to the newest arrival at or before mid: the same records are held at or before it.
        hi = this.probeNewestMs;
        heldHi = held;
        this.high.set(this.probe);
        if (held === amount) return { beforeMs: hi, atMs: hi, oneInstant: true };
      }
      if (this.oldestAfterLow() >= hi) break;
      next = hi - lo <= width / 2 ? 'interpolate' : fellShort ? 'gallop' : 'bisect';
    }
    return { beforeMs: lo, atMs: hi, oneInstant: this.oldestAfterLow() >= hi };
  }

  /** The oldest arrival of a record after the low instant (at or before the high one), or Infinity. */
  private oldestAfterLow(): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.logs.length; i++) {
      const low = this.low[i] as number;
      if (low < (this.high[i] as number))
        oldest = Math.min(oldest, (this.logs[i] as RecordLog).arrivalAt(low));
    }
    return oldest;
  }

  /**
   * Records (or payload bytes) the logs hold at or before `timeMs` (after `lowMs`, within the windows);
   * sets `probe`, and `probeNewestMs` to the newest arrival in (lowMs, timeMs] (-Infinity if none).
   */
  private heldAtOrBefore(lowMs: number, timeMs: number): number {
    let held = 0;
    let newest = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.logs.length; i++) {
      const log = this.logs[i] as RecordLog;
      const low = this.low[i] as number;
      const high = this.high[i] as number;
      const end = low === high ? low : log.ordinalAfter(timeMs, low, high);
      if (end > low) newest = Math.max(newest, log.arrivalAt(end - 1));
      this.probe[i] = end;
      const records = end - (this.first[i] as number);
      held += this.payload ? this.payloadOf(i, log, records) : records;
    }
    this.probeNewestMs = newest > lowMs ? newest : Number.NEGATIVE_INFINITY;
    return held;
  }

  /** Payload bytes of log i's `records` oldest held records. */
  private payloadOf(i: number, log: RecordLog, records: number): number {
    const sums = this.sums[i] as number[];
    if (records >= sums.length) log.addPayloadSums(sums, records);
    return sums[records] as number;
  }
}

/**
 * Columnar record storage of one shard, in arrival order (the virtual clock never goes back). About 16 bytes
 * per record: arrival time, key id and data size in typed arrays; a record whose key is not interned holds
 * its key in the chunk's ChunkExtras instead. Past the engine's DetailBudget the oldest records are released
 * early into per-second counts: they still count as retained until their retention ends, but can no longer
 * be read.
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
  /**
   * Bytes of the payloads held, and of the partition keys held with their records (keys not interned: those
   * clients send), which the data budget counts alike; and the engine's budget this log shares, if any (see
   * DetailBudget).
   */
  payloadBytes = 0;
  budget: DetailBudget | undefined;
  /** Records released early into counts by the budget, since the log began. */
  releasedRecords = 0;
  /** Of `releasedRecords`, those released to free payload bytes (the rest, to bring the records down). */
  releasedForPayloadRecords = 0;
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
  /** Where small payloads are copied: the stream's slabs, or the log's own (a log on its own, in tests). */
  private readonly slabs: PayloadSlabs;

  constructor(keys: KeyTable, slabs = new PayloadSlabs()) {
    this.keys = keys;
    this.slabs = slabs;
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
      ? (chunk.arrivals[chunk.start * 2] as number)
      : Number.POSITIVE_INFINITY;
  }

  /** Arrival time of the newest record held in detail, or -Infinity. */
  newestDetailArrivalMs(): number {
    const chunk = this.last;
    return this.detailRecords > 0
      ? (chunk.arrivals[(chunk.length - 1) * 2] as number)
      : Number.NEGATIVE_INFINITY;
  }

  /** The chunk holding a held record's ordinal: chunks are contiguous, all full but the newest. */
  private chunkOf(ordinal: number): Chunk {
    const head = this.chunks[this.chunkHead] as Chunk;
    return this.chunks[
      this.chunkHead + Math.floor((ordinal - head.firstOrdinal) / RECORD_CHUNK_SIZE)
    ] as Chunk;
  }

  /** Arrival time of a record held in detail, by its ordinal. */
  arrivalAt(ordinal: number): number {
    const chunk = this.chunkOf(ordinal);
    return chunk.arrivals[(ordinal - chunk.firstOrdinal) * 2] as number;
  }

  /**
   * The first ordinal in [from, to) whose record arrived after `timeMs`, or `to`: a binary search over held
   * records (firstReadableOrdinal ≤ from ≤ to ≤ nextOrdinal).
   */
  ordinalAfter(timeMs: number, from: number, to: number): number {
    let lo = from;
    let hi = to;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.arrivalAt(mid) <= timeMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Extends `sums`, prefix sums of the payload bytes of the records held in detail (`sums[k]`: the k oldest),
   * to cover at least `records` of them (or all there are).
   */
  addPayloadSums(sums: number[], records: number): void {
    const to = Math.min(this.firstReadableOrdinal + records, this.nextOrdinal);
    let ordinal = this.firstReadableOrdinal + sums.length - 1;
    let sum = sums[sums.length - 1] as number;
    while (ordinal < to) {
      const chunk = this.chunkOf(ordinal);
      const extras = chunk.extras;
      const end = Math.min(to - chunk.firstOrdinal, chunk.length);
      for (let i = ordinal - chunk.firstOrdinal; i < end; i++) {
        if (extras) sum += extras.payloadLength(i);
        sum += heldKeyBytes(chunk.words[i * 4 + 2] as number);
        sums.push(sum);
      }
      ordinal = chunk.firstOrdinal + end;
    }
  }

  /** Bytes of the typed columns the log holds for records in detail (payload buffers aside). */
  columnBytes(): number {
    let bytes = 0;
    for (let c = this.chunkHead; c < this.chunks.length; c++) {
      const chunk = this.chunks[c] as Chunk;
      bytes += chunk.arrivals.byteLength;
      bytes += chunk.extras?.byteLength ?? 0;
    }
    return bytes;
  }

  /**
   * Bytes of the payload buffers the log keeps reachable: the payloads it holds, plus what is unused of the
   * slabs they sit in (shared with the other shards of its stream: see PayloadSlabs).
   */
  payloadMemoryBytes(): number {
    const held = new Set<ArrayBuffer>();
    this.addHeldPayloadBuffers(held);
    let bytes = 0;
    for (const buffer of held) bytes += buffer.byteLength;
    return bytes;
  }

  /** Adds the payload buffers the log keeps reachable to `held` (a stream's logs share slabs). */
  addHeldPayloadBuffers(held: Set<ArrayBuffer>): void {
    for (let c = this.chunkHead; c < this.chunks.length; c++) this.chunks[c]?.extras?.addHeldBuffers(held);
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

  /**
   * The chunk being filled, with room for one more record: its columns grow when they are full, and a chunk
   * of RECORD_CHUNK_SIZE records means the next record starts a new chunk.
   */
  private tail(): Chunk {
    const chunk = this.last;
    if (chunk.length < chunk.capacity) return chunk;
    return chunk.length < RECORD_CHUNK_SIZE ? this.growChunk(chunk) : this.startChunk();
  }

  private startChunk(): Chunk {
    // A log that filled a chunk is busy: its next chunks take their whole room at once (growing costs the
    // endpoint's server extra garbage collections).
    const capacity = this.last === FULL_PLACEHOLDER ? CHUNK_FIRST_CAPACITY : RECORD_CHUNK_SIZE;
    const fresh: Chunk = {
      firstOrdinal: this.nextOrdinal,
      length: 0,
      start: 0,
      capacity,
      ...columns(capacity),
      extras: null,
    };
    this.chunks.push(fresh);
    this.last = fresh;
    return fresh;
  }

  /** Doubles the room of the chunk's columns (up to RECORD_CHUNK_SIZE records), keeping what they hold. */
  private growChunk(chunk: Chunk): Chunk {
    const capacity = Math.min(RECORD_CHUNK_SIZE, chunk.capacity * 2);
    const { arrivals, words } = columns(capacity, chunk);
    chunk.arrivals = arrivals;
    chunk.words = words;
    chunk.capacity = capacity;
    chunk.extras?.grow(capacity);
    return chunk;
  }

  /**
   * Appends an accepted record whose key is held as a string (not interned; `keyBytes` is its UTF-8 size);
   * returns its ordinal. Its payload, if any, is `payload[payloadOffset, payloadOffset + dataBytes)`, or with
   * `payloadBase64` the checked base64 there that decodes to `dataBytes` bytes: a PutRecords read in place
   * hands each entry's Data as it stands in the request body (api/putRecordsBytes.ts).
   */
  appendDirect(
    arrivalMs: number,
    key: string,
    keyBytes: number,
    dataBytes: number,
    payload?: Uint8Array,
    payloadOffset = 0,
    payloadBase64 = false,
  ): number {
    const chunk = this.tail();
    const i = chunk.length;
    chunk.arrivals[i * 2] = arrivalMs;
    chunk.words[i * 4 + 2] = DIRECT_KEY + keyBytes;
    chunk.words[i * 4 + 3] = dataBytes;
    chunk.extras ??= new ChunkExtras(chunk.capacity);
    // An ASCII key goes beside its record's payload, if it has one (see KEY_AFTER_PAYLOAD).
    const keyAfter = payload !== undefined && keyBytes === key.length;
    if (!keyAfter) chunk.extras.setKey(i, key, keyBytes);
    chunk.length = i + 1;
    this.detailRecords++;
    this.detailBytes += dataBytes + keyBytes;
    const ordinal = this.nextOrdinal++;
    if (payload !== undefined)
      this.storePayload(chunk, i, payload, payloadOffset, dataBytes, payloadBase64, keyAfter ? key : '');
    // The key is held with the record, so it counts toward the data budget as its Data does (an interned
    // key is the stream's key table's, shared by every record carrying it): charged in one step with the
    // Data, so a release the record causes sees all of it.
    this.charge(keyBytes + (payload === undefined ? 0 : dataBytes));
    return ordinal;
  }

  /** Appends an accepted record (the caller holds a key reference for it); returns its ordinal. */
  append(arrivalMs: number, keyId: number, dataBytes: number, payload?: Uint8Array): number {
    const chunk = this.tail();
    const i = chunk.length;
    chunk.arrivals[i * 2] = arrivalMs;
    chunk.words[i * 4 + 2] = keyId;
    chunk.words[i * 4 + 3] = dataBytes;
    chunk.length = i + 1;
    this.detailRecords++;
    this.detailBytes += dataBytes + (this.keys.utf8Bytes[keyId] as number);
    const ordinal = this.nextOrdinal++;
    if (payload !== undefined) {
      this.storePayload(chunk, i, payload);
      this.charge(payload.length);
    }
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
    if (chunk.extras?.hasPayload(i)) return false;
    this.storePayload(chunk, i, payload);
    this.charge(payload.length);
    return true;
  }

  /**
   * Holds a copy of a payload (see copyPayload; all of `payload` by default) for record i of the chunk, and
   * the record's ASCII `key` right after it if one is given (see KEY_AFTER_PAYLOAD; the caller then charges
   * both to the budget: see charge). Small payloads are copied into the stream's slabs
   * (PayloadSlabs); a large one gets a buffer of its own. Copied, not kept as the caller's view: a view would
   * keep the caller's whole buffer reachable — the general path decodes every stream's Data into shared
   * slabs (base64.ts), a PutRecords read in place hands its whole request body — and one record of a stream
   * with a long retention would otherwise keep other streams' expired records in memory, beyond any budget;
   * and the record's bytes could change with the caller's.
   */
  private storePayload(
    chunk: Chunk,
    i: number,
    payload: Uint8Array,
    from = 0,
    length = payload.length,
    base64 = false,
    key = '',
  ): void {
    let slab: Uint8Array<ArrayBuffer>;
    let offset = 0;
    if (length > PAYLOAD_SLAB_MAX_PIECE) {
      slab = new Uint8Array(length + key.length);
      copyPayload(payload, from, length, base64, slab, 0);
      copyKey(key, slab, length);
    } else {
      offset = this.slabs.store(payload, from, length, base64, key);
      slab = this.slabs.current;
    }
    chunk.extras ??= new ChunkExtras(chunk.capacity);
    chunk.extras.setPayload(i, slab.buffer, offset, length, key !== '');
  }

  /**
   * Counts `bytes` more held for a record now complete (its payload, or its key held with it) in
   * `payloadBytes` and the budget's, which may then release the oldest records (this one only if all older
   * ones went and more is due).
   */
  private charge(bytes: number): void {
    if (bytes === 0) return;
    this.payloadBytes += bytes;
    const budget = this.budget;
    if (budget) {
      budget.payloadBytes += bytes;
      if (budget.payloadBytes > budget.payloadLimitBytes) budget.enforcePayload();
    }
  }

  /**
   * Releases the oldest records held in detail into count-only buckets, in arrival order: those that arrived
   * at or before `untilMs`, stopping once `maxRecords` are released or at least `payloadBytesToFree` payload
   * bytes are freed (the record that frees enough goes too; records without a payload before it go as well,
   * so the trim horizon stays contiguous). Returns how many records it released (also added to
   * `releasedRecords`, and to `releasedForPayloadRecords` when the budget releases them `forPayload`).
   */
  releaseOldest(untilMs: number, maxRecords: number, payloadBytesToFree: number, forPayload = false): number {
    const before = this.payloadBytes;
    let released = 0;
    while (released < maxRecords && before - this.payloadBytes < payloadBytesToFree) {
      const chunk = this.chunks[this.chunkHead];
      if (!chunk || chunk.start >= chunk.length) break;
      const extras = chunk.extras;
      let end = chunk.start;
      let freed = before - this.payloadBytes;
      let n = released;
      while (
        end < chunk.length &&
        n < maxRecords &&
        freed < payloadBytesToFree &&
        (chunk.arrivals[end * 2] as number) <= untilMs
      ) {
        if (extras) freed += extras.payloadLength(end);
        freed += heldKeyBytes(chunk.words[end * 4 + 2] as number);
        end++;
        n++;
      }
      if (end === chunk.start) break;
      this.holdAsCounts(chunk, end);
      released += this.dropFromChunk(chunk, end).records;
      if (chunk.start < chunk.length) break;
      if (chunk.length < RECORD_CHUNK_SIZE) break;
      this.retireHeadChunk(chunk);
    }
    this.compactChunks();
    this.releasedRecords += released;
    if (forPayload) this.releasedForPayloadRecords += released;
    return released;
  }

  /** Adds the chunk's records [start, end) to the count buckets, a run of equal arrivals at a time. */
  private holdAsCounts(chunk: Chunk, end: number): void {
    let i = chunk.start;
    while (i < end) {
      const arrival = chunk.arrivals[i * 2] as number;
      let bytes = 0;
      let j = i;
      for (; j < end && chunk.arrivals[j * 2] === arrival; j++)
        bytes += (chunk.words[j * 4 + 3] as number) + this.keyBytesOf(chunk.words[j * 4 + 2] as number);
      this.held.add(arrival, j - i, bytes);
      i = j;
    }
  }

  /** Removes every record that arrived at or before `cutoffMs` (arrival + retention <= now). */
  expire(cutoffMs: number): Removed {
    let { records, bytes } = this.held.expire(cutoffMs);

    while (this.chunkHead < this.chunks.length) {
      const chunk = this.chunks[this.chunkHead] as Chunk;
      if (chunk.start >= chunk.length || (chunk.arrivals[chunk.start * 2] as number) > cutoffMs) break;
      // Binary search for the first record that arrived after the cutoff.
      let lo = chunk.start;
      let hi = chunk.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((chunk.arrivals[mid * 2] as number) <= cutoffMs) lo = mid + 1;
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

  /** Drops the chunk's records [start, end) from the detail counts and releases their key references. */
  private dropFromChunk(chunk: Chunk, end: number): Removed {
    let bytes = 0;
    let keyBytes = 0;
    for (let i = chunk.start; i < end; i++) {
      const keyId = chunk.words[i * 4 + 2] as number;
      if (keyId >= DIRECT_KEY) {
        bytes += (chunk.words[i * 4 + 3] as number) + keyId - DIRECT_KEY;
        keyBytes += keyId - DIRECT_KEY;
      } else {
        bytes += (chunk.words[i * 4 + 3] as number) + (this.keys.utf8Bytes[keyId] as number);
        this.keys.release(keyId);
      }
    }
    const payloadBytes = (chunk.extras ? chunk.extras.drop(chunk.start, end) : 0) + keyBytes;
    if (payloadBytes > 0) {
      this.payloadBytes -= payloadBytes;
      if (this.budget) this.budget.payloadBytes -= payloadBytes;
    }
    const records = end - chunk.start;
    chunk.start = end;
    this.detailRecords -= records;
    this.detailBytes -= bytes;
    return { records, bytes };
  }

  /** Moves past a full chunk whose records are all gone, releasing its columns right away. */
  private retireHeadChunk(chunk: Chunk): void {
    chunk.arrivals = NO_ARRIVALS;
    chunk.words = NO_WORDS;
    chunk.capacity = 0;
    chunk.extras = null;
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

  /** Ordinal of the first held record that arrived at or after `timestampMs` (nextOrdinal if none). */
  ordinalAtOrAfter(timestampMs: number): number {
    for (let c = this.chunkHead; c < this.chunks.length; c++) {
      const chunk = this.chunks[c] as Chunk;
      if ((chunk.arrivals[(chunk.length - 1) * 2] as number) < timestampMs) continue;
      let lo = chunk.start;
      let hi = chunk.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((chunk.arrivals[mid * 2] as number) < timestampMs) lo = mid + 1;
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
        record.arrivalMs = chunk.arrivals[i * 2] as number;
        const keyId = chunk.words[i * 4 + 2] as number;
        record.partitionKey =
          keyId >= DIRECT_KEY
            ? (chunk.extras as ChunkExtras).key(i, keyId - DIRECT_KEY)
            : this.keys.keyOf(keyId);
        record.keyBytes = this.keyBytesOf(keyId);
        record.dataBytes = chunk.words[i * 4 + 3] as number;
        record.payload = chunk.extras?.payload(i);
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
    return i >= chunk.start && i < chunk.length ? chunk.arrivals[i * 2] : undefined;
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
