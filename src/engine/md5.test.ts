// @vitest-environment node
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5Bytes, md5Hex, md5Utf8Words, utf8ByteLength } from './md5';

const TEXT_ENCODER = new TextEncoder();
/** UTF-8 bytes of a string (lone surrogates become U+FFFD), the reference encoding. */
function utf8(s: string): Uint8Array {
  return TEXT_ENCODER.encode(s);
}

/** sfc32: small, fast, seeded; the tests must be reproducible. */
function makeRng(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed | 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

/** Integer in [lo, hi]. */
function intIn(rng: () => number, lo: number, hi: number): number {
  return lo + (rng() % (hi - lo + 1));
}

/** One random piece of a key: ASCII, 2- or 3-byte BMP, an astral pair, or a lone surrogate. */
function randomPiece(rng: () => number, asciiOnly: boolean): string {
  const kind = asciiOnly ? 0 : rng() % 10;
  switch (kind) {
    case 0:
    case 1:
    case 2:
    case 3:
      return String.fromCharCode(intIn(rng, 0, 0x7f));
    case 4:
    case 5:
      return String.fromCharCode(intIn(rng, 0x80, 0x7ff));
    case 6: {
      // 3-byte BMP, avoiding the surrogate block.
      let c = intIn(rng, 0x800, 0xffff - 0x800);
      if (c >= 0xd800) c += 0x800;
      return String.fromCharCode(c);
    }
    case 7:
    case 8:
      return String.fromCodePoint(intIn(rng, 0x10000, 0x10ffff));
    default:
      // Lone high or low surrogate (may still pair up with a neighbour by chance; both are valid tests).
      return String.fromCharCode(intIn(rng, 0xd800, 0xdfff));
  }
}

/** A lone surrogate: a high one not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function randomKey(rng: () => number): string {
  const units = rng() % 5 < 3 ? intIn(rng, 0, 60) : intIn(rng, 0, 300);
  const asciiOnly = rng() % 3 === 0;
  let key = '';
  while (key.length < units) key += randomPiece(rng, asciiOnly);
  // An astral pair may overshoot by one unit; trim, which can leave a lone high surrogate (fine).
  return key.slice(0, units);
}

/** Node's MD5 (strings go through Node's own UTF-8 encoder) as the 4 little-endian state words. */
function referenceWords(input: string | Uint8Array): number[] {
  const hash = createHash('md5');
  const digest = (typeof input === 'string' ? hash.update(input, 'utf8') : hash.update(input)).digest();
  return [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)];
}

function referenceHex(input: string): string {
  return createHash('md5').update(input, 'utf8').digest('hex');
}

const RFC_1321: ReadonlyArray<readonly [string, string]> = [
  ['', 'd41d8cd98f00b204e9800998ecf8427e'],
  ['a', '0cc175b9c0f1b6a831c399e269772661'],
  ['abc', '900150983cd24fb0d6963f7d28e17f72'],
  ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
  ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
  ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
  [
    '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
    '57edf4a22be3c955ac49da2e2107b67a',
  ],
];

describe('md5 — RFC 1321 test suite', () => {
  it.each(RFC_1321)('md5Hex(%j) = %s', (input, hex) => {
    expect(md5Hex(input)).toBe(hex);
  });

  it.each(RFC_1321)('md5Bytes and md5Utf8Words agree on %j', (input, hex) => {
    const fromBytes = md5Bytes(utf8(input), new Uint32Array(4));
    const fromKey = md5Utf8Words(input, new Uint32Array(4));
    expect(Array.from(fromKey)).toEqual(Array.from(fromBytes));
    expect(Array.from(fromKey)).toEqual(referenceWords(input));
    expect(referenceHex(input)).toBe(hex);
  });

  it('returns the state words a, b, c, d whose little-endian bytes are the digest', () => {
    const out = new Uint32Array(4);
    expect(md5Utf8Words('', out)).toBe(out);
    // d41d8cd9 8f00b204 e9800998 ecf8427e, each word read little-endian.
    expect(Array.from(out)).toEqual([0xd98c1dd4, 0x04b2008f, 0x980980e9, 0x7e42f8ec]);
    expect(md5Bytes(new Uint8Array(0), out)).toBe(out);
  });
});

describe('md5Utf8Words against node:crypto', () => {
  it('matches on 100,000 seeded random keys (ASCII, 2/3/4-byte UTF-8, lone surrogates, 0..300 units)', () => {
    const rng = makeRng(20240611);
    const out = new Uint32Array(4);
    const mismatches: string[] = [];
    let nonAscii = 0;
    let lone = 0;
    let multiBlock = 0;
    for (let i = 0; i < 100_000; i++) {
      const key = randomKey(rng);
      const bytes = utf8(key);
      if (bytes.length !== key.length) nonAscii++;
      if (key.search(LONE_SURROGATE) >= 0) lone++;
      if (bytes.length > 55) multiBlock++;
      const ref = referenceWords(key);
      md5Utf8Words(key, out);
      if (out[0] !== ref[0] || out[1] !== ref[1] || out[2] !== ref[2] || out[3] !== ref[3]) {
        if (mismatches.length < 5) mismatches.push(JSON.stringify(key));
      }
      if (utf8ByteLength(key) !== bytes.length && mismatches.length < 5) {
        mismatches.push(`utf8ByteLength ${JSON.stringify(key)}`);
      }
    }
    expect(mismatches).toEqual([]);
    // The generator really exercises all the paths.
    expect(nonAscii).toBeGreaterThan(50_000);
    expect(multiBlock).toBeGreaterThan(20_000);
    expect(lone).toBeGreaterThan(10_000);
  });

  it('matches at exact UTF-8 lengths around the block boundaries, for every kind of last character', () => {
    const tails = ['x', 'é', '中', '😀', '\ud800', '\udfff'];
    const lengths = [
      0, 1, 3, 4, 54, 55, 56, 57, 58, 63, 64, 65, 66, 118, 119, 120, 121, 127, 128, 129, 765, 768, 1000,
    ];
    const out = new Uint32Array(4);
    let checked = 0;
    for (const target of lengths) {
      for (const tail of tails) {
        const tailBytes = utf8(tail).length;
        if (tailBytes > target) continue;
        for (const filler of ['a', 'é', '中']) {
          const fillerBytes = utf8(filler).length;
          const gap = target - tailBytes;
          // Pad with the filler as far as it divides, then with ASCII.
          const key = filler.repeat(Math.floor(gap / fillerBytes)) + 'z'.repeat(gap % fillerBytes) + tail;
          expect(utf8(key).length).toBe(target);
          expect(utf8ByteLength(key)).toBe(target);
          expect(
            Array.from(md5Utf8Words(key, out)),
            `${target} bytes ending ${JSON.stringify(tail)}`,
          ).toEqual(referenceWords(key));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('encodes lone surrogates as U+FFFD, like TextEncoder', () => {
    const out = new Uint32Array(4);
    for (const key of [
      '\ud800',
      '\udc00',
      'a\ud83d',
      '\ude00b',
      '\ude00\ud83d',
      '\ud83d\ud83d\ude00',
      `${'x'.repeat(60)}\udbff`,
    ]) {
      const replaced = Array.from(md5Bytes(utf8(key), new Uint32Array(4)));
      expect(Array.from(md5Utf8Words(key, out))).toEqual(replaced);
      expect(Array.from(md5Utf8Words(key.replace(LONE_SURROGATE, '\ufffd'), out))).toEqual(replaced);
    }
    expect(md5Hex('\ud800')).toBe(md5Hex('\ufffd'));
  });

  it('handles the longest partition keys (256 UTF-16 units, up to 768 bytes) and far longer strings', () => {
    const out = new Uint32Array(4);
    for (const key of [
      'a'.repeat(256),
      'é'.repeat(256),
      '中'.repeat(256),
      '😀'.repeat(128),
      '\ud800'.repeat(256),
      'ж'.repeat(100_000),
    ]) {
      expect(Array.from(md5Utf8Words(key, out))).toEqual(referenceWords(key));
    }
  });

  it('keeps no state between calls (short, long and short again)', () => {
    const out = new Uint32Array(4);
    const first = Array.from(md5Utf8Words('hello', out));
    md5Utf8Words('中'.repeat(200), out);
    md5Utf8Words('é'.repeat(40), out);
    expect(Array.from(md5Utf8Words('hello', out))).toEqual(first);
  });

  it('md5Hex matches node:crypto on random keys', () => {
    const rng = makeRng(7);
    for (let i = 0; i < 2_000; i++) {
      const key = randomKey(rng);
      expect(md5Hex(key)).toBe(referenceHex(key));
    }
  });
});

describe('md5Bytes', () => {
  it('matches node:crypto for every length 0..1100 and for unaligned views', () => {
    const rng = makeRng(99);
    const data = new Uint8Array(1200);
    for (let i = 0; i < data.length; i++) data[i] = rng() & 0xff;
    const out = new Uint32Array(4);
    for (let len = 0; len <= 1100; len++) {
      const offset = len % 7;
      const view = data.subarray(offset, offset + len);
      expect(Array.from(md5Bytes(view, out)), `length ${len}`).toEqual(referenceWords(view));
    }
  });

  it('matches node:crypto on 1 MiB + 3 bytes (bit length beyond 2^23, several thousand blocks)', () => {
    const rng = makeRng(5);
    const data = new Uint8Array((1 << 20) + 3);
    for (let i = 0; i < data.length; i++) data[i] = rng() & 0xff;
    expect(Array.from(md5Bytes(data, new Uint32Array(4)))).toEqual(referenceWords(data));
  });
});

describe('utf8ByteLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['\u07ff', 2],
    ['\u0800', 3],
    ['中', 3],
    ['\uffff', 3],
    ['😀', 4],
    ['\ud800', 3],
    ['\udc00\ud800', 6],
    ['ключ', 8],
  ] as const)('utf8ByteLength(%j) = %i', (key, bytes) => {
    expect(utf8ByteLength(key)).toBe(bytes);
    expect(utf8(key).length).toBe(bytes);
  });
});
