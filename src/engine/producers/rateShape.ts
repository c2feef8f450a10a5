/**
 * Rate shapes: a producer whose rate changes on a fixed cycle of virtual time, such as a batch job that
 * takes a steady load to a burst rate for a few seconds at the top of every minute — the "micro-burst" AWS names
 * as why a stream throttles while its 1-minute CloudWatch metrics look under quota (repost.aws
 * knowledge-center kinesis-data-stream-throttling, "Hidden micro spikes in the CloudWatch metrics").
 */

/** The longest cycle a rate shape may have, virtual ms (one hour). */
export const RATE_SHAPE_MAX_PERIOD_MS = 3_600_000;
/** The highest rate a producer may ask for, records per virtual second (as ProducerSpec.rate). */
const MAX_RATE = 10_000_000;

/**
 * A burst of `burstMs` at `burstRate` records/s at the start of every cycle of `periodMs`, cycles aligned to
 * whole multiples of `periodMs` since the epoch (60,000: each virtual minute from :00); the producer's own
 * `rate` applies for the rest of each cycle.
 */
export interface RateShape {
  kind: 'periodicBurst';
  periodMs: number;
  burstMs: number;
  burstRate: number;
}

/** Checks a rate shape; returns [field, message] for the first problem, or undefined. */
export function rateShapeProblem(shape: RateShape | undefined): [string, string] | undefined {
  if (shape === undefined) return undefined;
  if (shape === null || typeof shape !== 'object' || shape.kind !== 'periodicBurst')
    return ['rateShape', 'rate shape must be a periodicBurst'];
  const { periodMs, burstMs, burstRate } = shape;
  if (!Number.isInteger(periodMs) || periodMs < 1000 || periodMs > RATE_SHAPE_MAX_PERIOD_MS)
    return ['rateShape', 'a burst cycle must be whole ms from 1 s to 1 h'];
  if (!Number.isInteger(burstMs) || burstMs <= 0 || burstMs >= periodMs)
    return ['rateShape', 'a burst must last whole ms, more than 0 and less than its cycle'];
  if (!Number.isFinite(burstRate) || burstRate <= 0 || burstRate > MAX_RATE)
    return ['rateShape', 'burst rate must be above 0 and at most 10,000,000 records/s'];
  return undefined;
}

/**
 * Records a producer owes for running from `startedMs` for `spellMs` virtual ms (not rounded): `rate`
 * records/s, or with `shape`, the shaped rate's integral over (startedMs, startedMs + spellMs].
 *
 * @example recordsOwed(350, { kind: 'periodicBurst', periodMs: 60_000, burstMs: 3_000, burstRate: 3_000 }, 0, 60_000)
 * // 3 s × 3,000 + 57 s × 350 = 28,950
 */
export function recordsOwed(
  rate: number,
  shape: RateShape | undefined,
  startedMs: number,
  spellMs: number,
): number {
  if (shape === undefined) return (rate * spellMs) / 1000;
  // Measured from the cycle that holds startedMs: small numbers, so no precision is lost at epoch ms.
  const base = Math.floor(startedMs / shape.periodMs) * shape.periodMs;
  return cumulative(rate, shape, startedMs + spellMs - base) - cumulative(rate, shape, startedMs - base);
}

/** Records owed from the start of a cycle to `ms` after it. */
function cumulative(rate: number, shape: RateShape, ms: number): number {
  const { periodMs, burstMs, burstRate } = shape;
  const cycles = Math.floor(ms / periodMs);
  const within = ms - cycles * periodMs;
  const perCycle = (burstRate * burstMs + rate * (periodMs - burstMs)) / 1000;
  const part =
    within <= burstMs
      ? (burstRate * within) / 1000
      : (burstRate * burstMs + rate * (within - burstMs)) / 1000;
  return cycles * perCycle + part;
}
