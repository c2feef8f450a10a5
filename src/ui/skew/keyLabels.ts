/** A label to place above the keyspace bar: anchored at `x` (its key's position), `width` px of text. */
export interface LabelRequest {
  id: string;
  x: number;
  width: number;
}

/** Where a label is drawn: its left edge and its row (0 = top), or not at all. */
export interface PlacedLabel {
  id: string;
  left: number;
  row: number;
}

/** Space kept between two labels on one row (px). */
const GAP = 8;

/**
 * Places labels in priority order (the first is the most important) on `rows` rows of a strip `width` px
 * wide: each starts just right of its key (or ends just left of it, near the right edge), on the first row
 * where it overlaps no label already placed. A label that fits nowhere is left out (the tables list every
 * key), so labels never overlap.
 */
export function placeLabels(requests: readonly LabelRequest[], rows: number, width: number): PlacedLabel[] {
  const taken: { left: number; right: number }[][] = Array.from({ length: rows }, () => []);
  const placed: PlacedLabel[] = [];
  for (const r of requests) {
    const w = Math.min(r.width, width);
    const candidates = [r.x + 6, r.x - 6 - w].map((left) => Math.min(Math.max(0, left), width - w));
    let done = false;
    for (let row = 0; row < rows && !done; row++) {
      const onRow = taken[row] as { left: number; right: number }[];
      for (const left of candidates) {
        const right = left + w;
        if (onRow.every((t) => right + GAP <= t.left || left >= t.right + GAP)) {
          onRow.push({ left, right });
          placed.push({ id: r.id, left, row });
          done = true;
          break;
        }
      }
    }
  }
  return placed;
}
