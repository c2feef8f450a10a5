import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSequenceNumber, formatWithCounter, parseSequenceNumber, sequenceBase } from './sequenceNumber';

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
