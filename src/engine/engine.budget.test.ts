// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './index';
import type { Stream } from './stream';
import { ok } from './testHelpers';

/**
 * The engine's detail budget is one for all streams: however many streams clients create, the records and
 * payload bytes held in detail stay within it, the oldest (by arrival, across streams) go first, and every
 * record is still counted once.
 */

const RECORD_LIMIT = 400;
const PAYLOAD_LIMIT = 16 * 1024;

/** What a test wrote to one shard, in sequence order: arrival (virtual ms), SequenceNumber and Data. */
interface Written {
  arrivalMs: number[];
  sequenceNumbers: string[];
  data: Uint8Array[];
}

interface Lab {
  engine: Engine;
  names: string[];
  streams: Stream[];
  /** By stream name, then ShardId. */
  written: Map<string, Map<string, Written>>;
  accepted: Map<string, number>;
  attempts: number;
  serial: number;
}

function lab(streams: number, shards: number): Lab {
  const engine = createEngine({
    transitionMs: 0,
    recordDetailBudget: RECORD_LIMIT,
    payloadBudgetBytes: PAYLOAD_LIMIT,
  });
  const names = Array.from({ length: streams }, (_, i) => `stream-${i}`);
  for (const name of names) ok(engine.call('CreateStream', { StreamName: name, ShardCount: shards }));
  return {
    engine,
    names,
    streams: names.map((name) => engine.core.stream(name) as Stream),
    written: new Map(names.map((name) => [name, new Map()])),
    accepted: new Map(names.map((name) => [name, 0])),
    attempts: 0,
    serial: 0,
  };
}

/** One PutRecords call of `count` entries of `bytes` bytes (≥ 4: each carries a serial number) to a stream. */
function putRecords(t: Lab, name: string, count: number, bytes: number): void {
  const records = Array.from({ length: count }, () => {
    const data = new Uint8Array(bytes);
    new DataView(data.buffer).setUint32(0, t.serial++);
    // Keys of one width (6 bytes), so what the data budget counts per record is its Data + 6.
    return { PartitionKey: `key-${String(t.serial % 97).padStart(2, '0')}`, Data: data };
  });
  const out = ok(t.engine.call('PutRecords', { StreamName: name, Records: records }));
  t.attempts += count;
  const results = out.Records as { ShardId?: string; SequenceNumber?: string }[];
  results.forEach((result, i) => {
    if (result.ShardId === undefined) return;
    const byShard = t.written.get(name) as Map<string, Written>;
    let shard = byShard.get(result.ShardId);
    if (!shard) {
      shard = { arrivalMs: [], sequenceNumbers: [], data: [] };
      byShard.set(result.ShardId, shard);
    }
    shard.arrivalMs.push(t.engine.now());
    shard.sequenceNumbers.push(result.SequenceNumber as string);
    shard.data.push(records[i]?.Data as Uint8Array);
    t.accepted.set(name, (t.accepted.get(name) as number) + 1);
  });
}

/** The engine-wide bounds and the oldest-first order, checked after every call. */
function checkBudget(t: Lab): void {
  const budget = t.streams[0]?.budget;
  if (!budget) throw new Error('no budget');
  let payload = 0;
  let detail = 0;
  let newestReleased = Number.NEGATIVE_INFINITY;
  let oldestHeld = Number.POSITIVE_INFINITY;
  t.streams.forEach((stream) => {
    expect(stream.budget).toBe(budget);
    payload += stream.payloadBytes;
    detail += stream.detailRecords;
    let released = 0;
    for (const shard of stream.shards) {
      const written = t.written.get(stream.name)?.get(shard.shardId);
      const horizon = shard.log.firstReadableOrdinal;
      released += horizon;
      if (horizon > 0) newestReleased = Math.max(newestReleased, written?.arrivalMs[horizon - 1] ?? 0);
      oldestHeld = Math.min(oldestHeld, shard.log.oldestDetailArrivalMs());
    }
    // Nothing expires in these tests: every record below the trim horizon was released by the budget.
    expect(stream.releasedRecords).toBe(released);
  });
  expect(payload).toBe(budget.payloadBytes);
  expect(payload).toBeLessThanOrEqual(PAYLOAD_LIMIT);
  expect(detail).toBeLessThanOrEqual(RECORD_LIMIT);
  expect(newestReleased).toBeLessThanOrEqual(oldestHeld);
}

/** Every record GetRecords returns for a shard from TRIM_HORIZON. */
function readShard(
  engine: Engine,
  name: string,
  shardId: string,
): { SequenceNumber: string; Data: Uint8Array }[] {
  const out: { SequenceNumber: string; Data: Uint8Array }[] = [];
  let iterator = ok(
    engine.call('GetShardIterator', {
      StreamName: name,
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  ).ShardIterator as string | undefined;
  for (let calls = 0; iterator !== undefined && calls < 100; calls++) {
    const page = ok(engine.call('GetRecords', { ShardIterator: iterator }));
    const records = page.Records as { SequenceNumber: string; Data: Uint8Array }[];
    out.push(...records);
    if (records.length === 0) break;
    iterator = page.NextShardIterator as string | undefined;
    engine.advanceTime(200); // GetRecords: 5 calls per second per shard
  }
  return out;
}

/** Every record counted once, and GetRecords returning exactly the records still held, in order. */
function checkRecords(t: Lab): void {
  const counters = t.engine.core.counters;
  expect(counters.accepted + counters.throttled + counters.rejected).toBe(t.attempts);
  let accepted = 0;
  t.streams.forEach((stream) => {
    const name = stream.name;
    expect(stream.totals.accepted).toBe(t.accepted.get(name));
    accepted += stream.totals.accepted;
    let readable = 0;
    for (const shard of stream.shards) {
      const written = t.written.get(name)?.get(shard.shardId) ?? {
        sequenceNumbers: [],
        data: [],
        arrivalMs: [],
      };
      const read = readShard(t.engine, name, shard.shardId);
      const horizon = written.sequenceNumbers.length - read.length;
      expect(horizon).toBe(shard.log.firstReadableOrdinal);
      expect(read.map((r) => r.SequenceNumber)).toEqual(written.sequenceNumbers.slice(horizon));
      read.forEach((r, i) => {
        expect([...r.Data]).toEqual([...(written.data[horizon + i] as Uint8Array)]);
      });
      readable += read.length;
    }
    // Records readable + records released = records written (accepted).
    expect(readable + stream.releasedRecords).toBe(stream.totals.accepted);
    const snap = t.engine.snapshot(name);
    expect(snap?.releasedRecords).toBe(stream.releasedRecords);
    expect(snap?.detailBudget).toBe(RECORD_LIMIT);
    expect(snap?.payloadBudgetBytes).toBe(PAYLOAD_LIMIT);
  });
  expect(counters.accepted).toBe(accepted);
}

describe('one detail budget for the whole engine, whatever the number of streams', () => {
  it('20 streams each written past the budget: the engine holds at most the budget, oldest first across streams', () => {
    const t = lab(20, 2);
    // Each stream alone writes 600 records and 600 × 60 B = 36 KiB: past both limits on its own.
    for (let round = 0; round < 30; round++) {
      for (const name of t.names) {
        putRecords(t, name, 20, 60);
        checkBudget(t);
        t.engine.advanceTime(1);
      }
      t.engine.advanceTime(100);
    }
    for (const stream of t.streams) expect(stream.totals.accepted).toBe(600);
    // Only the newest records are still readable, and every stream had its oldest released.
    for (const stream of t.streams) expect(stream.releasedRecords).toBeGreaterThan(0);
    checkRecords(t);
  });

  it('holds within the budget at every call, oldest first, each record counted once (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 20 }),
        fc.array(
          fc.record({
            stream: fc.nat(19),
            count: fc.integer({ min: 1, max: 40 }),
            bytes: fc.integer({ min: 4, max: 200 }),
            advanceMs: fc.nat(300),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        (streams, calls) => {
          const t = lab(streams, 2);
          for (const call of calls) {
            putRecords(t, t.names[call.stream % streams] as string, call.count, call.bytes);
            checkBudget(t);
            t.engine.advanceTime(call.advanceMs);
          }
          checkRecords(t);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a deleted stream gives its payload bytes and records back to the budget', () => {
    const t = lab(3, 1);
    for (const name of t.names) putRecords(t, name, 40, 100);
    const [first, second] = t.streams as [Stream, Stream];
    const budget = first.budget;
    // Each record's 100 bytes of Data and its 6-byte key, which the data budget counts alike.
    const each = 106;
    expect(budget.payloadBytes).toBe(120 * each);
    const held = second.payloadBytes;
    expect(held).toBe(40 * each);
    ok(t.engine.call('DeleteStream', { StreamName: second.name }));
    expect(t.engine.core.stream(second.name)).toBeUndefined();
    expect(budget.payloadBytes).toBe(80 * each);
    // Its bytes are free for the others: 74 more records fit before anything is released (16,324 bytes).
    putRecords(t, first.name, 74, 100);
    expect(budget.payloadBytes).toBe(154 * each);
    expect(first.releasedRecords).toBe(0);
    putRecords(t, first.name, 1, 100);
    expect(first.releasedRecords).toBeGreaterThan(0);
    expect(budget.payloadBytes).toBeLessThanOrEqual((PAYLOAD_LIMIT * 7) / 8);
    // Held detail counts only live streams.
    budget.enforceRecords();
    expect(budget.records).toBe(first.detailRecords + (t.streams[2] as Stream).detailRecords);
  });
});
