// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './index';
import { fail, ok } from './testHelpers';

const id = (n: number) => `shardId-${String(n).padStart(12, '0')}`;
const HOUR_MS = 3_600_000;
const RETENTION_MS = 24 * HOUR_MS;
const HALF = (1n << 127n).toString();

function stream(shards: number): Engine {
  const engine = createEngine({ transitionMs: 0, reshardMs: 0 });
  ok(engine.call('CreateStream', { StreamName: 's', ShardCount: shards }));
  return engine;
}

interface ShardDescription {
  ShardId: string;
  SequenceNumberRange: { EndingSequenceNumber?: string };
}

const listed = (engine: Engine, filter?: Record<string, unknown>) =>
  (
    ok(engine.call('ListShards', { StreamName: 's', ...(filter ? { ShardFilter: filter } : {}) }))
      .Shards as ShardDescription[]
  ).map((s) => s.ShardId);

const described = (engine: Engine) =>
  (
    (
      ok(engine.call('DescribeStream', { StreamName: 's' })).StreamDescription as {
        Shards: ShardDescription[];
      }
    ).Shards as ShardDescription[]
  ).map((s) => s.ShardId);

/** Splits at once: with `reshardMs: 0` the parent closes as the clock next moves, here 1 ms on. */
function split(engine: Engine, shardId: string, key = HALF): void {
  ok(engine.call('SplitShard', { StreamName: 's', ShardToSplit: shardId, NewStartingHashKey: key }));
  engine.advanceTime(1);
}

const seconds = (ms: number) => ms / 1000;

describe('a closed shard is listed for the retention period after it closes, then EXPIRED [model §9]', () => {
  it('lists an empty closed shard until close + RetentionPeriodHours, not a millisecond longer', () => {
    const engine = stream(1);
    engine.advanceTime(1000);
    split(engine, id(0));
    const closedAt = engine.now();
    // No record was ever written: the parent is still a shard of the stream, and its children name it.
    expect(listed(engine)).toEqual([id(0), id(1), id(2)]);
    expect(described(engine)).toEqual([id(0), id(1), id(2)]);
    engine.advanceTime(closedAt + RETENTION_MS - 1 - engine.now());
    expect(listed(engine)).toEqual([id(0), id(1), id(2)]);
    engine.advanceTime(1);
    expect(listed(engine)).toEqual([id(1), id(2)]);
    expect(described(engine)).toEqual([id(1), id(2)]);
  });

  it('reads an empty closed shard to its end (ChildShards, no NextShardIterator) while listed; then it is not found', () => {
    const engine = stream(1);
    split(engine, id(0));
    const iterator = ok(
      engine.call('GetShardIterator', { StreamName: 's', ShardId: id(0), ShardIteratorType: 'TRIM_HORIZON' }),
    ).ShardIterator;
    const page = ok(engine.call('GetRecords', { ShardIterator: iterator }));
    expect(page.Records).toEqual([]);
    expect(page.NextShardIterator).toBeUndefined();
    expect((page.ChildShards as { ShardId: string }[]).map((c) => c.ShardId)).toEqual([id(1), id(2)]);
    engine.advanceTime(RETENTION_MS);
    const refused = fail(
      engine.call('GetShardIterator', { StreamName: 's', ShardId: id(0), ShardIteratorType: 'TRIM_HORIZON' }),
    );
    expect(refused.type).toBe('ResourceNotFoundException');
  });

  it('follows the retention period: increasing it keeps a closed shard longer, decreasing it expires one at once', () => {
    const engine = stream(1);
    split(engine, id(0));
    ok(engine.call('IncreaseStreamRetentionPeriod', { StreamName: 's', RetentionPeriodHours: 48 }));
    engine.advanceTime(30 * HOUR_MS);
    expect(listed(engine)).toEqual([id(0), id(1), id(2)]);
    ok(engine.call('DecreaseStreamRetentionPeriod', { StreamName: 's', RetentionPeriodHours: 24 }));
    expect(listed(engine)).toEqual([id(1), id(2)]);
  });

  it('never brings an EXPIRED shard back: not by a longer retention, nor for an iterator taken before', () => {
    const engine = stream(1);
    split(engine, id(0));
    engine.advanceTime(RETENTION_MS - 60_000);
    const iterator = ok(
      engine.call('GetShardIterator', { StreamName: 's', ShardId: id(0), ShardIteratorType: 'TRIM_HORIZON' }),
    ).ShardIterator;
    engine.advanceTime(60_000);
    expect(listed(engine)).toEqual([id(1), id(2)]);
    expect(fail(engine.call('GetRecords', { ShardIterator: iterator }))).toEqual({
      type: 'ResourceNotFoundException',
      message: `Shard ${id(0)} in stream s under account 000000000000 does not exist`,
    });
    ok(engine.call('IncreaseStreamRetentionPeriod', { StreamName: 's', RetentionPeriodHours: 48 }));
    expect(listed(engine)).toEqual([id(1), id(2)]);
    expect(described(engine)).toEqual([id(1), id(2)]);
  });
});

describe("the snapshot keeps an EXPIRED shard's records in the stream's figures", () => {
  it('counts them in expiredShards once the shard leaves the list, so nothing expired is lost from the totals', () => {
    const engine = stream(1);
    for (let i = 0; i < 50; i++)
      ok(engine.call('PutRecord', { StreamName: 's', PartitionKey: `k${i}`, Data: new Uint8Array(10) }));
    split(engine, id(0));
    for (let i = 0; i < 20; i++)
      ok(engine.call('PutRecord', { StreamName: 's', PartitionKey: `k${i}`, Data: new Uint8Array(10) }));
    const before = engine.snapshot('s');
    expect(before?.expiredShards).toEqual({
      shards: 0,
      accepted: 0,
      acceptedBytes: 0,
      throttled: 0,
      expired: 0,
    });
    engine.advanceTime(RETENTION_MS + 1000);
    const after = engine.snapshot('s');
    expect(after?.shards.map((s) => s.shardId)).toEqual([id(1), id(2)]);
    expect(after?.expiredShards).toMatchObject({ shards: 1, accepted: 50, throttled: 0, expired: 50 });
    const listedExpired = after ? after.expired.reduce((a, b) => a + b, 0) : 0;
    expect(listedExpired + (after?.expiredShards.expired ?? 0)).toBe(70);
  });
});

describe('ListShards ShardFilter (API reference, ShardFilter)', () => {
  /** 1 shard at t0; split at t1 (≈ t0 + 10 s) into 1, 2; shard 1 split at t2 (≈ t1 + 10 s) into 3, 4. */
  function lineage(): { engine: Engine; t0: number; t1: number; t2: number } {
    const engine = stream(1);
    const t0 = engine.now();
    engine.advanceTime(10_000);
    split(engine, id(0));
    const t1 = engine.now();
    engine.advanceTime(10_000);
    split(engine, id(1), (1n << 126n).toString());
    const t2 = engine.now();
    engine.advanceTime(10_000);
    return { engine, t0, t1, t2 };
  }

  it('FROM_TRIM_HORIZON, the default, lists every shard within retention; AT_LATEST the open ones', () => {
    const { engine } = lineage();
    const all = [id(0), id(1), id(2), id(3), id(4)];
    expect(listed(engine)).toEqual(all);
    expect(listed(engine, { Type: 'FROM_TRIM_HORIZON' })).toEqual(all);
    expect(listed(engine, { Type: 'AT_LATEST' })).toEqual([id(2), id(3), id(4)]);
  });

  it('AT_TRIM_HORIZON lists the shards open at the trim horizon: the first ones while the stream is younger than its retention', () => {
    const { engine, t1 } = lineage();
    expect(listed(engine, { Type: 'AT_TRIM_HORIZON' })).toEqual([id(0)]);
    // Once the horizon passes the first split: shards 1 and 2, until the second split's close passes too.
    engine.advanceTime(t1 + 5_000 + RETENTION_MS - engine.now());
    expect(listed(engine, { Type: 'AT_TRIM_HORIZON' })).toEqual([id(1), id(2)]);
    engine.advanceTime(20_000);
    expect(listed(engine, { Type: 'AT_TRIM_HORIZON' })).toEqual([id(2), id(3), id(4)]);
  });

  it('AT_TIMESTAMP lists the shards open at that time, both ends inclusive: parent and children at the instant it closed', () => {
    const { engine, t0, t1, t2 } = lineage();
    const at = (ms: number) => listed(engine, { Type: 'AT_TIMESTAMP', Timestamp: seconds(ms) });
    expect(at(t0)).toEqual([id(0)]);
    expect(at(t1 - 1)).toEqual([id(0)]);
    expect(at(t1)).toEqual([id(0), id(1), id(2)]);
    // The children's StartingSequenceNumber says t1 + 1 s, but they take writes from t1: listed in between.
    expect(at(t1 + 500)).toEqual([id(1), id(2)]);
    expect(at(t2 + 1)).toEqual([id(2), id(3), id(4)]);
    expect(at(engine.now() + 60_000)).toEqual([id(2), id(3), id(4)]);
    // Before the stream existed: corrected to its creation (its trim horizon).
    expect(at(t0 - 3_600_000)).toEqual([id(0)]);
  });

  it('FROM_TIMESTAMP lists the shards open at or after that time; an earlier time is corrected to TRIM_HORIZON', () => {
    const { engine, t0, t1, t2 } = lineage();
    const from = (ms: number) => listed(engine, { Type: 'FROM_TIMESTAMP', Timestamp: seconds(ms) });
    expect(from(t0 - 1_000_000)).toEqual([id(0), id(1), id(2), id(3), id(4)]);
    expect(from(t1)).toEqual([id(0), id(1), id(2), id(3), id(4)]);
    expect(from(t1 + 1)).toEqual([id(1), id(2), id(3), id(4)]);
    expect(from(t2 + 1)).toEqual([id(2), id(3), id(4)]);
  });

  it('AFTER_SHARD_ID lists the shards after the one given, and pages with MaxResults', () => {
    const { engine } = lineage();
    expect(listed(engine, { Type: 'AFTER_SHARD_ID', ShardId: id(1) })).toEqual([id(2), id(3), id(4)]);
    const first = ok(
      engine.call('ListShards', {
        StreamName: 's',
        MaxResults: 2,
        ShardFilter: { Type: 'AFTER_SHARD_ID', ShardId: id(0) },
      }),
    );
    expect((first.Shards as ShardDescription[]).map((s) => s.ShardId)).toEqual([id(1), id(2)]);
    const next = ok(engine.call('ListShards', { NextToken: first.NextToken }));
    expect((next.Shards as ShardDescription[]).map((s) => s.ShardId)).toEqual([id(3), id(4)]);
  });

  it('keeps the filter across pages: a NextToken carries it, as the KCL sends the filter with the stream only', () => {
    const { engine } = lineage();
    const pages = (filter: Record<string, unknown>) => {
      const ids: string[] = [];
      let answer = ok(engine.call('ListShards', { StreamName: 's', MaxResults: 1, ShardFilter: filter }));
      for (;;) {
        ids.push(...(answer.Shards as ShardDescription[]).map((s) => s.ShardId));
        if (answer.NextToken === undefined) return ids;
        answer = ok(engine.call('ListShards', { NextToken: answer.NextToken, MaxResults: 1 }));
      }
    };
    for (const filter of [
      { Type: 'AT_LATEST' },
      { Type: 'AT_TRIM_HORIZON' },
      { Type: 'AFTER_SHARD_ID', ShardId: id(1) },
      { Type: 'AT_TIMESTAMP', Timestamp: seconds(engine.now() - 15_000) },
      { Type: 'FROM_TIMESTAMP', Timestamp: seconds(engine.now() - 15_000) },
    ])
      expect(pages(filter), filter.Type).toEqual(listed(engine, filter));
  });

  it('refuses a filter without the member its type needs, as InvalidArgumentException, and changes nothing', () => {
    const { engine } = lineage();
    const before = engine.call('ListShards', { StreamName: 's' });
    for (const filter of [
      { Type: 'AFTER_SHARD_ID' },
      { Type: 'AT_TIMESTAMP' },
      { Type: 'FROM_TIMESTAMP', ShardId: id(1) },
    ]) {
      const refused = fail(engine.call('ListShards', { StreamName: 's', ShardFilter: filter }));
      expect(refused.type).toBe('InvalidArgumentException');
      expect(refused.message).toMatch(/^ShardFilter of type \w+ must specify a (ShardId|Timestamp)\.$/);
    }
    expect(engine.call('ListShards', { StreamName: 's' })).toEqual(before);
    expect(fail(engine.call('ListShards', { StreamName: 's', ShardFilter: { Type: 'SOMETIME' } })).type).toBe(
      'ValidationException',
    );
  });

  it('finds, for every record within retention, the shard it went to with AT_TIMESTAMP and FROM_TIMESTAMP at its arrival (property)', () => {
    const step = fc.oneof(
      fc.record({ op: fc.constant('split' as const), pick: fc.nat(), key: fc.bigInt(1n, (1n << 128n) - 2n) }),
      fc.record({ op: fc.constant('merge' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('put' as const), key: fc.bigInt(0n, (1n << 128n) - 1n) }),
      fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 4 * HOUR_MS }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(step, { maxLength: 40 }), (shardCount, steps) => {
        const engine = stream(shardCount);
        const writes: { shardId: string; arrivalMs: number }[] = [];
        for (const s of steps) {
          const open = ok(engine.call('ListShards', { StreamName: 's', ShardFilter: { Type: 'AT_LATEST' } }))
            .Shards as {
            ShardId: string;
            HashKeyRange: { StartingHashKey: string; EndingHashKey: string };
          }[];
          if (s.op === 'split') {
            const shard = open[s.pick % open.length];
            if (!shard) continue;
            const lo = BigInt(shard.HashKeyRange.StartingHashKey);
            const hi = BigInt(shard.HashKeyRange.EndingHashKey);
            // SplitShard takes a key in [Start + 2, End − 1] [model §9].
            if (hi - lo < 3n) continue;
            const key = lo + 2n + (s.key % (hi - lo - 2n));
            split(engine, shard.ShardId, String(key));
          } else if (s.op === 'merge') {
            const sorted = [...open].sort((a, b) =>
              BigInt(a.HashKeyRange.StartingHashKey) < BigInt(b.HashKeyRange.StartingHashKey) ? -1 : 1,
            );
            const i = s.pick % sorted.length;
            const [a, b] = [sorted[i], sorted[i + 1]];
            if (!a || !b) continue;
            ok(
              engine.call('MergeShards', {
                StreamName: 's',
                ShardToMerge: a.ShardId,
                AdjacentShardToMerge: b.ShardId,
              }),
            );
            engine.advanceTime(1);
          } else if (s.op === 'put') {
            const answer = ok(
              engine.call('PutRecord', {
                StreamName: 's',
                PartitionKey: 'k',
                ExplicitHashKey: String(s.key),
                Data: new Uint8Array(1),
              }),
            );
            writes.push({ shardId: answer.ShardId as string, arrivalMs: engine.now() });
          } else {
            engine.advanceTime(s.ms);
          }
        }
        for (const w of writes) {
          if (w.arrivalMs <= engine.now() - RETENTION_MS) continue;
          for (const Type of ['AT_TIMESTAMP', 'FROM_TIMESTAMP']) {
            expect(listed(engine, { Type, Timestamp: seconds(w.arrivalMs) })).toContain(w.shardId);
          }
          expect(listed(engine)).toContain(w.shardId);
        }
      }),
      { numRuns: 150, examples: [[4, [{ op: 'split', pick: 0, key: (1n << 128n) - 8n }]]] },
    );
  });
});
