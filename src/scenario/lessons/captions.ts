import type { LessonStatus, PauseCondition } from '../../common/lesson';

/** What a caption shows for `{shard}` and `{time}` before its pause condition is met. */
export const UNFILLED_SHARD = '[which shard]';
export const UNFILLED_TIME = '[when]';

/** A virtual epoch-ms instant as the lesson panel names it: `HH:MM:SS UTC`. */
export function virtualTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/**
 * A step's caption with `{shard}` and `{time}` filled from the worker's pause outcome: the shard the
 * condition was met on and the virtual instant. Until it is met they read as blanks to be filled, "[which
 * shard]" and "[when]": a caption never shows a number the simulation did not produce.
 */
export function fillCaption(caption: string, pause: LessonStatus['pause'] | null | undefined): string {
  const met = pause?.met === true;
  const shard = met && pause.shardId ? pause.shardId : UNFILLED_SHARD;
  const time = met && pause.atMs !== null ? virtualTime(pause.atMs) : UNFILLED_TIME;
  return caption.replaceAll('{shard}', shard).replaceAll('{time}', time);
}

/** What a pause condition waits for, in words (e.g. "when shardId-000000000003 first throttles"). */
export function describeCondition(condition: PauseCondition): string {
  switch (condition.kind) {
    case 'shardThrottles':
      return condition.shardId ? `when ${condition.shardId} first throttles` : 'when a shard first throttles';
    case 'afterSeconds':
      return `after ${condition.seconds.toLocaleString('en-US')} virtual seconds`;
    case 'diagnosis':
      return `when the Diagnosis names a ${condition.verdict === 'hotKey' ? 'hot key' : 'hot shard'}${
        condition.shardId ? ` on ${condition.shardId}` : ''
      }`;
    case 'streamActive':
      return 'when the stream is ACTIVE';
    case 'shardsChange':
      return 'when the open shards change';
  }
}

/**
 * The pause condition's outcome in one line, from what the worker measured: "Paused: shardId-000000000003
 * first throttled at 12:00:07 UTC", or what it is waiting for. Null for a step without a pause condition.
 */
export function pauseOutcome(pause: LessonStatus['pause'] | null | undefined): string | null {
  if (!pause) return null;
  if (pause.gaveUpAfterMs !== null)
    return `Not met: replaying this step ran ${Math.round(pause.gaveUpAfterMs / 1000).toLocaleString('en-US')} virtual seconds without it (${describeCondition(pause.condition)}).`;
  if (!pause.met || pause.atMs === null)
    return `Waiting: the lesson pauses ${describeCondition(pause.condition)}.`;
  const at = virtualTime(pause.atMs);
  const c = pause.condition;
  switch (c.kind) {
    case 'shardThrottles':
      return `Paused at the end of that second: ${pause.shardId ?? 'a shard'} first throttled at ${at}.`;
    case 'afterSeconds':
      return `Paused at ${at}, ${c.seconds.toLocaleString('en-US')} virtual seconds after the step began.`;
    case 'diagnosis':
      return `Paused: the Diagnosis names a ${c.verdict === 'hotKey' ? 'hot key' : 'hot shard'} on ${pause.shardId ?? 'a shard'} at ${at}.`;
    case 'streamActive':
      return `Paused: the stream was ACTIVE at ${at}.`;
    case 'shardsChange':
      return `Paused: the open shards changed at ${at}.`;
  }
}
