// @vitest-environment node
// Kinesis as of 2026 [model §15.1, §15.6]: MaxRecordSizeInKiB on CreateStream, UpdateMaxRecordSize, and the
// newer DescribeStreamSummary members.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './index';
import { fail, ok } from './testHelpers';

const MIB = 1024 * 1024;
const ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/s';
const validation = (errors: string[]) =>
  `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`;
// 'k' is 1 byte: data of n MiB − 1 makes a record of exactly n MiB.
const record = (engine: Engine, mib: number) =>
  engine.call('PutRecord', { StreamName: 's', PartitionKey: 'k', Data: new Uint8Array(mib * MIB - 1) });
const update = (engine: Engine, kib: number) =>
  engine.call('UpdateMaxRecordSize', { StreamARN: ARN, MaxRecordSizeInKiB: kib });
const summary = (engine: Engine, name = 's') =>
  ok(engine.call('DescribeStreamSummary', { StreamName: name })).StreamDescriptionSummary as Record<
    string,
    unknown
  >;

function engineWith(extra: Record<string, unknown> = {}, options = {}): Engine {
  const engine = createEngine({ transitionMs: 0, ...options });
  ok(engine.call('CreateStream', { StreamName: 's', ShardCount: 1, ...extra }));
  return engine;
}

describe('MaxRecordSizeInKiB on CreateStream', () => {
  it('is validated 1024–10240', () => {
    const engine = createEngine({ transitionMs: 0 });
    const create = (kib: number) =>
      engine.call('CreateStream', { StreamName: `s${kib}`, ShardCount: 1, MaxRecordSizeInKiB: kib });
    expect(fail(create(1023))).toEqual({
      type: 'ValidationException',
      message: validation([
        "Value '1023' at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must have value greater than or equal to 1024",
      ]),
    });
    expect(fail(create(10241)).type).toBe('ValidationException');
    ok(create(1024));
    ok(create(10240));
    expect(summary(engine, 's10240').MaxRecordSizeInKiB).toBe(10240);
  });
});

describe('UpdateMaxRecordSize {StreamARN, MaxRecordSizeInKiB} [model §15.1]', () => {
  it('raises and lowers the maximum at once: 200 with an empty body; the stream stays ACTIVE', () => {
    const engine = engineWith();
    expect(fail(record(engine, 2)).message).toContain('the limit is 1048576 bytes (MaxRecordSizeInKiB 1024)');
    expect(
      engine.dispatch(
        'Kinesis_20131202.UpdateMaxRecordSize',
        JSON.stringify({ StreamARN: ARN, MaxRecordSizeInKiB: 4096 }),
      ),
    ).toEqual({ status: 200, body: '' });
    expect(summary(engine)).toMatchObject({ StreamStatus: 'ACTIVE', MaxRecordSizeInKiB: 4096 });
    expect(engine.snapshot('s')?.maxRecordSizeKiB).toBe(4096);
    engine.advanceTime(2000); // the tank fills to 2 MiB
    ok(record(engine, 2));
    ok(update(engine, 1024));
    engine.advanceTime(10_000);
    expect(fail(record(engine, 2)).message).toContain('(MaxRecordSizeInKiB 1024)');
  });

  it('shape: 1024–10240, both members required (StreamName is not a member)', () => {
    const engine = engineWith();
    expect(fail(update(engine, 10241))).toEqual({
      type: 'ValidationException',
      message: validation([
        "Value '10241' at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must have value less than or equal to 10240",
      ]),
    });
    expect(fail(engine.call('UpdateMaxRecordSize', { StreamName: 's' })).message).toBe(
      validation([
        "Value null at 'streamARN' failed to satisfy constraint: Member must not be null",
        "Value null at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must not be null",
      ]),
    );
    expect(
      fail(engine.call('UpdateMaxRecordSize', { StreamARN: 'not-an-arn', MaxRecordSizeInKiB: 2048 })).message,
    ).toBe(
      validation([
        "Value 'not-an-arn' at 'streamARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+",
      ]),
    );
  });

  it('the stream must exist (in this account) and be ACTIVE', () => {
    const engine = createEngine();
    expect(fail(update(engine, 2048))).toEqual({
      type: 'ResourceNotFoundException',
      message: 'Stream s under account 000000000000 not found.',
    });
    expect(
      fail(
        engine.call('UpdateMaxRecordSize', {
          StreamARN: 'arn:aws:kinesis:us-east-1:111111111111:stream/s',
          MaxRecordSizeInKiB: 2048,
        }),
      ).message,
    ).toBe('Stream s under account 111111111111 not found.');
    ok(engine.call('CreateStream', { StreamName: 's', ShardCount: 1 }));
    expect(fail(update(engine, 2048))).toEqual({
      type: 'ResourceInUseException',
      message: 'Stream s under account 000000000000 not ACTIVE, instead in state CREATING',
    });
    engine.advanceTime(500);
    ok(update(engine, 2048));
    ok(engine.call('DeleteStream', { StreamName: 's' }));
    expect(fail(update(engine, 4096)).message).toBe(
      'Stream s under account 000000000000 not ACTIVE, instead in state DELETING',
    );
  });

  it('token bucket: the tank takes the new capacity and fills at 1 MiB/s; raising grants nothing at once', () => {
    const engine = engineWith();
    ok(update(engine, 10240));
    expect(record(engine, 10).ok).toBe(false); // the tank still holds 1 MiB
    engine.advanceTime(9000);
    ok(record(engine, 10));
    // Lowering cuts a full tank down to the new capacity.
    engine.advanceTime(60_000);
    ok(update(engine, 2048));
    ok(record(engine, 2));
    expect(record(engine, 1).ok).toBe(false);
  });

  it('fixed window: one record up to the new maximum goes alone in an empty window', () => {
    const engine = engineWith({}, { throttle: 'fixed-window' });
    ok(update(engine, 3072));
    engine.advanceTime(1000);
    ok(record(engine, 3));
    expect(record(engine, 1).ok).toBe(false);
  });

  it('property: a record is refused for size exactly when data + key exceed the last maximum set', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            kib: fc.integer({ min: 1024, max: 10240 }),
            bytes: fc.integer({ min: 1, max: 10 * MIB }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (steps) => {
          const engine = engineWith();
          for (const { kib, bytes } of steps) {
            ok(update(engine, kib));
            engine.advanceTime(20_000);
            const r = engine.call('PutRecord', {
              StreamName: 's',
              PartitionKey: 'k',
              Data: new Uint8Array(bytes - 1),
            });
            if (bytes > kib * 1024) expect(fail(r).message).toContain(`(MaxRecordSizeInKiB ${kib})`);
            else expect(r.ok).toBe(true);
          }
        },
      ),
      { numRuns: 25, seed: 11 },
    );
  });
});

describe('DescribeStreamSummary members [model §15.6, SDK StreamDescriptionSummary]', () => {
  it('PROVISIONED: MaxRecordSizeInKiB; no RecordDistributionStrategy, WarmThroughput or ChannelCount', () => {
    const engine = engineWith({ MaxRecordSizeInKiB: 2048 });
    expect(Object.keys(summary(engine))).toEqual([
      'StreamName',
      'StreamARN',
      'StreamStatus',
      'StreamModeDetails',
      'RetentionPeriodHours',
      'StreamCreationTimestamp',
      'EnhancedMonitoring',
      'EncryptionType',
      'OpenShardCount',
      'ConsumerCount',
      'MaxRecordSizeInKiB',
    ]);
    expect(summary(engine).MaxRecordSizeInKiB).toBe(2048);
  });

  it('ON_DEMAND: RecordDistributionStrategy USER_PARTITION_KEY (the SDK: present for on-demand streams only)', () => {
    const engine = createEngine({ transitionMs: 0 });
    ok(engine.call('CreateStream', { StreamName: 'od', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    expect(summary(engine, 'od')).toMatchObject({
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      MaxRecordSizeInKiB: 1024,
      RecordDistributionStrategy: 'USER_PARTITION_KEY',
      OpenShardCount: 4,
    });
    expect(summary(engine, 'od')).not.toHaveProperty('WarmThroughput');
  });
});
