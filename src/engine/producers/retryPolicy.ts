import {
  DELAY_BUCKET_BOUNDS_MS,
  JITTER_KINDS,
  RETRY_CUSTOM_MAX_ATTEMPTS,
  RETRY_CUSTOM_MAX_BASE_MS,
  RETRY_CUSTOM_MAX_CAP_MS,
  SDK_DEFAULT_MAX_ATTEMPTS,
  SDK_DEFAULT_RETRY_DELAY_BASE_MS,
  SDK_INITIAL_RETRY_TOKENS,
  SDK_MAXIMUM_RETRY_DELAY_MS,
  SDK_NO_RETRY_INCREMENT,
  SDK_RETRY_COST,
  SDK_THROTTLING_RETRY_DELAY_BASE_MS,
  SDK_TIMEOUT_RETRY_COST,
} from '../limits';

/**
 * How a simulated producer retries a failed write: the AWS SDK for JavaScript v3's standard retry strategy,
 * no retries, or a custom backoff. Pure functions of a policy and a uniform draw, so the per-record path
 * (one draw per retry) and the aggregate path (exact shares of a batch per delay bin) share one definition.
 *
 * The SDK's figures, from the pinned client's retry strategy (@aws-sdk/client-kinesis 3.1143.0 →
 * @smithy/core 3.41.1, `submodules/retry`; limits.ts names each):
 * - DEFAULT_MAX_ATTEMPTS = 3 attempts in all, the first included.
 * - `DefaultRetryBackoffStrategy.computeNextBackoffDelay(n)` = `floor(random() × min(base × 2^n,
 *   MAXIMUM_RETRY_DELAY))`, n the retries made so far (0 before the first): full jitter.
 * - `StandardRetryStrategy.refreshRetryTokenForRetry`: THROTTLING and TRANSIENT errors are retried while
 *   attempts < maxAttempts and the quota holds the retry's cost; the base is Retry.throttlingDelay() (1,000 ms)
 *   after a THROTTLING error, else Retry.delay() (50 ms); the cost Retry.throttlingCost() (5) for THROTTLING,
 *   else Retry.cost() (14) (`retries-2026-config`, which replaced the older 100 / 500 ms bases and 5 / 10
 *   costs). `recordSuccess`: capacity = min(INITIAL_RETRY_TOKENS, capacity + the last retry's cost, or
 *   NO_RETRY_INCREMENT after a call that needed none).
 * - THROTTLING_ERROR_CODES include ProvisionedThroughputExceededException [model §6]; HTTP 500
 *   (InternalFailure) is a TRANSIENT_ERROR_STATUS_CODE.
 */

/** How a delay is spread: full jitter (the SDK's), equal jitter (half fixed, half random) or none. */
export type JitterKind = (typeof JITTER_KINDS)[number];

/**
 * A producer's retry policy. `sdkDefault` is the AWS SDK for JavaScript v3's standard mode; `custom` is a
 * producer's own retry loop: `maxAttempts` in all (1 = never retry), delay before retry n =
 * jitter(min(capMs, baseMs × 2^n)), no retry quota.
 */
export type RetryPolicy =
  | { kind: 'none' }
  | { kind: 'sdkDefault' }
  | { kind: 'custom'; maxAttempts: number; baseMs: number; capMs: number; jitter: JitterKind };

/** Why a write failed, as the SDK classifies it: THROTTLING (PTEE) or TRANSIENT (InternalFailure, HTTP 500). */
export type FailureKind = 'throttling' | 'transient';

/** Checks a retry policy; returns [field, message] for the first problem, or undefined. */
export function retryPolicyProblem(policy: RetryPolicy): [string, string] | undefined {
  if (typeof policy !== 'object' || policy === null) return ['retry', 'retry policy must be an object'];
  if (policy.kind === 'none' || policy.kind === 'sdkDefault') return undefined;
  if (policy.kind !== 'custom') return ['retry', 'retry policy must be none, sdkDefault or custom'];
  const { maxAttempts, baseMs, capMs, jitter } = policy;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > RETRY_CUSTOM_MAX_ATTEMPTS)
    return ['retryMaxAttempts', `attempts must be a whole number from 1 to ${RETRY_CUSTOM_MAX_ATTEMPTS}`];
  if (!Number.isFinite(baseMs) || baseMs < 1 || baseMs > RETRY_CUSTOM_MAX_BASE_MS)
    return ['retryBaseMs', `backoff base must be from 1 to ${RETRY_CUSTOM_MAX_BASE_MS} ms`];
  if (!Number.isFinite(capMs) || capMs < baseMs || capMs > RETRY_CUSTOM_MAX_CAP_MS)
    return ['retryCapMs', `backoff cap must be from the base to ${RETRY_CUSTOM_MAX_CAP_MS} ms`];
  if (!(JITTER_KINDS as readonly string[]).includes(jitter))
    return ['retryJitter', 'jitter must be full, equal or none'];
  return undefined;
}

/** A policy resolved to numbers: what the retry loop reads. */
export interface ResolvedPolicy {
  maxAttempts: number;
  /** Delay base after a throttling / a transient failure, ms. */
  throttlingBaseMs: number;
  transientBaseMs: number;
  capMs: number;
  jitter: JitterKind;
  /** Whether the SDK's retry quota applies. */
  quota: boolean;
}

/** The numbers of a policy. */
export function resolvePolicy(policy: RetryPolicy | undefined): ResolvedPolicy {
  if (policy === undefined || policy.kind === 'none')
    return {
      maxAttempts: 1,
      throttlingBaseMs: 0,
      transientBaseMs: 0,
      capMs: 0,
      jitter: 'none',
      quota: false,
    };
  if (policy.kind === 'sdkDefault')
    return {
      maxAttempts: SDK_DEFAULT_MAX_ATTEMPTS,
      throttlingBaseMs: SDK_THROTTLING_RETRY_DELAY_BASE_MS,
      transientBaseMs: SDK_DEFAULT_RETRY_DELAY_BASE_MS,
      capMs: SDK_MAXIMUM_RETRY_DELAY_MS,
      jitter: 'full',
      quota: true,
    };
  return {
    maxAttempts: policy.maxAttempts,
    throttlingBaseMs: policy.baseMs,
    transientBaseMs: policy.baseMs,
    capMs: policy.capMs,
    jitter: policy.jitter,
    quota: false,
  };
}

/** The exponential ceiling of retry n (0-based), ms: base × 2^n. */
function ceilingMs(policy: ResolvedPolicy, retriesMade: number, kind: FailureKind): number {
  const base = kind === 'throttling' ? policy.throttlingBaseMs : policy.transientBaseMs;
  return base * 2 ** retriesMade;
}

/**
 * The delay before the next attempt, whole ms, for a uniform draw `u` in [0, 1), with c = min(cap, base ×
 * 2^n): full jitter is the SDK's `floor(u × c)`; equal jitter `floor(c/2 + u × c/2)`; none `floor(c)`.
 * `retriesMade` is 0 before the first retry.
 */
export function backoffDelayMs(
  policy: ResolvedPolicy,
  retriesMade: number,
  kind: FailureKind,
  u: number,
): number {
  const c = Math.min(policy.capMs, ceilingMs(policy, retriesMade, kind));
  if (policy.jitter === 'full') return Math.floor(u * c);
  if (policy.jitter === 'equal') return Math.floor(c / 2 + (u * c) / 2);
  return Math.floor(c);
}

/**
 * P(delay ≤ x) for whole ms x under `backoffDelayMs` with u uniform in [0, 1): the exact distribution the
 * aggregate path spreads a batch of retries by.
 */
export function backoffDelayCdf(
  policy: ResolvedPolicy,
  retriesMade: number,
  kind: FailureKind,
  x: number,
): number {
  if (x < 0) return 0;
  const c = Math.min(policy.capMs, ceilingMs(policy, retriesMade, kind));
  const k = Math.floor(x);
  if (policy.jitter === 'full') {
    // floor(u·c) ≤ k ⟺ u·c < k + 1.
    if (c <= 0) return 1;
    return Math.min(1, (k + 1) / c);
  }
  if (policy.jitter === 'none') return k >= Math.floor(c) ? 1 : 0;
  // floor(c/2 + u·c/2) ≤ k ⟺ u < (k + 1 − c/2) / (c/2).
  const half = c / 2;
  if (half <= 0) return 1;
  return Math.min(1, Math.max(0, (k + 1 - half) / half));
}

/** The longest delay a policy can draw before retry n, ms. */
export function maxBackoffDelayMs(policy: ResolvedPolicy, retriesMade: number, kind: FailureKind): number {
  return backoffDelayMs(policy, retriesMade, kind, 1 - 2 ** -32);
}

/**
 * The SDK's retry quota (one per client: a producer here), as smithy-typescript's StandardRetryStrategy
 * keeps it. `tryTake` is refreshRetryTokenForRetry's check and debit; `recordSuccess` its payback.
 */
export class RetryQuota {
  capacity = SDK_INITIAL_RETRY_TOKENS;
  /** Retries the quota refused (the record then fails with the error it got). */
  refused = 0;

  /** Takes a retry's cost if the quota holds it; false (and counted) if not. */
  tryTake(kind: FailureKind): boolean {
    const cost = kind === 'transient' ? SDK_TIMEOUT_RETRY_COST : SDK_RETRY_COST;
    if (this.capacity < cost) {
      this.refused++;
      return false;
    }
    this.capacity -= cost;
    return true;
  }

  /**
   * Aggregate form of recordSuccess over a step: successful calls paid back `tokens` in all. Within the step
   * paybacks and retries interleave, so the capacity may pass INITIAL_RETRY_TOKENS until `settle` caps it.
   */
  payBack(tokens: number): void {
    this.capacity += tokens;
  }

  /** Ends an aggregate step: the capacity never stays above INITIAL_RETRY_TOKENS. */
  settle(): void {
    this.capacity = Math.min(SDK_INITIAL_RETRY_TOKENS, this.capacity);
  }

  /** A call succeeded: after a retry of `lastKind` its cost comes back, else NO_RETRY_INCREMENT. */
  recordSuccess(lastKind: FailureKind | undefined): void {
    const payback =
      lastKind === undefined
        ? SDK_NO_RETRY_INCREMENT
        : lastKind === 'transient'
          ? SDK_TIMEOUT_RETRY_COST
          : SDK_RETRY_COST;
    this.capacity = Math.min(SDK_INITIAL_RETRY_TOKENS, this.capacity + payback);
  }
}

/** Buckets of the delay histogram: one per bound and one above the last. */
export const DELAY_BUCKETS = DELAY_BUCKET_BOUNDS_MS.length + 1;

/** The delay histogram bucket of a delay in ms (see DELAY_BUCKET_BOUNDS_MS). */
export function delayBucket(delayMs: number): number {
  const bounds = DELAY_BUCKET_BOUNDS_MS;
  for (let i = 0; i < bounds.length; i++) if (delayMs <= (bounds[i] as number)) return i;
  return bounds.length;
}
