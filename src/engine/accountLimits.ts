/**
 * Account admission [model §7, §15]: the quotas CreateStream and DeleteStream are checked against, and
 * DescribeLimits' report of them. Three rules, each with its own LimitExceededException:
 *
 * - at most `creatingOrDeletingLimit` (5) streams CREATING or DELETING at the same time;
 * - at most `onDemandStreamCountLimit` (50) ON_DEMAND streams;
 * - at most `shardLimit` (20,000) open shards of PROVISIONED streams — on-demand shards do not consume it.
 *
 * A stream counts until it is gone, DELETING included (it still exists; AWS's counting of a DELETING stream
 * is not documented), and its shards count from CreateStream on, CREATING included (they are reserved).
 */
import { errors, type KinesisError } from './errors';
import {
  ACCOUNT_SHARD_LIMIT,
  ON_DEMAND_STREAM_COUNT_LIMIT,
  STREAMS_CREATING_OR_DELETING_LIMIT,
  type StreamMode,
} from './limits';
import type { Stream } from './stream';

/** The account's quotas (whole numbers ≥ 0). */
export interface AccountLimits {
  /** Open shards of PROVISIONED streams the account may hold (DescribeLimits `ShardLimit`). Default 20,000. */
  shardLimit: number;
  /** ON_DEMAND streams the account may have (DescribeLimits `OnDemandStreamCountLimit`). Default 50. */
  onDemandStreamCountLimit: number;
  /** Streams that may be CREATING or DELETING at once. Default 5. */
  creatingOrDeletingLimit: number;
}

/** What the account uses of its quotas right now. */
export interface AccountUsage {
  /** Open shards of PROVISIONED streams (DescribeLimits `OpenShardCount`). */
  openShardCount: number;
  /** ON_DEMAND streams that exist, whatever their status (DescribeLimits `OnDemandStreamCount`). */
  onDemandStreamCount: number;
  /** Streams whose status is CREATING or DELETING. */
  creatingOrDeletingCount: number;
}

/** DescribeLimits' output [model §15.6] (the SDK's `DescribeLimitsOutput`, without channels). */
export interface DescribeLimitsOutput {
  ShardLimit: number;
  OpenShardCount: number;
  OnDemandStreamCount: number;
  OnDemandStreamCountLimit: number;
}

const limitOr = (value: number | undefined, fallback: number): number =>
  value === undefined || !Number.isFinite(value) ? fallback : Math.max(0, Math.floor(value));

/**
 * The account's quotas from EngineOptions.accountLimits: each one given as a finite number is floored and
 * clamped to ≥ 0 (0 refuses every request it governs); a missing or non-finite one takes its default
 * (ACCOUNT_SHARD_LIMIT, ON_DEMAND_STREAM_COUNT_LIMIT, STREAMS_CREATING_OR_DELETING_LIMIT).
 */
export function resolveAccountLimits(options: Partial<AccountLimits> = {}): AccountLimits {
  return {
    shardLimit: limitOr(options.shardLimit, ACCOUNT_SHARD_LIMIT),
    onDemandStreamCountLimit: limitOr(options.onDemandStreamCountLimit, ON_DEMAND_STREAM_COUNT_LIMIT),
    creatingOrDeletingLimit: limitOr(options.creatingOrDeletingLimit, STREAMS_CREATING_OR_DELETING_LIMIT),
  };
}

/** Counts what the account's streams use of its quotas (one pass over the streams). */
export function accountUsage(streams: Iterable<Stream>): AccountUsage {
  const usage: AccountUsage = { openShardCount: 0, onDemandStreamCount: 0, creatingOrDeletingCount: 0 };
  for (const stream of streams) {
    if (stream.mode === 'ON_DEMAND') usage.onDemandStreamCount++;
    else usage.openShardCount += stream.openShards.length;
    if (stream.status === 'CREATING' || stream.status === 'DELETING') usage.creatingOrDeletingCount++;
  }
  return usage;
}

/**
 * Why CreateStream of a `mode` stream with `shardCount` shards is refused, or undefined if the account admits
 * it. Checked in this order (AWS does not document one): CREATING/DELETING streams, then the ON_DEMAND stream
 * count (ON_DEMAND) or the provisioned shard quota (PROVISIONED). The texts are errors.creatingOrDeletingLimit,
 * errors.onDemandStreamLimit and errors.shardLimit.
 */
export function createStreamRefusal(
  limits: AccountLimits,
  usage: AccountUsage,
  mode: StreamMode,
  shardCount: number,
  accountId: string,
  region: string,
): KinesisError | undefined {
  if (usage.creatingOrDeletingCount >= limits.creatingOrDeletingLimit)
    return errors.creatingOrDeletingLimit(accountId, limits.creatingOrDeletingLimit);
  if (mode === 'ON_DEMAND') {
    if (usage.onDemandStreamCount >= limits.onDemandStreamCountLimit)
      return errors.onDemandStreamLimit(
        accountId,
        region,
        usage.onDemandStreamCount,
        limits.onDemandStreamCountLimit,
      );
    return undefined;
  }
  if (usage.openShardCount + shardCount > limits.shardLimit)
    return errors.shardLimit(accountId, region, usage.openShardCount, limits.shardLimit, shardCount);
  return undefined;
}

/**
 * Why DeleteStream of `stream` is refused, or undefined: deleting a stream that is not yet CREATING or
 * DELETING adds one to that count, which may not pass its limit. Deleting a CREATING or DELETING stream
 * changes nothing and is always admitted.
 */
export function deleteStreamRefusal(
  limits: AccountLimits,
  usage: AccountUsage,
  stream: Stream,
  accountId: string,
): KinesisError | undefined {
  if (stream.status === 'CREATING' || stream.status === 'DELETING') return undefined;
  if (usage.creatingOrDeletingCount >= limits.creatingOrDeletingLimit)
    return errors.creatingOrDeletingLimit(accountId, limits.creatingOrDeletingLimit);
  return undefined;
}

/** DescribeLimits: the provisioned shard quota and use, and the ON_DEMAND stream count and limit. */
export function describeLimits(limits: AccountLimits, usage: AccountUsage): DescribeLimitsOutput {
  return {
    ShardLimit: limits.shardLimit,
    OpenShardCount: usage.openShardCount,
    OnDemandStreamCount: usage.onDemandStreamCount,
    OnDemandStreamCountLimit: limits.onDemandStreamCountLimit,
  };
}
