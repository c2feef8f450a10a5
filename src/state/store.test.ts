// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { listeners, type SimClient } from '../worker/client';
import { SimulationHost } from '../worker/host';
import { type SimulationSnapshot, type WorkerEvent, withoutLayout } from '../worker/protocol';
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
