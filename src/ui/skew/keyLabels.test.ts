import { describe, expect, it } from 'vitest';
import { placeLabels } from './keyLabels';

const overlaps = (a: { left: number; right: number }, b: { left: number; right: number }) =>
  a.left < b.right && b.left < a.right;

describe('placeLabels', () => {
  it('never overlaps two labels on a row, keeps them inside the strip, and drops what does not fit', () => {
    // Twelve keys crowded into 60 px: at most a few labels fit on two rows.
    const requests = Array.from({ length: 12 }, (_, i) => ({ id: `k${i}`, x: 300 + i * 5, width: 90 }));
    const placed = placeLabels(requests, 2, 720);
    expect(placed.length).toBeGreaterThan(1);
    expect(placed.length).toBeLessThan(12);
    for (const a of placed) {
      expect(a.left).toBeGreaterThanOrEqual(0);
      expect(a.left + 90).toBeLessThanOrEqual(720);
      for (const b of placed)
        if (a !== b && a.row === b.row)
          expect(overlaps({ left: a.left, right: a.left + 90 }, { left: b.left, right: b.left + 90 })).toBe(
            false,
          );
    }
    // The first request (most important) always gets its place.
    expect(placed[0]?.id).toBe('k0');
  });

  it('puts a label left of its key near the right edge', () => {
    const [only] = placeLabels([{ id: 'a', x: 715, width: 100 }], 1, 720);
    expect(only?.left).toBeLessThanOrEqual(620);
  });
});
