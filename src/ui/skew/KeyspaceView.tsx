import { type KeyboardEvent, memo, useEffect, useMemo, useRef, useState } from 'react';
import { useSim } from '../../state/SimStoreProvider';
import { selectLimits } from '../../state/selectors';
import type { SimState } from '../../state/store';
import type { StreamSnapshot } from '../../worker/engineTypes';
import { AGGREGATE_COUNTS, AggregateNote } from '../AggregateNote';
import { ChartFrame } from '../charts/ChartFrame';
import { demandAt, shortShardId } from '../charts/chartData';
import { useChartFontPx } from '../charts/chartFont';
import { TIME_AXIS_LABEL } from '../charts/ShardLinesChart';
import { formatTimeTick, timeTicks } from '../charts/timeAxis';
import { useTimeWindow } from '../charts/useTimeWindow';
import { formatCount } from '../format';
import { useViewStream } from '../useViewStream';
import { useKeyspaceSplit } from './KeyspaceSplit';
import { placeLabels } from './keyLabels';
import { markReason, useKeyMark } from './keyMarker';
import './keyspace.css';

const selectViewGeneration = (s: SimState) => s.viewGeneration;

const WIDTH = 720;
const HEAT_HEIGHT = 180;
/** How many of the hottest keys are marked. */
const MARKED_KEYS = 12;
/** Rows of key labels above the bar: labels that fit on neither are left out, never overlapped. */
const LABEL_ROWS = 2;
/** The teaching mark's colour (a key put or inspected by hand): violet, and a diamond, not a triangle. */
const MARK_COLOUR = '#6d28d9';

/** The canvas's vertical layout at a chart text size (Large type grows the labels and the bar with them). */
function layoutFor(fontPx: number) {
  const labelRow = Math.ceil(fontPx * 1.35);
  const marks = LABEL_ROWS * labelRow + 14;
  const bar = Math.max(56, Math.ceil(fontPx * 2 * 1.35 + 14));
  const heatTop = marks + bar + 12;
  return { labelRow, marks, bar, heatTop, height: heatTop + HEAT_HEIGHT };
}

/** One hot key as drawn: a point (routed by its MD5) or a shard's range (spread by ExplicitHashKeys). */
interface MarkedKey {
  id: string;
  partitionKey: string;
  explicit: boolean;
  /** Where it is drawn in the hash space, as fractions (from = to for a single hash key). */
  from: number;
  to: number;
  /** Its average rate over the window, records/s. */
  rate: number;
}

/**
 * The shard layout of each second of history: which shard holds each heatmap row (its position in the
 * snapshot's arrays, or -1 where no shard was open), so a second is drawn with the shards of that second and
 * a split shows as a boundary appearing. A layout is shared by every second with the same open shards.
 */
interface SecondLayouts {
  /** Per second of history: an index into `rows`. */
  layoutOf: Int32Array;
  rows: Int32Array[];
  /** Per layout: whether its shards are wide enough on screen to draw the boundaries between them. */
  boundaries: boolean[];
}

/** Shards drawn with boundary lines only when each has this many heatmap rows on average. */
const MIN_ROWS_FOR_BOUNDARIES = 4;

/** A shard's demand and throttling over the window, records/s; null for a shard with no completed second. */
interface ShardLoad {
  demand: number | null;
  throttled: number | null;
}

/**
 * A shard's load in words: "1,200 records/s asked (120% of the limit), 200 throttled/s", or that it opened
 * in the second still running (no completed second to measure yet).
 */
function loadWords(load: ShardLoad | undefined, limit?: number): string {
  if (!load || load.demand === null || load.throttled === null)
    return 'opened this second: no completed second to measure yet';
  const share = limit ? ` (${((load.demand / limit) * 100).toFixed(0)}% of the limit)` : '';
  return `${formatCount(load.demand)} records/s asked${share}, ${formatCount(load.throttled)} throttled/s`;
}

/** A rate in a table cell: the count, or "new (opened this second)". */
function countOrNew(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? 'new (opened this second)' : formatCount(rate);
}

/** A shard's rate as printed: "1,200/s", or "new" before its first completed second. */
function rateText(rate: number | null): string {
  return rate === null ? 'new' : `${formatCount(rate)}/s`;
}

function secondLayouts(stream: StreamSnapshot): SecondLayouts {
  // A child takes writes from its openedMs (its parents' close; its CreatedMs is a moment later, as on AWS).
  const shards = stream.shards.map((shard) => ({ shard, opened: shard.openedMs }));
  // Each second is drawn with the shards open at its end. The open set changes only at the instants shards
  // open or close: a second's layout is the number of those instants within the history up to its end.
  const endOf = (t: number) => (stream.firstSecond + t + 1) * 1000 - 1;
  const from = endOf(0);
  const to = endOf(stream.seconds - 1);
  const changes: number[] = [];
  for (const { shard, opened } of shards) {
    if (opened > from && opened <= to) changes.push(opened);
    if (shard.closedMs !== null && shard.closedMs > from && shard.closedMs <= to)
      changes.push(shard.closedMs);
  }
  changes.sort((a, b) => a - b);
  const byRange = shards.slice().sort((a, b) => a.shard.startFraction - b.shard.startFraction);
  const layoutOf = new Int32Array(stream.seconds);
  const rows: Int32Array[] = [];
  const boundaries: boolean[] = [];
  const layoutAt = new Map<number, number>();
  let passed = 0;
  for (let t = 0; t < stream.seconds; t++) {
    const at = endOf(t);
    while (passed < changes.length && (changes[passed] as number) <= at) passed++;
    let layout = layoutAt.get(passed);
    if (layout === undefined) {
      layout = rows.length;
      layoutAt.set(passed, layout);
      const open = byRange.filter(
        ({ shard, opened }) => opened <= at && (shard.closedMs === null || shard.closedMs > at),
      );
      const row = new Int32Array(HEAT_HEIGHT).fill(-1);
      let k = 0;
      for (let y = 0; y < HEAT_HEIGHT && open.length > 0; y++) {
        const f = (y + 0.5) / HEAT_HEIGHT;
        while (k < open.length - 1 && (open[k]?.shard.endFraction ?? 1) < f) k++;
        const shard = open[k]?.shard;
        if (shard && shard.startFraction <= f + 1 / HEAT_HEIGHT) row[y] = shard.position;
      }
      rows.push(row);
      boundaries.push(open.length > 0 && HEAT_HEIGHT / open.length >= MIN_ROWS_FOR_BOUNDARIES);
    }
    layoutOf[t] = layout;
  }
  return { layoutOf, rows, boundaries };
}

/** White → amber → red as load goes from 0 to the limit and beyond. */
function heatRgb(load: number): [number, number, number] {
  const x = Math.max(0, Math.min(load, 1.5)) / 1.5;
  return [255, Math.round(250 - 200 * x), Math.round(240 - 230 * Math.min(1, x * 1.5))];
}

function heatColour(load: number): string {
  const [r, g, b] = heatRgb(load);
  return `rgb(${r},${g},${b})`;
}

/**
 * The 128-bit hash space as a bar of shard ranges (labelled by ShardId, heated by load), where the hottest
 * keys land, and a keyspace × time heatmap in which a hot shard is a bright band and a hot key a streak.
 */
export const KeyspaceView = memo(function KeyspaceView() {
  const stream = useViewStream();
  const limits = useSim(selectLimits);
  // A state, not a ref: the canvas is mounted again when the data table is toggled off, and must be drawn.
  const [canvas, setCanvas] = useState<HTMLCanvasElement | null>(null);
  const [focused, setFocused] = useState<number | null>(null);
  // Each view's hot keys with their rates, for the streaks (keys that left the top still leave their trail).
  const keyHistory = useRef<{ nowMs: number; keys: MarkedKey[] }[]>([]);
  const historyGeneration = useRef(-1);
  const lastSampled = useRef<unknown>(null);
  const viewGeneration = useRef(-1);
  viewGeneration.current = useSim(selectViewGeneration);
  const split = useKeyspaceSplit(stream);
  const fontPx = useChartFontPx();
  const timeSpan = useTimeWindow(stream);
  const from = timeSpan?.from ?? 0;
  const mark = useKeyMark();
  const L = layoutFor(fontPx);
  const { marks: MARKS_HEIGHT, bar: BAR_HEIGHT, heatTop: HEAT_TOP, height: HEIGHT } = L;
  const segmentsRef = useRef<HTMLDivElement>(null);
  // The keyspace bar is one Tab stop: ←/→ move between its shard segments (unless one is placing a split).
  const [activeSegment, setActiveSegment] = useState(0);

  const view = useMemo(() => {
    if (!stream || !limits) return null;
    const limit = limits.recordsPerSecond;
    // The engine's window (the same the hot keys and the diagnosis cover): its last completed seconds.
    const windowSeconds = Math.max(1, Math.min(stream.windowSeconds, stream.seconds));
    // Rates divide by the seconds the stream could take writes in that window (as the diagnosis does), so a
    // young stream's rates are not diluted by seconds before it was ACTIVE.
    const windowEnd = stream.firstSecond + stream.seconds;
    const writable = stream.writableSinceMs === null ? 0 : windowEnd - stream.writableSinceMs / 1000;
    const perSecond = writable > 0 ? Math.min(windowSeconds, writable) : windowSeconds;
    // Nor are a split's or merge's children's: a shard divides by the seconds it was open in the window (from
    // its openedMs). One opened in the second still running has no rate yet (null), not 0.
    const loads = stream.shards.map((s): ShardLoad => {
      const opened = s.openedMs / 1000;
      const seconds = Math.min(perSecond, windowEnd - opened);
      if (seconds <= 0) return { demand: null, throttled: null };
      let demand = 0;
      let throttled = 0;
      for (let t = stream.seconds - windowSeconds; t < stream.seconds; t++) {
        demand += demandAt(stream, s.position, t);
        throttled += stream.series.throttledRecords[s.position * stream.seconds + t] ?? 0;
      }
      return { demand: demand / seconds, throttled: throttled / seconds };
    });
    const shardById = new Map(stream.shards.map((s) => [s.shardId, s]));
    const keys: MarkedKey[] = stream.hotKeys.slice(0, MARKED_KEYS).map((k) => {
      // A key spread over many ExplicitHashKeys in its shard is drawn over that shard's range.
      const shard = k.spread ? shardById.get(k.shardId) : undefined;
      const at = k.fraction;
      return {
        id: `${k.explicit ? 'e' : 'm'}|${k.shardId}|${k.hashKey}|${k.partitionKey}`,
        partitionKey: k.partitionKey,
        explicit: k.spread,
        from: shard ? shard.startFraction : at,
        to: shard ? shard.endFraction : at,
        rate: k.count / windowSeconds,
      };
    });
    // The bar shows the keyspace now: the open shards, in hash key order (closed ones keep only records).
    const open = stream.shards
      .filter((shard) => shard.isOpen)
      .sort((a, b) => a.startFraction - b.startFraction);
    return { limit, loads, keys, window: windowSeconds, open, layouts: secondLayouts(stream) };
  }, [stream, limits]);

  useEffect(() => {
    const context = canvas?.getContext('2d');
    if (!canvas || !context || !stream || !view) return;
    // Hot-key samples for the streaks: one per new view of the stream (not per hover), within the window,
    // and none from an earlier stream or scenario (each starts its clock at the same instant).
    const generation = viewGeneration.current;
    if (historyGeneration.current !== generation) {
      keyHistory.current = [];
      historyGeneration.current = generation;
    }
    if (lastSampled.current !== stream) {
      lastSampled.current = stream;
      keyHistory.current.push({ nowMs: stream.nowMs, keys: view.keys });
    }
    const windowStart = (stream.firstSecond + from) * 1000;
    keyHistory.current = keyHistory.current.filter((h) => h.nowMs >= windowStart && h.nowMs <= stream.nowMs);
    const history = keyHistory.current;

    context.clearRect(0, 0, WIDTH, HEIGHT);
    context.font = `${fontPx}px system-ui, sans-serif`;
    context.textBaseline = 'alphabetic';
    // The bar: one segment per shard, heated by its recent demand against the limit; throttled ones hatched.
    view.open.forEach((shard) => {
      const i = shard.position;
      const x0 = shard.startFraction * WIDTH;
      const x1 = Math.max(x0 + 1, shard.endFraction * WIDTH);
      const load = view.loads[i]?.demand ?? null;
      context.fillStyle = heatColour((load ?? 0) / view.limit);
      context.fillRect(x0, MARKS_HEIGHT, x1 - x0, BAR_HEIGHT);
      if ((view.loads[i]?.throttled ?? 0) > 0) {
        context.save();
        context.beginPath();
        context.rect(x0, MARKS_HEIGHT, x1 - x0, BAR_HEIGHT);
        context.clip();
        context.strokeStyle = 'rgba(127, 29, 29, 0.55)';
        for (let d = -BAR_HEIGHT; d < x1 - x0; d += 8) {
          context.beginPath();
          context.moveTo(x0 + d, MARKS_HEIGHT + BAR_HEIGHT);
          context.lineTo(x0 + d + BAR_HEIGHT, MARKS_HEIGHT);
          context.stroke();
        }
        context.restore();
      }
      context.strokeStyle = '#334155';
      context.strokeRect(x0, MARKS_HEIGHT, x1 - x0, BAR_HEIGHT);
      if (x1 - x0 > 34) {
        context.fillStyle = '#111827';
        context.fillText(shortShardId(shard.shardId), x0 + 4, MARKS_HEIGHT + L.labelRow);
        if (x1 - x0 > 80) context.fillText(rateText(load), x0 + 4, MARKS_HEIGHT + 2 * L.labelRow + 4);
      }
      if (focused === i) {
        context.strokeStyle = '#f59e0b';
        context.lineWidth = 3;
        context.strokeRect(x0 + 1.5, MARKS_HEIGHT + 1.5, x1 - x0 - 3, BAR_HEIGHT - 3);
        context.lineWidth = 1;
      }
    });
    // Where the hottest keys land: a triangle at a key's hash key, or, for a key spread by ExplicitHashKeys,
    // a bracket over the shard range its records reached there.
    view.keys.forEach((k, i) => {
      const colour = i === 0 ? '#b91c1c' : '#1e3a8a';
      context.fillStyle = colour;
      context.strokeStyle = colour;
      const x = ((k.from + k.to) / 2) * WIDTH;
      if (k.explicit) {
        const x0 = k.from * WIDTH + 2;
        const x1 = Math.max(x0 + 1, k.to * WIDTH - 2);
        context.lineWidth = 2;
        context.beginPath();
        context.moveTo(x0, MARKS_HEIGHT - 2);
        context.lineTo(x0, MARKS_HEIGHT - 8);
        context.lineTo(x1, MARKS_HEIGHT - 8);
        context.lineTo(x1, MARKS_HEIGHT - 2);
        context.stroke();
        context.lineWidth = 1;
      } else {
        context.beginPath();
        context.moveTo(x, MARKS_HEIGHT - 2);
        context.lineTo(x - 5, MARKS_HEIGHT - 11);
        context.lineTo(x + 5, MARKS_HEIGHT - 11);
        context.fill();
      }
    });
    // The key put or inspected by hand: a diamond over the bar and a line through it, at the hash key the
    // worker computed.
    if (mark) {
      const x = Math.min(WIDTH - 1, Math.max(1, mark.fraction * WIDTH));
      context.fillStyle = MARK_COLOUR;
      context.strokeStyle = MARK_COLOUR;
      context.beginPath();
      context.moveTo(x, MARKS_HEIGHT - 14);
      context.lineTo(x + 6, MARKS_HEIGHT - 7);
      context.lineTo(x, MARKS_HEIGHT);
      context.lineTo(x - 6, MARKS_HEIGHT - 7);
      context.closePath();
      context.fill();
      context.lineWidth = 2;
      context.setLineDash([4, 3]);
      context.beginPath();
      context.moveTo(x, MARKS_HEIGHT);
      context.lineTo(x, MARKS_HEIGHT + BAR_HEIGHT);
      context.stroke();
      context.setLineDash([]);
      context.lineWidth = 1;
    }
    // Labels: the marked key first, then the hottest keys, each placed where it overlaps no other label.
    const labelText = (text: string) => (text.length > 24 ? `${text.slice(0, 23)}…` : text);
    const requests = [
      ...(mark
        ? [
            {
              id: 'mark',
              text: `◆ ${labelText(mark.partitionKey)}`,
              x: mark.fraction * WIDTH,
              colour: MARK_COLOUR,
            },
          ]
        : []),
      ...view.keys.map((k, i) => ({
        id: `key-${i}`,
        text: labelText(k.partitionKey),
        x: ((k.from + k.to) / 2) * WIDTH,
        colour: i === 0 ? '#b91c1c' : '#1e3a8a',
      })),
    ];
    const placed = placeLabels(
      requests.map((r) => ({ id: r.id, x: r.x, width: context.measureText(r.text).width })),
      LABEL_ROWS,
      WIDTH,
    );
    for (const p of placed) {
      const r = requests.find((q) => q.id === p.id);
      if (!r) continue;
      context.fillStyle = r.colour;
      context.fillText(r.text, p.left, (p.row + 1) * L.labelRow - 3);
    }
    // Keyspace × time: rows are the keyspace (top = 0), columns the seconds of history. Written as pixels
    // (one ImageData) rather than thousands of fillRect calls, so a 500-shard stream draws in about a millisecond.
    const columns = Math.max(1, stream.seconds - from);
    const colWidth = WIDTH / columns;
    const image = context.createImageData(WIDTH, HEAT_HEIGHT);
    const { layoutOf, rows, boundaries } = view.layouts;
    const rgb = new Uint8ClampedArray(stream.shards.length * 3);
    for (let t = from; t < stream.seconds; t++) {
      stream.shards.forEach((shard) => {
        const [r, g, b] = heatRgb(demandAt(stream, shard.position, t) / view.limit);
        rgb[shard.position * 3] = r;
        rgb[shard.position * 3 + 1] = g;
        rgb[shard.position * 3 + 2] = b;
      });
      const layout = layoutOf[t] as number;
      const shardOfRow = rows[layout] as Int32Array;
      const lines = boundaries[layout] === true;
      const x0 = Math.floor((t - from) * colWidth);
      const x1 = Math.min(WIDTH, Math.floor((t - from + 1) * colWidth));
      for (let y = 0; y < HEAT_HEIGHT; y++) {
        const position = shardOfRow[y] as number;
        // No shard open yet (before the stream existed): a neutral grey.
        let r = 241;
        let g = 245;
        let b = 249;
        if (position >= 0) {
          r = rgb[position * 3] as number;
          g = rgb[position * 3 + 1] as number;
          b = rgb[position * 3 + 2] as number;
          // Where one shard's range meets the next: a darker line, so a split appears as a new boundary.
          if (lines && y > 0 && shardOfRow[y - 1] !== position && (shardOfRow[y - 1] as number) >= 0) {
            r = Math.round(r * 0.45);
            g = Math.round(g * 0.45);
            b = Math.round(b * 0.5);
          }
        }
        for (let x = x0; x < x1; x++) {
          const p = (y * WIDTH + x) * 4;
          image.data[p] = r;
          image.data[p + 1] = g;
          image.data[p + 2] = b;
          image.data[p + 3] = 255;
        }
      }
    }
    context.putImageData(image, 0, HEAT_TOP);
    // Hot keys as streaks: each view's window rate of its hottest keys, from the view before it to it, at
    // the key's hash key (keys spread by ExplicitHashKeys have no one position: the heat band shows them).
    for (let h = 1; h < history.length; h++) {
      const a = history[h - 1];
      const b = history[h];
      if (!a || !b || b.nowMs <= a.nowMs) continue;
      const endMs = (stream.firstSecond + stream.seconds) * 1000;
      const x0 = WIDTH - ((endMs - a.nowMs) / 1000) * colWidth;
      const x1 = WIDTH - ((endMs - b.nowMs) / 1000) * colWidth;
      for (const k of b.keys) {
        if (k.explicit || k.rate <= 0) continue;
        const intensity = Math.min(1, k.rate / view.limit);
        context.strokeStyle = `rgba(76, 5, 25, ${0.25 + 0.75 * intensity})`;
        context.lineWidth = 1 + 3 * intensity;
        context.beginPath();
        const y = HEAT_TOP + k.from * HEAT_HEIGHT;
        context.moveTo(Math.max(0, x0), y);
        context.lineTo(Math.max(0, x1), y);
        context.stroke();
      }
    }
    context.lineWidth = 1;
    context.strokeStyle = '#334155';
    context.strokeRect(0, HEAT_TOP, WIDTH, HEAT_HEIGHT);
  }, [
    canvas,
    stream,
    view,
    focused,
    from,
    fontPx,
    mark,
    L.labelRow,
    MARKS_HEIGHT,
    BAR_HEIGHT,
    HEAT_TOP,
    HEIGHT,
  ]);

  if (!stream || !view || !timeSpan) return null;
  // The heatmap's time axis: its columns are the window's seconds, its right edge the newest one's end.
  const axisStart = timeSpan.startMs;
  const axisEnd = (stream.firstSecond + stream.seconds) * 1000;
  const ticks = timeTicks(axisStart, axisEnd);
  const at = (ms: number) => ((ms - axisStart) / Math.max(1000, axisEnd - axisStart)) * 100;
  const segmentIndex = Math.min(activeSegment, Math.max(0, view.open.length - 1));
  const onSegmentKey =
    (i: number, own: ((e: KeyboardEvent<HTMLButtonElement>) => void) | undefined) =>
    (e: KeyboardEvent<HTMLButtonElement>) => {
      const placing = split.placingShardId === view.open[i]?.shardId;
      const to = placing
        ? null
        : e.key === 'ArrowRight'
          ? i + 1
          : e.key === 'ArrowLeft'
            ? i - 1
            : e.key === 'Home'
              ? 0
              : e.key === 'End'
                ? view.open.length - 1
                : null;
      if (to === null || to < 0 || to >= view.open.length) {
        own?.(e);
        return;
      }
      e.preventDefault();
      setActiveSegment(to);
      segmentsRef.current?.querySelectorAll<HTMLButtonElement>('.keyspace-segment')[to]?.focus();
    };
  const focusedShard = focused === null ? undefined : stream.shards[focused];
  const focusedLoad = focused === null ? undefined : view.loads[focused];
  return (
    <ChartFrame
      title="Keyspace"
      description={
        <>
          The hash space 0 … 2^128−1 left to right, cut into shard ranges; colour and the printed rate show
          each shard's demand over the last {view.window} virtual seconds, hatching marks throttling,
          triangles mark the hottest keys over the last {view.window} virtual seconds (a bracket: a key spread
          over that shard by ExplicitHashKey), a violet diamond the key you last put or inspected. Below, the
          keyspace (top 0, bottom 2^128−1) over virtual time,{' '}
          <span className="chart-window">{timeSpan.caption}</span>, each second cut into the shards open then
          (dark lines between them): a hot shard is a bright band, a hot key a dark streak, a split a new line
          appearing.
          {stream.recordDistribution === 'AUTO'
            ? ' Record distribution is AUTO: keys are ignored for placement (records spread evenly over the open shards), so no hot keys are marked and the skew vanishes; per-key order is lost.'
            : ''}
          <AggregateNote what={AGGREGATE_COUNTS} />
        </>
      }
      csv={() => ({
        headers: [
          'ShardId',
          'StartingHashKey',
          'EndingHashKey',
          `Demand records/s (${view.window} s)`,
          `Throttled records/s (${view.window} s)`,
        ],
        rows: view.open.map((s) => [
          s.shardId,
          s.startingHashKey,
          s.endingHashKey,
          view.loads[s.position]?.demand ?? '',
          view.loads[s.position]?.throttled ?? '',
        ]),
      })}
      chart={
        <div className="keyspace">
          <canvas
            ref={setCanvas}
            width={WIDTH}
            height={HEIGHT}
            role="img"
            aria-label="Keyspace bar and keyspace-by-time heatmap"
          />
          <div
            ref={segmentsRef}
            className="keyspace-overlay"
            style={{ top: MARKS_HEIGHT, height: BAR_HEIGHT, width: WIDTH }}
          >
            {view.open.map((shard, i) => (
              <button
                type="button"
                key={shard.shardId}
                tabIndex={i === segmentIndex ? 0 : -1}
                className={
                  split.updating ? 'keyspace-segment' : 'keyspace-segment keyspace-segment-splittable'
                }
                style={{
                  left: `${shard.startFraction * 100}%`,
                  width: `${Math.max(0.2, (shard.endFraction - shard.startFraction) * 100)}%`,
                }}
                aria-label={`${shard.shardId}: hash keys ${shard.startingHashKey} to ${shard.endingHashKey}, ${loadWords(view.loads[shard.position])}`}
                onFocus={() => {
                  setFocused(shard.position);
                  setActiveSegment(i);
                }}
                onMouseEnter={() => setFocused(shard.position)}
                onBlur={() => setFocused(null)}
                onMouseLeave={() => setFocused(null)}
                {...split.segmentProps(shard)}
                onKeyDown={onSegmentKey(i, split.segmentProps(shard).onKeyDown)}
              />
            ))}
            {split.marker}
          </div>
          <div className="keyspace-y-axis" style={{ top: HEAT_TOP, height: HEAT_HEIGHT }} aria-hidden="true">
            <span style={{ top: 0 }}>hash key 0</span>
            <span style={{ top: '50%' }}>2^127</span>
            <span style={{ bottom: 0 }}>2^128−1</span>
          </div>
          <div className="keyspace-x-axis" data-testid="heatmap-time-axis">
            {ticks.map((t) => (
              <span
                key={t}
                // Centred on its second, but never past the axis's ends.
                className={`keyspace-tick keyspace-tick-${at(t) < 6 ? 'start' : at(t) > 94 ? 'end' : 'mid'}`}
                style={{ left: `${at(t)}%` }}
              >
                {formatTimeTick(t, axisEnd - axisStart)}
              </span>
            ))}
          </div>
          <p className="keyspace-axis-title">
            ← {TIME_AXIS_LABEL}: {timeSpan.caption} → (rows: the hash key space, top 0, bottom 2^128−1)
          </p>
          {mark ? (
            <p className="key-why" data-testid="keyspace-mark">
              <span aria-hidden="true">◆ </span>"{mark.partitionKey}"
              {mark.source === 'putRecord' ? ' (PutRecord)' : ' (Key inspector)'} lands on {mark.shardId}:{' '}
              {markReason(mark)}
            </p>
          ) : null}
          <p className="keyspace-info" aria-live="polite" data-testid="keyspace-info">
            {focusedShard && focusedLoad
              ? `${focusedShard.shardId}: ${focusedShard.startingHashKey} … ${focusedShard.endingHashKey} — ${loadWords(focusedLoad, view.limit)}`
              : 'Hover over or tab to a shard range to see its ShardId, hash key range and load.'}
          </p>
          {split.panel}
        </div>
      }
      table={
        <table aria-label="Keyspace data">
          <thead>
            <tr>
              <th scope="col">ShardId</th>
              <th scope="col">StartingHashKey</th>
              <th scope="col">EndingHashKey</th>
              <th scope="col">Demand (records/s)</th>
              <th scope="col">Throttled (records/s)</th>
            </tr>
          </thead>
          <tbody>
            {view.open.map((s) => (
              <tr key={s.shardId}>
                <th scope="row">{s.shardId}</th>
                <td className="hash">{s.startingHashKey}</td>
                <td className="hash">{s.endingHashKey}</td>
                <td>{countOrNew(view.loads[s.position]?.demand)}</td>
                <td>{countOrNew(view.loads[s.position]?.throttled)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
});
