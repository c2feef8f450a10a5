// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { diagnoseShards, type KeyRate, type ShardLoad } from './diagnosis';
import { createStreamHashRanges } from './hashKey';

const [whole] = createStreamHashRanges(1);
const quarters = createStreamHashRanges(4);

function shard(
  id: number,
  range: { start: bigint; end: bigint },
  demand: number,
  throttled: number,
): ShardLoad {
  return {
    shardId: `shardId-${String(id).padStart(12, '0')}`,
    startingHashKey: range.start.toString(),
    endingHashKey: range.end.toString(),
    demandPerSecond: demand,
    throttledPerSecond: throttled,
  };
}

function key(name: string, at: bigint, shardId: string, rate: number): KeyRate {
  return { partitionKey: name, hashKey: at.toString(), shardId, recordsPerSecond: rate };
}

/** SplitShard's rule for NewStartingHashKey. */
function expectValidSplit(s: ShardLoad, k: string | undefined): bigint {
  expect(k).toBeDefined();
  const v = BigInt(k as string);
  expect(v >= BigInt(s.startingHashKey) + 2n).toBe(true);
  expect(v <= BigInt(s.endingHashKey) - 1n).toBe(true);
  return v;
}

describe('diagnoseShards', () => {
  it('one key over 1,000 records/s is a hot key: no split suggested', () => {
    const s = shard(0, quarters[0]!, 1500, 500);
    const [d] = diagnoseShards([s], [key('hot', 1000n, s.shardId, 1400), key('cold', 2000n, s.shardId, 100)]);
    expect(d).toMatchObject({ shardId: s.shardId, verdict: 'hot-key', limitPerSecond: 1000 });
    expect(d?.suggestedNewStartingHashKey).toBeUndefined();
    expect(d?.topKey?.partitionKey).toBe('hot');
    expect(d?.topKeyShare).toBeCloseTo(1400 / 1500);
    expect(d?.explanation).toContain('"hot"');
  });

  it('many keys over the limit together are a hot shard, split between two equal keys', () => {
    const range = quarters[1]!;
    const s = shard(1, range, 1600, 600);
    const a = range.start + 1000n;
    const b = range.end - 1000n;
    const [d] = diagnoseShards([s], [key('a', a, s.shardId, 800), key('b', b, s.shardId, 800)]);
    expect(d?.verdict).toBe('hot-shard');
    const k = expectValidSplit(s, d?.suggestedNewStartingHashKey);
    // 'a' ends in the lower child [start, k − 1], 'b' in the upper [k, end]: 800 records/s each.
    expect(a < k && k <= b).toBe(true);
    expect(d?.explanation).toContain(String(k));
  });

  it('splits exactly just after a key even in the widest range (BigInt precision)', () => {
    const s = shard(0, whole!, 2000, 1000);
    // Two keys 2^75 apart near the middle: a float fraction could not tell them apart.
    const a = 2n ** 127n;
    const b = a + 2n ** 75n;
    const [d] = diagnoseShards(
      [s],
      [key('a', a, s.shardId, 999), key('b', b, s.shardId, 999), key('c', 3n, s.shardId, 2)],
    );
    const k = expectValidSplit(s, d?.suggestedNewStartingHashKey);
    // Below k: c (2) + a (999) = 1001; above: b (999) — the key-aware half.
    expect(k).toBe(a + 1n);
  });

  it('unknown demand spread evenly: the split is the middle of the range, exactly', () => {
    const range = quarters[2]!;
    const s = shard(2, range, 3000, 1000);
    const [d] = diagnoseShards([s], []);
    const k = expectValidSplit(s, d?.suggestedNewStartingHashKey);
    const middle = range.start + (range.end - range.start + 1n) / 2n;
    // 53-bit demand fraction: off by at most width / 2^53.
    const tolerance = (range.end - range.start) >> 52n;
    expect(k - middle <= tolerance && middle - k <= tolerance).toBe(true);
  });

  it('halves known keys plus the evenly spread rest', () => {
    // Demand 1,200: one key of 600 at the very start, 600 spread over the range → the split sits just after
    // the key (600 below, 600 above).
    const range = quarters[3]!;
    const s = shard(3, range, 1200, 200);
    const [d] = diagnoseShards([s], [key('first', range.start + 5n, s.shardId, 600)]);
    const k = expectValidSplit(s, d?.suggestedNewStartingHashKey);
    expect(k).toBe(range.start + 6n);
    // 300 records/s of spread demand and a 900 key at the start: the split moves into the spread part.
    const [e] = diagnoseShards([{ ...s, demandPerSecond: 1500 }], [key('k', range.start, s.shardId, 900)]);
    const k2 = expectValidSplit(s, e?.suggestedNewStartingHashKey);
    // Lower child: the key (900) alone is already over half (750), so the split goes at or just after it.
    expect(k2 <= range.start + 2n).toBe(true);
  });

  it('small ranges: the split stays inside [Start + 2, End − 1]', () => {
    const s = shard(0, { start: 10n, end: 20n }, 2000, 500);
    const [d] = diagnoseShards([s], [key('a', 12n, s.shardId, 500), key('b', 18n, s.shardId, 500)]);
    const k = expectValidSplit(s, d?.suggestedNewStartingHashKey);
    expect(k > 12n && k <= 18n).toBe(true);
    // No split is possible in a range of 3 keys.
    const [tiny] = diagnoseShards([shard(0, { start: 10n, end: 12n }, 2000, 500)], []);
    expect(tiny?.suggestedNewStartingHashKey).toBeUndefined();
  });

  it('lists only throttled shards, and counts only their own keys', () => {
    const busy = shard(0, quarters[0]!, 1500, 500);
    const calm = shard(1, quarters[1]!, 900, 0);
    const result = diagnoseShards(
      [busy, calm],
      [key('elsewhere', quarters[1]!.start, calm.shardId, 2000), key('mine', 7n, busy.shardId, 400)],
    );
    expect(result.map((d) => d.shardId)).toEqual([busy.shardId]);
    expect(result[0]).toMatchObject({ verdict: 'hot-shard', topKey: { partitionKey: 'mine' } });
    expect(diagnoseShards([calm], [])).toEqual([]);
  });
});
