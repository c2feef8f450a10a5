import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64Problem,
  base64QuotedDecodedLength,
  base64QuotedEnd,
  decodeBase64,
  decodeBase64Checked,
  encodeBase64,
} from './base64';

describe('base64', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(decodeBase64Checked(encodeBase64(bytes))).toEqual(bytes);
      }),
    );
  });

  it('checked decoding refuses exactly what base64Problem refuses, and otherwise decodes the same bytes', () => {
    const text = fc
      .array(fc.constantFrom(...'AQgw+/=_ -é'.split(''), 'A', 'B', 'Z', 'a', '0'), { maxLength: 16 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(text, (value) => {
        const problem = base64Problem(value);
        const checked = decodeBase64Checked(value);
        if (problem === undefined) expect(checked).toEqual(decodeBase64(value));
        else expect(checked).toBeUndefined();
      }),
      { numRuns: 5000 },
    );
  });

  it('decodes a range of a longer text as it decodes that range alone', () => {
    const text = fc
      .array(fc.constantFrom(...'AQgw+/=_ -é"'.split(''), 'A', 'B', 'Z', 'a', '0'), { maxLength: 24 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (value, a, b) => {
        const start = value.length === 0 ? 0 : a % (value.length + 1);
        const end = start + (value.length === start ? 0 : b % (value.length - start + 1));
        expect(decodeBase64Checked(value, start, end)).toEqual(decodeBase64Checked(value.slice(start, end)));
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses padding that leaves bits unused, as Coral does', () => {
    expect(decodeBase64Checked('aGk=')).toEqual(new TextEncoder().encode('hi'));
    expect(decodeBase64Checked('aGl=')).toBeUndefined();
    expect(decodeBase64Checked('aB==')).toBeUndefined();
    expect(decodeBase64Checked('====')).toBeUndefined();
  });

  it('finds the closing quote of a JSON string and checks the base64 before it in one pass, as base64Problem checks it', () => {
    const value = fc
      .array(fc.constantFrom(...'AQgw+/=_ -é"\\'.split(''), 'A', 'B', 'Z', 'a', '0'), { maxLength: 16 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(value, fc.constantFrom('', '"', '",', '"}', 'x"'), (text, after) => {
        const bytes = new TextEncoder().encode(`{"Data":"${text}${after}`);
        const start = 9;
        const end = base64QuotedEnd(bytes, start);
        const quote =
          text.indexOf('"') >= 0
            ? text.indexOf('"')
            : after.indexOf('"') >= 0
              ? text.length + after.indexOf('"')
              : -1;
        // Valid exactly when there is a closing quote and what precedes it is valid base64 (byte indexes
        // equal character indexes while all is ASCII; a non-ASCII character is never valid).
        const before = quote < 0 ? undefined : text.concat(after).slice(0, quote);
        const valid =
          before !== undefined &&
          base64Problem(before) === undefined &&
          [...before].every((c) => c.charCodeAt(0) < 128);
        if (!valid) expect(end).toBe(-1);
        else {
          expect(end).toBe(start + (before as string).length);
          expect(base64QuotedDecodedLength(bytes, start, end)).toBe(decodeBase64(before as string).length);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
