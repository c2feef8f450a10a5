/**
 * Kinesis "v2" sequence numbers [model §2]: a 186-bit number written as 56 decimal digits whose hex layout is
 * `2 | shard creation s (9) | shard index low nibble (1) | counter (16) | 00 | arrival s (9) | shard index (8) | 2`.
 * Formatting uses BigInt, so it is done only when a number is shown or returned, never per stored record.
 */

export interface SequenceFields {
  shardCreatedSec: number;
  shardIndex: number;
  counter: bigint;
  arrivalSec: number;
}

const hex = (value: number | bigint, width: number) => value.toString(16).padStart(width, '0');

/** Formats a sequence number from its fields. */
export function formatSequenceNumber(fields: SequenceFields): string {
  const digits =
    '2' +
    hex(fields.shardCreatedSec, 9) +
    hex(fields.shardIndex & 0xf, 1) +
    hex(fields.counter, 16) +
    '00' +
    hex(fields.arrivalSec, 9) +
    hex(fields.shardIndex, 8) +
    '2';
  return BigInt(`0x${digits}`).toString(10);
}

/** Parses a sequence number produced by formatSequenceNumber; undefined if it is not one. */
export function parseSequenceNumber(decimal: string): SequenceFields | undefined {
  if (!/^(0|[1-9]\d{0,128})$/.test(decimal)) return undefined;
  const digits = BigInt(decimal).toString(16);
  if (digits.length !== 47 || digits[0] !== '2' || digits[46] !== '2') return undefined;
  return {
    shardCreatedSec: Number.parseInt(digits.slice(1, 10), 16),
    shardIndex: Number.parseInt(digits.slice(38, 46), 16),
    counter: BigInt(`0x${digits.slice(11, 27)}`),
    arrivalSec: Number.parseInt(digits.slice(29, 38), 16),
  };
}
