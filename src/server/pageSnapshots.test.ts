// @vitest-environment node
// The snapshots a page receives over `npm start`'s WebSocket (deltas, see worker/snapshotDelta.ts): a real
// Session driven by random sequences of what people and clients do — producers, jumps, speeds, splits,
// UpdateShardCount, another stream put on screen, resets, client writes, a page falling behind or asking
// for a whole snapshot — and at every snapshot a page receives, the relay's rebuilt snapshot must equal the
// one the host built, value for value and bit for bit, and what the relay posts must give the store the same.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProducerSpec } from '../worker/engineTypes';
import { decodePageMessage, encodeForPage, PageReceiver, type ServerMessage } from '../worker/pageCodec';
import {
  restoreLayout,
  type SimulationSnapshot,
  type Speed,
  type WorkerEvent,
  withoutLayout,
} from '../worker/protocol';
import {
  FULL_SNAPSHOT_EVERY_MS,
  PAGE_SNAPSHOT_BYTES_PER_SECOND,
  type PageConnection,
  Session,
} from './session';

/**
 * Where two values first differ (a path and both values), or undefined: strict — same constructors, same
 * own keys (a key whose value is undefined included), typed arrays bit for bit, numbers by SameValue.
 */
function firstDifference(a: unknown, b: unknown, path = 'snapshot'): string | undefined {
  if (Object.is(a, b)) return undefined;
  const show = (v: unknown) =>
    typeof v === 'object' && v !== null ? (v.constructor?.name ?? 'object') : String(v);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return `${path}: ${show(a)} ≠ ${show(b)}`;
  if (a.constructor !== b.constructor) return `${path}: ${show(a)} ≠ ${show(b)}`;
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    if (x.length !== y.length) return `${path}: ${x.length} bytes ≠ ${y.length} bytes`;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return `${path}: byte ${i} differs`;
    return undefined;
  }
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length || keysA.some((k) => !Object.hasOwn(b, k)))
    return `${path}: keys ${keysA.join(',')} ≠ ${keysB.join(',')}`;
  for (const key of keysA) {
    const found = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${path}.${key}`,
    );
    if (found) return found;
  }
  return undefined;
}

/**
 * A page as the relay worker is one: every message goes through a PageReceiver. Each snapshot is checked
 * against the host's at the instant it was sent (a snapshot is a pure read of the host), both as the relay
 * keeps it and as the store gets it from what the relay posts (restoring a layout left out).
 */
function relayPage(session: () => Session, canControl = true) {
  const receiver = new PageReceiver();
  let stored: SimulationSnapshot | null = null;
  const page = {
    canControl,
    receiver,
    /** Refuses droppable messages (a page whose socket is backed up). */
    behind: false,
    kinds: [] as string[],
    bytes: [] as number[],
    mismatches: [] as string[],
    resyncWanted: false,
    resyncs: 0,
    events: [] as WorkerEvent[],
    send(message: Uint8Array, droppable?: boolean): boolean {
      if (droppable && page.behind) return false;
      const decoded = decodePageMessage(message) as ServerMessage;
      if (decoded.type === 'snapshotFull' || decoded.type === 'snapshotDelta') {
        page.kinds.push(decoded.type);
        page.bytes.push(message.byteLength);
      }
      const { event, resync } = receiver.receive(decoded);
      if (resync) {
        page.resyncWanted = true;
        page.resyncs++;
      }
      if (!event) return true;
      page.events.push(event);
      if (event.type === 'snapshot') {
        const expected = session().host.snapshot();
        const kept = firstDifference(receiver.snapshot, expected);
        stored = event.sameLayout ? restoreLayout(event.snapshot, stored) : event.snapshot;
        const posted = firstDifference(stored, expected);
        if (kept) page.mismatches.push(`kept (${decoded.type}): ${kept}`);
        if (posted) page.mismatches.push(`posted (${decoded.type}): ${posted}`);
      }
      return true;
    },
  } satisfies PageConnection & Record<string, unknown>;
  return page;
}
type RelayPage = ReturnType<typeof relayPage>;

const steady = (rate: number, keys: number): ProducerSpec => ({
  name: 'p',
  api: 'PutRecords',
  batchSize: 100,
  payloadBytes: { min: 50, max: 150 },
  rate,
  distribution: { kind: 'uniform', keyCount: keys },
});
const hot: ProducerSpec = {
  name: 'hot',
  api: 'PutRecord',
  batchSize: 1,
  payloadBytes: { min: 10, max: 10 },
  rate: 1500,
  distribution: { kind: 'hotKey', hotKey: 'celebrity', hotPercent: 80, keyCount: 20 },
};
const target = (operation: string) => `Kinesis_20131202.${operation}`;

type Action =
  | { kind: 'wait'; ms: number }
  | { kind: 'producer'; hot: boolean; rate: number }
  | { kind: 'jump'; ms: number }
  | { kind: 'speed'; speed: Speed }
  | { kind: 'pause' | 'play' | 'resync' | 'reset' }
  | { kind: 'split'; pick: number }
  | { kind: 'shardCount'; factor: number }
  | { kind: 'view'; to: 'client' | 'first' }
  | { kind: 'client'; records: number }
  | { kind: 'behind'; on: boolean };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 100, max: 3000 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('producer' as const),
      hot: fc.boolean(),
      rate: fc.constantFrom(50, 800, 6000),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('jump' as const), ms: fc.constantFrom(5_000, 45_000, 600_000) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('speed' as const), speed: fc.constantFrom<Speed>(1, 10, 60) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('pause' as const, 'play' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('resync' as const, 'reset' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('split' as const), pick: fc.nat(50) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('shardCount' as const), factor: fc.constantFrom(0.5, 1.5, 2) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('view' as const),
      to: fc.constantFrom('client' as const, 'first' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('client' as const), records: fc.integer({ min: 1, max: 300 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('behind' as const), on: fc.boolean() }) },
);

let requestId = 1;

/** Runs one action the way the page (page `a`), a Kinesis client or the network would. */
function run(session: Session, a: RelayPage, b: RelayPage, action: Action): void {
  const first = session.host.snapshot().streams[0]?.streamName ?? 'shardlab-demo';
  switch (action.kind) {
    case 'wait':
      vi.advanceTimersByTime(action.ms);
      return;
    case 'producer':
      session.command(a, {
        type: 'addProducer',
        requestId: requestId++,
        start: true,
        spec: action.hot ? hot : steady(action.rate, 200),
      });
      return;
    case 'jump':
      session.command(a, { type: 'jump', ms: action.ms });
      return;
    case 'speed':
      session.command(a, { type: 'setSpeed', speed: action.speed });
      return;
    case 'pause':
    case 'play':
      session.command(a, { type: action.kind });
      return;
    case 'resync':
      session.command(b, { type: 'snapshotResync' });
      return;
    case 'reset':
      session.command(a, {
        type: 'createStream',
        requestId: requestId++,
        config: {
          streamName: `reset-${requestId}`,
          shardCount: 3,
          retentionHours: 24,
          throttle: 'token-bucket',
        },
      });
      return;
    case 'split': {
      const open = session.host.snapshot().stream?.shards.filter((s) => s.isOpen) ?? [];
      const shard = open[action.pick % Math.max(1, open.length)];
      if (!shard) return;
      const middle = (BigInt(shard.startingHashKey) + BigInt(shard.endingHashKey) + 1n) / 2n;
      session.command(a, {
        type: 'splitShard',
        requestId: requestId++,
        shardId: shard.shardId,
        newStartingHashKey: middle.toString(),
      });
      return;
    }
    case 'shardCount': {
      const open = session.host.snapshot().stream?.shards.filter((s) => s.isOpen).length ?? 1;
      const targetShardCount = Math.min(40, Math.max(1, Math.round(open * action.factor)));
      session.command(a, { type: 'updateShardCount', requestId: requestId++, targetShardCount });
      return;
    }
    case 'view':
      if (action.to === 'client')
        session.dispatch(target('CreateStream'), JSON.stringify({ StreamName: 'client', ShardCount: 2 }));
      session.command(a, {
        type: 'viewStream',
        requestId: requestId++,
        streamName: action.to === 'client' ? 'client' : first,
      });
      return;
    case 'client': {
      const name = session.host.snapshot().stream?.streamName ?? first;
      const entries = Array.from({ length: Math.min(500, action.records) }, (_, i) => ({
        PartitionKey: `client-${i % 37}`,
        Data: 'aGVsbG8=',
      }));
      session.dispatch(target('PutRecords'), JSON.stringify({ StreamName: name, Records: entries }));
      return;
    }
    case 'behind':
      b.behind = action.on;
      return;
  }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A started Session on the fake clock, with the presenter's page `a` and a page `b` that may fall behind. */
function setUp() {
  // Unpaced: every tick's snapshot reaches a page that keeps up (pacing is tested on its own).
  const session = new Session({ seed: 7, wallClock: () => Date.now(), pageSnapshotBytesPerSecond: Infinity });
  const a = relayPage(() => session);
  const b = relayPage(() => session, false);
  session.attach(a);
  session.attach(b);
  session.start();
  return { session, a, b };
}

describe("a page's snapshots as deltas: what the relay rebuilds is what the host built", () => {
  it('holds at every snapshot through random producers, jumps, reshards, view changes and resets', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { minLength: 4, maxLength: 14 }), (actions) => {
        const { session, a, b } = setUp();
        try {
          for (const action of actions) {
            run(session, a, b, action);
            // The relay asks for a whole snapshot when a delta does not fit (it never should).
            for (const page of [a, b])
              if (page.resyncWanted) {
                page.resyncWanted = false;
                session.command(page, { type: 'snapshotResync' });
              }
            vi.advanceTimersByTime(100);
            expect(a.mismatches).toEqual([]);
            expect(b.mismatches).toEqual([]);
            // A page keeping up holds the host's newest version (a delta after a skipped one included).
            expect(a.receiver.snapshot?.version).toBe(session.host.version);
            if (!b.behind) expect(b.receiver.snapshot?.version).toBe(session.host.version);
          }
          b.behind = false;
          vi.advanceTimersByTime(300);
          expect(b.mismatches).toEqual([]);
          expect(b.receiver.snapshot?.version).toBe(session.host.version);
          // Every delta fitted the snapshot its page held: none had to be repaired by a whole one.
          expect(a.resyncs + b.resyncs).toBe(0);
        } finally {
          session.stop();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('sends a whole snapshot first, on a new generation, a view change and a reshard, then deltas', () => {
    const { session, a } = setUp();
    try {
      session.command(a, { type: 'addProducer', requestId: 1, start: true, spec: steady(2000, 100) });
      vi.advanceTimersByTime(5000);
      expect(a.kinds[0]).toBe('snapshotFull');
      expect(a.kinds.slice(1).every((k) => k === 'snapshotDelta')).toBe(true);
      const whole = () => a.kinds.filter((k) => k === 'snapshotFull').length;
      const reshard = (command: () => void) => {
        const before = whole();
        command();
        // UPDATING for a while, then the new shards: jump past it.
        session.command(a, { type: 'jump', ms: 600_000 });
        vi.advanceTimersByTime(5000);
        return whole() - before;
      };
      const open = session.host.snapshot().stream?.shards.filter((s) => s.isOpen).length ?? 0;
      expect(
        reshard(() =>
          session.command(a, { type: 'updateShardCount', requestId: 2, targetShardCount: open * 2 }),
        ),
      ).toBeGreaterThanOrEqual(1);
      expect(session.host.snapshot().stream?.shards.filter((s) => s.isOpen)).toHaveLength(open * 2);
      session.dispatch(target('CreateStream'), JSON.stringify({ StreamName: 'client', ShardCount: 2 }));
      const beforeView = whole();
      session.command(a, { type: 'viewStream', requestId: 3, streamName: 'client' });
      expect(whole()).toBe(beforeView + 1);
      const beforeReset = whole();
      session.command(a, {
        type: 'createStream',
        requestId: 4,
        config: { streamName: 'fresh', shardCount: 2, retentionHours: 24, throttle: 'token-bucket' },
      });
      expect(whole()).toBe(beforeReset + 1);
      vi.advanceTimersByTime(2000);
      expect(whole()).toBe(beforeReset + 1);
      expect(a.mismatches).toEqual([]);
    } finally {
      session.stop();
    }
  });

  it(`resyncs with a whole snapshot every ${FULL_SNAPSHOT_EVERY_MS / 1000} s, and when the page asks`, () => {
    const { session, a, b } = setUp();
    try {
      vi.advanceTimersByTime(1000);
      const whole = (page: RelayPage) => page.kinds.filter((k) => k === 'snapshotFull').length;
      expect(whole(a)).toBe(1);
      vi.advanceTimersByTime(FULL_SNAPSHOT_EVERY_MS);
      expect(whole(a)).toBe(2);
      session.command(b, { type: 'snapshotResync' });
      session.command(b, { type: 'snapshotResync' });
      vi.advanceTimersByTime(100);
      expect(whole(b)).toBe(3);
      expect(whole(a)).toBe(2);
      expect(a.mismatches).toEqual([]);
      expect(b.mismatches).toEqual([]);
    } finally {
      session.stop();
    }
  });

  it('gives a page that skipped snapshots a delta on the one it holds', () => {
    const { session, a, b } = setUp();
    try {
      session.command(a, { type: 'addProducer', requestId: 1, start: true, spec: steady(2000, 100) });
      vi.advanceTimersByTime(1000);
      b.behind = true;
      vi.advanceTimersByTime(3000);
      const held = b.receiver.snapshot?.version;
      expect(held).toBeLessThan(session.host.version);
      const sent = b.kinds.length;
      b.behind = false;
      vi.advanceTimersByTime(100);
      expect(b.kinds.slice(sent)).toEqual(['snapshotDelta']);
      expect(b.receiver.snapshot?.version).toBe(session.host.version);
      expect(b.mismatches).toEqual([]);
    } finally {
      session.stop();
    }
  });

  it('asks for a whole snapshot, once, when a delta is not for the snapshot it holds', () => {
    const receiver = new PageReceiver();
    const { session } = setUp();
    session.stop();
    const snapshot = session.host.snapshot();
    expect(
      receiver.receive({ type: 'snapshotDelta', baseVersion: 1, patch: { op: 'fields', set: {} } }),
    ).toEqual({
      resync: true,
    });
    expect(
      receiver.receive({ type: 'snapshotDelta', baseVersion: 1, patch: { op: 'fields', set: {} } }),
    ).toEqual({});
    expect(receiver.receive({ type: 'snapshotFull', snapshot }).event?.type).toBe('snapshot');
    // A delta that does not fit the snapshot held.
    expect(
      receiver.receive({
        type: 'snapshotDelta',
        baseVersion: snapshot.version,
        patch: { op: 'fields', set: { stream: { op: 'steps', steps: new Int8Array(1) } } },
      }),
    ).toEqual({ resync: true });
  });
});

describe('what deltas save', () => {
  /**
   * Bytes per second to one page at 1× with a producer writing to every shard, whole snapshots against
   * deltas, after the 120 s windows have filled.
   */
  /** A session with one page, a stream of `shards` shards on screen and a producer writing to it, started. */
  function writingSession(streamName: string, shards: number, spec: ProducerSpec) {
    const session = new Session({ seed: 3, wallClock: () => Date.now() });
    const page = relayPage(() => session);
    session.attach(page);
    session.command(page, {
      type: 'createStream',
      requestId: 1,
      config: { streamName, shardCount: shards, retentionHours: 24, throttle: 'token-bucket' },
    });
    session.command(page, { type: 'addProducer', requestId: 2, start: true, spec });
    session.start();
    return { session, page };
  }

  function bytesPerSecond(shards: number) {
    const { session, page } = writingSession('wide', shards, steady(shards * 100, shards * 20));
    session.command(page, { type: 'jump', ms: 130_000 });
    vi.advanceTimersByTime(5000);
    expect(session.host.jumping).toBe(false);
    const from = page.bytes.length;
    vi.advanceTimersByTime(10_000);
    session.stop();
    const sent = page.bytes.slice(from);
    // As they went before deltas: the layout left out while it stays the same.
    const held = page.receiver.snapshot as SimulationSnapshot;
    const wholeBytes = encodeForPage({
      type: 'snapshot',
      snapshot: withoutLayout(held),
      sameLayout: true,
    }).byteLength;
    expect(page.kinds.slice(from).every((k) => k === 'snapshotDelta')).toBe(true);
    expect(page.mismatches).toEqual([]);
    return { delta: sent.reduce((x, y) => x + y, 0) / 10, whole: (wholeBytes * sent.length) / 10 };
  }

  it('sends a page at least 10× fewer bytes at steady state (100 and 500 shards)', () => {
    for (const shards of [100, 500]) {
      const { delta, whole } = bytesPerSecond(shards);
      console.info(
        `${shards} shards, 1×, a producer writing: ${Math.round(whole / 1024)} KiB/s as whole snapshots, ${Math.round(delta / 1024)} KiB/s as deltas (${Math.round(whole / delta)}×)`,
      );
      expect(delta * 10).toBeLessThan(whole);
    }
  });

  it('paces a page at 3600×, where every delta is nearly whole: fewer snapshots, never more bytes than the rate', () => {
    const { session, page } = writingSession('fast', 100, steady(10_000, 2_000));
    session.command(page, { type: 'setSpeed', speed: 3600 });
    vi.advanceTimersByTime(2_000);
    const from = page.bytes.length;
    vi.advanceTimersByTime(10_000);
    session.stop();
    const sent = page.bytes.slice(from);
    const perSecond = sent.reduce((x, y) => x + y, 0) / 10;
    const largest = Math.max(...sent);
    console.info(
      `100 shards at 3600×: ${sent.length} snapshots in 10 s, ${Math.round(perSecond / 1024)} KiB/s (largest ${Math.round(largest / 1024)} KiB)`,
    );
    // At most the rate, give or take the one snapshot that goes before the pause it earns.
    expect(perSecond).toBeLessThanOrEqual(PAGE_SNAPSHOT_BYTES_PER_SECOND + largest / 10);
    // Still a live picture, rebuilt exactly.
    expect(sent.length).toBeGreaterThanOrEqual(5);
    expect(page.mismatches).toEqual([]);
  });
});
