import { formatSpan, formatSpeed } from '../format';

/** How much real (wall) time a time chart covers when the engine keeps enough virtual time: 2 minutes. */
export const REAL_WINDOW_SECONDS = 120;

/** What a time chart needs of a stream snapshot to choose its window. */
export interface WindowSource {
  /** Seconds of per-second series the snapshot carries, and the virtual second (epoch s) of index 0. */
  seconds: number;
  firstSecond: number;
  /** When the stream was created (virtual epoch ms). */
  createdMs: number;
}

/** The seconds of a snapshot's per-second series a time chart draws, and why it draws those. */
export interface TimeWindow {
  /** The first series index drawn; the window ends at the snapshot's newest completed second. */
  from: number;
  /** How many seconds are drawn (0 before the stream's first second has completed). */
  seconds: number;
  /** The virtual instant (epoch ms) of the first drawn second's start, and of the newest one's start. */
  startMs: number;
  endMs: number;
  /**
   * Why the window starts where it does: the stream's creation, 2 real minutes of virtual time at this
   * speed, or the end of the per-second history the engine keeps (which at high speed is far less).
   */
  bound: 'created' | 'real' | 'kept';
  /** The window in words, for a chart's caption: "last 2 min of virtual time (2 real minutes at 1×)". */
  caption: string;
  /**
   * Short, for table headers: "last 120 s", "whole seconds since creation (42 s)" (completed seconds only:
   * a total since creation, this second included, is another figure).
   */
  short: string;
}

/**
 * A time chart's window: the last REAL_WINDOW_SECONDS of real time at `speed` in virtual time, never more
 * than the per-second history the snapshot carries and never before the stream was created (its creation
 * second, partly after it, is drawn). The caption says honestly which of the three bounds it.
 */
export function timeWindow(source: WindowSource, speed: number): TimeWindow {
  const wanted = Math.max(1, Math.round(REAL_WINDOW_SECONDS * speed));
  const createdIndex = Math.floor(source.createdMs / 1000) - source.firstSecond;
  const keptFrom = Math.max(0, source.seconds - wanted);
  const from = Math.min(source.seconds, Math.max(keptFrom, createdIndex, 0));
  const seconds = source.seconds - from;
  const bound: TimeWindow['bound'] =
    createdIndex >= keptFrom && createdIndex > 0 ? 'created' : wanted <= source.seconds ? 'real' : 'kept';
  const startMs = (source.firstSecond + from) * 1000;
  const endMs = (source.firstSecond + Math.max(from, source.seconds - 1)) * 1000;
  const span = formatSpan(seconds * 1000);
  let caption: string;
  let short: string;
  if (bound === 'created') {
    caption =
      seconds === 0
        ? 'since the stream was created (no virtual second has completed yet)'
        : `since the stream was created (${span} of virtual time)`;
    short = `whole seconds since creation (${span})`;
  } else if (bound === 'real') {
    caption = `last ${span} of virtual time (the last ${formatSpan(REAL_WINDOW_SECONDS * 1000)} of real time at ${formatSpeed(speed)})`;
    short = `last ${span}`;
  } else {
    const realMs = (seconds * 1000) / speed;
    caption = `last ${span} of virtual time: the engine keeps per-second series for only the last ${formatSpan(
      source.seconds * 1000,
    )}, which at ${formatSpeed(speed)} pass in ${realText(realMs)} of real time`;
    short = `last ${span}`;
  }
  return { from, seconds, startMs, endMs, bound, caption, short };
}

/** A short real duration: "0.03 s", "2 s". */
function realText(ms: number): string {
  if (ms >= 10_000) return formatSpan(ms);
  const s = ms / 1000;
  return `${s >= 1 ? s.toFixed(1).replace(/\.0$/, '') : s.toPrecision(1)} s`;
}

/** Steps between time ticks, virtual seconds: round numbers a person reads off a clock. */
const TICK_STEPS = [
  1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400,
];

/**
 * Ticks for a virtual time axis from `startMs` to `endMs`: at most `most` of them, on whole multiples of a
 * round step (every 10 s, every minute, …), so they read as times on the virtual clock.
 */
export function timeTicks(startMs: number, endMs: number, most = 7): number[] {
  const spanS = Math.max(0, (endMs - startMs) / 1000);
  const step =
    (TICK_STEPS.find((s) => spanS / s <= most - 1) ?? 86_400 * Math.ceil(spanS / 86_400 / most)) * 1000;
  const ticks: number[] = [];
  for (let t = Math.ceil(startMs / step) * step; t <= endMs; t += step) ticks.push(t);
  if (ticks.length === 0) ticks.push(startMs);
  return ticks;
}

/**
 * A tick on a virtual time axis in UTC: HH:MM:SS within a day's span, "MM-DD HH:MM" beyond (the axis label
 * says "virtual time (UTC)").
 */
export function formatTimeTick(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs < 86_400_000 ? iso.slice(11, 19) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/** Up to `most` round ticks from 0 to at least `max` (1, 2 or 5 × a power of ten apart). */
export function valueTicks(max: number, most = 5, integers = true): number[] {
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const rough = top / Math.max(1, most - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  if (integers) step = Math.max(1, Math.ceil(step));
  const ticks: number[] = [];
  for (let v = 0; v < top + step; v += step) {
    ticks.push(v);
    if (v >= top) break;
  }
  return ticks;
}

/** Average width of a character of chart text, as a fraction of its font size (digits, commas, units). */
const CHAR_EM = 0.62;

/**
 * A y axis's width (px) for its tick labels at `fontPx`: the longest formatted tick plus the tick line and
 * a margin, so no label is clipped at any type size.
 */
export function axisWidth(
  ticks: readonly number[],
  format: (value: number) => string,
  fontPx: number,
): number {
  const longest = ticks.reduce((most, t) => Math.max(most, format(t).length), 1);
  return Math.ceil(longest * fontPx * CHAR_EM + 14);
}

/** A point of no values, where a line breaks (breakAtGaps). */
export interface GapPoint {
  nowMs: number;
  [key: string]: number | null;
}

/**
 * A history's points for a line, with a break where two neighbours are far apart (more than 10 times the
 * median spacing, as a jump in virtual time leaves them): a point between them with every value null, so the
 * line stops instead of inventing the values in between. A chart's CSV keeps the measured points only.
 */
export function breakAtGaps<T extends { nowMs: number }>(
  points: readonly T[],
  keys: readonly Exclude<keyof T, 'nowMs'>[],
): (T | GapPoint)[] {
  if (points.length < 3) return points.slice();
  const gaps = points
    .slice(1)
    .map((p, i) => p.nowMs - (points[i] as T).nowMs)
    .sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)] as number;
  const out: (T | GapPoint)[] = [points[0] as T];
  for (let i = 1; i < points.length; i++) {
    const before = points[i - 1] as T;
    const point = points[i] as T;
    if (median > 0 && point.nowMs - before.nowMs > 10 * median) {
      const gap: GapPoint = { nowMs: (before.nowMs + point.nowMs) / 2 };
      for (const key of keys) gap[key as string] = null;
      out.push(gap);
    }
    out.push(point);
  }
  return out;
}
