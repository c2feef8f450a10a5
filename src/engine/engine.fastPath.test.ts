// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, WRITE_REJECTED, WRITE_THROTTLED } from './index';
import type { Stream } from './stream';
import { ok } from './testHelpers';

const HOUR = 3_600_000;

function setup(
  shards = 4,
  options: Parameters<typeof createEngine>[0] = {},
): { engine: Engine; stream: Stream } {
  const engine = createEngine({ transitionMs: 0, ...options });
  ok(engine.call('CreateStream', { StreamName: 's', ShardCount: shards }));
  const stream = engine.core.stream('s');
  if (!stream) throw new Error('no stream');
  return { engine, stream };
}

interface Rec {
  PartitionKey: string;
  Data: Uint8Array;
  SequenceNumber: string;
}
function readAll(engine: Engine, shardId: string): Rec[] {
  const it = ok(
    engine.call('GetShardIterator', { StreamName: 's', ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
  ).ShardIterator;
  return ok(engine.call('GetRecords', { ShardIterator: it })).Records as Rec[];
}

describe('putRecordFast (in-process PutRecord with arbitrary keys)', () => {
  it('routes, stores and reads back exactly like PutRecord, without interning keys', () => {
    const a = setup();
    const b = setup();
    const keys = ['user-1', 'ü-key', '日本語', '😀', 'x'.repeat(256), 'a'];
    for (const key of keys) {
      const data = new TextEncoder().encode(`payload of ${key}`);
      const viaApi = ok(a.engine.call('PutRecord', { StreamName: 's', PartitionKey: key, Data: data }));
      const shard = b.engine.core.putRecordFast(b.stream, key, data.length, data);
      expect(b.stream.shards[shard]?.shardId).toBe(viaApi.ShardId);
      const counter = (b.stream.shards[shard]?.log.nextOrdinal ?? 0) - 1;
      expect(b.stream.shards[shard]?.sequenceNumberOf(counter, b.engine.now())).toBe(viaApi.SequenceNumber);
    }
    expect(b.stream.keys.size).toBe(0);
    expect(a.stream.keys.size).toBe(0);
    for (let s = 0; s < 4; s++) {
      const id = `shardId-00000000000${s}`;
      expect(readAll(b.engine, id)).toEqual(readAll(a.engine, id));
    }
    // Hot keys count completed virtual seconds: end this one on both.
    a.engine.advanceTime(1000);
    b.engine.advanceTime(1000);
    const snapA = a.engine.snapshot('s');
    const snapB = b.engine.snapshot('s');
    expect(snapB?.hotKeys.length).toBe(keys.length);
    expect(snapB?.hotKeys).toEqual(snapA?.hotKeys);
    expect(Array.from(snapB?.acceptedBytes ?? [])).toEqual(Array.from(snapA?.acceptedBytes ?? []));
    expect(Array.from(snapB?.retainedBytes ?? [])).toEqual(Array.from(snapA?.retainedBytes ?? []));
  });

  it('a record without payload reads back as zero bytes of its size, with its key', () => {
    const { engine, stream } = setup(1);
    engine.core.putRecordFast(stream, 'k-1', 7);
    const [rec] = readAll(engine, 'shardId-000000000000');
    expect(rec?.PartitionKey).toBe('k-1');
    expect(rec?.Data).toEqual(new Uint8Array(7));
  });

  it('throttles like PutRecord, counts every attempt once, and rejects while the stream takes no writes', () => {
    const { engine, stream } = setup(1);
    for (let i = 0; i < 1000; i++) expect(engine.core.putRecordFast(stream, `k${i}`, 10)).toBe(0);
    expect(engine.core.putRecordFast(stream, 'late', 10)).toBe(WRITE_THROTTLED);
    expect(engine.core.counters).toEqual({ accepted: 1000, throttled: 1, rejected: 0 });
    expect(stream.totals).toEqual({ accepted: 1000, throttled: 1, rejected: 0 });
    engine.advanceTime(1000); // hot keys count completed virtual seconds
    const hot = engine.snapshot('s', 1, 2000)?.hotKeys ?? [];
    expect(hot.find((h) => h.partitionKey === 'late')).toMatchObject({ count: 1, throttled: 1, error: 0 });
    ok(engine.call('DeleteStream', { StreamName: 's' }));
    expect(engine.core.putRecordFast(stream, 'k', 10)).toBe(WRITE_REJECTED);
    expect(engine.core.counters.rejected).toBe(1);
  });

  it('uses the interned id of a pinned key (cached route), and mixes with direct keys in one shard', () => {
    const { engine, stream } = setup(1);
    const pinned = engine.core.pinKey(stream, 'pinned');
    engine.core.putRecordFast(stream, 'pinned', 1);
    engine.core.putRecordFast(stream, 'direct', 2);
    engine.core.putRecordFast(stream, 'pinned', 3);
    expect(stream.keys.size).toBe(1);
    const recs = readAll(engine, 'shardId-000000000000');
    expect(recs.map((r) => [r.PartitionKey, r.Data.length])).toEqual([
      ['pinned', 1],
      ['direct', 2],
      ['pinned', 3],
    ]);
    engine.advanceTime(1000); // hot keys count completed virtual seconds
    expect(engine.snapshot('s')?.hotKeys.map((h) => [h.partitionKey, h.count])).toEqual([
      ['pinned', 2],
      ['direct', 1],
    ]);
    engine.core.unpinKey(stream, pinned);
    // Records still hold the pinned key; it is forgotten once they expire.
    expect(stream.keys.size).toBe(1);
    engine.advanceTime(24 * HOUR);
    expect(stream.keys.size).toBe(0);
    expect(stream.retainedRecords).toBe(0);
    expect(engine.snapshot('s')?.retainedBytes[0]).toBe(0);
  });

  it('retained bytes, expiry and the detail budget account direct keys by their UTF-8 size', () => {
    const { engine, stream } = setup(1, { recordDetailBudget: 5000 });
    let bytes = 0;
    for (let i = 0; i < 9000; i++) {
      const key = i % 3 === 0 ? `ключ-${i}` : `k-${i}`;
      engine.core.putRecordFast(stream, key, 5);
      bytes += 5 + new TextEncoder().encode(key).length;
      if (i % 500 === 499) engine.advanceTime(1000);
    }
    const snap = engine.snapshot('s');
    expect(snap?.retainedRecords[0]).toBe(9000);
    expect(snap?.retainedBytes[0]).toBe(bytes);
    expect(stream.detailRecords).toBeLessThanOrEqual(5000);
    expect(snap?.countOnly[0]).toBe(9000 - stream.detailRecords);
    // The oldest readable record is the first one still held in detail, with its exact key.
    const [first] = readAll(engine, 'shardId-000000000000');
    const firstOrdinal = stream.shards[0]?.log.firstReadableOrdinal ?? 0;
    const i = firstOrdinal;
    expect(first?.PartitionKey).toBe(i % 3 === 0 ? `ключ-${i}` : `k-${i}`);
    engine.advanceTime(25 * HOUR);
    expect(engine.snapshot('s')?.retainedBytes[0]).toBe(0);
    expect(stream.retainedRecords).toBe(0);
  });
});
