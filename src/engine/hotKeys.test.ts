// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { hashKeyOfPartitionKey } from './hashKey';
import { HotKeySketch } from './hotKeys';
import { KeyTable } from './keyTable';

const words = (key: string) => hashKeyOfPartitionKey(key, new Uint32Array(4));

describe('HotKeySketch', () => {
  it('is exact while at most exactKeys distinct keys are seen (interned and direct keys alike)', () => {
    const keys = new KeyTable();
    const sketch = new HotKeySketch(keys, { capacity: 16, exactKeys: 64 });
    const truth = new Map<string, { count: number; throttled: number }>();
    for (let k = 0; k < 60; k++) {
      const key = `key-${k}`;
      const id = k % 2 === 0 ? keys.intern(key) : -1;
      for (let i = 0; i <= (k * 7) % 23; i++) {
        const throttled = i % 3 === 0 ? 1 : 0;
        // Even keys are counted by id, odd keys by hash words and string: one entry per key either way.
        if (id >= 0 && i % 2 === 0) sketch.addKey(id, 1, throttled);
        else sketch.addHash(words(key), 0, key, 1, throttled);
        const t = truth.get(key) ?? { count: 0, throttled: 0 };
        t.count++;
        t.throttled += throttled;
        truth.set(key, t);
      }
    }
    expect(sketch.exact).toBe(true);
    const top = sketch.top(100);
    expect(top).toHaveLength(60);
    for (const entry of top) {
      expect(entry.error).toBe(0);
      expect(entry.count).toBe(truth.get(entry.partitionKey)?.count);
      expect(entry.throttled).toBe(truth.get(entry.partitionKey)?.throttled);
      expect(Array.from(entry.hashKey)).toEqual(Array.from(words(entry.partitionKey)));
    }
    for (let i = 1; i < top.length; i++) expect(top[i - 1]!.count).toBeGreaterThanOrEqual(top[i]!.count);
  });

  it('beyond exactKeys: finds heavy hitters among many distinct keys; count ≥ true ≥ count − error', () => {
    const keys = new KeyTable();
    const sketch = new HotKeySketch(keys, { capacity: 64, exactKeys: 256, width: 1024 });
    const truth = new Map<string, number>();
    const add = (key: string) => {
      sketch.addHash(words(key), 0, key, 1, 0);
      truth.set(key, (truth.get(key) ?? 0) + 1);
    };
    let total = 0;
    for (let i = 0; i < 20_000; i++) {
      add(`cold-${i}`);
      total++;
      if (i % 5 === 0) {
        add('heavy-1');
        total++;
      }
      if (i % 10 === 0) {
        add('heavy-2');
        total++;
      }
      if (i % 50 === 0) {
        add('warm');
        total++;
      }
    }
    expect(sketch.exact).toBe(false);
    expect(sketch.total).toBe(total);
    expect(sketch.monitored).toBe(64);
    const top = sketch.top(64);
    expect(top.slice(0, 3).map((t) => t.partitionKey)).toEqual(['heavy-1', 'heavy-2', 'warm']);
    for (const entry of top) {
      const real = truth.get(entry.partitionKey) ?? 0;
      expect(entry.count).toBeGreaterThanOrEqual(real);
      expect(entry.count - entry.error).toBeLessThanOrEqual(real);
    }
    // The heavy keys were monitored from the switch on, with exact counts.
    expect(top[0]).toMatchObject({ count: 4000, error: 0 });
    expect(top[1]).toMatchObject({ count: 2000, error: 0 });
    // No key references are taken: the key table is untouched.
    expect(keys.size).toBe(0);
  });

  it('admits a key that becomes hot after the switch, never under-counting it', () => {
    const keys = new KeyTable();
    const sketch = new HotKeySketch(keys, { capacity: 8, exactKeys: 32, width: 256 });
    for (let i = 0; i < 5000; i++) sketch.addHash(words(`c${i}`), 0, `c${i}`, 1, 0);
    const late = words('late');
    for (let i = 0; i < 300; i++) sketch.addHash(late, 0, 'late', 1, i % 2);
    const [first] = sketch.top(1);
    expect(first?.partitionKey).toBe('late');
    expect(first!.count).toBeGreaterThanOrEqual(300);
    expect(first!.count - first!.error).toBeLessThanOrEqual(300);
    expect(first!.error).toBeLessThan(5000 / 256 + 40);
    expect(first!.throttled).toBeLessThanOrEqual(150);
  });

  it('keeps counting monitored keys exactly among a million distinct keys (no lookup for the others)', () => {
    const keys = new KeyTable();
    const sketch = new HotKeySketch(keys);
    const hot = words('hot');
    for (let i = 0; i < 1_000_000; i++) {
      const key = `user-${i}`;
      sketch.addHash(words(key), 0, key, 1, 0);
      if (i % 100 === 0) sketch.addHash(hot, 0, 'hot', 1, i % 200 === 0 ? 1 : 0);
    }
    const [first] = sketch.top(1);
    expect(sketch.exact).toBe(false);
    expect(first).toMatchObject({ partitionKey: 'hot', count: 10_000, throttled: 5_000, error: 0 });
  });

  it('moves its counters to doubles once the total passes 2^31 − 1, never under-counting', () => {
    const keys = new KeyTable();
    const sketch = new HotKeySketch(keys, { capacity: 4, exactKeys: 8, width: 64 });
    for (let i = 0; i < 100; i++) sketch.addHash(words(`k${i}`), 0, `k${i}`, 1, 0);
    const big = 2 ** 30;
    const heavy = words('heavy');
    for (let i = 0; i < 5; i++) sketch.addHash(heavy, 0, 'heavy', big, 0); // total passes 2^32
    for (let i = 0; i < 100; i++) sketch.addHash(words(`m${i}`), 0, `m${i}`, 3, 0);
    sketch.addHash(heavy, 0, 'heavy', 7, 0);
    expect(sketch.total).toBe(100 + 5 * big + 300 + 7);
    const [first] = sketch.top(1);
    expect(first?.partitionKey).toBe('heavy');
    expect(first!.count).toBeGreaterThanOrEqual(5 * big + 7);
    expect(first!.count - first!.error).toBeLessThanOrEqual(5 * big + 7);
  });
});

describe('HotKeySketch per second (reset and hottest)', () => {
  it('hottest: by count, then the more throttled, then first seen; at most `limit`', () => {
    const sketch = new HotKeySketch(new KeyTable(), { capacity: 16, exactKeys: 64 });
    sketch.addHash(words('a'), 0, 'a', 3, 0, 30);
    sketch.addHash(words('b'), 0, 'b', 3, 2, 30);
    sketch.addHash(words('c'), 0, 'c', 5, 0, 50);
    sketch.addHash(words('d'), 0, 'd', 1, 0, 10);
    sketch.addHash(words('e'), 0, 'e', 3, 0, 30);
    expect(sketch.hottest(4).map((k) => [k.partitionKey, k.count, k.throttled, k.bytes])).toEqual([
      ['c', 5, 0, 50],
      ['b', 3, 2, 30],
      ['a', 3, 0, 30],
      ['e', 3, 0, 30],
    ]);
  });

  it('a reset starts a new second: in sketch mode it stays there, counters zeroed, hot keys exact again', () => {
    const sketch = new HotKeySketch(new KeyTable(), { capacity: 8, exactKeys: 16, width: 1024 });
    for (let second = 0; second < 3; second++) {
      // Many one-off keys (sketch mode) and one hot key of this second.
      for (let i = 0; i < 500; i++)
        sketch.addHash(words(`cold-${second}-${i}`), 0, `cold-${second}-${i}`, 1, 0);
      for (let i = 0; i < 300; i++) sketch.addHash(words(`hot-${second}`), 0, `hot-${second}`, 1, i % 2);
      expect(sketch.exact).toBe(false);
      const [top] = sketch.hottest(1);
      expect(top?.partitionKey).toBe(`hot-${second}`);
      // Never below the truth, above it by at most `error`; nothing carried over from the second before.
      expect(top?.count).toBeGreaterThanOrEqual(300);
      expect((top?.count ?? 0) - (top?.error ?? 0)).toBeLessThanOrEqual(300);
      expect(sketch.total).toBe(800);
      expect(sketch.hottest(8).some((k) => k.partitionKey === `hot-${second - 1}`)).toBe(false);
      sketch.reset();
      expect(sketch.total).toBe(0);
      expect(sketch.hottest(8)).toEqual([]);
    }
  });
});
