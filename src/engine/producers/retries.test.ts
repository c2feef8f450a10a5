// @vitest-environment node
// Retries and fault injection in ProducerSet: per record and in aggregate, with the conservation invariants.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FaultSpec } from '../faults';
import { createEngine } from '../index';
import { ProducerSet, type ProducerSpec, type ProducerTotals } from './producerSet';
import type { RetryPolicy } from './retryPolicy';

function setup(shards = 1, seed = 3) {
  const engine = createEngine({ seed, transitionMs: 0 });
  engine.call('CreateStream', { StreamName: 's', ShardCount: shards });
  const stream = engine.core.stream('s');
  if (!stream) throw new Error('no stream');
  return { engine, stream, producers: new ProducerSet(engine.core, stream) };
}

/** 1,500 records/s of PutRecord on one shard (1,000 records/s): a third over its limit. */
const overLimit: ProducerSpec = {
  name: 'p',
  api: 'PutRecord',
  batchSize: 1,
  payloadBytes: { min: 100, max: 100 },
  rate: 1500,
  durationMs: 10_000,
  distribution: { kind: 'uniform', keyCount: 1000 },
};

const SDK: RetryPolicy = { kind: 'sdkDefault' };

/** Every attempt once (accepted, throttled or rejected); every record once (delivered, dropped, waiting, held). */
function expectConserved(t: ProducerTotals) {
  const r = t.retries;
  expect(t.accepted + t.throttled + t.rejected).toBe(t.attempted);
  expect(r.deliveredFirst + r.deliveredAfterRetry).toBe(t.accepted);
  expect(r.deliveredFirst + r.deliveredAfterRetry + r.dropped + r.waiting + t.buffered).toBe(r.generated);
  expect(r.generated + r.retryAttempts).toBe(t.attempted + t.buffered);
  expect(r.delayCounts.reduce((a, b) => a + b, 0)).toBe(t.accepted);
}

function run(
  spec: ProducerSpec,
  ms: number,
  options: { aggregate?: boolean; seed?: number; tickMs?: number } = {},
) {
  const { producers, engine } = setup(1, options.seed ?? 3);
  producers.aggregateThreshold = options.aggregate ? 0 : Number.POSITIVE_INFINITY;
  producers.add(spec);
  const tick = options.tickMs ?? 100;
  for (let t = 0; t < ms; t += tick) producers.advance(Math.min(tick, ms - t));
  const [totals] = producers.totals();
  if (!totals) throw new Error('no producer');
  return { totals, engine };
}

describe('retries on a throttled shard', () => {
  it('SDK default retries: amplification above 1 and fewer drops than no retries', () => {
    const none = run({ ...overLimit, retry: { kind: 'none' } }, 15_000).totals;
    const sdk = run({ ...overLimit, retry: SDK }, 15_000).totals;
    expectConserved(none);
    expectConserved(sdk);
    expect(none.retries.dropped).toBe(none.throttled);
    expect(none.retries.amplification).toBe(none.attempted / none.accepted);
    expect(none.retries.retryAttempts).toBe(0);
    expect(sdk.retries.retryAttempts).toBeGreaterThan(0);
    expect(sdk.retries.amplification ?? 0).toBeGreaterThan(1);
    expect(sdk.retries.dropped).toBeLessThan(none.retries.dropped);
    expect(sdk.retries.deliveredAfterRetry).toBeGreaterThan(0);
    // PutRecord: every retry is the SDK's; delivered retries waited (0, 3 s].
    expect(sdk.retries.retriedByCaller).toBe(0);
    expect(sdk.retries.retriedBySdk).toBe(sdk.retries.retryAttempts);
    const [first, ...later] = sdk.retries.delayCounts;
    expect(first).toBe(sdk.retries.deliveredFirst);
    expect(later.slice(6).reduce((a, b) => a + b, 0)).toBe(0); // none over 5 s (1,000 + 2,000 ms at most)
  });

  it('side by side through a burst on one shard, the producer that retries drops fewer (it retries into the quiet after)', () => {
    for (const order of [
      ['none', 'sdkDefault'],
      ['sdkDefault', 'none'],
    ] as const) {
      const { producers } = setup(1, 12);
      producers.aggregateThreshold = Number.POSITIVE_INFINITY;
      for (const kind of order)
        producers.add({ ...overLimit, name: kind, rate: 1500, durationMs: 2000, retry: { kind } });
      producers.advance(8000);
      const byName = new Map(producers.totals().map((t) => [t.name, t]));
      const none = byName.get('none');
      const sdk = byName.get('sdkDefault');
      if (!none || !sdk) throw new Error('no producers');
      expectConserved(none);
      expectConserved(sdk);
      expect(sdk.retries.dropped).toBeLessThan(none.retries.dropped);
      expect(sdk.accepted).toBeGreaterThan(none.accepted);
    }
  });

  it('PutRecords: failed entries are retried by the caller, not the SDK', () => {
    const sdk = run({ ...overLimit, api: 'PutRecords', batchSize: 100, retry: SDK }, 12_000).totals;
    expectConserved(sdk);
    expect(sdk.retries.retriedByCaller).toBeGreaterThan(0);
    expect(sdk.retries.retriedBySdk).toBe(0);
  });

  it('records are retried to the shard that refused them (their key is kept)', () => {
    const { producers, engine } = setup(4, 5);
    producers.aggregateThreshold = Number.POSITIVE_INFINITY;
    producers.add({
      ...overLimit,
      rate: 3000,
      retry: SDK,
      distribution: { kind: 'hotKey', hotKey: 'a', hotPercent: 60, keyCount: 100 },
    });
    producers.advance(12_000);
    const [t] = producers.totals();
    if (!t) throw new Error('no producer');
    expectConserved(t);
    const hot = engine.core.routeKey(engine.core.stream('s')!, engine.core.stream('s')!.keys.intern('a'));
    t.throttledByShard.forEach((n, shard) => {
      if (shard !== hot) expect(n).toBe(0);
    });
  });

  it('no jitter: producers throttled together retry together (a storm in the lanes); full jitter spreads them', () => {
    const storm = (jitter: 'none' | 'full') => {
      const { producers } = setup(1, 9);
      producers.aggregateThreshold = Number.POSITIVE_INFINITY;
      const retry: RetryPolicy = { kind: 'custom', maxAttempts: 3, baseMs: 1000, capMs: 1000, jitter };
      for (let i = 0; i < 4; i++)
        producers.add({ ...overLimit, name: `p${i}`, rate: 'burst', recordCount: 1000, retry });
      producers.advance(1200);
      const lanes = producers.totals().map((t) => t.retries.lanes);
      // The retries' lanes: the last second (the burst itself went out 1.2 s ago, in an earlier lane).
      const summed = (lanes[0] ?? []).map((_, i) => lanes.reduce((sum, l) => sum + (l[i] ?? 0), 0));
      const retries = summed.slice(-11);
      return { peak: Math.max(...retries), total: retries.reduce((a, b) => a + b, 0) };
    };
    const inStep = storm('none');
    const jittered = storm('full');
    // 4,000 records, 1,000 taken: 3,000 retries at exactly +1 s, in one lane.
    expect(inStep.total).toBe(3000);
    expect(inStep.peak).toBe(3000);
    expect(jittered.peak).toBeLessThan(inStep.peak / 3);
  });

  it('the SDK retry quota runs dry when nothing succeeds (500 tokens, 5 a throttling retry)', () => {
    const { producers } = setup(1, 4);
    producers.aggregateThreshold = Number.POSITIVE_INFINITY;
    // A full bucket takes 1,000 at once; then nothing for the 3,000 that follow in the same instant.
    producers.add({ ...overLimit, rate: 'burst', recordCount: 4000, retry: SDK });
    producers.advance(1);
    const [t] = producers.totals();
    if (!t) throw new Error('no producer');
    // Successes came first (the bucket was full), but the quota holds at most 500 tokens: 100 retries.
    expect(t.retries.quotaRefused).toBe(3000 - 100);
    expectConserved(t);
  });
});

describe('memory stays within a budget', () => {
  it('past the record-by-record budget, failed records wait as counts per shard, with the same totals', () => {
    const spec = { ...overLimit, retry: SDK };
    const detailed = run(spec, 12_000).totals;
    const { producers } = setup(1, 3);
    producers.aggregateThreshold = Number.POSITIVE_INFINITY;
    producers.retryDetailBudget = 50;
    producers.add(spec);
    for (let t = 0; t < 12_000; t += 100) producers.advance(100);
    const [counted] = producers.totals();
    if (!counted) throw new Error('no producer');
    expectConserved(counted);
    expect(counted.retries.waiting).toBe(0);
    expect(Math.abs(counted.accepted - detailed.accepted)).toBeLessThanOrEqual(0.02 * detailed.accepted);
    expect(counted.retries.retryAttempts).toBeGreaterThan(0);
  });
});

describe('retries in aggregate (a jump)', () => {
  it('agree with record-by-record retries and conserve exactly', () => {
    // A minute over the limit: in aggregate a retry waits for the next whole second (steps are seconds),
    // so the tail after the producer stops lasts a second or two instead of up to 1.5 s; over a minute
    // that tail is within 2 % of what was delivered.
    const spec = { ...overLimit, durationMs: 60_000, retry: SDK };
    const perRecord = run(spec, 65_000, { tickMs: 100 }).totals;
    const aggregate = run(spec, 65_000, { aggregate: true, tickMs: 6000 }).totals;
    expectConserved(perRecord);
    expectConserved(aggregate);
    expect(aggregate.aggregated).toBe(true);
    // Which delays were measured in whole-second steps: the jump's (retries due after the producer stopped go
    // out in 10 ms steps, as nothing else runs), none record by record.
    expect(aggregate.retries.delaysAggregated).toBeGreaterThan(aggregate.retries.deliveredAfterRetry / 2);
    expect(aggregate.retries.delaysAggregated).toBeLessThanOrEqual(aggregate.retries.deliveredAfterRetry);
    expect(perRecord.retries.delaysAggregated).toBe(0);
    expect(perRecord.retries.lanesAggregated).toBe(false);
    expect(aggregate.retries.waiting).toBe(0);
    expect(perRecord.retries.waiting).toBe(0);
    const close = (a: number, b: number, share: number) =>
      expect(Math.abs(a - b)).toBeLessThanOrEqual(share * b);
    close(aggregate.accepted, perRecord.accepted, 0.02);
    close(aggregate.retries.deliveredFirst, perRecord.retries.deliveredFirst, 0.05);
    close(aggregate.retries.dropped, perRecord.retries.dropped, 0.05);
    close(aggregate.attempted, perRecord.attempted, 0.05);
  });
});

describe('fault injection and producers', () => {
  const fault = (error: FaultSpec['error'], sharePercent: number, startMs: number): FaultSpec => ({
    error,
    sharePercent,
    startMs,
    durationMs: 5000,
  });

  it('InternalFailure on 5 % of calls: SDK retries deliver most of them, no retries drop them', () => {
    const compare = (retry: RetryPolicy, aggregate: boolean) => {
      const { producers, engine } = setup(4, 6);
      producers.aggregateThreshold = aggregate ? 0 : Number.POSITIVE_INFINITY;
      // 5 %: a transient retry costs 14 of the quota and a success gives 1 back, so 380 successes a second
      // pay for the 20 retries (at 30 % the quota runs dry, as the SDK's does).
      engine.core.faults.set([fault('InternalFailure', 5, engine.now())]);
      producers.add({ ...overLimit, rate: 400, durationMs: 5000, retry });
      for (let t = 0; t < 8000; t += 100) producers.advance(100);
      const [t] = producers.totals();
      if (!t) throw new Error('no producer');
      expectConserved(t);
      const c = engine.core.counters;
      expect(c.accepted + c.throttled + c.rejected).toBe(t.attempted);
      return { t, status: engine.core.faults.status()[0] };
    };
    for (const aggregate of [false, true]) {
      const none = compare({ kind: 'none' }, aggregate);
      const sdk = compare(SDK, aggregate);
      expect(none.t.rejected).toBeGreaterThan(50);
      expect(none.t.retries.dropped).toBe(none.t.rejected);
      expect(none.status?.failedRecords).toBe(none.t.rejected);
      expect(sdk.t.retries.dropped).toBeLessThan(none.t.retries.dropped / 5);
      expect(sdk.t.retries.retriedBySdk).toBeGreaterThan(0);
      expect(sdk.t.lastError?.errorType).toBe('InternalFailure');
    }
  });

  it('two faults at once in a jump: both apply (25 % + 25 % ≈ 43.75 % of calls), each credited its own', () => {
    // 400 records/s over 4 shards is far under their limits: every failure is a fault's.
    const { producers, engine, stream } = setup(4, 6);
    producers.aggregateThreshold = 0;
    engine.core.faults.set([
      fault('ProvisionedThroughputExceededException', 25, engine.now()),
      fault('InternalFailure', 25, engine.now()),
    ]);
    producers.add({ ...overLimit, rate: 400, durationMs: 5000, retry: { kind: 'none' } });
    for (let t = 0; t < 5000; t += 1000) producers.advance(1000, { aggregate: true });
    const [t] = producers.totals();
    if (!t) throw new Error('no producer');
    expect(t.aggregated).toBe(true);
    expectConserved(t);
    const failedShare = (t.throttled + t.rejected) / t.attempted;
    expect(failedShare).toBeGreaterThan(0.41);
    expect(failedShare).toBeLessThan(0.465);
    const [ptee, internal] = engine.core.faults.status();
    // The first in list order wins a call both pick: 25 % for it, 0.75 × 25 % = 18.75 % for the second.
    expect(ptee?.failedRecords).toBe(stream.totals.throttled);
    expect(internal?.failedRecords).toBe(stream.totals.rejected);
    expect((ptee?.failedRecords ?? 0) / t.attempted).toBeCloseTo(0.25, 1);
    expect((internal?.failedRecords ?? 0) / t.attempted).toBeCloseTo(0.1875, 1);
    expect((ptee?.failedCalls ?? 0) + (internal?.failedCalls ?? 0)).toBe(t.throttled + t.rejected);
  });

  it('after a jump, failed calls are credited to the faults whose windows overlap each step only', () => {
    const { producers, engine, stream } = setup(4, 6);
    producers.aggregateThreshold = 0;
    const t0 = engine.now();
    engine.core.faults.set([
      { ...fault('InternalFailure', 50, t0), durationMs: 1000 },
      { ...fault('InternalFailure', 50, t0 + 3000), durationMs: 2000 },
    ]);
    producers.add({ ...overLimit, rate: 400, durationMs: 5000, retry: { kind: 'none' } });
    for (let t = 0; t < 5000; t += 1000) producers.advance(1000, { aggregate: true });
    const [t] = producers.totals();
    if (!t) throw new Error('no producer');
    const [ended, later] = engine.core.faults.status();
    // One second of 400 calls at 50 %, then two seconds of them.
    expect(ended?.failedCalls).toBeGreaterThan(150);
    expect(ended?.failedCalls).toBeLessThan(250);
    expect(later?.failedCalls).toBeGreaterThan(330);
    expect(later?.failedCalls).toBeLessThan(470);
    expect((ended?.failedRecords ?? 0) + (later?.failedRecords ?? 0)).toBe(stream.totals.rejected);
    expect(stream.totals.rejected).toBe(t.rejected);
  });

  it('same seed, same faults, same retries', () => {
    const once = () => {
      const { producers, engine } = setup(2, 8);
      engine.core.faults.set([fault('ProvisionedThroughputExceededException', 25, engine.now() + 1000)]);
      producers.add({ ...overLimit, api: 'PutRecords', batchSize: 50, retry: SDK });
      producers.advance(8000);
      return JSON.stringify([producers.totals(), engine.core.faults.status()]);
    };
    expect(once()).toBe(once());
  });
});

describe('conservation, over random policies, specs, faults and jumps', () => {
  const policy = fc.oneof(
    fc.constant<RetryPolicy>({ kind: 'none' }),
    fc.constant<RetryPolicy>({ kind: 'sdkDefault' }),
    fc.record({
      kind: fc.constant('custom' as const),
      maxAttempts: fc.integer({ min: 1, max: 6 }),
      baseMs: fc.integer({ min: 1, max: 2000 }),
      capMs: fc.integer({ min: 2000, max: 20_000 }),
      jitter: fc.constantFrom('full' as const, 'equal' as const, 'none' as const),
    }),
  );
  const step = fc.oneof(
    fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 3000 }) }),
    fc.record({ kind: fc.constant('jump' as const), ms: fc.integer({ min: 1000, max: 30_000 }) }),
  );

  it('attempts = accepted + throttled + rejected; generated = delivered + dropped + waiting + buffered', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            api: fc.constantFrom('PutRecord' as const, 'PutRecords' as const),
            batchSize: fc.integer({ min: 1, max: 500 }),
            rate: fc.integer({ min: 50, max: 5000 }),
            retry: policy,
          }),
          { minLength: 1, maxLength: 3 },
        ),
        // Up to three faults, overlapping or not: all apply at once.
        fc.array(
          fc.record({
            error: fc.constantFrom(
              'ProvisionedThroughputExceededException' as const,
              'InternalFailure' as const,
            ),
            sharePercent: fc.integer({ min: 1, max: 100 }),
            startOffsetMs: fc.integer({ min: 0, max: 5000 }),
            durationMs: fc.integer({ min: 1, max: 10_000 }),
          }),
          { maxLength: 3 },
        ),
        fc.array(step, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 1000 }),
        (specs, faultSpecs, steps, seed) => {
          const { producers, engine } = setup(2, seed);
          producers.aggregateThreshold = 200;
          const now = engine.now();
          const problem = engine.core.faults.set(
            faultSpecs.map(({ startOffsetMs, ...rest }) => ({ ...rest, startMs: now + startOffsetMs })),
          );
          expect(problem).toBeUndefined();
          specs.forEach((s, i) => {
            producers.add({ ...overLimit, ...s, name: `p${i}`, durationMs: 4000 });
          });
          for (const s of steps) producers.advance(s.ms, { aggregate: s.kind === 'jump' });
          let attempted = 0;
          for (const t of producers.totals()) {
            expectConserved(t);
            attempted += t.attempted;
          }
          const c = engine.core.counters;
          expect(c.accepted + c.throttled + c.rejected).toBe(attempted);
          // What the faults say they failed is part of what the engine counted throttled or rejected.
          const faulted = (error: string) =>
            engine.core.faults
              .status()
              .filter((f) => f.spec.error === error)
              .reduce((n, f) => n + f.failedRecords, 0);
          expect(faulted('ProvisionedThroughputExceededException')).toBeLessThanOrEqual(c.throttled);
          expect(faulted('InternalFailure')).toBeLessThanOrEqual(c.rejected);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});

describe('producers sharing a throttled shard', () => {
  it('share its tokens in proportion to what they send, record by record as in a jump', () => {
    const run = (aggregate: boolean) => {
      const { producers } = setup(1, 5);
      producers.aggregateThreshold = aggregate ? 0 : Number.POSITIVE_INFINITY;
      const spec = { ...overLimit, rate: 1000, durationMs: undefined };
      producers.add({ ...spec, name: 'none', retry: { kind: 'none' } });
      producers.add({ ...spec, name: 'sdk', retry: SDK });
      producers.advance(60_000, { aggregate });
      const [none, sdk] = producers.totals() as [ProducerTotals, ProducerTotals];
      return {
        noneDropped: none.retries.dropped / none.retries.generated,
        sdkDropped: sdk.retries.dropped / sdk.retries.generated,
        sdkShare: sdk.accepted / (sdk.accepted + none.accepted),
        attemptShare: sdk.attempted / (sdk.attempted + none.attempted),
      };
    };
    const played = run(false);
    const jumped = run(true);
    // Arrival order gives each the shard's tokens in proportion to its attempts (not half each).
    expect(Math.abs(played.sdkShare - played.attemptShare)).toBeLessThan(0.05);
    // Under sustained overload the SDK's retry quota (5 a throttling retry, 1 back per success) allows few
    // retries: retrying barely changes what a producer loses.
    expect(played.sdkDropped).toBeLessThanOrEqual(played.noneDropped + 0.01);
    // And record by record agrees with the aggregate simulation of a jump.
    expect(Math.abs(played.noneDropped - jumped.noneDropped)).toBeLessThan(0.03);
    expect(Math.abs(played.sdkDropped - jumped.sdkDropped)).toBeLessThan(0.03);
  });
});
