// @vitest-environment jsdom
import { act, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SimStoreProvider } from '../../state/SimStoreProvider';
import { createSimStore } from '../../state/store';
import { createInProcessClient } from '../../worker/inProcessClient';
import { testProducer } from '../../worker/testHelpers';
import { StageShards } from './StageShards';

const rowsOf = () =>
  within(screen.getByRole('table'))
    .getAllByRole('row')
    .slice(1)
    .map((row) => row.textContent ?? '');

describe("the stage's Shard load", () => {
  it('lists a split parent, marked CLOSED, with the load it took in the second it closed; then only open shards', () => {
    const client = createInProcessClient();
    const store = createSimStore(client, { throttleFrames: false });
    render(
      <SimStoreProvider store={store}>
        <StageShards />
      </SimStoreProvider>,
    );
    const parent = 'shardId-000000000000';
    act(() => {
      client.send({ type: 'pause' });
      client.send({
        type: 'addProducer',
        requestId: 0,
        start: true,
        // 1,000 keys over 4 shards: every shard takes records every second.
        spec: testProducer(400, 1_000, 'steady'),
      });
      client.send({ type: 'step', ms: 3_000 });
      client.send({
        type: 'splitShard',
        requestId: 1,
        shardId: parent,
        newStartingHashKey: (2n ** 125n).toString(),
      });
    });
    // Step until the split settles, then stop inside the second it closed in.
    let closed = false;
    for (let i = 0; i < 600 && !closed; i++) {
      act(() => client.send({ type: 'step', ms: 100 }));
      closed =
        store.getState().snapshot?.stream?.shards.some((s) => s.shardId === parent && !s.isOpen) ?? false;
    }
    expect(closed).toBe(true);
    const stream = store.getState().viewStream;
    const position = stream?.shards.find((s) => s.shardId === parent)?.position ?? -1;
    const lastSecond = (stream?.seconds ?? 0) - 1;
    const parentLoad = stream?.series.incomingRecords[position * (stream?.seconds ?? 0) + lastSecond] ?? 0;
    // The producer writes to every shard: the parent took load in that second.
    expect(parentLoad).toBeGreaterThan(0);
    expect(rowsOf().some((text) => text.startsWith(`${parent} (CLOSED)`))).toBe(true);
    expect(screen.getByRole('table').querySelector('caption')?.textContent).toContain(
      'a CLOSED shard took this load before it closed',
    );
    // Two seconds on, the parent has no load in the last completed second: only open shards are listed.
    act(() => client.send({ type: 'step', ms: 2_000 }));
    expect(rowsOf().some((text) => text.startsWith(parent))).toBe(false);
    expect(rowsOf().length).toBeGreaterThan(0);
  });
});
