import { accountUsage } from './accountLimits';
import type { TypedRequest } from './api/validation';
import type { EngineState } from './engineState';
import { errors } from './errors';
import { createStreamHashRanges, midpointHashKey } from './hashKey';
import { SHARD_COUNT_UPDATES_PER_DAY, SHARDS_PER_STREAM_MAX } from './limits';
import { type Shard, type Stream, shardIndexOf } from './stream';

/** A resharding a stream is UPDATING for: applied when its UPDATING period ends [model §9, §15.4]. */
export type ReshardPlan =
  | { kind: 'split'; shard: Shard; newStartingHashKey: bigint }
  | { kind: 'merge'; shard: Shard; adjacent: Shard }
  | { kind: 'updateShardCount'; target: number };

/**
 * Equal ranges whose boundaries are moved onto the open shards' own boundaries where those lie within
 * `tolerance` hash keys (CreateStream's floor(2^128/N) rounding): 3 → 6 then reuses the boundaries at thirds
 * instead of cutting one-key slivers next to them.
 */
function snappedRanges(
  ranges: { start: bigint; end: bigint }[],
  open: Shard[],
  tolerance: bigint,
): { start: bigint; end: bigint }[] {
  const existing = open.map((s) => s.startingHashKey);
  const starts = ranges.map((r, i) => {
    if (i === 0) return r.start;
    let best = r.start;
    let bestDistance = tolerance + 1n;
    for (const b of existing) {
      const distance = b > r.start ? b - r.start : r.start - b;
      if (distance < bestDistance) {
        best = b;
        bestDistance = distance;
      }
    }
    return best;
  });
  return ranges.map((r, i) => ({
    start: starts[i] as bigint,
    end: i + 1 < starts.length ? (starts[i + 1] as bigint) - 1n : r.end,
  }));
}

/** Children's sequence numbers say they were created this long after their parents closed (AWS-recorded). */
const CHILD_CREATION_LAG_MS = 1000;

/**
 * Closes a shard resharded at `at` and returns when. UpdateShardCount splits and merges in one step, and a
 * piece it makes there (opened at `at`, created CHILD_CREATION_LAG_MS later, as split and merge children are)
 * is closed again at once: it closes at its creation, not before it, so its children are created after it,
 * and its write interval is empty (opened at its close): it took no writes, and nothing that counts open
 * shards over time counts it. Writes move to the final shards at `at` (their openedMs).
 */
function closeShard(shard: Shard, at: number): number {
  const closed = shard.openedMs === at && shard.createdMs > at ? shard.createdMs : at;
  if (closed > at) shard.openedMs = closed;
  shard.closedAtMs = closed;
  return closed;
}
const DAY_MS = 86_400_000;

/** Timing of resharding, virtual ms (typical, not guaranteed: AWS publishes no figure). */
export interface ReshardTiming {
  /** How long SplitShard and MergeShards keep the stream UPDATING. */
  reshardMs: number;
  /** How long UpdateShardCount keeps the stream UPDATING ("a few minutes"). */
  shardCountUpdateMs: number;
}

/**
 * Resharding [model §9, §15.4]: SplitShard, MergeShards and UpdateShardCount. Each request is checked and
 * answered at once (200, the stream UPDATING); the shards change when the UPDATING period ends: parents
 * close (an EndingSequenceNumber at that instant) and keep their records until retention passes; children
 * take the next ShardIds, their parents' ids, and every write from then on. Until then parents take the
 * writes. Nothing is ever written to a closed shard.
 */
export class Resharding {
  private readonly state: EngineState;
  private readonly timing: ReshardTiming;

  constructor(state: EngineState, timing: ReshardTiming) {
    this.state = state;
    this.timing = timing;
  }

  /**
   * SplitShard {ShardToSplit, NewStartingHashKey}: valid when Start + 2 ≤ NewStartingHashKey ≤ End − 1; the
   * children are [Start, NewStartingHashKey − 1] and [NewStartingHashKey, End]. Needs one more shard of quota.
   * Errors: ValidationException (ON_DEMAND), ResourceInUseException (not ACTIVE), ResourceNotFoundException
   * (no such shard), InvalidArgumentException (closed shard, key out of range), LimitExceededException.
   */
  splitShard(request: TypedRequest): Record<string, unknown> {
    const stream = this.reshardable(request, 'SplitShard');
    const shard = this.openShard(stream, request.ShardToSplit as string);
    const key = BigInt(request.NewStartingHashKey as string);
    if (key < shard.startingHashKey + 2n || key > shard.endingHashKey - 1n) {
      throw errors.newStartingHashKeyOutOfRange(
        request.NewStartingHashKey as string,
        shard.shardId,
        stream.name,
        this.state.accountId,
        shard.startingHashKey.toString(),
        shard.endingHashKey.toString(),
      );
    }
    this.checkQuota(1);
    this.begin(stream, { kind: 'split', shard, newStartingHashKey: key }, this.timing.reshardMs);
    return {};
  }

  /**
   * MergeShards {ShardToMerge, AdjacentShardToMerge}: the lower range first, and the ranges must meet
   * (ShardToMerge's EndingHashKey + 1 = the other's StartingHashKey; AWS refuses the inverted order). The
   * child spans both, with ParentShardId = ShardToMerge and AdjacentParentShardId = the other.
   */
  mergeShards(request: TypedRequest): Record<string, unknown> {
    const stream = this.reshardable(request, 'MergeShards');
    const shard = this.openShard(stream, request.ShardToMerge as string);
    const adjacent = this.openShard(stream, request.AdjacentShardToMerge as string);
    if (shard.endingHashKey + 1n !== adjacent.startingHashKey) {
      throw errors.shardsNotAdjacent(
        request.ShardToMerge as string,
        request.AdjacentShardToMerge as string,
        stream.name,
        this.state.accountId,
      );
    }
    this.begin(stream, { kind: 'merge', shard, adjacent }, this.timing.reshardMs);
    return {};
  }

  /**
   * UpdateShardCount {TargetShardCount, ScalingType: UNIFORM_SCALING} → {StreamName, CurrentShardCount,
   * TargetShardCount, StreamARN}. The target must be from half (rounded up) to double the open shards, at
   * most 10,000 a stream, within the account's quota, and a stream takes at most 10 calls in a rolling 24 h
   * (LimitExceededException otherwise). When the UPDATING period ends, splits and merges leave equal ranges
   * (CreateStream's) on all-new shards: every old shard closes. Doubling splits each shard at its midpoint;
   * 4 → 3 ends with shardId-000000000006, -009 and -010, as observed on AWS.
   */
  updateShardCount(request: TypedRequest): Record<string, unknown> {
    const stream = this.reshardable(request, 'UpdateShardCount');
    // The JSON protocol floors a fractional Integer (api/validation.ts); a typed caller gets the same.
    const target = Math.floor(request.TargetShardCount as number);
    const current = stream.openShards.length;
    const min = Math.ceil(current / 2);
    const max = Math.min(current * 2, SHARDS_PER_STREAM_MAX);
    if (target < min || target > max) {
      throw errors.shardCountTargetOutOfRange(target, current, min, max, stream.name, this.state.accountId);
    }
    const now = this.state.nowMs;
    stream.shardCountUpdates = stream.shardCountUpdates.filter((at) => at > now - DAY_MS);
    if (stream.shardCountUpdates.length >= SHARD_COUNT_UPDATES_PER_DAY) {
      throw errors.shardCountUpdatesExceeded(SHARD_COUNT_UPDATES_PER_DAY, stream.name, this.state.accountId);
    }
    this.checkQuota(target - current);
    stream.shardCountUpdates.push(now);
    this.begin(stream, { kind: 'updateShardCount', target }, this.timing.shardCountUpdateMs);
    return {
      StreamName: stream.name,
      CurrentShardCount: current,
      TargetShardCount: target,
      StreamARN: stream.arn,
    };
  }

  /** Applies the stream's pending resharding now (the clock calls this when UPDATING ends). */
  complete(stream: Stream): void {
    const plan = stream.pendingReshard;
    stream.pendingReshard = undefined;
    if (!plan) return;
    const at = this.state.nowMs;
    if (plan.kind === 'split') this.split(stream, plan.shard, plan.newStartingHashKey, at);
    else if (plan.kind === 'merge') this.merge(stream, plan.shard, plan.adjacent, at);
    else this.uniformScaling(stream, plan.target, at);
    stream.reindexOpenShards();
    stream.layoutChangedSec = Math.floor(at / 1000);
  }

  /** The stream a resharding request names: PROVISIONED and ACTIVE. */
  private reshardable(request: TypedRequest, operation: string): Stream {
    const stream = this.state.resolveStream(request);
    if (stream.mode === 'ON_DEMAND')
      throw errors.reshardingOnDemand(operation, stream.name, this.state.accountId);
    if (stream.status !== 'ACTIVE')
      throw errors.streamNotActive(stream.name, this.state.accountId, stream.status);
    return stream;
  }

  /** The open shard a ShardId names (read loosely, as AWS does). */
  private openShard(stream: Stream, shardIdText: string): Shard {
    const index = shardIndexOf(shardIdText);
    const shard = index === undefined ? undefined : stream.shards[index];
    if (!shard) throw errors.shardNotFoundForResharding(shardIdText, stream.name, this.state.accountId);
    if (!shard.isOpen) throw errors.shardAlreadyClosed(shard.shardId, stream.name, this.state.accountId);
    return shard;
  }

  /** Refuses `additional` more open provisioned shards past the account's shard quota [model §7]. */
  private checkQuota(additional: number): void {
    if (additional <= 0) return;
    const { openShardCount } = accountUsage(this.state.streams.values());
    const limit = this.state.accountLimits.shardLimit;
    if (openShardCount + additional > limit) {
      throw errors.shardLimit(this.state.accountId, this.state.region, openShardCount, limit, additional);
    }
  }

  private begin(stream: Stream, plan: ReshardPlan, durationMs: number): void {
    stream.status = 'UPDATING';
    stream.pendingReshard = plan;
    stream.transitionAtMs = this.state.nowMs + Math.max(0, durationMs);
  }

  /**
   * Splits an open shard at `key` now, without a request (on-demand scaling); the caller reindexes the
   * open shards afterwards.
   */
  splitNow(stream: Stream, shard: Shard, key: bigint): void {
    this.split(stream, shard, key, this.state.nowMs);
  }

  private split(stream: Stream, parent: Shard, key: bigint, at: number): [Shard, Shard] {
    const created = closeShard(parent, at) + CHILD_CREATION_LAG_MS;
    const lower = stream.addShard(parent.startingHashKey, key - 1n, created, parent.shardId, undefined, at);
    const upper = stream.addShard(key, parent.endingHashKey, created, parent.shardId, undefined, at);
    return [lower, upper];
  }

  private merge(stream: Stream, shard: Shard, adjacent: Shard, at: number): Shard {
    const created = Math.max(closeShard(shard, at), closeShard(adjacent, at)) + CHILD_CREATION_LAG_MS;
    return stream.addShard(
      shard.startingHashKey,
      adjacent.endingHashKey,
      created,
      shard.shardId,
      adjacent.shardId,
      at,
    );
  }

  /**
   * UNIFORM_SCALING to `target` equal ranges: walking the open shards by hash key, each is split at every
   * target boundary inside it, and the pieces of each target range are merged left to right once the range
   * is complete. A range that is one old shard exactly is split at its middle and merged back, so every old
   * shard ends closed.
   */
  private uniformScaling(stream: Stream, target: number, at: number): void {
    const old = new Set(stream.openShards);
    // Doubling splits every shard at its midpoint, as observed (1 → 2 at exactly 2^127).
    if (target === stream.openShards.length * 2) {
      for (const shard of [...stream.openShards]) {
        const middle = midpointHashKey(shard.startingHashKey, shard.endingHashKey);
        this.split(stream, shard, middle, at);
      }
      return;
    }
    const ranges = snappedRanges(createStreamHashRanges(target), stream.openShards, BigInt(target));
    let t = 0;
    let group: Shard[] = [];
    const finish = () => {
      const range = ranges[t] as { start: bigint; end: bigint };
      if (group.length === 1 && old.has(group[0] as Shard)) {
        const only = group[0] as Shard;
        group = this.split(stream, only, midpointHashKey(range.start, range.end), at);
      }
      let merged = group[0] as Shard;
      for (let i = 1; i < group.length; i++) merged = this.merge(stream, merged, group[i] as Shard, at);
      group = [];
      t++;
    };
    for (const shard of [...stream.openShards]) {
      let piece = shard;
      while (t < ranges.length && (ranges[t] as { end: bigint }).end < piece.endingHashKey) {
        const [lower, upper] = this.split(stream, piece, (ranges[t] as { end: bigint }).end + 1n, at);
        group.push(lower);
        finish();
        piece = upper;
      }
      group.push(piece);
      if (t < ranges.length && (ranges[t] as { end: bigint }).end === piece.endingHashKey) finish();
    }
  }
}
