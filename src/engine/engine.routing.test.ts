// @vitest-environment node
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './index';
import { fail, ok } from './testHelpers';

// Reference vectors computed with Python (fixtures/make-vectors.py).
function readVectors<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}
type RangeVectors = Record<string, { ShardId: string; StartingHashKey: string; EndingHashKey: string }[]>;
interface KeyVector {
  PartitionKey: string;
  hashKey: string;
  shardIndex: Record<string, number>;
}
const RANGES = readVectors<RangeVectors>('hash-ranges.json');
const KEYS = readVectors<KeyVector[]>('partition-keys.json');
const MAX = (1n << 128n) - 1n;

const data = (n = 1) => new Uint8Array(n).fill(7);
interface ShardOut {
  ShardId: string;
  HashKeyRange: { StartingHashKey: string; EndingHashKey: string };
}
const summary = (shards: ShardOut[]) =>
  shards.map((s) => ({
    ShardId: s.ShardId,
    StartingHashKey: s.HashKeyRange.StartingHashKey,
    EndingHashKey: s.HashKeyRange.EndingHashKey,
  }));

function activeStream(engine: Engine, name: string, shards: number): void {
  ok(engine.call('CreateStream', { StreamName: name, ShardCount: shards }));
}

function describeAll(engine: Engine, name: string): ShardOut[] {
  const out: ShardOut[] = [];
  let after: string | undefined;
  for (;;) {
    const request: Record<string, unknown> = { StreamName: name };
    if (after !== undefined) request.ExclusiveStartShardId = after;
    const d = ok(engine.call('DescribeStream', request)).StreamDescription as {
      Shards: ShardOut[];
      HasMoreShards: boolean;
    };
    out.push(...d.Shards);
    if (!d.HasMoreShards) return out;
    after = d.Shards[d.Shards.length - 1]?.ShardId;
  }
}

describe('CreateStream hash ranges and shard ids', () => {
  const counts = Object.keys(RANGES).map(Number);

  it('has vectors for the shard counts the UI offers', () => {
    expect(counts).toEqual([1, 2, 3, 4, 6, 10, 32, 500]);
  });

  it.each(counts)('N=%i: DescribeStream and ListShards return the reference ranges and ids', (n) => {
    const engine = createEngine({ transitionMs: 0 });
    activeStream(engine, 's', n);
    const expected = RANGES[String(n)];
    expect(summary(describeAll(engine, 's'))).toEqual(expected);
    const listed = ok(engine.call('ListShards', { StreamName: 's' })).Shards as ShardOut[];
    expect(summary(listed)).toEqual(expected);
    // Ranges tile the space: each starts one after the previous end.
    for (let i = 1; i < listed.length; i++) {
      expect(BigInt(listed[i]!.HashKeyRange.StartingHashKey)).toBe(
        BigInt(listed[i - 1]!.HashKeyRange.EndingHashKey) + 1n,
      );
    }
  });

  it('DescribeStream pages 100 shards at a time with HasMoreShards', () => {
    const engine = createEngine({ transitionMs: 0 });
    activeStream(engine, 's', 250);
    const first = ok(engine.call('DescribeStream', { StreamName: 's' })).StreamDescription as {
      Shards: ShardOut[];
      HasMoreShards: boolean;
    };
    expect(first.Shards).toHaveLength(100);
    expect(first.HasMoreShards).toBe(true);
    expect(describeAll(engine, 's')).toHaveLength(250);
  });
});

describe('partition key routing', () => {
  it('the vectors agree with MD5 computed by node:crypto', () => {
    for (const k of KEYS) {
      const md5 = BigInt(`0x${createHash('md5').update(k.PartitionKey, 'utf8').digest('hex')}`);
      expect(md5.toString()).toBe(k.hashKey);
    }
  });

  it.each([1, 2, 3, 4, 6, 10, 32, 500])('N=%i: every vector key lands on its expected shard', (n) => {
    const engine = createEngine({ transitionMs: 0 });
    activeStream(engine, 's', n);
    for (const k of KEYS) {
      const out = ok(
        engine.call('PutRecord', { StreamName: 's', PartitionKey: k.PartitionKey, Data: data() }),
      );
      expect(out.ShardId, k.PartitionKey).toBe(
        `shardId-${String(k.shardIndex[String(n)]).padStart(12, '0')}`,
      );
    }
  });

  it('one engine: delete between streams keeps within the 500-shard account limit', () => {
    const engine = createEngine({ transitionMs: 0 });
    for (const n of [32, 500, 10]) {
      activeStream(engine, `s${n}`, n);
      for (const k of KEYS.slice(0, 20)) {
        const out = ok(
          engine.call('PutRecord', { StreamName: `s${n}`, PartitionKey: k.PartitionKey, Data: data() }),
        );
        expect(out.ShardId).toBe(`shardId-${String(k.shardIndex[String(n)]).padStart(12, '0')}`);
      }
      ok(engine.call('DeleteStream', { StreamName: `s${n}` }));
    }
  });
});

describe('ExplicitHashKey', () => {
  it.each([3, 4, 10])('N=%i: range boundaries route to the owning shard, overriding MD5', (n) => {
    const engine = createEngine({ transitionMs: 0 });
    activeStream(engine, 's', n);
    const ranges = RANGES[String(n)]!;
    // Key 'a' hashes to shard 0 for these N; an explicit hash key must win.
    for (const [i, range] of ranges.entries()) {
      for (const ehk of [range.StartingHashKey, range.EndingHashKey]) {
        const out = ok(
          engine.call('PutRecord', {
            StreamName: 's',
            PartitionKey: 'a',
            Data: data(),
            ExplicitHashKey: ehk,
          }),
        );
        expect(out.ShardId, ehk).toBe(ranges[i]!.ShardId);
      }
    }
    const first = ok(
      engine.call('PutRecord', { StreamName: 's', PartitionKey: 'a', Data: data(), ExplicitHashKey: '0' }),
    );
    expect(first.ShardId).toBe('shardId-000000000000');
    const last = ok(
      engine.call('PutRecord', {
        StreamName: 's',
        PartitionKey: 'a',
        Data: data(),
        ExplicitHashKey: MAX.toString(),
      }),
    );
    expect(last.ShardId).toBe(ranges[ranges.length - 1]!.ShardId);
  });

  it('2^128 and beyond: InvalidArgumentException with the exact text', () => {
    const engine = createEngine({ transitionMs: 0 });
    activeStream(engine, 's', 2);
    for (const v of [(MAX + 1n).toString(), '9'.repeat(39)]) {
      const e = fail(
        engine.call('PutRecord', { StreamName: 's', PartitionKey: 'a', Data: data(), ExplicitHashKey: v }),
      );
      expect(e).toEqual({
        type: 'InvalidArgumentException',
        message: `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${v}`,
      });
    }
    expect(engine.core.counters).toEqual({ accepted: 0, throttled: 0, rejected: 2 });
  });

  it('fails the regex (leading zero, 40 digits, sign) → ValidationException', () => {
    const engine = createEngine({ transitionMs: 0 });
    activeStream(engine, 's', 2);
    for (const v of ['01', '1'.repeat(40), '-1', '']) {
      const e = fail(
        engine.call('PutRecord', { StreamName: 's', PartitionKey: 'a', Data: data(), ExplicitHashKey: v }),
      );
      expect(e).toEqual({
        type: 'ValidationException',
        message: `1 validation error detected: Value '${v}' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})`,
      });
    }
  });

  it('PutRecords: one out-of-range ExplicitHashKey fails the whole request and writes nothing', () => {
    const engine = createEngine({ transitionMs: 0 });
    activeStream(engine, 's', 2);
    const records = [
      { PartitionKey: 'a', Data: data() },
      { PartitionKey: 'b', Data: data(), ExplicitHashKey: (MAX + 1n).toString() },
      { PartitionKey: 'c', Data: data() },
    ];
    const e = fail(engine.call('PutRecords', { StreamName: 's', Records: records }));
    expect(e.type).toBe('InvalidArgumentException');
    expect(e.message).toBe(
      `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${MAX + 1n}`,
    );
    expect(engine.core.counters).toEqual({ accepted: 0, throttled: 0, rejected: 3 });
    expect(engine.core.stream('s')?.retainedRecords).toBe(0);
  });

  it('PutRecords: explicit hash keys route per entry', () => {
    const engine = createEngine({ transitionMs: 0 });
    activeStream(engine, 's', 4);
    const ranges = RANGES['4']!;
    const records = ranges.map((r) => ({
      PartitionKey: 'a',
      Data: data(),
      ExplicitHashKey: r.EndingHashKey,
    }));
    const out = ok(engine.call('PutRecords', { StreamName: 's', Records: records })) as {
      FailedRecordCount: number;
      Records: { ShardId: string }[];
    };
    expect(out.FailedRecordCount).toBe(0);
    expect(out.Records.map((r) => r.ShardId)).toEqual(ranges.map((r) => r.ShardId));
  });
});
