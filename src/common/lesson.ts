/**
 * Guided lessons: a lesson is a scenario (same file format) plus numbered steps. Each step has a caption,
 * actions the worker performs, and optionally a condition the worker watches on the virtual clock and
 * pauses at (exact at every speed). The schema (scenario/schema.ts) checks these shapes; the worker
 * (worker/lessonWatch.ts, worker/host.ts) runs them; the UI only shows captions and what the worker reports.
 */
import type { KeyDistribution } from '../engine/producers/keyDistribution';
import type { ProducerSpec } from '../engine/producers/producerSet';
import type { Speed } from './types';

/** Longest caption (characters) and most steps a lesson may have. */
export const LESSON_CAPTION_MAX = 600;
export const LESSON_STEPS_MAX = 40;
/** Most actions one step may perform. */
export const LESSON_ACTIONS_MAX = 20;

/**
 * Where a step pauses the clock, watched by the worker after every slice of virtual time it simulates:
 * - `shardThrottles`: the first record throttled on `shardId` (any shard when absent) since the step began;
 * - `afterSeconds`: `seconds` of virtual time after the step began;
 * - `diagnosis`: the engine's diagnosis (last 5 virtual seconds) gives `verdict` for `shardId` (any shard);
 * - `streamActive`: the stream is ACTIVE (after a SplitShard, MergeShards, UpdateShardCount or mode switch);
 * - `shardsChange`: the open shards differ from those at the step's start (e.g. on-demand scaling split one).
 */
export type PauseCondition =
  | { kind: 'shardThrottles'; shardId?: string }
  | { kind: 'afterSeconds'; seconds: number }
  | { kind: 'diagnosis'; verdict: 'hotKey' | 'hotShard'; shardId?: string }
  | { kind: 'streamActive' }
  | { kind: 'shardsChange' };

/**
 * What a step does, in order, before its pause condition is armed: the things the page's controls do.
 * Producers are named by their `name` (the first with that name). `splitShard` without a
 * `newStartingHashKey` splits the shard's hash range evenly (computed by the worker). `jump` and `step` are
 * virtual time; `burst` adds a burst producer that sends `recordCount` records at the current instant.
 */
export type StepAction =
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'setSpeed'; speed: Speed }
  | { type: 'step'; seconds: number }
  | { type: 'jump'; hours: number }
  | { type: 'addProducer'; producer: ProducerSpec; running?: boolean }
  | { type: 'setProducerRunning'; producer: string; running: boolean }
  | {
      type: 'burst';
      name: string;
      recordCount: number;
      distribution: KeyDistribution;
      api?: 'PutRecord' | 'PutRecords';
      batchSize?: number;
      payloadBytes?: { min: number; max: number };
    }
  | { type: 'putRecord'; partitionKey: string; explicitHashKey?: string; data: string }
  | { type: 'splitShard'; shardId: string; newStartingHashKey?: string }
  | { type: 'mergeShards'; shardId: string; adjacentShardId: string }
  | { type: 'updateShardCount'; targetShardCount: number }
  | { type: 'updateStreamMode'; mode: 'PROVISIONED' | 'ON_DEMAND' }
  | { type: 'updateRecordDistribution'; strategy: 'USER_PARTITION_KEY' | 'AUTO' }
  | { type: 'setRetention'; hours: number };

/** One numbered step of a lesson. */
export interface LessonStep {
  /**
   * What to look at and what to predict. `{shard}` and `{time}` are filled from the pause condition's
   * outcome (the shard it was met on, the virtual UTC time), never from the file.
   */
  caption: string;
  actions?: StepAction[];
  pauseWhen?: PauseCondition;
}

/** What one action did: Kinesis's answer in words (e.g. the ShardId a PutRecord went to), or why it failed. */
export interface ActionOutcome {
  action: StepAction['type'];
  ok: boolean;
  /** "PutRecord: ShardId shardId-000000000002, SequenceNumber 4960…" or "SplitShard: ResourceInUseException: …". */
  summary: string;
  /** The ShardId an action's answer named (PutRecord), for tests and the caption. */
  shardId?: string;
}

/** The running lesson step as the worker reports it in every snapshot. */
export interface LessonStatus {
  /** The step (0-based) whose actions ran last. */
  stepIndex: number;
  outcomes: ActionOutcome[];
  /** Its pause condition and whether (and when, and where) it was met; null for a step without one. */
  pause: {
    condition: PauseCondition;
    /** Virtual epoch ms the watch began (after the step's actions). */
    armedAtMs: number;
    met: boolean;
    /** Virtual epoch ms the condition was met (the clock paused there), null until then. */
    atMs: number | null;
    /** The shard it was met on (first throttled, diagnosed), or null when the condition names none. */
    shardId: string | null;
    /** Replaying an earlier step gave up after this much virtual time without meeting it (ms), else null. */
    gaveUpAfterMs: number | null;
  } | null;
}
