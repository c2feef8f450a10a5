import type { LessonStatus, PauseCondition } from '../common/lesson';
import { diagnoseStream } from '../engine/diagnosis';
import type { Stream } from '../engine/stream';

/**
 * Virtual ms between looks at a pause condition: every producer step (10 ms) up to 60×, every whole
 * virtual second above (where producers run in aggregate, a second at a time). Slices end on absolute
 * multiples of this, so a step played live and the same step replayed run the same slices.
 */
export function watchUnitMs(speed: number): number {
  return speed <= 60 ? 10 : 1000;
}

/**
 * Watches one lesson step's pause condition on the virtual clock. `check` is called by the clock after
 * every slice it simulates (see ClockDriver); when it returns true the clock pauses at that instant — for
 * a throttle, at the end of the virtual second it happened in, so the completed-second views show it. The
 * outcome (met, when it first held, on which shard) is kept for the snapshot.
 */
export class PauseWatch {
  readonly condition: PauseCondition;
  readonly armedAtMs: number;
  private met = false;
  private atMs: number | null = null;
  private shardId: string | null = null;
  private gaveUpAfterMs: number | null = null;
  /**
   * A throttle was seen mid-second: the clock runs on to the end of that second, so the shard table's last
   * completed second and the diagnosis show the throttling the caption names (epoch ms), then pauses.
   */
  private pauseAtMs: number | null = null;
  /** Throttled totals per ShardId when the watch began (shardThrottles). */
  private baseline = new Map<string, number>();
  private readonly routeEpoch: number;
  private lastDiagnosedSecond = Number.NEGATIVE_INFINITY;

  constructor(condition: PauseCondition, stream: Stream, nowMs: number) {
    this.condition = condition;
    this.armedAtMs = nowMs;
    this.routeEpoch = stream.routeEpoch;
    this.rebase(stream);
  }

  /** Whether the condition has been met (the clock then no longer watches it). */
  get armed(): boolean {
    return !this.met;
  }

  /** Takes the throttled totals afresh: only throttling after now counts (used after a jump). */
  rebase(stream: Stream): void {
    this.baseline = new Map(stream.shards.map((s) => [s.shardId, s.metrics.totalThrottledRecords]));
  }

  /**
   * The next instant the clock may advance to before it must look again (virtual epoch ms): the deadline
   * of `afterSeconds`, otherwise unbounded.
   */
  deadlineMs(): number {
    if (this.pauseAtMs !== null) return this.pauseAtMs;
    return this.condition.kind === 'afterSeconds'
      ? this.armedAtMs + this.condition.seconds * 1000
      : Number.POSITIVE_INFINITY;
  }

  /** Looks at the stream at `nowMs`; true (and remembered) the first time the condition holds. */
  check(stream: Stream | undefined, nowMs: number): boolean {
    if (this.met) return false;
    if (this.pauseAtMs !== null) {
      if (nowMs < this.pauseAtMs) return false;
      this.met = true;
      return true;
    }
    const hit = stream ? this.holds(stream, nowMs) : undefined;
    if (hit === undefined) return false;
    this.atMs = nowMs;
    this.shardId = hit === '' ? null : hit;
    const secondEnds = Math.ceil(nowMs / 1000) * 1000;
    if (this.condition.kind === 'shardThrottles' && secondEnds > nowMs) {
      this.pauseAtMs = secondEnds;
      return false;
    }
    this.met = true;
    return true;
  }

  /** Replaying an earlier step ran this long without meeting the condition (virtual ms). */
  giveUp(afterMs: number): void {
    if (!this.met) this.gaveUpAfterMs = afterMs;
  }

  /** The outcome for the snapshot. */
  status(): NonNullable<LessonStatus['pause']> {
    return {
      condition: this.condition,
      armedAtMs: this.armedAtMs,
      met: this.met,
      atMs: this.atMs,
      shardId: this.shardId,
      gaveUpAfterMs: this.gaveUpAfterMs,
    };
  }

  /** The ShardId the condition holds on ('' when it names none), or undefined when it does not hold. */
  private holds(stream: Stream, nowMs: number): string | undefined {
    const c = this.condition;
    switch (c.kind) {
      case 'afterSeconds':
        return nowMs >= this.deadlineMs() ? '' : undefined;
      case 'streamActive':
        return stream.status === 'ACTIVE' ? '' : undefined;
      case 'shardsChange':
        return stream.routeEpoch !== this.routeEpoch ? '' : undefined;
      case 'shardThrottles': {
        // Shards in ShardId order, so two shards throttling in one slice name the lower one.
        for (const shard of stream.shards) {
          if (c.shardId !== undefined && shard.shardId !== c.shardId) continue;
          if (shard.metrics.totalThrottledRecords > (this.baseline.get(shard.shardId) ?? 0))
            return shard.shardId;
        }
        return undefined;
      }
      case 'diagnosis': {
        // The diagnosis changes only when a virtual second ends.
        const second = Math.floor(nowMs / 1000);
        if (second === this.lastDiagnosedSecond) return undefined;
        this.lastDiagnosedSecond = second;
        const verdict = c.verdict === 'hotKey' ? 'hot-key' : 'hot-shard';
        const found = diagnoseStream(stream, nowMs).find(
          (d) => d.verdict === verdict && (c.shardId === undefined || d.shardId === c.shardId),
        );
        return found?.shardId;
      }
    }
  }
}
