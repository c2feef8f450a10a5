import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../index';
import { putRecordsInPlace } from './putRecordsBytes';

const target = (operation: string) => `Kinesis_20131202.${operation}`;
const base64Of = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const STREAM = 'clicks';

function engineWith(shards: number): Engine {
  const engine = createEngine({ seed: 7 });
  engine.dispatch(target('CreateStream'), JSON.stringify({ StreamName: STREAM, ShardCount: shards }));
  engine.advanceTime(2_000);
  return engine;
}

/** A PutRecords answered as the endpoint answers it: in place when the lane takes it, else by dispatch. */
function endpointAnswer(engine: Engine, body: string): { status: number; body: string; inPlace: boolean } {
  const answer = putRecordsInPlace(engine.core, body, Buffer.from(body, 'utf8'));
  if (answer !== undefined) return { status: 200, body: Buffer.from(answer).toString('utf8'), inPlace: true };
  return { ...engine.dispatch(target('PutRecords'), body), inPlace: false };
}

/** Everything a client can read back from a stream: every listed shard's records, from its trim horizon. */
function readBack(engine: Engine): string[] {
  const shards = JSON.parse(
    engine.dispatch(target('ListShards'), JSON.stringify({ StreamName: STREAM })).body,
  ).Shards as { ShardId: string }[];
  return shards.map(({ ShardId }) => {
    const iterator = JSON.parse(
      engine.dispatch(
        target('GetShardIterator'),
        JSON.stringify({ StreamName: STREAM, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
      ).body,
    ).ShardIterator as string;
    return engine.dispatch(target('GetRecords'), JSON.stringify({ ShardIterator: iterator, Limit: 10_000 }))
      .body;
  });
}

/** Printable ASCII but the quote and the backslash (which JSON escapes): keys the lane takes. */
const PLAIN = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter(
  (c) => c !== '"' && c !== '\\',
);
/** Keys the lane takes, and now and then one it leaves to the general path (each fails or leaves the whole call). */
const keyArb = fc.oneof(
  { weight: 200, arbitrary: fc.string({ unit: fc.constantFrom(...PLAIN), minLength: 1, maxLength: 24 }) },
  { weight: 4, arbitrary: fc.constant('y'.repeat(256)) },
  { weight: 1, arbitrary: fc.constantFrom('', 'é', '日本', 'a"b', 'back\\slash', 'tab\t', 'x'.repeat(257)) },
);
const dataArb = fc.oneof(
  { weight: 200, arbitrary: fc.uint8Array({ maxLength: 200 }).map(base64Of) },
  { weight: 10, arbitrary: fc.uint8Array({ minLength: 4_000, maxLength: 6_000 }).map(base64Of) },
  { weight: 1, arbitrary: fc.constantFrom('', 'aGk=', 'aGl=', 'aGk', '====', 'a===', 'aG\\/k', 'aé==') },
);
const EXPLICIT = '170141183460469231731687303715884105728';
/**
 * An entry, usually in the SDK for JavaScript's member order (Data, PartitionKey); now and then routed by an
 * ExplicitHashKey (left to the general path) in any place, with an unknown member, or keys in another order.
 */
const entryArb = fc
  .tuple(keyArb, dataArb, fc.integer({ min: 0, max: 199 }))
  .map(([PartitionKey, Data, n]): Record<string, unknown> => {
    if (n === 0) return { PartitionKey, Data, ExplicitHashKey: EXPLICIT };
    if (n === 1) return { Data, ExplicitHashKey: EXPLICIT, PartitionKey };
    if (n === 2) return { Data, PartitionKey, ExplicitHashKey: EXPLICIT };
    if (n === 3) return { Data, PartitionKey, Unknown: 1 };
    if (n < 20) return { PartitionKey, Data };
    return { Data, PartitionKey };
  });
/** A request: usually the SDKs' form, sometimes with what the lane leaves to the general path. */
const requestArb = fc
  .tuple(fc.array(entryArb, { minLength: 0, maxLength: 20 }), fc.integer({ min: 0, max: 39 }))
  .map(([Records, n]): Record<string, unknown> => {
    if (n === 0) return { Records, StreamName: 'nope' };
    if (n === 1) return { Records, StreamARN: `arn:aws:kinesis:us-east-1:123456789012:stream/${STREAM}` };
    if (n === 2) return { Records, StreamName: STREAM, DryRun: true };
    if (n === 3) return { Records, StreamName: STREAM, Unknown: 1 };
    return { Records, StreamName: STREAM };
  });
const stepArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      request: requestArb,
      indent: fc.constantFrom(0, 0, 1, '\t'),
      reverse: fc.boolean(),
      // After the lane's answer: settle at once (as the endpoint does), look through an entry point (which
      // settles first), or neither (the next step's entry point settles).
      after: fc.constantFrom('settle', 'look', 'nothing'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ waitMs: fc.integer({ min: 1, max: 1_500 }) }) },
);

function bodyOf(request: Record<string, unknown>, indent: number | string, reverse: boolean): string {
  const ordered = (value: Record<string, unknown>) =>
    Object.fromEntries(reverse ? Object.entries(value).reverse() : Object.entries(value));
  const records = (request.Records as Record<string, unknown>[]).map(ordered);
  return JSON.stringify(ordered({ ...request, Records: records }), null, indent);
}

describe('putRecordsInPlace', () => {
  it('answers byte for byte as dispatch does and leaves the engine in the same state, or leaves the call to dispatch', () => {
    let inPlace = 0;
    let calls = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(stepArb, { minLength: 1, maxLength: 30 }),
        (shards, steps) => {
          const lane = engineWith(shards);
          const general = engineWith(shards);
          for (const step of steps) {
            if ('waitMs' in step) {
              lane.advanceTime(step.waitMs);
              general.advanceTime(step.waitMs);
              continue;
            }
            const body = bodyOf(step.request, step.indent, step.reverse);
            const answer = endpointAnswer(lane, body);
            const expected = general.dispatch(target('PutRecords'), body);
            calls++;
            if (answer.inPlace) inPlace++;
            expect(answer.status).toBe(expected.status);
            expect(answer.body).toBe(expected.body);
            if (step.after === 'settle') lane.core.settle();
            if (step.after === 'look')
              expect(lane.snapshot(STREAM)?.totals).toEqual(general.snapshot(STREAM)?.totals);
          }
          expect(lane.core.counters).toEqual(general.core.counters);
          // The whole stream as the page sees it: totals, per-shard series, CloudWatch periods, hot keys.
          expect(lane.snapshot(STREAM)).toEqual(general.snapshot(STREAM));
          expect(readBack(lane)).toEqual(readBack(general));
        },
      ),
      { numRuns: 60 },
    );
    // Most generated calls are in the SDKs' form: the lane must have answered them, not left them all.
    expect(inPlace).toBeGreaterThan(calls / 4);
  });

  it('answers a 500-entry PutRecords in place, with throttled entries where the shard is over its limit', () => {
    const lane = engineWith(1);
    const general = engineWith(1);
    const records = Array.from({ length: 500 }, (_, i) => ({
      Data: base64Of(new Uint8Array(3_000).fill(i % 256)),
      PartitionKey: `device-${i}`,
    }));
    const body = JSON.stringify({ Records: records, StreamName: STREAM });
    const answer = endpointAnswer(lane, body);
    expect(answer.inPlace).toBe(true);
    expect(answer.body).toBe(general.dispatch(target('PutRecords'), body).body);
    const parsed = JSON.parse(answer.body) as {
      FailedRecordCount: number;
      Records: { ErrorCode?: string }[];
    };
    // 1 MiB/s on one shard: about 348 records of 3,000 bytes (+ key) are taken, the rest throttled.
    expect(parsed.FailedRecordCount).toBeGreaterThan(100);
    expect(
      parsed.Records.filter((r) => r.ErrorCode === 'ProvisionedThroughputExceededException'),
    ).toHaveLength(parsed.FailedRecordCount);
  });

  it.each([
    ['a key past ASCII', { Records: [{ Data: 'aGk=', PartitionKey: 'é' }], StreamName: STREAM }],
    ['a key with an escape', { Records: [{ Data: 'aGk=', PartitionKey: 'a"b' }], StreamName: STREAM }],
    [
      'an ExplicitHashKey',
      { Records: [{ Data: 'aGk=', PartitionKey: 'k', ExplicitHashKey: '1' }], StreamName: STREAM },
    ],
    [
      'a StreamARN',
      {
        Records: [{ Data: 'aGk=', PartitionKey: 'k' }],
        StreamARN: `arn:aws:kinesis:us-east-1:123456789012:stream/${STREAM}`,
      },
    ],
    ['DryRun', { Records: [{ Data: 'aGk=', PartitionKey: 'k' }], StreamName: STREAM, DryRun: true }],
    ['no entries', { Records: [], StreamName: STREAM }],
    [
      '501 entries',
      { Records: Array.from({ length: 501 }, () => ({ Data: '', PartitionKey: 'k' })), StreamName: STREAM },
    ],
    ['an unknown stream', { Records: [{ Data: 'aGk=', PartitionKey: 'k' }], StreamName: 'nope' }],
    ['invalid base64', { Records: [{ Data: 'aGl=', PartitionKey: 'k' }], StreamName: STREAM }],
    [
      'an entry over the maximum record size',
      { Records: [{ Data: base64Of(new Uint8Array(1024 * 1024)), PartitionKey: 'k' }], StreamName: STREAM },
    ],
  ])('leaves %s to dispatch, changing nothing', (_name, request) => {
    const engine = engineWith(2);
    const before = JSON.stringify(engine.core.counters);
    expect(
      putRecordsInPlace(engine.core, JSON.stringify(request), Buffer.from(JSON.stringify(request))),
    ).toBeUndefined();
    expect(JSON.stringify(engine.core.counters)).toBe(before);
  });

  it('leaves calls to dispatch on an AUTO stream and while a fault is armed', () => {
    const body = JSON.stringify({ Records: [{ Data: 'aGk=', PartitionKey: 'k' }], StreamName: STREAM });
    const auto = createEngine({ transitionMs: 0 });
    auto.dispatch(
      target('CreateStream'),
      JSON.stringify({
        StreamName: STREAM,
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        RecordDistributionStrategy: 'AUTO',
      }),
    );
    expect(auto.core.stream(STREAM)?.recordDistribution).toBe('AUTO');
    expect(putRecordsInPlace(auto.core, body, Buffer.from(body))).toBeUndefined();
    const faulted = engineWith(2);
    faulted.core.faults.set([
      {
        error: 'InternalFailure',
        sharePercent: 50,
        startMs: faulted.now(),
        durationMs: 60_000,
        streamName: STREAM,
      },
    ]);
    expect(putRecordsInPlace(faulted.core, body, Buffer.from(body))).toBeUndefined();
    expect(putRecordsInPlace(engineWith(2).core, body, Buffer.from(body))).toBeInstanceOf(Uint8Array);
  });
});

describe('a PutRecords answered in place, before it is settled', () => {
  const body = JSON.stringify({
    Records: Array.from({ length: 40 }, (_, i) => ({
      Data: base64Of(new Uint8Array([i, 1, 2])),
      PartitionKey: `k${i}`,
    })),
    StreamName: STREAM,
  });
  const lastData = base64Of(new Uint8Array([39, 1, 2]));
  const dispatched = engineWith(3);
  dispatched.dispatch(target('PutRecords'), body);
  const expected = dispatched.snapshot(STREAM)?.totals;

  it.each<[string, (engine: Engine) => unknown]>([
    ['any call (GetRecords)', (engine) => readBack(engine)],
    ['a snapshot', (engine) => engine.snapshot(STREAM)],
    ['advanceTime', (engine) => engine.advanceTime(1)],
    ['the counters', (engine) => engine.core.counters],
  ])('is settled by %s first, so nothing sees it half done', (name, use) => {
    const engine = engineWith(3);
    const bytes = Buffer.from(body);
    expect(putRecordsInPlace(engine.core, body, bytes)).toBeInstanceOf(Uint8Array);
    const seen = JSON.stringify(use(engine) ?? null);
    bytes.fill(0); // once settled, the shards hold their own copies of the Data
    expect(engine.snapshot(STREAM)?.totals).toEqual(expected);
    expect(readBack(engine).join('')).toContain(lastData);
    if (name === 'a snapshot') expect(seen).toContain(`"accepted":${expected?.accepted}`);
    if (name === 'the counters') expect(JSON.parse(seen).accepted).toBe(expected?.accepted);
  });

  it('is settled by a fast write made with a stream in hand, which then takes its own sequence number', () => {
    const engine = engineWith(1);
    const stream = engine.core.stream(STREAM);
    if (!stream) throw new Error('no stream');
    const one = JSON.stringify({ Records: [{ Data: 'aGk=', PartitionKey: 'a' }], StreamName: STREAM });
    const answer = JSON.parse(
      Buffer.from(putRecordsInPlace(engine.core, one, Buffer.from(one)) as Uint8Array).toString(),
    ) as { Records: { SequenceNumber: string }[] };
    engine.core.putRecordFast(stream, 'b', 3);
    const records = JSON.parse(readBack(engine)[0] as string).Records as {
      PartitionKey: string;
      SequenceNumber: string;
    }[];
    expect(records.map((r) => r.PartitionKey)).toEqual(['a', 'b']);
    expect(records[0]?.SequenceNumber).toBe(answer.Records[0]?.SequenceNumber);
  });

  it('is settled by the next one before that one is read', () => {
    const engine = engineWith(3);
    putRecordsInPlace(engine.core, body, Buffer.from(body));
    putRecordsInPlace(engine.core, body, Buffer.from(body));
    expect(engine.snapshot(STREAM)?.totals.accepted).toBe(2 * (expected?.accepted ?? 0));
    expect(readBack(engine).join('').split(lastData)).toHaveLength(3);
  });
});
