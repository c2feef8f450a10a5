import type { StreamSnapshot } from '../../worker/engineTypes';

/** Short shard label for axes: shardId-000000000012 → #12. */
export const shortShardId = (shardId: string) => `#${Number(shardId.slice(shardId.indexOf('-') + 1))}`;

/** How many shards a time-series chart draws as separate lines; the rest are summarised. */
export const MAX_LINES = 8;

/** Up to this many shards a per-shard bar chart draws every shard; past it, the BAR_LIMIT busiest. */
export const ALL_BARS_UP_TO = 24;
export const BAR_LIMIT = 20;

/** Per-shard sum of a shard-major series over its last `window` seconds (a chart's window: seconds − from). */
export function recentSum(
  series: Float32Array | Float64Array,
  shards: number,
  seconds: number,
  window: number,
): Float64Array {
  const out = new Float64Array(shards);
  for (let s = 0; s < shards; s++) {
    let sum = 0;
    for (let t = Math.max(0, seconds - window); t < seconds; t++) sum += series[s * seconds + t] as number;
    out[s] = sum;
  }
  return out;
}

/** Positions of the `limit` shards with the largest values, largest first (ties by position). */
export function topShards(values: Float64Array, limit: number): number[] {
  return Array.from(values.keys())
    .sort((a, b) => (values[b] as number) - (values[a] as number) || a - b)
    .slice(0, limit);
}

export interface TimeRow {
  /** The series index of the second. */
  t: number;
  /** The second's start, virtual epoch ms: the x axis (virtual time). */
  atMs: number;
  [series: string]: number;
}

/**
 * Rows for a per-second line chart of some shards: one row per second, one column per shard (by short id),
 * plus, when `max` is given, `max` over every shard (`max(s, t)`, usually the same as `value`). Work is
 * shown shards × seconds, plus shards × seconds for the max only when asked. Only the seconds from series
 * index `from` on (a chart's time window, see timeWindow) are listed.
 */
export function timeRows(
  stream: StreamSnapshot,
  shards: number[],
  value: (shard: number, t: number) => number,
  max?: (shard: number, t: number) => number,
  from = 0,
): TimeRow[] {
  const rows: TimeRow[] = [];
  const n = stream.shards.length;
  const keys = shards.map((s) => shortShardId(stream.shards[s]?.shardId ?? ''));
  for (let t = Math.max(0, from); t < stream.seconds; t++) {
    const row: TimeRow = { t, atMs: (stream.firstSecond + t) * 1000 };
    if (max) {
      let most = 0;
      for (let s = 0; s < n; s++) {
        const v = max(s, t);
        if (v > most) most = v;
      }
      row.max = most;
    }
    for (let k = 0; k < shards.length; k++) row[keys[k] as string] = value(shards[k] as number, t);
    rows.push(row);
  }
  return rows;
}

/** Demand per shard per second: accepted + throttled records (what producers tried to write). */
export function demandAt(stream: StreamSnapshot, shard: number, t: number): number {
  const i = shard * stream.seconds + t;
  return (stream.series.incomingRecords[i] ?? 0) + (stream.series.throttledRecords[i] ?? 0);
}

/**
 * One CSV row per shard per second of a snapshot's history from series index `from` (the chart's window)
 * on, for the given series.
 */
export function seriesCsv(
  stream: StreamSnapshot,
  columns: { header: string; series: keyof StreamSnapshot['series'] }[],
  from = 0,
): { headers: string[]; rows: (string | number)[][] } {
  const rows: (string | number)[][] = [];
  for (let t = Math.max(0, from); t < stream.seconds; t++) {
    const second = new Date((stream.firstSecond + t) * 1000).toISOString();
    for (const shard of stream.shards) {
      const i = shard.position * stream.seconds + t;
      rows.push([second, shard.shardId, ...columns.map((c) => stream.series[c.series][i] ?? 0)]);
    }
  }
  return { headers: ['second (UTC)', 'ShardId', ...columns.map((c) => c.header)], rows };
}
