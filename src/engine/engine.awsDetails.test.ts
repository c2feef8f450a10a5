// @vitest-environment node
// Details of what AWS answers that an independent review found missing; each case is pinned here.
import { describe, expect, it } from 'vitest';
import { createEngine, WRITE_REJECTED } from './index';
import { ProducerSet } from './producers/producerSet';

const call = (engine: ReturnType<typeof createEngine>, op: string, body: unknown) => {
  const r = engine.dispatch(`Kinesis_20131202.${op}`, JSON.stringify(body));
  return { status: r.status, body: r.body === '' ? {} : (JSON.parse(r.body) as Record<string, unknown>) };
};

function activeEngine(shards = 2, extra: Record<string, unknown> = {}) {
  const engine = createEngine({ transitionMs: 0 });
  expect(call(engine, 'CreateStream', { StreamName: 's', ShardCount: shards, ...extra }).status).toBe(200);
  return engine;
}

describe('AWS details', () => {
  it('a null PutRecords entry is a ValidationException, not a fault', () => {
    const engine = activeEngine();
    expect(call(engine, 'PutRecords', { StreamName: 's', Records: [null] })).toEqual({
      status: 400,
      body: {
        __type: 'ValidationException',
        message:
          "1 validation error detected: Value null at 'records.1.member' failed to satisfy constraint: Member must not be null",
      },
    });
    expect(engine.core.counters.rejected).toBe(1);
  });

  it('names shards as AWS does when GetShardIterator cannot find one', () => {
    const engine = activeEngine();
    const iterator = (body: Record<string, unknown>) =>
      call(engine, 'GetShardIterator', { StreamName: 's', ShardIteratorType: 'LATEST', ...body }).body
        .message;
    expect(iterator({ ShardId: 'shardId-5' })).toBe(
      'Shard shardId-000000000005 in stream s under account 000000000000 does not exist',
    );
    expect(iterator({ ShardId: 'ABKLFD8' })).toBe(
      'Could not find shard ABKLFD8 in stream s under account 000000000000.',
    );
    expect(iterator({ ShardId: 'shardId-2147483648' })).toBe(
      'Could not find shard shardId-2147483648 in stream s under account 000000000000.',
    );
    expect(iterator({ ShardId: 'shardId-2147483647', StreamName: 'nope' })).toBe(
      'Shard shardId-002147483647 in stream nope under account 000000000000 does not exist',
    );
    expect(
      iterator({
        ShardId: 'shardId-1',
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: '0',
      }),
    ).toBe(
      'StartingSequenceNumber 0 used in GetShardIterator on shard shardId-000000000001 in stream s under account 000000000000 is invalid.',
    );
  });

  it('gives the first record a sequence number after the shard start, so AFTER_SEQUENCE_NUMBER keeps it', () => {
    const engine = activeEngine(1);
    const put = call(engine, 'PutRecord', { StreamName: 's', PartitionKey: 'k', Data: 'AA==' }).body;
    const shard = (
      call(engine, 'ListShards', { StreamName: 's' }).body.Shards as {
        SequenceNumberRange: { StartingSequenceNumber: string };
      }[]
    )[0];
    const start = shard?.SequenceNumberRange.StartingSequenceNumber ?? '';
    expect(BigInt(put.SequenceNumber as string) > BigInt(start)).toBe(true);
    for (const type of ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER']) {
      const it = call(engine, 'GetShardIterator', {
        StreamName: 's',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: type,
        StartingSequenceNumber: start,
      }).body.ShardIterator;
      const records = call(engine, 'GetRecords', { ShardIterator: it }).body.Records as {
        SequenceNumber: string;
      }[];
      expect(records.map((r) => r.SequenceNumber)).toEqual([put.SequenceNumber]);
      engine.advanceTime(1000);
    }
  });

  it("blocks a shard's reads for 5 s after a 10 MiB response", () => {
    const engine = activeEngine(1, { MaxRecordSizeInKiB: 10240 });
    const tenMiB = Buffer.alloc(10 * 1024 * 1024 - 1).toString('base64');
    expect(call(engine, 'PutRecord', { StreamName: 's', PartitionKey: 'k', Data: tenMiB }).status).toBe(200);
    const iterator = () =>
      call(engine, 'GetShardIterator', {
        StreamName: 's',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }).body.ShardIterator;
    expect(call(engine, 'GetRecords', { ShardIterator: iterator() }).status).toBe(200);
    for (const ms of [1000, 1000, 1000, 1000, 900]) {
      engine.advanceTime(ms);
      expect(call(engine, 'GetRecords', { ShardIterator: iterator() }).body.__type).toBe(
        'ProvisionedThroughputExceededException',
      );
    }
    engine.advanceTime(200);
    expect(call(engine, 'GetRecords', { ShardIterator: iterator() }).status).toBe(200);
  });

  it('returns at most 100 shards from DescribeStream and 100 names from ListStreams per call', () => {
    const engine = activeEngine(150);
    const described = call(engine, 'DescribeStream', { StreamName: 's', Limit: 200 }).body
      .StreamDescription as {
      Shards: unknown[];
      HasMoreShards: boolean;
    };
    expect(described.Shards).toHaveLength(100);
    expect(described.HasMoreShards).toBe(true);
    for (let i = 0; i < 120; i++)
      call(engine, 'CreateStream', { StreamName: `t${String(i).padStart(3, '0')}`, ShardCount: 1 });
    const listed = call(engine, 'ListStreams', { Limit: 200 }).body;
    expect(listed.StreamNames).toHaveLength(100);
    expect(listed.HasMoreStreams).toBe(true);
  });

  it("rejects, never throttles, a fast-path record over the stream's maximum record size", () => {
    const engine = activeEngine(1);
    const stream = engine.core.stream('s');
    if (!stream) throw new Error('no stream');
    expect(engine.core.putRecordFast(stream, 'user-0', 1024 * 1024)).toBe(WRITE_REJECTED);
    expect(engine.core.lastRejection?.type).toBe('InvalidArgumentException');
    expect(engine.core.counters).toEqual({ accepted: 0, throttled: 0, rejected: 1 });
    const producers = new ProducerSet(engine.core, stream);
    producers.add({
      name: 'huge',
      api: 'PutRecord',
      batchSize: 1,
      payloadBytes: { min: 1024 * 1024, max: 1024 * 1024 },
      rate: 10,
      distribution: { kind: 'uniform', keyCount: 5 },
    });
    producers.advance(2000);
    const [totals] = producers.totals();
    expect(totals).toMatchObject({
      accepted: 0,
      throttled: 0,
      rejected: 20,
      lastError: { errorType: 'InvalidArgumentException' },
    });
  });

  it('sends a very large burst in aggregate, throttled as record by record would be', () => {
    const engine = activeEngine(4);
    const stream = engine.core.stream('s');
    if (!stream) throw new Error('no stream');
    const producers = new ProducerSet(engine.core, stream);
    producers.add({
      name: 'burst',
      api: 'PutRecords',
      batchSize: 500,
      payloadBytes: { min: 10, max: 10 },
      rate: 'burst',
      recordCount: 5_000_000,
      distribution: { kind: 'uniform', keyCount: 1000 },
    });
    const started = performance.now();
    producers.advance(1);
    expect(performance.now() - started).toBeLessThan(500);
    const [totals] = producers.totals();
    expect(totals).toMatchObject({
      attempted: 5_000_000,
      accepted: 4000,
      throttled: 4_996_000,
      aggregated: true,
    });
  });
});

describe('ListShards tokens', () => {
  it('refuses NextToken with ExclusiveStartShardId', () => {
    const engine = activeEngine(3);
    const first = call(engine, 'ListShards', { StreamName: 's', MaxResults: 1 }).body;
    expect(
      call(engine, 'ListShards', {
        NextToken: first.NextToken,
        ExclusiveStartShardId: 'shardId-000000000000',
      }).body,
    ).toEqual({
      __type: 'InvalidArgumentException',
      message: 'NextToken and ExclusiveStartShardId cannot be provided together.',
    });
    expect((call(engine, 'ListShards', { NextToken: first.NextToken }).body.Shards as unknown[]).length).toBe(
      2,
    );
  });
});
