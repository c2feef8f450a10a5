import { SHARD_WRITE_RECORDS_PER_SECOND } from './limits';

/** A key's recent write rate, as measured by the host from the hot-key counts. */
export interface KeyRate {
  partitionKey: string;
  /** Position in the hash space as a BigInt-safe decimal string. */
  hashKey: string;
  shardId: string;
  recordsPerSecond: number;
}

/** A shard's recent demand and range. */
export interface ShardLoad {
  shardId: string;
  startingHashKey: string;
  endingHashKey: string;
  /** Attempted records per second (accepted + throttled), averaged over the window. */
  demandPerSecond: number;
  throttledPerSecond: number;
}

/** Why a shard throttles, and what would help. */
export interface ShardDiagnosis {
  shardId: string;
  verdict: 'hot-key' | 'hot-shard';
  demandPerSecond: number;
  throttledPerSecond: number;
  limitPerSecond: number;
  /** The busiest key of the shard and its share of the shard's demand. */
  topKey: KeyRate | undefined;
  topKeyShare: number;
  /** For a hot shard: the NewStartingHashKey that splits its measured demand in half (valid for SplitShard). */
  suggestedNewStartingHashKey: string | undefined;
  explanation: string;
}

/**
 * Diagnoses each throttled shard: a hot key (one key alone over a shard's 1,000 records/s — more shards
 * will not help) or a hot shard (many keys together — a split at the suggested NewStartingHashKey would).
 */
export function diagnoseShards(shards: ShardLoad[], keys: KeyRate[]): ShardDiagnosis[] {
  const limit = SHARD_WRITE_RECORDS_PER_SECOND;
  return shards
    .filter((s) => s.throttledPerSecond > 0)
    .map((shard) => {
      const inShard = keys
        .filter((k) => k.shardId === shard.shardId)
        .sort((a, b) => b.recordsPerSecond - a.recordsPerSecond);
      const topKey = inShard[0];
      const topRate = topKey?.recordsPerSecond ?? 0;
      const share = shard.demandPerSecond > 0 ? topRate / shard.demandPerSecond : 0;
      const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
      if (topKey && topRate > limit) {
        return {
          shardId: shard.shardId,
          verdict: 'hot-key' as const,
          demandPerSecond: shard.demandPerSecond,
          throttledPerSecond: shard.throttledPerSecond,
          limitPerSecond: limit,
          topKey,
          topKeyShare: share,
          suggestedNewStartingHashKey: undefined,
          explanation: `Hot key: "${topKey.partitionKey}" alone asks for ${fmt(topRate)} records/s, over the ${fmt(limit)} records/s one shard takes. Every record of a key goes to one shard, so more shards will not help: add a random suffix to the key (e.g. "${topKey.partitionKey}-0" … "-9"), spread it with ExplicitHashKey, or aggregate records (KPL) so fewer, larger records carry it.`,
        };
      }
      const split = splitPoint(shard, inShard);
      return {
        shardId: shard.shardId,
        verdict: 'hot-shard' as const,
        demandPerSecond: shard.demandPerSecond,
        throttledPerSecond: shard.throttledPerSecond,
        limitPerSecond: limit,
        topKey,
        topKeyShare: share,
        suggestedNewStartingHashKey: split,
        explanation: `Hot shard: ${inShard.length > 0 ? `many keys together (the busiest, "${topKey?.partitionKey}", is only ${(share * 100).toFixed(0)}%)` : 'many keys together'} ask for ${fmt(shard.demandPerSecond)} records/s, over the ${fmt(limit)} records/s limit. Splitting the shard${split ? ` at NewStartingHashKey ${split}` : ''} would halve its load.`,
      };
    });
}

/** 2^53: demand fractions become exact BigInt ratios over this denominator. */
const FRACTION_BITS = 53n;
const FRACTION_ONE = 2 ** 53;

/** `part / whole` (BigInts, 0 ≤ part ≤ whole) as a float, exact to 2^-53 whatever their size. */
function ratio(part: bigint, whole: bigint): number {
  return Number((part << FRACTION_BITS) / whole) / FRACTION_ONE;
}

/** floor(width · f) for a float 0 ≤ f ≤ 1, in BigInt arithmetic (f taken to 53 bits). */
function scale(width: bigint, f: number): bigint {
  const clamped = Math.min(Math.max(f, 0), 1);
  return (width * BigInt(Math.round(clamped * FRACTION_ONE))) >> FRACTION_BITS;
}

/**
 * A NewStartingHashKey that splits the shard's demand in half: known key rates at their positions, the
 * rest of the demand spread evenly over the range; clamped to SplitShard's rule Start + 2 ≤ k ≤ End − 1.
 * Positions stay BigInts throughout (a float cannot tell hash keys 2^75 apart); only demand is a float.
 * A key is never split from itself: the split goes just before or just after it, whichever halves better.
 */
function splitPoint(shard: ShardLoad, keys: KeyRate[]): string | undefined {
  const start = BigInt(shard.startingHashKey);
  const end = BigInt(shard.endingHashKey);
  if (end - start < 3n) return undefined;
  const width = end - start + 1n;
  const placed = keys
    .map((k) => ({ at: BigInt(k.hashKey), rate: Math.max(0, k.recordsPerSecond) }))
    .filter((k) => k.at >= start && k.at <= end)
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const known = placed.reduce((sum, k) => sum + k.rate, 0);
  const spread = Math.max(0, shard.demandPerSecond - known);
  const half = (known + spread) / 2;
  // Demand below position x: spread · (x − start) / width, plus the keys before x.
  let cumulative = 0;
  let position = start;
  let k: bigint | undefined;
  for (const key of placed) {
    const between = spread * ratio(key.at - position, width);
    if (between > 0 && cumulative + between >= half) {
      k = position + scale(width, (half - cumulative) / spread);
      break;
    }
    cumulative += between;
    position = key.at;
    if (cumulative + key.rate >= half) {
      // Just after the key (it goes to the lower child) or at it (upper child): whichever is nearer half.
      k = cumulative + key.rate - half <= half - cumulative ? key.at + 1n : key.at;
      break;
    }
    cumulative += key.rate;
  }
  if (k === undefined) {
    k = spread > 0 ? position + scale(width, (half - cumulative) / spread) : start + width / 2n;
  }
  if (k < start + 2n) k = start + 2n;
  if (k > end - 1n) k = end - 1n;
  return k.toString();
}
