/**
 * Shard iterators and list tokens: opaque base64 strings (≤ 512 characters) that carry where a reader is
 * and when the token was made, with a checksum so a forged or damaged one is rejected.
 */
import { decodeBase64, encodeBase64 } from './api/base64';

/** What a shard iterator carries: stream incarnation (creation ms and sequence tag), shard, position and issue time. */
export interface IteratorState {
  streamName: string;
  streamCreatedMs: number;
  /** The stream's sequence-number tag: tells apart two streams of one name created in the same ms. */
  streamTag: number;
  shardIndex: number;
  ordinal: number;
  issuedMs: number;
}

function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}

function fromUtf8(bytes: Uint8Array): string {
  // Tokens only ever hold ASCII (stream names match [a-zA-Z0-9_.-]+).
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return text;
}

function checksum(text: string, secret: number): string {
  let h = (0x811c9dc5 ^ secret) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/** Encodes a token of `fields` signed with the engine's secret. */
export function encodeToken(kind: string, fields: readonly (string | number)[], secret: number): string {
  const body = [kind, ...fields].join('|');
  return encodeBase64(utf8(`${body}|${checksum(body, secret)}`));
}

/** Decodes a token made by encodeToken; undefined if it is malformed, forged or of another kind. */
export function decodeToken(kind: string, token: string, secret: number): string[] | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(token) || token.length % 4 !== 0) return undefined;
  const parts = fromUtf8(decodeBase64(token)).split('|');
  const sum = parts.pop();
  if (parts[0] !== kind || sum !== checksum(parts.join('|'), secret)) return undefined;
  return parts.slice(1);
}

/** Encodes a shard iterator. */
export function encodeIterator(state: IteratorState, secret: number): string {
  return encodeToken(
    'i1',
    [
      state.streamName,
      state.streamCreatedMs,
      state.streamTag,
      state.shardIndex,
      state.ordinal,
      state.issuedMs,
    ],
    secret,
  );
}

/** Decodes a shard iterator; undefined if it is not one of ours. */
export function decodeIterator(token: string, secret: number): IteratorState | undefined {
  const fields = decodeToken('i1', token, secret);
  if (fields?.length !== 6) return undefined;
  const [streamName, ...rest] = fields as [string, ...string[]];
  const numbers = rest.map(Number);
  if (numbers.some((n) => !Number.isFinite(n))) return undefined;
  return {
    streamName,
    streamCreatedMs: numbers[0] as number,
    streamTag: numbers[1] as number,
    shardIndex: numbers[2] as number,
    ordinal: numbers[3] as number,
    issuedMs: numbers[4] as number,
  };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** Java's Date.toString() in UTC (`Thu Jan 22 01:22:02 UTC 2015`), as Kinesis prints iterator times. */
export function javaDateString(epochMs: number): string {
  const d = new Date(epochMs);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
