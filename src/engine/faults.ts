import { errors, type KinesisError } from './errors';
import { FAULT_ERRORS, FAULT_MAX_DURATION_MS, FAULT_MAX_START_MS, FAULTS_MAX } from './limits';
import { SeededRandom } from './random';

/**
 * Seeded fault injection on the write API, after AWS Fault Injection Service's actions for Kinesis
 * (2025-10) [model §15.6]: a share of PutRecord and PutRecords calls answered with a whole-call error for a
 * window of virtual time, so retry policies can be compared under failure.
 *
 * Which calls fail is drawn from the injector's own generator, seeded from the engine's seed (a fixed
 * transform of it), never from `engine.random`: turning faults on or off does not change any other draw
 * (keys, payload sizes, backoff), and the same seed with the same calls fails the same calls.
 *
 * Several faults active at once all apply, independently: each picks its share of the calls, and a call
 * fails when any of them picks it (25 % and 25 % fail 1 − 0.75² = 43.75 % of calls). A call picked by more
 * than one is answered with, and credited to, the first of them in list order (the order they were set), so
 * the faults' failedCalls add up to the calls that failed.
 */

/** The errors a fault answers with: Kinesis's throttling error, or its 500 server error. */
export type FaultError = (typeof FAULT_ERRORS)[number];
export { FAULT_ERRORS, FAULT_MAX_DURATION_MS, FAULT_MAX_START_MS, FAULTS_MAX };

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

/**
 * Checks a fault spec; returns [field, message] for the first problem, or undefined. With `nowMs` (virtual
 * epoch ms), the window must start at most FAULT_MAX_START_MS after it.
 */
export function faultProblem(spec: FaultSpec, nowMs?: number): [string, string] | undefined {
  if (typeof spec !== 'object' || spec === null) return ['fault', 'a fault must be an object'];
  if (!(FAULT_ERRORS as readonly string[]).includes(spec.error))
    return ['error', 'error must be ProvisionedThroughputExceededException or InternalFailure'];
  // A share of 0 would be a fault that fails nothing: refused rather than kept as a do-nothing row.
  if (!Number.isFinite(spec.sharePercent) || spec.sharePercent <= 0 || spec.sharePercent > 100)
    return ['sharePercent', 'share must be above 0 and at most 100 %'];
  if (!Number.isFinite(spec.startMs) || spec.startMs < 0)
    return ['startMs', 'start must be a virtual instant'];
  if (nowMs !== undefined && spec.startMs - nowMs > FAULT_MAX_START_MS)
    return ['startMs', `start must be at most ${FAULT_MAX_START_MS / 86_400_000} days from now`];
  if (!Number.isFinite(spec.durationMs) || spec.durationMs <= 0 || spec.durationMs > FAULT_MAX_DURATION_MS)
    return ['durationMs', `duration must be above 0 and at most ${FAULT_MAX_DURATION_MS / 86_400_000} days`];
  if (
    spec.streamName !== undefined &&
    (typeof spec.streamName !== 'string' || spec.streamName.length < 1 || spec.streamName.length > 128)
  )
    return ['streamName', 'stream name must be 1 to 128 characters'];
  return undefined;
}

/**
 * Of an aggregate step's calls, those one fault failed (FaultInjector.decideMany): `fault` is its index in
 * the list as set (FaultInjector.status order), `calls` how many of the step's calls it failed.
 */
export interface FaultShare {
  fault: number;
  error: FaultError;
  calls: number;
}

/** A fault's error as Kinesis sends it for a whole call. */
export function faultError(error: FaultError, streamName: string, account: string): KinesisError {
  return error === 'InternalFailure'
    ? errors.internalFailure()
    : errors.streamRateExceeded(streamName, account);
}

/**
 * Counts `records` records of a call an injected fault failed in a producer's totals: throttled for a
 * ProvisionedThroughputExceededException, rejected (with the error as its last one) for an InternalFailure.
 * Returns whether they were throttled. The engine's and stream's own counts are `ShardEngine.countFaulted`.
 */
export function chargeFault(
  totals: {
    throttled: number;
    rejected: number;
    lastError: { errorType: string; message: string } | undefined;
  },
  error: FaultError,
  records: number,
  streamName: string,
  account: string,
): boolean {
  if (error === 'ProvisionedThroughputExceededException') {
    totals.throttled += records;
    return true;
  }
  totals.rejected += records;
  const e = faultError(error, streamName, account);
  totals.lastError = { errorType: e.type, message: e.message };
  return false;
}

/** The engine's fault injector (see the module comment). */
export class FaultInjector {
  private readonly random: SeededRandom;
  private faults: FaultStatus[] = [];
  /** Calls failed per stream name, [throttling, InternalFailure], whichever fault failed them (never reset). */
  private readonly failedByStream = new Map<string, [number, number]>();

  /** `seed` is the engine's seed; the injector's generator is seeded from a fixed transform of it. */
  constructor(seed: number) {
    this.random = new SeededRandom((seed ^ 0x6a09e667) >>> 0);
  }

  /**
   * Replaces the faults (each checked with faultProblem first, against `nowMs` when given: a bad one changes
   * nothing).
   */
  set(specs: FaultSpec[], nowMs?: number): [string, string] | undefined {
    if (!Array.isArray(specs)) return ['faults', 'faults must be a list'];
    if (specs.length > FAULTS_MAX) return ['faults', `at most ${FAULTS_MAX} faults at once`];
    for (const spec of specs) {
      const problem = faultProblem(spec, nowMs);
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

  /**
   * Calls on the stream named `streamName` that faults failed with `error`, since the injector was made
   * (faults replaced or ended included): what the page's error log counts, as Kinesis answered each call.
   */
  failedCallsOn(streamName: string, error: FaultError): number {
    const counts = this.failedByStream.get(streamName);
    return counts ? counts[error === 'InternalFailure' ? 1 : 0] : 0;
  }

  /** Credits `calls` failed calls carrying `records` records to fault `f`, and to the stream's tally. */
  private credit(f: FaultStatus, streamName: string, calls: number, records: number): void {
    f.failedCalls += calls;
    f.failedRecords += records;
    let counts = this.failedByStream.get(streamName);
    if (!counts) {
      counts = [0, 0];
      this.failedByStream.set(streamName, counts);
    }
    counts[f.spec.error === 'InternalFailure' ? 1 : 0] += calls;
  }

  /**
   * Decides one PutRecord or PutRecords call of `records` records at `nowMs`: the fault error it fails with,
   * or undefined. Every fault active for the stream draws, in list order, until one picks the call (the
   * same odds as independent draws where the first in list order wins); that one is credited. Draws from
   * the injector's generator only while a fault is active for the stream.
   */
  decide(streamName: string, nowMs: number, records: number): FaultError | undefined {
    if (this.faults.length === 0) return undefined;
    for (const f of this.faults) {
      const s = f.spec;
      if (nowMs < s.startMs || nowMs >= s.startMs + s.durationMs) continue;
      if (s.streamName !== undefined && s.streamName !== streamName) continue;
      if (this.random.next() * 100 >= s.sharePercent) continue;
      this.credit(f, streamName, 1, records);
      return s.error;
    }
    return undefined;
  }

  /**
   * Aggregate form of `decide`: of `calls` calls sent evenly over (sinceMs, nowMs] (a step of zero length:
   * at the instant nowMs), how many each fault fails. The interval is cut where windows start and end; in
   * each piece the faults active there fail calls as `decide` would, the first in list order credited
   * (expected calls: the piece's calls × its share × what the faults before it left). The total is rounded
   * with one seeded draw and split over the faults by cumulative rounding, so counts stay whole, sum to the
   * total and never exceed `calls`. Faults whose windows miss the interval get nothing. Credits nothing:
   * countMany does, once the records are known. Empty when no call fails.
   */
  decideMany(streamName: string, sinceMs: number, nowMs: number, calls: number): FaultShare[] {
    if (this.faults.length === 0 || calls <= 0) return [];
    const faults = this.faults;
    const expected = new Float64Array(faults.length);
    const applies = (i: number) => {
      const name = (faults[i] as FaultStatus).spec.streamName;
      return name === undefined || name === streamName;
    };
    const activeAt = (i: number, t: number) => {
      const s = (faults[i] as FaultStatus).spec;
      return t >= s.startMs && t < s.startMs + s.durationMs;
    };
    // Expected failed calls per fault in a piece where `at` says which faults are active, `weight` its calls.
    const addPiece = (weight: number, at: (i: number) => boolean) => {
      let left = weight;
      for (let i = 0; i < faults.length && left > 0; i++) {
        if (!applies(i) || !at(i)) continue;
        const picked = (left * (faults[i] as FaultStatus).spec.sharePercent) / 100;
        expected[i] = (expected[i] as number) + picked;
        left -= picked;
      }
    };
    if (nowMs <= sinceMs) addPiece(calls, (i) => activeAt(i, nowMs));
    else {
      const cuts = [sinceMs, nowMs];
      for (let i = 0; i < faults.length; i++) {
        if (!applies(i)) continue;
        const s = (faults[i] as FaultStatus).spec;
        for (const t of [s.startMs, s.startMs + s.durationMs]) if (t > sinceMs && t < nowMs) cuts.push(t);
      }
      cuts.sort((a, b) => a - b);
      const span = nowMs - sinceMs;
      for (let k = 1; k < cuts.length; k++) {
        const from = cuts[k - 1] as number;
        const to = cuts[k] as number;
        if (to <= from) continue;
        // Activity is constant over the piece: read it at its start (windows are [start, end)).
        addPiece((calls * (to - from)) / span, (i) => activeAt(i, from));
      }
    }
    let total = 0;
    for (const e of expected) total += e;
    if (total <= 0) return [];
    const failed = Math.min(calls, Math.floor(total + this.random.next()));
    const shares: FaultShare[] = [];
    let before = 0;
    for (let i = 0; i < faults.length; i++) {
      const e = expected[i] as number;
      if (e <= 0) continue;
      const n = Math.round((failed * (before + e)) / total) - Math.round((failed * before) / total);
      before += e;
      if (n > 0) shares.push({ fault: i, error: (faults[i] as FaultStatus).spec.error, calls: n });
    }
    return shares;
  }

  /**
   * Credits a share decideMany returned (in the same step: the list has not changed since) with the
   * `records` records its calls carried.
   */
  countMany(streamName: string, share: FaultShare, records: number): void {
    const f = this.faults[share.fault];
    if (f && f.spec.error === share.error) this.credit(f, streamName, share.calls, records);
  }
}
