/**
 * Checks of commands from the page before they reach the engine: a malformed command is refused naming the
 * field at fault and changes nothing. Kinesis-level rules (name patterns, quotas) are the engine's to check.
 */
import { type ApiResult, limits } from '../engine';
import { type ProducerSpec, producerProblem } from '../engine/producers/producerSet';
import { producerSchema } from '../scenario/schema';
import type { CommandResult, ManualRecord, StreamConfig } from './protocol';

/** A field and what is wrong with it. */
export interface Problem {
  field: string;
  message: string;
}

/** A command refused before it reached the engine, naming the field at fault. */
export function refused(operation: string, errorType: string, field: string, message: string): CommandResult {
  return { ok: false, operation, errorType, message, field };
}

/** A typed engine call's result as the UI shows it: the output, or the Kinesis error type and message. */
export function toCommandResult(operation: string, result: ApiResult): CommandResult {
  return result.ok
    ? { ok: true, operation, output: result.value }
    : { ok: false, operation, errorType: result.error.type, message: result.error.message };
}

/** Checks a stream configuration's types and Shardlab's own bounds (1–500 shards on the page). */
export function configProblem(config: StreamConfig | undefined): Problem | undefined {
  if (!config || typeof config !== 'object')
    return { field: 'config', message: 'a stream configuration is required' };
  if (typeof config.streamName !== 'string')
    return { field: 'streamName', message: 'StreamName must be a string' };
  const maxShards = limits.SIMULATOR_MAX_SHARDS_PER_STREAM;
  if (!Number.isInteger(config.shardCount) || config.shardCount < 1 || config.shardCount > maxShards) {
    return { field: 'shardCount', message: `shard count must be a whole number from 1 to ${maxShards}` };
  }
  if (!Number.isInteger(config.retentionHours)) {
    return { field: 'retentionHours', message: 'RetentionPeriodHours must be a whole number of hours' };
  }
  if (!limits.THROTTLE_MODELS.includes(config.throttle)) {
    return { field: 'throttle', message: `throttle must be one of ${limits.THROTTLE_MODELS.join(', ')}` };
  }
  if (config.mode !== undefined && !limits.STREAM_MODES.includes(config.mode)) {
    return { field: 'mode', message: `capacity mode must be ${limits.STREAM_MODES.join(' or ')}` };
  }
  const strategies: readonly string[] = limits.RECORD_DISTRIBUTION_STRATEGIES;
  if (config.recordDistribution !== undefined && !strategies.includes(config.recordDistribution)) {
    return {
      field: 'recordDistribution',
      message: `record distribution must be ${limits.RECORD_DISTRIBUTION_STRATEGIES.join(' or ')}`,
    };
  }
  return undefined;
}

/**
 * What is wrong with a producer spec from a command, as [field, message]: its shape first (the scenario
 * schema, so a worker command and an imported file are held to the same rules), then the engine's checks.
 */
export function producerSpecProblem(spec: unknown): [string, string] | undefined {
  if (typeof spec !== 'object' || spec === null) return ['spec', 'a producer spec is required'];
  // The engine's checks first: their messages are written for people. A spec too malformed for them
  // (missing parts) falls through to the schema, which names the field.
  let problem: [string, string] | undefined;
  try {
    problem = producerProblem(spec as ProducerSpec);
  } catch {
    problem = undefined;
  }
  if (problem) return problem;
  const parsed = producerSchema.safeParse(spec);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'spec';
  return [field, `${field}: ${issue?.message ?? 'not a producer'}`];
}

/** The field of a hand-typed record that is not a string, or undefined. */
export function manualRecordProblem(record: ManualRecord | undefined): string | undefined {
  const r = record as unknown as Partial<Record<string, unknown>> | undefined;
  if (!r) return 'record';
  if (typeof r.partitionKey !== 'string') return 'partitionKey';
  if (typeof r.data !== 'string') return 'data';
  if (r.explicitHashKey !== undefined && typeof r.explicitHashKey !== 'string') return 'explicitHashKey';
  return undefined;
}

/** Longest step or jump a command may ask for, virtual ms (366 days). */
export const MAX_TIME_STEP_MS = 366 * 24 * 3_600_000;

/** What is wrong with a step or jump length (ms), or undefined. */
export function timeStepProblem(ms: number): string | undefined {
  return Number.isFinite(ms) && ms > 0 && ms <= MAX_TIME_STEP_MS
    ? undefined
    : 'time steps must be between 1 ms and 366 days';
}
