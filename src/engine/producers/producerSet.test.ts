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
    // Generated: sent, or held for the next PutRecords request (at most 100 ms of records).
    const before = producers.totals()[0];
    expect((before?.attempted ?? 0) + (before?.buffered ?? 0)).toBe(100);
    expect(
      producers.update(id, { ...base, name: 'faster', rate: 1000, distribution: { kind: 'sequential' } }),
    ).toBe(true);
    producers.advance(1000);
    const [t] = producers.totals();
    expect(t).toMatchObject({ name: 'faster' });
    expect((t?.attempted ?? 0) + (t?.buffered ?? 0)).toBe(1100);
    expect(producers.specs()[0]?.spec.distribution.kind).toBe('sequential');
    expect(producers.update(99, base)).toBe(false);
  });
});

describe('PutRecords producers send real requests', () => {
  const large: ProducerSpec = {
    ...base,
    payloadBytes: { min: 100 * 1024, max: 100 * 1024 },
    rate: 5000,
    distribution: { kind: 'uniform', keyCount: 10 },
  };

  it('500 entries of 100 KiB are refused whole, as Kinesis refuses a request over 10 MiB [model §4]', () => {
    for (const aggregate of [false, true]) {
      const { engine, stream, producers } = setup(4);
      producers.aggregateThreshold = aggregate ? 0 : Number.POSITIVE_INFINITY;
      producers.add({ ...large, recordCount: 1000 });
      producers.advance(2000);
      const [t] = producers.totals();
      expect(t).toMatchObject({ attempted: 1000, accepted: 0, throttled: 0, rejected: 1000 });
      expect(t?.requestsRejected).toBe(2);
      expect(t?.lastError?.errorType).toBe('InvalidArgumentException');
      expect(t?.lastError?.message).toMatch(/^Records size exceeds the maximum allowed request size/);
      expect(stream.totals).toEqual({ accepted: 0, throttled: 0, rejected: 1000 });
      expect(engine.core.counters.rejected).toBe(1000);
    }
  });

  it('the same records in requests of 50 (5 MiB) go through, throttled on bytes only', () => {
    const { producers } = setup(4);
    producers.add({ ...large, batchSize: 50, recordCount: 1000 });
    producers.advance(2000);
    const [t] = producers.totals();
    expect(t?.rejected).toBe(0);
    expect(t?.requests).toBe(20);
    expect((t?.accepted ?? 0) + (t?.throttled ?? 0)).toBe(1000);
    // Four shards take at most 4 MiB/s (plus a full bucket each at the start): ~100 KiB records.
    expect(t?.accepted).toBeLessThanOrEqual(4 * 10 * 3 + 4);
  });

  it('an entry too large for the stream fails its whole request; PutRecord fails only that record', () => {
    const spec: ProducerSpec = {
      ...base,
      batchSize: 10,
      rate: 100,
      payloadBytes: { min: 1000, max: 1_100_000 },
      distribution: { kind: 'uniform', keyCount: 5 },
    };
    const batched = setup(4);
    batched.producers.add(spec);
    batched.producers.advance(1000);
    const single = setup(4);
    single.producers.add({ ...spec, api: 'PutRecord', batchSize: 1 });
    single.producers.advance(1000);
    const [b] = batched.producers.totals();
    const [s] = single.producers.totals();
    expect(b?.lastError?.message).toMatch(/^Record size exceeds the maximum allowed size/);
    expect(s?.lastError?.message).toMatch(/^Record size exceeds the maximum allowed size/);
    // Whole requests of 10 are refused: far more records rejected than one by one.
    expect((b?.rejected ?? 0) % 10).toBe(0);
    expect(b?.rejected ?? 0).toBeGreaterThan(s?.rejected ?? 0);
    expect((b?.accepted ?? 0) + (b?.throttled ?? 0) + (b?.rejected ?? 0)).toBe(100);
  });
});

describe('hot-key facts follow the hash key the records were routed by', () => {
  it('one PartitionKey spread by random ExplicitHashKeys shows on every shard, and is no hot key', () => {
    for (const aggregate of [false, true]) {
      const { engine, producers } = setup(4);
      producers.aggregateThreshold = aggregate ? 0 : Number.POSITIVE_INFINITY;
      producers.add({
        ...base,
        rate: 3000,
        distribution: { kind: 'explicitHashKeys', partitionKey: 'device-1' },
      });
      producers.advance(10_000);
      const hot = engine.snapshot('s')?.hotKeys ?? [];
      const device = hot.filter((k) => k.partitionKey === 'device-1');
      expect(device.map((k) => k.shardId).sort()).toEqual([
        'shardId-000000000000',
        'shardId-000000000001',
        'shardId-000000000002',
        'shardId-000000000003',
      ]);
      // 5 s × 3,000 records/s spread evenly: ~3,750 per shard.
      for (const k of device) {
        expect(k.explicit).toBe(true);
        expect(k.count).toBeGreaterThan(3000);
        expect(k.count).toBeLessThan(4500);
      }
      expect(engine.snapshot('s')?.diagnosis).toEqual([]);
    }
  });

  it('a key over 1 MiB/s but under 1,000 records/s is a hot key on bytes', () => {
    const { engine, producers } = setup(4);
    producers.add({
      ...base,
      rate: 728,
      payloadBytes: { min: 2000, max: 2000 },
      distribution: { kind: 'weighted', keys: [{ key: 'big', weight: 1 }] },
    });
    producers.advance(6000);
    const [d] = engine.snapshot('s')?.diagnosis ?? [];
    expect(d).toMatchObject({ verdict: 'hot-key', limit: 'bytes' });
    expect(d?.topKey?.partitionKey).toBe('big');
    expect(d?.explanation).toMatch(/KiB\/s/);
  });
});

describe('ProducerSet.advance with fractional virtual ms', () => {
  it('never stalls on a remainder too small to move a ~1.8e12 ms clock (a 3600× tick of 83.37 ms)', () => {
    for (const aggregate of [false, true]) {
      const { engine, producers } = setup(4);
      producers.aggregateThreshold = aggregate ? 1 : Number.POSITIVE_INFINITY;
      producers.add(base);
      const start = engine.now();
      const ms = 123.4 + 83.37 * 3600 + (0.1 + 0.2) + 100 * (1000 / 3);
      producers.advance(123.4);
      producers.advance(83.37 * 3600); // 300132.00000000006
      producers.advance(0.1 + 0.2);
      for (let i = 0; i < 100; i++) producers.advance(1000 / 3);
      expect(Math.abs(engine.now() - start - ms)).toBeLessThan(0.1);
      const [t] = producers.totals();
      expect((t?.attempted ?? 0) + (t?.buffered ?? 0)).toBe(
        Math.floor((2000 * (engine.now() - start)) / 1000),
      );
    }
  }, 10_000);
});
