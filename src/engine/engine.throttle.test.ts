// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, encodeBase64 } from './index';
import { fail, ok } from './testHelpers';

const MIB = 1024 * 1024;
const RATE = (shard: number) =>
  `Rate exceeded for shard shardId-${String(shard).padStart(12, '0')} in stream s under account 000000000000.`;
const MODELS = ['token-bucket', 'fixed-window'] as const;

function engineWith(model: (typeof MODELS)[number], shards = 1): Engine {
  const engine = createEngine({ transitionMs: 0, throttle: model });
  ok(engine.call('CreateStream', { StreamName: 's', ShardCount: shards }));
  return engine;
}
const put = (engine: Engine, key = 'k', bytes = 1) =>
  engine.call('PutRecord', { StreamName: 's', PartitionKey: key, Data: new Uint8Array(bytes) });

/** Puts records until one is throttled; returns how many were accepted. */
function fill(engine: Engine, max = 5000): number {
  for (let i = 0; i < max; i++) if (!put(engine, `k${i}`).ok) return i;
  return max;
}

describe.each(MODELS)('write throttling (%s)', (model) => {
  it('accepts exactly 1,000 records at one instant, then PTEE with the exact message', () => {
    const engine = engineWith(model);
    for (let i = 0; i < 1000; i++) expect(put(engine, `k${i}`).ok).toBe(true);
    const r = put(engine, 'one-more');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.type).toBe('ProvisionedThroughputExceededException');
      expect(r.error.message).toBe(RATE(0));
      expect(r.error.status).toBe(400);
    }
    expect(engine.core.counters).toEqual({ accepted: 1000, throttled: 1, rejected: 0 });
    const wire = engine.dispatch(
      'Kinesis_20131202.PutRecord',
      JSON.stringify({ StreamName: 's', PartitionKey: 'x', Data: 'AA==' }),
    );
    expect(wire).toEqual({
      status: 400,
      body: JSON.stringify({ __type: 'ProvisionedThroughputExceededException', message: RATE(0) }),
    });
  });

  it('each shard has its own allowance', () => {
    const engine = engineWith(model, 2);
    const ehk = ['0', ((1n << 128n) - 1n).toString()];
    for (const [shard, key] of ehk.entries()) {
      let accepted = 0;
      for (let i = 0; i < 1100; i++) {
        const r = engine.call('PutRecord', {
          StreamName: 's',
          PartitionKey: 'p',
          Data: new Uint8Array(1),
          ExplicitHashKey: key,
        });
        if (r.ok) accepted++;
        else expect(r.error.message).toBe(RATE(shard));
      }
      expect(accepted).toBe(1000);
    }
  });

  it('1 MiB/s counts data plus partition-key UTF-8 bytes', () => {
    const engine = engineWith(model);
    // 'é' ×5 is 5 UTF-16 units but 10 UTF-8 bytes: 10 bytes stay in the allowance after the first record.
    const key = 'ééééé';
    expect(put(engine, key, MIB - 20).ok).toBe(true);
    expect(put(engine, key, 0).ok).toBe(true);
    const r = put(engine, 'a', 0);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.type).toBe('ProvisionedThroughputExceededException');
    // A throttled record consumes nothing: the record count is untouched.
    expect(engine.core.counters).toEqual({ accepted: 2, throttled: 1, rejected: 0 });
  });

  it('a throttled record consumes nothing', () => {
    const engine = engineWith(model);
    expect(put(engine, 'a', MIB - 2).ok).toBe(true); // 1 byte left
    expect(put(engine, 'b', 1).ok).toBe(false); // needs 2
    expect(put(engine, '', 0).ok).toBe(false); // ValidationException, not a write
    expect(put(engine, 'c', 0).ok).toBe(true); // the 1 byte is still there
  });
});

describe('refill over virtual time', () => {
  it('token bucket: refills continuously at 1,000 records/s, capped at 1,000', () => {
    const engine = engineWith('token-bucket');
    expect(fill(engine)).toBe(1000);
    engine.advanceTime(1);
    expect(fill(engine)).toBe(1);
    engine.advanceTime(250);
    expect(fill(engine)).toBe(250);
    engine.advanceTime(60_000);
    expect(fill(engine)).toBe(1000);
  });

  it('token bucket: bytes refill at 1 MiB/s', () => {
    const engine = engineWith('token-bucket');
    expect(put(engine, 'a', MIB - 1).ok).toBe(true);
    expect(put(engine, 'a', 1023).ok).toBe(false);
    engine.advanceTime(1); // +1048.576 bytes
    expect(put(engine, 'a', 1023).ok).toBe(true);
  });

  it('fixed window: resets at each whole virtual second, not before', () => {
    const engine = engineWith('fixed-window');
    expect(engine.now() % 1000).toBe(0);
    expect(fill(engine)).toBe(1000);
    engine.advanceTime(999);
    expect(fill(engine)).toBe(0);
    engine.advanceTime(1);
    expect(fill(engine)).toBe(1000);
    engine.advanceTime(500);
    expect(fill(engine)).toBe(0);
    engine.advanceTime(500);
    expect(fill(engine)).toBe(1000);
  });

  it('the two models differ: 2,000 records over one second straddling a boundary', () => {
    const counts = MODELS.map((model) => {
      const engine = engineWith(model);
      engine.advanceTime(500);
      let accepted = fill(engine);
      engine.advanceTime(500);
      accepted += fill(engine);
      return accepted;
    });
    // Token bucket: 1,000 then 500 refilled. Fixed window: 1,000 in each window.
    expect(counts).toEqual([1500, 2000]);
  });
});

describe('PutRecords partial failure', () => {
  it('HTTP 200, per-entry errors in request order, FailedRecordCount, accepted entries written', () => {
    const engine = createEngine({ transitionMs: 0 });
    ok(engine.call('CreateStream', { StreamName: 's', ShardCount: 2 }));
    const low = '0';
    const high = ((1n << 128n) - 1n).toString();
    // Spend shard 0's allowance.
    for (let i = 0; i < 10; i++) {
      const records = Array.from({ length: 100 }, (_, j) => ({
        PartitionKey: `f${i}-${j}`,
        Data: 'AA==',
        ExplicitHashKey: low,
      }));
      const r = engine.dispatch(
        'Kinesis_20131202.PutRecords',
        JSON.stringify({ StreamName: 's', Records: records }),
      );
      expect(JSON.parse(r.body).FailedRecordCount).toBe(0);
    }
    const entries = Array.from({ length: 20 }, (_, i) => ({
      PartitionKey: `e${i}`,
      Data: encodeBase64(new Uint8Array([i, i + 1])),
      ExplicitHashKey: i % 2 === 0 ? low : high,
    }));
    const response = engine.dispatch(
      'Kinesis_20131202.PutRecords',
      JSON.stringify({ StreamName: 's', Records: entries }),
    );
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body) as {
      FailedRecordCount: number;
      Records: { ShardId?: string; SequenceNumber?: string; ErrorCode?: string; ErrorMessage?: string }[];
    };
    expect(body.FailedRecordCount).toBe(10);
    expect(body.Records).toHaveLength(20);
    body.Records.forEach((r, i) => {
      if (i % 2 === 0) {
        expect(r).toEqual({ ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: RATE(0) });
      } else {
        expect(r.ShardId).toBe('shardId-000000000001');
        expect(r.SequenceNumber).toMatch(/^\d{56}$/);
      }
    });
    expect(engine.core.counters).toEqual({ accepted: 1010, throttled: 10, rejected: 0 });
    // The accepted entries are readable from shard 1, in order, with their data.
    const iterator = ok(
      engine.call('GetShardIterator', {
        StreamName: 's',
        ShardId: 'shardId-000000000001',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    ).ShardIterator as string;
    const read = ok(engine.call('GetRecords', { ShardIterator: iterator })).Records as {
      PartitionKey: string;
      Data: Uint8Array;
      SequenceNumber: string;
    }[];
    expect(read.map((r) => r.PartitionKey)).toEqual(
      entries.filter((_, i) => i % 2 === 1).map((e) => e.PartitionKey),
    );
    expect(read.map((r) => [...r.Data])).toEqual(
      entries.filter((_, i) => i % 2 === 1).map((_, k) => [2 * k + 1, 2 * k + 2]),
    );
    expect(read.map((r) => r.SequenceNumber)).toEqual(
      body.Records.filter((_, i) => i % 2 === 1).map((r) => r.SequenceNumber),
    );
  });

  it('a single PutRecords of 500 entries on one shard after 600 puts: 400 accepted, 100 throttled', () => {
    const engine = createEngine({ transitionMs: 0 });
    ok(engine.call('CreateStream', { StreamName: 's', ShardCount: 1 }));
    for (let i = 0; i < 600; i++) put(engine, `p${i}`);
    const out = ok(
      engine.call('PutRecords', {
        StreamName: 's',
        Records: Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `r${i}`, Data: new Uint8Array(1) })),
      }),
    ) as { FailedRecordCount: number; Records: { ErrorCode?: string }[] };
    expect(out.FailedRecordCount).toBe(100);
    expect(out.Records.findIndex((r) => r.ErrorCode !== undefined)).toBe(400);
    expect(engine.core.counters).toEqual({ accepted: 1000, throttled: 100, rejected: 0 });
  });
});

describe('read throttling and limits', () => {
  it('the 6th GetRecords within one second on a shard → PTEE; allowed again a second later', () => {
    const engine = createEngine({ transitionMs: 0 });
    ok(engine.call('CreateStream', { StreamName: 's', ShardCount: 1 }));
    let iterator = ok(
      engine.call('GetShardIterator', {
        StreamName: 's',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'LATEST',
      }),
    ).ShardIterator as string;
    for (let i = 0; i < 5; i++) {
      iterator = ok(engine.call('GetRecords', { ShardIterator: iterator })).NextShardIterator as string;
      engine.advanceTime(100);
    }
    const sixth = engine.call('GetRecords', { ShardIterator: iterator });
    expect(sixth.ok).toBe(false);
    if (!sixth.ok) {
      expect(sixth.error.type).toBe('ProvisionedThroughputExceededException');
      expect(sixth.error.message).toBe(RATE(0));
    }
    engine.advanceTime(600);
    expect(engine.call('GetRecords', { ShardIterator: iterator }).ok).toBe(true);
  });

  it('the 6th GetShardIterator within one second on a shard → PTEE; other shards and a second later go [model §6]', () => {
    const engine = createEngine({ transitionMs: 0 });
    ok(engine.call('CreateStream', { StreamName: 's', ShardCount: 2 }));
    const iterator = (shard: number) =>
      engine.call('GetShardIterator', {
        StreamName: 's',
        ShardId: `shardId-00000000000${shard}`,
        ShardIteratorType: 'TRIM_HORIZON',
      });
    for (let i = 0; i < 5; i++) {
      ok(iterator(0));
      engine.advanceTime(100);
    }
    expect(fail(iterator(0))).toEqual({ type: 'ProvisionedThroughputExceededException', message: RATE(0) });
    ok(iterator(1));
    // A second after the first five: five more, and a dry run takes none of them.
    engine.advanceTime(1000);
    expect(
      fail(
        engine.call('GetShardIterator', {
          StreamName: 's',
          ShardId: 'shardId-000000000000',
          ShardIteratorType: 'LATEST',
          DryRun: true,
        }),
      ).type,
    ).toBe('DryRunOperationException');
    for (let i = 0; i < 5; i++) ok(iterator(0));
    expect(fail(iterator(0)).type).toBe('ProvisionedThroughputExceededException');
  });

  it('GetRecords returns at most Limit records and continues from there', () => {
    const engine = createEngine({ transitionMs: 0 });
    ok(engine.call('CreateStream', { StreamName: 's', ShardCount: 1 }));
    for (let i = 0; i < 10; i++) put(engine, `k${i}`);
    const iterator = ok(
      engine.call('GetShardIterator', {
        StreamName: 's',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    ).ShardIterator as string;
    const first = ok(engine.call('GetRecords', { ShardIterator: iterator, Limit: 3 }));
    expect((first.Records as { PartitionKey: string }[]).map((r) => r.PartitionKey)).toEqual([
      'k0',
      'k1',
      'k2',
    ]);
    const second = ok(
      engine.call('GetRecords', { ShardIterator: first.NextShardIterator as string, Limit: 100 }),
    );
    expect((second.Records as unknown[]).length).toBe(7);
    expect(second.MillisBehindLatest).toBe(0);
  });
});

describe('large records: MaxRecordSizeInKiB above 1024 [model §6 "tank"]', () => {
  function largeEngine(model: (typeof MODELS)[number], maxKiB: number): Engine {
    const engine = createEngine({ transitionMs: 0, throttle: model });
    ok(engine.call('CreateStream', { StreamName: 's', ShardCount: 1, MaxRecordSizeInKiB: maxKiB }));
    return engine;
  }
  // 'k' is 1 byte: data of n MiB − 1 makes a record of exactly n MiB.
  const record = (engine: Engine, mib: number) => put(engine, 'k', mib * MIB - 1);

  it('token bucket: the byte bucket holds the maximum record size, refilling at 1 MiB/s', () => {
    const engine = largeEngine('token-bucket', 10240);
    expect(record(engine, 10).ok).toBe(true); // a full 10 MiB tank bursts one maximal record
    expect(put(engine, 'k', 1).ok).toBe(false);
    engine.advanceTime(2000); // 2 MiB back
    expect(record(engine, 3).ok).toBe(false);
    expect(record(engine, 2).ok).toBe(true);
    engine.advanceTime(60_000); // refills to capacity, not beyond
    expect(record(engine, 10).ok).toBe(true);
    expect(put(engine, 'k', 1).ok).toBe(false);
    // Over time the average stays 1 MiB/s: a 10 MiB record every 10 s, no faster.
    engine.advanceTime(9999);
    expect(record(engine, 10).ok).toBe(false);
    engine.advanceTime(1);
    expect(record(engine, 10).ok).toBe(true);
  });

  it('token bucket: a 1024 KiB stream keeps a 1 MiB bucket', () => {
    const engine = largeEngine('token-bucket', 1024);
    expect(record(engine, 1).ok).toBe(true);
    expect(put(engine, 'k', 1).ok).toBe(false);
  });

  it('fixed window: one record up to the maximum is accepted alone in an otherwise empty window', () => {
    const engine = largeEngine('fixed-window', 4096);
    expect(record(engine, 4).ok).toBe(true);
    expect(put(engine, 'k', 1).ok).toBe(false); // the window is spent
    engine.advanceTime(1000);
    expect(put(engine, 'k', 1).ok).toBe(true);
    expect(record(engine, 2).ok).toBe(false); // not empty any more: 1 MiB per window applies
    expect(put(engine, 'k', MIB - 10).ok).toBe(true);
    engine.advanceTime(1000);
    expect(record(engine, 4).ok).toBe(true);
    expect(engine.core.counters).toEqual({ accepted: 4, throttled: 2, rejected: 0 });
  });

  it('fixed window: aggregate writes take one oversized record in an empty window', () => {
    const engine = largeEngine('fixed-window', 2048);
    const stream = engine.core.stream('s');
    if (!stream) throw new Error('no stream');
    expect(engine.core.writeAggregate(stream, 0, 3, 2 * MIB)).toBe(1);
    engine.advanceTime(1000);
    expect(engine.core.writeAggregate(stream, 0, 3, 512 * 1024)).toBe(2);
  });
});
