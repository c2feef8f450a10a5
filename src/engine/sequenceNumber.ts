/**
 * Kinesis "v2" sequence numbers [model §2]: a 186-bit number written as 56 decimal digits whose hex layout is
 * `2 | shard creation s (9) | shard index low nibble (1) | counter (16) | stream tag (2) | arrival s (9) |
 * shard index (8) | 2`. Numbers are made only when one is shown or returned, never per stored record: with
 * BigInt, or from a shard's previous number's digits (SequenceNumbers).
 *
 * The byte at hex positions 27–28 is `00` in every number kinesalite makes and of unknown meaning on AWS.
 * Shardlab stores a per-stream tag there (1–255, see deriveStreamTag), so a number carries the identity of its
 * shard — stream incarnation, shard index and shard creation second — and Kinesis's refusal of a number from
 * another stream, or from an earlier stream of the same name, can be reproduced [model §15.6].
 */

/** The fields of a sequence number. */
export interface SequenceFields {
  /** When the shard was created, epoch seconds. */
  shardCreatedSec: number;
  shardIndex: number;
  /** The per-shard counter (63 bits); 0 is the shard's StartingSequenceNumber. */
  counter: bigint;
  /** When the record arrived, epoch seconds. */
  arrivalSec: number;
  /** The stream's tag (hex positions 27–28), 0–255; 0 (the default) is what kinesalite writes. */
  streamTag?: number;
}

/** Bit offsets of the fields in the 188-bit value (4 bits per hex digit, counted from the right). */
const AT_INDEX = 4n;
const AT_ARRIVAL = 36n;
const AT_TAG = 72n;
const AT_COUNTER = 80n;
const AT_INDEX_NIBBLE = 144n;
const AT_CREATED = 148n;
const LEADING_TWO = 2n << 184n;

/**
 * Formats a sequence number from its fields (`streamTag` defaults to 0). Built with shifts rather than
 * through a hex string: it is on every accepted record's answer (PutRecord, PutRecords).
 */
export function formatSequenceNumber(fields: SequenceFields): string {
  return (
    LEADING_TWO |
    (BigInt(fields.shardCreatedSec) << AT_CREATED) |
    (BigInt(fields.shardIndex & 0xf) << AT_INDEX_NIBBLE) |
    (BigInt.asUintN(64, fields.counter) << AT_COUNTER) |
    (BigInt((fields.streamTag ?? 0) & 0xff) << AT_TAG) |
    (BigInt(fields.arrivalSec) << AT_ARRIVAL) |
    (BigInt(fields.shardIndex >>> 0) << AT_INDEX) |
    2n
  ).toString(10);
}

/**
 * The fields of a sequence number but its counter, as one value to OR a counter into (see
 * formatWithCounter): a shard computes it once per arrival second instead of once per record.
 */
export function sequenceBase(fields: Omit<SequenceFields, 'counter'>): bigint {
  return (
    LEADING_TWO |
    (BigInt(fields.shardCreatedSec) << AT_CREATED) |
    (BigInt(fields.shardIndex & 0xf) << AT_INDEX_NIBBLE) |
    (BigInt((fields.streamTag ?? 0) & 0xff) << AT_TAG) |
    (BigInt(fields.arrivalSec) << AT_ARRIVAL) |
    (BigInt(fields.shardIndex >>> 0) << AT_INDEX) |
    2n
  );
}

/** The sequence number of `base` (sequenceBase) with this counter (a whole number, 0 to 2^53). */
export function formatWithCounter(base: bigint, counter: number): string {
  return (base | (BigInt(counter) << AT_COUNTER)).toString(10);
}

/** Decimal digits of every number of this layout: its leading hex 2 keeps it in [2·16^46, 3·16^46). */
const DIGITS = 56;
/** 2^AT_COUNTER's decimal digits, least significant first: what a counter one higher adds to a number. */
const COUNTER_STEP: readonly number[] = [...(1n << AT_COUNTER).toString(10)].reverse().map(Number);

/**
 * One shard's sequence numbers (see formatWithCounter), each made from the last where it can: the number
 * whose counter is one higher than the last one made, with the same base (every accepted record of a shard's
 * second but the first), adds 2^80's 25 digits to the last one's digits instead of building a BigInt and
 * printing it: ~0.1 µs instead of ~0.2 per record, on every entry of a PutRecords answer.
 */
export class SequenceNumbers {
  /** The last number made, as the character codes of its digits, most significant first. */
  private readonly codes = new Uint8Array(DIGITS);
  private lastBase = -1n;
  private lastCounter = Number.NaN;

  /** The sequence number of `base` (sequenceBase) with this counter (a whole number, 0 to 2^53). */
  format(base: bigint, counter: number): string {
    if (counter === this.lastCounter + 1 && base === this.lastBase) {
      this.lastCounter = counter;
      addCounterStep(this.codes);
      return digitsText(this.codes);
    }
    const text = formatWithCounter(base, counter);
    this.lastBase = base;
    // Only a number of the layout's length is a starting point (a base built elsewhere may not be one).
    this.lastCounter = text.length === DIGITS ? counter : Number.NaN;
    for (let i = 0; i < DIGITS; i++) this.codes[i] = text.charCodeAt(i);
    return text;
  }

  /**
   * format's number as ASCII digit codes written into `out` at `at` (room for 56 is the caller's): the
   * PutRecords answer written as bytes takes them without a string per entry. Returns the index after them.
   */
  write(base: bigint, counter: number, out: Uint8Array, at: number): number {
    if (counter === this.lastCounter + 1 && base === this.lastBase) {
      this.lastCounter = counter;
      addCounterStep(this.codes);
      out.set(this.codes, at);
      return at + DIGITS;
    }
    const text = this.format(base, counter);
    for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
    return at + text.length;
  }
}

/**
 * Adds 2^AT_COUNTER to the number whose digit codes `codes` holds (it never grows past DIGITS digits). The
 * carry is computed, not branched on: digits are random, and a branch on each cost twice the time.
 */
function addCounterStep(codes: Uint8Array): void {
  let carry = 0;
  let i = DIGITS - 1;
  for (let k = 0; k < COUNTER_STEP.length; k++, i--) {
    const sum = (codes[i] as number) - 48 + (COUNTER_STEP[k] as number) + carry;
    // 1 exactly when sum ≥ 10 (sum is 0–19).
    carry = (sum + 6) >> 4;
    codes[i] = 48 + sum - 10 * carry;
  }
  while (carry === 1) {
    const sum = (codes[i] as number) - 47;
    carry = (sum + 6) >> 4;
    codes[i] = 48 + sum - 10 * carry;
    i--;
  }
}

/** The text of 56 digit codes: one call with every code, built in one step (a loop or apply: 3× slower). */
function digitsText(c: Uint8Array): string {
  return String.fromCharCode(
    c[0] as number,
    c[1] as number,
    c[2] as number,
    c[3] as number,
    c[4] as number,
    c[5] as number,
    c[6] as number,
    c[7] as number,
    c[8] as number,
    c[9] as number,
    c[10] as number,
    c[11] as number,
    c[12] as number,
    c[13] as number,
    c[14] as number,
    c[15] as number,
    c[16] as number,
    c[17] as number,
    c[18] as number,
    c[19] as number,
    c[20] as number,
    c[21] as number,
    c[22] as number,
    c[23] as number,
    c[24] as number,
    c[25] as number,
    c[26] as number,
    c[27] as number,
    c[28] as number,
    c[29] as number,
    c[30] as number,
    c[31] as number,
    c[32] as number,
    c[33] as number,
    c[34] as number,
    c[35] as number,
    c[36] as number,
    c[37] as number,
    c[38] as number,
    c[39] as number,
    c[40] as number,
    c[41] as number,
    c[42] as number,
    c[43] as number,
    c[44] as number,
    c[45] as number,
    c[46] as number,
    c[47] as number,
    c[48] as number,
    c[49] as number,
    c[50] as number,
    c[51] as number,
    c[52] as number,
    c[53] as number,
    c[54] as number,
    c[55] as number,
  );
}

/**
 * Parses a sequence number in the 56-digit layout; undefined if it is not one. `streamTag` is always set
 * (0 for kinesalite's numbers).
 */
export function parseSequenceNumber(decimal: string): SequenceFields | undefined {
  if (!/^(0|[1-9]\d{0,128})$/.test(decimal)) return undefined;
  const digits = BigInt(decimal).toString(16);
  if (digits.length !== 47 || digits[0] !== '2' || digits[46] !== '2') return undefined;
  return {
    shardCreatedSec: Number.parseInt(digits.slice(1, 10), 16),
    shardIndex: Number.parseInt(digits.slice(38, 46), 16),
    counter: BigInt(`0x${digits.slice(11, 27)}`),
    arrivalSec: Number.parseInt(digits.slice(29, 38), 16),
    streamTag: Number.parseInt(digits.slice(27, 29), 16),
  };
}

/** Stream tags run from 1 to 255: 0 is left to numbers made elsewhere (kinesalite, formatSequenceNumber). */
export const STREAM_TAG_COUNT = 255;

/**
 * A new stream's sequence-number tag, 1–255, derived without any random draw (so creating a stream does not
 * shift the engine's seeded sequence): a hash of the stream's name, its creation ms and the engine's count of
 * streams created so far, keyed by the engine's secret. `taken(tag)` says which tags to avoid — the engine
 * passes the tags of its live streams, of the previous stream of the same name and of the streams created in
 * the same virtual second — and the first free tag from the hash on is used; if all 255 are taken, the hashed
 * one.
 */
export function deriveStreamTag(
  name: string,
  createdMs: number,
  ordinal: number,
  secret: number,
  taken: (tag: number) => boolean,
): number {
  const text = `${name}|${createdMs}|${ordinal}`;
  let h = (0x811c9dc5 ^ secret) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  // Final avalanche (murmur3's fmix32), so every input bit reaches the low byte.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  const first = (h >>> 0) % STREAM_TAG_COUNT;
  for (let i = 0; i < STREAM_TAG_COUNT; i++) {
    const tag = ((first + i) % STREAM_TAG_COUNT) + 1;
    if (!taken(tag)) return tag;
  }
  return first + 1;
}
