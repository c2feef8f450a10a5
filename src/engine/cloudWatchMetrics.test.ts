// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLOUDWATCH_FIELDS,
  type CloudWatchField,
  CloudWatchPeriods,
  FIVE_MINUTE_PERIODS_KEPT,
  ONE_MINUTE_PERIODS_KEPT,
  PeriodRing,
} from './cloudWatchMetrics';
import { createEngine } from './index';
import { ProducerSet, type ProducerSpec } from './producers/producerSet';
import { buildStreamSnapshot } from './snapshot';
import { ok } from './testHelpers';

const MINUTE = 60_000;

function setup(shards = 2) {
  const engine = createEngine({ seed: 5, transitionMs: 0 });
  ok(engine.call('CreateStream', { StreamName: 's', ShardCount: shards }));
  const stream = engine.core.stream('s');
  if (!stream) throw new Error('no stream');
  return { engine, stream };
}

/** Ring memory, read through the private field: it must not grow with simulated time. */
const ringLength = (ring: PeriodRing) => (ring as unknown as { ring?: Float64Array }).ring?.length ?? 0;

const data = (bytes = 10) => new Uint8Array(bytes);

/** One put operation as CloudWatchPeriods hands it to a ring (its sums, and it as the most and the fewest). */
function addOperation(ring: PeriodRing, minute: number, records: number, bytes: number, throttled: number) {
  const pending = new Float64Array(CLOUDWATCH_FIELDS.length);
  const set = (field: CloudWatchField, value: number) => {
    pending[CLOUDWATCH_FIELDS.indexOf(field)] = value;
  };
  set('putOperations', 1);
  for (const [sum, max, min, value] of [
    ['incomingRecords', 'maxRecords', 'minRecords', records],
    ['incomingBytes', 'maxBytes', 'minBytes', bytes],
    ['throttledRecords', 'maxThrottled', 'minThrottled', throttled],
  ] as const)
    for (const field of [sum, max, min]) set(field, value);
  ring.addPending(minute, pending);
}

describe('PeriodRing', () => {
  it('sums records and bytes, counts put operations and keeps the most records in one operation', () => {
    const ring = new PeriodRing(1, 60);
    addOperation(ring, 100, 3, 300, 0);
    addOperation(ring, 100, 7, 500, 2);
    addOperation(ring, 100, 1, 900, 5);
    expect(ring.valueAt('incomingRecords', 100)).toBe(11);
    expect(ring.valueAt('incomingBytes', 100)).toBe(1700);
    expect(ring.valueAt('throttledRecords', 100)).toBe(7);
    expect(ring.valueAt('putOperations', 100)).toBe(3);
    expect(ring.valueAt('maxRecords', 100)).toBe(7);
    expect(ring.valueAt('maxBytes', 100)).toBe(900);
    expect(ring.valueAt('maxThrottled', 100)).toBe(5);
    expect(ring.valueAt('aggregatedAttempts', 100)).toBe(0);
  });

  it('rolls over at each whole minute, skipped minutes hold zeros, and forgets periods past what it keeps', () => {
    const ring = new PeriodRing(1, 4);
    addOperation(ring, 10, 5, 50, 0);
    addOperation(ring, 11, 6, 60, 0);
    addOperation(ring, 13, 8, 80, 0);
    expect(ring.valueAt('incomingRecords', 10)).toBe(5);
    expect(ring.valueAt('incomingRecords', 12)).toBe(0);
    expect(ring.valueAt('incomingRecords', 13)).toBe(8);
    addOperation(ring, 14, 9, 90, 0);
    expect(ring.valueAt('incomingRecords', 10)).toBe(0); // 4 kept: 11–14
    expect(ring.valueAt('incomingRecords', 11)).toBe(6);
    // A write for a minute no longer kept changes nothing.
    addOperation(ring, 9, 100, 100, 0);
    expect(ring.valueAt('incomingRecords', 11)).toBe(6);
    // A gap far longer than the ring clears it and costs no more than its size.
    addOperation(ring, 1_000_000, 1, 1, 0);
    expect(ring.valueAt('incomingRecords', 14)).toBe(0);
    expect(ring.valueAt('incomingRecords', 1_000_000)).toBe(1);
    expect(ringLength(ring)).toBe(4 * CLOUDWATCH_FIELDS.length);
  });

  it('copies only completed periods, oldest first, zeros where nothing was kept', () => {
    const ring = new PeriodRing(1, 60);
    addOperation(ring, 100, 1, 10, 0);
    addOperation(ring, 102, 3, 30, 0);
    addOperation(ring, 103, 4, 40, 0); // the minute in progress at endMinute 103
    const out = new Float64Array(CLOUDWATCH_FIELDS.length * 4);
    ring.copyCompleted(103, 4, out, 0, 4); // minutes 99, 100, 101, 102
    expect([...out.subarray(0, 4)]).toEqual([0, 1, 0, 3]);
    const ops = CLOUDWATCH_FIELDS.indexOf('putOperations');
    expect([...out.subarray(ops * 4, ops * 4 + 4)]).toEqual([0, 1, 0, 1]);
  });

  it('5-minute periods are the 1-minute ones rolled up: sums add, maxima take the largest', () => {
    const periods = new CloudWatchPeriods();
    // Minutes 100–104 are one 5-minute period (aligned to multiples of 5), 105 starts the next.
    const ops: [number, number, number, number][] = [
      [100, 10, 100, 0],
      [101, 40, 400, 3],
      [101, 5, 50, 0],
      [103, 20, 200, 9],
      [104, 1, 10, 0],
      [105, 2, 20, 0],
    ];
    for (const [m, r, b, t] of ops) periods.addOperation(m, r, b, t);
    periods.addAggregate(102, 1000, 10_000, 50);
    periods.addSecond(101, 1500, 15_000, true);
    periods.addSecond(103, 900, 9_000, false);
    const five = (field: CloudWatchField) => periods.fiveMinutes.valueAt(field, 100);
    const oneSum = (field: CloudWatchField) => {
      let sum = 0;
      for (let m = 100; m < 105; m++) sum += periods.oneMinute.valueAt(field, m);
      return sum;
    };
    const oneMax = (field: CloudWatchField) => {
      let max = 0;
      for (let m = 100; m < 105; m++) max = Math.max(max, periods.oneMinute.valueAt(field, m));
      return max;
    };
    for (const f of ['incomingRecords', 'incomingBytes', 'throttledRecords', 'putOperations'] as const)
      expect(five(f)).toBe(oneSum(f));
    for (const f of ['maxRecords', 'maxBytes', 'maxThrottled', 'peakSecondRecords'] as const)
      expect(five(f)).toBe(oneMax(f));
    expect(five('incomingRecords')).toBe(1076);
    expect(five('putOperations')).toBe(5);
    expect(five('maxRecords')).toBe(40);
    expect(five('aggregatedAttempts')).toBe(1050);
    expect(five('throttledSeconds')).toBe(1);
    expect(periods.fiveMinutes.valueAt('incomingRecords', 105)).toBe(2);
  });
});

describe('CloudWatch periods fed by the engine', () => {
  it('a PutRecord is one put operation; IncomingRecords counts accepted records only, throttled ones go to WriteProvisionedThroughputExceeded', () => {
    const { engine, stream } = setup(1);
    // 1,500 PutRecord calls in one instant: the shard's allowance takes some, the rest are throttled.
    for (let i = 0; i < 1500; i++)
      engine.call('PutRecord', { StreamName: 's', PartitionKey: `k${i}`, Data: data() });
    const shard = stream.shards[0]!.metrics;
    const minute = Math.floor(engine.now() / MINUTE);
    const one = shard.periods.oneMinute;
    expect(one.valueAt('incomingRecords', minute)).toBe(shard.totalIncomingRecords);
    expect(one.valueAt('throttledRecords', minute)).toBe(shard.totalThrottledRecords);
    expect(shard.totalThrottledRecords).toBeGreaterThan(0);
    expect(one.valueAt('incomingBytes', minute)).toBe(shard.totalIncomingBytes);
    expect(one.valueAt('putOperations', minute)).toBe(1500);
    expect(one.valueAt('maxRecords', minute)).toBe(1);
    expect(one.valueAt('maxThrottled', minute)).toBe(1);
    expect(stream.cloudWatch.oneMinute.valueAt('putOperations', minute)).toBe(1500);
  });

  it("the stream's per-second truth: its shards' demand in each second together, and the seconds any shard throttled", () => {
    const { engine, stream } = setup(4);
    engine.advanceTime(60_000 - (engine.now() % 60_000));
    const minute = Math.floor(engine.now() / MINUTE);
    const demandOf = () => stream.shards.map((s) => s.metrics.currentDemandRecords);
    const seconds: number[][] = [];
    // Second 1: 1,500 single records over 4 shards (none throttled); second 2: 6,000 (~1,500 a shard:
    // throttled); second 3: nothing.
    for (const count of [1_500, 6_000, 0]) {
      for (let i = 0; i < count; i++)
        engine.call('PutRecord', { StreamName: 's', PartitionKey: `k${seconds.length}-${i}`, Data: data() });
      seconds.push(demandOf());
      engine.advanceTime(1000);
    }
    engine.advanceTime(60_000);
    const one = stream.cloudWatch.oneMinute;
    const busiest = Math.max(...seconds.map((perShard) => perShard.reduce((a, b) => a + b, 0)));
    expect(busiest).toBe(6_000);
    expect(one.valueAt('peakSecondRecords', minute)).toBe(busiest);
    const throttledAny = stream.shards.some((s) => s.metrics.totalThrottledRecords > 0);
    expect(throttledAny).toBe(true);
    expect(one.valueAt('throttledSeconds', minute)).toBe(1);
  });

  it('a PutRecords request is one sample on each shard it reached and one on the stream', () => {
    const { engine, stream } = setup(4);
    const records = Array.from({ length: 200 }, (_, i) => ({ PartitionKey: `key-${i}`, Data: data(20) }));
    ok(engine.call('PutRecords', { StreamName: 's', Records: records }));
    ok(engine.call('PutRecords', { StreamName: 's', Records: records.slice(0, 10) }));
    const minute = Math.floor(engine.now() / MINUTE);
    let reached = 0;
    let accepted = 0;
    let maxOnShard = 0;
    for (const shard of stream.shards) {
      const one = shard.metrics.periods.oneMinute;
      reached += one.valueAt('putOperations', minute);
      accepted += one.valueAt('incomingRecords', minute);
      maxOnShard = Math.max(maxOnShard, one.valueAt('maxRecords', minute));
      expect(one.valueAt('maxRecords', minute)).toBeLessThan(200);
    }
    expect(accepted).toBe(210);
    expect(reached).toBeGreaterThan(4); // the first request reached all 4 shards, the second some
    expect(maxOnShard).toBeGreaterThan(0);
    const s = stream.cloudWatch.oneMinute;
    expect(s.valueAt('putOperations', minute)).toBe(2);
    expect(s.valueAt('maxRecords', minute)).toBe(200);
    expect(s.valueAt('incomingRecords', minute)).toBe(210);
  });

  it("a client's PutRecords over the wire (dispatch) is one put operation too", () => {
    const { engine, stream } = setup(1);
    const records = Array.from({ length: 25 }, (_, i) => ({ PartitionKey: `w${i}`, Data: 'AAAA' }));
    const answer = engine.dispatch(
      'Kinesis_20131202.PutRecords',
      JSON.stringify({ StreamName: 's', Records: records }),
    );
    expect(answer.status).toBe(200);
    const minute = Math.floor(engine.now() / MINUTE);
    const one = stream.shards[0]!.metrics.periods.oneMinute;
    expect(one.valueAt('putOperations', minute)).toBe(1);
    expect(one.valueAt('incomingRecords', minute)).toBe(25);
    expect(one.valueAt('maxRecords', minute)).toBe(25);
    // 3 data bytes + the key's UTF-8 bytes each.
    expect(one.valueAt('maxBytes', minute)).toBe(records.reduce((n, r) => n + 3 + r.PartitionKey.length, 0));
  });

  it('a request Kinesis refuses whole is no sample', () => {
    const { engine, stream } = setup(1);
    const result = engine.call('PutRecords', {
      StreamName: 's',
      Records: [{ PartitionKey: 'a', Data: new Uint8Array(1_048_577) }],
    });
    expect(result.ok).toBe(false);
    const minute = Math.floor(engine.now() / MINUTE);
    expect(stream.cloudWatch.oneMinute.valueAt('putOperations', minute)).toBe(0);
  });

  it('a PutRecords producer: one sample per request, the Maximum no more than its batch', () => {
    const { engine, stream } = setup(1);
    const producers = new ProducerSet(engine.core, stream);
    const spec: ProducerSpec = {
      name: 'p',
      api: 'PutRecords',
      batchSize: 50,
      payloadBytes: { min: 100, max: 100 },
      rate: 500,
      distribution: { kind: 'uniform', keyCount: 100 },
    };
    // Align to a whole minute, then run exactly one minute.
    engine.advanceTime(MINUTE - (engine.now() % MINUTE));
    producers.add(spec);
    const minute = Math.floor(engine.now() / MINUTE);
    const before = producers.totals()[0]!.requests;
    producers.advance(MINUTE);
    const requests = producers.totals()[0]!.requests - before;
    const one = stream.shards[0]!.metrics.periods.oneMinute;
    // The request sent at the last instant (the next minute's first millisecond) belongs to the next minute.
    const both = (f: CloudWatchField) => one.valueAt(f, minute) + one.valueAt(f, minute + 1);
    expect(both('putOperations')).toBe(requests);
    expect(both('incomingRecords')).toBe(30_000);
    expect(one.valueAt('putOperations', minute + 1)).toBe(1);
    expect(one.valueAt('maxRecords', minute)).toBe(50);
    expect(one.valueAt('aggregatedAttempts', minute)).toBe(0);
    // Per-second truth: 500 records in every second of the minute.
    expect(one.valueAt('peakSecondRecords', minute)).toBe(500);
    expect(one.valueAt('throttledSeconds', minute)).toBe(0);
  });

  it('a jump counts its records exactly in the sums, marks them as aggregated, and keeps memory fixed', () => {
    const { engine, stream } = setup(2);
    const producers = new ProducerSet(engine.core, stream);
    producers.add({
      name: 'p',
      api: 'PutRecords',
      batchSize: 500,
      payloadBytes: { min: 100, max: 100 },
      rate: 1000,
      distribution: { kind: 'uniform', keyCount: 1000 },
    });
    producers.advance(10 * 3_600_000, {
      aggregate: true,
      coarseUntilMs: engine.now() + 10 * 3_600_000 - 300_000,
    });
    const nowMinute = Math.floor(engine.now() / MINUTE);
    const lastMinute = nowMinute - 1;
    let shardSum = 0;
    for (const shard of stream.shards) {
      const one = shard.metrics.periods.oneMinute;
      shardSum += one.valueAt('incomingRecords', lastMinute);
      expect(one.valueAt('aggregatedAttempts', lastMinute)).toBeGreaterThan(0);
      expect(ringLength(one)).toBe(ONE_MINUTE_PERIODS_KEPT * CLOUDWATCH_FIELDS.length);
      expect(ringLength(shard.metrics.periods.fiveMinutes)).toBe(
        FIVE_MINUTE_PERIODS_KEPT * CLOUDWATCH_FIELDS.length,
      );
    }
    expect(shardSum).toBe(stream.cloudWatch.oneMinute.valueAt('incomingRecords', lastMinute));
    expect(shardSum).toBeGreaterThan(55_000);
    // Every attempt of the last hour is in the stream's 1-minute sums: accepted + throttled = what was sent.
    let hour = 0;
    for (let m = nowMinute - 60; m < nowMinute; m++)
      hour +=
        stream.cloudWatch.oneMinute.valueAt('incomingRecords', m) +
        stream.cloudWatch.oneMinute.valueAt('throttledRecords', m);
    expect(hour).toBeGreaterThan(59 * 60 * 1000 - 1000);
    expect(hour).toBeLessThanOrEqual(60 * 60 * 1000 + 1000);
  });

  it('the snapshot carries completed periods: the stream row, then one row per shard', () => {
    const { engine, stream } = setup(2);
    for (let i = 0; i < 30; i++)
      engine.call('PutRecord', { StreamName: 's', PartitionKey: `k${i}`, Data: data() });
    const minute = Math.floor(engine.now() / MINUTE);
    // Not yet: the minute is still in progress.
    const before = buildStreamSnapshot(engine.core, 's')!;
    const fields = before.cloudWatch.fields.length;
    const at = (series: typeof before.cloudWatch.oneMinute, row: number, field: CloudWatchField, p: number) =>
      series.data[(row * fields + before.cloudWatch.fields.indexOf(field)) * series.periods + p] ??
      Number.NaN;
    const last = before.cloudWatch.oneMinute.periods - 1;
    expect(at(before.cloudWatch.oneMinute, 0, 'incomingRecords', last)).toBe(0);
    engine.advanceTime(MINUTE);
    const snap = buildStreamSnapshot(engine.core, 's')!;
    const one = snap.cloudWatch.oneMinute;
    expect(one.periods).toBe(ONE_MINUTE_PERIODS_KEPT);
    expect(one.data.length).toBe((snap.shards.length + 1) * fields * one.periods);
    const p = minute - one.firstMinute;
    expect(at(one, 0, 'incomingRecords', p)).toBe(30);
    expect(at(one, 0, 'putOperations', p)).toBe(30);
    expect(at(one, 1, 'incomingRecords', p) + at(one, 2, 'incomingRecords', p)).toBe(30);
    expect(stream.shards.length).toBe(2);
    const five = snap.cloudWatch.fiveMinutes;
    expect(five.firstMinute % 5).toBe(0);
    expect(five.periods).toBe(FIVE_MINUTE_PERIODS_KEPT);
  });
});

describe('CloudWatchPeriods, summed per minute before the rings', () => {
  it('keeps the largest operation whatever the order: single records after a large PutRecords do not lower it', () => {
    const periods = new CloudWatchPeriods();
    periods.addOperation(10, 500, 50_000, 20);
    periods.addSingle(10, 100, false);
    periods.addSingle(10, 100, true);
    periods.addSecond(10, 1_200, 120_000, true);
    periods.addAggregate(10, 30, 3_000, 5);
    periods.addSingle(11, 90, false);
    const one = periods.oneMinute;
    expect(one.valueAt('putOperations', 10)).toBe(3);
    expect(one.valueAt('incomingRecords', 10)).toBe(531);
    expect(one.valueAt('incomingBytes', 10)).toBe(53_100);
    expect(one.valueAt('throttledRecords', 10)).toBe(26);
    expect(one.valueAt('maxRecords', 10)).toBe(500);
    expect(one.valueAt('maxBytes', 10)).toBe(50_000);
    expect(one.valueAt('maxThrottled', 10)).toBe(20);
    expect(one.valueAt('aggregatedAttempts', 10)).toBe(35);
    expect(one.valueAt('peakSecondRecords', 10)).toBe(1_200);
    expect(one.valueAt('throttledSeconds', 10)).toBe(1);
    expect(one.valueAt('incomingRecords', 11)).toBe(1);
    expect(periods.fiveMinutes.valueAt('incomingRecords', 10)).toBe(532);
  });
});

describe('Minimum and Maximum per put operation', () => {
  it('are the fewest and most of any one put operation of the period, at 1 and 5 minutes, whatever the order', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('single' as const),
        minute: fc.integer({ min: 100, max: 112 }),
        bytes: fc.integer({ min: 1, max: 2_000 }),
        throttled: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('operation' as const),
        minute: fc.integer({ min: 100, max: 112 }),
        records: fc.integer({ min: 0, max: 500 }),
        bytes: fc.integer({ min: 0, max: 50_000 }),
        throttled: fc.integer({ min: 0, max: 500 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        // Minutes only move forward in the engine; the property keeps that order.
        const sorted = [...ops].sort((a, b) => a.minute - b.minute);
        const periods = new CloudWatchPeriods();
        const samples: { minute: number; records: number; bytes: number; throttled: number }[] = [];
        for (const o of sorted) {
          if (o.kind === 'single') {
            periods.addSingle(o.minute, o.bytes, o.throttled);
            samples.push({
              minute: o.minute,
              records: o.throttled ? 0 : 1,
              bytes: o.throttled ? 0 : o.bytes,
              throttled: o.throttled ? 1 : 0,
            });
          } else {
            periods.addOperation(o.minute, o.records, o.bytes, o.throttled);
            samples.push(o);
          }
        }
        const check = (ring: PeriodRing, minutes: number) => {
          for (let start = 100; start <= 112; start += minutes) {
            const inPeriod = samples.filter((x) => x.minute >= start && x.minute < start + minutes);
            if (Math.floor(start / minutes) * minutes !== start) continue;
            if (inPeriod.length === 0) {
              expect(ring.valueAt('putOperations', start)).toBe(0);
              continue;
            }
            const least = (f: 'records' | 'bytes' | 'throttled') => Math.min(...inPeriod.map((x) => x[f]));
            const most = (f: 'records' | 'bytes' | 'throttled') => Math.max(...inPeriod.map((x) => x[f]));
            expect(ring.valueAt('putOperations', start)).toBe(inPeriod.length);
            expect(ring.valueAt('minRecords', start)).toBe(least('records'));
            expect(ring.valueAt('minBytes', start)).toBe(least('bytes'));
            expect(ring.valueAt('minThrottled', start)).toBe(least('throttled'));
            expect(ring.valueAt('maxRecords', start)).toBe(most('records'));
            expect(ring.valueAt('maxThrottled', start)).toBe(most('throttled'));
          }
        };
        check(periods.oneMinute, 1);
        check(periods.fiveMinutes, 5);
      }),
    );
  });
});
