// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CountBuckets } from './countBuckets';
import { COUNT_BUCKETS_MAX } from './limits';

describe('CountBuckets', () => {
  it('holds every record until it expires, never early and late by less than the width, in bounded buckets', () => {
    // Arrivals in order (as aggregate steps add them), some expiries between; a model keeps each record.
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('add' as const),
        gapMs: fc.integer({ min: 0, max: 5_000 }),
        records: fc.integer({ min: 0, max: 1_000 }),
      }),
      fc.record({ kind: fc.constant('expire' as const), behindMs: fc.integer({ min: 0, max: 2_000_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 4_000 }), (ops) => {
        const buckets = new CountBuckets();
        const model: { arrivalMs: number; records: number }[] = [];
        let now = 1_700_000_000_000;
        for (const o of ops) {
          if (o.kind === 'add') {
            now += o.gapMs;
            buckets.add(now, o.records, o.records * 10);
            model.push({ arrivalMs: now, records: o.records });
          } else {
            const cutoff = now - o.behindMs;
            const width = buckets.widthMs;
            const removed = buckets.expire(cutoff);
            // What expired arrived at or before the cutoff; what the model still holds from before
            // `cutoff − width` must have gone.
            let due = 0;
            let maybe = 0;
            for (const r of model) {
              if (r.arrivalMs <= cutoff - width) due += r.records;
              if (r.arrivalMs <= cutoff) maybe += r.records;
            }
            expect(removed.records).toBeGreaterThanOrEqual(due);
            expect(removed.records).toBeLessThanOrEqual(maybe);
            expect(removed.bytes).toBe(removed.records * 10);
            // Drop the model's oldest records the buckets dropped (they go oldest first).
            let left = removed.records;
            while (left > 0) {
              const first = model[0] as { records: number };
              const take = Math.min(left, first.records);
              first.records -= take;
              left -= take;
              if (first.records === 0) model.shift();
            }
            while (model[0]?.records === 0) model.shift();
          }
          const held = model.reduce((sum, r) => sum + r.records, 0);
          expect(buckets.records).toBe(held);
          expect(buckets.bytes).toBe(held * 10);
        }
        // Bounded by the budget, however long the run.
        expect(buckets.count).toBeLessThanOrEqual(COUNT_BUCKETS_MAX);
      }),
      { numRuns: 40 },
    );
  });

  it('coarsens to keep at most COUNT_BUCKETS_MAX buckets over a simulated week of one-second buckets', () => {
    const buckets = new CountBuckets();
    const start = 1_700_000_000_000;
    for (let s = 0; s < 7 * 86_400; s++) buckets.add(start + s * 1000, 1, 100);
    expect(buckets.records).toBe(7 * 86_400);
    expect(buckets.count).toBeLessThanOrEqual(COUNT_BUCKETS_MAX);
    expect(buckets.widthMs).toBeGreaterThan(1000);
    expect(buckets.oldestStartMs()).toBeLessThanOrEqual(start);
    const expired = buckets.expire(start + 86_400_000 - 1);
    expect(expired.records).toBeGreaterThan(86_400 - buckets.widthMs / 1000);
    expect(expired.records).toBeLessThanOrEqual(86_400);
  });
});

describe('CountBuckets with sparse arrivals', () => {
  it('never holds more than COUNT_BUCKETS_MAX buckets, however far apart the arrivals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 3 }),
        (gapSeconds, perSecond) => {
          const buckets = new CountBuckets();
          let now = 1_700_000_000_000;
          let added = 0;
          for (let i = 0; i < 5_000; i++) {
            now += gapSeconds * 1000;
            buckets.add(now, perSecond, perSecond);
            added += perSecond;
            if (buckets.count > COUNT_BUCKETS_MAX)
              expect(buckets.count).toBeLessThanOrEqual(COUNT_BUCKETS_MAX);
          }
          expect(buckets.records).toBe(added);
          expect(buckets.expire(now).records).toBe(added);
        },
      ),
      { numRuns: 30 },
    );
  });
});
