import { z } from 'zod';
import {
  LESSON_ACTIONS_MAX,
  LESSON_CAPTION_MAX,
  LESSON_STEPS_MAX,
  type LessonStep,
  type PauseCondition,
  type StepAction,
} from '../common/lesson';
import { SCENARIO_VERSION, type Scenario, SPEEDS, type StreamConfig } from '../common/types';
import type { FaultSpec } from '../engine/faults';
import type { ThrottleModel } from '../engine/limits';
import {
  DATA_MODEL_MAX_BYTES,
  FAULT_ERRORS,
  FAULT_MAX_DURATION_MS,
  FAULT_MAX_START_MS,
  FAULTS_MAX,
  HASH_KEY_PATTERN,
  JITTER_KINDS,
  KPL_AGGREGATION_MAX_BYTES_MIN,
  PARTITION_KEY_MAX_LENGTH,
  PARTITION_KEY_MIN_LENGTH,
  PUT_RECORDS_MAX_ENTRIES,
  PUT_RECORDS_MIN_ENTRIES,
  RECORD_DISTRIBUTION_STRATEGIES,
  RETENTION_HOURS_MAX,
  RETENTION_HOURS_MIN,
  RETRY_CUSTOM_MAX_ATTEMPTS,
  RETRY_CUSTOM_MAX_BASE_MS,
  RETRY_CUSTOM_MAX_CAP_MS,
  STREAM_NAME_MAX_LENGTH,
  STREAM_NAME_MIN_LENGTH,
  THROTTLE_MODELS,
} from '../engine/limits';
import type { KeyDistribution } from '../engine/producers/keyDistribution';
import type { RetryPolicy } from '../engine/producers/retryPolicy';

export { SCENARIO_VERSION, type Scenario } from '../common/types';
/** Imported files and shared URLs larger than this are refused before parsing. */
export const MAX_SCENARIO_BYTES = 256 * 1024;

// Kinesis's limits come from the engine (the one place they live); the rest are Shardlab's own bounds.
const key = z.string().min(PARTITION_KEY_MIN_LENGTH).max(PARTITION_KEY_MAX_LENGTH);
const count = z.number().int().min(1).max(1_000_000);
const prefix = z.string().max(200).optional();

const distributionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('uniform'), keyCount: count, prefix }),
  z.strictObject({ kind: z.literal('zipf'), keyCount: count, exponent: z.number().gt(0).max(5), prefix }),
  z.strictObject({
    kind: z.literal('hotKey'),
    hotKey: key,
    hotPercent: z.number().min(0).max(100),
    keyCount: count,
    prefix,
  }),
  z.strictObject({ kind: z.literal('sequential'), prefix, start: z.number().int().min(0).optional() }),
  z.strictObject({ kind: z.literal('timestamp') }),
  z.strictObject({
    kind: z.literal('weighted'),
    keys: z
      .array(z.strictObject({ key, weight: z.number().min(0).finite() }))
      .min(1)
      .max(10_000),
  }),
  z.strictObject({
    kind: z.literal('explicitHashKeys'),
    hashKeys: z
      .array(z.string().regex(new RegExp(`^(${HASH_KEY_PATTERN})$`)))
      .max(10_000)
      .optional(),
    partitionKey: key.optional(),
  }),
]);

/** The largest Data blob the API model allows (10 MiB); a stream's own limit is the engine's to enforce. */
const MAX_DATA_BYTES = DATA_MODEL_MAX_BYTES;

/** How a producer retries (see engine/producers/retryPolicy.ts); the engine checks cap ≥ base. */
export const retryPolicySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('sdkDefault') }),
  z.strictObject({
    kind: z.literal('custom'),
    maxAttempts: z.number().int().min(1).max(RETRY_CUSTOM_MAX_ATTEMPTS),
    baseMs: z.number().min(1).max(RETRY_CUSTOM_MAX_BASE_MS),
    capMs: z.number().min(1).max(RETRY_CUSTOM_MAX_CAP_MS),
    jitter: z.enum(JITTER_KINDS),
  }),
]);

/**
 * An injected fault in a scenario file (see engine/faults.ts): `startMs` counts virtual ms from the
 * scenario's start (its stream ACTIVE), so a file replays the same window whenever it is loaded.
 */
export const faultSchema = z.strictObject({
  error: z.enum(FAULT_ERRORS),
  sharePercent: z.number().gt(0).max(100),
  startMs: z.number().min(0).max(FAULT_MAX_START_MS),
  durationMs: z.number().gt(0).max(FAULT_MAX_DURATION_MS),
  streamName: z.string().min(STREAM_NAME_MIN_LENGTH).max(STREAM_NAME_MAX_LENGTH).optional(),
});

/** A producer as a scenario file or a worker command carries it. */
export const producerSchema = z.strictObject({
  name: z.string().trim().min(1).max(64),
  api: z.enum(['PutRecord', 'PutRecords']),
  batchSize: z.number().int().min(PUT_RECORDS_MIN_ENTRIES).max(PUT_RECORDS_MAX_ENTRIES),
  payloadBytes: z
    .strictObject({
      min: z.number().int().min(0).max(MAX_DATA_BYTES),
      max: z.number().int().min(0).max(MAX_DATA_BYTES),
    })
    .refine((p) => p.min <= p.max, 'payloadBytes.min must not exceed payloadBytes.max'),
  rate: z.union([z.number().gt(0).max(10_000_000), z.literal('burst')]),
  recordCount: z.number().int().min(1).max(100_000_000).optional(),
  durationMs: z
    .number()
    .gt(0)
    .max(366 * 24 * 3_600_000)
    .optional(),
  distribution: distributionSchema,
  /** A burst rate for the start of every cycle, `rate` the rest of it (engine/producers/rateShape.ts checks the rest). */
  rateShape: z
    .strictObject({
      kind: z.literal('periodicBurst'),
      periodMs: z.number().int().min(1000).max(3_600_000), // RATE_SHAPE_MAX_PERIOD_MS
      burstMs: z.number().int().gt(0),
      burstRate: z.number().gt(0).max(10_000_000),
    })
    .refine(
      (shape) => shape.burstMs < shape.periodMs,
      'rateShape.burstMs must be less than rateShape.periodMs',
    )
    .optional(),
  retry: retryPolicySchema.optional(),
  // KPL aggregation and collection [model §12]; the engine checks the size against the stream's maximum.
  kpl: z
    .strictObject({
      aggregationMaxBytes: z.number().int().min(KPL_AGGREGATION_MAX_BYTES_MIN).max(MAX_DATA_BYTES),
      collection: z.boolean(),
    })
    .optional(),
});

const shardId = z.string().min(1).max(128);
const hashKey = z.string().regex(new RegExp(`^(${HASH_KEY_PATTERN})$`));

/** Where a lesson step pauses (see PauseCondition in common/lesson.ts). */
export const pauseConditionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('shardThrottles'), shardId: shardId.optional() }),
  z.strictObject({
    kind: z.literal('afterSeconds'),
    seconds: z
      .number()
      .gt(0)
      .max(366 * 24 * 3600),
  }),
  z.strictObject({
    kind: z.literal('diagnosis'),
    verdict: z.enum(['hotKey', 'hotShard']),
    shardId: shardId.optional(),
  }),
  z.strictObject({ kind: z.literal('streamActive') }),
  z.strictObject({ kind: z.literal('shardsChange') }),
]);

/** What a lesson step does (see StepAction in common/lesson.ts); producers' shapes are the scenario's own. */
export const stepActionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('play') }),
  z.strictObject({ type: z.literal('pause') }),
  z.strictObject({ type: z.literal('setSpeed'), speed: z.literal([...SPEEDS]) }),
  z.strictObject({
    type: z.literal('step'),
    seconds: z.number().gt(0).max(3600),
  }),
  z.strictObject({
    type: z.literal('jump'),
    hours: z
      .number()
      .gt(0)
      .max(366 * 24),
  }),
  z.strictObject({
    type: z.literal('addProducer'),
    producer: producerSchema,
    running: z.boolean().optional(),
  }),
  z.strictObject({
    type: z.literal('setProducerRunning'),
    producer: z.string().trim().min(1).max(64),
    running: z.boolean(),
  }),
  z.strictObject({
    type: z.literal('burst'),
    name: z.string().trim().min(1).max(64),
    recordCount: z.number().int().min(1).max(100_000_000),
    distribution: distributionSchema,
    api: z.enum(['PutRecord', 'PutRecords']).optional(),
    batchSize: z.number().int().min(PUT_RECORDS_MIN_ENTRIES).max(PUT_RECORDS_MAX_ENTRIES).optional(),
    payloadBytes: z
      .strictObject({
        min: z.number().int().min(0).max(MAX_DATA_BYTES),
        max: z.number().int().min(0).max(MAX_DATA_BYTES),
      })
      .refine((p) => p.min <= p.max, 'payloadBytes.min must not exceed payloadBytes.max')
      .optional(),
  }),
  z.strictObject({
    type: z.literal('putRecord'),
    partitionKey: key,
    explicitHashKey: hashKey.optional(),
    data: z.string().max(1_000_000),
  }),
  z.strictObject({ type: z.literal('splitShard'), shardId, newStartingHashKey: hashKey.optional() }),
  z.strictObject({ type: z.literal('mergeShards'), shardId, adjacentShardId: shardId }),
  z.strictObject({
    type: z.literal('updateShardCount'),
    targetShardCount: z.number().int().min(1).max(10_000),
  }),
  z.strictObject({ type: z.literal('updateStreamMode'), mode: z.enum(['PROVISIONED', 'ON_DEMAND']) }),
  z.strictObject({
    type: z.literal('updateRecordDistribution'),
    strategy: z.enum(RECORD_DISTRIBUTION_STRATEGIES),
  }),
  z.strictObject({
    type: z.literal('setRetention'),
    hours: z.number().int().min(RETENTION_HOURS_MIN).max(RETENTION_HOURS_MAX),
  }),
]);

/** One numbered step of a lesson: a caption, the actions it performs, and where it pauses. */
export const lessonStepSchema = z.strictObject({
  caption: z.string().trim().min(1).max(LESSON_CAPTION_MAX),
  actions: z.array(stepActionSchema).max(LESSON_ACTIONS_MAX).optional(),
  pauseWhen: pauseConditionSchema.optional(),
});

export const scenarioSchema = z.strictObject({
  version: z.literal(SCENARIO_VERSION),
  name: z.string().max(120).optional(),
  lesson: z.string().max(500).optional(),
  seed: z.number().int().min(0).max(0xffffffff),
  speed: z.literal([...SPEEDS]),
  stream: z.strictObject({
    streamName: z.string().min(STREAM_NAME_MIN_LENGTH).max(STREAM_NAME_MAX_LENGTH),
    shardCount: z.number().int().min(1).max(500),
    retentionHours: z.number().int().min(RETENTION_HOURS_MIN).max(RETENTION_HOURS_MAX),
    throttle: z.enum(THROTTLE_MODELS as [ThrottleModel, ...ThrottleModel[]]),
    mode: z.enum(['PROVISIONED', 'ON_DEMAND']).optional(),
    recordDistribution: z.enum(RECORD_DISTRIBUTION_STRATEGIES).optional(),
  }),
  producers: z.array(z.strictObject({ spec: producerSchema, running: z.boolean() })).max(50),
  faults: z.array(faultSchema).max(FAULTS_MAX).optional(),
  /** A lesson's steps: a scenario with steps is a lesson (same file, same checks). */
  steps: z.array(lessonStepSchema).min(1).max(LESSON_STEPS_MAX).optional(),
});

// Compile-time check that the schema and the TypeScript types describe the same thing.
type Parsed = z.infer<typeof scenarioSchema>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesTypes: Same<Parsed['stream'], StreamConfig> &
  Same<z.infer<typeof distributionSchema>, KeyDistribution> &
  Same<z.infer<typeof retryPolicySchema>, RetryPolicy> &
  Same<z.infer<typeof faultSchema>, FaultSpec> &
  Same<z.infer<typeof pauseConditionSchema>, PauseCondition> &
  Same<z.infer<typeof stepActionSchema>, StepAction> &
  Same<z.infer<typeof lessonStepSchema>, LessonStep> = true;
void schemaMatchesTypes;

export type ScenarioResult = { ok: true; scenario: Scenario } | { ok: false; message: string };

/** Validates one untrusted lesson step (a worker command carries steps one at a time). */
export function parseLessonStep(
  data: unknown,
): { ok: true; step: LessonStep } | { ok: false; field: string; message: string } {
  const result = lessonStepSchema.safeParse(data);
  if (result.success) return { ok: true, step: result.data as LessonStep };
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'step';
  return {
    ok: false,
    field,
    message: `Not a valid lesson step: ${field}: ${issue?.message ?? 'malformed'}.`,
  };
}

/** Validates untrusted data as a scenario, with a message a person can act on. */
export function parseScenario(data: unknown): ScenarioResult {
  const result = scenarioSchema.safeParse(data);
  if (result.success) return { ok: true, scenario: result.data as Scenario };
  const issues = result.error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(the file)';
    return `${path}: ${issue.message}`;
  });
  const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : '';
  return { ok: false, message: `Not a valid Shardlab scenario: ${issues.join('; ')}${more}.` };
}
