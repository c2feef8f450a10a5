// @vitest-environment jsdom
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SimStoreProvider } from '../state/SimStoreProvider';
import { createSimStore } from '../state/store';
import { createInProcessClient } from '../worker/inProcessClient';
import { aggregatedLanesText } from './charts/AttemptLanesChart';
import { RetryStats } from './RetryStats';

describe('retry charts after aggregate simulation', () => {
  it('name producers simulated in aggregate and claim no storm from their lanes', async () => {
    const user = userEvent.setup();
    const client = createInProcessClient();
    const store = createSimStore(client, { throttleFrames: false });
    render(
      <SimStoreProvider store={store}>
        <RetryStats />
      </SimStoreProvider>,
    );
    const actions = store.getState().actions;
    act(() => client.send({ type: 'pause' }));
    for (const [name, retry] of [
      ['none', { kind: 'none' }],
      ['steady', { kind: 'custom', maxAttempts: 5, baseMs: 100, capMs: 2000, jitter: 'none' }],
    ] as const)
      act(() =>
        actions.addProducer({
          name,
          api: 'PutRecord',
          batchSize: 1,
          payloadBytes: { min: 100, max: 100 },
          // Far over the stream's shards, so "steady" retries throughout the jump.
          rate: 6000,
          distribution: { kind: 'uniform', keyCount: 50 },
          retry,
        }),
      );
    // A jump simulates in aggregate: the engine says so per producer.
    act(() => actions.jump(120_000));
    await act(async () => {
      for (let i = 0; i < 200 && store.getState().clock?.jump != null; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
    });
    const producers = store.getState().snapshot?.producers ?? [];
    expect(producers.length).toBe(2);
    expect(producers.every((p) => p.aggregated)).toBe(true);
    await user.click(screen.getByText(/^Retry charts/));
    expect(screen.getByTestId('lane-peak').textContent).toMatch(
      /^Busiest lane: not measured, no producer was simulated record by record\. Simulated in aggregate during a jump .*: none, steady — attempts land on whole seconds/,
    );
    expect(screen.getByTestId('lane-peak').textContent).not.toMatch(/× the mean/);
    // Only "steady" retried, so only its delays were rounded up (the engine counts them).
    const steady = producers.find((p) => p.name === 'steady');
    expect(steady?.retries.delaysAggregated).toBeGreaterThan(0);
    expect(steady?.retries.delaysAggregated).toBe(steady?.retries.deliveredAfterRetry);
    expect(screen.getByTestId('delay-aggregate').textContent).toMatch(
      /Simulated in aggregate during a jump: steady \([\d,]+ of its delays\) — those retries waited at least until the next virtual second, so those delays are rounded up to the second/,
    );
  });

  it('measures the busiest lane from record-by-record producers only', () => {
    expect(aggregatedLanesText([], 2, 1.25)).toBe(
      'Busiest lane: 1.3× the mean lane since the first attempt in the window.',
    );
    expect(aggregatedLanesText([{ name: 'fast' }], 1, 2)).toMatch(
      /^Busiest lane: 2\.0× the mean lane since the first attempt in the window, among producers simulated record by record\. Simulated in aggregate .*: fast — /,
    );
    expect(aggregatedLanesText([], 0, null)).toBe('No attempts in this window.');
  });
});
