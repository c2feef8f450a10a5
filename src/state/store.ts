import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LessonStep } from '../common/lesson';
import type { Scenario } from '../scenario/schema';
import type { SimClient } from '../worker/client';
import type { ProducerSpec, ProducerTotals, StreamSnapshot } from '../worker/engineTypes';
import {
  type ClockStatus,
  type Command,
  type CommandResult,
  type EngineLimits,
  type FaultRequest,
  GENERATION_BOUND_COMMANDS,
  type ManualRecord,
  restoreLayout,
  type SimulationSnapshot,
  type Speed,
  type StreamConfig,
} from '../worker/protocol';

/** Forms that show the engine's answer to what a person submitted. */
export type ResultSlot =
  | 'createStream'
  | 'setRetention'
  | 'putRecord'
  | 'addProducer'
  /** The Fault injection panel (setFaults). */
  | 'faults'
  | 'loadScenario'
  | 'inspectKey'
  /** SplitShard / MergeShards from the shard table. */
  | 'reshard'
  /** SplitShard from a hot-shard diagnosis ("Split here"). */
  | 'splitHere'
  /** SplitShard dragged (or keyed) on the keyspace bar. */
  | 'keyspaceSplit'
  | 'updateShardCount'
  /** UpdateStreamMode from the Stream panel's capacity mode switch. */
  | 'updateStreamMode'
  /** UpdateStreamRecordDistributionStrategy from the Stream panel's record distribution switch. */
  | 'updateRecordDistribution'
  /** The stream picker (a stream a Kinesis client created through the endpoint). */
  | 'showStream'
  /** Opening a lesson or moving between its steps (a refused lesson file or link shows here). */
  | 'lesson';

/**
 * The lesson on screen: the scenario with its steps, and the step shown (0-based). `id` names a built-in
 * lesson (deep links `#lesson=<id>&step=<n>`); a teacher's own lesson has none and travels as its scenario.
 */
export interface LessonState {
  id?: string;
  name: string;
  steps: LessonStep[];
  index: number;
  scenario: Scenario;
}

/**
 * The answers about the stream's shards and capacity: a newer one supersedes the others (after a switch back
 * to PROVISIONED, "not supported on ON_DEMAND" is no longer true), so only the latest is shown.
 */
const STREAM_CHANGE_SLOTS: readonly ResultSlot[] = [
  'reshard',
  'splitHere',
  'keyspaceSplit',
  'updateShardCount',
  'updateStreamMode',
  'updateRecordDistribution',
];

/** The slots' results without the stream-change answers, except `keep`'s. */
function withoutStreamChangeAnswers(
  results: Partial<Record<ResultSlot, CommandResult>>,
  keep: (slot: ResultSlot, result: CommandResult) => boolean,
): Partial<Record<ResultSlot, CommandResult>> {
  const out = { ...results };
  for (const slot of STREAM_CHANGE_SLOTS) {
    const result = out[slot];
    if (result && !keep(slot, result)) out[slot] = undefined;
  }
  return out;
}

export interface SimState {
  ready: boolean;
  engineVersion: string | null;
  limits: EngineLimits | null;
  /** Total retained and expired records per applied snapshot, for the retention chart (bounded). */
  retentionHistory: RetentionPoint[];
  /** Open shards and demand per applied snapshot, for the on-demand capacity chart's whole-run view (bounded). */
  capacityHistory: CapacityPoint[];
  snapshot: SimulationSnapshot | null;
  /** The clock as last reported: by a status event right after a command, or by a snapshot. */
  clock: ClockStatus | null;
  /**
   * The stream as heavy views (charts, tables) show it: refreshed at most every VIEW_REFRESH_MS while
   * the simulation runs, and at once after a person's command, so rendering keeps up at high load.
   */
  viewStream: StreamSnapshot | null;
  /**
   * The producers' totals of the same snapshot as viewStream: tables that show them beside the shards'
   * (the producer table, retries, KPL rates) refresh with them, so the two never disagree on screen.
   */
  viewProducers: ProducerTotals[] | null;
  /** The generation (see SimulationSnapshot) the view stream belongs to. */
  viewGeneration: number;
  results: Partial<Record<ResultSlot, CommandResult>>;
  pending: Partial<Record<ResultSlot, boolean>>;
  commandError: string | null;
  /**
   * Set when `npm start`'s server runs the engine (shared with Kinesis clients): whether the WebSocket is
   * up and whether this page may change the simulation. Null when the engine runs in this page.
   */
  server: { connected: boolean; canControl: boolean } | null;
  /** The lesson on screen, or null. What its steps did and where they paused is in `snapshot.lesson`. */
  lesson: LessonState | null;
  actions: {
    /**
     * Opens a lesson (a scenario with steps) at `stepIndex` (0-based): the worker loads it paused, replays
     * the steps before it (each to where its pause condition was met) and runs this step's actions.
     */
    openLesson(scenario: Scenario, stepIndex?: number, options?: { id?: string }): void;
    /**
     * Next (+1): runs the next step's actions on the running simulation. Previous (−1): reopens the lesson
     * at the previous step (replayed from the seed: the same numbers). Nothing past either end.
     */
    lessonStep(delta: 1 | -1): void;
    /** Leaves the lesson: the simulation stays as it is, its pause condition is no longer watched. */
    closeLesson(): void;
    createStream(config: StreamConfig): void;
    setRetention(hours: number): void;
    putRecord(record: ManualRecord): void;
    addProducer(spec: ProducerSpec, start?: boolean): void;
    /** Replaces the injected faults (an empty list clears them); the worker checks each. */
    setFaults(faults: FaultRequest[]): void;
    /** Loads a scenario; it starts playing unless `paused`. */
    loadScenario(scenario: Scenario, options?: { paused?: boolean }): void;
    inspectKey(partitionKey: string, explicitHashKey?: string): void;
    /**
     * SplitShard of the stream on screen; the answer (Kinesis's output or error, exactly) shows in `slot`
     * ('reshard' for the shard table, 'splitHere' for the diagnosis).
     */
    splitShard(
      shardId: string,
      newStartingHashKey: string,
      slot?: 'reshard' | 'splitHere' | 'keyspaceSplit',
    ): void;
    /** MergeShards: `shardId` is the lower hash range, `adjacentShardId` the one that starts where it ends. */
    mergeShards(shardId: string, adjacentShardId: string): void;
    /** UpdateShardCount (UNIFORM_SCALING) to `targetShardCount` open shards. */
    updateShardCount(targetShardCount: number): void;
    /** UpdateStreamMode of the stream on screen (the engine allows two a rolling 24 hours). */
    updateStreamMode(mode: 'PROVISIONED' | 'ON_DEMAND'): void;
    /** UpdateStreamRecordDistributionStrategy (AUTO: ON_DEMAND streams only; the engine decides). */
    updateRecordDistribution(strategy: 'USER_PARTITION_KEY' | 'AUTO'): void;
    /** Puts another of the engine's streams on screen (the page's producers move to it). */
    showStream(streamName: string): void;
    /** Shows an error that happened on this side (e.g. an imported file that is not a scenario). */
    reportResult(slot: ResultSlot, result: CommandResult): void;
    /**
     * Replaces a producer's settings; its answer shows where "add producer" answers do. `generation` is the
     * simulation the form was opened for (a command for a replaced one is refused, not applied to the new).
     */
    updateProducer(id: number, spec: ProducerSpec, generation?: number): void;
    setProducerRunning(id: number, running: boolean, generation?: number): void;
    removeProducer(id: number, generation?: number): void;
    play(): void;
    pause(): void;
    togglePlay(): void;
    setSpeed(speed: Speed): void;
    step(ms?: number): void;
    /** Simulates `ms` of virtual time with the running producers; progress shows in `clock.jump`. */
    jump(ms: number): void;
    cancelJump(): void;
    dismissCommandError(): void;
    /** Forgets a form's last answer (e.g. when the form itself refuses new input). */
    clearResult(slot: ResultSlot): void;
  };
}

export type SimStore = StoreApi<SimState>;

/**
 * How often heavy views re-render while the simulation runs. Their data is per virtual second: at 1× a new
 * second arrives once a wall second, so once is enough; faster, twice a second shows several new seconds.
 */
export const VIEW_REFRESH_MS = 500;
export const VIEW_REFRESH_AT_1X_MS = 1000;

/** Applies the newest snapshot at most once per frame (older ones are dropped, never queued). */
function frameThrottle(
  apply: (snapshot: SimulationSnapshot) => void,
): (snapshot: SimulationSnapshot) => void {
  let latest: SimulationSnapshot | null = null;
  let scheduled = false;
  const schedule: (fn: () => void) => void =
    typeof requestAnimationFrame === 'function'
      ? (fn) => requestAnimationFrame(() => fn())
      : (fn) => setTimeout(fn, 16);
  return (snapshot) => {
    latest = snapshot;
    if (scheduled) return;
    scheduled = true;
    schedule(() => {
      scheduled = false;
      if (latest) apply(latest);
      latest = null;
    });
  };
}

/** A store bound to a simulation client; actions send commands, events update state. */
export function createSimStore(client: SimClient, options: { throttleFrames?: boolean } = {}): SimStore {
  let nextRequestId = 1;
  // Commands that change what the views show refresh them as soon as a snapshot at least as new as the
  // command arrives (the status event right after it names that version); play/pause/speed need only the clock.
  let awaitingStatus = false;
  let refreshAtVersion: number | null = null;
  let store: SimStore | undefined;
  const send = (command: Command) => {
    if (
      command.type !== 'play' &&
      command.type !== 'pause' &&
      command.type !== 'togglePlay' &&
      command.type !== 'setSpeed'
    )
      awaitingStatus = true;
    // Commands that act on the running simulation say which one they were made for (see protocol.ts).
    const generation = store?.getState().clock?.generation ?? store?.getState().snapshot?.generation;
    client.send(
      GENERATION_BOUND_COMMANDS.has(command.type) && generation !== undefined && !('generation' in command)
        ? ({ ...command, generation } as Command)
        : command,
    );
  };
  /** The request id the open lesson was (re)opened with: only later loads replace it. */
  let lessonRequestId = 0;
  /** Sends a command without adding the generation (see lessonStep). */
  const sendAsIs = (command: Command) => {
    awaitingStatus = true;
    client.send(command);
  };
  const slots = new Map<number, ResultSlot>();
  store = createStore<SimState>()((set) => {
    const request = (slot: ResultSlot, send: (requestId: number) => void) => {
      const requestId = nextRequestId++;
      slots.set(requestId, slot);
      set((s) => ({ pending: { ...s.pending, [slot]: true } }));
      send(requestId);
    };
    return {
      ready: false,
      engineVersion: null,
      limits: null,
      retentionHistory: [],
      capacityHistory: [],
      snapshot: null,
      clock: null,
      viewStream: null,
      viewProducers: null,
      viewGeneration: -1,
      results: {},
      pending: {},
      commandError: null,
      server: null,
      lesson: null,
      actions: {
        openLesson: (scenario, stepIndex = 0, options) => {
          const steps = scenario.steps ?? [];
          const index = Math.min(Math.max(0, Math.trunc(stepIndex)), Math.max(0, steps.length - 1));
          set({
            lesson: {
              ...(options?.id === undefined ? {} : { id: options.id }),
              name: scenario.name ?? 'Lesson',
              steps,
              index,
              scenario,
            },
          });
          request('lesson', (requestId) => {
            lessonRequestId = requestId;
            send({ type: 'openLesson', requestId, scenario, stepIndex: index });
          });
        },
        lessonStep: (delta) => {
          const lesson = store?.getState().lesson;
          if (!lesson) return;
          const index = lesson.index + delta;
          const step = lesson.steps[index];
          if (!step) return;
          set({ lesson: { ...lesson, index } });
          if (delta === -1)
            request('lesson', (requestId) =>
              send({ type: 'openLesson', requestId, scenario: lesson.scenario, stepIndex: index }),
            );
          // Sent without a generation: the lesson's own simulation is whatever runs (anything else loaded
          // closes the lesson), and a Next pressed before the lesson's status arrived must not be refused.
          else
            request('lesson', (requestId) =>
              sendAsIs({ type: 'lessonStep', requestId, step, stepIndex: index }),
            );
        },
        closeLesson: () => {
          set({ lesson: null });
          send({ type: 'clearLesson' });
        },
        createStream: (config) =>
          request('createStream', (requestId) => send({ type: 'createStream', requestId, config })),
        setRetention: (retentionHours) =>
          request('setRetention', (requestId) => send({ type: 'setRetention', requestId, retentionHours })),
        putRecord: (record) =>
          request('putRecord', (requestId) => send({ type: 'putRecord', requestId, record })),
        addProducer: (spec, start = true) =>
          request('addProducer', (requestId) => send({ type: 'addProducer', requestId, spec, start })),
        setFaults: (faults) =>
          request('faults', (requestId) => send({ type: 'setFaults', requestId, faults })),
        loadScenario: (scenario, options) =>
          request('loadScenario', (requestId) =>
            send({ type: 'loadScenario', requestId, scenario, ...(options?.paused ? { paused: true } : {}) }),
          ),
        inspectKey: (partitionKey, explicitHashKey) =>
          request('inspectKey', (requestId) =>
            send({
              type: 'inspectKey',
              requestId,
              partitionKey,
              ...(explicitHashKey ? { explicitHashKey } : {}),
            }),
          ),
        splitShard: (shardId, newStartingHashKey, slot = 'reshard') =>
          request(slot, (requestId) => send({ type: 'splitShard', requestId, shardId, newStartingHashKey })),
        mergeShards: (shardId, adjacentShardId) =>
          request('reshard', (requestId) =>
            send({ type: 'mergeShards', requestId, shardId, adjacentShardId }),
          ),
        updateShardCount: (targetShardCount) =>
          request('updateShardCount', (requestId) =>
            send({ type: 'updateShardCount', requestId, targetShardCount }),
          ),
        updateStreamMode: (mode) =>
          request('updateStreamMode', (requestId) => send({ type: 'updateStreamMode', requestId, mode })),
        updateRecordDistribution: (strategy) =>
          request('updateRecordDistribution', (requestId) =>
            send({ type: 'updateRecordDistribution', requestId, strategy }),
          ),
        showStream: (streamName) =>
          request('showStream', (requestId) => send({ type: 'viewStream', requestId, streamName })),
        reportResult: (slot, result) => set((s) => ({ results: { ...s.results, [slot]: result } })),
        updateProducer: (id, spec, generation) =>
          request('addProducer', (requestId) =>
            send({
              type: 'updateProducer',
              requestId,
              id,
              spec,
              ...(generation === undefined ? {} : { generation }),
            }),
          ),
        setProducerRunning: (id, running, generation) =>
          send({
            type: 'setProducerRunning',
            id,
            running,
            ...(generation === undefined ? {} : { generation }),
          }),
        removeProducer: (id, generation) =>
          send({ type: 'removeProducer', id, ...(generation === undefined ? {} : { generation }) }),
        play: () => send({ type: 'play' }),
        pause: () => send({ type: 'pause' }),
        togglePlay: () => send({ type: 'togglePlay' }),
        setSpeed: (speed) => send({ type: 'setSpeed', speed }),
        step: (ms = 1000) => send({ type: 'step', ms }),
        jump: (ms) => send({ type: 'jump', ms }),
        cancelJump: () => send({ type: 'cancelJump' }),
        dismissCommandError: () => set({ commandError: null }),
        clearResult: (slot) => set((s) => ({ results: { ...s.results, [slot]: undefined } })),
      },
    };
  });
  const sim = store;
  let lastViewMs = Number.NEGATIVE_INFINITY;
  const applySnapshot = (snapshot: SimulationSnapshot) =>
    sim.setState((s) => {
      const wallMs = typeof performance === 'undefined' ? 0 : performance.now();
      const stream = snapshot.stream;
      // Every engine starts at the same virtual instant with the same default name: only the generation
      // tells a new stream (or scenario, or seed) from the old one.
      const newStream = snapshot.generation !== s.snapshot?.generation;
      // A jump in progress changes the state on every tick, like play does: views follow it at the same
      // bounded rate, and the snapshot that ends it refreshes them at once.
      const jumping = snapshot.jump !== null;
      const interval = snapshot.speed === 1 && !jumping ? VIEW_REFRESH_AT_1X_MS : VIEW_REFRESH_MS;
      const commanded = refreshAtVersion !== null && snapshot.version >= refreshAtVersion;
      const live = snapshot.playing || jumping;
      const refresh = newStream || commanded || !live || wallMs - lastViewMs >= interval;
      if (refresh) {
        lastViewMs = wallMs;
        if (commanded) refreshAtVersion = null;
      }
      const clock = newerClock(s.clock, snapshot);
      if (!refresh) return { snapshot, clock };
      return {
        snapshot,
        clock,
        viewStream: stream,
        viewProducers: snapshot.producers,
        viewGeneration: snapshot.generation,
        retentionHistory: nextRetentionHistory(newStream ? [] : s.retentionHistory, stream),
        capacityHistory: nextCapacityHistory(newStream ? [] : s.capacityHistory, stream),
      };
    });
  const onSnapshot = options.throttleFrames === false ? applySnapshot : frameThrottle(applySnapshot);
  let lastReceived: SimulationSnapshot | null = null;
  client.subscribe((event) => {
    switch (event.type) {
      case 'status':
        if (awaitingStatus) {
          refreshAtVersion = event.status.version;
          awaitingStatus = false;
        }
        sim.setState((s) => ({ clock: newerClock(s.clock, event.status) }));
        break;
      case 'ready':
        sim.setState({ ready: true, engineVersion: event.engineVersion, limits: event.limits });
        break;
      case 'snapshot': {
        // Every snapshot is received in order (only applying them is throttled): the layout left out of one
        // is the one received last.
        const snapshot = event.sameLayout ? restoreLayout(event.snapshot, lastReceived) : event.snapshot;
        // "not ACTIVE, instead in state UPDATING" stops being true when the stream is ACTIVE again.
        if (lastReceived?.stream?.status === 'UPDATING' && snapshot.stream?.status === 'ACTIVE') {
          sim.setState((s) => ({
            results: withoutStreamChangeAnswers(
              s.results,
              (_slot, result) => result.ok || result.errorType !== 'ResourceInUseException',
            ),
          }));
        }
        lastReceived = snapshot;
        onSnapshot(snapshot);
        break;
      }
      case 'result': {
        const slot = slots.get(event.requestId);
        if (!slot) return;
        slots.delete(event.requestId);
        // A new stream or scenario makes every other form's last answer stale: forget them.
        const fresh = event.result.ok && (slot === 'createStream' || slot === 'loadScenario');
        // Anything else loaded replaces the lesson's simulation; a refused lesson is not open.
        const lessonGone =
          event.requestId >= lessonRequestId &&
          (fresh || (slot === 'showStream' && event.result.ok) || (slot === 'lesson' && !event.result.ok));
        if (lessonGone && sim.getState().lesson) {
          sim.setState({ lesson: null });
          if (slot !== 'lesson') client.send({ type: 'clearLesson' });
        }
        const kept = STREAM_CHANGE_SLOTS.includes(slot)
          ? (s: SimState) => withoutStreamChangeAnswers(s.results, () => false)
          : (s: SimState) => s.results;
        sim.setState((s) => ({
          results: fresh ? { [slot]: event.result } : { ...kept(s), [slot]: event.result },
          pending: { ...s.pending, [slot]: false },
        }));
        break;
      }
      case 'commandError':
        sim.setState({ commandError: `${event.field}: ${event.message}` });
        break;
      case 'session':
        sim.setState({ server: { connected: true, canControl: event.canControl } });
        break;
      case 'connection':
        sim.setState((s) => {
          const server = { canControl: s.server?.canControl ?? false, connected: event.connected };
          // Losing the server says so; getting it back clears that message.
          if (!event.connected)
            return { server, commandError: 'connection: lost the Shardlab server; reconnecting…' };
          return s.commandError?.startsWith('connection:') ? { server, commandError: null } : { server };
        });
        break;
    }
  });
  return sim;
}

export interface RetentionPoint {
  nowMs: number;
  retained: number;
  expired: number;
}

/** Points kept for the retention chart: enough for minutes of live play and a few jumps. */
export const RETENTION_HISTORY_POINTS = 600;

/** A stream's retention figures in all: records and bytes retained, records expired, records held as counts. */
export interface RetentionTotals {
  retained: number;
  bytes: number;
  expired: number;
  countOnly: number;
}

/**
 * The stream's retention figures summed over its shards, for the Retention chart's summary and history
 * alike. Records of EXPIRED shards (gone from the snapshot's shards) stay counted as expired.
 */
export function retentionTotals(stream: StreamSnapshot): RetentionTotals {
  let retained = 0;
  let bytes = 0;
  let expired = stream.expiredShards.expired;
  let countOnly = 0;
  for (let i = 0; i < stream.shards.length; i++) {
    retained += stream.retainedRecords[i] ?? 0;
    bytes += stream.retainedBytes[i] ?? 0;
    expired += stream.expired[i] ?? 0;
    countOnly += stream.countOnly[i] ?? 0;
  }
  return { retained, bytes, expired, countOnly };
}

/** Appends a point per view refresh (derived once, when the data arrives); a new stream starts a new history. */
export function nextRetentionHistory(
  base: RetentionPoint[],
  stream: StreamSnapshot | null,
): RetentionPoint[] {
  if (!stream) return [];
  const last = base[base.length - 1];
  const { retained, expired } = retentionTotals(stream);
  if (last && last.nowMs === stream.nowMs && last.retained === retained && last.expired === expired)
    return base;
  const next =
    base.length >= RETENTION_HISTORY_POINTS
      ? base.slice(base.length - RETENTION_HISTORY_POINTS + 1)
      : base.slice();
  next.push({ nowMs: stream.nowMs, retained, expired });
  return next;
}

export interface CapacityPoint {
  nowMs: number;
  /** Open shards at that instant. */
  openShards: number;
  /** Records asked (accepted + throttled) and throttled over every shard in the last completed second. */
  demand: number;
  throttled: number;
}

/** Points kept for the capacity chart's whole-run view. */
export const CAPACITY_HISTORY_POINTS = 600;

/** Appends a point per view refresh (a count and a sum of what the engine sent); a new stream starts afresh. */
export function nextCapacityHistory(base: CapacityPoint[], stream: StreamSnapshot | null): CapacityPoint[] {
  if (!stream) return [];
  const last = base[base.length - 1];
  if (last && last.nowMs >= stream.nowMs) return base;
  let openShards = 0;
  let demand = 0;
  let throttled = 0;
  const t = stream.seconds - 1;
  for (const shard of stream.shards) {
    if (shard.isOpen) openShards++;
    if (t < 0) continue;
    const i = shard.position * stream.seconds + t;
    const refused = stream.series.throttledRecords[i] ?? 0;
    demand += (stream.series.incomingRecords[i] ?? 0) + refused;
    throttled += refused;
  }
  const next =
    base.length >= CAPACITY_HISTORY_POINTS
      ? base.slice(base.length - CAPACITY_HISTORY_POINTS + 1)
      : base.slice();
  next.push({ nowMs: stream.nowMs, openShards, demand, throttled });
  return next;
}

/**
 * The clock to show: status events are applied at once and snapshots at the next frame, so a snapshot
 * built before a command can arrive after that command's status; the higher worker version wins.
 */
export function newerClock(current: ClockStatus | null, next: ClockStatus): ClockStatus {
  if (current && next.version < current.version) return current;
  return {
    version: next.version,
    generation: next.generation,
    nowMs: next.nowMs,
    playing: next.playing,
    speed: next.speed,
    achievedSpeed: next.achievedSpeed,
    jump: next.jump,
  };
}
