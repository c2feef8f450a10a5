// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine';
import { alertSaying, loadPreset, renderApp, statusSaying, step } from '../test/appHarness';
import { capacityRows } from './charts/CapacityChart';

// The capacity mode and record distribution switches, and the on-demand views, against the real host and
// engine in process: time moves only by steps and jumps.

describe('on-demand and AUTO from the page', () => {
  it('switches a running stream to ON_DEMAND and back, with UPDATING and Kinesis’s answers inline', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    loadPreset(store, 'uniform');
    step(store, 2);
    const distribution = screen.getByRole('button', { name: 'Record distribution: switch to AUTO' });
    expect(distribution).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Switch to ON_DEMAND' }));
    expect(statusSaying('UpdateStreamMode accepted')).not.toBeNull();
    expect(screen.getByTestId('stream-mode').textContent).toBe('PROVISIONED → ON_DEMAND (UPDATING)');
    expect(screen.getByTestId('mode-status').textContent).toContain('UpdateStreamMode to ON_DEMAND');
    // While UPDATING, Kinesis refuses another switch.
    await user.click(screen.getByRole('button', { name: 'Switch to ON_DEMAND' }));
    expect(alertSaying('ResourceInUseException')).not.toBeNull();
    expect(screen.queryByTestId('on-demand-resharding')).toBeNull();
    step(store, 60);
    expect(screen.getByTestId('stream-mode').textContent).toBe('ON_DEMAND');
    expect(screen.getByRole('figure', { name: 'On-demand capacity' })).toBeTruthy();
    // The resharding controls stay, to show Kinesis's refusal; the page says so beforehand.
    expect(screen.getByTestId('on-demand-resharding').textContent).toContain(
      'This stream is ON_DEMAND: Kinesis manages its shards, and refuses UpdateShardCount, SplitShard and MergeShards',
    );
    expect(screen.getByTestId('on-demand-line').textContent).toContain('30-day peak of write demand');
    await user.click(screen.getByRole('button', { name: 'Record distribution: switch to AUTO' }));
    expect(statusSaying('UpdateStreamRecordDistributionStrategy accepted')).not.toBeNull();
    expect(screen.getByTestId('record-distribution').textContent).toBe('AUTO');
    step(store, 2);
    expect(screen.getAllByTestId('auto-note').length).toBeGreaterThan(0);
    // Back to PROVISIONED (the second switch in 24 h); a third is refused.
    await user.click(screen.getByRole('button', { name: 'Switch to PROVISIONED' }));
    step(store, 60);
    expect(screen.getByTestId('stream-mode').textContent).toBe('PROVISIONED');
    expect(screen.queryByTestId('on-demand-resharding')).toBeNull();
    expect(screen.getByTestId('record-distribution').textContent).toBe('USER_PARTITION_KEY');
    expect(screen.queryByRole('figure', { name: 'On-demand capacity' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Switch to ON_DEMAND' }));
    expect(alertSaying('LimitExceededException')).not.toBeNull();
  }, 60_000);

  it('on-demand scaling shows as it happens: the split due, then more open shards and capacity', () => {
    const { store } = renderApp();
    loadPreset(store, 'on-demand-hot-key');
    step(store, 70);
    const scaling = screen.getByTestId('on-demand-scaling').textContent ?? '';
    expect(scaling).toMatch(
      /^On-demand scaling will split shardId-000000000003 in about \d+ min \(AWS 2022 documentation: within 15 minutes\)\.$/,
    );
    act(() => store.getState().actions.jump(16 * 60_000));
    step(store, 2);
    const stream = store.getState().snapshot?.stream;
    if (!stream) throw new Error('no stream');
    const limits = store.getState().limits;
    if (!limits) throw new Error('no limits');
    const rows = capacityRows(stream, limits.recordsPerSecond);
    const last = rows[rows.length - 1];
    expect(last?.openShards).toBe(stream.shards.filter((s) => s.isOpen).length);
    expect(last?.openShards).toBeGreaterThan(4);
    expect(last?.capacity).toBe((last?.openShards ?? 0) * limits.recordsPerSecond);
    // The whole-run history keeps the shard count from before the split, and after it.
    const history = store.getState().capacityHistory;
    expect(history[0]?.openShards).toBe(4);
    expect(history[history.length - 1]?.openShards).toBe(last?.openShards);
    expect(history[history.length - 1]?.nowMs).toBe(stream.nowMs);
    // The hot key's shard still throttles: the diagnosis still says Hot key.
    const diagnosis = screen.getByRole('list', { name: 'Throttled shards diagnosed' });
    expect(within(diagnosis).getAllByText('Hot key').length).toBeGreaterThan(0);
  }, 60_000);

  it('AUTO: no hot keys, even load, and the views say why', () => {
    const { store } = renderApp();
    loadPreset(store, 'auto-distribution');
    step(store, 20);
    const stream = store.getState().snapshot?.stream;
    expect(stream?.recordDistribution).toBe('AUTO');
    expect(stream?.hotKeys).toEqual([]);
    expect(store.getState().snapshot?.diagnosis).toEqual([]);
    expect(
      screen.getByText(
        'Record distribution is AUTO: keys are ignored for placement, so no hot keys are counted.',
      ),
    ).toBeTruthy();
  }, 60_000);

  it('Key distribution counts keyspace share over open shards only (≤ 100 % after a split)', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    loadPreset(store, 'on-demand-hot-key');
    step(store, 70);
    act(() => store.getState().actions.jump(16 * 60_000));
    step(store, 2);
    await user.click(screen.getByRole('button', { name: 'Show Key distribution data table' }));
    const table = screen.getByRole('table', { name: 'Key distribution data' });
    let share = 0;
    let closed = 0;
    for (const row of within(table).getAllByRole('row').slice(1)) {
      const cell = row.querySelectorAll('td')[3]?.textContent ?? '';
      if (cell.startsWith('closed')) closed++;
      else share += Number.parseFloat(cell);
    }
    expect(closed).toBeGreaterThan(0);
    expect(share).toBeCloseTo(100, 0);
  }, 60_000);
});

describe('open shards per second across UpdateShardCount', () => {
  it('counts 4, then 3 from the instant it settles: never the short-lived pieces, which take no writes', () => {
    const engine = createEngine({ transitionMs: 0 });
    engine.call('CreateStream', { StreamName: 's', ShardCount: 4 });
    engine.advanceTime(5_000);
    const update = engine.call('UpdateShardCount', {
      StreamName: 's',
      TargetShardCount: 3,
      ScalingType: 'UNIFORM_SCALING',
    });
    expect(update.ok).toBe(true);
    for (let i = 0; i < 200 && engine.core.stream('s')?.status !== 'ACTIVE'; i++) engine.advanceTime(1_000);
    engine.advanceTime(5_000);
    const stream = engine.snapshot('s', 300);
    if (!stream) throw new Error('no stream');
    // The lineage lists the pieces (4 → 3 makes and closes 4 of them) …
    expect(stream.lineage.length).toBe(11);
    // … but no second ever had more than 4 shards taking writes, and the newest has the 3.
    const counts = capacityRows(stream, 1_000)
      .filter((r) => r.atMs >= stream.createdMs + 1_000)
      .map((r) => r.openShards);
    expect(Math.max(...counts)).toBe(4);
    expect(counts[counts.length - 1]).toBe(3);
    expect(counts.filter((n) => n !== 3 && n !== 4)).toEqual([]);
  });
});
