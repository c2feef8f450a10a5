import { errors, type KinesisError } from './errors';
import { FAULT_ERRORS, FAULT_MAX_DURATION_MS, FAULTS_MAX } from './limits';
import { SeededRandom } from './random';

/**
 * Seeded fault injection on the write API, after AWS Fault Injection Service's actions for Kinesis
 * (2025-10) [model §15.6]: a share of PutRecord and PutRecords calls answered with a whole-call error for a
 * window of virtual time, so retry policies can be compared under failure.
 *
 * Which calls fail is drawn from the injector's own generator, seeded from the engine's seed (a fixed
 * transform of it), never from `engine.random`: turning faults on or off does not change any other draw
 * (keys, payload sizes, backoff), and the same seed with the same calls fails the same calls.
 */

/** The errors a fault answers with: Kinesis's throttling error, or its 500 server error. */
export type FaultError = (typeof FAULT_ERRORS)[number];
export { FAULT_ERRORS, FAULT_MAX_DURATION_MS, FAULTS_MAX };

/**
 * A fault: `sharePercent` (0–100) of PutRecord and PutRecords calls from `startMs` (virtual epoch ms) for
 * `durationMs` fail whole with `error`; only calls naming `streamName` when one is given.
 */
export interface FaultSpec {
  error: FaultError;
  sharePercent: number;
  startMs: number;
  durationMs: number;
  streamName?: string;
}

/** A fault and what it did: calls answered with its error, and the records those calls carried. */
export interface FaultStatus {
  spec: FaultSpec;
  failedCalls: number;
  failedRecords: number;
}

/** Checks a fault spec; returns [field, message] for the first problem, or undefined. */
export function faultProblem(spec: FaultSpec): [string, string] | undefined {
  if (typeof spec !== 'object' || spec === null) return ['fault', 'a fault must be an object'];
  if (!(FAULT_ERRORS as readonly string[]).includes(spec.error))
    return ['error', 'error must be ProvisionedThroughputExceededException or InternalFailure'];
  if (!Number.isFinite(spec.sharePercent) || spec.sharePercent < 0 || spec.sharePercent > 100)
    return ['sharePercent', 'share must be from 0 to 100 %'];
  if (!Number.isFinite(spec.startMs) || spec.startMs < 0)
    return ['startMs', 'start must be a virtual instant'];
  if (!Number.isFinite(spec.durationMs) || spec.durationMs <= 0 || spec.durationMs > FAULT_MAX_DURATION_MS)
    return ['durationMs', 'duration must be above 0 and at most 366 days'];
  if (
    spec.streamName !== undefined &&
    (typeof spec.streamName !== 'string' || spec.streamName.length < 1 || spec.streamName.length > 128)
  )
    return ['streamName', 'stream name must be 1 to 128 characters'];
  return undefined;
}

/** A fault's error as Kinesis sends it for a whole call. */
export function faultError(error: FaultError, streamName: string, account: string): KinesisError {
  return error === 'InternalFailure'
    ? errors.internalFailure()
    : errors.streamRateExceeded(streamName, account);
}

/** The engine's fault injector (see the module comment). */
export class FaultInjector {
  private readonly random: SeededRandom;
  private faults: FaultStatus[] = [];

  /** `seed` is the engine's seed; the injector's generator is seeded from a fixed transform of it. */
  constructor(seed: number) {
    this.random = new SeededRandom((seed ^ 0x6a09e667) >>> 0);
  }

  /** Replaces the faults (each checked with faultProblem first: a bad one changes nothing). */
  set(specs: FaultSpec[]): [string, string] | undefined {
    if (!Array.isArray(specs)) return ['faults', 'faults must be a list'];
    if (specs.length > FAULTS_MAX) return ['faults', `at most ${FAULTS_MAX} faults at once`];
    for (const spec of specs) {
      const problem = faultProblem(spec);
      if (problem) return problem;
    }
    // A fault set again as it was keeps what it did (the page sends the whole list when it adds one).
    const same = (a: FaultSpec, b: FaultSpec) =>
      a.error === b.error &&
      a.sharePercent === b.sharePercent &&
      a.startMs === b.startMs &&
      a.durationMs === b.durationMs &&
      a.streamName === b.streamName;
    const before = this.faults;
    this.faults = specs.map((spec) => {
      const kept = before.find((f) => same(f.spec, spec));
      return {
        spec: { ...spec },
        failedCalls: kept?.failedCalls ?? 0,
        failedRecords: kept?.failedRecords ?? 0,
      };
    });
    return undefined;
  }

  /** The faults and what each did, in the order they were set. */
  status(): FaultStatus[] {
    return this.faults.map((f) => ({ ...f, spec: { ...f.spec } }));
  }

  /** Whether any fault is set (a quick test before the per-call work). */
  get any(): boolean {
    return this.faults.length > 0;
  }

  /** The faults active for `streamName` at `nowMs`. */
  private active(streamName: string, nowMs: number): FaultStatus | undefined {
    for (const f of this.faults) {
      const s = f.spec;
      if (nowMs < s.startMs || nowMs >= s.startMs + s.durationMs) continue;
      if (s.streamName !== undefined && s.streamName !== streamName) continue;
      if (s.sharePercent > 0) return f;
    }
    return undefined;
  }

  /**
   * Decides one PutRecord or PutRecords call of `records` records at `nowMs`: the fault error it fails with,
   * or undefined. Draws from the injector's generator only while a fault is active for the stream.
   */
  decide(streamName: string, nowMs: number, records: number): FaultError | undefined {
    if (this.faults.length === 0) return undefined;
    const f = this.active(streamName, nowMs);
    if (!f) return undefined;
    if (this.random.next() * 100 >= f.spec.sharePercent) return undefined;
    f.failedCalls++;
    f.failedRecords += records;
    return f.spec.error;
  }

  /**
   * Aggregate form of `decide`: of `calls` calls carrying `records` records sent over (sinceMs, nowMs], how
   * many fail and with which error, by the expected share over the part of the interval the window covers
   * (rounded with one seeded draw, so counts stay whole and conserve).
   */
  decideMany(
    streamName: string,
    sinceMs: number,
    nowMs: number,
    calls: number,
  ): { error: FaultError; calls: number } | undefined {
    if (this.faults.length === 0 || calls <= 0) return undefined;
    for (const f of this.faults) {
      const s = f.spec;
      if (s.streamName !== undefined && s.streamName !== streamName) continue;
      const span = Math.max(1, nowMs - sinceMs);
      const overlap = Math.max(0, Math.min(nowMs, s.startMs + s.durationMs) - Math.max(sinceMs, s.startMs));
      // A step of zero length (a burst at one instant) is in the window when its instant is.
      const share =
        nowMs === sinceMs ? (nowMs >= s.startMs && nowMs < s.startMs + s.durationMs ? 1 : 0) : overlap / span;
      if (share <= 0 || s.sharePercent <= 0) continue;
      const expected = (calls * share * s.sharePercent) / 100;
      const failed = Math.min(calls, Math.floor(expected + this.random.next()));
      if (failed <= 0) return undefined;
      return { error: s.error, calls: failed };
    }
    return undefined;
  }

  /** Counts records of calls the aggregate path failed (decideMany's answer, once the records are known). */
  countMany(streamName: string, error: FaultError, calls: number, records: number): void {
    for (const f of this.faults) {
      const s = f.spec;
      if (s.error !== error || (s.streamName !== undefined && s.streamName !== streamName)) continue;
      f.failedCalls += calls;
      f.failedRecords += records;
      return;
    }
  }
}
