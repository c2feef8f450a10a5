import type { TypedRequest } from './api/validation';
import type { EngineState } from './engineState';
import { errors } from './errors';
import { midpointHashKey } from './hashKey';
import {
  ON_DEMAND_LOAD_WINDOW_SECONDS,
  ON_DEMAND_PEAK_WINDOW_MS,
  type RecordDistribution,
  SHARD_WRITE_BYTES_PER_SECOND,
  SHARD_WRITE_RECORDS_PER_SECOND,
  SHARDS_PER_STREAM_MAX,
  STREAM_MODE_UPDATES_PER_DAY,
  type StreamMode,
} from './limits';
import type { Resharding } from './resharding';
import type { Shard, Stream } from './stream';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const PEAK_HOURS = ON_DEMAND_PEAK_WINDOW_MS / HOUR_MS;

/** Timing of capacity-mode changes (virtual ms; typical, not guaranteed) and on-demand scaling's figures. */
export interface OnDemandTiming {
  /** How long UpdateStreamMode keeps the stream UPDATING. */
  modeUpdateMs: number;
  /** How long on-demand scaling takes to act (AWS's 2022 guide: within 15 minutes). */
  scaleDelayMs: number;
  /** Capacity kept as a multiple of the 30-day peak (AWS's 2022 guide: 2). */
  peakFactor: number;
  /** A shard's write demand past which it is split, bytes/s (AWS's 2022 guide: 500 KB/s). */
  splitBytesPerSecond: number;
}

/**
 * On-demand capacity [model §15.2, §15.3]: UpdateStreamMode, the AUTO record distribution, and on-demand
 * scaling as AWS's 2022 Developer Guide describes it. Once a virtual second, for an ACTIVE ON_DEMAND stream:
 * it keeps enough shards for twice the peak write demand of the previous 30 days (1 MiB/s each), and splits
 * any shard whose demand over the last minute is above 500 KB/s — evenly, at the middle of its hash range,
 * never by key, so a hot key still throttles. Splits take effect ON_DEMAND_SCALE_DELAY_MS after the decision
 * (the stream stays ACTIVE). Scale-down (gradual, over about a day) is not simulated.
 */
export class OnDemandCapacity {
  private readonly state: EngineState;
  private readonly resharding: Resharding;
  private readonly timing: OnDemandTiming;

  constructor(state: EngineState, resharding: Resharding, timing: OnDemandTiming) {
    this.state = state;
    this.resharding = resharding;
    this.timing = timing;
  }

  /**
   * UpdateStreamMode {StreamARN, StreamModeDetails} [model §15.3]: at most twice in a rolling 24 h; the stream
   * keeps its shards and is UPDATING until the switch is done. Errors: ResourceInUseException (not ACTIVE),
   * InvalidArgumentException (already in that mode), LimitExceededException (a third switch in 24 h).
   */
  updateStreamMode(request: TypedRequest): Record<string, unknown> {
    const stream = this.state.resolveStream(request);
    const mode = (request.StreamModeDetails as { StreamMode: StreamMode }).StreamMode;
    if (stream.status !== 'ACTIVE')
      throw errors.streamNotActive(stream.name, this.state.accountId, stream.status);
    if (stream.mode === mode) throw errors.streamModeUnchanged(mode, stream.name, this.state.accountId);
    const now = this.state.nowMs;
    stream.modeUpdates = stream.modeUpdates.filter((at) => at > now - DAY_MS);
    if (stream.modeUpdates.length >= STREAM_MODE_UPDATES_PER_DAY)
      throw errors.streamModeUpdatesExceeded(STREAM_MODE_UPDATES_PER_DAY, stream.name, this.state.accountId);
    stream.modeUpdates.push(now);
    stream.status = 'UPDATING';
    stream.pendingMode = mode;
    stream.transitionAtMs = now + Math.max(0, this.timing.modeUpdateMs);
    return {};
  }

  /**
   * UpdateStreamRecordDistributionStrategy {StreamARN, RecordDistributionStrategy} [model §15.2]: on-demand
   * streams only (InvalidArgumentException otherwise); takes effect at once, records already written stay
   * where they are.
   */
  updateRecordDistribution(request: TypedRequest): Record<string, unknown> {
    const stream = this.state.resolveStream(request);
    const strategy = request.RecordDistributionStrategy as RecordDistribution;
    if (strategy === 'AUTO' && stream.mode !== 'ON_DEMAND')
      throw errors.recordDistributionNeedsOnDemand(stream.name);
    stream.recordDistribution = strategy;
    return {};
  }

  /** Ends an UpdateStreamMode (the clock calls this when UPDATING ends). A PROVISIONED stream spreads no more. */
  completeModeUpdate(stream: Stream): void {
    if (stream.pendingMode === undefined) return;
    stream.mode = stream.pendingMode;
    stream.pendingMode = undefined;
    if (stream.mode === 'PROVISIONED') {
      stream.recordDistribution = 'USER_PARTITION_KEY';
      stream.scalingAtMs = Number.POSITIVE_INFINITY;
      stream.scalingShards = [];
    }
  }

  /**
   * Once a completed virtual second `second` (epoch s): notes the stream's write demand for its 30-day peak
   * and, for an ACTIVE ON_DEMAND stream with no scaling under way, decides which shards to split.
   */
  onSecond(stream: Stream, second: number): void {
    if (stream.mode !== 'ON_DEMAND') return;
    let bytes = 0;
    let records = 0;
    for (const shard of stream.openShards) {
      const m = shard.metrics;
      bytes += m.valueAt('incomingBytes', second) + m.valueAt('throttledBytes', second);
      records += m.valueAt('incomingRecords', second) + m.valueAt('throttledRecords', second);
    }
    const hour = Math.floor((second * 1000) / HOUR_MS);
    const slot = hour % PEAK_HOURS;
    if (stream.hourlyPeakHour[slot] !== hour) {
      stream.hourlyPeakHour[slot] = hour;
      stream.hourlyPeakBytes[slot] = 0;
      stream.hourlyPeakRecords[slot] = 0;
    }
    if (bytes > (stream.hourlyPeakBytes[slot] as number)) stream.hourlyPeakBytes[slot] = bytes;
    if (records > (stream.hourlyPeakRecords[slot] as number)) stream.hourlyPeakRecords[slot] = records;
    if (stream.status !== 'ACTIVE' || stream.scalingShards.length > 0) return;
    // Judge a layout on a full window of its own load.
    if (second < stream.layoutChangedSec + ON_DEMAND_LOAD_WINDOW_SECONDS) return;
    const chosen = this.shardsToSplit(stream, hour, second);
    if (chosen.length === 0) return;
    stream.scalingShards = chosen;
    stream.scalingAtMs = this.state.nowMs + Math.max(0, this.timing.scaleDelayMs);
  }

  /** The 30-day peak of write demand: bytes/s and records/s (each its own peak). */
  peak(stream: Stream, hour: number): { bytes: number; records: number } {
    let bytes = 0;
    let records = 0;
    for (let i = 0; i < PEAK_HOURS; i++) {
      const at = stream.hourlyPeakHour[i] as number;
      if (at < 0 || at <= hour - PEAK_HOURS) continue;
      bytes = Math.max(bytes, stream.hourlyPeakBytes[i] as number);
      records = Math.max(records, stream.hourlyPeakRecords[i] as number);
    }
    return { bytes, records };
  }

  /**
   * Shards to split: each one over 500 KB/s over the last minute; then, while the open shards (after those
   * splits) hold less than twice the 30-day peak, the busiest of the rest. Never past 10,000 shards.
   */
  private shardsToSplit(stream: Stream, hour: number, second: number): Shard[] {
    const loads = stream.openShards.map((shard) => {
      let bytes = 0;
      for (let s = second - ON_DEMAND_LOAD_WINDOW_SECONDS + 1; s <= second; s++)
        bytes += shard.metrics.valueAt('incomingBytes', s) + shard.metrics.valueAt('throttledBytes', s);
      return { shard, load: bytes / ON_DEMAND_LOAD_WINDOW_SECONDS };
    });
    loads.sort((a, b) => b.load - a.load);
    const chosen = new Set<Shard>();
    for (const { shard, load } of loads) if (load > this.timing.splitBytesPerSecond) chosen.add(shard);
    // Capacity for twice the peak, in bytes and in records (on-demand capacity is stated in both).
    const peak = this.peak(stream, hour);
    const wanted = Math.max(
      Math.ceil((this.timing.peakFactor * peak.bytes) / SHARD_WRITE_BYTES_PER_SECOND),
      Math.ceil((this.timing.peakFactor * peak.records) / SHARD_WRITE_RECORDS_PER_SECOND),
    );
    for (const { shard } of loads) {
      if (stream.openShards.length + chosen.size >= wanted) break;
      chosen.add(shard);
    }
    const room = SHARDS_PER_STREAM_MAX - stream.openShards.length;
    return [...chosen].filter((s) => s.endingHashKey - s.startingHashKey >= 3n).slice(0, Math.max(0, room));
  }

  /** Splits the chosen shards at their middles (the clock calls this when scaling is due). */
  completeScaling(stream: Stream): void {
    const shards = stream.scalingShards;
    stream.scalingShards = [];
    stream.scalingAtMs = Number.POSITIVE_INFINITY;
    if (stream.mode !== 'ON_DEMAND' || stream.status === 'DELETING') return;
    let changed = false;
    for (const shard of shards) {
      if (!shard.isOpen) continue;
      const middle = midpointHashKey(shard.startingHashKey, shard.endingHashKey);
      this.resharding.splitNow(stream, shard, middle);
      changed = true;
    }
    if (changed) {
      stream.reindexOpenShards();
      stream.layoutChangedSec = Math.floor(this.state.nowMs / 1000);
    }
  }
}
