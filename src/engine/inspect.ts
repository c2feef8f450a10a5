import { hashKeyFraction, hashKeyFromDecimal, hashKeyOfPartitionKey, hashKeyToDecimal } from './hashKey';
import { md5Hex } from './md5';
import type { Stream } from './stream';

/** Everything that decides where a key lands, step by step, for the key inspector. */
export interface KeyInspection {
  partitionKey: string;
  /** The key's UTF-8 bytes in hex, as MD5 sees them. */
  utf8Hex: string;
  utf8Length: number;
  /** MD5 digest of those bytes, hex (empty when an ExplicitHashKey decides). */
  md5Hex: string;
  /** The 128-bit hash key in decimal: the MD5 digest read as an unsigned big-endian integer, or the ExplicitHashKey. */
  hashKey: string;
  /** Where the hash key sits in the hash space, 0 ≤ f < 1. */
  fraction: number;
  /** Whether an ExplicitHashKey overrode the MD5. */
  explicit: boolean;
  shardId: string;
  startingHashKey: string;
  endingHashKey: string;
}

function utf8Bytes(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      cp = 0x10000 + ((cp - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
    } else if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // a lone surrogate encodes as U+FFFD
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return out;
}

/**
 * Explains how a stream routes a partition key (or an ExplicitHashKey): UTF-8 bytes → MD5 → 128-bit hash
 * key → the open shard whose range holds it. Returns undefined for an ExplicitHashKey that is not a
 * decimal in [0, 2^128−1] or a stream with no open shard.
 */
export function inspectPartitionKey(
  stream: Stream,
  partitionKey: string,
  explicitHashKey?: string,
): KeyInspection | undefined {
  if (stream.openShards.length === 0) return undefined;
  const words = new Uint32Array(4);
  const explicit = explicitHashKey !== undefined && explicitHashKey !== '';
  if (explicit) {
    if (!hashKeyFromDecimal(explicitHashKey, words)) return undefined;
  } else hashKeyOfPartitionKey(partitionKey, words);
  const shard = stream.openShards[stream.locator.locate(words, 0)];
  if (!shard) return undefined;
  const bytes = utf8Bytes(partitionKey);
  return {
    partitionKey,
    utf8Hex: bytes.map((b) => b.toString(16).padStart(2, '0')).join(' '),
    utf8Length: bytes.length,
    md5Hex: explicit ? '' : md5Hex(partitionKey),
    hashKey: hashKeyToDecimal(words),
    fraction: hashKeyFraction(words),
    explicit,
    shardId: shard.shardId,
    startingHashKey: shard.startingHashKey.toString(),
    endingHashKey: shard.endingHashKey.toString(),
  };
}
