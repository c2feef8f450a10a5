/**
 * The one simulation `npm start` serves: a SimulationHost (the same class the page's Web Worker runs) that
 * answers real Kinesis clients through the endpoint and streams the page's batched snapshots over
 * WebSockets. Time runs here, on the server, whether or not a page is open.
 */
import { limits, type WireResponse } from '../engine';
import { SimulationHost, type WallClock } from '../worker/host';
import { encodePageMessage, encodeSnapshot, type PageRequest } from '../worker/pageCodec';
import {
  type Command,
  type SimulationSnapshot,
  SNAPSHOT_INTERVAL_MS,
  type WorkerEvent,
} from '../worker/protocol';
import type { WireAnswer } from './kinesisHttp';

/** A PutRecords call's X-Amz-Target: the call answered from its body's bytes when it can be. */
const PUT_RECORDS_TARGET = `${limits.API_VERSION_PREFIX}.PutRecords`;

/** One page connected over a WebSocket. */
export interface PageConnection {
  /** Whether this page may change the simulation (the presenter's, or any page on a loopback-only server). */
  readonly canControl: boolean;
  /**
   * Sends an encoded event. A `droppable` one (a snapshot) is not sent while the page is too far behind,
   * and false is returned; every other event is always sent.
   */
  send(message: Uint8Array, droppable?: boolean): boolean;
}

/** Commands a viewer (a page without the presenter's token) may send: they change nothing. */
const VIEWER_COMMANDS: ReadonlySet<Command['type']> = new Set(['inspectKey']);

/**
 * Wall ms between whole snapshots to a page that takes deltas: a safety resync only (a delta is exact, see
 * snapshotDelta.ts), so rare — at 2,000 shards a whole snapshot is ~6 MB.
 */
export const FULL_SNAPSHOT_EVERY_MS = 60_000;

/**
 * Snapshot deltas a page is sent per wall second at most by the clock's ticks (a page's own command is
 * answered at once). At 1× deltas are small (~12 KiB/s at 100 shards, ~140 KiB/s at 1,000); at 3600× every
 * series moves by 360 s a tick and a delta is nearly whole (1.5 MB at 500 shards, 10 a second): past this
 * rate a page gets fewer snapshots instead, so a workshop's Wi-Fi is not flooded. Whole snapshots (the
 * first, a resync) are not charged: a page must not wait for its first picture.
 */
export const PAGE_SNAPSHOT_BYTES_PER_SECOND = 512 * 1024;

/** Per page: the snapshot it received last (its relay holds the same), which the next one is a delta on. */
interface PageState {
  /** Undefined before the first snapshot, and when the page asked for a whole one. */
  sent: SimulationSnapshot | undefined;
  /** Wall ms of the last whole snapshot sent. */
  fullAtMs: number;
  /** Wall ms before which the clock's ticks send this page no snapshot (PAGE_SNAPSHOT_BYTES_PER_SECOND). */
  nextAtMs: number;
}

/** One encoding of a snapshot per base a page holds (undefined: whole), shared by pages holding the same. */
type Encodings = Map<SimulationSnapshot | undefined, { bytes: Uint8Array; full: boolean }>;

/**
 * Owns the host and its clock: ticks it every SNAPSHOT_INTERVAL_MS of wall time, lets each client request
 * catch the clock up to the wall instant it arrived at, routes the pages' commands (answers go to the page
 * that asked) and broadcasts snapshots to every page.
 */
export class Session {
  /** The simulation; reached through `host`, which settles it first. */
  private readonly simulation: SimulationHost;
  private readonly wallClock: WallClock;
  private lastTickMs: number;
  private readonly pages = new Map<PageConnection, PageState>();
  private ready: Uint8Array | undefined;
  /** The snapshot last built, kept while the host's version stays (pages' deltas are made against it). */
  private latest: SimulationSnapshot | undefined;
  /** The page whose command is being handled: results and refusals go only to it. */
  private replyTo: PageConnection | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  /** PAGE_SNAPSHOT_BYTES_PER_SECOND, or what the options set (Infinity: every tick, for tests). */
  private readonly pageBytesPerSecond: number;

  constructor(options: { seed?: number; wallClock?: WallClock; pageSnapshotBytesPerSecond?: number } = {}) {
    this.wallClock = options.wallClock ?? (() => performance.now());
    this.pageBytesPerSecond = options.pageSnapshotBytesPerSecond ?? PAGE_SNAPSHOT_BYTES_PER_SECOND;
    this.simulation = new SimulationHost((event) => this.route(event), options.seed, this.wallClock);
    this.lastTickMs = this.wallClock();
  }

  /**
   * The simulation, settled: the last PutRecords answered from its bytes has its records stored and counted
   * (SimulationHost.settle) before anything (a call, a page's command, a tick, a snapshot) reads or changes
   * it, so no one sees a call half done. Every use goes through here, this class's own too.
   */
  get host(): SimulationHost {
    this.simulation.settle();
    return this.simulation;
  }

  /**
   * Completes the last PutRecords answered from its bytes now: the endpoint calls it once the answer is on its
   * way (src/server/callTurns.ts), so the records are stored while the client reads its answer.
   */
  settle(): void {
    this.simulation.settle();
  }

  /** Starts the wall-clock ticks (virtual time at the host's speed, 1× by default) and snapshot broadcasts. */
  start(): void {
    if (this.timer) return;
    this.lastTickMs = this.wallClock();
    this.timer = setInterval(() => {
      this.catchUp(true);
      this.broadcastSnapshot(true);
    }, SNAPSHOT_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.simulation.settle();
  }

  /**
   * One Kinesis API call from a client, in wire form. The clock first catches up to now, so the call lands
   * at the virtual instant of its arrival (between ticks too); a jump in progress is left to its ticks.
   */
  dispatch(target: string, body: string): WireResponse;
  /** As above; `bytes` is the body as received, from which a PutRecords is answered when it can be. */
  dispatch(target: string, body: string, bytes: Uint8Array | undefined): WireAnswer;
  dispatch(target: string, body: string, bytes?: Uint8Array): WireAnswer {
    this.catchUp(false);
    if (bytes !== undefined && target === PUT_RECORDS_TARGET) {
      const answer = this.host.putRecordsInPlace(body, bytes);
      if (answer !== undefined) return { status: 200, body: answer };
    }
    return this.host.dispatchWire(target, body);
  }

  /** A page connects: it gets the engine's limits, the clock and a whole snapshot at once. */
  attach(page: PageConnection): void {
    const state: PageState = { sent: undefined, fullAtMs: 0, nextAtMs: 0 };
    this.pages.set(page, state);
    page.send(encodePageMessage({ type: 'session', canControl: page.canControl }));
    if (this.ready) page.send(this.ready);
    page.send(encodePageMessage({ type: 'status', status: this.host.status() }));
    this.sendSnapshot(page, state, this.latestSnapshot());
  }

  detach(page: PageConnection): void {
    this.pages.delete(page);
  }

  get pageCount(): number {
    return this.pages.size;
  }

  /**
   * A command from a page: viewers may only ask questions; a refused command changes nothing. A page's
   * request for a whole snapshot (its relay could not apply a delta) is answered by the next tick's
   * broadcast: however often pages ask, a snapshot is encoded whole at most once per tick.
   */
  command(page: PageConnection, command: Command | PageRequest): void {
    if (command.type === 'snapshotResync') {
      const state = this.pages.get(page);
      if (state) state.sent = undefined;
      return;
    }
    if (!page.canControl && !VIEWER_COMMANDS.has(command.type)) {
      page.send(
        encodePageMessage({
          type: 'commandError',
          field: 'Viewer',
          message:
            "only the presenter's page (opened with the token printed at start) may change the simulation; this page watches it and may inspect keys",
        }),
      );
      return;
    }
    this.catchUp(false);
    this.replyTo = page;
    try {
      this.host.handle(command);
    } catch (error) {
      page.send(
        encodePageMessage({
          type: 'commandError',
          field: 'command',
          message: error instanceof Error ? error.message : String(error),
        }),
      );
    } finally {
      this.replyTo = undefined;
    }
    this.broadcast(encodePageMessage({ type: 'status', status: this.host.status() }));
    this.broadcastSnapshot();
  }

  /** Advances the host by the wall time since the last advance: whole ms, never during a jump unless ticking. */
  private catchUp(tick: boolean): void {
    const now = this.wallClock();
    const elapsed = Math.floor(now - this.lastTickMs);
    if (!tick && (elapsed < 1 || this.host.jumping)) return;
    this.lastTickMs += elapsed;
    this.host.tick(elapsed);
  }

  private route(event: WorkerEvent): void {
    // Snapshots are pulled (broadcastSnapshot), per page; 'connection' is the relay's own.
    if (event.type === 'snapshot' || event.type === 'connection') return;
    const message = encodePageMessage(event);
    if (event.type === 'ready') this.ready = message;
    if ((event.type === 'result' || event.type === 'commandError') && this.replyTo) {
      this.replyTo.send(message);
      return;
    }
    this.broadcast(message);
  }

  private broadcast(message: Uint8Array): void {
    for (const page of this.pages.keys()) page.send(message);
  }

  /** The host's snapshot, built once per version (a pure read: the same version gives the same). */
  private latestSnapshot(): SimulationSnapshot {
    if (this.latest?.version !== this.host.version) this.latest = this.host.snapshot();
    return this.latest;
  }

  /**
   * Sends the current snapshot to every page that has not seen this version, each as a delta on its last;
   * `paced` (the clock's ticks): not to a page still within its byte rate (PAGE_SNAPSHOT_BYTES_PER_SECOND).
   */
  private broadcastSnapshot(paced = false): void {
    if (this.pages.size === 0) return;
    const version = this.host.version;
    const now = this.wallClock();
    let snapshot: SimulationSnapshot | undefined;
    const encodings: Encodings = new Map();
    for (const [page, state] of this.pages) {
      if (state.sent?.version === version) continue;
      if (paced && now < state.nextAtMs) continue;
      snapshot ??= this.latestSnapshot();
      this.sendSnapshot(page, state, snapshot, encodings);
    }
  }

  /**
   * Sends `snapshot` to one page as a delta on the snapshot it holds, or whole (its first, after it asked,
   * every FULL_SNAPSHOT_EVERY_MS, or when a delta cannot say it). Pages holding the same snapshot share one
   * encoding. A page too far behind skips it: the next one is a delta on what it does hold.
   */
  private sendSnapshot(
    page: PageConnection,
    state: PageState,
    snapshot: SimulationSnapshot,
    encodings: Encodings = new Map(),
  ): void {
    const now = this.wallClock();
    const base = state.sent && now - state.fullAtMs < FULL_SNAPSHOT_EVERY_MS ? state.sent : undefined;
    let encoded = encodings.get(base);
    if (!encoded) {
      encoded = encodeSnapshot(base, snapshot);
      encodings.set(base, encoded);
    }
    if (!page.send(encoded.bytes, true)) return;
    state.sent = snapshot;
    if (encoded.full) state.fullAtMs = now;
    else state.nextAtMs = now + (encoded.bytes.length / this.pageBytesPerSecond) * 1000;
  }
}
