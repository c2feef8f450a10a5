import type { ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { StreamSnapshot } from '../../worker/engineTypes';
import { formatVirtualSecond } from '../format';
import type { TimeRow } from './chartData';
import { shortShardId } from './chartData';
import { shardStyle } from './palette';
import { seriesEndMarkers } from './seriesMarkers';
import { axisWidth, formatTimeTick, type TimeWindow, timeTicks, valueTicks } from './timeAxis';

/** The x axis's title: the charts draw virtual time, never wall time. */
export const TIME_AXIS_LABEL = 'virtual time (UTC)';

/** The x axis of a chart over virtual time (epoch ms in `atMs`): round ticks, labelled as virtual time. */
export function virtualTimeAxis(startMs: number, endMs: number, dataKey = 'atMs') {
  const span = endMs - startMs;
  return (
    <XAxis
      dataKey={dataKey}
      type="number"
      scale="time"
      domain={[startMs, Math.max(endMs, startMs + 1000)]}
      ticks={timeTicks(startMs, endMs)}
      tickFormatter={(ms: number) => formatTimeTick(ms, span)}
      label={{ value: TIME_AXIS_LABEL, position: 'insideBottom', offset: -2 }}
      height={44}
    />
  );
}

/** A value axis from 0 with round ticks up to `max`, wide enough for its longest label at `fontPx`. */
export function valueAxis(options: {
  max: number;
  format: (value: number) => string;
  fontPx: number;
  yAxisId?: string;
  orientation?: 'left' | 'right';
  integers?: boolean;
}) {
  const ticks = valueTicks(options.max, 5, options.integers ?? true);
  return (
    <YAxis
      yAxisId={options.yAxisId ?? 0}
      orientation={options.orientation ?? 'left'}
      ticks={ticks}
      domain={[0, ticks[ticks.length - 1] ?? 1]}
      tickFormatter={options.format}
      width={axisWidth(ticks, options.format, options.fontPx)}
      interval={0}
    />
  );
}

/**
 * A line per shard over the chart's time window (x: virtual time), each in its shard's own colour and
 * legend shape (from its ShardId, the same in every chart) with a marker at its newest point. Used by the
 * throughput, throttling and retention views. Call it as a function (recharts wants its parts as direct
 * children).
 */
export function shardLinesChart(options: {
  stream: StreamSnapshot;
  rows: TimeRow[];
  window: TimeWindow;
  /** Positions of the shards to draw (the legend lists them in ShardId order). */
  shown: number[];
  ariaLabel: string;
  height: number;
  formatY: (value: number) => string;
  /** Chart text size (px), for the y axis's width. */
  fontPx: number;
  /** A value the y axis must reach besides the data (e.g. the limit line). */
  yAtLeast?: number;
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
  let max = options.yAtLeast ?? 0;
  for (const row of rows)
    for (const [key, value] of Object.entries(row))
      if (key !== 't' && key !== 'atMs' && value > max) max = value;
  return (
    <LineChart
      // One Tab stop per chart: its toolbar; the data table is the keyboard way through its points.
      accessibilityLayer={false}
      width={720}
      height={options.height}
      data={rows}
      margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
      role="img"
      aria-label={`${options.ariaLabel}, ${options.window.caption}`}
    >
      <CartesianGrid strokeDasharray="3 3" />
      {virtualTimeAxis(options.window.startMs, options.window.endMs)}
      {valueAxis({ max, format: options.formatY, fontPx: options.fontPx })}
      <Tooltip labelFormatter={(ms) => formatVirtualSecond(Number(ms) / 1000)} />
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
      {last
        ? seriesEndMarkers(
            styled.map(({ key, style }) => ({
              key,
              shape: style.shape,
              stroke: style.stroke,
              value: Number(last[key] ?? 0),
            })),
            last.atMs,
          )
        : null}
    </LineChart>
  );
}
