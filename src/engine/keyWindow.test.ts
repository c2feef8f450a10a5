// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { hashKeyOfPartitionKey } from './hashKey';
import { HotKeySketch } from './hotKeys';
import { KeyTable } from './keyTable';
import { ExplicitTally, KeyWindow } from './keyWindow';
import { DIAGNOSIS_WINDOW_SECONDS, EXPLICIT_TALLY_MAX_KEYS } from './limits';

const words = (key: string) => hashKeyOfPartitionKey(key, new Uint32Array(4));

describe('KeyWindow', () => {
  it('keeps the hottest keys of each of the last DIAGNOSIS_WINDOW_SECONDS completed seconds', () => {
    const window = new KeyWindow();
    const sketch = new HotKeySketch(new KeyTable());
    const tally = new ExplicitTally();
    for (let second = 100; second < 100 + DIAGNOSIS_WINDOW_SECONDS + 2; second++) {
      sketch.addHash(words(`k${second}`), 0, `k${second}`, second, 0, second * 10);
      window.close(second, sketch, tally, () => 3);
      sketch.reset();
    }
    const last = 100 + DIAGNOSIS_WINDOW_SECONDS + 1;
    expect(window.at(last)).toEqual([
      expect.objectContaining({ partitionKey: `k${last}`, records: last, bytes: last * 10, shardIndex: 3 }),
    ]);
    // Older seconds are gone from the ring; a second with nothing written has no keys.
    expect(window.at(last - DIAGNOSIS_WINDOW_SECONDS)).toEqual([]);
    expect(window.at(last + 1)).toEqual([]);
  });
});

describe('ExplicitTally', () => {
  it('sums one partition key per shard exactly, whatever the number of hash keys', () => {
    const tally = new ExplicitTally();
    for (let i = 0; i < 10_000; i++)
      tally.add('device-1', i % 4, new Uint32Array([i, 0, 0, 0]), 1, i % 10 === 0 ? 1 : 0, 108);
    const groups = tally.drain().sort((a, b) => a.shardIndex - b.shardIndex);
    expect(
      groups.map((g) => [g.partitionKey, g.shardIndex, g.records, g.throttled, g.bytes, g.error]),
    ).toEqual([
      ['device-1', 0, 2500, 500, 270_000, 0],
      ['device-1', 1, 2500, 0, 270_000, 0],
      ['device-1', 2, 2500, 500, 270_000, 0],
      ['device-1', 3, 2500, 0, 270_000, 0],
    ]);
    expect(tally.empty).toBe(true);
  });

  it('past EXPLICIT_TALLY_MAX_KEYS partition keys in a second, says its sums may be low', () => {
    const tally = new ExplicitTally();
    for (let i = 0; i <= EXPLICIT_TALLY_MAX_KEYS; i++) tally.add(`p${i}`, 0, new Uint32Array(4), 1, 0, 1);
    const groups = tally.drain();
    expect(groups).toHaveLength(EXPLICIT_TALLY_MAX_KEYS);
    expect(groups.every((g) => g.error === -1)).toBe(true);
  });
});
