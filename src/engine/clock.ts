import type { EngineState } from './engineState';
import { METRICS_HISTORY_SECONDS } from './limits';
import type { Stream } from './stream';

/** What happens to streams as time passes, beyond the clock's own work (wired by the engine facade). */
export interface ClockHooks {
  /** A stream's UPDATING period ended: apply its resharding or mode switch. */
  completeUpdate(stream: Stream): void;
  /** A stream's on-demand scaling is due. */
  completeScaling(stream: Stream): void;
  /** Virtual second `second` (epoch s) is complete, its metrics rolled. */
  onSecond(stream: Stream, second: number): void;
}

/**
 * The engine's lifecycle and clock: virtual time moves only here. As it passes, streams finish their
 * CREATING/UPDATING/DELETING transitions, records pass retention and expire, each shard's per-second
 * metrics roll over, and each second's hot-key counts close into the diagnosis window [model §0, §7, §8].
 */
export class EngineClock {
  private readonly state: EngineState;

  private readonly hooks: ClockHooks;

  constructor(state: EngineState, hooks: Partial<ClockHooks> = {}) {
    this.state = state;
    this.hooks = { completeUpdate: () => {}, completeScaling: () => {}, onSecond: () => {}, ...hooks };
  }

  /** Advances the virtual clock; state transitions, expiry and per-second metrics happen as time passes. */
  advanceTime(ms: number): void {
    if (!Number.isFinite(ms) || ms <= 0) return;
    const target = this.state.nowMs + ms;
    // Only the last METRICS_HISTORY_SECONDS seconds are kept per second: jump straight to them.
    // Transitions (CREATING, resharding, DELETING) happen at their very instant, even within a long advance.
    for (;;) {
      const transition = this.nextTransitionMs();
      const historyStart = (Math.floor(target / 1000) - METRICS_HISTORY_SECONDS - 1) * 1000;
      const skipTo = Math.min(historyStart, transition);
      if (skipTo > this.state.nowMs && skipTo < target) this.stepTo(skipTo);
      else break;
      if (skipTo === historyStart) break;
    }
    while (this.state.nowMs < target) {
      const nextSecond = (Math.floor(this.state.nowMs / 1000) + 1) * 1000;
      const transition = this.nextTransitionMs();
      const next = Math.min(
        target,
        nextSecond,
        transition > this.state.nowMs ? transition : Number.POSITIVE_INFINITY,
      );
      this.stepTo(next);
    }
  }

  /** The earliest pending CREATING/UPDATING/DELETING transition (virtual ms), or Infinity. */
  private nextTransitionMs(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const stream of this.state.streams.values()) {
      if (stream.transitionAtMs < next) next = stream.transitionAtMs;
      if (stream.scalingAtMs < next) next = stream.scalingAtMs;
    }
    return next;
  }

  private stepTo(timeMs: number): void {
    this.state.nowMs = timeMs;
    const second = Math.floor(timeMs / 1000);
    // A Map iterates safely while the entry being visited is deleted (a DELETING stream going away).
    for (const stream of this.state.streams.values()) {
      if (stream.transitionAtMs <= timeMs) this.completeTransition(stream);
      if (!this.state.streams.has(stream.name)) continue;
      if (stream.scalingAtMs <= timeMs) this.hooks.completeScaling(stream);
      this.expire(stream);
      // Shards' metrics roll over with the stream's hot-key second: once per virtual second, not per step.
      if (second > stream.keySecond) {
        const completed = stream.keySecond;
        this.closeKeySecond(stream, second);
        // The stream's per-second truth for its CloudWatch lens: the completed second's demand over its
        // shards, and whether any of them throttled.
        let demandRecords = 0;
        let demandBytes = 0;
        let throttled = false;
        for (const shard of stream.shards) {
          const metrics = shard.metrics;
          if (second <= metrics.currentSecond) continue;
          demandRecords += metrics.currentDemandRecords;
          demandBytes += metrics.currentDemandBytes;
          if (metrics.currentThrottled > 0) throttled = true;
          metrics.rollTo(second, shard.log.retainedRecords, shard.log.retainedBytes);
        }
        stream.cloudWatch.addSecond(Math.floor(completed / 60), demandRecords, demandBytes, throttled);
        this.hooks.onSecond(stream, second - 1);
      }
    }
  }

  /** Ends the second the hot-key counters were counting: its hottest keys join the diagnosis window. */
  private closeKeySecond(stream: Stream, second: number): void {
    stream.keyWindow.close(stream.keySecond, stream.hotKeys, stream.explicitTally, (words) =>
      stream.openShards.length > 0 ? this.state.routeHashKey(stream, words) : -1,
    );
    stream.hotKeys.reset();
    stream.keySecond = second;
  }

  /** Ends a stream's CREATING/UPDATING (→ ACTIVE) or DELETING (→ gone) transition. */
  completeTransition(stream: Stream): void {
    const atMs = stream.transitionAtMs;
    stream.transitionAtMs = Number.POSITIVE_INFINITY;
    if (stream.status === 'DELETING') this.state.removeStream(stream);
    else {
      if (stream.status === 'CREATING') stream.writableSinceMs = atMs;
      if (stream.status === 'UPDATING') this.hooks.completeUpdate(stream);
      stream.status = 'ACTIVE';
    }
  }

  /**
   * Removes every record whose retention has ended: readable while now < arrival + retention. Skipped until
   * the stream's next expiry is due, unless `force` (after a retention change).
   */
  expire(stream: Stream, force = false): void {
    if (!force && this.state.nowMs < stream.expiryDueMs) return;
    const retention = stream.retentionMs;
    const cutoff = this.state.nowMs - retention;
    // A lower bound of the next expiry: a record written from now on expires at now + retention or later.
    let due = this.state.nowMs + retention;
    for (const shard of stream.shards) {
      let next = shard.log.nextExpiryMs(retention);
      if (next <= this.state.nowMs) {
        const removed = shard.log.expire(cutoff);
        if (removed.records > 0) shard.metrics.recordExpired(removed.records);
        next = shard.log.nextExpiryMs(retention);
      }
      if (next < due) due = next;
    }
    stream.expiryDueMs = due;
  }

  /** When the next retained record of a stream expires (virtual ms), or Infinity. */
  nextExpiryMs(streamName: string): number {
    const stream = this.state.streams.get(streamName);
    if (!stream) return Number.POSITIVE_INFINITY;
    let next = Number.POSITIVE_INFINITY;
    for (const shard of stream.shards) next = Math.min(next, shard.log.nextExpiryMs(stream.retentionMs));
    return next;
  }
}
