// @vitest-environment node
// Account admission [model §7, §15]: CREATING/DELETING streams, the ON_DEMAND stream count, the provisioned
// shard quota, and DescribeLimits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveAccountLimits } from './accountLimits';
import { createEngine, type Engine } from './index';
import {
  ACCOUNT_SHARD_LIMIT,
  ON_DEMAND_INITIAL_SHARDS,
  ON_DEMAND_STREAM_COUNT_LIMIT,
  STREAMS_CREATING_OR_DELETING_LIMIT,
} from './limits';
import { fail, ok } from './testHelpers';

const onDemand = (name: string) => ({ StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
const CREATING_OR_DELETING =
  'This request would have exceed the limit on the number of streams that can simultaneously be in CREATING or DELETING for the account 000000000000. Limit: 5.';
const limitsOf = (engine: Engine) => ok(engine.call('DescribeLimits', {}));

describe('the quotas: defaults and options', () => {
  it('defaults: 20,000 provisioned shards, 50 ON_DEMAND streams, 5 CREATING or DELETING', () => {
    expect(ACCOUNT_SHARD_LIMIT).toBe(20_000);
    expect(ON_DEMAND_STREAM_COUNT_LIMIT).toBe(50);
    expect(STREAMS_CREATING_OR_DELETING_LIMIT).toBe(5);
    expect(resolveAccountLimits()).toEqual({
      shardLimit: 20_000,
      onDemandStreamCountLimit: 50,
      creatingOrDeletingLimit: 5,
    });
    expect(limitsOf(createEngine())).toEqual({
      ShardLimit: 20_000,
      OpenShardCount: 0,
      OnDemandStreamCount: 0,
      OnDemandStreamCountLimit: 50,
    });
  });

  it('options are floored and clamped to ≥ 0; missing or non-finite ones take the default', () => {
    expect(
      resolveAccountLimits({ shardLimit: 12.9, onDemandStreamCountLimit: -3, creatingOrDeletingLimit: NaN }),
    ).toEqual({ shardLimit: 12, onDemandStreamCountLimit: 0, creatingOrDeletingLimit: 5 });
    expect(resolveAccountLimits({ shardLimit: Number.POSITIVE_INFINITY }).shardLimit).toBe(20_000);
    const engine = createEngine({ accountLimits: { shardLimit: 8, onDemandStreamCountLimit: 2 } });
    expect(limitsOf(engine)).toEqual({
      ShardLimit: 8,
      OpenShardCount: 0,
      OnDemandStreamCount: 0,
      OnDemandStreamCountLimit: 2,
    });
  });
});

describe('ON_DEMAND streams [model §7, §15.3]', () => {
  it('the 51st ON_DEMAND stream → LimitExceededException with the exact text; PROVISIONED ones still go', () => {
    const engine = createEngine({ transitionMs: 0 });
    for (let i = 0; i < 50; i++) ok(engine.call('CreateStream', onDemand(`od-${i}`)));
    expect(fail(engine.call('CreateStream', onDemand('od-50')))).toEqual({
      type: 'LimitExceededException',
      message:
        'This request would exceed the limit on the number of On-Demand streams for the account 000000000000 in us-east-1. Current On-Demand streams count: 50. Limit: 50.',
    });
    expect(fail(engine.call('DescribeStreamSummary', { StreamName: 'od-50' })).type).toBe(
      'ResourceNotFoundException',
    );
    ok(engine.call('CreateStream', { StreamName: 'p', ShardCount: 3 }));
    expect(limitsOf(engine)).toEqual({
      ShardLimit: 20_000,
      OpenShardCount: 3,
      OnDemandStreamCount: 50,
      OnDemandStreamCountLimit: 50,
    });
    // Deleting one frees a place.
    ok(engine.call('DeleteStream', { StreamName: 'od-7' }));
    ok(engine.call('CreateStream', onDemand('od-50')));
  });

  it('account and region in the text; a DELETING ON_DEMAND stream still counts until it is gone', () => {
    const engine = createEngine({
      accountId: '123456789012',
      region: 'eu-west-1',
      accountLimits: { onDemandStreamCountLimit: 1 },
    });
    ok(engine.call('CreateStream', onDemand('a')));
    engine.advanceTime(500);
    ok(engine.call('DeleteStream', { StreamName: 'a' }));
    expect(fail(engine.call('CreateStream', onDemand('b')))).toEqual({
      type: 'LimitExceededException',
      message:
        'This request would exceed the limit on the number of On-Demand streams for the account 123456789012 in eu-west-1. Current On-Demand streams count: 1. Limit: 1.',
    });
    engine.advanceTime(500);
    ok(engine.call('CreateStream', onDemand('b')));
  });

  it('on-demand shards do not consume the provisioned shard quota', () => {
    const engine = createEngine({ transitionMs: 0, accountLimits: { shardLimit: 4 } });
    ok(engine.call('CreateStream', onDemand('od')));
    ok(engine.call('CreateStream', { StreamName: 'p', ShardCount: 4 }));
    expect(limitsOf(engine).OpenShardCount).toBe(4);
    expect(fail(engine.call('CreateStream', { StreamName: 'q', ShardCount: 1 })).message).toContain(
      'Current shard count for the account: 4. Limit: 4. Number of additional shards that would have resulted from this request: 1.',
    );
    ok(engine.call('CreateStream', onDemand('od2')));
  });

  it('an ON_DEMAND stream starts with 4 shards whatever ShardCount says (the service manages them)', () => {
    const engine = createEngine({ transitionMs: 0 });
    ok(engine.call('CreateStream', { ...onDemand('od'), ShardCount: 100_000 }));
    expect((ok(engine.call('ListShards', { StreamName: 'od' })).Shards as unknown[]).length).toBe(
      ON_DEMAND_INITIAL_SHARDS,
    );
  });
});

describe('streams CREATING or DELETING at once [model §7]', () => {
  it('a 6th CreateStream while 5 streams are CREATING → LimitExceededException; fine once they are ACTIVE', () => {
    const engine = createEngine(); // 500 ms transitions
    for (let i = 0; i < 5; i++) ok(engine.call('CreateStream', { StreamName: `s${i}`, ShardCount: 1 }));
    expect(fail(engine.call('CreateStream', { StreamName: 's5', ShardCount: 1 }))).toEqual({
      type: 'LimitExceededException',
      message: CREATING_OR_DELETING,
    });
    expect(fail(engine.call('CreateStream', onDemand('od'))).message).toBe(CREATING_OR_DELETING);
    engine.advanceTime(499);
    expect(fail(engine.call('CreateStream', { StreamName: 's5', ShardCount: 1 })).message).toBe(
      CREATING_OR_DELETING,
    );
    engine.advanceTime(1);
    ok(engine.call('CreateStream', { StreamName: 's5', ShardCount: 1 }));
  });

  it('DeleteStream counts too; deleting a stream already CREATING or DELETING is always admitted', () => {
    const engine = createEngine();
    for (let i = 0; i < 5; i++) ok(engine.call('CreateStream', { StreamName: `s${i}`, ShardCount: 1 }));
    engine.advanceTime(500);
    ok(engine.call('CreateStream', { StreamName: 's5', ShardCount: 1 }));
    ok(engine.call('CreateStream', { StreamName: 's6', ShardCount: 1 }));
    engine.advanceTime(500);
    for (let i = 0; i < 4; i++) ok(engine.call('DeleteStream', { StreamName: `s${i}` }));
    ok(engine.call('CreateStream', { StreamName: 'new', ShardCount: 1 })); // 4 DELETING + 1 CREATING
    expect(fail(engine.call('DeleteStream', { StreamName: 's5' }))).toEqual({
      type: 'LimitExceededException',
      message: CREATING_OR_DELETING,
    });
    expect(
      (
        ok(engine.call('DescribeStreamSummary', { StreamName: 's5' })).StreamDescriptionSummary as {
          StreamStatus: string;
        }
      ).StreamStatus,
    ).toBe('ACTIVE');
    ok(engine.call('DeleteStream', { StreamName: 's0' })); // already DELETING
    ok(engine.call('DeleteStream', { StreamName: 'new' })); // CREATING → DELETING: the count stays 5
    engine.advanceTime(500);
    ok(engine.call('DeleteStream', { StreamName: 's5' }));
  });

  it('the limit is settable, and its value is in the text', () => {
    const engine = createEngine({ accountLimits: { creatingOrDeletingLimit: 1 } });
    ok(engine.call('CreateStream', { StreamName: 'a', ShardCount: 1 }));
    expect(fail(engine.call('CreateStream', { StreamName: 'b', ShardCount: 1 })).message).toBe(
      'This request would have exceed the limit on the number of streams that can simultaneously be in CREATING or DELETING for the account 000000000000. Limit: 1.',
    );
  });

  it('ResourceInUse for an existing name comes before the limits', () => {
    const engine = createEngine({ accountLimits: { creatingOrDeletingLimit: 1 } });
    ok(engine.call('CreateStream', { StreamName: 'a', ShardCount: 1 }));
    expect(fail(engine.call('CreateStream', { StreamName: 'a', ShardCount: 1 })).type).toBe(
      'ResourceInUseException',
    );
  });
});

describe('DescribeLimits', () => {
  it('counts open shards of PROVISIONED streams (CREATING and DELETING ones included) and ON_DEMAND streams', () => {
    const engine = createEngine();
    ok(engine.call('CreateStream', { StreamName: 'p', ShardCount: 3 }));
    ok(engine.call('CreateStream', onDemand('od')));
    expect(limitsOf(engine)).toMatchObject({ OpenShardCount: 3, OnDemandStreamCount: 1 });
    engine.advanceTime(500);
    ok(engine.call('DeleteStream', { StreamName: 'p' }));
    expect(limitsOf(engine)).toMatchObject({ OpenShardCount: 3, OnDemandStreamCount: 1 });
    engine.advanceTime(500);
    expect(limitsOf(engine)).toMatchObject({ OpenShardCount: 0, OnDemandStreamCount: 1 });
  });

  it('in wire form: {} in, the four members out, in the SDK order', () => {
    const engine = createEngine({ transitionMs: 0 });
    engine.call('CreateStream', { StreamName: 'p', ShardCount: 2 });
    expect(engine.dispatch('Kinesis_20131202.DescribeLimits', '{}')).toEqual({
      status: 200,
      body: '{"ShardLimit":20000,"OpenShardCount":2,"OnDemandStreamCount":0,"OnDemandStreamCountLimit":50}',
    });
    // Unknown members are ignored, as for every operation.
    expect(engine.dispatch('Kinesis_20131202.DescribeLimits', '{"StreamName":"p"}').status).toBe(200);
  });
});

// ---------------------------------------------------------------- property

type Op =
  | { kind: 'provisioned'; name: number; shards: number }
  | { kind: 'onDemand'; name: number }
  | { kind: 'delete'; name: number }
  | { kind: 'wait'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('provisioned' as const),
    name: fc.nat(11),
    shards: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({ kind: fc.constant('onDemand' as const), name: fc.nat(11) }),
  fc.record({ kind: fc.constant('delete' as const), name: fc.nat(11) }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 700 }) }),
);

describe('admission property', () => {
  it('each CreateStream/DeleteStream is admitted exactly when the rules, read off the visible state, allow it', () => {
    fc.assert(
      fc.property(
        fc.record({
          shardLimit: fc.integer({ min: 0, max: 20 }),
          onDemandStreamCountLimit: fc.integer({ min: 0, max: 4 }),
          creatingOrDeletingLimit: fc.integer({ min: 0, max: 4 }),
        }),
        fc.array(op, { maxLength: 60 }),
        (limits, ops) => {
          const engine = createEngine({ accountLimits: limits, transitionMs: 300 });
          for (const o of ops) {
            if (o.kind === 'wait') {
              engine.advanceTime(o.ms);
              continue;
            }
            // The visible state: every stream's status, mode and open shards.
            const streams = (
              ok(engine.call('ListStreams', {})).StreamSummaries as {
                StreamName: string;
                StreamStatus: string;
                StreamModeDetails: { StreamMode: string };
              }[]
            ).map((s) => ({
              name: s.StreamName,
              status: s.StreamStatus,
              mode: s.StreamModeDetails.StreamMode,
              shards: engine.core.stream(s.StreamName)?.openShards.length ?? 0,
            }));
            const busy = streams.filter((s) => s.status === 'CREATING' || s.status === 'DELETING').length;
            const onDemandCount = streams.filter((s) => s.mode === 'ON_DEMAND').length;
            const shards = streams.filter((s) => s.mode === 'PROVISIONED').reduce((n, s) => n + s.shards, 0);
            expect(limitsOf(engine)).toEqual({
              ShardLimit: limits.shardLimit,
              OpenShardCount: shards,
              OnDemandStreamCount: onDemandCount,
              OnDemandStreamCountLimit: limits.onDemandStreamCountLimit,
            });
            const name = `s${o.name}`;
            const existing = streams.find((s) => s.name === name);
            if (o.kind === 'delete') {
              const r = engine.call('DeleteStream', { StreamName: name });
              if (!existing) expect(fail(r).type).toBe('ResourceNotFoundException');
              else if (
                existing.status !== 'CREATING' &&
                existing.status !== 'DELETING' &&
                busy >= limits.creatingOrDeletingLimit
              )
                expect(fail(r).message).toContain('simultaneously be in CREATING or DELETING');
              else expect(r.ok).toBe(true);
              continue;
            }
            const r =
              o.kind === 'onDemand'
                ? engine.call('CreateStream', onDemand(name))
                : engine.call('CreateStream', { StreamName: name, ShardCount: o.shards });
            if (existing) expect(fail(r).type).toBe('ResourceInUseException');
            else if (busy >= limits.creatingOrDeletingLimit)
              expect(fail(r).message).toContain('simultaneously be in CREATING or DELETING');
            else if (o.kind === 'onDemand' && onDemandCount >= limits.onDemandStreamCountLimit)
              expect(fail(r).message).toContain(`Current On-Demand streams count: ${onDemandCount}.`);
            else if (o.kind === 'provisioned' && shards + o.shards > limits.shardLimit)
              expect(fail(r).message).toContain(`Current shard count for the account: ${shards}.`);
            else expect(r.ok).toBe(true);
          }
        },
      ),
      { numRuns: 150, seed: 10 },
    );
  });
});
