/**
 * ListShards' ShardFilter: which of a stream's listed shards (Stream.listedShards) a filter keeps.
 * The types as the API reference (ShardFilter) defines them, with a shard open over [openedMs, closedAtMs]:
 *
 * - AFTER_SHARD_ID: the shards whose ShardId sorts after the given one.
 * - AT_TRIM_HORIZON: the shards open at the trim horizon.
 * - FROM_TRIM_HORIZON (the default, as no filter): every listed shard, "trim to tip".
 * - AT_LATEST: the open shards.
 * - AT_TIMESTAMP: the shards open at the given time ("start ≤ timestamp ≤ end, or still open").
 * - FROM_TIMESTAMP: the shards open at or after the given time ("closed shards whose end ≥ timestamp, and
 *   all open shards"), the time "corrected to TRIM_HORIZON" when it is earlier.
 *
 * Where AWS is silent (model §9): the trim horizon is now − RetentionPeriodHours, but never before the
 * stream was created (a stream younger than its retention has its first shards at its trim horizon); an
 * AT_TIMESTAMP earlier than the trim horizon is corrected to it as FROM_TIMESTAMP's is (else it would list
 * shards that have expired, i.e. none of those open then); a shard's start is when it began taking writes,
 * its parents' close (its StartingSequenceNumber says a second later, as AWS's do), so a time in that second
 * still finds the shard its records went to. Times are inclusive at both ends, so the instant a parent closes
 * lists it with its children.
 */
import { errors } from './errors';
import type { Shard, Stream } from './stream';

/** A ShardFilter as the request carries it (Timestamp in epoch seconds, as the wire has it). */
export interface ShardFilter {
  Type: string;
  ShardId?: string;
  Timestamp?: number;
}

/**
 * The shards of `listed` (a stream's listed shards, in ShardId order) that `filter` keeps at `nowMs`
 * (virtual epoch ms), in the same order. Throws InvalidArgumentException when AFTER_SHARD_ID has no ShardId
 * or AT_TIMESTAMP / FROM_TIMESTAMP no Timestamp (their only use, by the API reference). Members a type does
 * not use are ignored.
 */
export function filterShards(
  stream: Stream,
  listed: readonly Shard[],
  filter: ShardFilter | undefined,
  nowMs: number,
): Shard[] {
  const trimHorizonMs = Math.max(nowMs - stream.retentionMs, stream.createdMs);
  switch (filter?.Type) {
    case undefined:
    case 'FROM_TRIM_HORIZON':
      return [...listed];
    case 'AFTER_SHARD_ID': {
      const after = filter.ShardId;
      if (after === undefined) throw errors.shardFilterNeedsShardId();
      return listed.filter((s) => s.shardId > after);
    }
    case 'AT_LATEST':
      return listed.filter((s) => s.isOpen);
    case 'AT_TRIM_HORIZON':
      return listed.filter((s) => openAt(s, trimHorizonMs));
    case 'AT_TIMESTAMP':
    case 'FROM_TIMESTAMP': {
      if (filter.Timestamp === undefined) throw errors.shardFilterNeedsTimestamp(filter.Type);
      const atMs = Math.max(Math.round(filter.Timestamp * 1000), trimHorizonMs);
      return filter.Type === 'AT_TIMESTAMP'
        ? listed.filter((s) => openAt(s, atMs))
        : listed.filter((s) => s.closedAtMs === undefined || s.closedAtMs >= atMs);
    }
    default:
      // The request's validation allows only the six types above.
      return [...listed];
  }
}

/** Whether the shard took writes at `atMs`: opened at or before it, and open or closed at or after it. */
function openAt(shard: Shard, atMs: number): boolean {
  return shard.openedMs <= atMs && (shard.closedAtMs === undefined || shard.closedAtMs >= atMs);
}
