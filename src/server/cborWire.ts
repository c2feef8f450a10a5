/**
 * The Kinesis CBOR protocol (`application/x-amz-cbor-1.1`, the default of the AWS SDK for Java v2 and the
 * KCL) translated to and from awsJson1_1, so every CBOR call goes through the engine's one `dispatch`
 * [model §11]. The differences are only in encoding: blobs are CBOR byte strings instead of base64 text,
 * and timestamps are epoch **milliseconds** instead of epoch seconds.
 */
import { decode, encode, type TagDecoder } from 'cbor2';
import { decodeBase64, encodeBase64 } from '../engine';

/** A value under CBOR tag 1 ("epoch-based date"), kept as it came: AWS's CBOR writers put epoch ms under it. */
class EpochTag {
  readonly value: unknown;
  constructor(value: unknown) {
    this.value = value;
  }
}
/** cbor2 would read tag 1 as epoch seconds and build a Date; the member's name decides the unit instead. */
const REQUEST_TAGS = new Map<number, TagDecoder>([[1, (tag) => new EpochTag(tag.contents)]]);

/** Member names that hold timestamps in Kinesis's requests and responses (e.g. `Timestamp`, `StreamCreationTimestamp`). */
const isTimestampMember = (name: string) => name.endsWith('Timestamp');

/**
 * A CBOR request body as the awsJson1_1 body the engine reads: byte strings become base64 text, timestamps
 * (epoch ms, plain or under tag 1, or a Date) become epoch seconds. Throws on a body that is not one CBOR
 * map (the caller answers SerializationException).
 */
export function cborRequestToJson(body: Uint8Array): string {
  const value = decode(body, { tags: REQUEST_TAGS }) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array)
    throw new TypeError('the CBOR body is not a map');
  return JSON.stringify(toJsonValue(value, ''));
}

function toJsonValue(value: unknown, name: string): unknown {
  if (value instanceof Uint8Array) return encodeBase64(value);
  if (value instanceof EpochTag) return toJsonValue(value.value, name);
  if (value instanceof Date) return value.getTime() / 1000;
  // An 8-byte integer may be read as a bigint: how Java's CBOR writer sends a long, e.g. epoch ms.
  if (typeof value === 'bigint') return toJsonValue(Number(value), name);
  if (typeof value === 'number' && isTimestampMember(name)) return value / 1000;
  if (Array.isArray(value)) return value.map((item) => toJsonValue(item, ''));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toJsonValue(item, key);
    return out;
  }
  return value;
}

/**
 * The engine's awsJson1_1 response body as CBOR: `Data` blobs (GetRecords) become byte strings and
 * timestamps epoch milliseconds, as CBOR integers (a Java `long`: epoch ms need the 8-byte form). An empty
 * body (operations with no output) stays empty.
 */
export function jsonResponseToCbor(body: string): Uint8Array {
  if (body === '') return new Uint8Array(0);
  return encode(toCborValue(JSON.parse(body) as unknown, ''));
}

function toCborValue(value: unknown, name: string): unknown {
  if (name === 'Data' && typeof value === 'string') return decodeBase64(value);
  // A whole number is written as a CBOR integer (what a Java reader of a `long`, e.g. epoch ms, takes).
  if (typeof value === 'number' && isTimestampMember(name)) return Math.round(value * 1000);
  if (Array.isArray(value)) return value.map((item) => toCborValue(item, ''));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toCborValue(item, key);
    return out;
  }
  return value;
}
