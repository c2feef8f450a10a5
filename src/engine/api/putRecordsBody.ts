import { decodeBase64Checked } from './base64';
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
import type { TypedRequest } from './validation';

/**
 * Reads a PutRecords request body (awsJson1_1) in the form clients send it straight to the typed request
 * that `checkTypes(JSON.parse(body), OPERATION_SHAPES.PutRecords)` makes of it, without building the JSON
 * tree: `{"Records":[{"Data":"<base64>","PartitionKey":"…","ExplicitHashKey":"…"},…],"StreamName":"…"}`
 * (members in any order, JSON whitespace anywhere, `StreamARN` instead of or beside `StreamName`).
 * A 500-entry PutRecords is the endpoint's busiest call, and its tree (an object and two strings per entry,
 * then a Uint8Array per Data) cost more than reading the entries where they stand.
 *
 * String values may hold JSON escapes (the AWS CLI and boto3 write every non-ASCII character of a key as
 * `\uXXXX`), read as JSON.parse reads them. Returns undefined for anything else — a member name with an
 * escape, a control character or a bad escape in a string, a value that is not a string, `null`, a repeated
 * or unknown member, `DryRun`, Data that is not valid base64, text after the object, or not JSON at all — and
 * the caller then takes the general path (JSON.parse, checkTypes), which gives such a body its answer, error
 * or not. So the answer is the same whichever path read the body; both
 * are checked against each other (putRecordsBody.test.ts).
 *
 * Strings are copies, never slices of the body: a slice would keep the whole body (up to 10 MiB) in memory
 * for as long as an engine table keeps the key (hot keys, a chunk's non-ASCII keys).
 */
export function readPutRecordsBody(body: string): TypedRequest | undefined {
  return new BodyReader(body).request();
}

/** A member of PutRecords' request, or of one of its entries, by the bit it sets once read. */
const RECORDS = 1;
const STREAM_NAME = 2;
const STREAM_ARN = 4;
const DATA = 1;
const PARTITION_KEY = 2;
const EXPLICIT_HASH_KEY = 4;

/**
 * The scanner: the body and the index of the next code unit to read. The request and an entry each have their
 * own loop over members: one generic object reader (a member table, values in an array) cost 0.3 µs more per
 * record, more than JSON.parse's tree it replaces.
 */
class BodyReader {
  private readonly text: string;
  private at = 0;

  constructor(text: string) {
    this.text = text;
  }

  request(): TypedRequest | undefined {
    if (!this.take(OPEN_OBJECT)) return undefined;
    let seen = 0;
    let records: TypedRequest[] | undefined;
    let streamName: string | undefined;
    let streamArn: string | undefined;
    if (!this.take(CLOSE_OBJECT)) {
      do {
        const member = this.requestMember();
        if (member === 0 || (seen & member) !== 0 || !this.take(COLON)) return undefined;
        seen |= member;
        if (member === RECORDS) {
          records = this.entries();
          if (records === undefined) return undefined;
        } else {
          const value = this.string();
          if (value === undefined) return undefined;
          if (member === STREAM_NAME) streamName = value;
          else streamArn = value;
        }
      } while (this.take(COMMA));
      if (!this.take(CLOSE_OBJECT)) return undefined;
    }
    this.skipSpace();
    if (this.at !== this.text.length) return undefined;
    // Members in the shape's order, as checkTypes writes them.
    const request: TypedRequest = {};
    if (records !== undefined) request.Records = records;
    if (streamName !== undefined) request.StreamName = streamName;
    if (streamArn !== undefined) request.StreamARN = streamArn;
    return request;
  }

  private entries(): TypedRequest[] | undefined {
    if (!this.take(OPEN_ARRAY)) return undefined;
    const entries: TypedRequest[] = [];
    if (this.take(CLOSE_ARRAY)) return entries;
    do {
      const entry = this.entry();
      if (entry === undefined) return undefined;
      entries.push(entry);
    } while (this.take(COMMA));
    return this.take(CLOSE_ARRAY) ? entries : undefined;
  }

  private entry(): TypedRequest | undefined {
    if (!this.take(OPEN_OBJECT)) return undefined;
    let seen = 0;
    let data: Uint8Array | undefined;
    let partitionKey: string | undefined;
    let explicitHashKey: string | undefined;
    if (!this.take(CLOSE_OBJECT)) {
      do {
        const member = this.entryMember();
        if (member === 0 || (seen & member) !== 0 || !this.take(COLON)) return undefined;
        seen |= member;
        if (member === DATA) {
          data = this.base64();
          if (data === undefined) return undefined;
        } else {
          const value = this.string();
          if (value === undefined) return undefined;
          if (member === PARTITION_KEY) partitionKey = value;
          else explicitHashKey = value;
        }
      } while (this.take(COMMA));
      if (!this.take(CLOSE_OBJECT)) return undefined;
    }
    // Members in the shape's order (PartitionKey, Data, ExplicitHashKey), as checkTypes writes them.
    if (explicitHashKey === undefined && partitionKey !== undefined && data !== undefined)
      return { PartitionKey: partitionKey, Data: data };
    const entry: TypedRequest = {};
    if (partitionKey !== undefined) entry.PartitionKey = partitionKey;
    if (data !== undefined) entry.Data = data;
    if (explicitHashKey !== undefined) entry.ExplicitHashKey = explicitHashKey;
    return entry;
  }

  /** Skips whitespace, then the code unit `code` if it is next: whether it was. */
  private take(code: number): boolean {
    const text = this.text;
    let at = this.at;
    let c = text.charCodeAt(at);
    // JSON whitespace: space, line feed, carriage return, tab.
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++at);
    this.at = c === code ? at + 1 : at;
    return c === code;
  }

  private skipSpace(): void {
    this.take(-1);
  }

  /**
   * Past a string's opening quote: the index of its closing quote, or -1 when the string holds an escape
   * or a control character, or does not end (the general path reads those).
   */
  private stringEnd(): number {
    const text = this.text;
    const length = text.length;
    for (let i = this.at; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) return i;
      if (c === BACKSLASH || c < 0x20) return -1;
    }
    return -1;
  }

  /** A member name of the request: RECORDS, STREAM_NAME or STREAM_ARN; 0 for any other (or no) name. */
  private requestMember(): number {
    if (!this.take(QUOTE)) return 0;
    const start = this.at;
    const end = this.stringEnd();
    if (end < 0) return 0;
    this.at = end + 1;
    const length = end - start;
    const text = this.text;
    if (length === 7 && text.startsWith('Records', start)) return RECORDS;
    if (length === 10 && text.startsWith('StreamName', start)) return STREAM_NAME;
    if (length === 9 && text.startsWith('StreamARN', start)) return STREAM_ARN;
    return 0;
  }

  /** A member name of an entry: DATA, PARTITION_KEY or EXPLICIT_HASH_KEY; 0 for any other (or no) name. */
  private entryMember(): number {
    if (!this.take(QUOTE)) return 0;
    const start = this.at;
    const end = this.stringEnd();
    if (end < 0) return 0;
    this.at = end + 1;
    const length = end - start;
    const text = this.text;
    if (length === 4 && text.startsWith('Data', start)) return DATA;
    if (length === 12 && text.startsWith('PartitionKey', start)) return PARTITION_KEY;
    if (length === 15 && text.startsWith('ExplicitHashKey', start)) return EXPLICIT_HASH_KEY;
    return 0;
  }

  /** A string value, copied out of the body; undefined if the value is not a string the scanner reads. */
  private string(): string | undefined {
    if (!this.take(QUOTE)) return undefined;
    const end = this.stringEnd();
    if (end < 0) return this.escapedString();
    const value = copyOf(this.text, this.at, end);
    this.at = end + 1;
    return value;
  }

  /**
   * Past a string's opening quote, a string holding escapes: the value JSON.parse makes of it (`\uXXXX` one
   * code unit, a lone surrogate included); undefined for a control character, an escape JSON does not have,
   * or no closing quote.
   */
  private escapedString(): string | undefined {
    const text = this.text;
    const length = text.length;
    let at = this.at;
    let run = at;
    let value = '';
    while (at < length) {
      const c = text.charCodeAt(at);
      if (c === QUOTE) {
        this.at = at + 1;
        // Joined to one more character, then cut: a flat copy, so no slice of the body stays referenced.
        return `${value}${text.slice(run, at)} `.slice(0, -1);
      }
      if (c < 0x20) return undefined;
      if (c !== BACKSLASH) {
        at++;
        continue;
      }
      value += text.slice(run, at);
      const unescaped = ESCAPES[text.charCodeAt(at + 1)];
      if (unescaped !== undefined) {
        value += unescaped;
        at += 2;
      } else if (text.charCodeAt(at + 1) === 117 /* u */) {
        const unit = hex4(text, at + 2);
        if (unit < 0) return undefined;
        value += String.fromCharCode(unit);
        at += 6;
      } else {
        return undefined;
      }
      run = at;
    }
    return undefined;
  }

  /**
   * A base64 string value, decoded; undefined if it is not a string or not valid base64. Its end is the next
   * quote: an escape or a control character before it is not base64, which the decoder refuses.
   */
  private base64(): Uint8Array | undefined {
    if (!this.take(QUOTE)) return undefined;
    const end = this.text.indexOf('"', this.at);
    if (end < 0) return undefined;
    const bytes = decodeBase64Checked(this.text, this.at, end);
    this.at = end + 1;
    return bytes;
  }
}

/** JSON's one-character escapes, by the code of the character after the backslash. */
const ESCAPES: Record<number, string> = {
  34: '"',
  92: '\\',
  47: '/',
  98: '\b',
  102: '\f',
  110: '\n',
  114: '\r',
  116: '\t',
};

/** The code unit four hexadecimal digits at `at` stand for (either case), or -1 if they are not four. */
function hex4(text: string, at: number): number {
  let unit = 0;
  for (let i = at; i < at + 4; i++) {
    const c = text.charCodeAt(i);
    const digit =
      c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (digit < 0) return -1;
    unit = (unit << 4) | digit;
  }
  return unit;
}
