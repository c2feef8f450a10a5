import { ReferenceDot, Symbols } from 'recharts';
import type { ShardShape } from './palette';

/**
 * End-of-line markers: each series' legend shape at its newest point, so lines differ in shape, not only
 * in colour (the legend pairs shapes with ShardIds). A marker on every few points costs recharts a dot layer
 * per line, and text labels cost it a text measurement each render; one bare reference dot per line is
 * nearly free. Call it as a function inside a chart, not as a component.
 */
export function seriesEndMarkers(
  series: { key: string; shape: ShardShape; stroke: string; value: number }[],
  lastX: number,
) {
  return series.map(({ key, shape, stroke, value }) => (
    <ReferenceDot
      key={`end-${key}`}
      x={lastX}
      y={value}
      shape={(props: { cx?: number; cy?: number }) => (
        <Symbols
          cx={props.cx ?? 0}
          cy={props.cy ?? 0}
          type={shape}
          size={64}
          fill={stroke}
          stroke="#ffffff"
        />
      )}
    />
  ));
}
