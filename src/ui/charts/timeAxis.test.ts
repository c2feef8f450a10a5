import { describe, expect, it } from 'vitest';
import { axisWidth, breakAtGaps, formatTimeTick, timeTicks, timeWindow, valueTicks } from './timeAxis';

// A snapshot carrying 120 s of per-second series, index 0 being the virtual second 1,000.
const source = (createdSecond: number) => ({
  seconds: 120,
  firstSecond: 1000,
  createdMs: createdSecond * 1000,
});

describe('timeWindow', () => {
  it('starts at the stream’s creation rather than drawing empty seconds before it', () => {
    const w = timeWindow(source(1110), 1);
    expect(w.from).toBe(110);
    expect(w.seconds).toBe(10);
    expect(w.startMs).toBe(1_110_000);
    expect(w.endMs).toBe(1_119_000);
    expect(w.bound).toBe('created');
    expect(w.caption).toBe('since the stream was created (10 s of virtual time)');
  });

  it('at 1× is the last 2 real minutes, which the engine keeps', () => {
    const w = timeWindow(source(0), 1);
    expect(w.from).toBe(0);
    expect(w.seconds).toBe(120);
    expect(w.bound).toBe('real');
    expect(w.caption).toBe('last 2 min of virtual time (the last 2 min of real time at 1×)');
    expect(w.short).toBe('last 2 min');
  });

  it('at 3600× says the engine keeps only 120 s per second instead of inventing more', () => {
    const w = timeWindow(source(0), 3600);
    expect(w.seconds).toBe(120);
    expect(w.bound).toBe('kept');
    expect(w.caption).toBe(
      'last 2 min of virtual time: the engine keeps per-second series for only the last 2 min, which at 3,600× pass in 0.03 s of real time',
    );
  });

  it('has no second yet while the stream’s first second runs', () => {
    const w = timeWindow(source(1120), 10);
    expect(w.seconds).toBe(0);
    expect(w.caption).toBe('since the stream was created (no virtual second has completed yet)');
  });
});

describe('time and value ticks', () => {
  it('puts time ticks on round virtual seconds and prints them as the clock does', () => {
    const start = Date.UTC(2026, 0, 1, 0, 0, 7);
    const ticks = timeTicks(start, start + 119_000);
    expect(ticks.length).toBeLessThanOrEqual(7);
    expect(ticks.map((t) => formatTimeTick(t, 119_000))).toEqual([
      '00:00:20',
      '00:00:40',
      '00:01:00',
      '00:01:20',
      '00:01:40',
      '00:02:00',
    ]);
    expect(formatTimeTick(start, 3 * 86_400_000)).toBe('01-01 00:00');
  });

  it('gives round value ticks from 0 past the maximum, and an axis wide enough for the longest', () => {
    expect(valueTicks(1000)).toEqual([0, 250, 500, 750, 1000]);
    expect(valueTicks(3_700_000)).toEqual([0, 1_000_000, 2_000_000, 3_000_000, 4_000_000]);
    expect(valueTicks(0)).toEqual([0, 1]);
    const format = (v: number) => v.toLocaleString('en-US');
    const ticks = valueTicks(3_700_000);
    // "4,000,000" is 9 characters: wider at Large type (16.8 px) than at normal type (12.8 px).
    expect(axisWidth(ticks, format, 12.8)).toBeGreaterThanOrEqual(9 * 12.8 * 0.6);
    expect(axisWidth(ticks, format, 16.8)).toBeGreaterThan(axisWidth(ticks, format, 12.8));
  });
});

describe('breakAtGaps', () => {
  it('puts a point of no values between two points far apart (a jump), and nothing else', () => {
    const points = [0, 250, 500, 750, 86_400_750, 86_401_000].map((nowMs, i) => ({
      nowMs,
      retained: 10 - i,
    }));
    const drawn = breakAtGaps(points, ['retained']);
    expect(drawn).toHaveLength(points.length + 1);
    expect(drawn[4]).toEqual({ nowMs: 43_200_750, retained: null });
    expect(drawn.filter((p) => p.retained !== null)).toEqual(points);
    // Evenly spaced points (any speed) are drawn as they are.
    const even = [0, 900_000, 1_800_000, 2_700_000].map((nowMs) => ({ nowMs, retained: 1 }));
    expect(breakAtGaps(even, ['retained'])).toEqual(even);
  });
});
