// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SimStore } from '../state/store';
import { renderApp, step } from '../test/appHarness';
import { FINE_STEP, splitKeyAt } from './skew/KeyspaceSplit';

// Drag-to-split on the keyspace bar and its keyboard equivalent, against the real host and engine in process.

const SHARD0_END = '85070591730234615865843651857942052863';
const segment = (shardId: string) =>
  screen.getByRole('button', { name: new RegExp(`^${shardId}: hash keys`) });
const label = () => screen.getByTestId('keyspace-split-label');
const openShards = (store: SimStore) =>
  (store.getState().snapshot?.stream?.shards ?? [])
    .filter((s) => s.isOpen)
    .map((s) => `${s.shardId} ${s.startingHashKey}…${s.endingHashKey}`);

describe('drag-to-split on the keyspace bar', () => {
  it('the key is Start + ⌊(End − Start + 1) × f⌋ in BigInt, clamped to Start + 2 … End − 1', () => {
    expect(splitKeyAt('0', SHARD0_END, 0.5)).toBe('42535295865117307932921825928971026432');
    expect(splitKeyAt('0', SHARD0_END, 0.25)).toBe((2n ** 124n).toString());
    expect(splitKeyAt('0', SHARD0_END, 0)).toBe('2');
    expect(splitKeyAt('0', SHARD0_END, 1)).toBe((BigInt(SHARD0_END) - 1n).toString());
    // Exact far below a float's resolution at 2^126.
    expect(splitKeyAt('0', SHARD0_END, 1 / 2 ** 52)).toBe((2n ** 74n).toString());
    expect(splitKeyAt('10', '20', 0.5)).toBe('15');
  });

  it('keyboard: Enter, → and Shift+→ move the marker, Enter asks, Enter splits; two children follow', async () => {
    const user = userEvent.setup();
    const { store } = renderApp({ paused: true });
    segment('shardId-000000000000').focus();
    await user.keyboard('{Enter}');
    expect(label()).toHaveTextContent(
      'Split shardId-000000000000 at NewStartingHashKey 42535295865117307932921825928971026432',
    );
    expect(label()).toHaveAttribute('aria-live', 'polite');
    expect(screen.getByTestId('keyspace-split-marker')).toBeInTheDocument();
    await user.keyboard('{ArrowRight}{Shift>}{ArrowRight}{/Shift}{ArrowLeft}{ArrowRight}');
    const f = 0.5 + FINE_STEP + 1 / 16;
    const key = ((2n ** 126n * BigInt(f * 2 ** 53)) / 2n ** 53n).toString();
    expect(label()).toHaveTextContent(`Split shardId-000000000000 at NewStartingHashKey ${key}`);
    await user.keyboard('{Enter}');
    const prompt = screen.getByRole('group', { name: 'Confirm split' });
    expect(prompt).toHaveTextContent(`Split shardId-000000000000 at NewStartingHashKey ${key}?`);
    expect(within(prompt).getByRole('button', { name: 'Split' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('group', { name: 'Confirm split' })).toBeNull();
    expect(
      screen
        .getAllByRole('status')
        .some((el) =>
          el.textContent?.includes(
            `SplitShard accepted: shardId-000000000000 splits at NewStartingHashKey ${key}`,
          ),
        ),
    ).toBe(true);
    expect(store.getState().snapshot?.stream?.status).toBe('UPDATING');
    // While UPDATING no split is offered, and the page says why.
    segment('shardId-000000000001').focus();
    await user.keyboard('{Enter}');
    expect(label()).toHaveTextContent('No split now: the stream is UPDATING');
    expect(screen.queryByTestId('keyspace-split-marker')).toBeNull();
    step(store, 31);
    expect(openShards(store)).toEqual([
      'shardId-000000000001 85070591730234615865843651857942052864…170141183460469231731687303715884105727',
      'shardId-000000000002 170141183460469231731687303715884105728…255211775190703847597530955573826158591',
      'shardId-000000000003 255211775190703847597530955573826158592…340282366920938463463374607431768211455',
      `shardId-000000000004 0…${BigInt(key) - 1n}`,
      `shardId-000000000005 ${key}…${SHARD0_END}`,
    ]);
  });

  it('pointer: press, drag and release ask to confirm at the exact key; Escape cancels a drag', async () => {
    const user = userEvent.setup();
    const { store } = renderApp({ paused: true });
    const bar = segment('shardId-000000000000');
    bar.getBoundingClientRect = () => ({ left: 100, width: 180, top: 0, height: 56 }) as DOMRect;
    fireEvent.pointerDown(bar, { clientX: 145, button: 0, pointerId: 1 });
    expect(label()).toHaveTextContent(`NewStartingHashKey ${2n ** 124n}`);
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('keyspace-split-marker')).toBeNull();
    expect(label()).toHaveTextContent(/^$/);

    fireEvent.pointerDown(bar, { clientX: 145, button: 0, pointerId: 1 });
    fireEvent.pointerMove(bar, { clientX: 190, pointerId: 1 });
    expect(label()).toHaveTextContent(
      'Split shardId-000000000000 at NewStartingHashKey 42535295865117307932921825928971026432',
    );
    fireEvent.pointerUp(bar, { clientX: 235, pointerId: 1 });
    const key = (3n * 2n ** 124n).toString();
    const prompt = screen.getByRole('group', { name: 'Confirm split' });
    expect(prompt).toHaveTextContent(`Split shardId-000000000000 at NewStartingHashKey ${key}?`);
    await user.click(within(prompt).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('group', { name: 'Confirm split' })).toBeNull();
    expect(store.getState().snapshot?.stream?.status).toBe('ACTIVE');

    fireEvent.pointerDown(bar, { clientX: 235, button: 0, pointerId: 1 });
    fireEvent.pointerUp(bar, { clientX: 235, pointerId: 1 });
    await user.click(
      within(screen.getByRole('group', { name: 'Confirm split' })).getByRole('button', { name: 'Split' }),
    );
    step(store, 31);
    expect(openShards(store).slice(-2)).toEqual([
      `shardId-000000000004 0…${BigInt(key) - 1n}`,
      `shardId-000000000005 ${key}…${SHARD0_END}`,
    ]);
  });

  it('pointer: a bar that moves under a held pointer (scroll, a scrollbar appearing) still gives the key under it', () => {
    renderApp({ paused: true });
    const bar = segment('shardId-000000000000');
    bar.getBoundingClientRect = () => ({ left: 100, width: 180, top: 0, height: 56 }) as DOMRect;
    fireEvent.pointerDown(bar, { clientX: 145, button: 0, pointerId: 1 });
    // The region scrolled 40 px left after the press: the bar now starts at 60 (the shard is 0 … 2^126 − 1).
    bar.getBoundingClientRect = () => ({ left: 60, width: 180, top: 0, height: 56 }) as DOMRect;
    fireEvent.pointerMove(bar, { clientX: 105, pointerId: 1 });
    expect(label()).toHaveTextContent(`NewStartingHashKey ${2n ** 124n}`);
    fireEvent.pointerUp(bar, { clientX: 150, pointerId: 1 });
    expect(screen.getByRole('group', { name: 'Confirm split' })).toHaveTextContent(
      `Split shardId-000000000000 at NewStartingHashKey ${2n ** 125n}?`,
    );
  });
});

describe("the keyspace bar's rates after a split", () => {
  it('a child opened in the second still running has no rate yet ("new"), not 0/s; a second later it has one', async () => {
    const user = userEvent.setup();
    const { store } = renderApp({ paused: true });
    segment('shardId-000000000000').focus();
    await user.keyboard('{Enter}{Enter}{Enter}');
    expect(store.getState().snapshot?.stream?.status).toBe('UPDATING');
    const childOpen = () => openShards(store).some((s) => s.startsWith('shardId-000000000004'));
    // Resharding takes 30 virtual s: close to it in whole seconds, then in tenths.
    step(store, 29);
    for (let i = 0; i < 30 && !childOpen(); i++) act(() => store.getState().actions.step(100));
    expect(childOpen()).toBe(true);
    const closedMs = store
      .getState()
      .snapshot?.stream?.lineage.find((s) => s.shardId === 'shardId-000000000000')?.closedMs as number;
    // Still inside the second the parent closed in: no completed second since the child opened.
    if (Math.floor((store.getState().snapshot?.nowMs ?? 0) / 1000) === Math.floor(closedMs / 1000))
      expect(segment('shardId-000000000004')).toHaveAccessibleName(/opened this second: no completed second/);
    step(store, 2);
    expect(segment('shardId-000000000004')).toHaveAccessibleName(/records\/s asked, .* throttled\/s$/);
  });
});
