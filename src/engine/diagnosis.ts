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

/**
 * A NewStartingHashKey that splits the shard's demand in half: known key rates at their positions, the
 * rest of the demand spread evenly over the range; clamped to SplitShard's rule Start + 2 ≤ k ≤ End − 1.
 */
function splitPoint(shard: ShardLoad, keys: KeyRate[]): string | undefined {
  const start = BigInt(shard.startingHashKey);
  const end = BigInt(shard.endingHashKey);
  if (end - start < 3n) return undefined;
  const width = Number(end - start + 1n);
  const known = keys.reduce((sum, k) => sum + k.recordsPerSecond, 0);
  const spread = Math.max(0, shard.demandPerSecond - known);
  const half = (known + spread) / 2;
  // Walk the known keys in hash order, adding the evenly spread remainder between them.
  const sorted = [...keys].sort((a, b) => (BigInt(a.hashKey) < BigInt(b.hashKey) ? -1 : 1));
  let cumulative = 0;
  let position = 0; // fraction of the range
  let point: number | undefined;
  for (const k of sorted) {
    const f = Number(BigInt(k.hashKey) - start) / width;
    const between = spread * (f - position);
    if (cumulative + between >= half) {
      point = position + (half - cumulative) / Math.max(spread, 1e-9);
      break;
    }
    cumulative += between;
    position = f;
    if (cumulative + k.recordsPerSecond >= half) {
      // Put this key in the lower child; the split goes just after it.
      point = f + 1 / width;
      break;
    }
    cumulative += k.recordsPerSecond;
  }
  if (point === undefined) point = position + (half - cumulative) / Math.max(spread, 1e-9);
  const clampedFraction = Math.min(Math.max(point, 0), 1);
  let k =
    start + BigInt(Math.floor(clampedFraction * 2 ** 52)) * ((end - start + 1n) / BigInt(2 ** 52) || 1n);
  if (k < start + 2n) k = start + 2n;
  if (k > end - 1n) k = end - 1n;
  return k.toString();
}
