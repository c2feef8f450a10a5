import type { ActionOutcome, LessonStatus, LessonStep, StepAction } from '../common/lesson';
import {
  ENGINE_VERSION,
  type KinesisError,
  limits,
  putRecordsInPlace,
  type ShardEngine,
  type WireResponse,
} from '../engine';
import { putRecordsAnswerHasFailures } from '../engine/api/dispatch';
import { parseStreamArn } from '../engine/engineState';
import { errors as kinesisErrors } from '../engine/errors';
import type { FaultSpec } from '../engine/faults';
import { midpointHashKey } from '../engine/hashKey';
import { inspectPartitionKey } from '../engine/inspect';
import { KPL_AGGREGATE_PARTITION_KEY } from '../engine/producers/kplAggregation';
import { ProducerSet, RETRY_LANE_MS, RETRY_LANES } from '../engine/producers/producerSet';
import { parseLessonStep, parseScenario, SCENARIO_VERSION, type Scenario } from '../scenario/schema';
import { ClockDriver, type Driven, type WallClock } from './clockDriver';
import {
  configProblem,
  manualRecordProblem,
  producerSpecProblem,
  refused,
  timeStepProblem,
  toCommandResult,
} from './commandChecks';
import { ErrorLog } from './errorLog';
import { PauseWatch } from './lessonWatch';
import {
  type ClockStatus,
  type Command,
  type CommandResult,
  type FaultRequest,
  GENERATION_BOUND_COMMANDS,
  type SimulationSnapshot,
  SNAPSHOT_HISTORY_SECONDS,
  SPEEDS,
  type StreamConfig,
  type WorkerEvent,
} from './protocol';
import { buildSimulation, type Simulation, simulationFromScenario, streamOf } from './simulation';

export type { WallClock } from './clockDriver';

/** The stream a wire request body names (by StreamName or StreamARN, or GetRecords' ShardIterator), if any. */
function wireStreamName(body: string, engine: ShardEngine): string | undefined {
  try {
    const request = JSON.parse(body) as {
      StreamName?: unknown;
      StreamARN?: unknown;
      ShardIterator?: unknown;
    };
    if (typeof request.StreamName === 'string') return request.StreamName;
    if (typeof request.StreamARN === 'string') return parseStreamArn(request.StreamARN)?.name;
    // GetRecords names its stream only through its iterator.
    if (typeof request.ShardIterator === 'string')
      return engine.reads.streamOfIterator(request.ShardIterator);
    return undefined;
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

/**
 * How long replaying an earlier lesson step may run without meeting its pause condition (virtual ms):
 * 10 minutes up to 60× (record by record), 24 hours above (aggregate, a second at a time).
 */
const replayCapMs = (speed: number) => (speed <= 60 ? 600_000 : 86_400_000);

/** A command's answer in one line: the operation and its key output, or its error type and message. */
function summarise(result: CommandResult): string {
  if (!result.ok) return `${result.operation}: ${result.errorType}: ${result.message}`;
  const out = result.output;
  const parts: string[] = [];
  if (typeof out.ShardId === 'string') parts.push(`ShardId ${out.ShardId}`);
  if (typeof out.SequenceNumber === 'string') parts.push(`SequenceNumber ${out.SequenceNumber}`);
  return parts.length > 0 ? `${result.operation}: ${parts.join(', ')}` : `${result.operation}: accepted`;
}
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
  /** The open lesson's last step (its actions' answers), and its pause condition while watched. */
  private lesson: { stepIndex: number; outcomes: ActionOutcome[] } | null = null;
  private watch: PauseWatch | undefined;

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
        retry: {
          sdkMaxAttempts: limits.SDK_DEFAULT_MAX_ATTEMPTS,
          sdkThrottlingBaseMs: limits.SDK_THROTTLING_RETRY_DELAY_BASE_MS,
          sdkTransientBaseMs: limits.SDK_DEFAULT_RETRY_DELAY_BASE_MS,
          sdkMaxDelayMs: limits.SDK_MAXIMUM_RETRY_DELAY_MS,
          sdkInitialTokens: limits.SDK_INITIAL_RETRY_TOKENS,
          sdkRetryCost: limits.SDK_RETRY_COST,
          sdkTimeoutRetryCost: limits.SDK_TIMEOUT_RETRY_COST,
          customMaxAttempts: limits.RETRY_CUSTOM_MAX_ATTEMPTS,
          customMaxBaseMs: limits.RETRY_CUSTOM_MAX_BASE_MS,
          customMaxCapMs: limits.RETRY_CUSTOM_MAX_CAP_MS,
          delayBucketBoundsMs: [...limits.DELAY_BUCKET_BOUNDS_MS],
          laneMs: RETRY_LANE_MS,
          lanes: RETRY_LANES,
        },
        faults: {
          max: limits.FAULTS_MAX,
          maxDurationMs: limits.FAULT_MAX_DURATION_MS,
          maxStartMs: limits.FAULT_MAX_START_MS,
        },
        kplAggregationMaxBytesDefault: limits.KPL_AGGREGATION_MAX_BYTES_DEFAULT,
        kplAggregationMaxBytesMin: limits.KPL_AGGREGATION_MAX_BYTES_MIN,
        kplCollectionMaxCount: limits.KPL_COLLECTION_MAX_COUNT,
        kplCollectionMaxBytes: limits.KPL_COLLECTION_MAX_BYTES,
        kplAggregatePartitionKeyBytes: KPL_AGGREGATE_PARTITION_KEY.length,
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
      case 'openLesson':
        this.reply(command.requestId, this.openLesson(command.scenario, command.stepIndex));
        return;
      case 'lessonStep': {
        const parsed = parseLessonStep(command.step);
        if (!parsed.ok || !Number.isSafeInteger(command.stepIndex) || command.stepIndex < 0) {
          const [field, message] = parsed.ok
            ? ['stepIndex', 'stepIndex must be a whole number from 0']
            : [parsed.field, parsed.message];
          this.reply(command.requestId, refused('LessonStep', 'Invalid lesson step', field, message));
          return;
        }
        this.runStep(parsed.step, command.stepIndex, false);
        this.reply(command.requestId, {
          ok: true,
          operation: 'LessonStep',
          output: { stepIndex: command.stepIndex },
        });
        return;
      }
      case 'clearLesson':
        this.lesson = null;
        this.watch = undefined;
        return;
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
        const problem = producers.streamProblem(command.spec) ?? producerSpecProblem(command.spec);
        if (problem) {
          this.reply(command.requestId, refused('AddProducer', 'Invalid producer', ...problem));
          return;
        }
        // Names tell producers apart in tables, lessons and share links: no two alike.
        if (producers.specs().some((p) => p.spec.name === command.spec.name)) {
          const taken = `a producer named "${command.spec.name}" already exists`;
          this.reply(command.requestId, refused('AddProducer', 'Invalid producer', 'name', taken));
          return;
        }
        const id = producers.add(command.spec, command.start !== false, this.nextProducerId++);
        this.reply(command.requestId, { ok: true, operation: 'AddProducer', output: { id } });
        return;
      }
      case 'updateProducer': {
        const problem = producers.streamProblem(command.spec) ?? producerSpecProblem(command.spec);
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
      case 'setFaults':
        this.reply(command.requestId, this.setFaults(command.faults));
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
        if (command.type === 'step') this.clock.step(command.ms, this.driven());
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
    const wasJumping = this.clock.jumping;
    if (!this.clock.tick(wallMs, this.driven())) return;
    this.version++;
    this.noteProducerErrors();
    // A lesson step's watch sleeps through a jump and starts afresh where it ends.
    if (wasJumping && !this.clock.jumping) this.rearmWatch();
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
      faults: this.sim.engine.core.faults.status(),
      recentErrors: this.errorLog.list(streamOf(this.sim)),
      streams: this.sim.engine.core.streamNames().map((streamName) => {
        const s = this.sim.engine.core.stream(streamName);
        // A stream still CREATING has no open shard yet (as DescribeStreamSummary says).
        const open = s && s.status !== 'CREATING' ? s.openShards.length : 0;
        return { streamName, status: s?.status ?? 'DELETING', openShards: open };
      }),
      lesson: this.lessonStatus(),
    };
  }

  /** The open lesson's step and its pause condition's outcome, or null. */
  private lessonStatus(): LessonStatus | null {
    if (!this.lesson) return null;
    return {
      stepIndex: this.lesson.stepIndex,
      outcomes: this.lesson.outcomes,
      pause: this.watch ? this.watch.status() : null,
    };
  }

  /**
   * Opens a lesson at `stepIndex`: the scenario (checked whole, as loadScenario does) loaded paused, earlier
   * steps replayed to where each one's pause condition was met, then this step's actions run and its pause
   * condition armed. A refused lesson changes nothing.
   */
  private openLesson(input: unknown, stepIndex: unknown): CommandResult {
    const parsed = parseScenario(input);
    const steps = parsed.ok ? parsed.scenario.steps : undefined;
    if (!parsed.ok)
      return { ok: false, operation: 'OpenLesson', errorType: 'Invalid lesson', message: parsed.message };
    if (!steps || steps.length === 0)
      return refused(
        'OpenLesson',
        'Invalid lesson',
        'steps',
        'a lesson is a scenario with steps; this has none',
      );
    if (
      typeof stepIndex !== 'number' ||
      !Number.isSafeInteger(stepIndex) ||
      stepIndex < 0 ||
      stepIndex >= steps.length
    )
      return refused(
        'OpenLesson',
        'Invalid lesson',
        'stepIndex',
        `this lesson has steps 1 to ${steps.length}; there is no step ${String(Number(stepIndex) + 1)}`,
      );
    const loaded = simulationFromScenario(parsed.scenario, () => this.nextProducerId++);
    if (!loaded.simulation || !loaded.scenario) return { ...loaded.result, operation: 'OpenLesson' };
    this.replace(loaded.simulation);
    this.clock.speed = loaded.scenario.speed;
    this.clock.playing = false;
    for (let i = 0; i < stepIndex; i++) {
      const step = steps[i] as LessonStep;
      this.runStep(step, i, true);
      if (this.watch?.armed)
        this.watch.giveUp(
          this.clock.runUntilMet(this.driven(), this.watcher(this.watch), replayCapMs(this.clock.speed)),
        );
      this.clock.setPlaying(false);
    }
    this.runStep(steps[stepIndex] as LessonStep, stepIndex, false);
    this.noteProducerErrors();
    return { ok: true, operation: 'OpenLesson', output: { stepIndex, name: parsed.scenario.name ?? '' } };
  }

  /**
   * Runs a step's actions in order (each answered like the page's own control) and arms its pause
   * condition. `replay`: a jump runs to its end at once (an earlier step being replayed).
   */
  private runStep(step: LessonStep, stepIndex: number, replay: boolean): void {
    this.watch = undefined;
    const outcomes = (step.actions ?? []).map((action) => this.runAction(action, replay));
    this.noteProducerErrors();
    this.lesson = { stepIndex, outcomes };
    if (step.pauseWhen) {
      const stream = streamOf(this.sim);
      if (!stream) return;
      this.watch = new PauseWatch(step.pauseWhen, stream, this.sim.engine.now());
      // Already true (e.g. the stream is ACTIVE): the clock pauses at once. During a jump it waits for its end.
      if (!this.clock.jumping && this.watch.check(stream, this.sim.engine.now()))
        this.clock.setPlaying(false);
    }
  }

  /** The watch starts afresh now: only what happens from now on counts (after a jump). */
  private rearmWatch(): void {
    const stream = streamOf(this.sim);
    if (!this.watch?.armed || !stream) return;
    this.watch = new PauseWatch(this.watch.condition, stream, this.sim.engine.now());
    if (this.watch.check(stream, this.sim.engine.now())) this.clock.setPlaying(false);
  }

  /** One lesson action, as the page's control for it would do it. */
  private runAction(action: StepAction, replay: boolean): ActionOutcome {
    const done = (summary: string, ok = true): ActionOutcome => ({ action: action.type, ok, summary });
    const answered = (result: CommandResult): ActionOutcome => {
      const shardId = result.ok ? result.output.ShardId : undefined;
      return {
        action: action.type,
        ok: result.ok,
        summary: summarise(result),
        ...(typeof shardId === 'string' ? { shardId } : {}),
      };
    };
    const producers = this.sim.producers;
    const byName = (name: string) => producers.specs().find((p) => p.spec.name === name);
    switch (action.type) {
      case 'play':
      case 'pause':
        this.clock.setPlaying(action.type === 'play');
        return done(action.type === 'play' ? 'Playing' : 'Paused');
      case 'setSpeed':
        this.clock.setSpeed(action.speed);
        return done(`Speed ${action.speed}×`);
      case 'step':
      case 'jump': {
        const ms = action.type === 'step' ? action.seconds * 1000 : action.hours * 3_600_000;
        const problem = timeStepProblem(ms) ?? (this.clock.jumping ? 'a jump is in progress' : undefined);
        if (problem) return done(`${action.type}: ${problem}`, false);
        if (action.type === 'step') producers.advance(ms);
        else {
          this.clock.startJump(ms, this.driven());
          if (replay) this.clock.finishJump(this.driven());
        }
        return done(action.type === 'step' ? `Stepped ${action.seconds} s` : `Jumping +${action.hours} h`);
      }
      case 'addProducer': {
        const problem = producers.streamProblem(action.producer) ?? producerSpecProblem(action.producer);
        if (problem) return answered(refused('AddProducer', 'Invalid producer', ...problem));
        producers.add(action.producer, action.running !== false, this.nextProducerId++);
        return done(
          `Producer "${action.producer.name}" added${action.running === false ? ' (stopped)' : ''}`,
        );
      }
      case 'setProducerRunning': {
        const p = byName(action.producer);
        if (!p) return done(`No producer named "${action.producer}"`, false);
        producers.setRunning(p.id, action.running);
        return done(`Producer "${action.producer}" ${action.running ? 'started' : 'stopped'}`);
      }
      case 'burst': {
        const spec = {
          name: action.name,
          api: action.api ?? ('PutRecords' as const),
          batchSize: action.batchSize ?? 500,
          payloadBytes: action.payloadBytes ?? { min: 100, max: 100 },
          rate: 'burst' as const,
          recordCount: action.recordCount,
          distribution: action.distribution,
        };
        const problem = producerSpecProblem(spec);
        if (problem) return answered(refused('AddProducer', 'Invalid producer', ...problem));
        producers.add(spec, true, this.nextProducerId++);
        // A burst goes out at once, at the current virtual instant (the clock need not move).
        producers.advance(0);
        return done(`Burst "${action.name}" sent at the current instant`);
      }
      case 'putRecord':
        return answered(
          this.putRecord({
            partitionKey: action.partitionKey,
            data: action.data,
            ...(action.explicitHashKey === undefined ? {} : { explicitHashKey: action.explicitHashKey }),
          }),
        );
      case 'splitShard': {
        const shard = streamOf(this.sim)?.shards.find((s) => s.shardId === action.shardId);
        // Even split: the middle of the shard's range (the engine refuses an unknown or closed shard).
        const newStartingHashKey =
          action.newStartingHashKey ??
          (shard ? midpointHashKey(shard.startingHashKey, shard.endingHashKey).toString() : '1');
        return answered(
          this.reshard({ type: 'splitShard', requestId: 0, shardId: action.shardId, newStartingHashKey }),
        );
      }
      case 'mergeShards':
        return answered(
          this.reshard({
            type: 'mergeShards',
            requestId: 0,
            shardId: action.shardId,
            adjacentShardId: action.adjacentShardId,
          }),
        );
      case 'updateShardCount':
        return answered(
          this.reshard({ type: 'updateShardCount', requestId: 0, targetShardCount: action.targetShardCount }),
        );
      case 'updateStreamMode':
        return answered(this.changeCapacity({ type: 'updateStreamMode', requestId: 0, mode: action.mode }));
      case 'updateRecordDistribution':
        return answered(
          this.changeCapacity({ type: 'updateRecordDistribution', requestId: 0, strategy: action.strategy }),
        );
      case 'setRetention':
        return answered(this.setRetention(action.hours));
    }
  }

  /**
   * A client's PutRecords answered from its body's bytes (`body` is the same body as text): the engine's
   * putRecordsInPlace, whose answer is byte for byte dispatchWire's; its records are stored by settle().
   * Undefined, having changed nothing, when the call is not that lane's: the caller then calls dispatchWire.
   * Only successes come out of it (its failed entries are throttles, which the per-shard tally counts), so
   * there is nothing to note.
   */
  putRecordsInPlace(body: string, bytes: Uint8Array): Uint8Array | undefined {
    const answer = putRecordsInPlace(this.sim.engine.core, body, bytes);
    if (answer !== undefined) this.version++;
    return answer;
  }

  /**
   * Completes the last PutRecords answered by putRecordsInPlace (ShardEngine.settle): its records stored and
   * its entries counted. Call it before anything else reads or changes the simulation.
   */
  settle(): void {
    this.sim.engine.core.settle();
  }

  /**
   * One Kinesis API call from a real client (the local endpoint), in wire form: the engine's own dispatch,
   * so its answer is byte for byte the in-process one [model §11]. The call lands at the current virtual
   * instant; refusals go to the error log with their exact texts. A stream the client creates comes on
   * screen while the page follows clients (see followClients).
   */
  dispatchWire(target: string, body: string): WireResponse {
    const faultedBefore = this.faultedCalls();
    const answer = this.sim.engine.dispatch(target, body);
    this.version++;
    const operation = typeof target === 'string' ? target.slice(target.indexOf('.') + 1) : '';
    // A call an injected fault failed is noted by noteFaults (as the page's producers' are), once.
    if (answer.status >= 400) {
      if (this.faultedCalls() === faultedBefore) this.noteWireError(operation, body, answer);
      else this.noteProducerErrors();
    }
    // A client's new stream comes on screen only while the page has no producers of its own: a workshop's
    // attendees creating streams must not pull the presenter's producers onto theirs.
    else if (operation === 'CreateStream' && this.followClients && this.sim.producers.specs().length === 0) {
      const name = wireStreamName(body, this.sim.engine.core);
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
    } else if (
      operation === 'PutRecords' &&
      putRecordsAnswerHasFailures(answer.body) &&
      answer.body.includes('"InternalFailure"')
    ) {
      // Failed entries are throttles (counted by the per-shard tally) or InternalFailure: only the latter
      // needs the answer read again (and only an answer with failed entries is searched for it).
      this.noteWireError(operation, body, answer);
    }
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
      ...this.scenarioFaults(),
    };
  }

  /** The engine's faults as a scenario carries them: windows from the simulation's start (none before it). */
  private scenarioFaults(): { faults?: FaultSpec[] } {
    const faults = this.sim.engine.core.faults
      .status()
      .map((f) => ({ ...f.spec, startMs: f.spec.startMs - this.sim.startMs }))
      .filter((f) => f.startMs >= 0);
    return faults.length > 0 ? { faults } : {};
  }

  /**
   * Replaces the engine's injected faults: each request's window starts `startInMs` from now. A malformed
   * or out-of-range fault is refused naming its field, and the faults stay as they were.
   */
  private setFaults(requests: unknown): CommandResult {
    const fail = (field: string, message: string) => refused('SetFaults', 'Invalid fault', field, message);
    if (!Array.isArray(requests)) return fail('faults', 'faults must be a list');
    const now = this.sim.engine.now();
    const specs: FaultSpec[] = [];
    for (const r of requests as Partial<FaultRequest>[]) {
      if (typeof r !== 'object' || r === null) return fail('faults', 'a fault must be an object');
      const { startInMs, startMs, ...rest } = r;
      if (startMs !== undefined) {
        if (typeof startMs !== 'number' || !Number.isFinite(startMs))
          return fail('startMs', 'start must be a virtual instant (epoch ms)');
      } else if (typeof startInMs !== 'number' || !Number.isFinite(startInMs) || startInMs < 0)
        return fail('startInMs', 'start must be now or later (virtual ms from now)');
      specs.push({
        ...(rest as Omit<FaultRequest, 'startInMs' | 'startMs'>),
        startMs: startMs ?? now + (startInMs as number),
      });
    }
    const problem = this.sim.engine.core.faults.set(specs, now);
    if (problem) return fail(...problem);
    return { ok: true, operation: 'SetFaults', output: { faults: specs.length } };
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
    this.lesson = null;
    this.watch = undefined;
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

  /**
   * A client's refused call, or the failed entries of its PutRecords, in the error log with their texts —
   * for the stream on screen (or a call naming no stream). Write throttling is left to the per-shard tally
   * (noteProducerErrors), which counts every throttled record once, whoever sent it; calls injected faults
   * failed never come here (dispatchWire), noteFaults counts them.
   */
  private noteWireError(operation: string, body: string, answer: WireResponse): void {
    const named = wireStreamName(body, this.sim.engine.core);
    // Under the stream the call named; a stream that does not exist is noted only if it is the one on screen.
    const stream = named === undefined ? undefined : this.sim.engine.core.stream(named);
    if (named !== undefined && !stream && named !== this.sim.config.streamName) return;
    const writeThrottle = (type: string | undefined) =>
      type === 'ProvisionedThroughputExceededException' &&
      (operation === 'PutRecord' || operation === 'PutRecords');
    const now = this.sim.engine.now();
    try {
      const parsed = JSON.parse(answer.body) as {
        __type?: string;
        message?: string;
        Records?: { ErrorCode?: string; ErrorMessage?: string }[];
      };
      if (parsed.__type && !writeThrottle(parsed.__type))
        this.errorLog.note(stream, operation, parsed.__type, parsed.message ?? '', now);
      for (const entry of parsed.Records ?? [])
        if (entry.ErrorCode && !writeThrottle(entry.ErrorCode))
          this.errorLog.note(stream, operation, entry.ErrorCode, entry.ErrorMessage ?? '', now);
    } catch {
      // Every error body the engine writes is JSON; nothing to note otherwise.
    }
  }

  /** A page command Kinesis refused, under the stream on screen, with the operation that met it. */
  private noteRefused(operation: string, error: KinesisError): void {
    this.errorLog.note(streamOf(this.sim), operation, error.type, error.message, this.sim.engine.now());
  }

  private driven(): Driven {
    const { producers, engine } = this.sim;
    return { producers, now: () => engine.now(), watch: this.watch ? this.watcher(this.watch) : undefined };
  }

  /** The clock's view of a pause watch on the stream on screen. */
  private watcher(watch: PauseWatch) {
    return {
      get armed() {
        return watch.armed;
      },
      deadlineMs: () => watch.deadlineMs(),
      check: (nowMs: number) => watch.check(streamOf(this.sim), nowMs),
    };
  }

  private reply(requestId: number, result: CommandResult): void {
    this.emit({ type: 'result', requestId, result });
  }

  private refuse(field: string, message: string): void {
    this.emit({ type: 'commandError', field, message });
  }

  /**
   * Throttled records, faulted calls (every stream's, on screen or not, so their counts and times stay
   * right) and the page's producers' rejected records become error-log entries with the engine's exact texts.
   */
  private noteProducerErrors(): void {
    const core = this.sim.engine.core;
    const now = this.sim.engine.now();
    for (const name of core.streamNames()) {
      const stream = core.stream(name);
      if (!stream) continue;
      this.errorLog.noteThrottles(stream, now);
      this.errorLog.noteFaults(stream, core.faults, now);
    }
    this.errorLog.noteProducers(streamOf(this.sim), this.sim.producers.totals(), now);
  }

  /** Calls on the stream on screen that injected faults failed so far (noteFaults notes them). */
  private faultedCalls(): number {
    const faults = this.sim.engine.core.faults;
    const name = this.sim.config.streamName;
    return (
      faults.failedCallsOn(name, 'ProvisionedThroughputExceededException') +
      faults.failedCallsOn(name, 'InternalFailure')
    );
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
    if (!result.ok) this.noteRefused(operation, result.error);
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
    if (!result.ok) this.noteRefused(operation, result.error);
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
    const faultedBefore = this.faultedCalls();
    const result = this.sim.engine.call('PutRecord', request);
    // Throttles go through the per-shard tally, calls a fault failed through noteFaults: each once.
    if (
      !result.ok &&
      (result.error.type === 'ProvisionedThroughputExceededException' ||
        this.faultedCalls() !== faultedBefore)
    )
      this.noteProducerErrors();
    else if (!result.ok) this.noteRefused('PutRecord', result.error);
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
