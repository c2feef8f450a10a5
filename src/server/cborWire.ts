/**
 * The Kinesis CBOR protocol (`application/x-amz-cbor-1.1`, the default of the AWS SDK for Java v2 and the
 * KCL) translated to and from awsJson1_1, so every CBOR call goes through the engine's one `dispatch`
 * [model §11]. The differences are only in encoding: blobs are CBOR byte strings instead of base64 text,
 * and timestamps are epoch **milliseconds** instead of epoch seconds.
 */
import { addExtension, Decoder, Encoder } from 'cbor-x';
import { decodeBase64, encodeBase64 } from '../engine';

/** A value under CBOR tag 1 ("epoch-based date"), kept as it came: AWS's CBOR writers put epoch ms under it. */
class EpochTag {
  readonly value: unknown;
  constructor(value: unknown) {
    this.value = value;
  }
}
// cbor-x would read tag 1 as epoch seconds and build a Date; the member's name decides the unit instead.
addExtension({
  Class: EpochTag,
  tag: 1,
  encode: () => new Uint8Array(0),
  decode: (value: unknown) => new EpochTag(value),
});

const decoder = new Decoder({ mapsAsObjects: true, useRecords: false });
const encoder = new Encoder({ useRecords: false, tagUint8Array: false });

/** Member names that hold timestamps in Kinesis's requests and responses (e.g. `Timestamp`, `StreamCreationTimestamp`). */
const isTimestampMember = (name: string) => name.endsWith('Timestamp');

/**
 * A CBOR request body as the awsJson1_1 body the engine reads: byte strings become base64 text, timestamps
 * (epoch ms, plain or under tag 1, or a Date) become epoch seconds. Throws on a body that is not one CBOR
 * map (the caller answers SerializationException).
 */
export function cborRequestToJson(body: Uint8Array): string {
  const value = decoder.decode(body) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array)
    throw new TypeError('the CBOR body is not a map');
  return JSON.stringify(toJsonValue(value, ''));
}

function toJsonValue(value: unknown, name: string): unknown {
  if (value instanceof Uint8Array) return encodeBase64(value);
  if (value instanceof EpochTag) return toJsonValue(value.value, name);
  if (value instanceof Date) return value.getTime() / 1000;
  // cbor-x reads an 8-byte integer as a bigint: how Java's CBOR writer sends a long, e.g. epoch ms.
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
  return encoder.encode(toCborValue(JSON.parse(body) as unknown, ''));
}

function toCborValue(value: unknown, name: string): unknown {
  if (name === 'Data' && typeof value === 'string') return decodeBase64(value);
  if (typeof value === 'number' && isTimestampMember(name)) return cborInteger(Math.round(value * 1000));
  if (typeof value === 'number') return cborInteger(value);
  if (Array.isArray(value)) return value.map((item) => toCborValue(item, ''));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toCborValue(item, key);
    return out;
  }
  return value;
}

/**
 * An integer cbor-x writes as a CBOR integer. cbor-x writes a number outside the 32-bit range as a float64
 * (major type 7), which a Java reader of a `long` (epoch ms, for one) does not take; as a bigint it is
 * written as an integer (major type 0 or 1, 8 bytes). Other numbers pass unchanged.
 */
function cborInteger(value: number): number | bigint {
  return Number.isSafeInteger(value) && (value > 0xffff_ffff || value < -0x1_0000_0000)
    ? BigInt(value)
    : value;
}
