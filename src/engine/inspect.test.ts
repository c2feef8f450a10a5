// @vitest-environment node
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine } from './index';
import { inspectPartitionKey } from './inspect';

interface KeyVector {
  PartitionKey: string;
  hashKey: string;
  shardIndex: Record<string, number>;
}
// Reference vectors computed with Python (fixtures/make-vectors.py).
const vectors = JSON.parse(
  readFileSync(new URL('./fixtures/partition-keys.json', import.meta.url), 'utf8'),
) as KeyVector[];

function streamOf(shards: number) {
  const engine = createEngine({ transitionMs: 0 });
  engine.call('CreateStream', { StreamName: 's', ShardCount: shards });
  const stream = engine.core.stream('s');
  if (!stream) throw new Error('no stream');
  return stream;
}

/** What node says: UTF-8 (lone surrogates as U+FFFD, like TextEncoder) and MD5. */
const utf8Hex = (key: string) => [...Buffer.from(key, 'utf8')].map((b) => b.toString(16).padStart(2, '0'));
const md5 = (key: string) => createHash('md5').update(Buffer.from(key, 'utf8')).digest('hex');

describe('inspectPartitionKey', () => {
  const four = streamOf(4);

  it('matches the reference vectors: hash key in decimal and the shard of a 4-shard stream', () => {
    expect(vectors.length).toBeGreaterThan(100);
    for (const v of vectors) {
      const r = inspectPartitionKey(four, v.PartitionKey);
      expect(r, v.PartitionKey).toBeDefined();
      expect(r?.hashKey).toBe(v.hashKey);
      expect(r?.shardId).toBe(`shardId-${String(v.shardIndex['4']).padStart(12, '0')}`);
      expect(r?.explicit).toBe(false);
      // The shard's range holds the hash key.
      expect(BigInt(r?.startingHashKey ?? -1) <= BigInt(v.hashKey)).toBe(true);
      expect(BigInt(v.hashKey) <= BigInt(r?.endingHashKey ?? -1)).toBe(true);
    }
  });

  it.each([
    ['ascii', 'user-1'],
    ['two-byte', 'é'],
    ['three-byte', 'ключ€'],
    ['astral (surrogate pair)', '😀🚀'],
    ['lone high surrogate', 'a\ud83d'],
    ['lone low surrogate', '\ude00b'],
    ['reversed pair', '\ude00\ud83d'],
    ['256 units of 3 bytes', '€'.repeat(256)],
  ])('%s: UTF-8 bytes and MD5 agree with node:crypto', (_, key) => {
    const r = inspectPartitionKey(four, key);
    const bytes = utf8Hex(key);
    expect(r?.utf8Hex).toBe(bytes.join(' '));
    expect(r?.utf8Length).toBe(bytes.length);
    expect(r?.md5Hex).toBe(md5(key));
    // The hash key is the digest read as an unsigned big-endian integer.
    expect(r?.hashKey).toBe(BigInt(`0x${md5(key)}`).toString());
    expect(r?.fraction).toBeGreaterThanOrEqual(0);
    expect(r?.fraction).toBeLessThan(1);
  });

  it('an ExplicitHashKey overrides the MD5 and routes by its value', () => {
    const top = (2n ** 128n - 1n).toString();
    const r = inspectPartitionKey(four, 'ignored', top);
    expect(r).toMatchObject({ explicit: true, md5Hex: '', hashKey: top, shardId: 'shardId-000000000003' });
    // The bytes are still the partition key's.
    expect(r?.utf8Hex).toBe(utf8Hex('ignored').join(' '));
    const edge = inspectPartitionKey(four, 'k', '85070591730234615865843651857942052864'); // shard 1's start
    expect(edge?.shardId).toBe('shardId-000000000001');
    expect(inspectPartitionKey(four, 'k', '85070591730234615865843651857942052863')?.shardId).toBe(
      'shardId-000000000000',
    );
    expect(inspectPartitionKey(four, 'k', '0')).toMatchObject({ hashKey: '0', fraction: 0 });
  });

  it.each([
    ['2^128', (2n ** 128n).toString()],
    ['negative', '-1'],
    ['leading zero', '007'],
    ['not a number', 'abc'],
    ['decimal point', '1.5'],
    ['40 digits', '1'.repeat(40)],
  ])('an invalid ExplicitHashKey (%s) gives undefined', (_, ehk) => {
    expect(inspectPartitionKey(four, 'k', ehk)).toBeUndefined();
  });

  it('an empty ExplicitHashKey counts as none', () => {
    expect(inspectPartitionKey(four, 'hello', '')).toMatchObject({ explicit: false, md5Hex: md5('hello') });
  });
});
