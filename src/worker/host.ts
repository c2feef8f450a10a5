import { ENGINE_VERSION, limits, type WireResponse } from '../engine';
import { errors as kinesisErrors } from '../engine/errors';
import { inspectPartitionKey } from '../engine/inspect';
import { ProducerSet } from '../engine/producers/producerSet';
import { SCENARIO_VERSION, type Scenario } from '../scenario/schema';
import { ClockDriver, type WallClock } from './clockDriver';
import {
  configProblem,
  manualRecordProblem,
  producerSpecProblem,
  refused,
  timeStepProblem,
  toCommandResult,
} from './commandChecks';
import { ErrorLog } from './errorLog';
import {
  type ClockStatus,
  type Command,
  type CommandResult,
  GENERATION_BOUND_COMMANDS,
  type SimulationSnapshot,
  SNAPSHOT_HISTORY_SECONDS,
  SPEEDS,
  type StreamConfig,
  type WorkerEvent,
} from './protocol';
import { buildSimulation, type Simulation, simulationFromScenario, streamOf } from './simulation';

export type { WallClock } from './clockDriver';

/** The StreamName of a wire request body, if it names one. */
function wireStreamName(body: string): string | undefined {
  try {
    const name = (JSON.parse(body) as { StreamName?: unknown }).StreamName;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

export const DEFAULT_SEED = 42;
export const DEFAULT_STREAM: StreamConfig = {
  streamName: 'shardlab-demo',
  shardCount: 4,
  retentionHours: limits.RETENTION_HOURS_DEFAULT,
  throttle: 'token-bucket',
};

type Emit = (event: WorkerEvent) => void;
const encoder = new TextEncoder();
const defaultWallClock: WallClock = () => performance.now();

/**
 * Hosts the engine for the page: routes each command to the simulation (engine and producers), the clock
 * or the error log, and builds snapshots. Pure apart from the `emit` callback and the wall clock it is given
 * (for tick budgets only), so the worker and the in-process client share it.
 */
export class SimulationHost {
  private sim: Simulation;
  /** Bumped whenever a new simulation replaces the old one (new stream, scenario or seed). */
  private generation = 0;
  /** Bumped by every command and every tick that moves time: a snapshot is worth sending when it changed. */
  version = 0;
  /** Producer ids are never reused, across scenarios too: a command for an old producer cannot hit a new one. */
  private nextProducerId = 1;
  private readonly clock: ClockDriver;
  private errorLog = new ErrorLog();
  private readonly emit: Emit;
  /**
   * While true, a stream a client creates through the endpoint comes on screen; picking a stream
   * (viewStream) stops that until the next new simulation.
   */
  private followClients = true;

  constructor(emit: Emit, seed = DEFAULT_SEED, wallClock: WallClock = defaultWallClock) {
    this.emit = emit;
    this.clock = new ClockDriver(wallClock);
    const built = buildSimulation(DEFAULT_STREAM, seed);
    if (!built.simulation)
      throw new Error(`the default stream cannot be built: ${JSON.stringify(built.result)}`);
    this.sim = built.simulation;
    emit({
      type: 'ready',
      protocol: 1,
      engineVersion: ENGINE_VERSION,
      limits: {
        recordsPerSecond: limits.SHARD_WRITE_RECORDS_PER_SECOND,
        bytesPerSecond: limits.SHARD_WRITE_BYTES_PER_SECOND,
        maxShards: limits.SIMULATOR_MAX_SHARDS_PER_STREAM,
        retentionMinHours: limits.RETENTION_HOURS_MIN,
        retentionMaxHours: limits.RETENTION_HOURS_MAX,
        putRecordsMaxEntries: limits.PUT_RECORDS_MAX_ENTRIES,
        partitionKeyMaxLength: limits.PARTITION_KEY_MAX_LENGTH,
        onDemandInitialShards: limits.ON_DEMAND_INITIAL_SHARDS,
        retentionDefaultHours: limits.RETENTION_HOURS_DEFAULT,
        onDemandPeakFactor: limits.ON_DEMAND_PEAK_FACTOR,
        onDemandSplitBytesPerSecond: limits.ON_DEMAND_SPLIT_BYTES_PER_SECOND,
        onDemandScaleDelayMs: limits.ON_DEMAND_SCALE_DELAY_MS,
      },
    });
  }

  /** Applies one command; a refused command leaves the simulation as it was. */
  handle(command: Command): void {
    this.version++;
    if (this.isStale(command)) return;
    const { producers } = this.sim;
    switch (command.type) {
      case 'createStream': {
        const problem = configProblem(command.config);
        if (problem) {
          const answer = refused('CreateStream', 'Invalid stream settings', problem.field, problem.message);
          this.reply(command.requestId, answer);
          return;
        }
        const built = buildSimulation(command.config, this.sim.seed);
        if (built.simulation) this.replace(built.simulation);
        this.reply(command.requestId, built.result);
        return;
      }
      case 'loadScenario': {
        const loaded = simulationFromScenario(command.scenario, () => this.nextProducerId++);
        if (loaded.simulation && loaded.scenario) {
          this.replace(loaded.simulation);
          this.clock.speed = loaded.scenario.speed;
          this.clock.playing = command.paused !== true;
        }
        this.reply(command.requestId, loaded.result);
        return;
      }
      case 'setRetention':
        if (!Number.isInteger(command.retentionHours)) {
          this.refuse('retentionHours', 'RetentionPeriodHours must be a whole number of hours');
          return;
        }
        this.reply(command.requestId, this.setRetention(command.retentionHours));
        return;
      case 'putRecord': {
        const bad = manualRecordProblem(command.record);
        if (bad) {
          this.refuse(bad, `${bad} must be a string`);
          return;
        }
        this.reply(command.requestId, this.putRecord(command.record));
        return;
      }
      case 'inspectKey':
        this.inspectKey(command);
        return;
      case 'addProducer': {
        const problem = producerSpecProblem(command.spec);
        if (problem) {
          this.reply(command.requestId, refused('AddProducer', 'Invalid producer', ...problem));
          return;
        }
        const id = producers.add(command.spec, command.start !== false, this.nextProducerId++);
        this.reply(command.requestId, { ok: true, operation: 'AddProducer', output: { id } });
        return;
      }
      case 'updateProducer': {
        const problem = producerSpecProblem(command.spec);
        const noSuch = refused(
          'UpdateProducer',
          'Invalid producer',
          'id',
          `no producer with id ${String(command.id)}`,
        );
        this.reply(
          command.requestId,
          problem
            ? refused('UpdateProducer', 'Invalid producer', ...problem)
            : producers.update(command.id, command.spec)
              ? { ok: true, operation: 'UpdateProducer', output: { id: command.id } }
              : noSuch,
        );
        return;
      }
      case 'setProducerRunning':
        if (!producers.setRunning(command.id, command.running === true))
          this.refuse('id', `no producer with id ${String(command.id)}`);
        return;
      case 'removeProducer':
        if (!producers.remove(command.id)) this.refuse('id', `no producer with id ${String(command.id)}`);
        return;
      case 'play':
      case 'pause':
      case 'togglePlay':
        this.clock.setPlaying(command.type === 'togglePlay' ? !this.clock.playing : command.type === 'play');
        return;
      case 'setSpeed':
        if (!SPEEDS.includes(command.speed)) {
          this.refuse('speed', `speed must be one of ${SPEEDS.join(', ')}`);
          return;
        }
        this.clock.setSpeed(command.speed);
        return;
      case 'step':
      case 'jump': {
        const problem = timeStepProblem(command.ms);
        if (problem || this.clock.jumping) {
          this.refuse('ms', problem ?? 'a jump is in progress: wait for it to end or cancel it');
          return;
        }
        if (command.type === 'step') producers.advance(command.ms);
        else this.clock.startJump(command.ms, this.driven());
        this.noteProducerErrors();
        return;
      }
      case 'cancelJump':
        this.clock.cancelJump(this.driven());
        return;
      case 'splitShard':
      case 'mergeShards':
      case 'updateShardCount':
        if (command.type === 'updateShardCount' && !Number.isSafeInteger(command.targetShardCount)) {
          this.refuse('targetShardCount', 'TargetShardCount must be a whole number of shards');
          return;
        }
        this.reply(command.requestId, this.reshard(command));
        return;
      case 'updateStreamMode':
      case 'updateRecordDistribution':
        this.reply(command.requestId, this.changeCapacity(command));
        return;
      case 'viewStream':
        this.reply(command.requestId, this.viewStream(command.streamName));
        return;
      default:
        this.refuse('type', `unknown command ${JSON.stringify((command as { type?: unknown }).type)}`);
    }
  }

  /** Advances virtual time by `wallMs` × speed while playing (or runs the jump in progress). */
  tick(wallMs: number): void {
    if (!this.clock.tick(wallMs, this.driven())) return;
    this.version++;
    this.noteProducerErrors();
  }

  /** Whether a jump is in progress (its ticks move time; nothing else should). */
  get jumping(): boolean {
    return this.clock.jumping;
  }

  /** The clock's state, for an immediate answer to a command. */
  status(): ClockStatus {
    return {
      version: this.version,
      generation: this.generation,
      nowMs: this.sim.engine.now(),
      playing: this.clock.playing,
      speed: this.clock.speed,
      achievedSpeed: this.clock.achievedSpeed(),
      jump: this.clock.jumpProgress(this.sim.engine.now()),
    };
  }

  /** The current state for the page: a pure read (taking it twice changes nothing and gives the same). */
  snapshot(): SimulationSnapshot {
    const stream = this.sim.engine.snapshot(this.sim.config.streamName, SNAPSHOT_HISTORY_SECONDS) ?? null;
    return {
      engineVersion: ENGINE_VERSION,
      ...this.status(),
      seed: this.sim.seed,
      stream,
      scenario: this.currentScenario(),
      diagnosis: stream?.diagnosis ?? [],
      producers: this.sim.producers.totals(),
      recentErrors: this.errorLog.list(),
      streams: this.sim.engine.core.streamNames().map((streamName) => {
        const s = this.sim.engine.core.stream(streamName);
        return { streamName, status: s?.status ?? 'DELETING', openShards: s?.openShards.length ?? 0 };
      }),
    };
  }

  /**
   * One Kinesis API call from a real client (the local endpoint), in wire form: the engine's own dispatch,
   * so its answer is byte for byte the in-process one [model §11]. The call lands at the current virtual
   * instant; refusals go to the error log with their exact texts. A stream the client creates comes on
   * screen while the page follows clients (see followClients).
   */
  dispatchWire(target: string, body: string): WireResponse {
    const answer = this.sim.engine.dispatch(target, body);
    this.version++;
    const operation = typeof target === 'string' ? target.slice(target.indexOf('.') + 1) : '';
    if (answer.status >= 400) this.noteWireError(answer);
    else if (operation === 'CreateStream' && this.followClients) {
      const name = wireStreamName(body);
      if (name !== undefined && this.sim.engine.core.stream(name)) this.show(name);
    } else if (operation === 'DeleteStream' && streamOf(this.sim)?.status === 'DELETING') {
      // The stream on screen is going: the page's producers stop (they would only be refused), and the
      // newest other stream comes on screen, if there is one.
      for (const p of this.sim.producers.specs()) this.sim.producers.setRunning(p.id, false);
      const core = this.sim.engine.core;
      const other = core
        .streamNames()
        .filter((n) => core.stream(n)?.status !== 'DELETING')
        .at(-1);
      if (other !== undefined) this.show(other);
    } else if (operation === 'PutRecords' && answer.body.includes('"ErrorCode"')) this.noteWireError(answer);
    return answer;
  }

  /** The running simulation as a shareable scenario. */
  currentScenario(): Scenario {
    const { label } = this.sim;
    return {
      version: SCENARIO_VERSION,
      ...(label.name ? { name: label.name } : {}),
      ...(label.lesson ? { lesson: label.lesson } : {}),
      seed: this.sim.seed,
      speed: this.clock.speed,
      stream: { ...this.sim.config },
      producers: this.sim.producers.specs().map((p) => ({ spec: p.spec, running: p.running })),
    };
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
    else this.refuse('generation', message);
    return true;
  }

  /** Starts afresh on a new simulation: a new generation, and nothing remembered from the old one. */
  private replace(sim: Simulation): void {
    this.sim = sim;
    this.generation++;
    this.clock.restart();
    this.errorLog = new ErrorLog();
    this.followClients = true;
  }

  /** A person picks the stream on screen: it stays there (clients' new streams no longer take over). */
  private viewStream(streamName: unknown): CommandResult {
    if (typeof streamName !== 'string' || !this.sim.engine.core.stream(streamName))
      return refused(
        'ViewStream',
        'ResourceNotFoundException',
        'streamName',
        `no stream named ${JSON.stringify(streamName)}`,
      );
    this.followClients = false;
    if (streamName !== this.sim.config.streamName) this.show(streamName);
    return { ok: true, operation: 'ViewStream', output: { streamName } };
  }

  /**
   * Puts another stream of the same engine on screen: the page's producers move to it (their counts start
   * afresh, on the same ids) and views start afresh with a new generation. The clock runs on.
   */
  private show(streamName: string): void {
    const stream = this.sim.engine.core.stream(streamName);
    if (!stream) return;
    const moved = this.sim.producers.specs();
    for (const p of moved) this.sim.producers.setRunning(p.id, false);
    const producers = new ProducerSet(this.sim.engine.core, stream);
    for (const p of moved) producers.add(p.spec, p.running, p.id);
    this.sim = {
      ...this.sim,
      producers,
      config: {
        streamName,
        shardCount: Math.max(1, stream.openShards.length),
        retentionHours: stream.retentionHours,
        throttle: this.sim.engine.core.throttleModel,
        ...(stream.mode === 'ON_DEMAND' ? { mode: 'ON_DEMAND' as const } : {}),
        ...(stream.recordDistribution === 'AUTO' ? { recordDistribution: 'AUTO' as const } : {}),
      },
      label: {},
    };
    this.generation++;
  }

  /** A client's refused call, or the failed entries of its PutRecords, in the error log with their texts. */
  private noteWireError(answer: WireResponse): void {
    const now = this.sim.engine.now();
    try {
      const parsed = JSON.parse(answer.body) as {
        __type?: string;
        message?: string;
        Records?: { ErrorCode?: string; ErrorMessage?: string }[];
      };
      if (parsed.__type) this.errorLog.note(parsed.__type, parsed.message ?? '', now);
      for (const entry of parsed.Records ?? [])
        if (entry.ErrorCode) this.errorLog.note(entry.ErrorCode, entry.ErrorMessage ?? '', now);
    } catch {
      // Every error body the engine writes is JSON; nothing to note otherwise.
    }
  }

  private driven() {
    const { producers, engine } = this.sim;
    return { producers, now: () => engine.now() };
  }

  private reply(requestId: number, result: CommandResult): void {
    this.emit({ type: 'result', requestId, result });
  }

  private refuse(field: string, message: string): void {
    this.emit({ type: 'commandError', field, message });
  }

  /** Producers' throttled and rejected records become error-log entries with the engine's exact texts. */
  private noteProducerErrors(): void {
    this.errorLog.noteProducers(streamOf(this.sim), this.sim.producers.totals(), this.sim.engine.now());
  }

  /** Goes through IncreaseStreamRetentionPeriod or DecreaseStreamRetentionPeriod, as on AWS. */
  private setRetention(hours: number): CommandResult {
    const current = streamOf(this.sim)?.retentionHours ?? limits.RETENTION_HOURS_DEFAULT;
    const operation = hours >= current ? 'IncreaseStreamRetentionPeriod' : 'DecreaseStreamRetentionPeriod';
    const result = this.sim.engine.call(operation, {
      StreamName: this.sim.config.streamName,
      RetentionPeriodHours: hours,
    });
    if (result.ok) this.sim.config = { ...this.sim.config, retentionHours: hours };
    return toCommandResult(operation, result);
  }

  /**
   * SplitShard, MergeShards or UpdateShardCount on the stream on screen, through the engine's API (its
   * validation and errors); a refusal is also noted in the error log.
   */
  private reshard(
    command: Extract<Command, { type: 'splitShard' | 'mergeShards' | 'updateShardCount' }>,
  ): CommandResult {
    const StreamName = this.sim.config.streamName;
    const [operation, request] =
      command.type === 'splitShard'
        ? ([
            'SplitShard',
            { StreamName, ShardToSplit: command.shardId, NewStartingHashKey: command.newStartingHashKey },
          ] as const)
        : command.type === 'mergeShards'
          ? ([
              'MergeShards',
              { StreamName, ShardToMerge: command.shardId, AdjacentShardToMerge: command.adjacentShardId },
            ] as const)
          : ([
              'UpdateShardCount',
              { StreamName, TargetShardCount: command.targetShardCount, ScalingType: 'UNIFORM_SCALING' },
            ] as const);
    const result = this.sim.engine.call(operation, request);
    if (!result.ok) this.errorLog.note(result.error.type, result.error.message, this.sim.engine.now());
    return toCommandResult(operation, result);
  }

  /** UpdateStreamMode or UpdateStreamRecordDistributionStrategy on the stream on screen, by its ARN. */
  private changeCapacity(
    command: Extract<Command, { type: 'updateStreamMode' | 'updateRecordDistribution' }>,
  ): CommandResult {
    const StreamARN = streamOf(this.sim)?.arn ?? '';
    const result =
      command.type === 'updateStreamMode'
        ? this.sim.engine.call('UpdateStreamMode', {
            StreamARN,
            StreamModeDetails: { StreamMode: command.mode },
          })
        : this.sim.engine.call('UpdateStreamRecordDistributionStrategy', {
            StreamARN,
            RecordDistributionStrategy: command.strategy,
          });
    const operation =
      command.type === 'updateStreamMode' ? 'UpdateStreamMode' : 'UpdateStreamRecordDistributionStrategy';
    if (!result.ok) this.errorLog.note(result.error.type, result.error.message, this.sim.engine.now());
    // A shared link or exported scenario recreates the stream as it now is.
    else if (command.type === 'updateStreamMode')
      this.sim.config = { ...this.sim.config, mode: command.mode };
    else this.sim.config = { ...this.sim.config, recordDistribution: command.strategy };
    return toCommandResult(operation, result);
  }

  /** A record typed by hand goes through the engine's PutRecord, validation included. */
  private putRecord(record: Extract<Command, { type: 'putRecord' }>['record']): CommandResult {
    const request: Record<string, unknown> = {
      StreamName: this.sim.config.streamName,
      PartitionKey: record.partitionKey,
      Data: encoder.encode(record.data),
    };
    if (record.explicitHashKey !== undefined && record.explicitHashKey !== '')
      request.ExplicitHashKey = record.explicitHashKey;
    const result = this.sim.engine.call('PutRecord', request);
    if (!result.ok && result.error.type === 'ProvisionedThroughputExceededException')
      this.noteProducerErrors();
    else if (!result.ok) this.errorLog.note(result.error.type, result.error.message, this.sim.engine.now());
    return toCommandResult('PutRecord', result);
  }

  private inspectKey(command: Extract<Command, { type: 'inspectKey' }>): void {
    if (
      typeof command.partitionKey !== 'string' ||
      (command.explicitHashKey !== undefined && typeof command.explicitHashKey !== 'string')
    ) {
      this.refuse('partitionKey', 'PartitionKey and ExplicitHashKey must be strings');
      return;
    }
    const stream = streamOf(this.sim);
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
  }
}
