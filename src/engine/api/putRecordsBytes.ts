import type { ShardEngine } from '../engine';
import { errors } from '../errors';
import { DATA_MODEL_MAX_BYTES, PARTITION_KEY_MAX_LENGTH, PUT_RECORDS_MAX_ENTRIES } from '../limits';
import { encodeUtf8 } from '../md5';
import type { Shard, Stream } from '../stream';
import type { InPlaceAnswer, InPlaceEntries } from '../writePath';
import { base64QuotedDecodedLength, base64QuotedEnd } from './base64';
import {
  BACKSLASH,
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  COLON,
  COMMA,
  copyOf,
  OPEN_ARRAY,
  OPEN_OBJECT,
  QUOTE,
} from './jsonScan';

/**
 * PutRecords read in place: the endpoint's busiest call (500 entries) answered from the request body's bytes,
 * without a typed request, an object per entry or a string per answer entry. `bytes` is the awsJson1_1 body
 * as received and `body` the same body as text (the endpoint decodes it for the general path anyway): every
 * entry's Data is checked first, then a stored one is decoded from the body's bytes straight into its
 * stream's payload slab; keys are cut from the text; the answer is written as bytes, sequence numbers digit
 * by digit.
 *
 * Only a body in the form SDKs send and a state the write path handles alike take this lane: `{"Records":
 * [{"Data":"<base64>","PartitionKey":"<key>"},…],"StreamName":"<name>"}` (members in any order, JSON
 * whitespace anywhere), 1–500 entries, keys of 1–256 printable ASCII characters without escapes, valid
 * base64 Data within the model's size, no `ExplicitHashKey`, `StreamARN` or `DryRun`, a stream that takes
 * writes and routes by key (not AUTO), no fault injection armed, and no entry or total over Kinesis's sizes.
 * For anything else it returns undefined having changed nothing, and the caller takes the general path
 * (dispatchWire), which gives such a call its answer, error or not. Where both paths apply they write the
 * same bytes and leave the engine in the same state (putRecordsBytes.test.ts).
 *
 * Returns the HTTP 200 answer's body (a fresh buffer the caller may keep), or undefined. The answer is final
 * when returned; storing the accepted records and counting the entries is left for `engine.settle()`, which
 * the engine's methods that read or change state run first (ShardEngine.settle, WritePath.putRecordsInPlace),
 * and `bytes` is kept until then.
 */
export function putRecordsInPlace(
  engine: ShardEngine,
  body: string,
  bytes: Uint8Array,
): Uint8Array | undefined {
  // A body with a character past ASCII is longer in bytes than in UTF-16 code units: not this lane's.
  if (bytes.length !== body.length) return undefined;
  const reader = new InPlaceReader(bytes, body);
  const answer = inPlace(engine, reader, bytes);
  // Keys are not kept past the call (the shards hold their own copies).
  KEYS.length = 0;
  return answer;
}

/** putRecordsInPlace past its first check: reads the body, checks it, writes its entries. */
function inPlace(engine: ShardEngine, reader: InPlaceReader, bytes: Uint8Array): Uint8Array | undefined {
  const streamName = reader.request();
  if (streamName === undefined) return undefined;
  const count = reader.count;
  if (count < 1 || count > PUT_RECORDS_MAX_ENTRIES) return undefined;
  const stream = engine.stream(streamName);
  if (
    stream === undefined ||
    (stream.status !== 'ACTIVE' && stream.status !== 'UPDATING') ||
    stream.recordDistribution === 'AUTO' ||
    engine.faults.any
  )
    return undefined;
  for (let i = 0; i < count; i++) {
    if ((DATA_SIZES[i] as number) > DATA_MODEL_MAX_BYTES) return undefined;
    KEY_SIZES[i] = (KEYS[i] as string).length;
  }
  if (engine.putRecordsProblem(stream, DATA_SIZES, KEY_SIZES, count) !== undefined) return undefined;
  const answer = new AnswerWriter(engine.accountId);
  const failed = engine.putRecordsInPlace(
    stream,
    {
      count,
      keys: KEYS,
      body: bytes,
      dataStarts: DATA_STARTS,
      dataBytes: DATA_SIZES,
    } satisfies InPlaceEntries,
    answer,
  );
  return answer.finish(failed);
}

/**
 * Per-entry columns of the request being read, reused from call to call (one call runs at a time): the key,
 * where the Data's base64 starts in the body, and its decoded size.
 */
const KEYS: string[] = [];
const DATA_STARTS = new Int32Array(PUT_RECORDS_MAX_ENTRIES);
const DATA_SIZES = new Int32Array(PUT_RECORDS_MAX_ENTRIES);
const KEY_SIZES = new Int32Array(PUT_RECORDS_MAX_ENTRIES);

/** Member names as the bytes that follow their opening quote, closing quote included. */
const RECORDS = nameBytes('Records');
const STREAM_NAME = nameBytes('StreamName');
const DATA = nameBytes('Data');
const PARTITION_KEY = nameBytes('PartitionKey');

function nameBytes(name: string): Uint8Array {
  return asciiBytes(`${name}"`);
}

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** An entry in the SDK for JavaScript's form up to its Data, and from the Data's closing quote to its key. */
const COMPACT_DATA = asciiBytes('{"Data":"');
const COMPACT_KEY = asciiBytes('","PartitionKey":"');

/**
 * Where a JSON string of printable ASCII without escapes, `maxLength` characters at most (0: any), that starts
 * at `start` (past its opening quote) ends: the index of its closing quote, or −1 for anything else.
 */
function plainStringEnd(bytes: Uint8Array, start: number, maxLength: number): number {
  const limit = maxLength > 0 ? Math.min(bytes.length, start + maxLength + 1) : bytes.length;
  for (let i = start; i < limit; i++) {
    const c = bytes[i] as number;
    if (c === QUOTE) return i;
    if (c < 0x20 || c > 0x7e || c === BACKSLASH) return -1;
  }
  return -1;
}

/** Whether `bytes` hold `expected` from `at`. */
function startsWith(bytes: Uint8Array, at: number, expected: Uint8Array): boolean {
  if (at + expected.length > bytes.length) return false;
  for (let k = 0; k < expected.length; k++) if (bytes[at + k] !== expected[k]) return false;
  return true;
}

/**
 * The scanner over the body's bytes (`text` is the same body, for cutting keys): fills the entry columns and
 * returns the stream's name, or undefined for anything but the lane's form.
 */
class InPlaceReader {
  private readonly bytes: Uint8Array;
  private readonly text: string;
  private at = 0;
  /** Entries read. */
  count = 0;

  constructor(bytes: Uint8Array, text: string) {
    this.bytes = bytes;
    this.text = text;
  }

  request(): string | undefined {
    if (!this.take(OPEN_OBJECT)) return undefined;
    let streamName: string | undefined;
    let records = false;
    do {
      if (!this.take(QUOTE)) return undefined;
      if (!records && this.name(RECORDS)) {
        if (!this.take(COLON) || !this.entries()) return undefined;
        records = true;
      } else if (streamName === undefined && this.name(STREAM_NAME)) {
        const name = this.take(COLON) ? this.plainString(0) : undefined;
        if (!name) return undefined;
        streamName = name;
      } else return undefined;
    } while (this.take(COMMA));
    if (!this.take(CLOSE_OBJECT)) return undefined;
    this.take(-1);
    return records && this.at === this.bytes.length ? streamName : undefined;
  }

  private entries(): boolean {
    if (!this.take(OPEN_ARRAY)) return false;
    do {
      if (this.count === PUT_RECORDS_MAX_ENTRIES || !this.entry()) return false;
    } while (this.take(COMMA));
    return this.take(CLOSE_ARRAY);
  }

  /** One entry: Data and PartitionKey, each once, in either order. */
  private entry(): boolean {
    if (this.compactEntry()) return true;
    if (!this.take(OPEN_OBJECT)) return false;
    let data = false;
    let key: string | undefined;
    do {
      if (!this.take(QUOTE)) return false;
      if (!data && this.name(DATA)) {
        if (!this.take(COLON) || !this.take(QUOTE) || !this.base64()) return false;
        data = true;
      } else if (key === undefined && this.name(PARTITION_KEY)) {
        if (!this.take(COLON)) return false;
        key = this.plainString(PARTITION_KEY_MAX_LENGTH);
        if (key === undefined || key === '') return false;
      } else return false;
    } while (this.take(COMMA));
    if (!this.take(CLOSE_OBJECT) || !data || key === undefined) return false;
    KEYS.push(key);
    this.count++;
    return true;
  }

  /**
   * The AWS SDK for JavaScript's form of an entry, read in one go: `{"Data":"<base64>","PartitionKey":"<key>"}`
   * without whitespace, its key plain as plainString reads it. False, having read nothing, for any other
   * form (entry then reads it token by token, to the same result). Half of the lane's reading time went to
   * taking such an entry a token at a time.
   */
  private compactEntry(): boolean {
    const bytes = this.bytes;
    const at = this.at;
    if (!startsWith(bytes, at, COMPACT_DATA)) return false;
    const dataStart = at + COMPACT_DATA.length;
    const dataEnd = base64QuotedEnd(bytes, dataStart);
    if (dataEnd < 0 || !startsWith(bytes, dataEnd, COMPACT_KEY)) return false;
    const keyStart = dataEnd + COMPACT_KEY.length;
    const keyEnd = plainStringEnd(bytes, keyStart, PARTITION_KEY_MAX_LENGTH);
    if (keyEnd <= keyStart || bytes[keyEnd + 1] !== CLOSE_OBJECT) return false;
    DATA_STARTS[this.count] = dataStart;
    DATA_SIZES[this.count] = base64QuotedDecodedLength(bytes, dataStart, dataEnd);
    KEYS.push(copyOf(this.text, keyStart, keyEnd));
    this.count++;
    this.at = keyEnd + 2;
    return true;
  }

  /** Skips whitespace, then the byte `code` if it is next: whether it was. */
  private take(code: number): boolean {
    const bytes = this.bytes;
    let at = this.at;
    let c = bytes[at];
    // JSON whitespace: space, line feed, carriage return, tab.
    while (c === 32 || c === 10 || c === 13 || c === 9) c = bytes[++at];
    this.at = c === code ? at + 1 : at;
    return c === code;
  }

  /** Past a member name's opening quote: whether the name (with its closing quote) is `name`; if so, past it. */
  private name(name: Uint8Array): boolean {
    const bytes = this.bytes;
    const at = this.at;
    for (let k = 0; k < name.length; k++) if (bytes[at + k] !== name[k]) return false;
    this.at = at + name.length;
    return true;
  }

  /**
   * A string value of printable ASCII without escapes, `maxLength` characters at most (0: any), copied out
   * of the text; undefined for anything else.
   */
  private plainString(maxLength: number): string | undefined {
    if (!this.take(QUOTE)) return undefined;
    const start = this.at;
    const end = plainStringEnd(this.bytes, start, maxLength);
    if (end < 0) return undefined;
    this.at = end + 1;
    return copyOf(this.text, start, end);
  }

  /**
   * Past Data's opening quote: where its base64 starts and its decoded size, in the columns of the entry being
   * read, once it is checked (base64QuotedEnd: the check finds the closing quote too); and past that quote.
   * False if it is not valid base64. It is decoded only if its record is stored, straight where the shard
   * keeps it.
   */
  private base64(): boolean {
    const bytes = this.bytes;
    const start = this.at;
    const end = base64QuotedEnd(bytes, start);
    if (end < 0) return false;
    DATA_STARTS[this.count] = start;
    DATA_SIZES[this.count] = base64QuotedDecodedLength(bytes, start, end);
    this.at = end + 1;
    return true;
  }
}

/**
 * Bytes of a success entry but its ShardId (a sequence number is 56 digits; room for 64), and of the answer's
 * opening and closing but its count.
 */
const SUCCESS_ENTRY_BYTES = '{"SequenceNumber":"","ShardId":""},'.length + 64;
const ANSWER_FRAME_BYTES = '{"FailedRecordCount":,"Records":[]}'.length + 3;

/**
 * The PutRecords answer written as bytes, entry by entry, in the text putRecordsJson writes (dispatch.ts):
 * `{"FailedRecordCount":N,"Records":[{"SequenceNumber":"…","ShardId":"…"},{"ErrorCode":"…",
 * "ErrorMessage":"…"},…]}`.
 */
class AnswerWriter implements InPlaceAnswer {
  private out = answerScratch;
  private at = 0;
  private readonly accountId: string;

  constructor(accountId: string) {
    this.accountId = accountId;
  }

  accepted(shard: Shard, ordinal: number, arrivalMs: number): void {
    const shardId = shard.shardId;
    this.room(SUCCESS_ENTRY_BYTES + shardId.length);
    this.ascii('{"SequenceNumber":"');
    this.at = shard.writeSequenceNumber(ordinal, arrivalMs, this.out, this.at);
    this.ascii('","ShardId":"');
    this.ascii(shardId);
    this.ascii('"},');
  }

  throttled(shard: Shard, stream: Stream): void {
    const entry = JSON.stringify({
      ErrorCode: 'ProvisionedThroughputExceededException',
      ErrorMessage: errors.shardRateExceededMessage(shard.shardId, stream.name, this.accountId),
    });
    this.room(entry.length * 3 + 1);
    this.at += encodeUtf8(entry, this.out.subarray(this.at));
    this.out[this.at++] = COMMA;
  }

  /** The whole answer, in a buffer of its own. */
  finish(failed: number): Uint8Array {
    const head = `{"FailedRecordCount":${failed},"Records":[`;
    const entriesEnd = this.at > 0 ? this.at - 1 : 0; // the last entry's comma goes
    const answer = new Uint8Array(head.length + entriesEnd + 2);
    for (let i = 0; i < head.length; i++) answer[i] = head.charCodeAt(i);
    answer.set(this.out.subarray(0, entriesEnd), head.length);
    answer[head.length + entriesEnd] = CLOSE_ARRAY;
    answer[head.length + entriesEnd + 1] = CLOSE_OBJECT;
    return answer;
  }

  /** Makes room for `bytes` more. */
  private room(bytes: number): void {
    if (this.at + bytes + ANSWER_FRAME_BYTES <= this.out.length) return;
    const grown = new Uint8Array(Math.max(this.out.length * 2, this.at + bytes + ANSWER_FRAME_BYTES));
    grown.set(this.out.subarray(0, this.at));
    this.out = grown;
    answerScratch = grown;
  }

  /** Writes text known to be ASCII. */
  private ascii(text: string): void {
    const out = this.out;
    let at = this.at;
    for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
    this.at = at;
  }
}

/** The answer's entries are written here first (the count leads the answer), then copied into its own buffer. */
let answerScratch = new Uint8Array(64 * 1024);
