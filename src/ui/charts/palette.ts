/**
 * Per-shard line colours and legend/marker shapes: each shard differs from the others in both, so colour is
 * never the only signal. A shard's colour and shape follow from its ShardId (its shard index), never from
 * its rank or position in a list, so a shard looks the same in every chart and at every refresh.
 * 8 colours × 7 shapes (coprime counts): the first 56 shard indexes all differ in colour or shape.
 * (Dashed lines would do it too, but recharts measures every dashed path's length on each render.)
 */
export const SHARD_COLOURS = [
  '#2563eb',
  '#d97706',
  '#059669',
  '#7c3aed',
  '#db2777',
  '#0891b2',
  '#65a30d',
  '#475569',
] as const;
export const SHARD_SHAPES = ['circle', 'square', 'triangle', 'diamond', 'star', 'cross', 'wye'] as const;
export type ShardShape = (typeof SHARD_SHAPES)[number];

/** The shard index in a ShardId: shardId-000000000012 → 12 (0 if there is none). */
export function shardIndexOf(shardId: string): number {
  const digits = /(\d+)$/.exec(shardId)?.[1];
  return digits === undefined ? 0 : Number(digits);
}

/** A shard's line colour and shape, from its ShardId alone. */
export function shardStyle(shardId: string): { stroke: string; shape: ShardShape } {
  const index = shardIndexOf(shardId);
  return {
    stroke: SHARD_COLOURS[index % SHARD_COLOURS.length] ?? SHARD_COLOURS[0],
    shape: SHARD_SHAPES[index % SHARD_SHAPES.length] ?? SHARD_SHAPES[0],
  };
}

export const LIMIT_COLOUR = '#b91c1c';
