import { Symbols } from 'recharts';
import type { SERIES_STYLES } from './palette';

type Shape = (typeof SERIES_STYLES)[number]['shape'];
const recharts = (shape: Shape) => (shape === 'rect' ? 'square' : shape);

/** Every this many points a line carries its legend shape, so series differ in shape, not only colour. */
const MARKER_EVERY = 20;

/**
 * A `dot` renderer for recharts lines: the series' legend shape at sparse points, staggered by series so
 * markers of neighbouring lines do not sit on top of each other.
 */
export function seriesMarkers(shape: Shape, stroke: string, seriesIndex: number) {
  const offset = (seriesIndex * 5) % MARKER_EVERY;
  // A render function recharts calls per point (not a component).
  return (props: { cx?: number; cy?: number; index?: number }) => {
    const { cx, cy, index } = props;
    if (cx === undefined || cy === undefined || index === undefined || index % MARKER_EVERY !== offset) {
      return <g key={`m-${index ?? 0}`} />;
    }
    return (
      <Symbols
        key={`m-${index}`}
        cx={cx}
        cy={cy}
        type={recharts(shape)}
        size={48}
        fill={stroke}
        stroke="#ffffff"
      />
    );
  };
}
