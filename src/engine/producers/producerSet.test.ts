// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createEngine } from '../index';
import { ProducerSet, type ProducerSpec, producerProblem } from './producerSet';

function setup(shards = 4, seed = 3) {
  const engine = createEngine({ seed, transitionMs: 0 });
  engine.call('CreateStream', { StreamName: 's', ShardCount: shards });
  const stream = engine.core.stream('s');
  if (!stream) throw new Error('no stream');
  return { engine, stream, producers: new ProducerSet(engine.core, stream) };
}

const base: ProducerSpec = {
  name: 'p',
  api: 'PutRecords',
  batchSize: 500,
  payloadBytes: { min: 100, max: 100 },
  rate: 2000,
  distribution: { kind: 'uniform', keyCount: 1000 },
};

describe('ProducerSet', () => {
  it('sends at its rate on the virtual clock and accounts every record exactly once', () => {
    const { engine, producers } = setup();
    producers.add({ ...base, durationMs: 5000 });
    producers.advance(10_000);
    const [t] = producers.totals();
    expect(t?.attempted).toBe(10_000);
    expect((t?.accepted ?? 0) + (t?.throttled ?? 0) + (t?.rejected ?? 0)).toBe(t?.attempted);
    expect(t?.throttled).toBe(0); // 2,000 rec/s spread over 4 shards is under 1,000 rec/s each
    expect(t?.running).toBe(false);
    const c = engine.core.counters;
    expect(c.accepted + c.throttled + c.rejected).toBe(10_000);
  });

  it("a hot key over one shard's limit throttles only that shard", () => {
    const { producers, engine } = setup();
    producers.add({
      ...base,
      rate: 3000,
      durationMs: 10_000,
      distribution: { kind: 'hotKey', hotKey: 'a', hotPercent: 50, keyCount: 100 },
    });
    producers.advance(10_000);
    const [t] = producers.totals();
    const hotShard = engine.core.routeKey(
      engine.core.stream('s')!,
      engine.core.stream('s')!.keys.intern('a'),
    );
    expect(hotShard).toBe(0);
    expect(t?.throttledByShard[0]).toBeGreaterThan(3000);
    expect(t?.throttledByShard.slice(1).reduce((a, b) => a + b, 0)).toBe(0);
    const snap = engine.snapshot('s');
    expect(snap?.hotKeys[0]?.partitionKey).toBe('a');
  });

  it('a burst goes out at one instant: 1,000 per shard accepted, the rest throttled', () => {
    const { producers } = setup(1);
    producers.add({ ...base, rate: 'burst', recordCount: 5000, distribution: { kind: 'sequential' } });
    producers.advance(1);
    const [t] = producers.totals();
    expect(t?.accepted).toBe(1000);
    expect(t?.throttled).toBe(4000);
  });

  it('aggregate simulation agrees with per-record simulation within 2% per shard', () => {
    const run = (aggregate: boolean) => {
      const { producers } = setup(8, 11);
      if (aggregate) producers.aggregateThreshold = 0;
      else producers.aggregateThreshold = Number.POSITIVE_INFINITY;
      producers.add({
        ...base,
        rate: 12_000,
        durationMs: 60_000,
        distribution: { kind: 'zipf', keyCount: 500, exponent: 1.1 },
      });
      producers.advance(60_000);
      const [t] = producers.totals();
      return t;
    };
    const exact = run(false);
    const aggregated = run(true);
    expect(aggregated?.aggregated).toBe(true);
    for (let s = 0; s < 8; s++) {
      const a = exact?.acceptedByShard[s] ?? 0;
      const b = aggregated?.acceptedByShard[s] ?? 0;
      expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.max(0.02 * a, 50));
      const x = exact?.throttledByShard[s] ?? 0;
      const y = aggregated?.throttledByShard[s] ?? 0;
      expect(Math.abs(x - y)).toBeLessThanOrEqual(Math.max(0.02 * (a + x), 50));
    }
  });

  it('is deterministic from the seed', () => {
    const run = () => {
      const { producers, engine } = setup(4, 5);
      producers.add({
        ...base,
        rate: 5000,
        durationMs: 3000,
        payloadBytes: { min: 10, max: 2000 },
        distribution: { kind: 'zipf', keyCount: 50, exponent: 1.2 },
      });
      producers.advance(4000);
      return JSON.stringify([producers.totals(), engine.snapshot('s')?.hotKeys]);
    };
    expect(run()).toBe(run());
  });

  it('names the field of a bad spec', () => {
    expect(producerProblem({ ...base, batchSize: 501 })?.[0]).toBe('batchSize');
    expect(producerProblem({ ...base, rate: -1 })?.[0]).toBe('rate');
    expect(producerProblem({ ...base, rate: 'burst' })?.[0]).toBe('recordCount');
    expect(producerProblem({ ...base, distribution: { kind: 'zipf', keyCount: 10, exponent: 0 } })?.[0]).toBe(
      'exponent',
    );
    expect(
      producerProblem({
        ...base,
        distribution: { kind: 'explicitHashKeys', hashKeys: ['340282366920938463463374607431768211456'] },
      })?.[0],
    ).toBe('hashKeys');
    expect(producerProblem(base)).toBeUndefined();
  });
});

describe('ProducerSet.update', () => {
  it("replaces a producer's settings and keeps its totals", () => {
    const { producers } = setup(4, 9);
    const id = producers.add({ ...base, rate: 100, distribution: { kind: 'uniform', keyCount: 10 } });
    producers.advance(1000);
    expect(producers.totals()[0]?.attempted).toBe(100);
    expect(
      producers.update(id, { ...base, name: 'faster', rate: 1000, distribution: { kind: 'sequential' } }),
    ).toBe(true);
    producers.advance(1000);
    const [t] = producers.totals();
    expect(t).toMatchObject({ name: 'faster', attempted: 1100 });
    expect(producers.specs()[0]?.spec.distribution.kind).toBe('sequential');
    expect(producers.update(99, base)).toBe(false);
  });
});
