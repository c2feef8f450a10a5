import {
  CLOUDWATCH_FIELDS,
  type CloudWatchField,
  FIVE_MINUTE_PERIODS_KEPT,
  ONE_MINUTE_PERIODS_KEPT,
  type PeriodRing,
} from './cloudWatchMetrics';
import { diagnoseStream, type ShardDiagnosis, type WindowKeyRate, windowKeyRates } from './diagnosis';
import type { ShardEngine } from './engine';
import { hashKeyFraction } from './hashKey';
import { DIAGNOSIS_WINDOW_SECONDS, type StreamMode, type ThrottleModel } from './limits';
import { SHARD_SERIES, type ShardSeriesName } from './shardMetrics';
import type { Shard, Stream, StreamStatus } from './stream';

/** What the UI draws of any shard, listed or not: its id, parents, hash key range and life times. */
export interface ShardLayout {
  shardId: string;
  parentShardId: string | undefined;
  adjacentParentShardId: string | undefined;
  startingHashKey: string;
  endingHashKey: string;
  /** The range as fractions of the hash space, for drawing. */
  startFraction: number;
  endFraction: number;
  /** Virtual epoch ms the shard was created, began taking writes, and closed (null while open). */
  createdMs: number;
  openedMs: number;
  closedMs: number | null;
}

/** A shard as the UI shows it. */
export interface ShardInfo extends ShardLayout {
  /** Index into the snapshot's per-shard arrays. */
  position: number;
  isOpen: boolean;
}

/** A shard in the stream's lineage: every shard it has had, open, closed or expired [model §9, §15.4]. */
export interface LineageShard extends ShardLayout {
  /** OPEN; CLOSED (less than the retention period ago: readable, listed); EXPIRED (gone from ListShards). */
  state: 'OPEN' | 'CLOSED' | 'EXPIRED';
}

/** A resharding the stream is UPDATING for, and when it is due to settle (typical, not guaranteed). */
export interface PendingReshardInfo {
  operation: 'SplitShard' | 'MergeShards' | 'UpdateShardCount';
  /** The shards it closes (for UpdateShardCount: every open shard). */
  shardIds: string[];
  newStartingHashKey: string | undefined;
  targetShardCount: number | undefined;
  completesAtMs: number;
}

/** Shards of the lineage a snapshot carries: every listed shard, and the newest expired ones up to this. */
export const LINEAGE_MAX_SHARDS = 2000;

/**
 * A hot partition key over the diagnosis window (the last DIAGNOSIS_WINDOW_SECONDS completed virtual
 * seconds), counted by the hash key its records were routed by, on the shard they went to.
 */
export interface HotKeyInfo {
  partitionKey: string;
  /** The hash key as a decimal: the MD5 of the key, or its ExplicitHashKey when `explicit`. */
  hashKey: string;
  explicit: boolean;
  /** A sum over several ExplicitHashKeys of this partition key on this shard (`hashKey` is one of them). */
  spread: boolean;
  /** Where `hashKey` lies in the hash space, in [0, 1) (for drawing). */
  fraction: number;
  shardId: string;
  /** Attempts (accepted + throttled) in the window, their bytes (data + key), and how many were throttled. */
  count: number;
  bytes: number;
  throttled: number;
  /** Its busiest second in the window: records in that second. */
  peakRecordsPerSecond: number;
  /**
   * How much `count` may over-estimate (count-min sketch beyond the exact key limit); 0 = exact; -1 = a sum
   * over ExplicitHashKeys that may be low (more distinct hash keys in a second than were kept).
   */
  error: number;
}

/**
 * Per-shard series over the last `seconds` completed virtual seconds, shard-major: `[shard * seconds + t]`.
 * Float32 (half the bytes to build and transfer): exact below 2^24 per shard-second.
 */
export interface ShardSeries {
  incomingRecords: Float32Array;
  incomingBytes: Float32Array;
  throttledRecords: Float32Array;
  throttledBytes: Float32Array;
  expiredRecords: Float32Array;
  retainedRecords: Float32Array;
}

/**
 * CloudWatch periods of one length (1 or 5 minutes) that had completed at the snapshot's instant, oldest
 * first: the stream-level (basic) metrics in row 0, then shard `CloudWatchSnapshot.shardPositions[r - 1]`
 * (a position in `StreamSnapshot.shards`) in row r. For row r,
 * field f (index in `CloudWatchSnapshot.fields`) and period p: `data[(r * fields.length + f) * periods + p]`.
 * Float64: sums of bytes over a minute pass 2^24.
 */
export interface CloudWatchPeriodSeries {
  periodMinutes: number;
  periods: number;
  /** The epoch minute (virtual ms / 60,000) period 0 starts at; period p starts at firstMinute + p × periodMinutes. */
  firstMinute: number;
  data: Float64Array;
}

/** What CloudWatch would show of the stream and its shards (see engine/cloudWatchMetrics.ts). */
export interface CloudWatchSnapshot {
  fields: readonly CloudWatchField[];
  /**
   * The shards carried (positions in `shards`): all of them up to CLOUDWATCH_SNAPSHOT_MAX_SHARDS, else the
   * busiest (accepted + throttled over the 1-minute periods carried), busiest first.
   */
  shardPositions: Int32Array;
  oneMinute: CloudWatchPeriodSeries;
  fiveMinutes: CloudWatchPeriodSeries;
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
  /** When the stream first took writes (ACTIVE), epoch ms; null while it is CREATING. */
  writableSinceMs: number | null;
  shards: ShardInfo[];
  /** Totals per shard since creation, in `shards` order. */
  accepted: Float64Array;
  acceptedBytes: Float64Array;
  throttled: Float64Array;
  expired: Float64Array;
  retainedRecords: Float64Array;
  retainedBytes: Float64Array;
  /** Retained records held only as counts (released early by the engine's budget, or aggregate simulation). */
  countOnly: Float64Array;
  seconds: number;
  /** The virtual second (epoch s) of series index 0. */
  firstSecond: number;
  series: ShardSeries;
  /** The hottest keys over the last `windowSeconds` completed virtual seconds, hottest first. */
  hotKeys: HotKeyInfo[];
  /** Why each shard that throttled in the window throttles (hot key or hot shard), from the same facts. */
  diagnosis: ShardDiagnosis[];
  windowSeconds: number;
  /** Arrival-time bucket width (ms) of records held as counts only: their expiry is late by at most this. */
  countBucketMs: number;
  /** Every shard the stream has had (the newest LINEAGE_MAX_SHARDS), by ShardId. */
  lineage: LineageShard[];
  /** The resharding the stream is UPDATING for, or null. */
  pendingReshard: PendingReshardInfo | null;
  /** How records are placed: by hash key, or AUTO (even, on-demand only) [model §15.2]. */
  recordDistribution: 'USER_PARTITION_KEY' | 'AUTO';
  /** The capacity mode the stream is switching to (UpdateStreamMode), or null, and when it is due. */
  pendingMode: StreamMode | null;
  pendingModeCompletesAtMs: number | null;
  /** On-demand only [model §15.3]: the 30-day peak of write demand and the scaling under way, if any. */
  onDemand: {
    peakBytesPerSecond: number;
    peakRecordsPerSecond: number;
    /** Shards the scaling will split (each at its middle), and when (virtual ms). */
    scalingShardIds: string[];
    scalingAtMs: number | null;
  } | null;
  /** When the next retained record expires (virtual ms), or null if nothing is retained. */
  nextExpiryMs: number | null;
  totals: { accepted: number; throttled: number; rejected: number };
  /** CloudWatch's 1- and 5-minute periods of the stream and of each shard in `shards` (the CloudWatch lens). */
  cloudWatch: CloudWatchSnapshot;
  /** This stream's records released early from detail by the engine's budget, since the stream was created. */
  releasedRecords: number;
  /**
   * Of `releasedRecords`, those released because all streams' payloads reached `payloadBudgetBytes`; the rest
   * were released because all streams' records held in detail reached `detailBudget`.
   */
  releasedForPayloadRecords: number;
  /**
   * The stream's EXPIRED shards (closed more than the retention period ago, no longer in `shards` or
   * ListShards): how many, and their totals since creation, so stream-wide figures still count their records.
   */
  expiredShards: {
    shards: number;
    accepted: number;
    acceptedBytes: number;
    throttled: number;
    expired: number;
  };
  /**
   * The engine's budget, shared by all streams: records held in detail (`detailBudget`) and payload bytes
   * (`payloadBudgetBytes`: Data and the partition keys records hold); past either, the oldest records across
   * all streams are held as counts only.
   */
  detailBudget: number;
  payloadBudgetBytes: number;
}

const SERIES_FIELDS: readonly (keyof ShardSeries)[] = [
  'incomingRecords',
  'incomingBytes',
  'throttledRecords',
  'throttledBytes',
  'expiredRecords',
  'retainedRecords',
];

/** All series share one buffer (one allocation, one transfer); each is a view of `length` values. */
function seriesViews(buffer: ArrayBuffer, length: number): ShardSeries {
  const views = SERIES_FIELDS.map((_, i) => new Float32Array(buffer, i * length * 4, length));
  return Object.fromEntries(SERIES_FIELDS.map((field, i) => [field, views[i]])) as unknown as ShardSeries;
}

interface SeriesCopy {
  index: number;
  target: Float32Array;
}

const SERIES: Record<keyof ShardSeries, ShardSeriesName> = {
  incomingRecords: 'incomingRecords',
  incomingBytes: 'incomingBytes',
  throttledRecords: 'throttledRecords',
  throttledBytes: 'throttledBytes',
  expiredRecords: 'expiredRecords',
  retainedRecords: 'retainedRecords',
};

// The shard list changes only when shards open, close or age out: it is described once per change, and
// snapshots share those objects (structured clone copies them to the UI anyway).
const describedShards = new WeakMap<Stream, { shards: Shard[]; epoch: number; infos: ShardInfo[] }>();

const describedLineage = new WeakMap<Stream, { key: string; lineage: LineageShard[] }>();

/** The stream's lineage; rebuilt only when shards open, close or expire. */
function lineageOf(stream: Stream, visible: Shard[]): LineageShard[] {
  const key = `${stream.routeEpoch}|${stream.shards.length}|${visible.length}`;
  const cached = describedLineage.get(stream);
  if (cached && cached.key === key) return cached.lineage;
  const shown = new Set(visible);
  // Every listed shard, then the newest expired ones up to the cap.
  const room = Math.max(0, LINEAGE_MAX_SHARDS - visible.length);
  const expired = stream.shards.filter((s) => !shown.has(s));
  const kept = new Set([...visible, ...expired.slice(Math.max(0, expired.length - room))]);
  const lineage = stream.shards
    .filter((s) => kept.has(s))
    .map((shard) => ({
      ...layoutOf(shard),
      state: shard.isOpen ? ('OPEN' as const) : shown.has(shard) ? ('CLOSED' as const) : ('EXPIRED' as const),
    }));
  describedLineage.set(stream, { key, lineage });
  return lineage;
}

function onDemandOf(engine: ShardEngine, stream: Stream): StreamSnapshot['onDemand'] {
  const peak = engine.onDemand.peak(stream, Math.floor(engine.now() / 3_600_000));
  return {
    peakBytesPerSecond: peak.bytes,
    peakRecordsPerSecond: peak.records,
    scalingShardIds: stream.scalingShards.map((s) => s.shardId),
    scalingAtMs: Number.isFinite(stream.scalingAtMs) ? stream.scalingAtMs : null,
  };
}

function pendingReshardOf(stream: Stream): PendingReshardInfo | null {
  const plan = stream.pendingReshard;
  if (!plan) return null;
  const completesAtMs = stream.transitionAtMs;
  if (plan.kind === 'split')
    return {
      operation: 'SplitShard',
      shardIds: [plan.shard.shardId],
      newStartingHashKey: plan.newStartingHashKey.toString(),
      targetShardCount: undefined,
      completesAtMs,
    };
  if (plan.kind === 'merge')
    return {
      operation: 'MergeShards',
      shardIds: [plan.shard.shardId, plan.adjacent.shardId],
      newStartingHashKey: undefined,
      targetShardCount: undefined,
      completesAtMs,
    };
  return {
    operation: 'UpdateShardCount',
    shardIds: stream.openShards.map((s) => s.shardId),
    newStartingHashKey: undefined,
    targetShardCount: plan.target,
    completesAtMs,
  };
}

function layoutOf(shard: Shard): ShardLayout {
  return {
    shardId: shard.shardId,
    parentShardId: shard.parentShardId,
    adjacentParentShardId: shard.adjacentParentShardId,
    startingHashKey: shard.startingHashKey.toString(),
    endingHashKey: shard.endingHashKey.toString(),
    startFraction: hashKeyFraction(shard.startWords),
    endFraction: hashKeyFraction(shard.endWords),
    createdMs: shard.createdMs,
    openedMs: shard.openedMs,
    closedMs: shard.closedAtMs ?? null,
  };
}

function describeShards(stream: Stream, shards: Shard[]): ShardInfo[] {
  const cached = describedShards.get(stream);
  if (
    cached &&
    cached.epoch === stream.routeEpoch &&
    cached.shards.length === shards.length &&
    cached.shards.every((s, i) => s === shards[i])
  ) {
    return cached.infos;
  }
  const infos = shards.map((shard, position) => ({ ...layoutOf(shard), position, isOpen: shard.isOpen }));
  describedShards.set(stream, { shards, epoch: stream.routeEpoch, infos });
  return infos;
}

/**
 * The diagnosis and the window's keys change only when a virtual second ends (or shards change): worked
 * out once per completed second and shared by every snapshot taken during the next one.
 */
const windowFacts = new WeakMap<
  Stream,
  { second: number; epoch: number; diagnosis: ShardDiagnosis[]; keys: WindowKeyRate[] }
>();

function factsOf(stream: Stream, nowMs: number): { diagnosis: ShardDiagnosis[]; keys: WindowKeyRate[] } {
  const second = Math.floor(nowMs / 1000);
  const cached = windowFacts.get(stream);
  if (cached && cached.second === second && cached.epoch === stream.routeEpoch) return cached;
  const facts = {
    second,
    epoch: stream.routeEpoch,
    diagnosis: diagnoseStream(stream, nowMs),
    keys: windowKeyRates(stream, nowMs, true),
  };
  windowFacts.set(stream, facts);
  return facts;
}

/** Shards whose CloudWatch periods a snapshot carries at most (the busiest): the lens shows one at a time. */
export const CLOUDWATCH_SNAPSHOT_MAX_SHARDS = 16;

// Completed periods never change: the choice of shards is made once per virtual minute (and shard list).
const carriedShardsOf = new WeakMap<Stream, { minute: number; infos: ShardInfo[]; positions: Int32Array }>();

/** The positions (in `shards`) of the shards a snapshot carries CloudWatch periods for (see shardPositions). */
function carriedPositions(stream: Stream, shards: Shard[], infos: ShardInfo[], nowMs: number): Int32Array {
  const minute = Math.floor(nowMs / 60_000);
  const cached = carriedShardsOf.get(stream);
  if (cached && cached.minute === minute && cached.infos === infos) return cached.positions;
  let positions: Int32Array;
  if (shards.length <= CLOUDWATCH_SNAPSHOT_MAX_SHARDS) positions = Int32Array.from(shards, (_, i) => i);
  else {
    const first = minute - ONE_MINUTE_PERIODS_KEPT;
    const load = shards.map((shard) => {
      const ring = shard.metrics.periods.oneMinute;
      let sum = 0;
      for (
        let m = Math.max(first, ring.newestPeriod - ring.kept + 1);
        m < minute && m <= ring.newestPeriod;
        m++
      )
        sum += ring.valueAt('incomingRecords', m) + ring.valueAt('throttledRecords', m);
      return sum;
    });
    const order = shards.map((_, i) => i).sort((a, b) => (load[b] as number) - (load[a] as number) || a - b);
    positions = Int32Array.from(order.slice(0, CLOUDWATCH_SNAPSHOT_MAX_SHARDS));
  }
  carriedShardsOf.set(stream, { minute, infos, positions });
  return positions;
}

/** Completed periods of `periodMinutes` at `nowMs`: `periods` of them, for the stream and each carried shard. */
function periodSeries(
  stream: Stream,
  shards: Shard[],
  nowMs: number,
  periodMinutes: number,
  periods: number,
  ring: (periods: { oneMinute: PeriodRing; fiveMinutes: PeriodRing }) => PeriodRing,
): CloudWatchPeriodSeries {
  const fields = CLOUDWATCH_FIELDS.length;
  const endMinute = Math.floor(nowMs / 60_000);
  const firstMinute = (Math.floor(endMinute / periodMinutes) - periods) * periodMinutes;
  const data = new Float64Array((shards.length + 1) * fields * periods);
  ring(stream.cloudWatch).copyCompleted(endMinute, periods, data, 0, periods);
  for (let i = 0; i < shards.length; i++)
    ring((shards[i] as Shard).metrics.periods).copyCompleted(
      endMinute,
      periods,
      data,
      (i + 1) * fields * periods,
      periods,
    );
  return { periodMinutes, periods, firstMinute, data };
}

/**
 * Builds a snapshot of a stream with `seconds` of per-second history and its `hotKeyLimit` hottest keys;
 * undefined if there is no such stream. A pure read of the engine's facts: it changes nothing.
 */
export function buildStreamSnapshot(
  engine: ShardEngine,
  streamName: string,
  seconds = 60,
  hotKeyLimit = 20,
): StreamSnapshot | undefined {
  const stream = engine.stream(streamName);
  if (!stream) return undefined;
  const shards: Shard[] = stream.status === 'CREATING' ? [] : stream.listedShards(engine.now());
  const n = shards.length;
  const perShard = () => new Float64Array(n);
  const facts = factsOf(stream, engine.now());
  const infos = describeShards(stream, shards);
  const carried = carriedPositions(stream, shards, infos, engine.now());
  const carriedShards = Array.from(carried, (i) => shards[i] as Shard);
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
    writableSinceMs: Number.isFinite(stream.writableSinceMs) ? stream.writableSinceMs : null,
    shards: infos,
    accepted: perShard(),
    acceptedBytes: perShard(),
    throttled: perShard(),
    expired: perShard(),
    retainedRecords: perShard(),
    retainedBytes: perShard(),
    countOnly: perShard(),
    seconds,
    firstSecond: Math.floor(engine.now() / 1000) - seconds,
    series: seriesViews(new ArrayBuffer(SERIES_FIELDS.length * n * seconds * 4), n * seconds),
    hotKeys: [],
    diagnosis: facts.diagnosis,
    windowSeconds: DIAGNOSIS_WINDOW_SECONDS,
    countBucketMs: stream.countBucketMs,
    lineage: stream.status === 'CREATING' ? [] : lineageOf(stream, shards),
    pendingReshard: pendingReshardOf(stream),
    recordDistribution: stream.recordDistribution,
    pendingMode: stream.pendingMode ?? null,
    pendingModeCompletesAtMs: stream.pendingMode === undefined ? null : stream.transitionAtMs,
    onDemand: stream.mode === 'ON_DEMAND' ? onDemandOf(engine, stream) : null,
    nextExpiryMs: null,
    totals: { ...stream.totals },
    cloudWatch: {
      fields: CLOUDWATCH_FIELDS,
      shardPositions: carried.slice(),
      oneMinute: periodSeries(
        stream,
        carriedShards,
        engine.now(),
        1,
        ONE_MINUTE_PERIODS_KEPT,
        (c) => c.oneMinute,
      ),
      fiveMinutes: periodSeries(
        stream,
        carriedShards,
        engine.now(),
        5,
        FIVE_MINUTE_PERIODS_KEPT,
        (c) => c.fiveMinutes,
      ),
    },
    releasedRecords: stream.releasedRecords,
    releasedForPayloadRecords: stream.releasedForPayloadRecords,
    expiredShards: expiredShardTotals(stream, shards.length, engine.now()),
    detailBudget: stream.budget.recordLimit,
    payloadBudgetBytes: stream.budget.payloadLimitBytes,
  };
  const seriesCopies: SeriesCopy[] = (Object.keys(SERIES) as (keyof ShardSeries)[]).map((field) => ({
    index: SHARD_SERIES.indexOf(SERIES[field]),
    target: snapshot.series[field],
  }));
  shards.forEach((shard, i) => {
    const m = shard.metrics;
    snapshot.accepted[i] = m.totalIncomingRecords;
    snapshot.acceptedBytes[i] = m.totalIncomingBytes;
    snapshot.throttled[i] = m.totalThrottledRecords;
    snapshot.expired[i] = m.totalExpiredRecords;
    snapshot.retainedRecords[i] = shard.log.retainedRecords;
    snapshot.retainedBytes[i] = shard.log.retainedBytes;
    snapshot.countOnly[i] = shard.log.countOnlyRecords;
    for (let k = 0; k < seriesCopies.length; k++) {
      const copy = seriesCopies[k] as SeriesCopy;
      m.copySeriesAt(copy.index, seconds, copy.target, i * seconds);
    }
  });
  const next = engine.nextExpiryMs(streamName);
  snapshot.nextExpiryMs = Number.isFinite(next) ? next : null;
  snapshot.hotKeys = facts.keys.slice(0, hotKeyLimit).map((k) => ({
    partitionKey: k.partitionKey,
    hashKey: k.hashKey,
    explicit: k.explicit === true,
    spread: k.many,
    fraction: k.fraction,
    shardId: k.shardId,
    count: k.records,
    bytes: k.bytes,
    throttled: k.throttled,
    peakRecordsPerSecond: k.peakRecordsPerSecond ?? 0,
    error: k.error,
  }));
  return snapshot;
}

/**
 * The totals of a stream's shards no longer listed at `nowMs` (its EXPIRED ones; `listed` says how many are
 * listed, so a stream with none expired costs nothing): see StreamSnapshot.
 */
function expiredShardTotals(stream: Stream, listed: number, nowMs: number): StreamSnapshot['expiredShards'] {
  const totals = { shards: 0, accepted: 0, acceptedBytes: 0, throttled: 0, expired: 0 };
  if (stream.status === 'CREATING' || listed === stream.shards.length) return totals;
  for (const shard of stream.shards) {
    if (stream.isListed(shard, nowMs)) continue;
    const m = shard.metrics;
    totals.shards++;
    totals.accepted += m.totalIncomingRecords;
    totals.acceptedBytes += m.totalIncomingBytes;
    totals.throttled += m.totalThrottledRecords;
    totals.expired += m.totalExpiredRecords;
  }
  return totals;
}
