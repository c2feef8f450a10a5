import { describe, expect, it } from 'vitest';
import { shardIndexOf, shardStyle } from './palette';

const id = (n: number) => `shardId-${String(n).padStart(12, '0')}`;

describe('shard styles', () => {
  it('come from the ShardId alone, whatever the order shards are listed in', () => {
    const ids = [7, 3, 12, 0].map(id);
    const first = ids.map(shardStyle);
    const reordered = [...ids].reverse().map(shardStyle).reverse();
    expect(reordered).toEqual(first);
    expect(shardIndexOf(id(12))).toBe(12);
  });

  it('tell the first 56 shards apart by colour or shape', () => {
    const seen = new Set<string>();
    for (let n = 0; n < 56; n++) {
      const s = shardStyle(id(n));
      seen.add(`${s.stroke}|${s.shape}`);
    }
    expect(seen.size).toBe(56);
  });
});
