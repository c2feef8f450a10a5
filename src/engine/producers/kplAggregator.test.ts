// @vitest-environment node
import agg from 'aws-kinesis-agg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashKeyOfPartitionKey, hashKeyToBigInt } from '../hashKey';
import { createEngine, type Engine } from '../index';
import { KPL_AGGREGATION_MAX_BYTES_DEFAULT } from '../limits';
import { ok } from '../testHelpers';
import { KPL_AUTO_REFUSED, kplProblem } from './kplAggregator';
import { ProducerSet, type ProducerSpec, producerProblem } from './producerSet';

function setup(shards = 1, seed = 7, extra: Record<string, unknown> = {}) {
  const engine = createEngine({ seed, transitionMs: 0 });
  ok(engine.call('CreateStream', { StreamName: 's', ShardCount: shards, ...extra }));
  const stream = engine.core.stream('s');
  if (!stream) throw new Error('no stream');
  return { engine, stream, producers: new ProducerSet(engine.core, stream) };
}

const kplSpec: ProducerSpec = {
  name: 'kpl',
  api: 'PutRecords',
  batchSize: 500,
  payloadBytes: { min: 100, max: 100 },
  rate: 5000,
  distribution: { kind: 'uniform', keyCount: 1000 },
  kpl: { aggregationMaxBytes: KPL_AGGREGATION_MAX_BYTES_DEFAULT, collection: true },
};

interface ReadRecord {
  shardId: string;
  partitionKey: string;
  data: Buffer;
}

/** Every record readable on every shard, through the engine's GetShardIterator and GetRecords (wire JSON). */
function readAll(engine: Engine): ReadRecord[] {
  const shards = ok(engine.call('ListShards', { StreamName: 's' })).Shards as { ShardId: string }[];
  const out: ReadRecord[] = [];
  for (const { ShardId } of shards) {
    const it = engine.dispatch(
      'Kinesis_20131202.GetShardIterator',
      JSON.stringify({ StreamName: 's', ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    let iterator = JSON.parse(it.body).ShardIterator as string | null;
    for (let calls = 0; iterator && calls < 100; calls++) {
      const res = engine.dispatch('Kinesis_20131202.GetRecords', JSON.stringify({ ShardIterator: iterator }));
      if (res.status !== 200) {
        // Read throttling (2 MiB/s per shard): wait it out and ask again with the same iterator.
        expect(JSON.parse(res.body).__type).toBe('ProvisionedThroughputExceededException');
        engine.core.advanceTime(1000);
        continue;
      }
      const body = JSON.parse(res.body) as {
        Records: { PartitionKey: string; Data: string }[];
        NextShardIterator: string | null;
        MillisBehindLatest: number;
      };
      for (const r of body.Records)
        out.push({ shardId: ShardId, partitionKey: r.PartitionKey, data: Buffer.from(r.Data, 'base64') });
      iterator = body.NextShardIterator;
      if (body.Records.length === 0 && body.MillisBehindLatest === 0) break;
      engine.core.advanceTime(250); // GetRecords' 5 calls/s per shard
    }
  }
  return out;
}

/** De-aggregates a record read back with awslabs' aws-kinesis-agg (MD5 checked). */
function deaggregate(r: ReadRecord): { partitionKey: string; data: string }[] {
  let out: { partitionKey: string; data: string }[] = [];
  agg.deaggregateSync(
    { partitionKey: r.partitionKey, data: r.data.toString('base64') } as never,
    true,
    (err: Error | null, users?: { partitionKey: string; data: string }[]) => {
      if (err) throw err;
      out = (users ?? []).map((u) => ({
        partitionKey: u.partitionKey,
        data: Buffer.from(u.data, 'base64').toString(),
      }));
    },
  );
  return out;
}

describe('KPL aggregation and collection', () => {
  it('one shard takes 5,000 user records/s of 100 B with nothing throttled, in ~12 Kinesis records/s', () => {
    const { producers, engine } = setup(1);
    producers.add({ ...kplSpec, durationMs: 10_000 });
    producers.advance(5_500);
    const mid = producers.totals()[0];
    expect(mid?.kpl?.userRecordsLastSecond).toBe(5000);
    expect(mid?.kpl?.kinesisRecordsLastSecond).toBeGreaterThanOrEqual(10);
    expect(mid?.kpl?.kinesisRecordsLastSecond).toBeLessThanOrEqual(20);
    producers.advance(5_000);
    const [t] = producers.totals();
    expect(t?.attempted).toBe(50_000);
    expect(t?.accepted).toBe(50_000);
    expect(t?.throttled).toBe(0);
    expect(t?.buffered).toBe(0);
    // The engine saw only Kinesis records: far under 1,000/s.
    const c = engine.core.counters;
    expect(c.accepted).toBe(t?.kpl?.kinesisRecords);
    expect(t?.kpl?.aggregationRatio).toBeGreaterThan(400);
    // Without aggregation the same producer is throttled at 1,000 records/s.
    const plain = setup(1);
    plain.producers.add({ ...kplSpec, kpl: undefined, durationMs: 10_000 });
    plain.producers.advance(10_500);
    expect(plain.producers.totals()[0]?.throttled).toBeGreaterThan(30_000);
  });

  it('records read back through GetRecords de-aggregate (aws-kinesis-agg) to exactly the user records accepted', () => {
    const { producers, engine, stream } = setup(3);
    producers.add({
      ...kplSpec,
      rate: 2000,
      payloadBytes: { min: 10, max: 300 },
      durationMs: 3000,
      kpl: { aggregationMaxBytes: 4096, collection: true },
    });
    producers.advance(3500);
    const [t] = producers.totals();
    const read = readAll(engine);
    expect(read.length).toBe(t?.kpl?.kinesisAccepted);
    const seqs: number[] = [];
    for (const r of read) {
      expect(r.data.length).toBeLessThanOrEqual(4096);
      const users = deaggregate(r);
      if (users.length > 1) expect(r.partitionKey).toBe('a');
      const shard = stream.shards.find((s) => s.shardId === r.shardId);
      for (const u of users) {
        // Each user record lies in the shard its Kinesis record landed on (aggregated per predicted shard).
        const hash = hashKeyToBigInt(hashKeyOfPartitionKey(u.partitionKey, new Uint32Array(4)));
        expect(hash >= (shard?.startingHashKey ?? -1n) && hash <= (shard?.endingHashKey ?? -1n)).toBe(true);
        const m = /^u(\d+)\.*$/.exec(u.data);
        expect(m).not.toBeNull();
        seqs.push(Number(m?.[1]));
      }
    }
    // Every user record accepted once, none twice.
    expect(seqs.length).toBe(t?.accepted);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(t?.accepted).toBe(6000);
  });

  it('an aggregated hot key still throttles on bytes, well under 1,000 Kinesis records/s', () => {
    const { producers, engine, stream } = setup(1);
    producers.add({
      ...kplSpec,
      rate: 400,
      payloadBytes: { min: 10_000, max: 10_000 },
      durationMs: 10_000,
      distribution: { kind: 'hotKey', hotKey: 'hot', hotPercent: 100, keyCount: 1 },
    });
    producers.advance(10_500);
    const [t] = producers.totals();
    expect(t?.throttled).toBeGreaterThan(1000);
    expect(t?.accepted).toBeLessThan(t?.attempted ?? 0);
    expect(t?.kpl?.kinesisThrottled).toBeGreaterThan(0);
    // 4 MB/s of user data in ~5 aggregates of ≤ 51,200 B each per 100 ms: bytes bind, not records.
    expect((t?.kpl?.kinesisRecords ?? 0) / 10).toBeLessThan(1000);
    const snap = engine.snapshot('s');
    expect(snap).toBeDefined();
    expect(stream.totals.throttled).toBe(t?.kpl?.kinesisThrottled);
    // The diagnosis names the aggregates for what they are, not a key "a" to add a suffix to.
    const [d] = snap?.diagnosis ?? [];
    expect(d).toMatchObject({ verdict: 'hot-key', limit: 'bytes' });
    expect(d?.explanation).toContain('Hot key inside KPL aggregates');
    expect(d?.explanation).not.toContain('"a-0"');
  });

  it('respects the max size the user sets and the stream maximum; a user record larger than it goes alone', () => {
    const { producers, engine } = setup(1);
    producers.add({
      ...kplSpec,
      rate: 50,
      payloadBytes: { min: 100, max: 3000 },
      durationMs: 4000,
      kpl: { aggregationMaxBytes: 2048, collection: false },
    });
    producers.advance(4500);
    const read = readAll(engine);
    expect(read.length).toBeGreaterThan(0);
    let singles = 0;
    for (const r of read) {
      const users = deaggregate(r);
      if (r.partitionKey === 'a' && r.data[0] === 0xf3) expect(r.data.length).toBeLessThanOrEqual(2048);
      else singles += users.length === 1 ? 1 : 0;
    }
    expect(singles).toBeGreaterThan(0);
    expect(
      kplProblem({ aggregationMaxBytes: 2 * 1024 * 1024, collection: true }, engine.core.stream('s'))?.[0],
    ).toBe('aggregationMaxBytes');
    expect(kplProblem({ aggregationMaxBytes: 63, collection: true })?.[0]).toBe('aggregationMaxBytes');
    // The aggregate's data and its 1-byte key "a" must fit the stream's 1 MiB together.
    const stream = engine.core.stream('s');
    expect(kplProblem({ aggregationMaxBytes: 1_048_576, collection: true }, stream)?.[1]).toContain(
      "from 64 to 1,048,575 (the stream's max record size, 1,048,576 bytes",
    );
    expect(kplProblem({ aggregationMaxBytes: 1_048_575, collection: true }, stream)).toBeUndefined();
    expect(
      producerProblem({ ...kplSpec, kpl: { aggregationMaxBytes: 51_200.5, collection: true } })?.[0],
    ).toBe('aggregationMaxBytes');
  });

  it('without collection every Kinesis record is one PutRecord; with it, PutRecords of at most 500', () => {
    const a = setup(2);
    a.producers.add({
      ...kplSpec,
      rate: 1000,
      durationMs: 2000,
      kpl: { aggregationMaxBytes: 1024, collection: false },
    });
    a.producers.advance(2500);
    const ta = a.producers.totals()[0];
    expect(ta?.requests).toBe(ta?.kpl?.kinesisRecords);
    const b = setup(2);
    b.producers.add({
      ...kplSpec,
      rate: 1000,
      durationMs: 2000,
      kpl: { aggregationMaxBytes: 1024, collection: true },
    });
    b.producers.advance(2500);
    const tb = b.producers.totals()[0];
    expect(tb?.requests).toBeLessThan(tb?.kpl?.kinesisRecords ?? 0);
    expect(tb?.requests).toBeGreaterThanOrEqual(Math.ceil((tb?.kpl?.kinesisRecords ?? 0) / 500));
  });

  it('keeps its Kinesis totals across an edit, and an edit can turn aggregation off', () => {
    const { producers } = setup(1);
    const id = producers.add({ ...kplSpec, rate: 1000 });
    producers.advance(2000);
    const before = producers.totals()[0]?.kpl?.kinesisRecords ?? 0;
    expect(before).toBeGreaterThan(0);
    producers.update(id, { ...kplSpec, rate: 2000, kpl: { aggregationMaxBytes: 10_000, collection: false } });
    producers.advance(2000);
    const t = producers.totals()[0];
    expect(t?.kpl?.kinesisRecords).toBeGreaterThan(before);
    expect(t?.attempted).toBe(6000 - (t?.buffered ?? 0));
    producers.update(id, { ...kplSpec, kpl: undefined });
    expect(producers.totals()[0]?.kpl).toBeUndefined();
    expect(producers.totals()[0]?.buffered).toBe(0);
  });

  it('is refused on an AUTO stream, and a running KPL producer stops when its stream becomes AUTO', () => {
    const { producers, engine, stream } = setup(1, 7, { StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    const id = producers.add({ ...kplSpec, rate: 500 });
    producers.advance(1000);
    ok(
      engine.call('UpdateStreamRecordDistributionStrategy', {
        StreamARN: stream.arn,
        RecordDistributionStrategy: 'AUTO',
      }),
    );
    expect(producers.streamProblem(kplSpec)).toEqual(['kpl', KPL_AUTO_REFUSED]);
    producers.advance(1000);
    const t = producers.totals().find((p) => p.id === id);
    expect(t?.running).toBe(false);
    expect(t?.kpl?.refusedReason).toBe(KPL_AUTO_REFUSED);
    expect(t?.buffered).toBe(0);
    expect((t?.accepted ?? 0) + (t?.throttled ?? 0) + (t?.rejected ?? 0)).toBe(t?.attempted);
    const attempted = t?.attempted;
    producers.advance(1000);
    expect(producers.totals()[0]?.attempted).toBe(attempted);
    expect(producers.streamProblem({ ...kplSpec, kpl: undefined })).toBeUndefined();
  });

  it('in aggregate simulation (a jump) counts Kinesis records as aggregates, stored as counts only', () => {
    const { producers, engine } = setup(2);
    producers.add({ ...kplSpec, rate: 20_000 });
    producers.advance(60_000, { aggregate: true });
    const [t] = producers.totals();
    expect(t?.attempted).toBe(1_200_000);
    expect((t?.accepted ?? 0) + (t?.throttled ?? 0) + (t?.rejected ?? 0)).toBe(t?.attempted);
    // 20,000 × ~115 B ≈ 2.2 MB/s over 2 shards: bytes bind a little, records never do.
    const k = t?.kpl;
    expect(k?.kinesisRecords).toBeGreaterThan(2000);
    expect(k?.kinesisRecords).toBeLessThan(3200);
    expect(engine.core.counters.accepted + engine.core.counters.throttled).toBe(k?.kinesisRecords);
    expect((k?.kinesisAccepted ?? 0) + (k?.kinesisThrottled ?? 0) + (k?.kinesisRejected ?? 0)).toBe(
      k?.kinesisRecords,
    );
    // Nothing readable: no invalid aggregate can be read back.
    expect(readAll(engine)).toEqual([]);
  });

  it('aggregate simulation sends about as many Kinesis records, of about the same bytes, as record by record', () => {
    for (const [rate, shards, maxBytes, bytes] of [
      [1000, 1, 51_200, 100],
      [5000, 1, 51_200, 100],
      [20_000, 2, 51_200, 100],
      [300, 2, 4096, 500],
      [40, 1, 51_200, 25_000],
      [5, 1, 51_200, 100],
    ] as const) {
      const spec = {
        ...kplSpec,
        rate,
        payloadBytes: { min: bytes, max: bytes },
        kpl: { aggregationMaxBytes: maxBytes, collection: true },
      };
      const byRecord = setup(shards);
      byRecord.producers.add(spec);
      byRecord.producers.advance(20_000);
      const byCount = setup(shards);
      byCount.producers.add(spec);
      byCount.producers.advance(20_000, { aggregate: true });
      const a = byRecord.producers.totals()[0]?.kpl?.kinesisRecords ?? 0;
      const b = byCount.producers.totals()[0]?.kpl?.kinesisRecords ?? 0;
      expect(Math.abs(a - b) / a, `${rate}/s on ${shards}: ${a} vs ${b}`).toBeLessThan(0.15);
      const bytesOf = (e: ReturnType<typeof setup>) =>
        e.stream.shards.reduce((n, s) => n + s.log.retainedBytes, 0);
      const ba = bytesOf(byRecord);
      expect(Math.abs(ba - bytesOf(byCount)) / ba).toBeLessThan(0.05);
    }
  });

  it('conserves user records: each accepted, throttled or rejected exactly once through its Kinesis record', () => {
    fc.assert(
      fc.property(
        fc.record({
          shards: fc.integer({ min: 1, max: 3 }),
          rate: fc.integer({ min: 1, max: 8000 }),
          min: fc.integer({ min: 0, max: 2000 }),
          span: fc.integer({ min: 0, max: 30_000 }),
          maxBytes: fc.integer({ min: 64, max: 60_000 }),
          collection: fc.boolean(),
          keys: fc.constantFrom<ProducerSpec['distribution']>(
            { kind: 'uniform', keyCount: 50 },
            { kind: 'sequential' },
            { kind: 'timestamp' },
            { kind: 'hotKey', hotKey: 'h', hotPercent: 90, keyCount: 10 },
            { kind: 'explicitHashKeys', hashKeys: ['1', '200000000000000000000000000000000000000'] },
          ),
          steps: fc.array(fc.tuple(fc.integer({ min: 1, max: 1500 }), fc.boolean()), {
            minLength: 1,
            maxLength: 6,
          }),
          seed: fc.integer({ min: 1, max: 1000 }),
        }),
        (c) => {
          const { producers, engine } = setup(c.shards, c.seed);
          producers.add({
            ...kplSpec,
            rate: c.rate,
            payloadBytes: { min: c.min, max: c.min + c.span },
            distribution: c.keys,
            kpl: { aggregationMaxBytes: c.maxBytes, collection: c.collection },
          });
          for (const [ms, aggregate] of c.steps) producers.advance(ms, { aggregate });
          producers.setRunning(1, false);
          const [t] = producers.totals();
          const k = t?.kpl;
          expect(t?.buffered).toBe(0);
          expect((t?.accepted ?? 0) + (t?.throttled ?? 0) + (t?.rejected ?? 0)).toBe(t?.attempted);
          expect((k?.kinesisAccepted ?? 0) + (k?.kinesisThrottled ?? 0) + (k?.kinesisRejected ?? 0)).toBe(
            k?.kinesisRecords,
          );
          // The engine counted every Kinesis record once, and never more than the user records they carry.
          const e = engine.core.counters;
          expect(e.accepted + e.throttled + e.rejected).toBe(k?.kinesisRecords);
          expect(k?.kinesisRecords ?? 0).toBeLessThanOrEqual(t?.attempted ?? 0);
          expect(e.accepted).toBeLessThanOrEqual(t?.accepted ?? 0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps payload memory within the byte budget at 1 MiB/s, and what stays readable is whole aggregates', () => {
    const { producers, engine, stream } = setup(1);
    stream.budget.payloadLimitBytes = 4 * 1024 * 1024;
    producers.add({ ...kplSpec, rate: 40, payloadBytes: { min: 25_000, max: 25_000 } });
    let peak = 0;
    for (let s = 0; s < 120; s++) {
      producers.advance(1000);
      peak = Math.max(peak, stream.budget.payloadBytes);
    }
    expect(peak).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(stream.releasedRecords).toBeGreaterThan(0);
    const [t] = producers.totals();
    expect(t?.throttled).toBe(0);
    const read = readAll(engine);
    expect(read.length).toBeGreaterThan(0);
    let held = 0;
    for (const r of read) {
      held += r.data.length;
      expect(deaggregate(r).length).toBeGreaterThan(0);
    }
    expect(held).toBe(stream.budget.payloadBytes);
  });
});

describe('KPL producers with retries and faults', () => {
  it('refuses a retry policy other than none: the KPL retries on its own, which is not simulated', () => {
    expect(producerProblem({ ...kplSpec, retry: { kind: 'sdkDefault' } })?.[0]).toBe('retry');
    expect(producerProblem({ ...kplSpec, retry: { kind: 'none' } })).toBeUndefined();
  });

  it.each([
    ['ProvisionedThroughputExceededException', 'throttled'],
    ['InternalFailure', 'rejected'],
  ] as const)(
    'an injected %s fails whole KPL requests: their user records end %s, every one counted once',
    (error, outcome) => {
      const { engine, producers } = setup(4);
      engine.core.faults.set([{ error, sharePercent: 50, startMs: engine.now(), durationMs: 60_000 }]);
      const id = producers.add(kplSpec);
      producers.advance(10_000);
      producers.setRunning(id, false);
      const t = producers.totals()[0];
      if (!t?.kpl) throw new Error('no KPL totals');
      expect(t[outcome]).toBeGreaterThan(0);
      expect(t.accepted).toBeGreaterThan(0);
      expect(t.accepted + t.throttled + t.rejected).toBe(t.attempted);
      expect(t.attempted).toBe(t.retries.generated);
      expect(t.kpl.kinesisAccepted + t.kpl.kinesisThrottled + t.kpl.kinesisRejected).toBe(
        t.kpl.kinesisRecords,
      );
      // Half the calls failed, so about half the user records (each request carries ~the same number).
      expect(t[outcome] / t.attempted).toBeGreaterThan(0.3);
      expect(t[outcome] / t.attempted).toBeLessThan(0.7);
    },
  );

  it('in a jump (aggregate simulation) faults fail KPL requests too, and every user record is counted once', () => {
    const { engine, producers } = setup(4);
    engine.core.faults.set([
      { error: 'InternalFailure', sharePercent: 50, startMs: engine.now(), durationMs: 600_000 },
    ]);
    producers.add(kplSpec);
    producers.advance(300_000, { aggregate: true });
    const t = producers.totals()[0];
    if (!t?.kpl) throw new Error('no KPL totals');
    expect(t.rejected / t.attempted).toBeGreaterThan(0.3);
    expect(t.rejected / t.attempted).toBeLessThan(0.7);
    expect(t.accepted + t.throttled + t.rejected).toBe(t.attempted);
    expect(t.kpl.kinesisAccepted + t.kpl.kinesisThrottled + t.kpl.kinesisRejected).toBe(t.kpl.kinesisRecords);
    expect(t.lastError?.errorType).toBe('InternalFailure');
  });

  it('in a jump two faults at once both fail KPL requests, each credited the Kinesis records it failed', () => {
    const { engine, producers } = setup(4);
    const stream = engine.core.stream('s');
    engine.core.faults.set([
      { error: 'InternalFailure', sharePercent: 25, startMs: engine.now(), durationMs: 600_000 },
      {
        error: 'ProvisionedThroughputExceededException',
        sharePercent: 25,
        startMs: engine.now(),
        durationMs: 600_000,
      },
    ]);
    // Without collection each Kinesis record is a call: thousands of calls to fail.
    producers.add({
      ...kplSpec,
      kpl: { aggregationMaxBytes: KPL_AGGREGATION_MAX_BYTES_DEFAULT, collection: false },
    });
    for (let i = 0; i < 10; i++) producers.advance(30_000, { aggregate: true });
    const t = producers.totals()[0];
    if (!t?.kpl) throw new Error('no KPL totals');
    const [internal, throttling] = engine.core.faults.status();
    const failed = (internal?.failedRecords ?? 0) + (throttling?.failedRecords ?? 0);
    expect(failed / t.kpl.kinesisRecords).toBeGreaterThan(0.38);
    expect(failed / t.kpl.kinesisRecords).toBeLessThan(0.5);
    expect(internal?.failedRecords).toBe(t.kpl.kinesisRejected);
    expect(internal?.failedRecords).toBe(stream?.totals.rejected);
    expect(throttling?.failedRecords).toBeGreaterThan(0);
    expect(t.accepted + t.throttled + t.rejected).toBe(t.attempted);
    expect(t.kpl.kinesisAccepted + t.kpl.kinesisThrottled + t.kpl.kinesisRejected).toBe(t.kpl.kinesisRecords);
  });
});
