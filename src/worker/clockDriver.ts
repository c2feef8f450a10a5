import { limits } from '../engine';
import { COARSE_STEP_MS, type ProducerSet } from '../engine/producers/producerSet';
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

/** What the clock drives: the producers (which advance the engine's virtual clock) and that clock. */
export interface Driven {
  producers: ProducerSet;
  now(): number;
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

  constructor(wallClock: WallClock) {
    this.wallClock = wallClock;
  }

  /** Forgets any jump and the speed measured: a new simulation starts. */
  restart(): void {
    this.jump = undefined;
    this.speedSamples = [];
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
    // Past what per-record simulation can do in real time, producers switch to aggregate simulation.
    sim.producers.aggregateThreshold = Math.max(1, Math.floor(PER_RECORD_BUDGET_PER_STEP / this.speed));
    const started = this.wallClock();
    const target = wall * this.speed;
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
  private runJump(sim: Driven): void {
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
      if (this.wallClock() - started > TICK_BUDGET_MS) break;
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
