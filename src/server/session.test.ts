// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { ProducerSpec } from '../worker/engineTypes';
import { decodePageMessage, PageReceiver, type ServerMessage } from '../worker/pageCodec';
import type { WorkerEvent } from '../worker/protocol';
import { type PageConnection, Session } from './session';

/**
 * A page that records the events its relay worker would post (snapshots rebuilt from the server's deltas,
 * see pageSnapshots.test.ts); `behind` makes it refuse droppable messages (a slow page).
 */
function fakePage(canControl = true) {
  const received: WorkerEvent[] = [];
  const receiver = new PageReceiver();
  const page: PageConnection & { received: WorkerEvent[]; behind: boolean } = {
    canControl,
    received,
    behind: false,
    send(message, droppable) {
      if (droppable && page.behind) return false;
      const { event } = receiver.receive(decodePageMessage(message) as ServerMessage);
      if (event) received.push(event);
      return true;
    },
  };
  return page;
}

/** A wall clock the test moves by hand. */
function manualClock() {
  let now = 0;
  return { read: () => now, advance: (ms: number) => (now += ms) };
}

/** A page producer: 100 records/s over 10 keys. */
const STEADY_PRODUCER: ProducerSpec = {
  name: 'p',
  api: 'PutRecord',
  batchSize: 1,
  payloadBytes: { min: 10, max: 10 },
  rate: 100,
  distribution: { kind: 'uniform', keyCount: 10 },
};

const target = (operation: string) => `Kinesis_20131202.${operation}`;
const snapshotsOf = (page: { received: WorkerEvent[] }) =>
  page.received.filter((e): e is Extract<WorkerEvent, { type: 'snapshot' }> => e.type === 'snapshot');

describe('Session: one simulation for Kinesis clients and every page', () => {
  it('greets a page with who it is, the limits, the clock and a full snapshot', () => {
    const session = new Session();
    const page = fakePage(false);
    session.attach(page);
    expect(page.received.map((e) => e.type)).toEqual(['session', 'ready', 'status', 'snapshot']);
    expect(page.received[0]).toEqual({ type: 'session', canControl: false });
    const [snapshot] = snapshotsOf(page);
    expect(snapshot?.sameLayout).toBeUndefined();
    expect(snapshot?.snapshot.stream?.shards).toHaveLength(4);
    // Typed arrays survive the wire as typed arrays.
    expect(snapshot?.snapshot.stream?.accepted).toBeInstanceOf(Float64Array);
  });

  it("sends a command's answer only to the page that asked; the clock to all", () => {
    const session = new Session();
    const asking = fakePage();
    const other = fakePage();
    session.attach(asking);
    session.attach(other);
    asking.received.length = 0;
    other.received.length = 0;
    session.command(asking, { type: 'inspectKey', requestId: 1, partitionKey: 'user-1' });
    expect(asking.received.filter((e) => e.type === 'result')).toHaveLength(1);
    expect(other.received.filter((e) => e.type === 'result')).toHaveLength(0);
    expect(other.received.filter((e) => e.type === 'status')).toHaveLength(1);
  });

  it("refuses a viewer's commands that would change anything, and changes nothing", () => {
    const session = new Session();
    const viewer = fakePage(false);
    session.attach(viewer);
    const before = session.host.currentScenario();
    session.command(viewer, {
      type: 'createStream',
      requestId: 1,
      config: { ...before.stream, shardCount: 9 },
    });
    session.command(viewer, { type: 'pause' });
    const refusals = viewer.received.filter((e) => e.type === 'commandError');
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toMatchObject({
      field: 'Viewer',
      message: expect.stringContaining("only the presenter's page"),
    });
    expect(session.host.currentScenario()).toEqual(before);
    expect(session.host.status().playing).toBe(true);
    // Questions are allowed.
    session.command(viewer, { type: 'inspectKey', requestId: 2, partitionKey: 'k' });
    expect(viewer.received.at(-3)).toMatchObject({ type: 'result', requestId: 2, result: { ok: true } });
  });

  it('leaves out a layout the page already has, and skips snapshots for a page that is behind', () => {
    const clock = manualClock();
    const session = new Session({ wallClock: clock.read });
    const page = fakePage();
    session.attach(page);
    clock.advance(100);
    session.dispatch(target('ListStreams'), '{}');
    session.command(page, { type: 'play' });
    const snapshots = snapshotsOf(page);
    expect(snapshots.at(-1)?.sameLayout).toBe(true);
    expect(snapshots.at(-1)?.snapshot.stream?.shards).toEqual([]);
    page.behind = true;
    const count = snapshotsOf(page).length;
    session.command(page, { type: 'pause' });
    expect(snapshotsOf(page)).toHaveLength(count);
    // Status events are never dropped.
    expect(page.received.at(-1)?.type).toBe('status');
  });

  it("lands each client call at its wall-clock instant (1×), and puts a client's new stream on screen", () => {
    const clock = manualClock();
    const session = new Session({ wallClock: clock.read });
    const start = session.host.status().nowMs;
    clock.advance(750);
    const created = session.dispatch(
      target('CreateStream'),
      JSON.stringify({ StreamName: 'clicks', ShardCount: 2 }),
    );
    expect(created).toEqual({ status: 200, body: '' });
    expect(session.host.status().nowMs).toBe(start + 750);
    expect(session.host.snapshot().scenario.stream.streamName).toBe('clicks');
    expect(session.host.snapshot().streams.map((s) => s.streamName)).toEqual(['shardlab-demo', 'clicks']);
  });

  it('stops following clients once a person picks the stream on screen', () => {
    const session = new Session();
    const page = fakePage();
    session.attach(page);
    session.dispatch(target('CreateStream'), JSON.stringify({ StreamName: 'a', ShardCount: 1 }));
    session.command(page, { type: 'viewStream', requestId: 7, streamName: 'shardlab-demo' });
    session.dispatch(target('CreateStream'), JSON.stringify({ StreamName: 'b', ShardCount: 1 }));
    expect(session.host.snapshot().scenario.stream.streamName).toBe('shardlab-demo');
    session.command(page, { type: 'viewStream', requestId: 8, streamName: 'nope' });
    expect(page.received.filter((e) => e.type === 'result').at(-1)).toMatchObject({
      requestId: 8,
      result: { ok: false, errorType: 'ResourceNotFoundException' },
    });
  });

  it("leaves the page's producers where they are when a client creates a stream, and moves them when a stream is picked", () => {
    const clock = manualClock();
    const session = new Session({ wallClock: clock.read });
    const page = fakePage();
    session.attach(page);
    session.command(page, {
      type: 'addProducer',
      requestId: 1,
      start: true,
      spec: STEADY_PRODUCER,
    });
    session.dispatch(target('CreateStream'), JSON.stringify({ StreamName: 'clicks', ShardCount: 2 }));
    // The page has producers: a client's new stream does not take the screen (nor them) by itself.
    expect(session.host.snapshot().scenario.stream.streamName).toBe('shardlab-demo');
    clock.advance(1000);
    session.dispatch(target('ListStreams'), '{}');
    session.command(page, { type: 'viewStream', requestId: 2, streamName: 'clicks' });
    clock.advance(2000);
    session.dispatch(target('ListStreams'), '{}');
    const clicks = session.host.snapshot().stream;
    expect(clicks?.streamName).toBe('clicks');
    expect(clicks?.totals.accepted).toBeGreaterThan(0);
    expect(session.host.snapshot().producers[0]?.accepted).toBe(clicks?.totals.accepted);
  });

  it("stops the page's producers when a client deletes the stream on screen, and shows another", () => {
    const session = new Session();
    const page = fakePage();
    session.attach(page);
    session.dispatch(target('CreateStream'), JSON.stringify({ StreamName: 'clicks', ShardCount: 1 }));
    session.command(page, {
      type: 'addProducer',
      requestId: 1,
      start: true,
      spec: STEADY_PRODUCER,
    });
    expect(session.dispatch(target('DeleteStream'), JSON.stringify({ StreamName: 'clicks' })).status).toBe(
      200,
    );
    const after = session.host.snapshot();
    expect(after.scenario.stream.streamName).toBe('shardlab-demo');
    expect(after.producers.map((p) => p.running)).toEqual([false]);
  });

  it("stores a PutRecords answered from its bytes before a page's snapshot, command or the next call sees the stream", () => {
    const session = new Session();
    const page = fakePage();
    session.attach(page);
    session.dispatch(target('CreateStream'), JSON.stringify({ StreamName: 'bytes', ShardCount: 2 }));
    session.host.tick(2_000);
    const body = JSON.stringify({
      Records: Array.from({ length: 50 }, (_, i) => ({ Data: 'aGk=', PartitionKey: `k${i}` })),
      StreamName: 'bytes',
    });
    const put = () => session.dispatch(target('PutRecords'), body, Buffer.from(body));
    const accepted = () => {
      const stream = session.host.snapshot().stream;
      return stream?.streamName === 'bytes' ? stream.totals.accepted : undefined;
    };
    // Answered from the bytes (a Uint8Array body); each use of the simulation after it sees its 50 records.
    expect(put().body).toBeInstanceOf(Uint8Array);
    expect(accepted()).toBe(50);
    put();
    session.command(page, { type: 'viewStream', requestId: 1, streamName: 'bytes' });
    expect(snapshotsOf(page).at(-1)?.snapshot.stream?.totals.accepted).toBe(100);
    put();
    const summary = session.dispatch(
      target('DescribeStreamSummary'),
      JSON.stringify({ StreamName: 'bytes' }),
    );
    expect(summary.status).toBe(200);
    expect(accepted()).toBe(150);
  });
});
