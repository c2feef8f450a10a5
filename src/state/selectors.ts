import type { SimState } from './store';

export const selectActions = (s: SimState) => s.actions;
export const selectEngineVersion = (s: SimState) => s.engineVersion;
export const selectNowMs = (s: SimState) => s.clock?.nowMs ?? null;
export const selectPlaying = (s: SimState) => s.clock?.playing ?? false;
export const selectSpeed = (s: SimState) => s.clock?.speed ?? 1;
/** Virtual ms per wall ms actually simulated lately (null when paused or not yet measured). */
export const selectAchievedSpeed = (s: SimState) => s.clock?.achievedSpeed ?? null;
/** The jump in progress, or null. */
export const selectJump = (s: SimState) => s.clock?.jump ?? null;
/** Whether any producer's latest records were simulated in aggregate (counts drawn per shard). */
export const selectAggregated = (s: SimState) => s.snapshot?.producers.some((p) => p.aggregated) ?? false;
export const selectStream = (s: SimState) => s.snapshot?.stream ?? null;
/** The stream for charts and tables, refreshed at a bounded rate (see VIEW_REFRESH_MS). */
export const selectViewStream = (s: SimState) => s.viewStream;
export const selectShards = (s: SimState) => s.snapshot?.stream?.shards;
export const selectRecentErrors = (s: SimState) => s.snapshot?.recentErrors;
export const selectCommandError = (s: SimState) => s.commandError;
export const selectResult = (slot: keyof SimState['results']) => (s: SimState) => s.results[slot];
export const selectPending = (slot: keyof SimState['pending']) => (s: SimState) => s.pending[slot] ?? false;
export const selectLimits = (s: SimState) => s.limits;
/** `npm start`'s server, when the engine runs there (null: it runs in this page). */
export const selectServer = (s: SimState) => s.server;
/** Every stream of the engine, for the stream picker. */
export const selectStreamListing = (s: SimState) => s.snapshot?.streams;
/** The name of the stream on screen. */
export const selectStreamName = (s: SimState) => s.snapshot?.scenario.stream.streamName ?? null;
/** The lesson on screen (scenario, steps, step shown), or null. */
export const selectLesson = (s: SimState) => s.lesson;
/** What the worker reports of the lesson step it ran last: its actions' answers and its pause's outcome. */
export const selectLessonStatus = (s: SimState) => s.snapshot?.lesson ?? null;
