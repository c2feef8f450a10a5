import type { ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { StreamSnapshot } from '../../worker/engineTypes';
import type { TimeRow } from './chartData';
import { shortShardId } from './chartData';
import { shardStyle } from './palette';
import { seriesEndMarkers } from './seriesMarkers';

/**
 * A line per shard over the snapshot's last seconds (x: seconds before now), each in its shard's own colour
 * and legend shape (from its ShardId, the same in every chart) with a marker at its newest point. Used by
 * the throughput, throttling and retention views. Call it as a function (recharts wants its parts as direct
 * children).
 */
export function shardLinesChart(options: {
  stream: StreamSnapshot;
  rows: TimeRow[];
  /** Positions of the shards to draw (the legend lists them in ShardId order). */
  shown: number[];
  ariaLabel: string;
  height: number;
  formatY: (value: number) => string;
  /** How to name and draw one shard's line (e.g. thicker when over its limit). */
  lineFor?: (position: number, key: string) => { name: string; width: number };
  /** Reference lines and summary lines drawn under the shard lines. */
  extra?: ReactNode;
}) {
  const { stream, rows, shown } = options;
  // Colour and shape by ShardId, never by rank: a shard keeps its look when the busiest ones change places.
  const styled = [...shown]
    .sort((a, b) => a - b)
    .map((position) => {
      const shardId = stream.shards[position]?.shardId ?? '';
      return { position, key: shortShardId(shardId), style: shardStyle(shardId) };
    });
  const last = rows[rows.length - 1];
  return (
    <LineChart
      width={720}
      height={options.height}
      data={rows}
      margin={{ top: 8, right: 24, bottom: 8, left: 16 }}
      role="img"
      aria-label={options.ariaLabel}
    >
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="t" type="number" domain={['dataMin', 0]} tickFormatter={(t: number) => `${t}s`} />
      <YAxis tickFormatter={options.formatY} width={80} />
      <Tooltip labelFormatter={(t) => `${String(t)} s`} />
      <Legend />
      {options.extra}
      {styled.map(({ position, key, style }) => {
        const line = options.lineFor?.(position, key) ?? { name: key, width: 1.5 };
        return (
          <Line
            key={key}
            dataKey={key}
            name={line.name}
            stroke={style.stroke}
            legendType={style.shape}
            strokeWidth={line.width}
            dot={false}
            isAnimationActive={false}
          />
        );
      })}
      {seriesEndMarkers(
        styled.map(({ key, style }) => ({
          key,
          shape: style.shape,
          stroke: style.stroke,
          value: Number(last?.[key] ?? 0),
        })),
        -1,
      )}
    </LineChart>
  );
}
