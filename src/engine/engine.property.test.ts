// @vitest-environment node
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ApiResult, createEngine, type Engine, encodeBase64, OPERATION_NAMES } from './index';

const HOUR = 3_600_000;
const MAX = (1n << 128n) - 1n;
const md5 = (key: string) => BigInt(`0x${createHash('md5').update(key, 'utf8').digest('hex')}`);

// ---------------------------------------------------------------- generators

const partitionKey = fc.oneof(
  { weight: 12, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(256), 'x'.repeat(257), '😀'.repeat(129), 'ключ') },
);
const explicitHashKey = fc.option(
  fc.oneof(
    { weight: 8, arbitrary: fc.bigInt({ min: 0n, max: MAX }).map(String) },
    { weight: 1, arbitrary: fc.constantFrom('0', MAX.toString()) },
    { weight: 1, arbitrary: fc.constantFrom((MAX + 1n).toString(), '9'.repeat(39), '01', '-3', 'abc') },
  ),
  { nil: undefined, freq: 4 },
);
const dataSize = fc.oneof(
  { weight: 40, arbitrary: fc.integer({ min: 0, max: 2000 }) },
  { weight: 1, arbitrary: fc.constantFrom(1024 * 1024 - 1, 1024 * 1024, 10 * 1024 * 1024 + 1) },
);
const entry = fc.record({ key: partitionKey, size: dataSize, ehk: explicitHashKey });
type Entry = { key: string; size: number; ehk: string | undefined };

const command = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('put' as const), entry }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('putRecords' as const),
      entries: fc.array(entry, { minLength: 0, maxLength: 8 }),
      // Repeat the generated entries to reach throttling sizes (up to 504 entries: 501+ is invalid).
      repeat: fc.constantFrom(1, 1, 1, 10, 60, 63),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wirePut' as const), entry, garble: fc.nat(4) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('burst' as const),
      count: fc.integer({ min: 100, max: 500 }),
      size: fc.nat(4000),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 2500 }), fc.integer({ min: HOUR, max: 26 * HOUR })),
    }),
  },
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

// ---------------------------------------------------------------- the model

interface Accepted {
  shardId: string;
  seq: bigint;
  key: string;
  size: number;
  hash: bigint;
  arrivalMs: number;
}

const dataOf = (size: number) => new Uint8Array(size).fill(size & 255);

/** Runs commands against an engine, checking each outcome; returns what was accepted and attempted. */
function run(engine: Engine, commands: Command[]) {
  const accepted: Accepted[] = [];
  const outcomes = { accepted: 0, throttled: 0, rejected: 0 };
  let attempts = 0;
  const lastSeq = new Map<string, bigint>();
  const onAccepted = (e: Entry, shardId: string, seq: string) => {
    expect(seq).toMatch(/^\d{56}$/);
    const n = BigInt(seq);
    const previous = lastSeq.get(shardId);
    if (previous !== undefined) expect(n > previous).toBe(true);
    lastSeq.set(shardId, n);
    accepted.push({
      shardId,
      seq: n,
      key: e.key,
      size: e.size,
      hash: e.ehk !== undefined ? BigInt(e.ehk) : md5(e.key),
      arrivalMs: engine.now(),
    });
    outcomes.accepted++;
  };
  const onError = (r: ApiResult, records: number) => {
    if (r.ok) return;
    if (r.error.type === 'ProvisionedThroughputExceededException') outcomes.throttled += records;
    else outcomes.rejected += records;
  };
  for (const c of commands) {
    if (c.kind === 'advance') {
      engine.advanceTime(c.ms);
    } else if (c.kind === 'put') {
      attempts++;
      const request: Record<string, unknown> = {
        StreamName: 's',
        PartitionKey: c.entry.key,
        Data: dataOf(c.entry.size),
      };
      if (c.entry.ehk !== undefined) request.ExplicitHashKey = c.entry.ehk;
      const r = engine.call('PutRecord', request);
      if (r.ok) onAccepted(c.entry, r.value.ShardId as string, r.value.SequenceNumber as string);
      else onError(r, 1);
    } else if (c.kind === 'putRecords' || c.kind === 'burst') {
      const entries: Entry[] =
        c.kind === 'burst'
          ? Array.from({ length: c.count }, (_, i) => ({ key: `burst-${i}`, size: c.size, ehk: undefined }))
          : Array.from({ length: c.repeat }, () => c.entries).flat();
      attempts += entries.length;
      const r = engine.call('PutRecords', {
        StreamName: 's',
        Records: entries.map((e) => ({
          PartitionKey: e.key,
          Data: dataOf(e.size),
          ...(e.ehk === undefined ? {} : { ExplicitHashKey: e.ehk }),
        })),
      });
      if (!r.ok) {
        expect(r.error.type).not.toBe('ProvisionedThroughputExceededException');
        onError(r, entries.length);
        continue;
      }
      const results = r.value.Records as { ShardId?: string; SequenceNumber?: string; ErrorCode?: string }[];
      expect(results).toHaveLength(entries.length);
      let failed = 0;
      results.forEach((res, i) => {
        if (res.ErrorCode !== undefined) {
          expect(res.ErrorCode).toBe('ProvisionedThroughputExceededException');
          outcomes.throttled++;
          failed++;
        } else onAccepted(entries[i] as Entry, res.ShardId as string, res.SequenceNumber as string);
      });
      expect(r.value.FailedRecordCount).toBe(failed);
    } else {
      attempts++;
      const body: Record<string, unknown> = {
        StreamName: 's',
        PartitionKey: c.entry.key,
        Data: encodeBase64(dataOf(c.entry.size)),
      };
      if (c.entry.ehk !== undefined) body.ExplicitHashKey = c.entry.ehk;
      // Garbling: 1 bad base64, 2 wrong type, 3 unknown member (ignored), 4 null member.
      if (c.garble === 1) body.Data = `${body.Data}=`;
      if (c.garble === 2) body.PartitionKey = 42;
      if (c.garble === 3) body.__proto__extra = { nested: [1, 2] };
      if (c.garble === 4) body.ExplicitHashKey = null;
      const r = engine.dispatch('Kinesis_20131202.PutRecord', JSON.stringify(body));
      const parsed = JSON.parse(r.body) as Record<string, string>;
      if (r.status === 200) {
        onAccepted(
          c.garble === 4 ? { ...c.entry, ehk: undefined } : c.entry,
          parsed.ShardId as string,
          parsed.SequenceNumber as string,
        );
      } else if (parsed.__type === 'ProvisionedThroughputExceededException') outcomes.throttled++;
      else outcomes.rejected++;
    }
  }
  return { accepted, outcomes, attempts };
}

/** Every record still readable on a shard, oldest first. */
function readShard(
  engine: Engine,
  shardId: string,
): { SequenceNumber: string; PartitionKey: string; Data: Uint8Array }[] {
  const out: { SequenceNumber: string; PartitionKey: string; Data: Uint8Array }[] = [];
  const first = engine.call('GetShardIterator', {
    StreamName: 's',
    ShardId: shardId,
    ShardIteratorType: 'TRIM_HORIZON',
  });
  if (!first.ok) throw new Error(first.error.message);
  let iterator = first.value.ShardIterator as string;
  for (let calls = 0; calls < 100; calls++) {
    engine.advanceTime(0);
    const r = engine.call('GetRecords', { ShardIterator: iterator });
    if (!r.ok) throw new Error(r.error.message);
    out.push(...(r.value.Records as typeof out));
    if (r.value.MillisBehindLatest === 0 && (r.value.Records as unknown[]).length === 0) return out;
    iterator = r.value.NextShardIterator as string;
    if (calls % 4 === 3) throw new Error('too many reads for one shard in one instant');
  }
  return out;
}

describe('engine properties', () => {
  it('every attempt is counted once; records sit in the right shard, in order, until retention ends', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom('token-bucket', 'fixed-window'),
        fc.array(command, { minLength: 1, maxLength: 40, size: 'medium' }),
        (shardCount, throttle, commands) => {
          const engine = createEngine({
            transitionMs: 0,
            throttle: throttle as 'token-bucket' | 'fixed-window',
          });
          const created = engine.call('CreateStream', { StreamName: 's', ShardCount: shardCount });
          expect(created.ok).toBe(true);
          const { accepted, outcomes, attempts } = run(engine, commands);

          // Conservation: each attempted record accepted, throttled or rejected exactly once.
          const c = engine.core.counters;
          expect(c).toEqual(outcomes);
          expect(c.accepted + c.throttled + c.rejected).toBe(attempts);
          expect(engine.core.stream('s')?.totals).toEqual(outcomes);

          // Routing: the shard's hash key range holds each accepted record's hash key.
          const shards = (
            engine.call('ListShards', { StreamName: 's' }) as { value: Record<string, unknown> }
          ).value.Shards as {
            ShardId: string;
            HashKeyRange: { StartingHashKey: string; EndingHashKey: string };
          }[];
          const range = new Map(shards.map((s) => [s.ShardId, s.HashKeyRange]));
          for (const a of accepted) {
            const r = range.get(a.shardId);
            expect(r).toBeDefined();
            expect(
              a.hash >= BigInt(r?.StartingHashKey ?? -1) && a.hash <= BigInt(r?.EndingHashKey ?? -1),
            ).toBe(true);
          }

          // Retention: exactly the records with now < arrival + 24 h are readable, in order, with their data.
          const now = engine.now();
          let retained = 0;
          for (const s of shards) {
            const expected = accepted.filter((a) => a.shardId === s.ShardId && now < a.arrivalMs + 24 * HOUR);
            retained += expected.length;
            const read = readShard(engine, s.ShardId);
            expect(read.map((r) => r.SequenceNumber)).toEqual(expected.map((a) => a.seq.toString()));
            read.forEach((r, i) => {
              const a = expected[i] as Accepted;
              expect(r.PartitionKey).toBe(a.key);
              expect(r.Data.length).toBe(a.size);
              if (a.size > 0) expect(r.Data[0]).toBe(a.size & 255);
            });
          }
          const snap = engine.snapshot('s');
          expect(snap?.retainedRecords.reduce((x, y) => x + y, 0)).toBe(retained);
          expect(snap?.expired.reduce((x, y) => x + y, 0)).toBe(accepted.length - retained);
        },
      ),
      { numRuns: 40, seed: 20260101 },
    );
  });

  it('the fast path conserves attempts too', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.array(
          fc.record({
            key: fc.integer({ min: 0, max: 50 }),
            bytes: fc.nat(5000),
            wait: fc.nat(300),
            many: fc.nat(3),
          }),
          { maxLength: 300 },
        ),
        (shardCount, writes) => {
          const engine = createEngine({ transitionMs: 0 });
          engine.call('CreateStream', { StreamName: 's', ShardCount: shardCount });
          const stream = engine.core.stream('s');
          if (!stream) throw new Error('no stream');
          let attempts = 0;
          for (const w of writes) {
            const id = engine.core.pinKey(stream, `key-${w.key}`);
            const shard = engine.core.routeKey(stream, id);
            if (w.many > 0) {
              engine.core.writeAggregate(stream, shard, w.many * 200, w.bytes);
              attempts += w.many * 200;
            } else {
              engine.core.writeRecord(stream, shard, id, w.bytes);
              attempts++;
            }
            engine.core.unpinKey(stream, id);
            engine.advanceTime(w.wait);
          }
          const c = engine.core.counters;
          expect(c.accepted + c.throttled + c.rejected).toBe(attempts);
          expect(c.rejected).toBe(0);
          expect(stream.retainedRecords).toBe(c.accepted);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });
});

// ---------------------------------------------------------------- hostile input

const hostileValue = fc.oneof(
  fc.json(),
  fc.anything().map((v) => {
    try {
      return JSON.stringify(v) ?? 'null';
    } catch {
      return '{}';
    }
  }),
  fc.string(),
  fc.constantFrom(
    '{"__proto__":{"polluted":true},"StreamName":"s"}',
    '{"constructor":{"prototype":{"x":1}},"StreamName":"s","PartitionKey":"a","Data":"AA=="}',
    '{"StreamName":"s","Records":[[[[[]]]]]}',
    '{"StreamName":"s","Records":[null,{"__proto__":1},{"PartitionKey":"a","Data":"AA=="}]}',
    '{"StreamName":"s","ShardCount":1e308}',
    '{"StreamName":"t","ShardCount":-1e308}',
    '{"StreamName":"t","ShardCount":499.9}',
    '{"StreamName":"s","RetentionPeriodHours":1e400}',
    '{"StreamName":"s","Limit":123456789012345678901234567890}',
    '{"StreamName":"s","ShardId":"shardId-99999999999999999999","ShardIteratorType":"AT_SEQUENCE_NUMBER","StartingSequenceNumber":"99999999999999999999999999999999999999999999999999999999"}',
    '{"StreamName":"s","ShardId":"0","ShardIteratorType":"AT_TIMESTAMP","Timestamp":-1e300}',
    '{"StreamName":"s","ShardId":"0","ShardIteratorType":"AT_TIMESTAMP","Timestamp":"not a date"}',
    '{"ShardIterator":"aTF8c3wxNzY3MjI1NjAwMDAwfDB8MHww"}',
    '{"StreamName":"s","PartitionKey":"a","Data":"AA==","ExplicitHashKey":"340282366920938463463374607431768211456"}',
    '{"StreamName":"s","PartitionKey":"a","Data":"AA==","SequenceNumberForOrdering":"0"}',
    '{"StreamName":"s","ShardFilter":{"Type":"AFTER_SHARD_ID"}}',
    '{"StreamName":"s","PartitionKey":"a","Data":"AA==","DryRun":true}',
    '{"StreamName":"s","ShardId":"0","ShardIteratorType":"LATEST","DryRun":1}',
    '{"StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/s","MaxRecordSizeInKiB":1e308}',
    '{"NextToken":"x","StreamName":"s"}',
    '{"StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/s","StreamName":"other"}',
    '[]',
    'null',
    '"string"',
    '123',
    '',
  ),
);
const hostileObject = fc
  .dictionary(
    fc.oneof(
      fc.constantFrom(
        'StreamName',
        'StreamARN',
        'PartitionKey',
        'Data',
        'Records',
        'ShardCount',
        'ShardId',
        'ShardIteratorType',
        'ShardIterator',
        'Limit',
        'RetentionPeriodHours',
        'ExplicitHashKey',
        'Timestamp',
        'NextToken',
        'StreamModeDetails',
        'ShardFilter',
        'DryRun',
        'MaxRecordSizeInKiB',
        '__proto__',
        'constructor',
      ),
      fc.string(),
    ),
    fc.oneof(
      fc.jsonValue(),
      fc.constantFrom('s', 'AA==', 'TRIM_HORIZON', 'shardId-000000000000', 1, 500, 1e21),
    ),
    { maxKeys: 6 },
  )
  .map((o) => JSON.stringify(o));
const target = fc.oneof(
  fc.constantFrom(...OPERATION_NAMES).map((op) => `Kinesis_20131202.${op}`),
  fc.constantFrom(
    'Kinesis_20131202.',
    'Kinesis_20131202.__proto__',
    'Kinesis_20131202.constructor',
    '',
    '.',
    'x.y.z',
  ),
  fc.string(),
);

describe('dispatch never throws', () => {
  it('arbitrary and hostile bodies and targets give 200 or a well-formed 400/500 error', () => {
    const engine = createEngine({ transitionMs: 0 });
    engine.call('CreateStream', { StreamName: 's', ShardCount: 2 });
    fc.assert(
      fc.property(target, fc.oneof(hostileValue, hostileObject), fc.nat(2000), (t, body, wait) => {
        engine.advanceTime(wait);
        let response: { status: number; body: string } | undefined;
        expect(() => {
          response = engine.dispatch(t, body);
        }).not.toThrow();
        if (!response) throw new Error('no response');
        expect([200, 400, 500]).toContain(response.status);
        if (response.status === 200) {
          if (response.body !== '') expect(typeof JSON.parse(response.body)).toBe('object');
          return;
        }
        const parsed = JSON.parse(response.body) as Record<string, unknown>;
        expect(typeof parsed.__type).toBe('string');
        const keys = Object.keys(parsed).sort();
        expect([['__type'], ['__type', 'message'], ['Message', '__type']]).toContainEqual(keys);
        if ('message' in parsed) expect(typeof parsed.message).toBe('string');
        if ('Message' in parsed) expect(parsed.__type).toBe('SerializationException');
        if (response.status === 500) expect(parsed.__type).toBe('InternalFailure');
        // No prototype pollution leaks out of a request.
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 1500, seed: 99 },
    );
    // The engine still works afterwards.
    const c = engine.core.counters;
    const before = c.accepted + c.throttled + c.rejected;
    engine.dispatch('Kinesis_20131202.PutRecord', '{"StreamName":"s","PartitionKey":"a","Data":"AA=="}');
    expect(c.accepted + c.throttled + c.rejected).toBe(before + 1);
  });

  it('no InternalFailure for any of the hostile inputs against a live stream', () => {
    const engine = createEngine({ transitionMs: 0 });
    engine.call('CreateStream', { StreamName: 's', ShardCount: 1 });
    fc.assert(
      fc.property(
        fc.constantFrom(...OPERATION_NAMES).map((op) => `Kinesis_20131202.${op}`),
        fc.oneof(hostileValue, hostileObject),
        (t, body) => {
          expect(engine.dispatch(t, body).status).not.toBe(500);
        },
      ),
      { numRuns: 1500, seed: 5 },
    );
  });
});
