// MD5 (RFC 1321), hand-written because browsers have no native MD5 (WebCrypto has none) and
// Kinesis routes every record by the MD5 of its partition key.
//
// Hot path: keys of at most 55 UTF-8 bytes fit one 64-byte block. They are encoded straight into a
// reused block and hashed by 64 straight-line steps, with no allocation. The steps are written out
// (generated, not hand-typed) on purpose: with the classic ff/gg/hh/ii helpers V8 stops inlining and
// passes int32 values outside the Smi range as heap numbers, which measured about 4x slower.
//
// State words a, b, c, d are returned as uint32; the digest bytes are each word little-endian.

/** Largest message (in bytes) that still fits one block with its 0x80 marker and 8-byte length. */
const SINGLE_BLOCK_MAX_BYTES = 55;
/** Keys of at most this many UTF-16 units take the fast path (each unit is 1–3 UTF-8 bytes). */
const FAST_MAX_UNITS = SINGLE_BLOCK_MAX_BYTES;

// The fast block is 192 bytes, not 64, so a key of up to 55 UTF-16 units (at most 165 bytes) never
// writes past the end: the encoder needs no bounds checks, and keys that turn out longer than 55
// bytes are hashed from here by the general path without re-encoding.
const FAST_BUFFER = new ArrayBuffer(192);
const FAST_BYTES = new Uint8Array(FAST_BUFFER);
const FAST_WORDS = new Int32Array(FAST_BUFFER, 0, 16);

// MD5 reads the block as little-endian words. Int32Array uses the host's byte order, so on a
// big-endian host the fast path hands its bytes to the general path, which assembles words byte by byte.
const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

// General path scratch: chaining state, one block of words, and the padded tail (up to two blocks).
const STATE = new Int32Array(4);
const BLOCK = new Int32Array(16);
const TAIL = new Uint8Array(128);
// Long keys are encoded here first; it grows on demand (partition keys need at most 768 bytes).
let longBytes = new Uint8Array(1024);

const INIT_A = 0x67452301;
const INIT_B = 0xefcdab89 | 0;
const INIT_C = 0x98badcfe | 0;
const INIT_D = 0x10325476;

// UTF-8 length of the key md5Utf8Words hashed last (it encodes the key anyway).
let lastUtf8Length = 0;

/**
 * UTF-8 byte length of the key the last md5Utf8Words call hashed, so a caller that needs both the hash and
 * the size (every record write) encodes the key once.
 */
export function lastUtf8ByteLength(): number {
  return lastUtf8Length;
}

/** MD5 of `key`'s UTF-8 bytes (lone surrogates as U+FFFD) into `out` as the state words a, b, c, d. */
export function md5Utf8Words(key: string, out: Uint32Array): Uint32Array {
  const units = key.length;
  if (units > FAST_MAX_UNITS) return md5Utf8Long(key, out);
  // Zeroing 16 int32 words is cheaper than 64 bytes; the padding relies on it.
  FAST_WORDS.fill(0);
  const len = encodeUtf8(key, FAST_BYTES);
  lastUtf8Length = len;
  if (len > SINGLE_BLOCK_MAX_BYTES || !IS_LITTLE_ENDIAN) return md5Core(FAST_BYTES, len, out);
  FAST_BYTES[len] = 0x80;
  FAST_WORDS[14] = len << 3;

  const x0 = FAST_WORDS[0]!;
  const x1 = FAST_WORDS[1]!;
  const x2 = FAST_WORDS[2]!;
  const x3 = FAST_WORDS[3]!;
  const x4 = FAST_WORDS[4]!;
  const x5 = FAST_WORDS[5]!;
  const x6 = FAST_WORDS[6]!;
  const x7 = FAST_WORDS[7]!;
  const x8 = FAST_WORDS[8]!;
  const x9 = FAST_WORDS[9]!;
  const x10 = FAST_WORDS[10]!;
  const x11 = FAST_WORDS[11]!;
  const x12 = FAST_WORDS[12]!;
  const x13 = FAST_WORDS[13]!;
  const x14 = FAST_WORDS[14]!;
  const x15 = FAST_WORDS[15]!;
  let a = INIT_A;
  let b = INIT_B;
  let c = INIT_C;
  let d = INIT_D;
  // Each step: a = b + ((a + f(b, c, d) + x[g] + K[i]) <<< s), with K[i] = floor(|sin(i + 1)| * 2^32) as int32.
  // round 1
  a = (a + (d ^ (b & (c ^ d))) + x0 + -680876936) | 0;
  a = (((a << 7) | (a >>> 25)) + b) | 0;
  d = (d + (c ^ (a & (b ^ c))) + x1 + -389564586) | 0;
  d = (((d << 12) | (d >>> 20)) + a) | 0;
  c = (c + (b ^ (d & (a ^ b))) + x2 + 606105819) | 0;
  c = (((c << 17) | (c >>> 15)) + d) | 0;
  b = (b + (a ^ (c & (d ^ a))) + x3 + -1044525330) | 0;
  b = (((b << 22) | (b >>> 10)) + c) | 0;
  a = (a + (d ^ (b & (c ^ d))) + x4 + -176418897) | 0;
  a = (((a << 7) | (a >>> 25)) + b) | 0;
  d = (d + (c ^ (a & (b ^ c))) + x5 + 1200080426) | 0;
  d = (((d << 12) | (d >>> 20)) + a) | 0;
  c = (c + (b ^ (d & (a ^ b))) + x6 + -1473231341) | 0;
  c = (((c << 17) | (c >>> 15)) + d) | 0;
  b = (b + (a ^ (c & (d ^ a))) + x7 + -45705983) | 0;
  b = (((b << 22) | (b >>> 10)) + c) | 0;
  a = (a + (d ^ (b & (c ^ d))) + x8 + 1770035416) | 0;
  a = (((a << 7) | (a >>> 25)) + b) | 0;
  d = (d + (c ^ (a & (b ^ c))) + x9 + -1958414417) | 0;
  d = (((d << 12) | (d >>> 20)) + a) | 0;
  c = (c + (b ^ (d & (a ^ b))) + x10 + -42063) | 0;
  c = (((c << 17) | (c >>> 15)) + d) | 0;
  b = (b + (a ^ (c & (d ^ a))) + x11 + -1990404162) | 0;
  b = (((b << 22) | (b >>> 10)) + c) | 0;
  a = (a + (d ^ (b & (c ^ d))) + x12 + 1804603682) | 0;
  a = (((a << 7) | (a >>> 25)) + b) | 0;
  d = (d + (c ^ (a & (b ^ c))) + x13 + -40341101) | 0;
  d = (((d << 12) | (d >>> 20)) + a) | 0;
  c = (c + (b ^ (d & (a ^ b))) + x14 + -1502002290) | 0;
  c = (((c << 17) | (c >>> 15)) + d) | 0;
  b = (b + (a ^ (c & (d ^ a))) + x15 + 1236535329) | 0;
  b = (((b << 22) | (b >>> 10)) + c) | 0;
  // round 2
  a = (a + (c ^ (d & (b ^ c))) + x1 + -165796510) | 0;
  a = (((a << 5) | (a >>> 27)) + b) | 0;
  d = (d + (b ^ (c & (a ^ b))) + x6 + -1069501632) | 0;
  d = (((d << 9) | (d >>> 23)) + a) | 0;
  c = (c + (a ^ (b & (d ^ a))) + x11 + 643717713) | 0;
  c = (((c << 14) | (c >>> 18)) + d) | 0;
  b = (b + (d ^ (a & (c ^ d))) + x0 + -373897302) | 0;
  b = (((b << 20) | (b >>> 12)) + c) | 0;
  a = (a + (c ^ (d & (b ^ c))) + x5 + -701558691) | 0;
  a = (((a << 5) | (a >>> 27)) + b) | 0;
  d = (d + (b ^ (c & (a ^ b))) + x10 + 38016083) | 0;
  d = (((d << 9) | (d >>> 23)) + a) | 0;
  c = (c + (a ^ (b & (d ^ a))) + x15 + -660478335) | 0;
  c = (((c << 14) | (c >>> 18)) + d) | 0;
  b = (b + (d ^ (a & (c ^ d))) + x4 + -405537848) | 0;
  b = (((b << 20) | (b >>> 12)) + c) | 0;
  a = (a + (c ^ (d & (b ^ c))) + x9 + 568446438) | 0;
  a = (((a << 5) | (a >>> 27)) + b) | 0;
  d = (d + (b ^ (c & (a ^ b))) + x14 + -1019803690) | 0;
  d = (((d << 9) | (d >>> 23)) + a) | 0;
  c = (c + (a ^ (b & (d ^ a))) + x3 + -187363961) | 0;
  c = (((c << 14) | (c >>> 18)) + d) | 0;
  b = (b + (d ^ (a & (c ^ d))) + x8 + 1163531501) | 0;
  b = (((b << 20) | (b >>> 12)) + c) | 0;
  a = (a + (c ^ (d & (b ^ c))) + x13 + -1444681467) | 0;
  a = (((a << 5) | (a >>> 27)) + b) | 0;
  d = (d + (b ^ (c & (a ^ b))) + x2 + -51403784) | 0;
  d = (((d << 9) | (d >>> 23)) + a) | 0;
  c = (c + (a ^ (b & (d ^ a))) + x7 + 1735328473) | 0;
  c = (((c << 14) | (c >>> 18)) + d) | 0;
  b = (b + (d ^ (a & (c ^ d))) + x12 + -1926607734) | 0;
  b = (((b << 20) | (b >>> 12)) + c) | 0;
  // round 3
  a = (a + (b ^ c ^ d) + x5 + -378558) | 0;
  a = (((a << 4) | (a >>> 28)) + b) | 0;
  d = (d + (a ^ b ^ c) + x8 + -2022574463) | 0;
  d = (((d << 11) | (d >>> 21)) + a) | 0;
  c = (c + (d ^ a ^ b) + x11 + 1839030562) | 0;
  c = (((c << 16) | (c >>> 16)) + d) | 0;
  b = (b + (c ^ d ^ a) + x14 + -35309556) | 0;
  b = (((b << 23) | (b >>> 9)) + c) | 0;
  a = (a + (b ^ c ^ d) + x1 + -1530992060) | 0;
  a = (((a << 4) | (a >>> 28)) + b) | 0;
  d = (d + (a ^ b ^ c) + x4 + 1272893353) | 0;
  d = (((d << 11) | (d >>> 21)) + a) | 0;
  c = (c + (d ^ a ^ b) + x7 + -155497632) | 0;
  c = (((c << 16) | (c >>> 16)) + d) | 0;
  b = (b + (c ^ d ^ a) + x10 + -1094730640) | 0;
  b = (((b << 23) | (b >>> 9)) + c) | 0;
  a = (a + (b ^ c ^ d) + x13 + 681279174) | 0;
  a = (((a << 4) | (a >>> 28)) + b) | 0;
  d = (d + (a ^ b ^ c) + x0 + -358537222) | 0;
  d = (((d << 11) | (d >>> 21)) + a) | 0;
  c = (c + (d ^ a ^ b) + x3 + -722521979) | 0;
  c = (((c << 16) | (c >>> 16)) + d) | 0;
  b = (b + (c ^ d ^ a) + x6 + 76029189) | 0;
  b = (((b << 23) | (b >>> 9)) + c) | 0;
  a = (a + (b ^ c ^ d) + x9 + -640364487) | 0;
  a = (((a << 4) | (a >>> 28)) + b) | 0;
  d = (d + (a ^ b ^ c) + x12 + -421815835) | 0;
  d = (((d << 11) | (d >>> 21)) + a) | 0;
  c = (c + (d ^ a ^ b) + x15 + 530742520) | 0;
  c = (((c << 16) | (c >>> 16)) + d) | 0;
  b = (b + (c ^ d ^ a) + x2 + -995338651) | 0;
  b = (((b << 23) | (b >>> 9)) + c) | 0;
  // round 4
  a = (a + (c ^ (b | ~d)) + x0 + -198630844) | 0;
  a = (((a << 6) | (a >>> 26)) + b) | 0;
  d = (d + (b ^ (a | ~c)) + x7 + 1126891415) | 0;
  d = (((d << 10) | (d >>> 22)) + a) | 0;
  c = (c + (a ^ (d | ~b)) + x14 + -1416354905) | 0;
  c = (((c << 15) | (c >>> 17)) + d) | 0;
  b = (b + (d ^ (c | ~a)) + x5 + -57434055) | 0;
  b = (((b << 21) | (b >>> 11)) + c) | 0;
  a = (a + (c ^ (b | ~d)) + x12 + 1700485571) | 0;
  a = (((a << 6) | (a >>> 26)) + b) | 0;
  d = (d + (b ^ (a | ~c)) + x3 + -1894986606) | 0;
  d = (((d << 10) | (d >>> 22)) + a) | 0;
  c = (c + (a ^ (d | ~b)) + x10 + -1051523) | 0;
  c = (((c << 15) | (c >>> 17)) + d) | 0;
  b = (b + (d ^ (c | ~a)) + x1 + -2054922799) | 0;
  b = (((b << 21) | (b >>> 11)) + c) | 0;
  a = (a + (c ^ (b | ~d)) + x8 + 1873313359) | 0;
  a = (((a << 6) | (a >>> 26)) + b) | 0;
  d = (d + (b ^ (a | ~c)) + x15 + -30611744) | 0;
  d = (((d << 10) | (d >>> 22)) + a) | 0;
  c = (c + (a ^ (d | ~b)) + x6 + -1560198380) | 0;
  c = (((c << 15) | (c >>> 17)) + d) | 0;
  b = (b + (d ^ (c | ~a)) + x13 + 1309151649) | 0;
  b = (((b << 21) | (b >>> 11)) + c) | 0;
  a = (a + (c ^ (b | ~d)) + x4 + -145523070) | 0;
  a = (((a << 6) | (a >>> 26)) + b) | 0;
  d = (d + (b ^ (a | ~c)) + x11 + -1120210379) | 0;
  d = (((d << 10) | (d >>> 22)) + a) | 0;
  c = (c + (a ^ (d | ~b)) + x2 + 718787259) | 0;
  c = (((c << 15) | (c >>> 17)) + d) | 0;
  b = (b + (d ^ (c | ~a)) + x9 + -343485551) | 0;
  b = (((b << 21) | (b >>> 11)) + c) | 0;

  out[0] = a + INIT_A;
  out[1] = b + INIT_B;
  out[2] = c + INIT_C;
  out[3] = d + INIT_D;
  return out;
}

/** MD5 of raw bytes into `out` as the state words a, b, c, d (any length). */
export function md5Bytes(bytes: Uint8Array, out: Uint32Array): Uint32Array {
  return md5Core(bytes, bytes.length, out);
}

const HEX_WORDS = new Uint32Array(4);
const HEX_BYTE: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex MD5 digest of `key`'s UTF-8 bytes, as `md5sum` prints it (for display, not hot). */
export function md5Hex(key: string): string {
  md5Utf8Words(key, HEX_WORDS);
  let hex = '';
  for (let i = 0; i < 4; i++) {
    const w = HEX_WORDS[i]!;
    // Digest bytes are each state word little-endian.
    hex +=
      HEX_BYTE[w & 0xff]! + HEX_BYTE[(w >>> 8) & 0xff]! + HEX_BYTE[(w >>> 16) & 0xff]! + HEX_BYTE[w >>> 24]!;
  }
  return hex;
}

/** UTF-8 byte length of `key` without encoding it (a lone surrogate counts 3 bytes, as U+FFFD). */
export function utf8ByteLength(key: string): number {
  const units = key.length;
  let bytes = units;
  for (let i = 0; i < units; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      bytes += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < units && (key.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: 2 units, 4 bytes.
      bytes += 2;
      i++;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

/**
 * Writes `key` as UTF-8 into `dst` from offset 0 and returns the byte count. The caller guarantees
 * room for 3 bytes per UTF-16 unit. Lone surrogates become U+FFFD (EF BF BD), as TextEncoder does.
 */
export function encodeUtf8(key: string, dst: Uint8Array): number {
  const units = key.length;
  let p = 0;
  for (let i = 0; i < units; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x80) {
      dst[p++] = c;
    } else if (c < 0x800) {
      dst[p++] = 0xc0 | (c >> 6);
      dst[p++] = 0x80 | (c & 0x3f);
    } else if ((c & 0xf800) !== 0xd800) {
      dst[p++] = 0xe0 | (c >> 12);
      dst[p++] = 0x80 | ((c >> 6) & 0x3f);
      dst[p++] = 0x80 | (c & 0x3f);
    } else {
      const next = i + 1 < units ? key.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && (next & 0xfc00) === 0xdc00) {
        const cp = 0x10000 + ((c & 0x3ff) << 10) + (next & 0x3ff);
        i++;
        dst[p++] = 0xf0 | (cp >> 18);
        dst[p++] = 0x80 | ((cp >> 12) & 0x3f);
        dst[p++] = 0x80 | ((cp >> 6) & 0x3f);
        dst[p++] = 0x80 | (cp & 0x3f);
      } else {
        // Lone surrogate → U+FFFD.
        dst[p++] = 0xef;
        dst[p++] = 0xbf;
        dst[p++] = 0xbd;
      }
    }
  }
  return p;
}

/** Keys longer than the fast path allows: encode into the growable scratch, then hash it. */
function md5Utf8Long(key: string, out: Uint32Array): Uint32Array {
  const need = key.length * 3;
  if (longBytes.length < need) longBytes = new Uint8Array(Math.max(need, longBytes.length * 2));
  lastUtf8Length = encodeUtf8(key, longBytes);
  return md5Core(longBytes, lastUtf8Length, out);
}

/** General MD5 of `bytes[0, len)`: full blocks straight from the input, then the padded tail. */
function md5Core(bytes: Uint8Array, len: number, out: Uint32Array): Uint32Array {
  STATE[0] = INIT_A;
  STATE[1] = INIT_B;
  STATE[2] = INIT_C;
  STATE[3] = INIT_D;
  const full = len - (len % 64);
  for (let o = 0; o < full; o += 64) {
    loadBlock(bytes, o);
    compress(STATE, BLOCK);
  }
  const rest = len - full;
  TAIL.fill(0);
  for (let i = 0; i < rest; i++) TAIL[i] = bytes[full + i]!;
  TAIL[rest] = 0x80;
  // The bit length goes in the last 8 bytes of the final block, little-endian; it may exceed 2^32.
  const end = rest <= SINGLE_BLOCK_MAX_BYTES ? 64 : 128;
  const bitsLow = (len * 8) >>> 0;
  const bitsHigh = Math.floor(len / 0x20000000) >>> 0;
  for (let i = 0; i < 4; i++) {
    TAIL[end - 8 + i] = bitsLow >>> (8 * i);
    TAIL[end - 4 + i] = bitsHigh >>> (8 * i);
  }
  for (let o = 0; o < end; o += 64) {
    loadBlock(TAIL, o);
    compress(STATE, BLOCK);
  }
  out[0] = STATE[0]!;
  out[1] = STATE[1]!;
  out[2] = STATE[2]!;
  out[3] = STATE[3]!;
  return out;
}

/** Reads 64 bytes at `o` into BLOCK as little-endian words, whatever the host byte order. */
function loadBlock(bytes: Uint8Array, o: number): void {
  for (let i = 0; i < 16; i++, o += 4) {
    BLOCK[i] = bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24);
  }
}

/** One MD5 compression of the block `x` into the chaining state `h` (same steps as the fast path). */
function compress(h: Int32Array, x: Int32Array): void {
  const x0 = x[0]!;
  const x1 = x[1]!;
  const x2 = x[2]!;
  const x3 = x[3]!;
  const x4 = x[4]!;
  const x5 = x[5]!;
  const x6 = x[6]!;
  const x7 = x[7]!;
  const x8 = x[8]!;
  const x9 = x[9]!;
  const x10 = x[10]!;
  const x11 = x[11]!;
  const x12 = x[12]!;
  const x13 = x[13]!;
  const x14 = x[14]!;
  const x15 = x[15]!;
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  // round 1
  a = (a + (d ^ (b & (c ^ d))) + x0 + -680876936) | 0;
  a = (((a << 7) | (a >>> 25)) + b) | 0;
  d = (d + (c ^ (a & (b ^ c))) + x1 + -389564586) | 0;
  d = (((d << 12) | (d >>> 20)) + a) | 0;
  c = (c + (b ^ (d & (a ^ b))) + x2 + 606105819) | 0;
  c = (((c << 17) | (c >>> 15)) + d) | 0;
  b = (b + (a ^ (c & (d ^ a))) + x3 + -1044525330) | 0;
  b = (((b << 22) | (b >>> 10)) + c) | 0;
  a = (a + (d ^ (b & (c ^ d))) + x4 + -176418897) | 0;
  a = (((a << 7) | (a >>> 25)) + b) | 0;
  d = (d + (c ^ (a & (b ^ c))) + x5 + 1200080426) | 0;
  d = (((d << 12) | (d >>> 20)) + a) | 0;
  c = (c + (b ^ (d & (a ^ b))) + x6 + -1473231341) | 0;
  c = (((c << 17) | (c >>> 15)) + d) | 0;
  b = (b + (a ^ (c & (d ^ a))) + x7 + -45705983) | 0;
  b = (((b << 22) | (b >>> 10)) + c) | 0;
  a = (a + (d ^ (b & (c ^ d))) + x8 + 1770035416) | 0;
  a = (((a << 7) | (a >>> 25)) + b) | 0;
  d = (d + (c ^ (a & (b ^ c))) + x9 + -1958414417) | 0;
  d = (((d << 12) | (d >>> 20)) + a) | 0;
  c = (c + (b ^ (d & (a ^ b))) + x10 + -42063) | 0;
  c = (((c << 17) | (c >>> 15)) + d) | 0;
  b = (b + (a ^ (c & (d ^ a))) + x11 + -1990404162) | 0;
  b = (((b << 22) | (b >>> 10)) + c) | 0;
  a = (a + (d ^ (b & (c ^ d))) + x12 + 1804603682) | 0;
  a = (((a << 7) | (a >>> 25)) + b) | 0;
  d = (d + (c ^ (a & (b ^ c))) + x13 + -40341101) | 0;
  d = (((d << 12) | (d >>> 20)) + a) | 0;
  c = (c + (b ^ (d & (a ^ b))) + x14 + -1502002290) | 0;
  c = (((c << 17) | (c >>> 15)) + d) | 0;
  b = (b + (a ^ (c & (d ^ a))) + x15 + 1236535329) | 0;
  b = (((b << 22) | (b >>> 10)) + c) | 0;
  // round 2
  a = (a + (c ^ (d & (b ^ c))) + x1 + -165796510) | 0;
  a = (((a << 5) | (a >>> 27)) + b) | 0;
  d = (d + (b ^ (c & (a ^ b))) + x6 + -1069501632) | 0;
  d = (((d << 9) | (d >>> 23)) + a) | 0;
  c = (c + (a ^ (b & (d ^ a))) + x11 + 643717713) | 0;
  c = (((c << 14) | (c >>> 18)) + d) | 0;
  b = (b + (d ^ (a & (c ^ d))) + x0 + -373897302) | 0;
  b = (((b << 20) | (b >>> 12)) + c) | 0;
  a = (a + (c ^ (d & (b ^ c))) + x5 + -701558691) | 0;
  a = (((a << 5) | (a >>> 27)) + b) | 0;
  d = (d + (b ^ (c & (a ^ b))) + x10 + 38016083) | 0;
  d = (((d << 9) | (d >>> 23)) + a) | 0;
  c = (c + (a ^ (b & (d ^ a))) + x15 + -660478335) | 0;
  c = (((c << 14) | (c >>> 18)) + d) | 0;
  b = (b + (d ^ (a & (c ^ d))) + x4 + -405537848) | 0;
  b = (((b << 20) | (b >>> 12)) + c) | 0;
  a = (a + (c ^ (d & (b ^ c))) + x9 + 568446438) | 0;
  a = (((a << 5) | (a >>> 27)) + b) | 0;
  d = (d + (b ^ (c & (a ^ b))) + x14 + -1019803690) | 0;
  d = (((d << 9) | (d >>> 23)) + a) | 0;
  c = (c + (a ^ (b & (d ^ a))) + x3 + -187363961) | 0;
  c = (((c << 14) | (c >>> 18)) + d) | 0;
  b = (b + (d ^ (a & (c ^ d))) + x8 + 1163531501) | 0;
  b = (((b << 20) | (b >>> 12)) + c) | 0;
  a = (a + (c ^ (d & (b ^ c))) + x13 + -1444681467) | 0;
  a = (((a << 5) | (a >>> 27)) + b) | 0;
  d = (d + (b ^ (c & (a ^ b))) + x2 + -51403784) | 0;
  d = (((d << 9) | (d >>> 23)) + a) | 0;
  c = (c + (a ^ (b & (d ^ a))) + x7 + 1735328473) | 0;
  c = (((c << 14) | (c >>> 18)) + d) | 0;
  b = (b + (d ^ (a & (c ^ d))) + x12 + -1926607734) | 0;
  b = (((b << 20) | (b >>> 12)) + c) | 0;
  // round 3
  a = (a + (b ^ c ^ d) + x5 + -378558) | 0;
  a = (((a << 4) | (a >>> 28)) + b) | 0;
  d = (d + (a ^ b ^ c) + x8 + -2022574463) | 0;
  d = (((d << 11) | (d >>> 21)) + a) | 0;
  c = (c + (d ^ a ^ b) + x11 + 1839030562) | 0;
  c = (((c << 16) | (c >>> 16)) + d) | 0;
  b = (b + (c ^ d ^ a) + x14 + -35309556) | 0;
  b = (((b << 23) | (b >>> 9)) + c) | 0;
  a = (a + (b ^ c ^ d) + x1 + -1530992060) | 0;
  a = (((a << 4) | (a >>> 28)) + b) | 0;
  d = (d + (a ^ b ^ c) + x4 + 1272893353) | 0;
  d = (((d << 11) | (d >>> 21)) + a) | 0;
  c = (c + (d ^ a ^ b) + x7 + -155497632) | 0;
  c = (((c << 16) | (c >>> 16)) + d) | 0;
  b = (b + (c ^ d ^ a) + x10 + -1094730640) | 0;
  b = (((b << 23) | (b >>> 9)) + c) | 0;
  a = (a + (b ^ c ^ d) + x13 + 681279174) | 0;
  a = (((a << 4) | (a >>> 28)) + b) | 0;
  d = (d + (a ^ b ^ c) + x0 + -358537222) | 0;
  d = (((d << 11) | (d >>> 21)) + a) | 0;
  c = (c + (d ^ a ^ b) + x3 + -722521979) | 0;
  c = (((c << 16) | (c >>> 16)) + d) | 0;
  b = (b + (c ^ d ^ a) + x6 + 76029189) | 0;
  b = (((b << 23) | (b >>> 9)) + c) | 0;
  a = (a + (b ^ c ^ d) + x9 + -640364487) | 0;
  a = (((a << 4) | (a >>> 28)) + b) | 0;
  d = (d + (a ^ b ^ c) + x12 + -421815835) | 0;
  d = (((d << 11) | (d >>> 21)) + a) | 0;
  c = (c + (d ^ a ^ b) + x15 + 530742520) | 0;
  c = (((c << 16) | (c >>> 16)) + d) | 0;
  b = (b + (c ^ d ^ a) + x2 + -995338651) | 0;
  b = (((b << 23) | (b >>> 9)) + c) | 0;
  // round 4
  a = (a + (c ^ (b | ~d)) + x0 + -198630844) | 0;
  a = (((a << 6) | (a >>> 26)) + b) | 0;
  d = (d + (b ^ (a | ~c)) + x7 + 1126891415) | 0;
  d = (((d << 10) | (d >>> 22)) + a) | 0;
  c = (c + (a ^ (d | ~b)) + x14 + -1416354905) | 0;
  c = (((c << 15) | (c >>> 17)) + d) | 0;
  b = (b + (d ^ (c | ~a)) + x5 + -57434055) | 0;
  b = (((b << 21) | (b >>> 11)) + c) | 0;
  a = (a + (c ^ (b | ~d)) + x12 + 1700485571) | 0;
  a = (((a << 6) | (a >>> 26)) + b) | 0;
  d = (d + (b ^ (a | ~c)) + x3 + -1894986606) | 0;
  d = (((d << 10) | (d >>> 22)) + a) | 0;
  c = (c + (a ^ (d | ~b)) + x10 + -1051523) | 0;
  c = (((c << 15) | (c >>> 17)) + d) | 0;
  b = (b + (d ^ (c | ~a)) + x1 + -2054922799) | 0;
  b = (((b << 21) | (b >>> 11)) + c) | 0;
  a = (a + (c ^ (b | ~d)) + x8 + 1873313359) | 0;
  a = (((a << 6) | (a >>> 26)) + b) | 0;
  d = (d + (b ^ (a | ~c)) + x15 + -30611744) | 0;
  d = (((d << 10) | (d >>> 22)) + a) | 0;
  c = (c + (a ^ (d | ~b)) + x6 + -1560198380) | 0;
  c = (((c << 15) | (c >>> 17)) + d) | 0;
  b = (b + (d ^ (c | ~a)) + x13 + 1309151649) | 0;
  b = (((b << 21) | (b >>> 11)) + c) | 0;
  a = (a + (c ^ (b | ~d)) + x4 + -145523070) | 0;
  a = (((a << 6) | (a >>> 26)) + b) | 0;
  d = (d + (b ^ (a | ~c)) + x11 + -1120210379) | 0;
  d = (((d << 10) | (d >>> 22)) + a) | 0;
  c = (c + (a ^ (d | ~b)) + x2 + 718787259) | 0;
  c = (((c << 15) | (c >>> 17)) + d) | 0;
  b = (b + (d ^ (c | ~a)) + x9 + -343485551) | 0;
  b = (((b << 21) | (b >>> 11)) + c) | 0;

  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
}
