// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStreamHashRanges, MAX_HASH_KEY } from './hashKey';
import { createEngine, type Engine, parseSequenceNumber } from './index';
import { fail, ok } from './testHelpers';

const id = (n: number) => `shardId-${String(n).padStart(12, '0')}`;
const RESHARD_MS = 30_000;

function stream(shards: number, options: Parameters<typeof createEngine>[0] = {}): Engine {
  const engine = createEngine({ transitionMs: 0, ...options });
  ok(engine.call('CreateStream', { StreamName: 's', ShardCount: shards }));
  return engine;
}
interface ShardDescription {
  ShardId: string;
  ParentShardId?: string;
  AdjacentParentShardId?: string;
  HashKeyRange: { StartingHashKey: string; EndingHashKey: string };
  SequenceNumberRange: { StartingSequenceNumber: string; EndingSequenceNumber?: string };
}
const listShards = (engine: Engine) =>
  ok(engine.call('ListShards', { StreamName: 's' })).Shards as ShardDescription[];
const openShards = (engine: Engine) =>
  listShards(engine).filter((s) => !s.SequenceNumberRange.EndingSequenceNumber);
const status = (engine: Engine) =>
  (
    ok(engine.call('DescribeStreamSummary', { StreamName: 's' })).StreamDescriptionSummary as {
      StreamStatus: string;
    }
  ).StreamStatus;
const putTo = (engine: Engine, explicitHashKey: bigint) =>
  ok(
    engine.call('PutRecord', {
      StreamName: 's',
      PartitionKey: 'k',
      ExplicitHashKey: explicitHashKey.toString(),
      Data: new Uint8Array(1),
    }),
  ).ShardId as string;

describe('SplitShard [model §9]', () => {
  it('is UPDATING at once; when it settles the parent closes and two children take its range and its writes', () => {
    const engine = stream(1);
    const half = 1n << 127n;
    expect(putTo(engine, 5n)).toBe(id(0));
    expect(
      ok(
        engine.call('SplitShard', {
          StreamName: 's',
          ShardToSplit: id(0),
          NewStartingHashKey: half.toString(),
        }),
      ),
    ).toEqual({});
    expect(status(engine)).toBe('UPDATING');
    // The parent keeps taking writes until the children start.
    engine.advanceTime(RESHARD_MS - 1);
    expect(putTo(engine, half)).toBe(id(0));
    const closeMs = engine.now() + 1;
    engine.advanceTime(1);
    expect(status(engine)).toBe('ACTIVE');
    const shards = listShards(engine);
    expect(
      shards.map((s) => [
        s.ShardId,
        s.ParentShardId,
        s.HashKeyRange.StartingHashKey,
        s.HashKeyRange.EndingHashKey,
      ]),
    ).toEqual([
      [id(0), undefined, '0', MAX_HASH_KEY.toString()],
      [id(1), id(0), '0', (half - 1n).toString()],
      [id(2), id(0), half.toString(), MAX_HASH_KEY.toString()],
    ]);
    // The parent's EndingSequenceNumber is stamped with its close; the children were created a second later.
    const ending = parseSequenceNumber(shards[0]?.SequenceNumberRange.EndingSequenceNumber ?? '');
    expect(ending?.arrivalSec).toBe(Math.floor(closeMs / 1000));
    expect(
      parseSequenceNumber(shards[1]?.SequenceNumberRange.StartingSequenceNumber ?? '')?.shardCreatedSec,
    ).toBe(Math.floor(closeMs / 1000) + 1);
    expect(putTo(engine, 5n)).toBe(id(1));
    expect(putTo(engine, half)).toBe(id(2));
    // Reading the parent to its end leads to its children.
    const it = ok(
      engine.call('GetShardIterator', { StreamName: 's', ShardId: id(0), ShardIteratorType: 'TRIM_HORIZON' }),
    ).ShardIterator;
    const read = ok(engine.call('GetRecords', { ShardIterator: it }));
    expect((read.Records as unknown[]).length).toBe(2);
    expect((read.ChildShards as { ShardId: string }[]).map((c) => c.ShardId)).toEqual([id(1), id(2)]);
    expect(read.NextShardIterator).toBeUndefined();
  });

  it('refuses what Kinesis refuses, with its texts, and changes nothing', () => {
    const engine = stream(2);
    const [first] = createStreamHashRanges(2);
    const bad = (request: Record<string, unknown>) =>
      fail(engine.call('SplitShard', { StreamName: 's', ...request }));
    expect(bad({ ShardToSplit: id(0), NewStartingHashKey: '1' })).toEqual({
      type: 'InvalidArgumentException',
      message: `NewStartingHashKey 1 used in SplitShard() on shard ${id(0)} in stream s under account 000000000000 is not both greater than one plus the shard's StartingHashKey 0 and less than the shard's EndingHashKey ${first?.end}.`,
    });
    expect(bad({ ShardToSplit: id(0), NewStartingHashKey: first?.end.toString() }).type).toBe(
      'InvalidArgumentException',
    );
    expect(bad({ ShardToSplit: 'shardId-000000000007', NewStartingHashKey: '5' })).toEqual({
      type: 'ResourceNotFoundException',
      message: 'Could not find shard shardId-000000000007 in stream s under account 000000000000.',
    });
    // Start + 2 is the lowest valid key: [0, 1] and [2, End].
    ok(engine.call('SplitShard', { StreamName: 's', ShardToSplit: id(0), NewStartingHashKey: '2' }));
    expect(bad({ ShardToSplit: id(1), NewStartingHashKey: MAX_HASH_KEY.toString() })).toEqual({
      type: 'ResourceInUseException',
      message: 'Stream s under account 000000000000 not ACTIVE, instead in state UPDATING',
    });
    engine.advanceTime(RESHARD_MS);
    expect(bad({ ShardToSplit: id(0), NewStartingHashKey: '5' })).toEqual({
      type: 'InvalidArgumentException',
      message: `Shard ${id(0)} in stream s under account 000000000000 has already been merged or split, and thus is not eligible for merging or splitting.`,
    });
    expect(openShards(engine).map((s) => s.ShardId)).toEqual([id(1), id(2), id(3)]);
  });

  it('needs a shard of quota, and is not for ON_DEMAND streams', () => {
    const engine = stream(2, { accountLimits: { shardLimit: 2 } });
    expect(
      fail(engine.call('SplitShard', { StreamName: 's', ShardToSplit: id(0), NewStartingHashKey: '5' })),
    ).toEqual({
      type: 'LimitExceededException',
      message:
        'This request would exceed the shard limit for the account 000000000000 in us-east-1. Current shard count for the account: 2. Limit: 2. Number of additional shards that would have resulted from this request: 1. Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how to request higher limits.',
    });
    ok(engine.call('CreateStream', { StreamName: 'od', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    expect(
      fail(engine.call('SplitShard', { StreamName: 'od', ShardToSplit: id(0), NewStartingHashKey: '5' }))
        .type,
    ).toBe('ValidationException');
  });
});

describe('MergeShards [model §9]', () => {
  it('merges the lower range with the next one; the inverted order or a gap is refused', () => {
    const engine = stream(3);
    expect(
      fail(engine.call('MergeShards', { StreamName: 's', ShardToMerge: id(1), AdjacentShardToMerge: id(0) })),
    ).toEqual({
      type: 'InvalidArgumentException',
      message: `Shards ${id(1)} and ${id(0)} in stream s under account 000000000000 are not an adjacent pair of shards eligible for merging`,
    });
    expect(
      fail(engine.call('MergeShards', { StreamName: 's', ShardToMerge: id(0), AdjacentShardToMerge: id(2) }))
        .type,
    ).toBe('InvalidArgumentException');
    ok(engine.call('MergeShards', { StreamName: 's', ShardToMerge: id(0), AdjacentShardToMerge: id(1) }));
    engine.advanceTime(RESHARD_MS);
    const [r0, r1] = createStreamHashRanges(3);
    const child = listShards(engine).find((s) => s.ShardId === id(3));
    expect(child).toMatchObject({
      ParentShardId: id(0),
      AdjacentParentShardId: id(1),
      HashKeyRange: { StartingHashKey: r0?.start.toString(), EndingHashKey: r1?.end.toString() },
    });
    expect(putTo(engine, 0n)).toBe(id(3));
    expect(openShards(engine).map((s) => s.ShardId)).toEqual([id(2), id(3)]);
  });
});

describe('UpdateShardCount [model §9, §15.4]', () => {
  it('doubling splits every shard at its midpoint: 4 → 8 briefly lists 12, every old shard closed', () => {
    const engine = stream(4);
    for (const range of createStreamHashRanges(4)) putTo(engine, range.start);
    expect(
      ok(
        engine.call('UpdateShardCount', {
          StreamName: 's',
          TargetShardCount: 8,
          ScalingType: 'UNIFORM_SCALING',
        }),
      ),
    ).toEqual({
      StreamName: 's',
      CurrentShardCount: 4,
      TargetShardCount: 8,
      StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
    });
    engine.advanceTime(120_000);
    const shards = listShards(engine);
    expect(shards).toHaveLength(12);
    const open = shards.filter((s) => !s.SequenceNumberRange.EndingSequenceNumber);
    expect(open.map((s) => s.ShardId)).toEqual([4, 5, 6, 7, 8, 9, 10, 11].map(id));
    expect(open.map((s) => s.HashKeyRange)).toEqual(
      createStreamHashRanges(8).map((r) => ({
        StartingHashKey: r.start.toString(),
        EndingHashKey: r.end.toString(),
      })),
    );
    expect(open.map((s) => s.ParentShardId)).toEqual([0, 0, 1, 1, 2, 2, 3, 3].map(id));
  });

  it('4 → 3 ends with shardId-000000000006, -009 and -010 holding equal thirds, as observed on AWS', () => {
    const engine = stream(4);
    ok(
      engine.call('UpdateShardCount', {
        StreamName: 's',
        TargetShardCount: 3,
        ScalingType: 'UNIFORM_SCALING',
      }),
    );
    engine.advanceTime(120_000);
    const open = openShards(engine);
    expect(open.map((s) => s.ShardId)).toEqual([id(6), id(9), id(10)]);
    expect(open.map((s) => s.HashKeyRange)).toEqual(
      createStreamHashRanges(3).map((r) => ({
        StartingHashKey: r.start.toString(),
        EndingHashKey: r.end.toString(),
      })),
    );
    expect(open.map((s) => [s.ParentShardId, s.AdjacentParentShardId])).toEqual([
      [id(0), id(4)],
      [id(5), id(7)],
      [id(8), id(3)],
    ]);
  });

  it('doubling any count splits each shard at its midpoint; halving merges pairs (no slivers from rounding)', () => {
    for (const [from, to, ever] of [
      [3, 6, 9],
      [5, 10, 15],
      [6, 3, 9],
    ] as const) {
      const engine = stream(from, { shardCountUpdateMs: 0 });
      ok(
        engine.call('UpdateShardCount', {
          StreamName: 's',
          TargetShardCount: to,
          ScalingType: 'UNIFORM_SCALING',
        }),
      );
      engine.advanceTime(1);
      const shards = engine.core.stream('s')?.shards ?? [];
      expect(shards).toHaveLength(ever);
      expect(engine.core.stream('s')?.openShards).toHaveLength(to);
      expect(shards.slice(0, from).every((s) => !s.isOpen)).toBe(true);
    }
  });

  it('takes half (rounded up) to double the open shards, 10 times in a rolling 24 h', () => {
    const engine = stream(3, { shardCountUpdateMs: 1000 });
    const update = (target: number) =>
      engine.call('UpdateShardCount', {
        StreamName: 's',
        TargetShardCount: target,
        ScalingType: 'UNIFORM_SCALING',
      });
    expect(fail(update(7)).type).toBe('LimitExceededException');
    expect(fail(update(1)).type).toBe('LimitExceededException');
    for (let i = 0; i < 10; i++) {
      ok(update(i % 2 === 0 ? 2 : 3));
      engine.advanceTime(1000);
    }
    expect(fail(update(2)).message).toMatch(/already called 10 times in the last 24 hours/);
    engine.advanceTime(86_400_000);
    ok(update(2));
  });
});

describe('resharding properties', () => {
  type Op =
    | { kind: 'split'; pick: number; at: number }
    | { kind: 'merge'; pick: number }
    | { kind: 'count'; factor: number }
    | { kind: 'wait'; ms: number }
    | { kind: 'put'; key: bigint };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constant('split' as const),
      pick: fc.nat(40),
      at: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    }),
    fc.record({ kind: fc.constant('merge' as const), pick: fc.nat(40) }),
    fc.record({ kind: fc.constant('count' as const), factor: fc.constantFrom(0.5, 0.75, 1, 1.5, 2) }),
    fc.record({ kind: fc.constant('wait' as const), ms: fc.constantFrom(1, 999, 29_999, 30_000, 120_000) }),
    fc.record({ kind: fc.constant('put' as const), key: fc.bigInt({ min: 0n, max: MAX_HASH_KEY }) }),
  );

  it('open shards tile the hash space; each record lands on the shard open for its hash key; every attempt counted once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 40 }), (count, ops) => {
        const engine = stream(count);
        let attempts = 0;
        for (const o of ops) {
          const open = engine.core.stream('s')?.openShards ?? [];
          if (o.kind === 'split') {
            const shard = open[o.pick % open.length];
            if (!shard) continue;
            const width = shard.endingHashKey - shard.startingHashKey;
            const key = shard.startingHashKey + (width * BigInt(Math.round(o.at * 1000))) / 1000n;
            engine.call('SplitShard', {
              StreamName: 's',
              ShardToSplit: shard.shardId,
              NewStartingHashKey: key.toString(),
            });
          } else if (o.kind === 'merge') {
            const i = o.pick % open.length;
            const a = open[i];
            const b = open[i + 1];
            if (a && b)
              engine.call('MergeShards', {
                StreamName: 's',
                ShardToMerge: a.shardId,
                AdjacentShardToMerge: b.shardId,
              });
          } else if (o.kind === 'count') {
            const target = Math.max(1, Math.round(open.length * o.factor));
            engine.call('UpdateShardCount', {
              StreamName: 's',
              TargetShardCount: target,
              ScalingType: 'UNIFORM_SCALING',
            });
          } else if (o.kind === 'wait') engine.advanceTime(o.ms);
          else {
            // The shard open for this hash key now, found by range, is where the record must land.
            const expected = open.find((s) => s.startingHashKey <= o.key && o.key <= s.endingHashKey);
            attempts++;
            const result = engine.call('PutRecord', {
              StreamName: 's',
              PartitionKey: 'k',
              ExplicitHashKey: o.key.toString(),
              Data: new Uint8Array(1),
            });
            if (result.ok) expect(result.value.ShardId).toBe(expected?.shardId);
          }
          // The open shards tile [0, 2^128 − 1]: sorted, contiguous, no gap, no overlap.
          const tiles = engine.core.stream('s')?.openShards ?? [];
          expect(tiles[0]?.startingHashKey).toBe(0n);
          expect(tiles[tiles.length - 1]?.endingHashKey).toBe(MAX_HASH_KEY);
          for (let i = 1; i < tiles.length; i++)
            expect(tiles[i]?.startingHashKey).toBe((tiles[i - 1]?.endingHashKey ?? -2n) + 1n);
          // Closed shards take nothing after they close.
          const all = engine.core.stream('s')?.shards ?? [];
          for (const shard of all) {
            if (shard.closedAtMs !== undefined)
              expect(shard.log.retainedRecords).toBeLessThanOrEqual(attempts);
          }
          // The lineage reads forward in time: no shard closes before it was created or took writes
          // (UpdateShardCount's short-lived pieces included), and a child is created a second after its
          // parents closed (the later one's close, when a piece is merged with an old shard).
          for (const shard of all) {
            if (shard.closedAtMs !== undefined) {
              expect(shard.closedAtMs).toBeGreaterThanOrEqual(shard.createdMs);
              expect(shard.closedAtMs).toBeGreaterThanOrEqual(shard.openedMs);
              // A shard whose write interval is empty (a piece) holds no record.
              if (shard.closedAtMs === shard.openedMs) expect(shard.log.retainedRecords).toBe(0);
            }
            const parents = all.filter(
              (p) => p.shardId === shard.parentShardId || p.shardId === shard.adjacentParentShardId,
            );
            if (parents.length > 0)
              expect(shard.createdMs).toBe(
                Math.max(...parents.map((p) => p.closedAtMs ?? Number.NaN)) + 1000,
              );
          }
          const { accepted, throttled, rejected } = engine.core.counters;
          expect(accepted + throttled + rejected).toBe(attempts);
        }
      }),
      { numRuns: 150 },
    );
  });
});
