import { type ApiResult, createEngine, ENGINE_VERSION, type Engine, limits } from '../engine';
import { errors as kinesisErrors } from '../engine/errors';
import { inspectPartitionKey } from '../engine/inspect';
import {
  COARSE_STEP_MS,
  ProducerSet,
  type ProducerSpec,
  producerProblem,
} from '../engine/producers/producerSet';
import { parseScenario, producerSchema, SCENARIO_VERSION, type Scenario } from '../scenario/schema';
import {
  type ClockStatus,
  type Command,
  type CommandResult,
  GENERATION_BOUND_COMMANDS,
  type JumpProgress,
  type SimulationSnapshot,
  SNAPSHOT_HISTORY_SECONDS,
  SPEEDS,
  type Speed,
  type StreamConfig,
  type WorkerEvent,
} from './protocol';

export const DEFAULT_SEED = 42;
export const DEFAULT_STREAM: StreamConfig = {
  streamName: 'shardlab-demo',
  shardCount: 4,
  retentionHours: limits.RETENTION_HOURS_DEFAULT,
  throttle: 'token-bucket',
};
/** A tab in the background can stall for seconds; never simulate more than this much wall time per tick. */
const MAX_TICK_WALL_MS = 1000;
/**
 * Wall ms one tick (or one slice of a jump) may spend simulating: what does not fit is not simulated, and
 * the speed achieved says so. Keeps the worker answering commands while it works.
 */
const TICK_BUDGET_MS = 80;
/** Virtual ms a jump advances between looks at the wall clock. */
const JUMP_SLICE_MS = 60_000;
/** Wall ms over which the achieved speed is measured. */
const SPEED_WINDOW_MS = 2000;
const RECENT_ERRORS = 8;
/** Records one producer may simulate one by one per 10 ms virtual step at 1× (≈ 500,000 records/s). */
const PER_RECORD_BUDGET_PER_STEP = 5000;

type Emit = (event: WorkerEvent) => void;
const encoder = new TextEncoder();
/** The host's wall clock (ms): only for budgets and the achieved speed, never for the simulation itself. */
export type WallClock = () => number;
const defaultWallClock: WallClock = () => performance.now();

/**
 * Hosts the engine for the UI: applies commands, advances virtual time on wall-clock ticks, and builds
 * snapshots. Pure apart from the `emit` callback, so the worker and the in-process client share it.
 */
export class SimulationHost {
  private engine: Engine;
  private producers: ProducerSet;
  /** Bumped whenever a new engine replaces the old one (new stream, scenario or seed). */
  private generation = 0;
  /** Bumped by every command and every tick that moves time: a snapshot is worth sending when it changed. */
  version = 0;
  private seed: number;
  private config: StreamConfig;
  private playing = true;
  private speed: Speed = 1;
  private recentErrors: SimulationSnapshot['recentErrors'] = [];
  /** Producer ids are never reused, across scenarios too: a command for an old producer cannot hit a new one. */
  private nextProducerId = 1;
  /**
   * A jump in progress: the virtual instant it started from and the one it goes to; before `coarseUntilMs`
   * it may step whole minutes (see ProducerSet.advance).
   */
  private jump: { fromMs: number; targetMs: number; coarseUntilMs: number } | undefined;
  /** Recent ticks (wall ms, virtual ms advanced), for the speed achieved. */
  private speedSamples: { wallMs: number; virtualMs: number; atMs: number }[] = [];
  private readonly wallClock: WallClock;
  /** Throttled totals per shard already reported in recentErrors (manual puts note their own). */
  private throttledSeen = new Map<string, number>();
  /** Rejected totals per producer already reported in recentErrors. */
  private rejectedSeen = new Map<number, number>();
  private readonly emit: Emit;

  constructor(emit: Emit, seed = DEFAULT_SEED, wallClock: WallClock = defaultWallClock) {
    this.emit = emit;
    this.seed = seed;
    this.wallClock = wallClock;
    this.config = DEFAULT_STREAM;
    this.engine = this.buildEngine(DEFAULT_STREAM, seed).engine;
    this.producers = this.producersFor(this.engine, DEFAULT_STREAM);
    emit({
      type: 'ready',
      protocol: 1,
      engineVersion: ENGINE_VERSION,
      limits: {
        recordsPerSecond: limits.SHARD_WRITE_RECORDS_PER_SECOND,
        bytesPerSecond: limits.SHARD_WRITE_BYTES_PER_SECOND,
        maxShards: limits.ACCOUNT_SHARD_LIMIT,
        retentionMinHours: limits.RETENTION_HOURS_MIN,
        retentionMaxHours: limits.RETENTION_HOURS_MAX,
        putRecordsMaxEntries: limits.PUT_RECORDS_MAX_ENTRIES,
        partitionKeyMaxLength: limits.PARTITION_KEY_MAX_LENGTH,
      },
    });
  }

  /** Applies one command; a rejected command leaves the simulation as it was. */
  handle(command: Command): void {
    this.version++;
    if (this.isStale(command)) return;
    switch (command.type) {
      case 'createStream': {
        const problem = configProblem(command.config);
        if (problem) {
          this.reply(
            command.requestId,
            refused('CreateStream', 'Invalid stream settings', problem.field, problem.message),
          );
          return;
        }
        const built = this.buildEngine(command.config, this.seed);
        if (built.result.ok) {
          this.replaceEngine(built.engine, command.config);
          this.speedSamples = [];
          this.scenarioLabel = {};
        }
        this.reply(command.requestId, built.result);
        break;
      }
      case 'setRetention':
        if (!Number.isInteger(command.retentionHours)) {
          this.emit({
            type: 'commandError',
            field: 'retentionHours',
            message: 'RetentionPeriodHours must be a whole number of hours',
          });
          return;
        }
        this.reply(command.requestId, this.setRetention(command.retentionHours));
        break;
      case 'putRecord': {
        const r = command.record as unknown as Partial<Record<string, unknown>> | undefined;
        const bad = !r
          ? 'record'
          : typeof r.partitionKey !== 'string'
            ? 'partitionKey'
            : typeof r.data !== 'string'
              ? 'data'
              : r.explicitHashKey !== undefined && typeof r.explicitHashKey !== 'string'
                ? 'explicitHashKey'
                : undefined;
        if (bad) {
          this.emit({ type: 'commandError', field: bad, message: `${bad} must be a string` });
          return;
        }
        this.reply(command.requestId, this.putRecord(command));
        break;
      }
      case 'addProducer': {
        const problem = producerSpecProblem(command.spec);
        if (problem) {
          this.reply(command.requestId, refused('AddProducer', 'Invalid producer', ...problem));
          return;
        }
        const id = this.producers.add(command.spec, command.start !== false, this.nextProducerId++);
        this.reply(command.requestId, { ok: true, operation: 'AddProducer', output: { id } });
        break;
      }
      case 'updateProducer': {
        const problem = producerSpecProblem(command.spec);
        this.reply(
          command.requestId,
          problem
            ? refused('UpdateProducer', 'Invalid producer', ...problem)
            : this.producers.update(command.id, command.spec)
              ? { ok: true, operation: 'UpdateProducer', output: { id: command.id } }
              : refused(
                  'UpdateProducer',
                  'Invalid producer',
                  'id',
                  `no producer with id ${String(command.id)}`,
                ),
        );
        break;
      }
      case 'setProducerRunning':
        if (!this.producers.setRunning(command.id, command.running === true)) {
          this.emit({
            type: 'commandError',
            field: 'id',
            message: `no producer with id ${String(command.id)}`,
          });
        }
        break;
      case 'removeProducer':
        if (!this.producers.remove(command.id)) {
          this.emit({
            type: 'commandError',
            field: 'id',
            message: `no producer with id ${String(command.id)}`,
          });
        }
        break;
      case 'play':
        this.playing = true;
        break;
      case 'pause':
        this.playing = false;
        break;
      case 'togglePlay':
        this.playing = !this.playing;
        break;
      case 'setSpeed':
        if (!SPEEDS.includes(command.speed)) {
          this.emit({
            type: 'commandError',
            field: 'speed',
            message: `speed must be one of ${SPEEDS.join(', ')}`,
          });
          return;
        }
        this.speed = command.speed;
        break;
      case 'step':
      case 'jump':
        if (!Number.isFinite(command.ms) || command.ms <= 0 || command.ms > 366 * 24 * 3_600_000) {
          this.emit({
            type: 'commandError',
            field: 'ms',
            message: 'time steps must be between 1 ms and 366 days',
          });
          return;
        }
        if (this.jump) {
          this.emit({
            type: 'commandError',
            field: 'ms',
            message: 'a jump is in progress: wait for it to end or cancel it',
          });
          return;
        }
        if (command.type === 'step') {
          this.producers.advance(command.ms);
          this.noteProducerErrors();
        } else {
          // A jump simulates the skipped time with the running producers, in aggregate: a day of traffic
          // is a day of traffic. It runs in slices (the rest on later ticks) and can be cancelled.
          const now = this.engine.now();
          const targetMs = now + command.ms;
          this.jump = {
            fromMs: now,
            targetMs,
            coarseUntilMs: targetMs - limits.METRICS_HISTORY_SECONDS * 1000,
          };
          this.runJump();
        }
        break;
      case 'cancelJump':
        // Whatever was simulated stays: the clock stops where the jump got to, every count consistent. If
        // it was stepping whole minutes, it first simulates METRICS_HISTORY_SECONDS more second by second,
        // so every per-second figure on screen is one the simulation produced second by second.
        if (this.jump) {
          const now = this.engine.now();
          if (now > this.jump.coarseUntilMs - COARSE_STEP_MS || !this.producers.anySteady)
            this.jump = undefined;
          else {
            this.jump.targetMs = Math.ceil(now / 1000) * 1000 + limits.METRICS_HISTORY_SECONDS * 1000;
            this.jump.coarseUntilMs = now;
          }
        }
        break;
      case 'loadScenario': {
        this.reply(command.requestId, this.loadScenario(command.scenario, command.paused === true));
        break;
      }
      case 'inspectKey': {
        const stream = this.engine.core.stream(this.config.streamName);
        if (
          typeof command.partitionKey !== 'string' ||
          (command.explicitHashKey !== undefined && typeof command.explicitHashKey !== 'string')
        ) {
          this.emit({
            type: 'commandError',
            field: 'partitionKey',
            message: 'PartitionKey and ExplicitHashKey must be strings',
          });
          return;
        }
        const inspection = stream
          ? inspectPartitionKey(stream, command.partitionKey, command.explicitHashKey)
          : undefined;
        // The engine's own text for a key outside the hash space (no Kinesis text is written here).
        const invalid = kinesisErrors.explicitHashKeyOutOfRange(command.explicitHashKey ?? '');
        this.reply(
          command.requestId,
          inspection
            ? { ok: true, operation: 'InspectKey', output: { ...inspection } }
            : { ok: false, operation: 'InspectKey', errorType: invalid.type, message: invalid.message },
        );
        break;
      }
      case 'reset': {
        if (!Number.isInteger(command.seed) || command.seed < 0 || command.seed > 0xffffffff) {
          this.emit({
            type: 'commandError',
            field: 'seed',
            message: 'seed must be an integer from 0 to 4294967295',
          });
          return;
        }
        this.seed = command.seed;
        this.replaceEngine(this.buildEngine(this.config, command.seed).engine, this.config);
        break;
      }
      default:
        this.emit({
          type: 'commandError',
          field: 'type',
          message: `unknown command ${JSON.stringify((command as { type?: unknown }).type)}`,
        });
    }
  }

  /**
   * A command made for an earlier simulation (its generation) that would act on what is no longer there
   * is refused with a message, and changes nothing.
   */
  private isStale(command: Command): boolean {
    if (!GENERATION_BOUND_COMMANDS.has(command.type)) return false;
    const made = (command as { generation?: unknown }).generation;
    if (made === undefined || made === this.generation) return false;
    const message = `this ${command.type} was made for a simulation that has since been replaced (a new stream, scenario or seed): nothing was changed`;
    const requestId = (command as { requestId?: unknown }).requestId;
    if (typeof requestId === 'number')
      this.reply(requestId, refused(command.type, 'Stale command', 'generation', message));
    else this.emit({ type: 'commandError', field: 'generation', message });
    return true;
  }

  /**
   * Advances virtual time by `wallMs` × speed while playing, within TICK_BUDGET_MS of wall time: what does
   * not fit is dropped (the speed achieved shows it). A jump in progress takes the tick instead.
   */
  tick(wallMs: number): void {
    if (this.jump) {
      this.version++;
      this.runJump();
      return;
    }
    if (!this.playing) return;
    this.version++;
    const wall = Math.min(Math.max(0, wallMs), MAX_TICK_WALL_MS);
    // Past what per-record simulation can do in real time, producers switch to aggregate simulation.
    this.producers.aggregateThreshold = Math.max(1, Math.floor(PER_RECORD_BUDGET_PER_STEP / this.speed));
    const started = this.wallClock();
    const target = wall * this.speed;
    // Slices of at most a tenth of a second of wall time each, so the budget is checked often enough.
    const slice = Math.max(1, this.speed * 10);
    let advanced = 0;
    while (advanced < target) {
      const ms = Math.min(slice, target - advanced);
      this.producers.advance(ms);
      advanced += ms;
      if (this.wallClock() - started > TICK_BUDGET_MS) break;
    }
    this.noteSpeed(wallMs, advanced);
    this.noteProducerErrors();
  }

  /** Runs the jump in progress for up to TICK_BUDGET_MS of wall time; ends it when it reaches its target. */
  private runJump(): void {
    const jump = this.jump;
    if (!jump) return;
    const started = this.wallClock();
    while (this.engine.now() < jump.targetMs) {
      // Nothing to send: the engine skips idle time in one go (expiry, transitions, metrics).
      const slice = this.producers.anySteady ? JUMP_SLICE_MS : Number.POSITIVE_INFINITY;
      // Whole minutes at a time until the last METRICS_HISTORY_SECONDS, which keep per-second series.
      this.producers.advance(Math.min(slice, jump.targetMs - this.engine.now()), {
        aggregate: true,
        coarseUntilMs: jump.coarseUntilMs,
      });
      if (this.wallClock() - started > TICK_BUDGET_MS) break;
    }
    this.noteProducerErrors();
    if (this.engine.now() >= jump.targetMs) this.jump = undefined;
  }

  private noteSpeed(wallMs: number, virtualMs: number): void {
    const at = this.wallClock();
    this.speedSamples.push({ wallMs: Math.max(0, wallMs), virtualMs, atMs: at });
    while (this.speedSamples.length > 1 && (this.speedSamples[0]?.atMs ?? at) < at - SPEED_WINDOW_MS)
      this.speedSamples.shift();
  }

  /**
   * Virtual ms per wall ms over the last SPEED_WINDOW_MS of play: the speed the simulation kept up, which is
   * below the speed asked for when it could not. Null before there is anything to measure.
   */
  private achievedSpeed(): number | null {
    let wall = 0;
    let virtual = 0;
    for (const sample of this.speedSamples) {
      wall += sample.wallMs;
      virtual += sample.virtualMs;
    }
    return this.playing && wall >= 200 ? virtual / wall : null;
  }

  private jumpProgress(): JumpProgress | null {
    return this.jump
      ? { fromMs: this.jump.fromMs, targetMs: this.jump.targetMs, nowMs: this.engine.now() }
      : null;
  }

  /** The clock's state, for an immediate answer to a command. */
  status(): ClockStatus {
    return {
      version: this.version,
      generation: this.generation,
      nowMs: this.engine.now(),
      playing: this.playing,
      speed: this.speed,
      achievedSpeed: this.achievedSpeed(),
      jump: this.jumpProgress(),
    };
  }

  /** The current state for the UI: a pure read (taking it twice changes nothing and gives the same). */
  snapshot(): SimulationSnapshot {
    const stream = this.engine.snapshot(this.config.streamName, SNAPSHOT_HISTORY_SECONDS) ?? null;
    return {
      engineVersion: ENGINE_VERSION,
      version: this.version,
      generation: this.generation,
      seed: this.seed,
      nowMs: this.engine.now(),
      playing: this.playing,
      speed: this.speed,
      achievedSpeed: this.achievedSpeed(),
      jump: this.jumpProgress(),
      stream,
      scenario: this.currentScenario(),
      diagnosis: stream?.diagnosis ?? [],
      producers: this.producers.totals(),
      recentErrors: this.recentErrors.map((e) => ({ ...e })),
    };
  }

  /** The running simulation as a shareable scenario. */
  currentScenario(): Scenario {
    return {
      version: SCENARIO_VERSION,
      ...(this.scenarioLabel.name ? { name: this.scenarioLabel.name } : {}),
      ...(this.scenarioLabel.lesson ? { lesson: this.scenarioLabel.lesson } : {}),
      seed: this.seed,
      speed: this.speed,
      stream: { ...this.config },
      producers: this.producers.specs().map((p) => ({ spec: p.spec, running: p.running })),
    };
  }

  /** Loads a scenario into a fresh engine; a scenario that fails leaves the running simulation untouched. */
  private loadScenario(input: unknown, paused = false): CommandResult {
    const parsed = parseScenario(input);
    if (!parsed.ok)
      return { ok: false, operation: 'LoadScenario', errorType: 'Invalid scenario', message: parsed.message };
    const scenario = parsed.scenario;
    const built = this.buildEngine(scenario.stream, scenario.seed);
    if (!built.result.ok) return { ...built.result, operation: 'LoadScenario' };
    const producers = this.producersFor(built.engine, scenario.stream);
    for (const p of scenario.producers) {
      const problem = producerProblem(p.spec);
      if (problem)
        return refused(
          'LoadScenario',
          'Invalid scenario',
          problem[0],
          `producer ${p.spec.name}: ${problem[1]}`,
        );
    }
    // Ids only once the whole scenario is accepted: a refused one uses none.
    for (const p of scenario.producers) producers.add(p.spec, p.running, this.nextProducerId++);
    this.replaceEngine(built.engine, scenario.stream, producers);
    this.speedSamples = [];
    this.seed = scenario.seed;
    this.speed = scenario.speed;
    this.playing = !paused;
    this.scenarioLabel = { name: scenario.name, lesson: scenario.lesson };
    return { ok: true, operation: 'LoadScenario', output: { name: scenario.name ?? '' } };
  }

  /** Starts afresh on a new engine: a new generation, and nothing remembered from the old one. */
  private replaceEngine(engine: Engine, config: StreamConfig, producers?: ProducerSet): void {
    this.engine = engine;
    this.config = { ...config };
    this.producers = producers ?? this.producersFor(engine, config);
    this.generation++;
    this.jump = undefined;
    this.throttledSeen = new Map();
    this.rejectedSeen = new Map();
    this.recentErrors = [];
  }

  private reply(requestId: number, result: CommandResult): void {
    this.emit({ type: 'result', requestId, result });
  }

  /** The loaded scenario's name and lesson, kept when it is shared or exported again. */
  private scenarioLabel: { name?: string | undefined; lesson?: string | undefined } = {};

  /** Producers' throttled and rejected records become error-log entries with the engine's exact texts. */
  private noteProducerErrors(): void {
    const stream = this.engine.core.stream(this.config.streamName);
    if (!stream) return;
    for (const shard of stream.shards) {
      const total = shard.metrics.totalThrottledRecords;
      const seen = this.throttledSeen.get(shard.shardId) ?? 0;
      if (total > seen) {
        const message = kinesisErrors.shardRateExceededMessage(shard.shardId, stream.name, stream.accountId);
        this.noteError('ProvisionedThroughputExceededException', message, total - seen);
        this.throttledSeen.set(shard.shardId, total);
      }
    }
    // Records a producer could not send at all (too large for the stream) show with Kinesis's own error.
    for (const producer of this.producers.totals()) {
      const seen = this.rejectedSeen.get(producer.id) ?? 0;
      if (producer.rejected > seen && producer.lastError) {
        this.noteError(producer.lastError.errorType, producer.lastError.message, producer.rejected - seen);
        this.rejectedSeen.set(producer.id, producer.rejected);
      }
    }
  }

  private producersFor(engine: Engine, config: StreamConfig): ProducerSet {
    const stream = engine.core.stream(config.streamName);
    if (!stream) throw new Error(`stream ${config.streamName} is missing`);
    return new ProducerSet(engine.core, stream);
  }

  private buildEngine(config: StreamConfig, seed: number): { engine: Engine; result: CommandResult } {
    const engine = createEngine({
      seed,
      throttle: limits.THROTTLE_MODELS.includes(config.throttle) ? config.throttle : 'token-bucket',
    });
    const created = engine.call(
      'CreateStream',
      config.mode === 'ON_DEMAND'
        ? { StreamName: config.streamName, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }
        : { StreamName: config.streamName, ShardCount: config.shardCount },
    );
    if (!created.ok) return { engine, result: toCommandResult('CreateStream', created) };
    // New streams start at 24 h; a longer retention goes through IncreaseStreamRetentionPeriod as on AWS.
    engine.advanceTime(engine.core.transitionMs);
    if (config.retentionHours !== limits.RETENTION_HOURS_DEFAULT) {
      const retention = engine.call('IncreaseStreamRetentionPeriod', {
        StreamName: config.streamName,
        RetentionPeriodHours: config.retentionHours,
      });
      if (!retention.ok)
        return { engine, result: toCommandResult('IncreaseStreamRetentionPeriod', retention) };
    }
    return { engine, result: { ok: true, operation: 'CreateStream', output: {} } };
  }

  private setRetention(hours: number): CommandResult {
    const current =
      this.engine.snapshot(this.config.streamName)?.retentionHours ?? limits.RETENTION_HOURS_DEFAULT;
    const operation = hours >= current ? 'IncreaseStreamRetentionPeriod' : 'DecreaseStreamRetentionPeriod';
    const result = this.engine.call(operation, {
      StreamName: this.config.streamName,
      RetentionPeriodHours: hours,
    });
    if (result.ok) this.config = { ...this.config, retentionHours: hours };
    return toCommandResult(operation, result);
  }

  private putRecord(command: Extract<Command, { type: 'putRecord' }>): CommandResult {
    const { record } = command;
    const request: Record<string, unknown> = {
      StreamName: this.config.streamName,
      PartitionKey: record.partitionKey,
      Data: encoder.encode(record.data),
    };
    if (record.explicitHashKey !== undefined && record.explicitHashKey !== '')
      request.ExplicitHashKey = record.explicitHashKey;
    const result = this.engine.call('PutRecord', request);
    if (!result.ok && result.error.type === 'ProvisionedThroughputExceededException')
      this.noteProducerErrors();
    else if (!result.ok) this.noteError(result.error.type, result.error.message);
    return toCommandResult('PutRecord', result);
  }

  private noteError(errorType: string, message: string, count = 1): void {
    const existing = this.recentErrors.find((e) => e.message === message);
    if (existing) {
      existing.count += count;
      existing.lastMs = this.engine.now();
    } else {
      this.recentErrors.unshift({ errorType, message, count, lastMs: this.engine.now() });
      this.recentErrors.length = Math.min(this.recentErrors.length, RECENT_ERRORS);
    }
    this.recentErrors.sort((a, b) => b.lastMs - a.lastMs);
  }
}

/**
 * What is wrong with a producer spec from a command, naming the field: its shape first (the scenario schema,
 * so a worker command and an imported file are held to the same rules), then the engine's own checks.
 */
function producerSpecProblem(spec: unknown): [string, string] | undefined {
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

/** A command refused before it reached the engine, naming the field at fault. */
function refused(operation: string, errorType: string, field: string, message: string): CommandResult {
  return { ok: false, operation, errorType, message, field };
}

/** A typed engine call's result as the UI shows it: the output, or the Kinesis error type and message. */
function toCommandResult(operation: string, result: ApiResult): CommandResult {
  return result.ok
    ? { ok: true, operation, output: result.value }
    : { ok: false, operation, errorType: result.error.type, message: result.error.message };
}

/** Checks a stream configuration's types; Kinesis-level rules (name pattern, limits) are the engine's. */
function configProblem(config: StreamConfig | undefined): { field: string; message: string } | undefined {
  if (!config || typeof config !== 'object')
    return { field: 'config', message: 'a stream configuration is required' };
  if (typeof config.streamName !== 'string')
    return { field: 'streamName', message: 'StreamName must be a string' };
  if (
    !Number.isInteger(config.shardCount) ||
    config.shardCount < 1 ||
    config.shardCount > limits.ACCOUNT_SHARD_LIMIT
  ) {
    return {
      field: 'shardCount',
      message: `shard count must be a whole number from 1 to ${limits.ACCOUNT_SHARD_LIMIT}`,
    };
  }
  if (!Number.isInteger(config.retentionHours)) {
    return { field: 'retentionHours', message: 'RetentionPeriodHours must be a whole number of hours' };
  }
  if (!limits.THROTTLE_MODELS.includes(config.throttle)) {
    return { field: 'throttle', message: `throttle must be one of ${limits.THROTTLE_MODELS.join(', ')}` };
  }
  if (config.mode !== undefined && config.mode !== 'PROVISIONED' && config.mode !== 'ON_DEMAND') {
    return { field: 'mode', message: 'capacity mode must be PROVISIONED or ON_DEMAND' };
  }
  return undefined;
}
