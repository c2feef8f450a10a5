// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './index';
import { ProducerSet, type ProducerSpec } from './producers/producerSet';
import { fail, ok } from './testHelpers';

const ARN = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;
const MINUTE = 60_000;

function onDemand(
  options: Parameters<typeof createEngine>[0] = {},
  extra: Record<string, unknown> = {},
): Engine {
  const engine = createEngine({ transitionMs: 0, reshardMs: 1000, ...options });
  ok(
    engine.call('CreateStream', {
      StreamName: 'od',
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      ...extra,
    }),
  );
  return engine;
}
const openCount = (engine: Engine, name = 'od') => engine.core.stream(name)?.openShards.length ?? 0;
const producer = (rate: number, bytes: number, distribution: ProducerSpec['distribution']): ProducerSpec => ({
  name: 'p',
  api: 'PutRecords',
  batchSize: 500,
  payloadBytes: { min: bytes, max: bytes },
  rate,
  distribution,
});

describe('UpdateStreamMode [model §15.3]', () => {
  it('switches the capacity mode after an UPDATING period, at most twice in a rolling 24 h', () => {
    const engine = createEngine({ transitionMs: 0, reshardMs: 1000 });
    ok(engine.call('CreateStream', { StreamName: 's', ShardCount: 3 }));
    const update = (mode: string) =>
      engine.call('UpdateStreamMode', { StreamARN: ARN('s'), StreamModeDetails: { StreamMode: mode } });
    expect(fail(update('PROVISIONED')).type).toBe('InvalidArgumentException');
    ok(update('ON_DEMAND'));
    expect(engine.core.stream('s')?.status).toBe('UPDATING');
    expect(fail(update('PROVISIONED')).type).toBe('ResourceInUseException');
    engine.advanceTime(1000);
    expect(engine.core.stream('s')?.mode).toBe('ON_DEMAND');
    // It keeps its shards; resharding by hand is refused now.
    expect(openCount(engine, 's')).toBe(3);
    expect(
      fail(
        engine.call('SplitShard', {
          StreamName: 's',
          ShardToSplit: 'shardId-000000000000',
          NewStartingHashKey: '5',
        }),
      ).type,
    ).toBe('ValidationException');
    ok(update('PROVISIONED'));
    engine.advanceTime(1000);
    expect(fail(update('ON_DEMAND'))).toEqual({
      type: 'LimitExceededException',
      message:
        'The capacity mode of stream s under account 000000000000 was already changed 2 times in the last 24 hours: the most a rolling 24 hours allows.',
    });
    engine.advanceTime(86_400_000);
    ok(update('ON_DEMAND'));
  });
});

describe('on-demand scaling (AWS 2022 documentation) [model §15.3]', () => {
  it('splits shards carrying more than 500 KB/s within 15 minutes, evenly, and then takes the load', () => {
    const engine = onDemand();
    const producers = new ProducerSet(engine.core, engine.core.stream('od') as never);
    // 3,000 records/s of ~1 KB on 4 shards: ~750 KB/s a shard.
    producers.add(producer(3000, 1000, { kind: 'uniform', keyCount: 5000 }));
    producers.advance(2 * MINUTE);
    expect(openCount(engine)).toBe(4);
    producers.advance(15 * MINUTE);
    expect(openCount(engine)).toBe(8);
    const open = engine.core.stream('od')?.openShards ?? [];
    // Even splits: every child covers an eighth of the hash space.
    const widths = new Set(open.map((s) => ((s.endingHashKey - s.startingHashKey + 1n) * 8n) >> 128n));
    expect([...widths]).toEqual([1n]);
    expect(engine.snapshot('od')?.diagnosis).toEqual([]);
  });

  it('a spike above twice the 30-day peak throttles until it has scaled; a hot key still throttles after', () => {
    const engine = onDemand({ onDemand: { scaleDelayMs: 5 * MINUTE } });
    const producers = new ProducerSet(engine.core, engine.core.stream('od') as never);
    producers.aggregateThreshold = 1; // an hour of 12,000 records/s: in aggregate
    const spike = producers.add(producer(12_000, 100, { kind: 'uniform', keyCount: 20_000 }));
    producers.advance(MINUTE);
    expect(engine.core.counters.throttled).toBeGreaterThan(0);
    producers.advance(20 * MINUTE);
    expect(openCount(engine)).toBeGreaterThanOrEqual(16);
    const before = engine.core.counters.throttled;
    producers.advance(MINUTE);
    expect(engine.core.counters.throttled).toBe(before);
    producers.remove(spike);
    // One key at 1,500 records/s: its shard splits by range, never by key, and the key keeps throttling.
    producers.add(producer(1500, 100, { kind: 'weighted', keys: [{ key: 'celebrity', weight: 1 }] }));
    producers.advance(30 * MINUTE);
    const diagnosis = engine.snapshot('od')?.diagnosis ?? [];
    expect(diagnosis.map((d) => [d.verdict, d.topKey?.partitionKey])).toEqual([['hot-key', 'celebrity']]);
  });
});

describe('AUTO record distribution [model §15.2]', () => {
  it('spreads records evenly whatever their keys; the key is optional; no per-key order', () => {
    const engine = onDemand({}, { RecordDistributionStrategy: 'AUTO' });
    const summary = ok(engine.call('DescribeStreamSummary', { StreamName: 'od' })).StreamDescriptionSummary;
    expect(summary).toMatchObject({ RecordDistributionStrategy: 'AUTO' });
    const shardIds = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const r = ok(
        engine.call('PutRecord', { StreamName: 'od', PartitionKey: 'same-key', Data: new Uint8Array(1) }),
      );
      shardIds.set(r.ShardId as string, (shardIds.get(r.ShardId as string) ?? 0) + 1);
    }
    expect([...shardIds.values()]).toEqual([100, 100, 100, 100]);
    const keyless = ok(engine.call('PutRecord', { StreamName: 'od', Data: new Uint8Array([7]) }));
    const it = ok(
      engine.call('GetShardIterator', {
        StreamName: 'od',
        ShardId: keyless.ShardId,
        ShardIteratorType: 'LATEST',
      }),
    );
    expect(
      fail(
        engine.call('PutRecord', {
          StreamName: 'od',
          PartitionKey: 'k',
          Data: new Uint8Array(1),
          SequenceNumberForOrdering: keyless.SequenceNumber,
        }),
      ).type,
    ).toBe('InvalidArgumentException');
    ok(engine.call('PutRecord', { StreamName: 'od', Data: new Uint8Array([8]) }));
    void it;
    const batch = ok(
      engine.call('PutRecords', {
        StreamName: 'od',
        Records: [{ Data: new Uint8Array(1) }, { Data: new Uint8Array(1) }],
      }),
    );
    expect(batch.FailedRecordCount).toBe(0);
    // The same producer on a USER_PARTITION_KEY stream would put everything on one shard.
    ok(
      engine.call('UpdateStreamRecordDistributionStrategy', {
        StreamARN: ARN('od'),
        RecordDistributionStrategy: 'USER_PARTITION_KEY',
      }),
    );
    const placed = new Set<string>();
    for (let i = 0; i < 20; i++)
      placed.add(
        ok(engine.call('PutRecord', { StreamName: 'od', PartitionKey: 'same-key', Data: new Uint8Array(1) }))
          .ShardId as string,
      );
    expect(placed.size).toBe(1);
    expect(fail(engine.call('PutRecord', { StreamName: 'od', Data: new Uint8Array(1) })).type).toBe(
      'ValidationException',
    );
  });

  it('is for on-demand streams only', () => {
    const engine = createEngine({ transitionMs: 0 });
    expect(
      fail(
        engine.call('CreateStream', { StreamName: 'p', ShardCount: 2, RecordDistributionStrategy: 'AUTO' }),
      ).type,
    ).toBe('InvalidArgumentException');
    ok(engine.call('CreateStream', { StreamName: 'p', ShardCount: 2 }));
    expect(
      fail(
        engine.call('UpdateStreamRecordDistributionStrategy', {
          StreamARN: ARN('p'),
          RecordDistributionStrategy: 'AUTO',
        }),
      ).message,
    ).toBe(
      'RecordDistributionStrategy AUTO is only supported for streams in ON_DEMAND capacity mode; stream p is PROVISIONED.',
    );
  });

  it('simulated producers spread evenly too (record by record and in aggregate), and count no hot key', () => {
    for (const aggregate of [false, true]) {
      const engine = onDemand({}, { RecordDistributionStrategy: 'AUTO' });
      const producers = new ProducerSet(engine.core, engine.core.stream('od') as never);
      producers.aggregateThreshold = aggregate ? 0 : Number.POSITIVE_INFINITY;
      producers.add(producer(2000, 100, { kind: 'weighted', keys: [{ key: 'celebrity', weight: 1 }] }));
      producers.advance(10_000);
      const snapshot = engine.snapshot('od');
      const accepted = Array.from(snapshot?.accepted ?? []);
      const even = accepted.reduce((a, b) => a + b, 0) / accepted.length;
      for (const a of accepted) expect(Math.abs(a - even)).toBeLessThanOrEqual(aggregate ? 150 : 1);
      expect(snapshot?.hotKeys).toEqual([]);
      expect(snapshot?.diagnosis).toEqual([]);
    }
  });
});

describe('on-demand and jumps', () => {
  it('a jump reads the 30-day peak second by second, as play does (no minute of records in one second)', () => {
    const engine = onDemand();
    const producers = new ProducerSet(engine.core, engine.core.stream('od') as never);
    producers.add(producer(1500, 100, { kind: 'uniform', keyCount: 1000 }));
    const target = engine.now() + 3_600_000;
    // As the host's jump does it: aggregate, whole minutes allowed until the last 5 minutes.
    while (engine.now() < target)
      producers.advance(Math.min(60_000, target - engine.now()), {
        aggregate: true,
        coarseUntilMs: target - 300_000,
      });
    const peak = engine.core.onDemand.peak(
      engine.core.stream('od') as never,
      Math.floor(engine.now() / 3_600_000),
    );
    expect(peak.records).toBeGreaterThan(1400);
    expect(peak.records).toBeLessThan(1700);
    expect(openCount(engine)).toBe(4);
  });
});
