/** Base64 (RFC 4648, with padding) without DOM or Node APIs: the engine runs in workers, Node and more. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Each ASCII character's 6-bit value, or -1 for what is not in the alphabet. */
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const PAD = 61; // '='
/**
 * Two ASCII characters' 12 bits at once, indexed by (first << 7) | second, or -1 when either is not in the
 * alphabet: the hot decode loop looks up half as often.
 */
const DECODE_PAIR = new Int16Array(128 * 128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++)
  for (let j = 0; j < ALPHABET.length; j++)
    DECODE_PAIR[(ALPHABET.charCodeAt(i) << 7) | ALPHABET.charCodeAt(j)] = (i << 6) | j;

/** Encodes bytes as base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  const chunk: string[] = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    chunk.push(
      ALPHABET[n >>> 18] as string,
      ALPHABET[(n >>> 12) & 63] as string,
      ALPHABET[(n >>> 6) & 63] as string,
      ALPHABET[n & 63] as string,
    );
    if (chunk.length >= 8192) {
      out += chunk.join('');
      chunk.length = 0;
    }
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    chunk.push(ALPHABET[n >>> 18] as string, ALPHABET[(n >>> 12) & 63] as string, '==');
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    chunk.push(
      ALPHABET[n >>> 18] as string,
      ALPHABET[(n >>> 12) & 63] as string,
      ALPHABET[(n >>> 6) & 63] as string,
      '=',
    );
  }
  return out + chunk.join('');
}

/** Why a string is not valid base64, in Coral's words; undefined if it is valid. */
export function base64Problem(text: string): string | undefined {
  if (text.length % 4 !== 0) {
    return `Base64 encoded length is expected a multiple of 4 bytes but found: ${text.length}`;
  }
  const bad = /[^a-zA-Z0-9+/=]|=[^=]/.exec(text);
  if (bad) return `Invalid Base64 character: '${(bad[0] as string)[0]}'`;
  // The last data character must not carry bits the padding says are unused.
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (pad > 0) {
    const last = DECODE[text.charCodeAt(text.length - pad - 1)] ?? 0;
    if ((pad === 2 && (last & 15) !== 0) || (pad === 1 && (last & 3) !== 0)) {
      return 'Invalid last non-pad Base64 character dectected';
    }
  }
  return undefined;
}

/**
 * Small blobs (every record's Data decoded by decodeBase64Checked: the general path's requests) are cut from
 * shared slabs: one allocation per SLAB_BYTES instead of an ArrayBuffer per record, which the garbage collector
 * would otherwise track one by one. A slab lives only as long as the calls that decoded into it: a shard's
 * record log copies what it keeps into its stream's slabs (PayloadSlabs, RecordLog.storePayload).
 */
const SLAB_BYTES = 256 * 1024;
const SLAB_MAX_PIECE = 4096;
let slab = new Uint8Array(0);
let slabUsed = 0;
function slabBytes(length: number): Uint8Array {
  if (length > SLAB_MAX_PIECE) return new Uint8Array(length);
  if (slabUsed + length > slab.length) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  slabUsed += length;
  return slab.subarray(slabUsed - length, slabUsed);
}

/**
 * Decodes base64 and checks it in the same pass (the endpoint's hot path: every record's Data): the bytes,
 * or undefined when the text is not valid base64 (base64Problem then says why, in Coral's words). Reads
 * `text` from `start` to `end` (UTF-16 indexes; the whole text by default), so a request body's Data is
 * decoded where it stands (putRecordsBody.ts).
 */
export function decodeBase64Checked(text: string, start = 0, end = text.length): Uint8Array | undefined {
  const length = end - start;
  if (length % 4 !== 0) return undefined;
  if (length === 0) return new Uint8Array(0);
  const pad = text.charCodeAt(end - 1) === PAD ? (text.charCodeAt(end - 2) === PAD ? 2 : 1) : 0;
  const out = slabBytes((length / 4) * 3 - pad);
  const full = pad === 0 ? end : end - 4;
  let o = 0;
  let invalid = 0;
  // Code units past ASCII are caught by `wide`; below 128 the table says -1 for what is not base64.
  let wide = 0;
  for (let i = start; i < full; i += 4) {
    const ca = text.charCodeAt(i);
    const cb = text.charCodeAt(i + 1);
    const cc = text.charCodeAt(i + 2);
    const cd = text.charCodeAt(i + 3);
    wide |= ca | cb | cc | cd;
    const high = DECODE_PAIR[((ca & 127) << 7) | (cb & 127)] as number;
    const low = DECODE_PAIR[((cc & 127) << 7) | (cd & 127)] as number;
    invalid |= high | low;
    const n = (high << 12) | low;
    out[o] = n >>> 16;
    out[o + 1] = (n >>> 8) & 255;
    out[o + 2] = n & 255;
    o += 3;
  }
  if (pad > 0) {
    const ca = text.charCodeAt(full);
    const cb = text.charCodeAt(full + 1);
    const cc = pad === 1 ? text.charCodeAt(full + 2) : 65;
    wide |= ca | cb | cc;
    const a = DECODE[ca & 127] as number;
    const b = DECODE[cb & 127] as number;
    const c = pad === 1 ? (DECODE[cc & 127] as number) : 0;
    invalid |= a | b | c;
    // The last data character must not carry bits the padding says are unused.
    if ((pad === 2 && (b & 15) !== 0) || (pad === 1 && (c & 3) !== 0)) return undefined;
    const n = (a << 18) | (b << 12) | (c << 6);
    out[o] = n >>> 16;
    if (pad === 1) out[o + 1] = (n >>> 8) & 255;
  }
  if (wide > 127) return undefined;
  return invalid < 0 ? undefined : out;
}

/** Decodes valid base64 (check with base64Problem first). */
export function decodeBase64(text: string): Uint8Array {
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const length = (text.length / 4) * 3 - pad;
  const out = new Uint8Array(length);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n =
      ((DECODE[text.charCodeAt(i)] as number) << 18) |
      ((DECODE[text.charCodeAt(i + 1)] as number) << 12) |
      (((DECODE[text.charCodeAt(i + 2)] as number) & 63) << 6) |
      ((DECODE[text.charCodeAt(i + 3)] as number) & 63);
    if (o < length) out[o++] = n >>> 16;
    if (o < length) out[o++] = (n >>> 8) & 255;
    if (o < length) out[o++] = n & 255;
  }
  return out;
}

/** Decoded length of valid base64 without decoding it. */
export function base64DecodedLength(text: string): number {
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - pad;
}

/** A byte's base64 value at each place of a quantum (<< 18, 12, 6, 0); negative for a byte not in the alphabet. */
const AT_0 = new Int32Array(256).fill(-0x80000000);
const AT_1 = new Int32Array(256).fill(-0x80000000);
const AT_2 = new Int32Array(256).fill(-0x80000000);
const AT_3 = new Int32Array(256).fill(-0x80000000);
for (let i = 0; i < ALPHABET.length; i++) {
  const c = ALPHABET.charCodeAt(i);
  AT_0[c] = i << 18;
  AT_1[c] = i << 12;
  AT_2[c] = i << 6;
  AT_3[c] = i;
}

const QUOTE = 34; // '"'

/**
 * Checks the base64 in a JSON string's bytes, from `start` (just past its opening quote) to its closing quote,
 * as decodeBase64Checked checks text (RFC 4648 with padding, the last character carrying no bits the padding
 * leaves unused), in one pass that finds the quote too: the index of that quote, or −1 when what comes before
 * it is not valid base64 (an escape, a character outside the alphabet, a length that is not a multiple of 4)
 * or there is no quote. The decoded length is then base64QuotedDecodedLength's. Decodes nothing (see
 * decodeBase64BytesInto).
 */
export function base64QuotedEnd(bytes: Uint8Array, start: number): number {
  const n = bytes.length;
  let i = start;
  // Whole quanta of the alphabet; the quantum holding anything else ends the run.
  while (
    i + 4 <= n &&
    ((AT_3[bytes[i] as number] as number) |
      (AT_3[bytes[i + 1] as number] as number) |
      (AT_3[bytes[i + 2] as number] as number) |
      (AT_3[bytes[i + 3] as number] as number)) >=
      0
  )
    i += 4;
  if (i < n && bytes[i] === QUOTE) return i;
  // Otherwise only a padded last quantum, then the quote: "xy==" or "xyz=".
  if (i + 4 >= n || bytes[i + 4] !== QUOTE || bytes[i + 3] !== PAD) return -1;
  const a = AT_3[bytes[i] as number] as number;
  const b = AT_3[bytes[i + 1] as number] as number;
  if (bytes[i + 2] === PAD) return (a | b) >= 0 && (b & 15) === 0 ? i + 4 : -1;
  const c = AT_3[bytes[i + 2] as number] as number;
  return (a | b | c) >= 0 && (c & 3) === 0 ? i + 4 : -1;
}

/** The decoded length of base64 that base64QuotedEnd accepted, `bytes[start, end)`. */
export function base64QuotedDecodedLength(bytes: Uint8Array, start: number, end: number): number {
  const pad = end > start && bytes[end - 1] === PAD ? (bytes[end - 2] === PAD ? 2 : 1) : 0;
  return ((end - start) / 4) * 3 - pad;
}

/** Bytes of base64 text that decode to `decodedBytes` bytes (with padding). */
export function base64EncodedLength(decodedBytes: number): number {
  return Math.ceil(decodedBytes / 3) * 4;
}

/**
 * Decodes base64 that base64QuotedEnd accepted, `bytes[start, end)`, into `out` from `at` (room for
 * the decoded length is the caller's). Returns the index after the bytes written.
 */
export function decodeBase64BytesInto(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  at: number,
): number {
  if (end === start) return at;
  const pad = bytes[end - 1] === PAD ? (bytes[end - 2] === PAD ? 2 : 1) : 0;
  const full = pad === 0 ? end : end - 4;
  let o = at;
  for (let i = start; i < full; i += 4) {
    const n =
      (AT_0[bytes[i] as number] as number) |
      (AT_1[bytes[i + 1] as number] as number) |
      (AT_2[bytes[i + 2] as number] as number) |
      (AT_3[bytes[i + 3] as number] as number);
    out[o] = n >>> 16;
    out[o + 1] = n >>> 8;
    out[o + 2] = n;
    o += 3;
  }
  if (pad > 0) {
    const n =
      (AT_0[bytes[full] as number] as number) |
      (AT_1[bytes[full + 1] as number] as number) |
      (pad === 1 ? (AT_2[bytes[full + 2] as number] as number) : 0);
    out[o++] = n >>> 16;
    if (pad === 1) out[o++] = n >>> 8;
  }
  return o;
}
