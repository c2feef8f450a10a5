import type { ShardInfo } from '../worker/engineTypes';

/**
 * Layout helpers for the resharding controls, read from the snapshot's decimal hash keys with BigInt (a
 * float cannot tell hash keys 2^75 apart). They only lay out what the snapshot says; whether a request is
 * valid is the engine's to answer.
 */

/** The middle of a hash key range: Start + ⌊(End − Start + 1) / 2⌋, the first key of its upper half. */
export function midpointHashKey(startingHashKey: string, endingHashKey: string): string {
  const start = BigInt(startingHashKey);
  const end = BigInt(endingHashKey);
  return (start + (end - start + 1n) / 2n).toString();
}

/**
 * For each open shard, the open shard whose StartingHashKey is its EndingHashKey + 1 (the one MergeShards
 * takes as AdjacentShardToMerge when this one is ShardToMerge); shards at the top of the hash space have none.
 */
export function nextOpenShards(shards: readonly ShardInfo[]): Map<string, string> {
  const byStart = new Map<string, string>();
  for (const s of shards) if (s.isOpen) byStart.set(s.startingHashKey, s.shardId);
  const next = new Map<string, string>();
  for (const s of shards) {
    if (!s.isOpen) continue;
    const after = byStart.get((BigInt(s.endingHashKey) + 1n).toString());
    if (after !== undefined) next.set(s.shardId, after);
  }
  return next;
}
