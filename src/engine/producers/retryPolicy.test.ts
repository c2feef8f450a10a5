// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  backoffDelayCdf,
  backoffDelayMs,
  DELAY_BUCKET_BOUNDS_MS,
  delayBucket,
  RetryQuota,
  resolvePolicy,
  retryPolicyProblem,
  SDK_DEFAULT_MAX_ATTEMPTS,
  SDK_DEFAULT_RETRY_DELAY_BASE_MS,
  SDK_INITIAL_RETRY_TOKENS,
  SDK_MAXIMUM_RETRY_DELAY_MS,
  SDK_RETRY_COST,
  SDK_THROTTLING_RETRY_DELAY_BASE_MS,
  SDK_TIMEOUT_RETRY_COST,
} from './retryPolicy';

describe('the AWS SDK for JavaScript v3 standard retry strategy', () => {
  const sdk = resolvePolicy({ kind: 'sdkDefault' });

  it("has smithy util-retry's constants", () => {
    expect(SDK_DEFAULT_MAX_ATTEMPTS).toBe(3);
    expect(SDK_DEFAULT_RETRY_DELAY_BASE_MS).toBe(100);
    expect(SDK_THROTTLING_RETRY_DELAY_BASE_MS).toBe(500);
    expect(SDK_MAXIMUM_RETRY_DELAY_MS).toBe(20_000);
    expect(SDK_INITIAL_RETRY_TOKENS).toBe(500);
    expect(SDK_RETRY_COST).toBe(5);
    expect(SDK_TIMEOUT_RETRY_COST).toBe(10);
    expect(sdk.maxAttempts).toBe(3);
    expect(sdk.jitter).toBe('full');
    expect(sdk.quota).toBe(true);
  });

  it('full jitter: floor(min(20 s, u × base × 2^n)), base 500 ms after throttling, 100 ms otherwise', () => {
    expect(backoffDelayMs(sdk, 0, 'throttling', 0.5)).toBe(250);
    expect(backoffDelayMs(sdk, 1, 'throttling', 0.5)).toBe(500);
    expect(backoffDelayMs(sdk, 0, 'transient', 0.5)).toBe(50);
    expect(backoffDelayMs(sdk, 1, 'transient', 0.999)).toBe(199);
    expect(backoffDelayMs(sdk, 0, 'throttling', 0)).toBe(0);
    // The cap applies after the draw, as the SDK computes it.
    expect(backoffDelayMs(sdk, 10, 'throttling', 0.5)).toBe(20_000);
    expect(backoffDelayMs(sdk, 10, 'throttling', 0.01)).toBe(5_120);
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

  it('the retry quota: a retry costs 5 (throttling) or 10 (transient); a success brings it back to 500', () => {
    const q = new RetryQuota();
    for (let i = 0; i < 100; i++) expect(q.tryTake('throttling')).toBe(true);
    expect(q.capacity).toBe(0);
    expect(q.tryTake('throttling')).toBe(false);
    expect(q.refused).toBe(1);
    q.recordSuccess('throttling');
    expect(q.capacity).toBe(500);
    for (let i = 0; i < 50; i++) q.tryTake('transient');
    expect(q.capacity).toBe(0);
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
