// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createEngine } from '../index';
import { SeededRandom } from '../random';
import { createKeySampler } from './keyDistribution';
import { ProducerSet, type ProducerSpec } from './producerSet';

function setup(shards: number) {
  const engine = createEngine({ seed: 9, transitionMs: 0 });
  engine.call('CreateStream', { StreamName: 's', ShardCount: shards });
  const stream = engine.core.stream('s');
  if (!stream) throw new Error('no stream');
  return { engine, stream, producers: new ProducerSet(engine.core, stream) };
}

const spec: ProducerSpec = {
  name: 'p',
  api: 'PutRecord',
  batchSize: 1,
  payloadBytes: { min: 50, max: 50 },
  rate: 1000,
  distribution: { kind: 'sequential' },
};

describe('unbounded key sets', () => {
  it('sequential keys are written without interning; per-shard totals match the shards', () => {
    const { engine, stream, producers } = setup(4);
    producers.add({
      ...spec,
      rate: 'burst',
      recordCount: 6000,
      distribution: { kind: 'sequential', prefix: 'o-' },
    });
    producers.advance(1);
    expect(stream.keys.size).toBe(0);
    const [t] = producers.totals();
    expect(t?.attempted).toBe(6000);
    expect(t?.accepted).toBe(4000); // 1,000 per shard at one instant
    expect(t?.throttled).toBe(2000);
    stream.shards.forEach((shard, i) => {
      expect(t?.acceptedByShard[i]).toBe(shard.metrics.totalIncomingRecords);
      expect(t?.throttledByShard[i]).toBe(shard.metrics.totalThrottledRecords);
    });
    // GetRecords returns the exact keys, in order.
    const it = engine.call('GetShardIterator', {
      StreamName: 's',
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'TRIM_HORIZON',
    });
    const read = engine.call('GetRecords', {
      ShardIterator: (it.ok && it.value.ShardIterator) as string,
      Limit: 3,
    });
    const keys = (read.ok ? (read.value.Records as { PartitionKey: string }[]) : []).map(
      (r) => r.PartitionKey,
    );
    expect(keys).toHaveLength(3);
    for (const k of keys) expect(k).toMatch(/^o-\d+$/);
  });

  it('timestamp keys: one pinned key per virtual second, released when the producer goes', () => {
    const { engine, stream, producers } = setup(2);
    const id = producers.add({ ...spec, rate: 500, distribution: { kind: 'timestamp' } });
    producers.advance(2990); // steps end at 10 … 2990 ms: virtual seconds 0, 1 and 2
    // Three seconds, three keys (held by their records); only the current one is pinned.
    expect(stream.keys.size).toBe(3);
    engine.advanceTime(10); // hot keys count completed seconds: let second 2 end
    const hot = engine.snapshot('s')?.hotKeys ?? [];
    expect(hot.map((h) => h.count)).toEqual([500, 500, 495]);
    expect(hot.every((h) => /^\d{10}$/.test(h.partitionKey))).toBe(true);
    producers.remove(id);
    engine.advanceTime(25 * 3_600_000); // retention ends: the records and then the keys go
    expect(stream.keys.size).toBe(0);
  });

  it('is deterministic', () => {
    const run = () => {
      const { engine, producers } = setup(3);
      producers.add({ ...spec, rate: 4000, payloadBytes: { min: 1, max: 900 }, durationMs: 2000 });
      producers.add({
        ...spec,
        name: 't',
        rate: 1500,
        distribution: { kind: 'timestamp' },
        durationMs: 2000,
      });
      producers.advance(2500);
      return JSON.stringify([producers.totals(), engine.snapshot('s')?.hotKeys]);
    };
    expect(run()).toBe(run());
  });
});

describe('the keys aggregate simulation counts as hot keys', () => {
  const sampler = (distribution: ProducerSpec['distribution']) => {
    const { engine, stream } = setup(4);
    return createKeySampler(engine.core, stream, distribution, new SeededRandom(1));
  };

  it('none of 10,000 uniform keys (none is hotter than another); all of a set small enough to count whole', () => {
    expect(sampler({ kind: 'uniform', keyCount: 10_000 }).heavyKeys()).toEqual([]);
    expect(
      sampler({ kind: 'uniform', keyCount: 3 })
        .heavyKeys()
        .map((k) => k.partitionKey),
    ).toEqual(['user-0', 'user-1', 'user-2']);
  });

  it('the heaviest first for skewed sets: Zipf, one hot key among many', () => {
    const zipf = sampler({ kind: 'zipf', keyCount: 10_000, exponent: 1.1 }).heavyKeys();
    expect(zipf.length).toBeGreaterThanOrEqual(8);
    expect(zipf[0]?.partitionKey).toBe('user-0');
    const hot = sampler({ kind: 'hotKey', hotKey: 'celebrity', hotPercent: 50, keyCount: 1_000 }).heavyKeys();
    expect(hot.map((k) => k.partitionKey)).toEqual(['celebrity']);
  });
});
