/**
 * Types and the few constants that the worker protocol, the scenario schema and the UI share, so none of
 * them imports another for its vocabulary (the protocol and the schema used to import each other).
 * Engine types are named here, never engine code: the UI only draws what the worker sends.
 */
import type { FaultSpec } from '../engine/faults';
import type { ThrottleModel } from '../engine/limits';
import type { ProducerSpec } from '../engine/producers/producerSet';
import type { LessonStep } from './lesson';

/** The speeds the clock can run at: virtual seconds per wall second. */
export const SPEEDS = [1, 10, 60, 600, 3600] as const;
export type Speed = (typeof SPEEDS)[number];

/** The stream a simulation runs on, as the stream form and a scenario file describe it. */
export interface StreamConfig {
  streamName: string;
  /** Shards of a PROVISIONED stream (an ON_DEMAND stream starts with the engine's 4). */
  shardCount: number;
  retentionHours: number;
  throttle: ThrottleModel;
  /** Capacity mode; PROVISIONED when absent. */
  mode?: 'PROVISIONED' | 'ON_DEMAND';
  /** How records are placed (AUTO: on-demand streams only); USER_PARTITION_KEY when absent. */
  recordDistribution?: 'USER_PARTITION_KEY' | 'AUTO';
}

/** The current scenario file format. */
export const SCENARIO_VERSION = 1;

/** A reproducible run: stream, producers, seed and speed. Shareable by URL and as a JSON file. */
export interface Scenario {
  version: typeof SCENARIO_VERSION;
  name?: string;
  lesson?: string;
  seed: number;
  speed: Speed;
  stream: StreamConfig;
  producers: { spec: ProducerSpec; running: boolean }[];
  /** Injected faults; each `startMs` counts virtual ms from the scenario's start (see scenario/schema.ts). */
  faults?: FaultSpec[];
  /** A lesson's numbered steps (see common/lesson.ts); a scenario without steps is not a lesson. */
  steps?: LessonStep[];
}
