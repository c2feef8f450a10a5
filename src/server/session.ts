/**
 * The one simulation `npm start` serves: a SimulationHost (the same class the page's Web Worker runs) that
 * answers real Kinesis clients through the endpoint and streams the page's batched snapshots over
 * WebSockets. Time runs here, on the server, whether or not a page is open.
 */
import type { WireResponse } from '../engine';
import { SimulationHost, type WallClock } from '../worker/host';
import { encodePageMessage } from '../worker/pageCodec';
import {
  type Command,
  type SimulationSnapshot,
  SNAPSHOT_INTERVAL_MS,
  type WorkerEvent,
  withoutLayout,
} from '../worker/protocol';

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

/** Per page: the layout it last received in full, so later snapshots can leave it out. */
interface PageState {
  generation: number;
  shards: unknown;
  lineage: unknown;
  version: number;
}

/**
 * Owns the host and its clock: ticks it every SNAPSHOT_INTERVAL_MS of wall time, lets each client request
 * catch the clock up to the wall instant it arrived at, routes the pages' commands (answers go to the page
 * that asked) and broadcasts snapshots to every page.
 */
export class Session {
  readonly host: SimulationHost;
  private readonly wallClock: WallClock;
  private lastTickMs: number;
  private readonly pages = new Map<PageConnection, PageState>();
  private ready: Uint8Array | undefined;
  /** The page whose command is being handled: results and refusals go only to it. */
  private replyTo: PageConnection | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: { seed?: number; wallClock?: WallClock } = {}) {
    this.wallClock = options.wallClock ?? (() => performance.now());
    this.host = new SimulationHost((event) => this.route(event), options.seed, this.wallClock);
    this.lastTickMs = this.wallClock();
  }

  /** Starts the wall-clock ticks (virtual time at the host's speed, 1× by default) and snapshot broadcasts. */
  start(): void {
    if (this.timer) return;
    this.lastTickMs = this.wallClock();
    this.timer = setInterval(() => {
      this.catchUp(true);
      this.broadcastSnapshot();
    }, SNAPSHOT_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * One Kinesis API call from a client, in wire form. The clock first catches up to now, so the call lands
   * at the virtual instant of its arrival (between ticks too); a jump in progress is left to its ticks.
   */
  dispatch(target: string, body: string): WireResponse {
    this.catchUp(false);
    return this.host.dispatchWire(target, body);
  }

  /** A page connects: it gets the engine's limits, the clock and a full snapshot at once. */
  attach(page: PageConnection): void {
    this.pages.set(page, { generation: -1, shards: undefined, lineage: undefined, version: -1 });
    page.send(encodePageMessage({ type: 'session', canControl: page.canControl }));
    if (this.ready) page.send(this.ready);
    page.send(encodePageMessage({ type: 'status', status: this.host.status() }));
    this.sendSnapshot(page, this.host.snapshot());
  }

  detach(page: PageConnection): void {
    this.pages.delete(page);
  }

  get pageCount(): number {
    return this.pages.size;
  }

  /** A command from a page: viewers may only ask questions; a refused command changes nothing. */
  command(page: PageConnection, command: Command): void {
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

  /** Sends the current snapshot to every page that has not seen this version, leaving out known layouts. */
  private broadcastSnapshot(): void {
    if (this.pages.size === 0) return;
    const version = this.host.version;
    let snapshot: SimulationSnapshot | undefined;
    const encoded = new Map<boolean, Uint8Array>();
    for (const [page, state] of this.pages) {
      if (state.version === version) continue;
      snapshot ??= this.host.snapshot();
      this.sendSnapshot(page, snapshot, encoded);
    }
  }

  private sendSnapshot(
    page: PageConnection,
    snapshot: SimulationSnapshot,
    encoded = new Map<boolean, Uint8Array>(),
  ): void {
    const state = this.pages.get(page);
    if (!state) return;
    const stream = snapshot.stream;
    const same =
      stream !== null &&
      state.generation === snapshot.generation &&
      state.shards === stream.shards &&
      state.lineage === stream.lineage;
    let message = encoded.get(same);
    if (!message) {
      message = encodePageMessage(
        same
          ? { type: 'snapshot', snapshot: withoutLayout(snapshot), sameLayout: true }
          : { type: 'snapshot', snapshot },
      );
      encoded.set(same, message);
    }
    // A page too far behind skips this snapshot; the next one carries everything it needs.
    if (!page.send(message, true)) return;
    state.version = snapshot.version;
    state.generation = snapshot.generation;
    state.shards = stream?.shards;
    state.lineage = stream?.lineage;
  }
}
