// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { FAULT_MAX_START_MS, FaultInjector, faultProblem } from './faults';
import { createEngine } from './index';

const T0 = 1_700_000_000_000;

function setup(seed = 7) {
  const engine = createEngine({ seed, transitionMs: 0, startTimeMs: T0 });
  engine.call('CreateStream', { StreamName: 's', ShardCount: 2 });
  return engine;
}

const put = (engine: ReturnType<typeof setup>, i: number) =>
  engine.call('PutRecord', { StreamName: 's', PartitionKey: `k${i}`, Data: new Uint8Array(10) });

describe('fault injection', () => {
  it('fails its share of PutRecord calls in its window with InternalFailure (HTTP 500), counted rejected', () => {
    const engine = setup();
    engine.core.faults.set([{ error: 'InternalFailure', sharePercent: 50, startMs: T0, durationMs: 10_000 }]);
    let failed = 0;
    for (let i = 0; i < 400; i++) {
      const r = put(engine, i);
      if (!r.ok) {
        expect(r.error.type).toBe('InternalFailure');
        expect(r.error.status).toBe(500);
        failed++;
      }
    }
    expect(failed).toBeGreaterThan(150);
    expect(failed).toBeLessThan(250);
    const [status] = engine.core.faults.status();
    expect(status?.failedCalls).toBe(failed);
    const c = engine.core.counters;
    expect(c.rejected).toBe(failed);
    expect(c.accepted + c.throttled + c.rejected).toBe(400);
  });

  it('a throttling fault answers PutRecords whole with ProvisionedThroughputExceededException, counted throttled', () => {
    const engine = setup();
    engine.core.faults.set([
      { error: 'ProvisionedThroughputExceededException', sharePercent: 100, startMs: T0, durationMs: 1000 },
    ]);
    const records = [1, 2, 3].map((i) => ({ PartitionKey: `k${i}`, Data: new Uint8Array(5) }));
    const r = engine.call('PutRecords', { StreamName: 's', Records: records });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.type).toBe('ProvisionedThroughputExceededException');
      expect(r.error.status).toBe(400);
      expect(r.error.message).toBe('Rate exceeded for stream s under account 000000000000.');
    }
    expect(engine.core.counters.throttled).toBe(3);
    // After the window, calls go through.
    engine.advanceTime(1000);
    expect(engine.call('PutRecords', { StreamName: 's', Records: records }).ok).toBe(true);
  });

  it('reaches endpoint clients through dispatch, with the wire status', () => {
    const engine = setup();
    engine.core.faults.set([{ error: 'InternalFailure', sharePercent: 100, startMs: T0, durationMs: 1000 }]);
    const body = JSON.stringify({ StreamName: 's', PartitionKey: 'a', Data: 'YQ==' });
    const res = engine.dispatch('Kinesis_20131202.PutRecord', body);
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ __type: 'InternalFailure' });
  });

  it('leaves other streams, invalid requests and dry runs alone', () => {
    const engine = setup();
    engine.call('CreateStream', { StreamName: 'other', ShardCount: 1 });
    engine.core.faults.set([
      { error: 'InternalFailure', sharePercent: 100, startMs: T0, durationMs: 1000, streamName: 'other' },
    ]);
    expect(put(engine, 1).ok).toBe(true);
    const bad = engine.call('PutRecord', { StreamName: 'other', PartitionKey: '', Data: new Uint8Array(1) });
    expect(!bad.ok && bad.error.type).toBe('ValidationException');
  });

  it('same seed, same faults; and fault draws do not move the engine generator', () => {
    const run = () => {
      const engine = setup(11);
      engine.core.faults.set([{ error: 'InternalFailure', sharePercent: 30, startMs: T0, durationMs: 5000 }]);
      const outcomes = Array.from({ length: 200 }, (_, i) => put(engine, i).ok);
      return { outcomes, random: engine.core.random.state().join() };
    };
    const a = run();
    expect(run()).toEqual(a);
    const clean = setup(11);
    for (let i = 0; i < 200; i++) put(clean, i);
    expect(clean.core.random.state().join()).toBe(a.random);
  });

  it('two faults at once both apply: 25 % + 25 % fail ≈ 43.75 % of calls, each credited its own', () => {
    const engine = setup();
    engine.core.faults.set([
      { error: 'InternalFailure', sharePercent: 25, startMs: T0, durationMs: 10_000 },
      { error: 'ProvisionedThroughputExceededException', sharePercent: 25, startMs: T0, durationMs: 10_000 },
    ]);
    let internal = 0;
    let throttled = 0;
    const calls = 8000;
    for (let i = 0; i < calls; i++) {
      // A call every 1 ms: 1,000 calls/s over two shards stays under their limits.
      if (i > 0) engine.advanceTime(1);
      const r = put(engine, i);
      if (!r.ok && r.error.type === 'InternalFailure') internal++;
      else if (!r.ok) throttled++;
    }
    expect((internal + throttled) / calls).toBeGreaterThan(0.42);
    expect((internal + throttled) / calls).toBeLessThan(0.455);
    // A call both pick goes to the first in list order: 25 % for it, 18.75 % for the second.
    expect(internal / calls).toBeCloseTo(0.25, 1);
    expect(throttled / calls).toBeCloseTo(0.1875, 1);
    const [a, b] = engine.core.faults.status();
    expect(a?.failedCalls).toBe(internal);
    expect(b?.failedCalls).toBe(throttled);
    expect(engine.core.faults.failedCallsOn('s', 'ProvisionedThroughputExceededException')).toBe(throttled);
    expect(engine.core.faults.failedCallsOn('s', 'InternalFailure')).toBe(internal);
  });

  it('decideMany: every overlapping fault fails its share, split by window, the first in list order winning', () => {
    const injector = new FaultInjector(3);
    injector.set([
      { error: 'InternalFailure', sharePercent: 25, startMs: 0, durationMs: 1000 },
      { error: 'ProvisionedThroughputExceededException', sharePercent: 25, startMs: 500, durationMs: 1000 },
    ]);
    // (0, 1000]: the first alone on half, both on the other half.
    const hits = injector.decideMany('s', 0, 1000, 100_000);
    const by = (i: number) => hits.find((h) => h.fault === i)?.calls ?? 0;
    expect(Math.abs(by(0) - 25_000)).toBeLessThanOrEqual(1);
    expect(Math.abs(by(1) - 9375)).toBeLessThanOrEqual(1);
    // (1000, 2000]: the first has ended and gets nothing.
    const later = injector.decideMany('s', 1000, 2000, 100_000);
    expect(later.map((h) => h.fault)).toEqual([1]);
    expect(Math.abs((later[0]?.calls ?? 0) - 12_500)).toBeLessThanOrEqual(1);
    // countMany credits exactly the fault decideMany named.
    for (const h of later) injector.countMany('s', h, h.calls * 2);
    const [first, second] = injector.status();
    expect(first?.failedCalls).toBe(0);
    expect(second?.failedRecords).toBe((later[0]?.calls ?? 0) * 2);
    // After both windows: nothing, and no draw.
    expect(injector.decideMany('s', 2000, 3000, 100)).toEqual([]);
  });

  it('refuses a share of 0 (a fault that fails nothing) and a start too far ahead', () => {
    const injector = new FaultInjector(1);
    const good = { error: 'InternalFailure', sharePercent: 10, startMs: 0, durationMs: 1000 } as const;
    expect(injector.set([{ ...good, sharePercent: 0 }])).toEqual([
      'sharePercent',
      'share must be above 0 and at most 100 %',
    ]);
    expect(injector.set([{ ...good, startMs: FAULT_MAX_START_MS + 1 }], 0)).toEqual([
      'startMs',
      'start must be at most 366 days from now',
    ]);
    expect(injector.set([{ ...good, startMs: FAULT_MAX_START_MS }], 0)).toBeUndefined();
  });

  it('refuses a bad spec with a clear message and keeps the faults it had', () => {
    const injector = new FaultInjector(1);
    const good = { error: 'InternalFailure', sharePercent: 10, startMs: 0, durationMs: 1000 } as const;
    expect(injector.set([good])).toBeUndefined();
    expect(injector.set([{ ...good, sharePercent: 101 }])).toEqual([
      'sharePercent',
      'share must be above 0 and at most 100 %',
    ]);
    expect(injector.set([{ ...good, durationMs: 0 }])?.[0]).toBe('durationMs');
    expect(injector.set([{ ...good, error: 'Nope' as 'InternalFailure' }])?.[0]).toBe('error');
    expect(injector.status()).toHaveLength(1);
    expect(faultProblem({ ...good, startMs: Number.NaN })?.[0]).toBe('startMs');
  });
});
