// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { listeners, type SimClient } from '../worker/client';
import { SimulationHost } from '../worker/host';
import { type SimulationSnapshot, type WorkerEvent, withoutLayout } from '../worker/protocol';
import { playingHost, testProducer } from '../worker/testHelpers';
import { createSimStore } from './store';

/** A client whose events the test emits by hand, as the worker would post them. */
function fakeClient() {
  const subscribers = listeners();
  const client: SimClient = {
    send() {},
    subscribe: (listener) => subscribers.add(listener),
    dispose() {},
  };
  return { client, emit: (event: WorkerEvent) => subscribers.emit(event) };
}

describe('snapshots without their layout', () => {
  it('get back the shards and lineage of the snapshot received before them', () => {
    const { client, emit } = fakeClient();
    const store = createSimStore(client, { throttleFrames: false });
    const snapshots: SimulationSnapshot[] = [];
    const host = new SimulationHost(
      () => {},
      1,
      () => 0,
    );
    snapshots.push(host.snapshot());
    host.tick(100);
    snapshots.push(host.snapshot());
    const [first, second] = snapshots as [SimulationSnapshot, SimulationSnapshot];
    emit({ type: 'snapshot', snapshot: first });
    const stripped = withoutLayout(second);
    expect(stripped.stream?.shards).toEqual([]);
    emit({ type: 'snapshot', snapshot: stripped, sameLayout: true });
    const shown = store.getState().snapshot;
    expect(shown?.nowMs).toBe(second.nowMs);
    expect(shown?.stream?.shards.map((s) => s.shardId)).toEqual(first.stream?.shards.map((s) => s.shardId));
    expect(shown?.stream?.lineage).toHaveLength(4);
  });
});

describe('the server connection (npm start)', () => {
  it('keeps who the page is, says when the server is lost, and clears that when it is back', () => {
    const { client, emit } = fakeClient();
    const store = createSimStore(client, { throttleFrames: false });
    expect(store.getState().server).toBeNull();
    emit({ type: 'session', canControl: false });
    expect(store.getState().server).toEqual({ connected: true, canControl: false });
    emit({ type: 'connection', connected: false });
    expect(store.getState().server).toEqual({ connected: false, canControl: false });
    expect(store.getState().commandError).toMatch(/^connection: lost the Shardlab server/);
    emit({ type: 'connection', connected: true });
    expect(store.getState().server?.connected).toBe(true);
    expect(store.getState().commandError).toBeNull();
  });
});

describe('the view of the stream and of the producers', () => {
  it('refresh together: the producer table never shows totals newer than the shard table beside it', () => {
    const { client, emit } = fakeClient();
    const store = createSimStore(client, { throttleFrames: false });
    const host = playingHost(1, testProducer(500, 20));
    host.tick(100);
    emit({ type: 'snapshot', snapshot: host.snapshot() });
    const viewed = store.getState();
    // Playing at 1×: the next snapshots within a second do not refresh the views, but do refresh `snapshot`.
    host.tick(100);
    emit({ type: 'snapshot', snapshot: host.snapshot() });
    const later = store.getState();
    expect(later.snapshot?.producers[0]?.accepted).toBeGreaterThan(viewed.viewProducers?.[0]?.accepted ?? 0);
    expect(later.viewStream).toBe(viewed.viewStream);
    expect(later.viewProducers).toBe(viewed.viewProducers);
    // What the views show agrees: the producer's accepted records are the stream's.
    const shardTotal = Array.from(later.viewStream?.accepted ?? []).reduce((a, b) => a + b, 0);
    expect(later.viewProducers?.[0]?.accepted).toBe(shardTotal);
  });
});
