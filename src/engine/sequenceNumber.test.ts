import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatSequenceNumber,
  formatWithCounter,
  parseSequenceNumber,
  SequenceNumbers,
  sequenceBase,
} from './sequenceNumber';

const fieldsArb = fc.record({
  shardCreatedSec: fc.integer({ min: 0, max: 2 ** 35 }),
  shardIndex: fc.integer({ min: 0, max: 0xffffffff }),
  arrivalSec: fc.integer({ min: 0, max: 2 ** 35 }),
  streamTag: fc.integer({ min: 0, max: 255 }),
});

describe('sequence numbers [model §2]', () => {
  it('keep the 47-hex-digit layout kinesalite writes (a known number)', () => {
    // kinesalite's layout: 2 | created (9) | index nibble | counter (16) | 00 | arrival (9) | index (8) | 2.
    const hex = `2${(1767225600).toString(16).padStart(9, '0')}3${(5).toString(16).padStart(16, '0')}00${(1767225700).toString(16).padStart(9, '0')}${(3).toString(16).padStart(8, '0')}2`;
    const expected = BigInt(`0x${hex}`).toString(10);
    expect(
      formatSequenceNumber({
        shardCreatedSec: 1767225600,
        shardIndex: 3,
        counter: 5n,
        arrivalSec: 1767225700,
      }),
    ).toBe(expected);
    expect(expected).toHaveLength(56);
  });

  it('are the same built per second (the write path) and built whole, and parse back', () => {
    fc.assert(
      fc.property(fieldsArb, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (fields, counter) => {
        const whole = formatSequenceNumber({ ...fields, counter: BigInt(counter) });
        expect(formatWithCounter(sequenceBase(fields), counter)).toBe(whole);
        expect(parseSequenceNumber(whole)).toEqual({ ...fields, counter: BigInt(counter) });
      }),
    );
  });
});

describe('SequenceNumbers (a shard’s numbers, each made from the last where it can)', () => {
  it('makes exactly what formatWithCounter makes, in any order of calls (property)', () => {
    const base = fc
      .record({
        shardCreatedSec: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        shardIndex: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        arrivalSec: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        streamTag: fc.integer({ min: 0, max: 255 }),
      })
      .map(sequenceBase);
    // Mostly the next counter (the common case), sometimes a jump, a repeat, a step back or another base.
    const step = fc.oneof(
      { weight: 8, arbitrary: fc.constant({ kind: 'next' as const }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('jump' as const), to: fc.maxSafeNat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('again' as const) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('base' as const), base }) },
    );
    fc.assert(
      fc.property(base, fc.maxSafeNat(), fc.array(step, { maxLength: 200 }), (first, start, steps) => {
        const numbers = new SequenceNumbers();
        let current = first;
        let counter = start;
        for (const s of steps) {
          if (s.kind === 'next') counter = Math.min(counter + 1, Number.MAX_SAFE_INTEGER);
          else if (s.kind === 'jump') counter = s.to;
          else if (s.kind === 'base') current = s.base;
          expect(numbers.format(current, counter)).toBe(formatWithCounter(current, counter));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('carries through every digit: counters whose numbers end in runs of 9s', () => {
    const base = sequenceBase({
      shardCreatedSec: 1_700_000_000,
      shardIndex: 7,
      arrivalSec: 1_767_225_600,
      streamTag: 9,
    });
    const numbers = new SequenceNumbers();
    for (let counter = 0; counter < 20_000; counter++)
      expect(numbers.format(base, counter)).toBe(formatWithCounter(base, counter));
  });
});
