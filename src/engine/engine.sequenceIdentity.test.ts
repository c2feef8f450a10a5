// @vitest-environment node
// A sequence number carries its shard's identity — stream incarnation (tag), shard index, shard creation
// second — and every operation that takes one checks it [model §2, §15.6].
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ApiResult,
  createEngine,
  type Engine,
  formatSequenceNumber,
  parseSequenceNumber,
} from './index';
import { deriveStreamTag, STREAM_TAG_COUNT } from './sequenceNumber';
import { fail, ok } from './testHelpers';

const data = () => new Uint8Array(1);
const SHARD0 = 'shardId-000000000000';
const notFromStream = (n: string, stream: string, shard = SHARD0) =>
  `StartingSequenceNumber ${n} used in GetShardIterator on shard ${shard} in stream ${stream} under account 000000000000 is invalid because it did not come from this stream.`;

function put(engine: Engine, stream: string, key = 'k'): string {
  return ok(engine.call('PutRecord', { StreamName: stream, PartitionKey: key, Data: data() }))
    .SequenceNumber as string;
}
function iterator(engine: Engine, stream: string, type: string, sequence: string, shard = SHARD0): ApiResult {
  return engine.call('GetShardIterator', {
    StreamName: stream,
    ShardId: shard,
    ShardIteratorType: type,
    StartingSequenceNumber: sequence,
  });
}
function keysFrom(engine: Engine, result: ApiResult): string[] {
  const read = ok(engine.call('GetRecords', { ShardIterator: ok(result).ShardIterator as string }));
  return (read.Records as { PartitionKey: string }[]).map((r) => r.PartitionKey);
}

describe('a sequence number from another stream [model §15.6]', () => {
  it('logs-a → GetShardIterator on logs-b shard 0: InvalidArgumentException with the exact text', () => {
    const engine = createEngine({ transitionMs: 0 });
    ok(engine.call('CreateStream', { StreamName: 'logs-a', ShardCount: 1 }));
    ok(engine.call('CreateStream', { StreamName: 'logs-b', ShardCount: 1 }));
    put(engine, 'logs-b', 'b-first');
    const n = put(engine, 'logs-a');
    for (const type of ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER']) {
      expect(fail(iterator(engine, 'logs-b', type, n))).toEqual({
        type: 'InvalidArgumentException',
        message: notFromStream(n, 'logs-b'),
      });
    }
    // Addressed by ARN, the text names the stream the same way.
    expect(
      fail(
        engine.call('GetShardIterator', {
          StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/logs-b',
          ShardId: SHARD0,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          StartingSequenceNumber: n,
        }),
      ).message,
    ).toBe(notFromStream(n, 'logs-b'));
    // The same number on its own stream works.
    expect(keysFrom(engine, iterator(engine, 'logs-a', 'AT_SEQUENCE_NUMBER', n))).toEqual(['k']);
  });

  it('a shard StartingSequenceNumber of another stream, and a tag-less (kinesalite-style) number, are refused', () => {
    const engine = createEngine({ transitionMs: 0 });
    ok(engine.call('CreateStream', { StreamName: 'a', ShardCount: 2 }));
    ok(engine.call('CreateStream', { StreamName: 'b', ShardCount: 2 }));
    const shardsOf = (s: string) =>
      ok(engine.call('ListShards', { StreamName: s })).Shards as {
        SequenceNumberRange: { StartingSequenceNumber: string };
      }[];
    const startA = shardsOf('a')[1]!.SequenceNumberRange.StartingSequenceNumber;
    const shard1 = 'shardId-000000000001';
    expect(fail(iterator(engine, 'b', 'AT_SEQUENCE_NUMBER', startA, shard1)).message).toBe(
      notFromStream(startA, 'b', shard1),
    );
    ok(iterator(engine, 'a', 'AT_SEQUENCE_NUMBER', startA, shard1));
    const untagged = formatSequenceNumber({
      shardCreatedSec: engine.now() / 1000,
      shardIndex: 0,
      counter: 1n,
      arrivalSec: engine.now() / 1000,
    });
    expect(fail(iterator(engine, 'a', 'AT_SEQUENCE_NUMBER', untagged)).message).toBe(
      notFromStream(untagged, 'a'),
    );
  });

  it('the right tag with a shard index the stream never had, or another creation second → not from this stream', () => {
    const engine = createEngine({ transitionMs: 0 });
    ok(engine.call('CreateStream', { StreamName: 's', ShardCount: 1 }));
    const fields = parseSequenceNumber(put(engine, 's'))!;
    const forged = [
      formatSequenceNumber({ ...fields, shardIndex: 7 }),
      formatSequenceNumber({ ...fields, shardCreatedSec: fields.shardCreatedSec - 1 }),
    ];
    for (const n of forged)
      expect(fail(iterator(engine, 's', 'AT_SEQUENCE_NUMBER', n)).message).toBe(notFromStream(n, 's'));
  });

  it('a number of another shard of the same stream keeps the other-shard text', () => {
    const engine = createEngine({ transitionMs: 0 });
    ok(engine.call('CreateStream', { StreamName: 's', ShardCount: 2 }));
    const out = ok(
      engine.call('PutRecord', { StreamName: 's', PartitionKey: 'x', Data: data(), ExplicitHashKey: '0' }),
    );
    expect(out.ShardId).toBe(SHARD0);
    const n = out.SequenceNumber as string;
    expect(fail(iterator(engine, 's', 'AT_SEQUENCE_NUMBER', n, 'shardId-000000000001'))).toEqual({
      type: 'InvalidArgumentException',
      message: `Invalid StartingSequenceNumber. It encodes ${SHARD0}, while it was used in a call to a shard with shardId-000000000001`,
    });
  });
});

describe('a re-created stream of the same name', () => {
  for (const [label, wait] of [
    ['in the same second', 0],
    ['later', 5_000],
  ] as const) {
    it(`refuses an old checkpoint (${label}) instead of silently skipping its first record`, () => {
      const engine = createEngine({ transitionMs: 0 });
      ok(engine.call('CreateStream', { StreamName: 'orders', ShardCount: 1 }));
      const checkpoint = put(engine, 'orders', 'old');
      ok(engine.call('DeleteStream', { StreamName: 'orders' }));
      engine.advanceTime(wait);
      ok(engine.call('CreateStream', { StreamName: 'orders', ShardCount: 1 }));
      const first = put(engine, 'orders', 'new-1');
      put(engine, 'orders', 'new-2');
      expect(fail(iterator(engine, 'orders', 'AFTER_SEQUENCE_NUMBER', checkpoint))).toEqual({
        type: 'InvalidArgumentException',
        message: notFromStream(checkpoint, 'orders'),
      });
      // A checkpoint of the new stream still resumes where it should.
      expect(keysFrom(engine, iterator(engine, 'orders', 'AFTER_SEQUENCE_NUMBER', first))).toEqual(['new-2']);
      expect(keysFrom(engine, iterator(engine, 'orders', 'AT_SEQUENCE_NUMBER', first))).toEqual([
        'new-1',
        'new-2',
      ]);
    });
  }
});

describe('a shard iterator of an earlier stream of the same name', () => {
  it('finds no stream, even when both were created in the same ms', () => {
    const engine = createEngine({ transitionMs: 0 });
    ok(engine.call('CreateStream', { StreamName: 'orders', ShardCount: 1 }));
    put(engine, 'orders', 'old');
    const old = ok(
      engine.call('GetShardIterator', {
        StreamName: 'orders',
        ShardId: SHARD0,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    ).ShardIterator as string;
    ok(engine.call('DeleteStream', { StreamName: 'orders' }));
    ok(engine.call('CreateStream', { StreamName: 'orders', ShardCount: 1 }));
    put(engine, 'orders', 'new');
    expect(fail(engine.call('GetRecords', { ShardIterator: old }))).toEqual({
      type: 'ResourceNotFoundException',
      message: 'Stream orders under account 000000000000 not found.',
    });
  });
});

describe('SequenceNumberForOrdering must come from the stream too', () => {
  it("another stream's number → the ExclusiveMinimumSequenceNumber text; this stream's → accepted", () => {
    const engine = createEngine({ transitionMs: 0 });
    ok(engine.call('CreateStream', { StreamName: 'logs-a', ShardCount: 1 }));
    ok(engine.call('CreateStream', { StreamName: 'logs-b', ShardCount: 2 }));
    const fromA = put(engine, 'logs-a');
    const putB = (ordering: string) =>
      engine.call('PutRecord', {
        StreamName: 'logs-b',
        PartitionKey: 'k',
        Data: data(),
        SequenceNumberForOrdering: ordering,
      });
    expect(fail(putB(fromA))).toEqual({
      type: 'InvalidArgumentException',
      message: `ExclusiveMinimumSequenceNumber ${fromA} used in PutRecord on stream logs-b under account 000000000000 is invalid.`,
    });
    const fromB = ok(putB('0')).SequenceNumber as string;
    ok(putB(fromB));
    // Any shard of the same stream will do (after a reshard a key moves to another shard).
    const otherShard = ok(
      engine.call('PutRecord', {
        StreamName: 'logs-b',
        PartitionKey: 'z',
        Data: data(),
        ExplicitHashKey: ok(putB('0')).ShardId === SHARD0 ? '340282366920938463463374607431768211455' : '0',
      }),
    );
    expect(otherShard.ShardId).not.toBe(ok(putB(fromB)).ShardId);
    ok(putB(otherShard.SequenceNumber as string));
  });
});

describe('stream tags', () => {
  it('sit at hex positions 27–28 and round-trip through format/parse', () => {
    fc.assert(
      fc.property(
        fc.record({
          shardCreatedSec: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          shardIndex: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          counter: fc.bigInt({ min: 0n, max: 0x7fffffffffffffffn }),
          arrivalSec: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          streamTag: fc.integer({ min: 0, max: 255 }),
        }),
        (fields) => {
          const n = formatSequenceNumber(fields);
          expect(n).toMatch(/^\d{56}$/);
          expect(BigInt(n).toString(16).slice(27, 29)).toBe(fields.streamTag.toString(16).padStart(2, '0'));
          expect(parseSequenceNumber(n)).toEqual(fields);
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });

  it('are 1–255, avoid what they are told to, and take no random draw', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.nat(),
        fc.nat(1000),
        fc.nat(),
        fc.uniqueArray(fc.integer({ min: 1, max: 255 }), { maxLength: 254 }),
        (name, ms, ordinal, secret, taken) => {
          const set = new Set(taken);
          const tag = deriveStreamTag(name, ms, ordinal, secret, (t) => set.has(t));
          expect(tag).toBeGreaterThanOrEqual(1);
          expect(tag).toBeLessThanOrEqual(STREAM_TAG_COUNT);
          expect(set.has(tag)).toBe(false);
        },
      ),
      { numRuns: 300, seed: 4 },
    );
    const a = createEngine({ seed: 9, transitionMs: 0 });
    const b = createEngine({ seed: 9, transitionMs: 0 });
    for (let i = 0; i < 20; i++) ok(a.call('CreateStream', { StreamName: `s${i}`, ShardCount: 1 }));
    expect(a.core.random.nextUint32()).toBe(b.core.random.nextUint32());
  });

  it('differ between streams created in one second, and between a stream and its successor of the same name', () => {
    const engine = createEngine({ transitionMs: 0 });
    for (let i = 0; i < 255; i++) ok(engine.call('CreateStream', { StreamName: `s${i}`, ShardCount: 1 }));
    const tags = new Set(engine.core.streamNames().map((n) => engine.core.stream(n)!.sequenceTag));
    expect(tags.size).toBe(255);
    const again = createEngine({ transitionMs: 0 });
    ok(again.call('CreateStream', { StreamName: 'other', ShardCount: 1 }));
    for (let i = 0; i < 300; i++) {
      ok(again.call('CreateStream', { StreamName: 'orders', ShardCount: 1 }));
      const tag = again.core.stream('orders')!.sequenceTag;
      expect(tag).not.toBe(again.core.stream('other')!.sequenceTag);
      ok(again.call('DeleteStream', { StreamName: 'orders' }));
      again.advanceTime(i % 2 === 0 ? 1000 : 0);
      ok(again.call('CreateStream', { StreamName: 'orders', ShardCount: 1 }));
      expect(again.core.stream('orders')!.sequenceTag).not.toBe(tag);
      ok(again.call('DeleteStream', { StreamName: 'orders' }));
    }
  });
});

// ---------------------------------------------------------------- property

type Op =
  | { kind: 'create'; name: number; shards: number }
  | { kind: 'delete'; name: number }
  | { kind: 'put'; name: number; key: number }
  | { kind: 'wait'; ms: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      name: fc.nat(3),
      shards: fc.integer({ min: 1, max: 3 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), name: fc.nat(3) }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('put' as const), name: fc.nat(3), key: fc.nat(20) }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.constantFrom(0, 1, 400, 1000, 3000) }),
    weight: 1,
  },
);

describe('sequence identity property', () => {
  it('a number is accepted by exactly the stream incarnation and shard that issued it', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 50 }), (ops) => {
        const engine = createEngine({ transitionMs: 0 });
        let incarnation = 0;
        const live = new Map<string, number>(); // name → incarnation id
        const issued: { n: string; incarnation: number; shardId: string }[] = [];
        for (const o of ops) {
          if (o.kind === 'wait') {
            engine.advanceTime(o.ms);
            continue;
          }
          const name = `s${o.name}`;
          if (o.kind === 'create') {
            if (engine.call('CreateStream', { StreamName: name, ShardCount: o.shards }).ok)
              live.set(name, ++incarnation);
          } else if (o.kind === 'delete') {
            if (engine.call('DeleteStream', { StreamName: name }).ok) live.delete(name);
          } else if (live.has(name)) {
            const r = ok(
              engine.call('PutRecord', { StreamName: name, PartitionKey: `k${o.key}`, Data: data() }),
            );
            issued.push({
              n: r.SequenceNumber as string,
              incarnation: live.get(name)!,
              shardId: r.ShardId as string,
            });
          }
        }
        for (const [name, id] of live) {
          const shardCount = engine.core.stream(name)!.shards.length;
          for (const { n, incarnation: from, shardId } of issued) {
            for (let s = 0; s < shardCount; s++) {
              const target = `shardId-${String(s).padStart(12, '0')}`;
              const r = iterator(engine, name, 'AT_SEQUENCE_NUMBER', n, target);
              if (from !== id) expect(fail(r).message).toBe(notFromStream(n, name, target));
              else if (shardId !== target)
                expect(fail(r).message).toContain('Invalid StartingSequenceNumber. It encodes');
              else expect(r.ok).toBe(true);
            }
          }
        }
      }),
      { numRuns: 150, seed: 21 },
    );
  });
});
