// @vitest-environment node
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compareHashKeys,
  createStreamHashRanges,
  HASH_SPACE,
  hashKeyFraction,
  hashKeyFromBigInt,
  hashKeyFromDecimal,
  hashKeyOfPartitionKey,
  hashKeyToBigInt,
  hashKeyToDecimal,
  MAX_HASH_KEY,
  ShardLocator,
} from './hashKey';

const TEXT_ENCODER = new TextEncoder();
/** UTF-8 bytes of a string (lone surrogates become U+FFFD), the reference encoding. */
function utf8(s: string): Uint8Array {
  return TEXT_ENCODER.encode(s);
}

interface PartitionKeyVector {
  PartitionKey: string;
  hashKey: string;
  shardIndex: Record<string, number>;
}
type HashRangeVectors = Record<
  string,
  Array<{ ShardId: string; StartingHashKey: string; EndingHashKey: string }>
>;

// Reference values computed with Python (fixtures/make-vectors.py), read from ./fixtures beside this file.
function readVectors<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
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

function random128(rng: () => number): bigint {
  return (BigInt(rng()) << 96n) | (BigInt(rng()) << 64n) | (BigInt(rng()) << 32n) | BigInt(rng());
}

function wordsOf(v: bigint): Uint32Array {
  const out = new Uint32Array(4);
  hashKeyFromBigInt(v, out);
  return out;
}

/** The partition key's hash key the way kinesalite computes it: BigInt('0x' + md5 hex). */
function referenceHashKey(key: string): bigint {
  return BigInt(`0x${createHash('md5').update(utf8(key)).digest('hex')}`);
}

function locatorFor(shardCount: number): ShardLocator {
  return new ShardLocator(createStreamHashRanges(shardCount));
}

describe('hashKeyOfPartitionKey', () => {
  // kinesis-model.md §1.
  it.each([
    ['a', '16955237001963240173058271559858726497', 0, 0],
    ['b', '195289424170611159128911017612795795343', 1, 2],
    ['c', '99079589977253916124855502156832923443', 0, 1],
    ['hello', '123957004363873451094272536567338222994', 1, 1],
    ['ключ', '259726384039714788407059515981389908711', 2, 3],
    ['😀', '55842721998748738903166261021950683062', 0, 0],
  ] as const)('%s → %s, shard %i of 3, shard %i of 4', (key, decimal, shardOf3, shardOf4) => {
    const words = hashKeyOfPartitionKey(key, new Uint32Array(4));
    expect(hashKeyToDecimal(words)).toBe(decimal);
    expect(locatorFor(3).locate(words, 0)).toBe(shardOf3);
    expect(locatorFor(4).locate(words, 0)).toBe(shardOf4);
  });

  it('matches every key in fixtures/partition-keys.json, for every shard count', () => {
    const vectors = readVectors<PartitionKeyVector[]>('partition-keys.json');
    expect(vectors.length).toBeGreaterThan(100);
    const locators = new Map<string, ShardLocator>();
    const words = new Uint32Array(4);
    let checked = 0;
    for (const v of vectors) {
      hashKeyOfPartitionKey(v.PartitionKey, words);
      expect(hashKeyToDecimal(words), JSON.stringify(v.PartitionKey)).toBe(v.hashKey);
      for (const [count, shard] of Object.entries(v.shardIndex)) {
        let locator = locators.get(count);
        if (!locator) {
          locator = locatorFor(Number(count));
          locators.set(count, locator);
        }
        expect(locator.locate(words, 0), `${JSON.stringify(v.PartitionKey)} with ${count} shards`).toBe(
          shard,
        );
        expect(locator.locateBigInt(BigInt(v.hashKey))).toBe(shard);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('matches BigInt("0x" + md5 hex) on random keys, including long and non-ASCII ones', () => {
    const rng = makeRng(3);
    const alphabet = ['a', 'Z', '0', '-', 'é', 'ж', '中', '😀', '\ud800'];
    const words = new Uint32Array(4);
    for (let i = 0; i < 5_000; i++) {
      let key = '';
      const units = rng() % 260;
      while (key.length < units) key += alphabet[rng() % alphabet.length];
      expect(hashKeyToBigInt(hashKeyOfPartitionKey(key, words))).toBe(referenceHashKey(key));
    }
  });

  it('writes into the given array and returns it', () => {
    const out = new Uint32Array(4);
    expect(hashKeyOfPartitionKey('x', out)).toBe(out);
  });
});

describe('createStreamHashRanges', () => {
  it('matches every N in fixtures/hash-ranges.json', () => {
    const vectors = readVectors<HashRangeVectors>('hash-ranges.json');
    expect(Object.keys(vectors).length).toBeGreaterThan(3);
    for (const [n, shards] of Object.entries(vectors)) {
      const ranges = createStreamHashRanges(Number(n));
      expect(
        ranges.map((r) => [r.start.toString(), r.end.toString()]),
        `N=${n}`,
      ).toEqual(shards.map((s) => [s.StartingHashKey, s.EndingHashKey]));
    }
  });

  it('gives the whole remainder to the last shard and tiles the space', () => {
    for (const n of [1, 2, 3, 7, 10, 999, 10_000]) {
      const ranges = createStreamHashRanges(n);
      const width = HASH_SPACE / BigInt(n);
      expect(ranges).toHaveLength(n);
      expect(ranges[0]?.start).toBe(0n);
      expect(ranges.at(-1)?.end).toBe(MAX_HASH_KEY);
      expect(ranges.at(-1)?.start).toBe(width * BigInt(n - 1));
      for (let i = 1; i < n; i++) expect(ranges[i]?.start).toBe((ranges[i - 1]?.end ?? -1n) + 1n);
    }
  });

  it('rejects shard counts that are not positive integers', () => {
    for (const n of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createStreamHashRanges(n)).toThrow(RangeError);
    }
  });
});

describe('decimal and BigInt conversion', () => {
  it('round-trips 0, 1, 2^32, 2^64, 2^96, 2^127, 2^128 − 1 and random keys', () => {
    const rng = makeRng(11);
    const values = [0n, 1n, 1n << 32n, (1n << 32n) - 1n, 1n << 64n, 1n << 96n, 1n << 127n, MAX_HASH_KEY];
    for (let i = 0; i < 2_000; i++) values.push(random128(rng) >> BigInt(rng() % 128));
    const words = new Uint32Array(12);
    for (const v of values) {
      const s = v.toString();
      expect(hashKeyFromDecimal(s, words, 4)).toBe(true);
      expect(hashKeyToDecimal(words, 4)).toBe(s);
      expect(hashKeyToBigInt(words, 4)).toBe(v);
      hashKeyFromBigInt(v, words, 8);
      expect(compareHashKeys(words, 4, words, 8)).toBe(0);
    }
    expect(Array.from(wordsOf(MAX_HASH_KEY))).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
    expect(Array.from(wordsOf((1n << 96n) + 2n))).toEqual([1, 0, 0, 2]);
  });

  it('rejects non-canonical decimals and values ≥ 2^128, leaving the output untouched', () => {
    const out = new Uint32Array([1, 2, 3, 4]);
    const rejected = [
      HASH_SPACE.toString(),
      (HASH_SPACE + 1n).toString(),
      '9'.repeat(39),
      `1${'0'.repeat(39)}`,
      '9'.repeat(40),
      '01',
      '00',
      '',
      '-1',
      '-0',
      '+1',
      ' 1',
      '1 ',
      '1.0',
      '1e3',
      '0x10',
      '１',
    ];
    for (const s of rejected) {
      expect(hashKeyFromDecimal(s, out), JSON.stringify(s)).toBe(false);
    }
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    expect(hashKeyFromDecimal(MAX_HASH_KEY.toString(), out)).toBe(true);
    expect(hashKeyFromDecimal('0', out)).toBe(true);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });

  it('hashKeyFromBigInt throws RangeError outside [0, 2^128 − 1]', () => {
    const out = new Uint32Array(4);
    expect(() => hashKeyFromBigInt(-1n, out)).toThrow(RangeError);
    expect(() => hashKeyFromBigInt(HASH_SPACE, out)).toThrow(RangeError);
  });

  it('has the right constants', () => {
    expect(MAX_HASH_KEY.toString()).toBe('340282366920938463463374607431768211455');
    expect(HASH_SPACE).toBe(MAX_HASH_KEY + 1n);
  });
});

describe('compareHashKeys', () => {
  it('orders like BigInt, at any word offsets', () => {
    const rng = makeRng(17);
    const buf = new Uint32Array(16);
    for (let i = 0; i < 5_000; i++) {
      const x = random128(rng);
      // Often share leading words so every word position decides some comparisons.
      const y =
        rng() % 2 === 0
          ? x ^ (BigInt(rng() % 4 === 0 ? 0 : rng()) << BigInt(32 * (rng() % 4)))
          : random128(rng);
      hashKeyFromBigInt(x, buf, 4);
      hashKeyFromBigInt(y, buf, 12);
      const expected = x < y ? -1 : x > y ? 1 : 0;
      expect(compareHashKeys(buf, 4, buf, 12)).toBe(expected);
      expect(compareHashKeys(buf, 12, buf, 4)).toBe(0 - expected);
    }
  });
});

describe('hashKeyFraction', () => {
  it('maps the key space onto [0, 1) from the top 53 bits', () => {
    expect(hashKeyFraction(wordsOf(0n))).toBe(0);
    expect(hashKeyFraction(wordsOf(1n << 127n))).toBe(0.5);
    expect(hashKeyFraction(wordsOf(1n << 126n))).toBe(0.25);
    expect(hashKeyFraction(wordsOf(MAX_HASH_KEY))).toBe(1 - 2 ** -53);
    expect(hashKeyFraction(wordsOf(MAX_HASH_KEY))).toBeLessThan(1);
    const words = new Uint32Array(8);
    hashKeyFromBigInt(3n << 125n, words, 4);
    expect(hashKeyFraction(words, 4)).toBe(0.375);
    const rng = makeRng(23);
    for (let i = 0; i < 1_000; i++) {
      const v = random128(rng);
      expect(hashKeyFraction(wordsOf(v))).toBe(Number(v >> 75n) / 2 ** 53);
    }
  });
});

describe('ShardLocator', () => {
  /** Brute force: the first range whose end is ≥ h. */
  function linearLocate(ranges: ReadonlyArray<{ start: bigint; end: bigint }>, h: bigint): number {
    for (let i = 0; i < ranges.length; i++) if (h <= (ranges[i]?.end ?? -1n)) return i;
    return -1;
  }

  /** Random split points: uniform, bucket-aligned (k·2^112 and neighbours), and clustered in one bucket. */
  function randomRanges(rng: () => number, count: number): Array<{ start: bigint; end: bigint }> {
    const starts = new Set<bigint>([0n]);
    const clusterBase = random128(rng) & ~((1n << 112n) - 1n);
    while (starts.size < count) {
      const kind = rng() % 5;
      let s: bigint;
      if (kind <= 1) s = random128(rng);
      else if (kind === 2) s = (BigInt(rng() & 0xffff) << 112n) + BigInt((rng() % 3) - 1);
      else if (kind === 3) s = clusterBase + (random128(rng) >> BigInt(16 + (rng() % 112)));
      else s = random128(rng) >> BigInt(rng() % 128);
      if (s > 0n && s <= MAX_HASH_KEY) starts.add(s);
    }
    const sorted = [...starts].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    return sorted.map((start, i) => ({
      start,
      end: i + 1 < sorted.length ? (sorted[i + 1] ?? 0n) - 1n : MAX_HASH_KEY,
    }));
  }

  it('agrees with a linear search on random ranges (1..1000) and keys, including every boundary', () => {
    const rng = makeRng(31);
    const words = new Uint32Array(4 * 8);
    const counts = [1, 2, 3, 1000, 999];
    for (let t = 0; t < 25; t++) counts.push(1 + (rng() % 1000));
    let checked = 0;
    for (const count of counts) {
      const ranges = randomRanges(rng, count);
      const locator = new ShardLocator(ranges);
      expect(locator.count).toBe(count);
      const check = (h: bigint, expected: number): void => {
        // Use a varying word offset inside a larger array.
        const offset = 4 * (checked % 8);
        hashKeyFromBigInt(h, words, offset);
        const got = locator.locate(words, offset);
        if (got !== expected) expect(got, `key ${h} with ${count} ranges`).toBe(expected);
        checked++;
      };
      // Every range boundary and its neighbours: the answer is known without searching.
      ranges.forEach((r, i) => {
        check(r.start, i);
        check(r.end, i);
        if (r.start > 0n) check(r.start - 1n, i - 1);
        if (r.end < MAX_HASH_KEY) check(r.end + 1n, i + 1);
        if (r.end > r.start) check(r.start + (r.end - r.start) / 2n, i);
      });
      // Random keys, every bucket edge near random points, against the brute force.
      for (let k = 0; k < 300; k++) {
        const h = random128(rng);
        check(h, linearLocate(ranges, h));
        const bucketEdge = h & ~((1n << 112n) - 1n);
        check(bucketEdge, linearLocate(ranges, bucketEdge));
        if (bucketEdge > 0n) check(bucketEdge - 1n, linearLocate(ranges, bucketEdge - 1n));
      }
      expect(locator.locateBigInt(0n)).toBe(0);
      expect(locator.locateBigInt(MAX_HASH_KEY)).toBe(count - 1);
    }
    expect(checked).toBeGreaterThan(50_000);
  });

  it('routes like floor(h / w), capped at N − 1, for CreateStream ranges', () => {
    const rng = makeRng(37);
    const words = new Uint32Array(4);
    for (const n of [1, 2, 3, 5, 16, 100, 500, 4096, 65_536, 100_000]) {
      const locator = locatorFor(n);
      const width = HASH_SPACE / BigInt(n);
      for (let k = 0; k < 2_000; k++) {
        const h = random128(rng);
        hashKeyFromBigInt(h, words);
        const expected = Math.min(Number(h / width), n - 1);
        const got = locator.locate(words, 0);
        if (got !== expected) expect(got, `key ${h} with ${n} shards`).toBe(expected);
      }
    }
  });

  it('rejects ranges that do not tile [0, 2^128 − 1] exactly', () => {
    const half = 1n << 127n;
    const bad: Array<Array<{ start: bigint; end: bigint }>> = [
      [],
      [{ start: 1n, end: MAX_HASH_KEY }],
      [{ start: 0n, end: MAX_HASH_KEY - 1n }],
      [{ start: 0n, end: HASH_SPACE }],
      [
        { start: 0n, end: half - 1n },
        { start: half + 1n, end: MAX_HASH_KEY },
      ],
      [
        { start: 0n, end: half },
        { start: half, end: MAX_HASH_KEY },
      ],
      [
        { start: half, end: MAX_HASH_KEY },
        { start: 0n, end: half - 1n },
      ],
      [
        { start: 0n, end: -1n },
        { start: 0n, end: MAX_HASH_KEY },
      ],
    ];
    for (const ranges of bad) expect(() => new ShardLocator(ranges)).toThrow(RangeError);
    expect(() => locatorFor(2).locateBigInt(-1n)).toThrow(RangeError);
    expect(() => locatorFor(2).locateBigInt(HASH_SPACE)).toThrow(RangeError);
  });
});
