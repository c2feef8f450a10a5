import { type MouseEvent, memo, useEffect, useId, useMemo, useState } from 'react';
import type { StreamSnapshot } from '../../worker/engineTypes';
import { formatCount, formatVirtualSecond, formatVirtualTime } from '../format';
import { useViewStream } from '../useViewStream';
import { ChartFrame } from './ChartFrame';
import { shortShardId } from './chartData';

type LineageShard = StreamSnapshot['lineage'][number];
type LineageState = LineageShard['state'];

const WIDTH = 720;
const PLOT_TOP = 8;
const PLOT_HEIGHT = 240;
const AXIS_HEIGHT = 26;
const HEIGHT = PLOT_TOP + PLOT_HEIGHT + AXIS_HEIGHT;
/** A bar is at least this wide (px), so a shard that lived an instant (UpdateShardCount's pieces) shows. */
const MIN_BAR = 2;

/** Each state: a colour, a pattern and a word (colour is never the only signal). */
export const STATE_STYLE: Record<LineageState, { fill: string; ink: string; text: string; words: string }> = {
  OPEN: { fill: '#1d4ed8', ink: '#1e3a8a', text: '#ffffff', words: 'solid: takes writes' },
  CLOSED: {
    fill: '#fef3c7',
    ink: '#b45309',
    text: '#78350f',
    words: 'hatched: closed, listed and readable for the retention period after it closed',
  },
  EXPIRED: {
    fill: '#f1f5f9',
    ink: '#64748b',
    text: '#334155',
    words: 'dotted: expired, gone from ListShards',
  },
};

/** A shard's bar in canvas pixels. */
interface Bar {
  shard: LineageShard;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function patternFor(context: CanvasRenderingContext2D, state: LineageState): CanvasPattern | string {
  const style = STATE_STYLE[state];
  if (state === 'OPEN' || typeof document === 'undefined') return style.fill;
  const tile = document.createElement('canvas');
  tile.width = 8;
  tile.height = 8;
  const t = tile.getContext('2d');
  if (!t) return style.fill;
  t.fillStyle = style.fill;
  t.fillRect(0, 0, 8, 8);
  t.strokeStyle = style.ink;
  t.fillStyle = style.ink;
  if (state === 'CLOSED') {
    t.lineWidth = 1.5;
    t.beginPath();
    t.moveTo(-2, 10);
    t.lineTo(10, -2);
    t.moveTo(-2, 2);
    t.lineTo(2, -2);
    t.moveTo(6, 10);
    t.lineTo(10, 6);
    t.stroke();
  } else {
    t.fillRect(1, 1, 2, 2);
    t.fillRect(5, 5, 2, 2);
  }
  return context.createPattern(tile, 'repeat') ?? style.fill;
}

/** What a shard's description says: id, state, range, parents, created and closed (UTC). */
export function describeLineageShard(s: LineageShard): string {
  const parents = s.parentShardId
    ? s.adjacentParentShardId
      ? `parents ${s.parentShardId} and ${s.adjacentParentShardId}`
      : `parent ${s.parentShardId}`
    : 'no parent (created with the stream)';
  const closed = s.closedMs === null ? 'still open' : `closed ${formatVirtualTime(s.closedMs)}`;
  return `${s.shardId} (${s.state}): hash keys ${s.startingHashKey} … ${s.endingHashKey}; ${parents}; created ${formatVirtualTime(s.createdMs)}, ${closed}.`;
}

/**
 * The stream's shards as a tree over virtual time: x is time from the oldest shard's creation to now, y the
 * hash space (0 at the top), each shard a bar over its range from its creation to its close (or now). A
 * split shows as one bar ending where two narrower ones begin, a merge as two ending where one begins; thin
 * lines join each parent's end to its children. Drawn on a canvas (2,000 shards in a few milliseconds).
 */
export const LineageChart = memo(function LineageChart() {
  const stream = useViewStream();
  // A state, not a ref: the canvas is mounted again when the data table is toggled off, and must be drawn.
  const [canvas, setCanvas] = useState<HTMLCanvasElement | null>(null);
  // The shard described and outlined (by hover or the slider), and the one the slider last chose.
  const [focused, setFocused] = useState<string | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const infoId = useId();

  const view = useMemo(() => {
    if (!stream || stream.lineage.length === 0) return null;
    const lineage = stream.lineage;
    let from = stream.nowMs;
    for (const s of lineage) from = Math.min(from, s.createdMs, s.closedMs ?? s.createdMs);
    const to = Math.max(stream.nowMs, from + 1000);
    const x = (ms: number) => ((ms - from) / (to - from)) * WIDTH;
    const bars: Bar[] = lineage.map((shard) => {
      const end = shard.closedMs ?? to;
      const a = x(Math.min(shard.createdMs, end));
      const b = Math.max(a + MIN_BAR, x(Math.max(shard.createdMs, end)));
      const y0 = PLOT_TOP + shard.startFraction * PLOT_HEIGHT;
      const y1 = Math.max(y0 + 1, PLOT_TOP + shard.endFraction * PLOT_HEIGHT);
      return { shard, x0: Math.min(a, WIDTH - MIN_BAR), x1: Math.min(b, WIDTH), y0, y1 };
    });
    const index = new Map(bars.map((bar, i) => [bar.shard.shardId, i]));
    const counts = { OPEN: 0, CLOSED: 0, EXPIRED: 0 };
    for (const s of lineage) counts[s.state]++;
    return { from, to, bars, index, counts };
  }, [stream]);

  useEffect(() => {
    const context = canvas?.getContext('2d');
    if (!canvas || !context || !view) return;
    context.clearRect(0, 0, WIDTH, HEIGHT);
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, WIDTH, HEIGHT);
    const fills = {
      OPEN: patternFor(context, 'OPEN'),
      CLOSED: patternFor(context, 'CLOSED'),
      EXPIRED: patternFor(context, 'EXPIRED'),
    };
    context.font = '11px system-ui, sans-serif';
    context.textBaseline = 'middle';
    for (const bar of view.bars) {
      const style = STATE_STYLE[bar.shard.state];
      context.fillStyle = fills[bar.shard.state];
      context.fillRect(bar.x0, bar.y0, bar.x1 - bar.x0, bar.y1 - bar.y0);
      if (bar.y1 - bar.y0 >= 3) {
        context.strokeStyle = style.ink;
        context.lineWidth = 1;
        context.setLineDash(bar.shard.state === 'EXPIRED' ? [3, 2] : []);
        context.strokeRect(bar.x0 + 0.5, bar.y0 + 0.5, bar.x1 - bar.x0 - 1, bar.y1 - bar.y0 - 1);
      }
    }
    context.setLineDash([]);
    // Parent → child: from the parent's close (its bar's right end) to where the child begins.
    context.strokeStyle = '#0f172a';
    context.lineWidth = 1;
    context.beginPath();
    for (const bar of view.bars) {
      const childY = (bar.y0 + bar.y1) / 2;
      for (const parentId of [bar.shard.parentShardId, bar.shard.adjacentParentShardId]) {
        const p = parentId === undefined ? undefined : view.index.get(parentId);
        const parent = p === undefined ? undefined : view.bars[p];
        if (!parent) continue;
        const parentY = (parent.y0 + parent.y1) / 2;
        context.moveTo(parent.x1, parentY);
        context.lineTo(parent.x1, childY);
        context.lineTo(Math.max(parent.x1, bar.x0), childY);
      }
    }
    context.stroke();
    // Labels where they fit: the short ShardId and the state in words.
    for (const bar of view.bars) {
      if (bar.y1 - bar.y0 < 14 || bar.x1 - bar.x0 < 90) continue;
      context.fillStyle = STATE_STYLE[bar.shard.state].text;
      context.fillText(
        `${shortShardId(bar.shard.shardId)} ${bar.shard.state}`,
        bar.x0 + 4,
        (bar.y0 + bar.y1) / 2,
        bar.x1 - bar.x0 - 8,
      );
    }
    const f = focused === null ? undefined : view.index.get(focused);
    const bar = f === undefined ? undefined : view.bars[f];
    if (bar) {
      context.strokeStyle = '#f59e0b';
      context.lineWidth = 3;
      context.strokeRect(bar.x0 - 1, bar.y0 - 1, bar.x1 - bar.x0 + 2, bar.y1 - bar.y0 + 2);
      context.lineWidth = 1;
    }
    // The time axis: its two ends (UTC) and the hash space's two ends.
    context.fillStyle = '#334155';
    context.textBaseline = 'alphabetic';
    const axisY = PLOT_TOP + PLOT_HEIGHT + 16;
    context.textAlign = 'left';
    context.fillText(formatVirtualSecond(Math.floor(view.from / 1000)), 0, axisY);
    context.textAlign = 'right';
    context.fillText(`now ${formatVirtualSecond(Math.floor(view.to / 1000))}`, WIDTH, axisY);
    context.textAlign = 'left';
  }, [canvas, view, focused]);

  if (!stream || !view) return null;
  const focusedShard = focused === null ? undefined : view.bars[view.index.get(focused) ?? -1]?.shard;
  const lineage = stream.lineage;

  const hit = (e: MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const px = ((e.clientX - rect.left) * WIDTH) / Math.max(1, rect.width);
    const py = ((e.clientY - rect.top) * HEIGHT) / Math.max(1, rect.height);
    // The newest shard drawn at that point (later bars are drawn over earlier ones).
    for (let i = view.bars.length - 1; i >= 0; i--) {
      const b = view.bars[i] as Bar;
      if (px >= b.x0 - 1 && px <= b.x1 + 1 && py >= b.y0 - 0.5 && py <= b.y1 + 0.5) {
        if (b.shard.shardId !== focused) setFocused(b.shard.shardId);
        return;
      }
    }
    if (focused !== null) setFocused(null);
  };
  const last = view.bars.length - 1;
  const pickedIndex = Math.min(last, picked === null ? last : (view.index.get(picked) ?? last));
  const pickedId = view.bars[pickedIndex]?.shard.shardId ?? null;
  const pick = (index: number) => {
    const id = view.bars[index]?.shard.shardId ?? null;
    setPicked(id);
    setFocused(id);
  };

  return (
    <ChartFrame
      title="Shard lineage"
      description={
        <>
          Every shard the stream has had ({formatCount(view.counts.OPEN)} open,{' '}
          {formatCount(view.counts.CLOSED)} closed, {formatCount(view.counts.EXPIRED)} expired) over virtual
          time, left to right from the oldest shard's creation to now; top to bottom the hash space 0 …
          2^128−1. A split is one bar ending where two narrower ones begin, a merge two ending where one
          begins; lines join each parent to its children. Hover over a shard, or Tab to the slider below and
          use the arrow keys, for its range, parents and times (UTC).
        </>
      }
      csv={() => ({
        headers: [
          'ShardId',
          'ParentShardId',
          'AdjacentParentShardId',
          'StartingHashKey',
          'EndingHashKey',
          'created (UTC)',
          'closed (UTC)',
          'state',
        ],
        rows: lineage.map((s) => [
          s.shardId,
          s.parentShardId ?? '',
          s.adjacentParentShardId ?? '',
          s.startingHashKey,
          s.endingHashKey,
          new Date(s.createdMs).toISOString(),
          s.closedMs === null ? '' : new Date(s.closedMs).toISOString(),
          s.state,
        ]),
      })}
      chart={
        <div className="lineage">
          <canvas
            ref={setCanvas}
            width={WIDTH}
            height={HEIGHT}
            role="img"
            aria-label={`Shard lineage over virtual time: ${formatCount(view.counts.OPEN)} open, ${formatCount(view.counts.CLOSED)} closed and ${formatCount(view.counts.EXPIRED)} expired shards`}
            onMouseMove={hit}
            onMouseLeave={() => setFocused(null)}
          />
          <label className="inline-field lineage-picker">
            Shard to describe
            <input
              type="range"
              min={0}
              max={last}
              step={1}
              value={pickedIndex}
              aria-valuetext={pickedId ?? ''}
              aria-describedby={infoId}
              onChange={(e) => pick(Number(e.target.value))}
              onFocus={() => setFocused(pickedId)}
              onBlur={() => setFocused(null)}
            />
          </label>
          <ul className="lineage-legend" aria-label="Shard states">
            {(Object.keys(STATE_STYLE) as LineageState[]).map((state) => (
              <li key={state}>
                <span className={`lineage-swatch ${state.toLowerCase()}`} aria-hidden="true" />
                <strong>{state}</strong> {STATE_STYLE[state].words}
              </li>
            ))}
          </ul>
          <p className="keyspace-info" id={infoId} aria-live="polite" data-testid="lineage-info">
            {focusedShard
              ? describeLineageShard(focusedShard)
              : 'Hover over a shard, or move the slider, to see its ShardId, range, parents and times.'}
          </p>
        </div>
      }
      table={(page) => (
        <table aria-label="Shard lineage data">
          <thead>
            <tr>
              <th scope="col">ShardId</th>
              <th scope="col">ParentShardId</th>
              <th scope="col">AdjacentParentShardId</th>
              <th scope="col">StartingHashKey</th>
              <th scope="col">EndingHashKey</th>
              <th scope="col">created (UTC)</th>
              <th scope="col">closed (UTC)</th>
              <th scope="col">state</th>
            </tr>
          </thead>
          <tbody>
            {page(lineage).map((s) => (
              <tr key={s.shardId}>
                <th scope="row">{s.shardId}</th>
                <td>{s.parentShardId ?? '—'}</td>
                <td>{s.adjacentParentShardId ?? '—'}</td>
                <td className="hash">{s.startingHashKey}</td>
                <td className="hash">{s.endingHashKey}</td>
                <td>{formatVirtualTime(s.createdMs)}</td>
                <td>{s.closedMs === null ? '—' : formatVirtualTime(s.closedMs)}</td>
                <td>{s.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    />
  );
});
