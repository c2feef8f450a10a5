// 128-bit Kinesis hash keys and shard hash ranges.
//
// A hash key is the MD5 digest of the partition key read as an unsigned big-endian 128-bit integer.
// On the hot path it is kept as 4 uint32 words, most significant first (w0, w1, w2, w3), in a
// Uint32Array(4) or at `offset * 4` in a larger Uint32Array: BigInt arithmetic allocates and is far
// too slow for millions of records a second. BigInt is used only for parsing, printing and setup.

import { lastUtf8ByteLength, md5Utf8Words } from './md5';

/** Largest hash key, 2^128 − 1. */
export const MAX_HASH_KEY: bigint = (1n << 128n) - 1n;
/** Size of the hash key space, 2^128. */
export const HASH_SPACE: bigint = 1n << 128n;

const MD5_SCRATCH = new Uint32Array(4);
const MASK_32 = 0xffffffffn;
const CANONICAL_DECIMAL = /^(?:0|[1-9][0-9]{0,38})$/;

/** Byte-swaps a uint32: MD5 state words are little-endian, hash key words big-endian. */
function byteSwap(x: number): number {
  return ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}

/** Hash key of a partition key (MD5 of its UTF-8 bytes, big-endian) into `out[0..3]`, without allocating. */
export function hashKeyOfPartitionKey(key: string, out: Uint32Array): Uint32Array {
  const m = md5Utf8Words(key, MD5_SCRATCH);
  // Digest bytes are each state word little-endian; read big-endian, word i is byteswap(state i).
  out[0] = byteSwap(m[0]!);
  out[1] = byteSwap(m[1]!);
  out[2] = byteSwap(m[2]!);
  out[3] = byteSwap(m[3]!);
  return out;
}

/**
 * Hash key of a partition key into `out[offset..offset+3]` (as hashKeyOfPartitionKey), returning the key's
 * UTF-8 byte length: one encoding pass gives both, for the write path.
 */
export function hashKeyAndUtf8Length(key: string, out: Uint32Array, offset = 0): number {
  const m = md5Utf8Words(key, MD5_SCRATCH);
  // byteSwap written out: this runs once per record, and a helper call per word costs when V8's inlining
  // budget for the write path is spent (x << 24 keeps only the low byte).
  const a = m[0]!;
  const b = m[1]!;
  const c = m[2]!;
  const d = m[3]!;
  out[offset] = (a << 24) | ((a & 0xff00) << 8) | ((a >>> 8) & 0xff00) | (a >>> 24);
  out[offset + 1] = (b << 24) | ((b & 0xff00) << 8) | ((b >>> 8) & 0xff00) | (b >>> 24);
  out[offset + 2] = (c << 24) | ((c & 0xff00) << 8) | ((c >>> 8) & 0xff00) | (c >>> 24);
  out[offset + 3] = (d << 24) | ((d & 0xff00) << 8) | ((d >>> 8) & 0xff00) | (d >>> 24);
  return lastUtf8ByteLength();
}

/** Compares the hash keys at word offsets `ai` of `a` and `bi` of `b`: −1, 0 or 1. */
export function compareHashKeys(a: Uint32Array, ai: number, b: Uint32Array, bi: number): number {
  for (let i = 0; i < 4; i++) {
    const x = a[ai + i]!;
    const y = b[bi + i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The hash key at `words[offset..offset+3]` as a BigInt. */
export function hashKeyToBigInt(words: Uint32Array, offset = 0): bigint {
  return (
    (BigInt(words[offset]!) << 96n) |
    (BigInt(words[offset + 1]!) << 64n) |
    (BigInt(words[offset + 2]!) << 32n) |
    BigInt(words[offset + 3]!)
  );
}

/** Writes the BigInt `v` (must be in [0, 2^128 − 1], else RangeError) as 4 words at `out[offset..]`. */
export function hashKeyFromBigInt(v: bigint, out: Uint32Array, offset = 0): void {
  if (v < 0n || v > MAX_HASH_KEY) throw new RangeError(`hash key out of range [0, 2^128-1]: ${v}`);
  out[offset] = Number((v >> 96n) & MASK_32);
  out[offset + 1] = Number((v >> 64n) & MASK_32);
  out[offset + 2] = Number((v >> 32n) & MASK_32);
  out[offset + 3] = Number(v & MASK_32);
}

/** The hash key at `words[offset..]` as a decimal string, as the Kinesis API prints it. */
export function hashKeyToDecimal(words: Uint32Array, offset = 0): string {
  return hashKeyToBigInt(words, offset).toString();
}

/**
 * Parses a canonical decimal hash key (`0|[1-9][0-9]{0,38}`, below 2^128) into `out[offset..]`.
 * Returns false, leaving `out` untouched, for anything else (sign, leading zero, empty, ≥ 2^128).
 */
export function hashKeyFromDecimal(s: string, out: Uint32Array, offset = 0): boolean {
  if (!CANONICAL_DECIMAL.test(s)) return false;
  const v = BigInt(s);
  if (v > MAX_HASH_KEY) return false;
  hashKeyFromBigInt(v, out, offset);
  return true;
}

/** Hash ranges of a new stream with `shardCount` shards, as CreateStream splits the space. */
export function createStreamHashRanges(shardCount: number): Array<{ start: bigint; end: bigint }> {
  if (!Number.isSafeInteger(shardCount) || shardCount < 1) {
    throw new RangeError(`shard count must be a positive integer, got ${shardCount}`);
  }
  const n = BigInt(shardCount);
  // Kinesis (and kinesalite) use floor(2^128 / N) and give the whole remainder to the last shard.
  const width = HASH_SPACE / n;
  const ranges: Array<{ start: bigint; end: bigint }> = [];
  for (let i = 0n; i < n; i++) {
    ranges.push({ start: width * i, end: i === n - 1n ? MAX_HASH_KEY : width * (i + 1n) - 1n });
  }
  return ranges;
}

/**
 * The middle of a hash key range [start, end]: start + ⌊(end − start + 1) / 2⌋, the first key of its upper
 * half — where an even split (UpdateShardCount doubling, on-demand scaling, "Split" on a row) starts the
 * second child [model §9, §15.4].
 */
export function midpointHashKey(start: bigint, end: bigint): bigint {
  return start + (end - start + 1n) / 2n;
}

/** Position of the hash key in the key space as a float in [0, 1), from its top 53 bits (for drawing). */
export function hashKeyFraction(words: Uint32Array, offset = 0): number {
  // w0 · 2^21 + top 21 bits of w1 is an exact 53-bit integer, so the result is below 1.
  return (words[offset]! * 0x200000 + (words[offset + 1]! >>> 11)) / 0x20000000000000;
}

/** Top-16-bit buckets of the ShardLocator table; each bucket is 2^112 hash keys wide. */
const BUCKET_BITS = 16;
const BUCKET_COUNT = 1 << BUCKET_BITS;
const BUCKET_SHIFT = BigInt(128 - BUCKET_BITS);
const BUCKET_LOW_MASK = (1n << BUCKET_SHIFT) - 1n;

/**
 * Routes hash keys to one of a set of sorted ranges that tile [0, 2^128 − 1] (the open shards),
 * in O(1) for almost every key and without allocating.
 */
export class ShardLocator {
  /** Number of ranges. */
  readonly count: number;
  /** Range starts as 4 big-endian words each, for the binary search. */
  private readonly starts: Uint32Array;
  /**
   * One entry per top-16-bit bucket: a range index ≥ 0 when that range holds the whole bucket,
   * else ~i where i is the range holding the bucket's first key (a range boundary lies inside).
   */
  private readonly buckets: Int32Array;
  private readonly scratch = new Uint32Array(4);

  /** Builds the locator; throws RangeError unless the ranges are sorted and tile [0, 2^128 − 1] exactly. */
  constructor(ranges: ReadonlyArray<{ readonly start: bigint; readonly end: bigint }>) {
    const count = ranges.length;
    if (count === 0) throw new RangeError('ShardLocator needs at least one range');
    this.count = count;
    this.starts = new Uint32Array(count * 4);
    this.buckets = new Int32Array(BUCKET_COUNT);

    let expectedStart = 0n;
    for (let i = 0; i < count; i++) {
      const { start, end } = ranges[i]!;
      if (start !== expectedStart) {
        throw new RangeError(
          `range ${i} starts at ${start}, expected ${expectedStart}: ranges must be sorted and contiguous`,
        );
      }
      if (end < start || end > MAX_HASH_KEY) {
        throw new RangeError(`range ${i} [${start}, ${end}] is empty or beyond 2^128-1`);
      }
      hashKeyFromBigInt(start, this.starts, i * 4);
      expectedStart = end + 1n;

      // Every bucket is set by the range holding its first key: ranges are visited in order, so
      // later writes never clobber a bucket that an earlier range owns.
      const firstBucket = Number(start >> BUCKET_SHIFT);
      const lastBucket = Number(end >> BUCKET_SHIFT);
      const endsAtBucketEnd = (end & BUCKET_LOW_MASK) === BUCKET_LOW_MASK;
      if ((start & BUCKET_LOW_MASK) === 0n) {
        // This range holds the first key of its first bucket; whole unless the range ends inside it.
        this.buckets[firstBucket] = lastBucket > firstBucket || endsAtBucketEnd ? i : ~i;
      }
      for (let b = firstBucket + 1; b < lastBucket; b++) this.buckets[b] = i;
      if (lastBucket > firstBucket) this.buckets[lastBucket] = endsAtBucketEnd ? i : ~i;
    }
    if (expectedStart !== HASH_SPACE) {
      throw new RangeError(
        `ranges end at ${expectedStart - 1n}, expected ${MAX_HASH_KEY}: they must cover the whole key space`,
      );
    }
  }

  /** Index of the range holding the hash key at `words[offset..offset+3]` (offset counts words). */
  locate(words: Uint32Array, offset: number): number {
    const hit = this.buckets[words[offset]! >>> 16]!;
    // Kept tiny so it inlines into the write path; the rare bucket with a boundary is searched out of line.
    return hit >= 0 ? hit : this.search(words, offset, ~hit);
  }

  /**
   * A range boundary lies inside the key's bucket: binary search for the last start ≤ key, between range
   * `first` (holding the bucket's first key) and the one holding the next bucket's first key.
   */
  private search(words: Uint32Array, offset: number, first: number): number {
    const w0 = words[offset]!;
    const bucket = w0 >>> 16;
    let lo = first;
    let hi: number;
    if (bucket + 1 < BUCKET_COUNT) {
      const next = this.buckets[bucket + 1]!;
      hi = next >= 0 ? next : ~next;
    } else {
      hi = this.count - 1;
    }
    const w1 = words[offset + 1]!;
    const w2 = words[offset + 2]!;
    const w3 = words[offset + 3]!;
    const starts = this.starts;
    // Invariant: starts[lo] ≤ key, and the answer is in [lo, hi].
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      const m = mid * 4;
      const s0 = starts[m]!;
      let le: boolean;
      if (s0 !== w0) {
        le = s0 < w0;
      } else {
        const s1 = starts[m + 1]!;
        if (s1 !== w1) {
          le = s1 < w1;
        } else {
          const s2 = starts[m + 2]!;
          le = s2 !== w2 ? s2 < w2 : starts[m + 3]! <= w3;
        }
      }
      if (le) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Index of the range holding hash key `h` (RangeError if `h` is outside [0, 2^128 − 1]). */
  locateBigInt(h: bigint): number {
    hashKeyFromBigInt(h, this.scratch, 0);
    return this.locate(this.scratch, 0);
  }
}
