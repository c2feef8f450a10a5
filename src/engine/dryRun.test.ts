// @vitest-environment node
// DryRun on PutRecord, PutRecords, GetShardIterator and GetRecords [model §15.6]: every check runs, then
// DryRunOperationException; nothing is written, read, spent or counted; 1 dry run per second per stream.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ApiResult, createEngine, type Engine, type OperationName, type TypedRequest } from './index';
import { ok } from './testHelpers';

function fail(result: ApiResult): { type: string; message: string; status: number } {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return { type: result.error.type, message: result.error.message, status: result.error.status };
}
const DRY_RUN = {
  type: 'DryRunOperationException',
  message: 'The request would have succeeded, but the DryRun parameter was set.',
  status: 400,
};
const throttled = (stream: string) => ({
  type: 'ThrottlingException',
  message: `Rate exceeded for DryRun requests on stream ${stream} under account 000000000000.`,
  status: 400,
});
const MIB = 1024 * 1024;
const SHARD0 = 'shardId-000000000000';
const data = (n = 1) => new Uint8Array(n);

function engineWith(shards = 1): Engine {
  const engine = createEngine({ transitionMs: 0 });
  ok(engine.call('CreateStream', { StreamName: 's', ShardCount: shards }));
  return engine;
}
/** Everything a dry run must leave alone: attempts, per-shard metrics and limiter state, records. */
function state(engine: Engine): string {
  const stream = engine.core.stream('s')!;
  return JSON.stringify({
    counters: engine.core.counters,
    totals: stream.totals,
    shards: stream.shards.map((s) => [
      s.log.nextOrdinal,
      s.log.retainedRecords,
      [...s.metrics.current],
      s.writes,
      s.reads,
    ]),
  });
}
const trimHorizon = (engine: Engine, shard = SHARD0) =>
  ok(engine.call('GetShardIterator', { StreamName: 's', ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }))
    .ShardIterator as string;

describe('a dry run that would have succeeded', () => {
  const cases: [OperationName, (engine: Engine) => TypedRequest][] = [
    ['PutRecord', () => ({ StreamName: 's', PartitionKey: 'k', Data: data(10) })],
    ['PutRecords', () => ({ StreamName: 's', Records: [{ PartitionKey: 'k', Data: data(10) }] })],
    ['GetShardIterator', () => ({ StreamName: 's', ShardId: SHARD0, ShardIteratorType: 'LATEST' })],
    ['GetRecords', (engine) => ({ ShardIterator: trimHorizon(engine) })],
  ];
  it.each(cases)('%s → DryRunOperationException (HTTP 400), and nothing changes', (operation, request) => {
    const engine = engineWith();
    ok(engine.call('PutRecord', { StreamName: 's', PartitionKey: 'before', Data: data() }));
    const body = request(engine);
    const before = state(engine);
    expect(fail(engine.call(operation, { ...body, DryRun: true }))).toEqual(DRY_RUN);
    expect(state(engine)).toBe(before);
    // DryRun false is an ordinary call.
    engine.advanceTime(1000);
    expect(engine.call(operation, { ...body, DryRun: false }).ok).toBe(true);
  });

  it('PutRecord: no record is written (GetRecords finds only the real one)', () => {
    const engine = engineWith();
    fail(engine.call('PutRecord', { StreamName: 's', PartitionKey: 'dry', Data: data(), DryRun: true }));
    ok(engine.call('PutRecord', { StreamName: 's', PartitionKey: 'real', Data: data() }));
    const read = ok(engine.call('GetRecords', { ShardIterator: trimHorizon(engine) }));
    expect((read.Records as { PartitionKey: string }[]).map((r) => r.PartitionKey)).toEqual(['real']);
  });

  it('throttling is not a check: a dry run on a shard out of write or read allowance still says it would succeed', () => {
    const engine = engineWith();
    for (let i = 0; i < 1000; i++)
      ok(engine.call('PutRecord', { StreamName: 's', PartitionKey: `k${i}`, Data: data() }));
    expect(fail(engine.call('PutRecord', { StreamName: 's', PartitionKey: 'k', Data: data() })).type).toBe(
      'ProvisionedThroughputExceededException',
    );
    expect(
      fail(engine.call('PutRecord', { StreamName: 's', PartitionKey: 'k', Data: data(), DryRun: true })),
    ).toEqual(DRY_RUN);
    engine.advanceTime(1000);
    const iterator = trimHorizon(engine);
    for (let i = 0; i < 4; i++) ok(engine.call('GetRecords', { ShardIterator: iterator, Limit: 1 }));
    expect(fail(engine.call('GetRecords', { ShardIterator: iterator, DryRun: true }))).toEqual(DRY_RUN);
    // The dry run took none of the 5 calls per second: the fifth real one still goes.
    ok(engine.call('GetRecords', { ShardIterator: iterator, Limit: 1 }));
    expect(fail(engine.call('GetRecords', { ShardIterator: iterator })).type).toBe(
      'ProvisionedThroughputExceededException',
    );
  });

  it('in wire form: 400 {"__type":"DryRunOperationException","message":…}; a string DryRun is a SerializationException', () => {
    const engine = engineWith();
    expect(
      engine.dispatch(
        'Kinesis_20131202.PutRecord',
        '{"StreamName":"s","PartitionKey":"k","Data":"AA==","DryRun":true}',
      ),
    ).toEqual({
      status: 400,
      body: '{"__type":"DryRunOperationException","message":"The request would have succeeded, but the DryRun parameter was set."}',
    });
    expect(
      engine.dispatch(
        'Kinesis_20131202.PutRecord',
        '{"StreamName":"s","PartitionKey":"k","Data":"AA==","DryRun":"true"}',
      ),
    ).toEqual({
      status: 400,
      body: `{"__type":"SerializationException","Message":"'TRUE' can not be converted to an Boolean"}`,
    });
    // A dry run refused by its shape attempts no record either.
    const before = engine.core.counters.rejected;
    engine.dispatch(
      'Kinesis_20131202.PutRecords',
      '{"StreamName":"s","Records":[{"PartitionKey":"","Data":"AA=="}],"DryRun":true}',
    );
    expect(engine.core.counters.rejected).toBe(before);
    engine.dispatch(
      'Kinesis_20131202.PutRecord',
      '{"StreamName":"s","PartitionKey":"","Data":"AA==","DryRun":true}',
    );
    expect(engine.core.counters.rejected).toBe(before);
    engine.dispatch('Kinesis_20131202.PutRecord', '{"StreamName":"s","PartitionKey":"","Data":"AA=="}');
    expect(engine.core.counters.rejected).toBe(before + 1);
  });
});

describe('a dry run that would fail gets the failure', () => {
  it('validation, existence and argument checks all come first', () => {
    const engine = engineWith(2);
    const other = createEngine({ transitionMs: 0 });
    ok(other.call('CreateStream', { StreamName: 'o', ShardCount: 1 }));
    const foreign = ok(other.call('PutRecord', { StreamName: 'o', PartitionKey: 'k', Data: data() }))
      .SequenceNumber as string;
    const dry = (operation: OperationName, request: TypedRequest) =>
      fail(engine.call(operation, { ...request, DryRun: true }));
    expect(dry('PutRecord', { StreamName: 's', PartitionKey: '', Data: data() }).type).toBe(
      'ValidationException',
    );
    expect(dry('PutRecord', { StreamName: 'nope', PartitionKey: 'k', Data: data() }).type).toBe(
      'ResourceNotFoundException',
    );
    expect(dry('PutRecord', { StreamName: 's', PartitionKey: 'k', Data: data(MIB) }).message).toContain(
      'Record size exceeds the maximum allowed size',
    );
    expect(
      dry('PutRecord', {
        StreamName: 's',
        PartitionKey: 'k',
        Data: data(),
        SequenceNumberForOrdering: foreign,
      }).message,
    ).toContain('ExclusiveMinimumSequenceNumber');
    expect(
      dry('PutRecords', {
        StreamName: 's',
        Records: [
          { PartitionKey: 'k', Data: data(), ExplicitHashKey: '340282366920938463463374607431768211456' },
        ],
      }).message,
    ).toContain('Invalid ExplicitHashKey');
    expect(
      dry('GetShardIterator', {
        StreamName: 's',
        ShardId: 'shardId-000000000009',
        ShardIteratorType: 'LATEST',
      }).type,
    ).toBe('ResourceNotFoundException');
    expect(
      dry('GetShardIterator', {
        StreamName: 's',
        ShardId: SHARD0,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: foreign,
      }).message,
    ).toContain('is invalid because it did not come from this stream.');
    expect(dry('GetRecords', { ShardIterator: 'AAAA' }).message).toBe('Invalid ShardIterator.');
    const iterator = trimHorizon(engine);
    engine.advanceTime(300_001);
    expect(dry('GetRecords', { ShardIterator: iterator }).type).toBe('ExpiredIteratorException');
    // None of those used the dry-run allowance.
    expect(
      fail(engine.call('PutRecord', { StreamName: 's', PartitionKey: 'k', Data: data(), DryRun: true })),
    ).toEqual(DRY_RUN);
  });
});

describe('dry runs are limited to 1 per second per stream [Shardlab]', () => {
  it('shared by the four operations; ThrottlingException past it; a rolling second; per stream', () => {
    const engine = engineWith();
    ok(engine.call('CreateStream', { StreamName: 't', ShardCount: 1 }));
    const iterator = trimHorizon(engine);
    expect(fail(engine.call('GetRecords', { ShardIterator: iterator, DryRun: true }))).toEqual(DRY_RUN);
    engine.advanceTime(999);
    expect(
      fail(engine.call('PutRecord', { StreamName: 's', PartitionKey: 'k', Data: data(), DryRun: true })),
    ).toEqual(throttled('s'));
    expect(
      fail(
        engine.call('GetShardIterator', {
          StreamName: 's',
          ShardId: SHARD0,
          ShardIteratorType: 'LATEST',
          DryRun: true,
        }),
      ),
    ).toEqual(throttled('s'));
    // Another stream has its own allowance.
    expect(
      fail(engine.call('PutRecord', { StreamName: 't', PartitionKey: 'k', Data: data(), DryRun: true })),
    ).toEqual(DRY_RUN);
    engine.advanceTime(1);
    expect(
      fail(
        engine.call('PutRecords', {
          StreamName: 's',
          Records: [{ PartitionKey: 'k', Data: data() }],
          DryRun: true,
        }),
      ),
    ).toEqual(DRY_RUN);
    // A refused dry run is not counted against the allowance, nor as an attempt.
    expect(engine.core.counters).toEqual({ accepted: 0, throttled: 0, rejected: 0 });
  });

  it('a re-created stream of the same name starts with a fresh allowance', () => {
    const engine = engineWith();
    fail(engine.call('PutRecord', { StreamName: 's', PartitionKey: 'k', Data: data(), DryRun: true }));
    ok(engine.call('DeleteStream', { StreamName: 's' }));
    ok(engine.call('CreateStream', { StreamName: 's', ShardCount: 1 }));
    expect(
      fail(engine.call('PutRecord', { StreamName: 's', PartitionKey: 'k', Data: data(), DryRun: true })),
    ).toEqual(DRY_RUN);
  });
});

// ---------------------------------------------------------------- property

type Op =
  | { kind: 'put'; key: number; bytes: number; dry: boolean }
  | { kind: 'batch'; keys: number[]; dry: boolean }
  | { kind: 'iterator'; shard: number; dry: boolean }
  | { kind: 'read'; dry: boolean }
  | { kind: 'wait'; ms: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('put' as const),
    key: fc.nat(50),
    bytes: fc.constantFrom(1, 1000, 300_000),
    dry: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('batch' as const),
    keys: fc.array(fc.nat(50), { minLength: 1, maxLength: 30 }),
    dry: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('iterator' as const), shard: fc.nat(2), dry: fc.boolean() }),
  fc.record({ kind: fc.constant('read' as const), dry: fc.boolean() }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.constantFrom(0, 10, 300, 1000) }),
);

describe('dry-run property', () => {
  it('an engine that also received dry runs answers every other call exactly as one that did not', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const withDry = engineWith(2);
        const without = engineWith(2);
        const iterators = new Map<Engine, string>();
        const run = (engine: Engine, o: Exclude<Op, { kind: 'wait' }>): ApiResult => {
          if (o.kind === 'put')
            return engine.call('PutRecord', {
              StreamName: 's',
              PartitionKey: `k${o.key}`,
              Data: data(o.bytes),
              DryRun: o.dry,
            });
          if (o.kind === 'batch')
            return engine.call('PutRecords', {
              StreamName: 's',
              Records: o.keys.map((k) => ({ PartitionKey: `k${k}`, Data: data(100) })),
              DryRun: o.dry,
            });
          if (o.kind === 'iterator') {
            const r = engine.call('GetShardIterator', {
              StreamName: 's',
              ShardId: `shardId-00000000000${o.shard}`,
              ShardIteratorType: 'TRIM_HORIZON',
              DryRun: o.dry,
            });
            if (r.ok) iterators.set(engine, r.value.ShardIterator as string);
            return r;
          }
          const iterator = iterators.get(engine) ?? trimHorizon(engine);
          const r = engine.call('GetRecords', { ShardIterator: iterator, DryRun: o.dry });
          if (r.ok) iterators.set(engine, r.value.NextShardIterator as string);
          return r;
        };
        for (const o of ops) {
          if (o.kind === 'wait') {
            withDry.advanceTime(o.ms);
            without.advanceTime(o.ms);
            continue;
          }
          const a = run(withDry, o);
          if (o.dry) {
            expect(a.ok).toBe(false);
            expect([
              'DryRunOperationException',
              'ThrottlingException',
              'ResourceNotFoundException',
            ]).toContain(a.ok ? '' : a.error.type);
            continue;
          }
          const b = run(without, o);
          expect(JSON.stringify(a.ok ? a.value : a.error.toBody())).toBe(
            JSON.stringify(b.ok ? b.value : b.error.toBody()),
          );
        }
        expect(state(withDry)).toBe(state(without));
      }),
      { numRuns: 120, seed: 17 },
    );
  });
});
