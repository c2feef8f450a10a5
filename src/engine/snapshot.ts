import type { ShardEngine } from './engine';
import { hashKeyFraction, hashKeyToDecimal } from './hashKey';
import type { StreamMode, ThrottleModel } from './limits';
import type { ShardSeriesName } from './shardMetrics';
import type { Shard, StreamStatus } from './stream';

/** A shard as the UI shows it. */
export interface ShardInfo {
  shardId: string;
  /** Index into the snapshot's per-shard arrays. */
  position: number;
  isOpen: boolean;
  parentShardId: string | undefined;
  adjacentParentShardId: string | undefined;
  startingHashKey: string;
  endingHashKey: string;
  /** The range as fractions of the hash space, for drawing. */
  startFraction: number;
  endFraction: number;
}

/** A hot partition key with the shard it routes to. */
export interface HotKeyInfo {
  partitionKey: string;
  hashKey: string;
  shardId: string;
  count: number;
  throttled: number;
  /** How much `count` may over-estimate (count-min sketch beyond the exact key limit); 0 = exact. */
  error: number;
}

/** Per-shard series over the last `seconds` completed virtual seconds, shard-major: `[shard * seconds + t]`. */
export interface ShardSeries {
  incomingRecords: Float64Array;
  incomingBytes: Float64Array;
  throttledRecords: Float64Array;
  throttledBytes: Float64Array;
  expiredRecords: Float64Array;
  retainedRecords: Float64Array;
}

/** Everything the UI needs about one stream at one virtual instant; arrays are transferable. */
export interface StreamSnapshot {
  nowMs: number;
  streamName: string;
  streamArn: string;
  status: StreamStatus;
  mode: StreamMode;
  throttle: ThrottleModel;
  retentionHours: number;
  maxRecordSizeKiB: number;
  createdMs: number;
  shards: ShardInfo[];
  /** Totals per shard since creation, in `shards` order. */
  accepted: Float64Array;
  acceptedBytes: Float64Array;
  throttled: Float64Array;
  expired: Float64Array;
  retainedRecords: Float64Array;
  retainedBytes: Float64Array;
  /** Retained records held only as counts (released early by the detail budget, or aggregate simulation). */
  countOnly: Float64Array;
  seconds: number;
  /** The virtual second (epoch s) of series index 0. */
  firstSecond: number;
  series: ShardSeries;
  hotKeys: HotKeyInfo[];
  /** When the next retained record expires (virtual ms), or null if nothing is retained. */
  nextExpiryMs: number | null;
  totals: { accepted: number; throttled: number; rejected: number };
  releasedRecords: number;
  detailBudget: number;
}

const SERIES: Record<keyof ShardSeries, ShardSeriesName> = {
  incomingRecords: 'incomingRecords',
  incomingBytes: 'incomingBytes',
  throttledRecords: 'throttledRecords',
  throttledBytes: 'throttledBytes',
  expiredRecords: 'expiredRecords',
  retainedRecords: 'retainedRecords',
};

/** Builds a snapshot of a stream with `seconds` of per-second history; undefined if there is no such stream. */
export function buildStreamSnapshot(
  engine: ShardEngine,
  streamName: string,
  seconds = 60,
  hotKeyLimit = 20,
): StreamSnapshot | undefined {
  const stream = engine.stream(streamName);
  if (!stream) return undefined;
  const shards: Shard[] = stream.status === 'CREATING' ? [] : stream.visibleShards;
  const n = shards.length;
  const perShard = () => new Float64Array(n);
  const snapshot: StreamSnapshot = {
    nowMs: engine.now(),
    streamName: stream.name,
    streamArn: stream.arn,
    status: stream.status,
    mode: stream.mode,
    throttle: stream.throttle,
    retentionHours: stream.retentionHours,
    maxRecordSizeKiB: stream.maxRecordSizeKiB,
    createdMs: stream.createdMs,
    shards: shards.map((s, position) => ({
      shardId: s.shardId,
      position,
      isOpen: s.isOpen,
      parentShardId: s.parentShardId,
      adjacentParentShardId: s.adjacentParentShardId,
      startingHashKey: s.startingHashKey.toString(),
      endingHashKey: s.endingHashKey.toString(),
      startFraction: hashKeyFraction(s.startWords),
      endFraction: hashKeyFraction(s.endWords),
    })),
    accepted: perShard(),
    acceptedBytes: perShard(),
    throttled: perShard(),
    expired: perShard(),
    retainedRecords: perShard(),
    retainedBytes: perShard(),
    countOnly: perShard(),
    seconds,
    firstSecond: Math.floor(engine.now() / 1000) - seconds,
    series: {
      incomingRecords: new Float64Array(n * seconds),
      incomingBytes: new Float64Array(n * seconds),
      throttledRecords: new Float64Array(n * seconds),
      throttledBytes: new Float64Array(n * seconds),
      expiredRecords: new Float64Array(n * seconds),
      retainedRecords: new Float64Array(n * seconds),
    },
    hotKeys: [],
    nextExpiryMs: null,
    totals: { ...stream.totals },
    releasedRecords: stream.releasedRecords,
    detailBudget: stream.detailBudget,
  };
  shards.forEach((shard, i) => {
    const m = shard.metrics;
    snapshot.accepted[i] = m.totalIncomingRecords;
    snapshot.acceptedBytes[i] = m.totalIncomingBytes;
    snapshot.throttled[i] = m.totalThrottledRecords;
    snapshot.expired[i] = m.totalExpiredRecords;
    snapshot.retainedRecords[i] = shard.log.retainedRecords;
    snapshot.retainedBytes[i] = shard.log.retainedBytes;
    snapshot.countOnly[i] = shard.log.countOnlyRecords;
    for (const [field, series] of Object.entries(SERIES) as [keyof ShardSeries, ShardSeriesName][]) {
      m.copySeries(series, seconds, snapshot.series[field], i * seconds);
    }
  });
  const next = engine.nextExpiryMs(streamName);
  snapshot.nextExpiryMs = Number.isFinite(next) ? next : null;
  snapshot.hotKeys = stream.hotKeys.top(hotKeyLimit).map((k) => {
    const shardIndex = stream.openShards.length > 0 ? engine.routeHashKey(stream, k.hashKey) : -1;
    return {
      partitionKey: k.partitionKey,
      hashKey: hashKeyToDecimal(k.hashKey),
      shardId: stream.shards[shardIndex]?.shardId ?? '',
      count: k.count,
      throttled: k.throttled,
      error: k.error,
    };
  });
  return snapshot;
}
