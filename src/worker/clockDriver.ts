import { limits } from '../engine';
import { COARSE_STEP_MS, type ProducerSet } from '../engine/producers/producerSet';
import { watchUnitMs } from './lessonWatch';
import type { JumpProgress, Speed } from './protocol';

/** A tab in the background can stall for seconds; never simulate more than this much wall time per tick. */
const MAX_TICK_WALL_MS = 1000;
/**
 * Wall ms one tick (or one slice of a jump) may spend simulating: what does not fit is not simulated, and
 * the speed achieved says so. Keeps the worker answering commands while it works.
 */
const TICK_BUDGET_MS = 80;
/** Virtual ms a jump advances between looks at the wall clock. */
const JUMP_SLICE_MS = 60_000;
/** Wall ms over which the achieved speed is measured. */
const SPEED_WINDOW_MS = 2000;
/** Records one producer may simulate one by one per 10 ms virtual step at 1× (≈ 500,000 records/s). */
const PER_RECORD_BUDGET_PER_STEP = 5000;

/** The host's wall clock (ms): only for budgets and the achieved speed, never for the simulation itself. */
export type WallClock = () => number;

/** A lesson step's pause condition as the clock sees it (see PauseWatch in lessonWatch.ts). */
export interface Watcher {
  /** Whether the clock should still look (false once the condition was met). */
  readonly armed: boolean;
  /** The virtual epoch ms the clock must stop at to look (afterSeconds), or +Infinity. */
  deadlineMs(): number;
  /** Looks at the simulation at `nowMs`; true when the clock must pause at this instant. */
  check(nowMs: number): boolean;
}

/** What the clock drives: the producers (which advance the engine's virtual clock) and that clock. */
export interface Driven {
  producers: ProducerSet;
  now(): number;
  /** A lesson step's pause condition, while one is armed. */
  watch?: Watcher | undefined;
}

/**
 * Turns wall time into virtual time: play/pause, the speed asked for and the speed achieved, steps, and
 * jumps that simulate the skipped time with the running producers in slices that can be cancelled.
 */
export class ClockDriver {
  playing = true;
  speed: Speed = 1;
  /**
   * A jump in progress: the virtual instant it started from and the one it goes to; before `coarseUntilMs`
   * it may step whole minutes (see ProducerSet.advance).
   */
  private jump: { fromMs: number; targetMs: number; coarseUntilMs: number } | undefined;
  /** Recent ticks (wall ms, virtual ms advanced), for the speed achieved. */
  private speedSamples: { wallMs: number; virtualMs: number; atMs: number }[] = [];
  private readonly wallClock: WallClock;
  /**
   * While a pause condition is watched, ticks advance to whole watch units (see watchUnitMs) and carry the
   * rest of their virtual time (ms) to the next tick, so live play and a replay slice time alike.
   */
  private carryMs = 0;

  constructor(wallClock: WallClock) {
    this.wallClock = wallClock;
  }

  /** Forgets any jump and the speed measured: a new simulation starts. */
  restart(): void {
    this.jump = undefined;
    this.speedSamples = [];
    this.carryMs = 0;
  }

  /** Sets the speed asked for; the speed achieved is measured afresh from now on. */
  setSpeed(speed: Speed): void {
    if (speed !== this.speed) this.speedSamples = [];
    this.speed = speed;
  }

  /** Plays or pauses; playing again measures the speed achieved afresh. */
  setPlaying(playing: boolean): void {
    if (playing && !this.playing) this.speedSamples = [];
    this.playing = playing;
  }

  get jumping(): boolean {
    return this.jump !== undefined;
  }

  /**
   * Advances virtual time by `wallMs` × speed while playing, within TICK_BUDGET_MS of wall time: what does
   * not fit is dropped (the speed achieved shows it). A jump in progress takes the tick instead. Returns
   * whether virtual time moved.
   */
  tick(wallMs: number, sim: Driven): boolean {
    if (this.jump) {
      this.runJump(sim);
      return true;
    }
    if (!this.playing) return false;
    const wall = Math.min(Math.max(0, wallMs), MAX_TICK_WALL_MS);
    this.setAggregateThreshold(sim);
    const started = this.wallClock();
    const target = wall * this.speed;
    const watch = sim.watch?.armed ? sim.watch : undefined;
    if (watch) {
      const unit = watchUnitMs(this.speed);
      const wanted = sim.now() + target + this.carryMs;
      const end = Math.max(sim.now(), Math.floor(wanted / unit) * unit);
      this.carryMs = wanted - end;
      const from = sim.now();
      this.advanceWatched(end, sim, watch, started);
      this.noteSpeed(wallMs, sim.now() - from);
      return true;
    }
    // Slices of at most a hundredth of a second of wall time each, so the budget is checked often enough.
    const slice = Math.max(1, this.speed * 10);
    let advanced = 0;
    while (advanced < target) {
      const ms = Math.min(slice, target - advanced);
      sim.producers.advance(ms);
      advanced += ms;
      if (this.wallClock() - started > TICK_BUDGET_MS) break;
    }
    this.noteSpeed(wallMs, advanced);
    return true;
  }

  /** Past what per-record simulation can do in real time, producers switch to aggregate simulation. */
  private setAggregateThreshold(sim: Driven): void {
    sim.producers.aggregateThreshold = Math.max(1, Math.floor(PER_RECORD_BUDGET_PER_STEP / this.speed));
  }

  /**
   * Advances to `endMs` (virtual epoch ms) in slices that end on whole watch units (and at the watch's
   * deadline), looking at the watch after each: when it is met the clock pauses at that instant and the
   * rest is not simulated. With `budgetFrom` (a wall instant), stops when the tick budget is spent.
   * Returns whether the watch was met.
   */
  advanceWatched(endMs: number, sim: Driven, watch: Watcher, budgetFrom?: number): boolean {
    const unit = watchUnitMs(this.speed);
    for (let now = sim.now(); now < endMs; now = sim.now()) {
      const deadline = watch.deadlineMs();
      const next = Math.min(
        endMs,
        Math.floor(now / unit) * unit + unit,
        deadline > now ? deadline : Number.POSITIVE_INFINITY,
      );
      sim.producers.advance(next - now);
      if (sim.now() <= now) break;
      if (watch.check(sim.now())) {
        this.playing = false;
        this.carryMs = 0;
        return true;
      }
      if (budgetFrom !== undefined && this.wallClock() - budgetFrom > TICK_BUDGET_MS) {
        this.carryMs = 0;
        break;
      }
    }
    return false;
  }

  /**
   * Replays a lesson step's wait without wall-clock budgets: advances as play at the current speed would,
   * until the watch is met or `capMs` of virtual time have passed; the clock is paused either way. Returns
   * the virtual ms simulated.
   */
  runUntilMet(sim: Driven, watch: Watcher, capMs: number): number {
    this.setAggregateThreshold(sim);
    const from = sim.now();
    const unit = watchUnitMs(this.speed);
    this.advanceWatched(Math.floor((from + capMs) / unit) * unit, sim, watch);
    this.playing = false;
    this.carryMs = 0;
    return sim.now() - from;
  }

  /** Steps `ms` of virtual time (Step 1 s), stopping early at an armed watch's condition. */
  step(ms: number, sim: Driven): void {
    const watch = sim.watch?.armed ? sim.watch : undefined;
    if (watch) this.advanceWatched(sim.now() + ms, sim, watch);
    else sim.producers.advance(ms);
  }

  /** Runs the jump in progress to its end at once (a lesson replay), ignoring the tick budget. */
  finishJump(sim: Driven): void {
    while (this.jump) this.runJump(sim, false);
  }

  /**
   * Starts a jump of `ms` virtual ms: it simulates the skipped time with the running producers, in
   * aggregate — a day of traffic is a day of traffic — in slices (the rest on later ticks).
   */
  startJump(ms: number, sim: Driven): void {
    const now = sim.now();
    const targetMs = now + ms;
    this.jump = { fromMs: now, targetMs, coarseUntilMs: targetMs - limits.METRICS_HISTORY_SECONDS * 1000 };
    this.runJump(sim);
  }

  /**
   * Stops the jump in progress where it got to: every count stays consistent. If it was stepping whole
   * minutes, it first simulates METRICS_HISTORY_SECONDS more second by second, so every per-second figure
   * on screen is one the simulation produced second by second.
   */
  cancelJump(sim: Driven): void {
    const jump = this.jump;
    if (!jump) return;
    const now = sim.now();
    if (now > jump.coarseUntilMs - COARSE_STEP_MS || !sim.producers.anySteady) this.jump = undefined;
    else {
      jump.targetMs = Math.ceil(now / 1000) * 1000 + limits.METRICS_HISTORY_SECONDS * 1000;
      jump.coarseUntilMs = now;
    }
  }

  /** Runs the jump in progress for up to TICK_BUDGET_MS of wall time; ends it when it reaches its target. */
  private runJump(sim: Driven, budget = true): void {
    const jump = this.jump;
    if (!jump) return;
    const started = this.wallClock();
    while (sim.now() < jump.targetMs) {
      // Nothing to send: the engine skips idle time in one go (expiry, transitions, metrics).
      const slice = sim.producers.anySteady ? JUMP_SLICE_MS : Number.POSITIVE_INFINITY;
      // Whole minutes at a time until the last METRICS_HISTORY_SECONDS, which keep per-second series.
      sim.producers.advance(Math.min(slice, jump.targetMs - sim.now()), {
        aggregate: true,
        coarseUntilMs: jump.coarseUntilMs,
      });
      if (budget && this.wallClock() - started > TICK_BUDGET_MS) break;
    }
    if (sim.now() >= jump.targetMs) this.jump = undefined;
  }

  private noteSpeed(wallMs: number, virtualMs: number): void {
    const at = this.wallClock();
    this.speedSamples.push({ wallMs: Math.max(0, wallMs), virtualMs, atMs: at });
    while (this.speedSamples.length > 1 && (this.speedSamples[0]?.atMs ?? at) < at - SPEED_WINDOW_MS)
      this.speedSamples.shift();
  }

  /**
   * Virtual ms per wall ms over the last SPEED_WINDOW_MS of play: the speed the simulation kept up, which is
   * below the speed asked for when it could not. Null while paused or before there is anything to measure.
   */
  achievedSpeed(): number | null {
    let wall = 0;
    let virtual = 0;
    for (const sample of this.speedSamples) {
      wall += sample.wallMs;
      virtual += sample.virtualMs;
    }
    return this.playing && wall >= 200 ? virtual / wall : null;
  }

  /** The jump in progress and how far it got (virtual epoch ms), or null. */
  jumpProgress(nowMs: number): JumpProgress | null {
    return this.jump ? { fromMs: this.jump.fromMs, targetMs: this.jump.targetMs, nowMs } : null;
  }
}
