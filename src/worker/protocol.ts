/**
 * The worker protocol: the only module both threads import. Commands are verbs (main → worker), events are
 * nouns (worker → main). Snapshots are batched (at most SNAPSHOTS_PER_SECOND) and carry typed arrays whose
 * buffers are transferred, never one message per record.
 */
import type { LessonStatus, LessonStep } from '../common/lesson';
import type { Scenario, Speed, StreamConfig } from '../common/types';
import type {
  FaultError,
  FaultStatus,
  ProducerSpec,
  ProducerTotals,
  ShardDiagnosis,
  StreamSnapshot,
} from './engineTypes';

export type { ActionOutcome, LessonStatus, LessonStep, PauseCondition, StepAction } from '../common/lesson';
export { SPEEDS, type Speed, type StreamConfig } from '../common/types';

export const PROTOCOL_VERSION = 1;
/**
 * Served by `npm start`'s server only: a JSON `ServerSessionInfo` that tells the page the engine runs
 * there, and the WebSocket that carries this protocol (CBOR, see pageCodec.ts) between page and server.
 */
export const SERVER_SESSION_PATH = '/shardlab/session.json';
export const SERVER_SOCKET_PATH = '/shardlab/ws';

/** What SERVER_SESSION_PATH answers. */
export interface ServerSessionInfo {
  server: 'shardlab';
  socket: string;
  /** Whether pages need the presenter's `?token=` to change the simulation (the server is open to a LAN). */
  tokenRequired: boolean;
}
export const SNAPSHOTS_PER_SECOND = 10;
export const SNAPSHOT_INTERVAL_MS = 1000 / SNAPSHOTS_PER_SECOND;
/** Seconds of per-shard history each snapshot carries. */
export const SNAPSHOT_HISTORY_SECONDS = 120;

/** A record a person types in the "put one record" form. */
export interface ManualRecord {
  partitionKey: string;
  explicitHashKey?: string;
  /** UTF-8 text of the record's Data. */
  data: string;
}

/**
 * A fault to inject (see engine/faults.ts): `sharePercent` of PutRecord(s) calls answered with `error`
 * from `startInMs` virtual ms after the worker receives it (or from the virtual instant `startMs`, for a
 * fault already set), for `durationMs`; on one stream if named.
 */
export interface FaultRequest {
  error: FaultError;
  sharePercent: number;
  startInMs?: number;
  startMs?: number;
  durationMs: number;
  streamName?: string;
}

/**
 * Commands that act on the running simulation's streams, producers or clock position carry the generation
 * (see SimulationSnapshot) they were made for; the worker refuses one made for an earlier generation with a
 * message and changes nothing. Absent means "whatever is running" (scripts and tests).
 */
interface ForGeneration {
  generation?: number;
}

export type Command =
  | { type: 'createStream'; requestId: number; config: StreamConfig }
  | ({ type: 'setRetention'; requestId: number; retentionHours: number } & ForGeneration)
  | ({ type: 'putRecord'; requestId: number; record: ManualRecord } & ForGeneration)
  | ({ type: 'addProducer'; requestId: number; spec: ProducerSpec; start: boolean } & ForGeneration)
  | ({ type: 'updateProducer'; requestId: number; id: number; spec: ProducerSpec } & ForGeneration)
  | ({ type: 'setProducerRunning'; id: number; running: boolean } & ForGeneration)
  | ({ type: 'removeProducer'; id: number } & ForGeneration)
  /** Replaces the engine's injected faults (an empty list clears them); a bad one changes nothing. */
  | ({ type: 'setFaults'; requestId: number; faults: FaultRequest[] } & ForGeneration)
  | { type: 'loadScenario'; requestId: number; scenario: Scenario; paused?: boolean }
  | ({
      type: 'inspectKey';
      requestId: number;
      partitionKey: string;
      explicitHashKey?: string;
    } & ForGeneration)
  | { type: 'play' }
  | { type: 'pause' }
  /** Play if paused, pause if playing: decided by the worker, which always knows, not by a stale snapshot. */
  | { type: 'togglePlay' }
  | { type: 'setSpeed'; speed: Speed }
  | ({ type: 'step'; ms: number } & ForGeneration)
  /** Simulates `ms` of virtual time with the running producers (aggregate), in slices; see ClockStatus.jump. */
  | ({ type: 'jump'; ms: number } & ForGeneration)
  /** Stops a jump in progress where it got to. */
  | { type: 'cancelJump' }
  /** The engine's SplitShard, MergeShards and UpdateShardCount on the stream on screen [model §9]. */
  | ({ type: 'splitShard'; requestId: number; shardId: string; newStartingHashKey: string } & ForGeneration)
  | ({ type: 'mergeShards'; requestId: number; shardId: string; adjacentShardId: string } & ForGeneration)
  | ({ type: 'updateShardCount'; requestId: number; targetShardCount: number } & ForGeneration)
  /** The engine's UpdateStreamMode and UpdateStreamRecordDistributionStrategy [model §15.2, §15.3]. */
  | ({ type: 'updateStreamMode'; requestId: number; mode: 'PROVISIONED' | 'ON_DEMAND' } & ForGeneration)
  | ({
      type: 'updateRecordDistribution';
      requestId: number;
      strategy: 'USER_PARTITION_KEY' | 'AUTO';
    } & ForGeneration)
  /**
   * Puts another of the engine's streams on screen (one a client created through the Kinesis endpoint):
   * the page's producers move to it and views start afresh (a new generation).
   */
  | { type: 'viewStream'; requestId: number; streamName: string }
  /**
   * Opens a lesson (a scenario with steps, checked like any scenario) at step `stepIndex` (0-based): loads
   * it paused, replays steps 0 … stepIndex − 1 (each one's actions, then virtual time until its pause
   * condition is met, as play would), then runs step `stepIndex`'s actions and arms its pause condition.
   * Same seed, same steps: same numbers.
   */
  | { type: 'openLesson'; requestId: number; scenario: Scenario; stepIndex: number }
  /** Runs one lesson step's actions on the running simulation and arms its pause condition (Next). */
  | ({ type: 'lessonStep'; requestId: number; step: LessonStep; stepIndex: number } & ForGeneration)
  /** Stops watching the lesson step's pause condition and forgets the lesson status (Close). */
  | { type: 'clearLesson' };

/** The command types that carry a generation and are refused when it is stale. */
export const GENERATION_BOUND_COMMANDS: ReadonlySet<Command['type']> = new Set([
  'setRetention',
  'putRecord',
  'addProducer',
  'updateProducer',
  'setProducerRunning',
  'removeProducer',
  'setFaults',
  'inspectKey',
  'step',
  'jump',
  'splitShard',
  'mergeShards',
  'updateShardCount',
  'updateStreamMode',
  'updateRecordDistribution',
  'lessonStep',
]);

/** The result of a command that calls the engine: the Kinesis response, or its error type and message. */
export type CommandResult =
  | { ok: true; operation: string; output: Record<string, unknown> }
  | { ok: false; operation: string; errorType: string; message: string; field?: string };

/** A jump in progress: from and to which virtual instant, and where it has got to (epoch ms). */
export interface JumpProgress {
  fromMs: number;
  targetMs: number;
  nowMs: number;
}

/** What the time controls show: small enough to send after every command without batching. */
export interface ClockStatus {
  /** Increases with every change in the worker: the higher one is the newer state. */
  version: number;
  generation: number;
  nowMs: number;
  playing: boolean;
  /** The speed asked for. */
  speed: Speed;
  /** Virtual ms per wall ms actually simulated over the last 2 s of play (null when paused or unknown). */
  achievedSpeed: number | null;
  jump: JumpProgress | null;
}

export interface SimulationSnapshot {
  engineVersion: string;
  /** As in ClockStatus: orders snapshots and status events. */
  version: number;
  /** Changes whenever a new stream, scenario or seed replaces the simulation: views start afresh. */
  generation: number;
  seed: number;
  nowMs: number;
  playing: boolean;
  speed: Speed;
  achievedSpeed: number | null;
  jump: JumpProgress | null;
  /** The stream on screen, or null before one exists. */
  stream: StreamSnapshot | null;
  /** What is running, as a shareable scenario (stream, producers, seed, speed). */
  scenario: Scenario;
  /** Why each throttled shard throttles (hot key or hot shard): the stream's diagnosis, over its window. */
  diagnosis: ShardDiagnosis[];
  /** Every producer's totals, per shard. */
  producers: ProducerTotals[];
  /** The injected faults (absolute virtual window) and how many calls and records each failed. */
  faults: FaultStatus[];
  /** Distinct recent errors with their exact messages, newest first. */
  /**
   * Distinct errors, newest first: the operation(s) that met each (`WRITES` for records throttled or
   * refused on their way in, whichever of PutRecord and PutRecords carried them), its type and exact text.
   */
  recentErrors: { operation: string; errorType: string; message: string; count: number; lastMs: number }[];
  /** Every stream in the engine (the one on screen and those clients created), in creation order. */
  streams: StreamListing[];
  /**
   * The lesson step the worker ran last (its actions' answers) and its pause condition's outcome, measured
   * on the virtual clock; null when no lesson is open.
   */
  lesson: LessonStatus | null;
}

/** One of the engine's streams, as the stream picker lists it. */
export interface StreamListing {
  streamName: string;
  status: string;
  openShards: number;
}

/** The engine's limits, sent once so the UI draws and checks against them without hard-coding any. */
export interface EngineLimits {
  recordsPerSecond: number;
  bytesPerSecond: number;
  maxShards: number;
  retentionMinHours: number;
  retentionMaxHours: number;
  putRecordsMaxEntries: number;
  partitionKeyMaxLength: number;
  /** Shards an ON_DEMAND stream starts with, and the retention of a new stream (hours). */
  onDemandInitialShards: number;
  retentionDefaultHours: number;
  /**
   * On-demand scaling's figures (AWS 2022 documentation): capacity kept for this multiple of the 30-day
   * peak, a shard split past this write demand (bytes/s), and how long scaling takes to act (virtual ms).
   */
  onDemandPeakFactor: number;
  onDemandSplitBytesPerSecond: number;
  onDemandScaleDelayMs: number;
  /** The AWS SDK for JavaScript v3's retry figures and the bounds of a custom policy (engine/limits.ts). */
  retry: {
    sdkMaxAttempts: number;
    sdkThrottlingBaseMs: number;
    sdkTransientBaseMs: number;
    sdkMaxDelayMs: number;
    sdkInitialTokens: number;
    sdkRetryCost: number;
    sdkTimeoutRetryCost: number;
    customMaxAttempts: number;
    customMaxBaseMs: number;
    customMaxCapMs: number;
    /** End-to-end delay histogram bounds, ms (bucket 0: delay 0; one more bucket above the last). */
    delayBucketBoundsMs: number[];
    /** Attempts-per-lane series: lane length (virtual ms) and how many lanes. */
    laneMs: number;
    lanes: number;
  };
  /** Fault injection's bounds: faults at once, the longest window, the latest start from now (virtual ms). */
  faults: { max: number; maxDurationMs: number; maxStartMs: number };
  /** The KPL's defaults and bounds [model §12]: AggregationMaxSize (default, minimum), collection's request caps. */
  kplAggregationMaxBytesDefault: number;
  kplAggregationMaxBytesMin: number;
  kplCollectionMaxCount: number;
  kplCollectionMaxBytes: number;
  /** UTF-8 bytes of the partition key every aggregate carries ("a"): an aggregate's data is at most the stream's max record size less this. */
  kplAggregatePartitionKeyBytes: number;
}

export type WorkerEvent =
  | { type: 'ready'; protocol: typeof PROTOCOL_VERSION; engineVersion: string; limits: EngineLimits }
  /**
   * With `sameLayout`, the stream's `shards` and `lineage` were left out (sent empty) because they are the
   * ones of the previous snapshot: the receiver puts those back (restoreLayout). Thousands of shards are
   * then not copied ten times a second while nothing reshards.
   */
  | { type: 'snapshot'; snapshot: SimulationSnapshot; sameLayout?: boolean }
  /** The clock's state, sent at once after every command (snapshots follow at their own pace). */
  | { type: 'status'; status: ClockStatus }
  | { type: 'result'; requestId: number; result: CommandResult }
  | { type: 'commandError'; field: string; message: string }
  /**
   * Only from `npm start`'s server (the engine runs there, shared with Kinesis clients): whether this page
   * may change the simulation (the presenter's page, or any page on a loopback-only server).
   */
  | { type: 'session'; canControl: boolean }
  /** Only from the relay to the server: the WebSocket is open (again) or lost (it reconnects by itself). */
  | { type: 'connection'; connected: boolean };

/** The snapshot to post with `shards` and `lineage` left out (see the 'snapshot' event's `sameLayout`). */
export function withoutLayout(snapshot: SimulationSnapshot): SimulationSnapshot {
  const stream = snapshot.stream;
  return stream ? { ...snapshot, stream: { ...stream, shards: [], lineage: [] } } : snapshot;
}

/** A snapshot received without its layout, given back the previous snapshot's `shards` and `lineage`. */
export function restoreLayout(
  snapshot: SimulationSnapshot,
  previous: SimulationSnapshot | null,
): SimulationSnapshot {
  const stream = snapshot.stream;
  const before = previous?.stream;
  if (!stream || !before) return snapshot;
  return { ...snapshot, stream: { ...stream, shards: before.shards, lineage: before.lineage } };
}

/** The transferable buffers of a snapshot, so posting it copies nothing. */
export function snapshotTransferables(snapshot: SimulationSnapshot): ArrayBuffer[] {
  const stream = snapshot.stream;
  if (!stream) return [];
  const arrays = [
    stream.accepted,
    stream.acceptedBytes,
    stream.throttled,
    stream.expired,
    stream.retainedRecords,
    stream.retainedBytes,
    stream.countOnly,
    ...Object.values(stream.series),
    stream.cloudWatch.oneMinute.data,
    stream.cloudWatch.fiveMinutes.data,
  ];
  // The series share one buffer: list each buffer once (a duplicate makes postMessage throw).
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
