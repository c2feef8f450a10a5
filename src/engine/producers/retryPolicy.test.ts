// @vitest-environment node
import * as smithy from '@smithy/core/retry';
import { describe, expect, it } from 'vitest';
import {
  DELAY_BUCKET_BOUNDS_MS,
  SDK_DEFAULT_MAX_ATTEMPTS,
  SDK_DEFAULT_RETRY_DELAY_BASE_MS,
  SDK_INITIAL_RETRY_TOKENS,
  SDK_MAXIMUM_RETRY_DELAY_MS,
  SDK_NO_RETRY_INCREMENT,
  SDK_RETRY_COST,
  SDK_THROTTLING_RETRY_DELAY_BASE_MS,
  SDK_TIMEOUT_RETRY_COST,
} from '../limits';
import {
  backoffDelayCdf,
  backoffDelayMs,
  delayBucket,
  RetryQuota,
  resolvePolicy,
  retryPolicyProblem,
} from './retryPolicy';

describe('the AWS SDK for JavaScript v3 standard retry strategy', () => {
  const sdk = resolvePolicy({ kind: 'sdkDefault' });

  it("has the pinned SDK's own figures (@smithy/core's retry strategy, read here from the installed client)", () => {
    expect(SDK_DEFAULT_MAX_ATTEMPTS).toBe(smithy.DEFAULT_MAX_ATTEMPTS);
    expect(SDK_DEFAULT_RETRY_DELAY_BASE_MS).toBe(smithy.Retry.delay());
    expect(SDK_THROTTLING_RETRY_DELAY_BASE_MS).toBe(smithy.Retry.throttlingDelay());
    expect(SDK_MAXIMUM_RETRY_DELAY_MS).toBe(smithy.MAXIMUM_RETRY_DELAY);
    expect(SDK_INITIAL_RETRY_TOKENS).toBe(smithy.INITIAL_RETRY_TOKENS);
    expect(SDK_RETRY_COST).toBe(smithy.Retry.throttlingCost());
    expect(SDK_TIMEOUT_RETRY_COST).toBe(smithy.Retry.cost());
    expect(SDK_NO_RETRY_INCREMENT).toBe(smithy.NO_RETRY_INCREMENT);
    // And its quota's payback after a success, from the SDK's own StandardRetryStrategy.
    const theirs = new smithy.StandardRetryStrategy(3) as unknown as {
      capacity: number;
      recordSuccess(token: { getRetryCost(): number | undefined }): void;
    };
    const ours = new RetryQuota();
    for (const [start, cost] of [
      [0, 5],
      [498, 5],
      [100, undefined],
      [500, 14],
    ] as const) {
      theirs.capacity = start;
      ours.capacity = start;
      theirs.recordSuccess({ getRetryCost: () => cost });
      ours.recordSuccess(cost === undefined ? undefined : cost === 5 ? 'throttling' : 'transient');
      expect(ours.capacity).toBe(theirs.capacity);
    }
  });

  it('states those figures', () => {
    expect(SDK_DEFAULT_MAX_ATTEMPTS).toBe(3);
    expect(SDK_DEFAULT_RETRY_DELAY_BASE_MS).toBe(50);
    expect(SDK_THROTTLING_RETRY_DELAY_BASE_MS).toBe(1000);
    expect(SDK_MAXIMUM_RETRY_DELAY_MS).toBe(20_000);
    expect(SDK_INITIAL_RETRY_TOKENS).toBe(500);
    expect(SDK_RETRY_COST).toBe(5);
    expect(SDK_TIMEOUT_RETRY_COST).toBe(14);
    expect(sdk.maxAttempts).toBe(3);
    expect(sdk.jitter).toBe('full');
    expect(sdk.quota).toBe(true);
  });

  it('full jitter: floor(u × min(base × 2^n, 20 s)), base 1,000 ms after throttling, 50 ms otherwise', () => {
    expect(backoffDelayMs(sdk, 0, 'throttling', 0.5)).toBe(500);
    expect(backoffDelayMs(sdk, 1, 'throttling', 0.5)).toBe(1000);
    expect(backoffDelayMs(sdk, 0, 'transient', 0.5)).toBe(25);
    expect(backoffDelayMs(sdk, 1, 'transient', 0.999)).toBe(99);
    expect(backoffDelayMs(sdk, 0, 'throttling', 0)).toBe(0);
    // The cap applies before the draw (DefaultRetryBackoffStrategy): uniform over [0, 20 s) once it binds.
    expect(backoffDelayMs(sdk, 10, 'throttling', 0.5)).toBe(10_000);
    expect(backoffDelayMs(sdk, 10, 'throttling', 0.01)).toBe(200);
  });

  it('the delay CDF matches the draws it describes', () => {
    for (const [policy, n, kind] of [
      [sdk, 0, 'throttling'],
      [sdk, 1, 'transient'],
      [
        resolvePolicy({ kind: 'custom', maxAttempts: 5, baseMs: 300, capMs: 1000, jitter: 'equal' }),
        2,
        'throttling',
      ],
      [
        resolvePolicy({ kind: 'custom', maxAttempts: 5, baseMs: 300, capMs: 1000, jitter: 'none' }),
        1,
        'throttling',
      ],
    ] as const) {
      const draws = 20_000;
      const delays: number[] = [];
      for (let i = 0; i < draws; i++) delays.push(backoffDelayMs(policy, n, kind, (i + 0.5) / draws));
      for (const x of [0, 10, 99, 150, 300, 499, 600, 999, 1000, 5000]) {
        const share = delays.filter((d) => d <= x).length / draws;
        expect(Math.abs(share - backoffDelayCdf(policy, n, kind, x))).toBeLessThan(0.001);
      }
    }
  });

  it('the retry quota: a retry costs 5 (throttling) or 14 (transient); a success gives back its cost, up to 500', () => {
    const q = new RetryQuota();
    for (let i = 0; i < 100; i++) expect(q.tryTake('throttling')).toBe(true);
    expect(q.capacity).toBe(0);
    expect(q.tryTake('throttling')).toBe(false);
    expect(q.refused).toBe(1);
    // The SDK's recordSuccess: min(INITIAL_RETRY_TOKENS, capacity + the last retry's cost, or 1).
    q.recordSuccess('throttling');
    expect(q.capacity).toBe(5);
    q.recordSuccess(undefined);
    expect(q.capacity).toBe(6);
    for (let i = 0; i < 600; i++) q.recordSuccess(undefined);
    expect(q.capacity).toBe(500);
    for (let i = 0; i < 35; i++) q.tryTake('transient');
    expect(q.capacity).toBe(10);
    expect(q.tryTake('transient')).toBe(false);
  });
});

describe('custom policies', () => {
  it('none retries nothing', () => {
    expect(resolvePolicy({ kind: 'none' }).maxAttempts).toBe(1);
    expect(resolvePolicy(undefined).maxAttempts).toBe(1);
  });

  it('no jitter gives the same delay to every record: retries in step', () => {
    const p = resolvePolicy({ kind: 'custom', maxAttempts: 4, baseMs: 200, capMs: 1000, jitter: 'none' });
    expect(new Set([0, 0.3, 0.9].map((u) => backoffDelayMs(p, 1, 'throttling', u)))).toEqual(new Set([400]));
    expect(backoffDelayMs(p, 5, 'throttling', 0.1)).toBe(1000);
  });

  it('names the field of a bad policy', () => {
    const ok = { kind: 'custom', maxAttempts: 3, baseMs: 100, capMs: 1000, jitter: 'full' } as const;
    expect(retryPolicyProblem(ok)).toBeUndefined();
    expect(retryPolicyProblem({ ...ok, maxAttempts: 0 })?.[0]).toBe('retryMaxAttempts');
    expect(retryPolicyProblem({ ...ok, maxAttempts: 11 })?.[0]).toBe('retryMaxAttempts');
    expect(retryPolicyProblem({ ...ok, baseMs: 0 })?.[0]).toBe('retryBaseMs');
    expect(retryPolicyProblem({ ...ok, capMs: 50 })?.[0]).toBe('retryCapMs');
    expect(retryPolicyProblem({ ...ok, capMs: 20_001 })?.[0]).toBe('retryCapMs');
    expect(retryPolicyProblem({ ...ok, jitter: 'some' as 'full' })?.[0]).toBe('retryJitter');
    expect(retryPolicyProblem({ kind: 'often' } as never)?.[0]).toBe('retry');
  });
});

describe('delay histogram buckets', () => {
  it('0 alone, then (previous, bound], then above the last', () => {
    expect(delayBucket(0)).toBe(0);
    expect(delayBucket(1)).toBe(1);
    expect(delayBucket(100)).toBe(1);
    expect(delayBucket(101)).toBe(2);
    expect(delayBucket(20_000)).toBe(DELAY_BUCKET_BOUNDS_MS.length - 1);
    expect(delayBucket(20_001)).toBe(DELAY_BUCKET_BOUNDS_MS.length);
  });
});
