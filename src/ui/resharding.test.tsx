// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SimStore } from '../state/store';
import { alertSaying, loadPreset, renderApp, statusSaying, step } from '../test/appHarness';
import { midpointHashKey, nextOpenShards } from './reshard';

// The resharding controls against the real host and engine, in process: time moves only by steps.

const shardTable = () => screen.getByRole('table', { name: /Shards of/ });
/** The ShardIds of the table's rows (row headers), each with " closed" when marked so. */
const listedShards = () =>
  within(shardTable())
    .getAllByRole('rowheader')
    .map(
      (th) =>
        `${th.textContent?.match(/shardId-\d+/)?.[0]}${/closed/.test(th.textContent ?? '') ? ' closed' : ''}`,
    );
const openShards = (store: SimStore) =>
  (store.getState().snapshot?.stream?.shards ?? []).filter((s) => s.isOpen).map((s) => s.shardId);

describe('resharding from the page', () => {
  it('layout helpers: midpoints and the next open shard come from the decimal hash keys', () => {
    expect(midpointHashKey('0', '170141183460469231731687303715884105727')).toBe(
      '85070591730234615865843651857942052864',
    );
    const shard = (shardId: string, start: string, end: string, isOpen = true) =>
      ({ shardId, startingHashKey: start, endingHashKey: end, isOpen }) as Parameters<
        typeof nextOpenShards
      >[0][number];
    const next = nextOpenShards([
      shard('a', '0', '9'),
      shard('b', '10', '19'),
      shard('c', '10', '29', false),
      shard('d', '20', '29'),
    ]);
    expect([...next]).toEqual([
      ['a', 'b'],
      ['b', 'd'],
    ]);
  });

  it('Split here on a hot shard: UPDATING, then two children, the parent closed, no throttling', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    loadPreset(store, 'split-hot-shard');
    step(store, 8);
    const diagnosis = screen.getByRole('list', { name: 'Throttled shards diagnosed' });
    expect(diagnosis).toHaveTextContent('shardId-000000000000: Hot shard');
    expect(diagnosis).not.toHaveTextContent('shardId-000000000001');
    await user.click(within(diagnosis).getByRole('button', { name: /^Split here: shardId-000000000000/ }));
    expect(statusSaying('SplitShard accepted: shardId-000000000000 splits')).not.toBeNull();
    expect(screen.getAllByTestId('reshard-status')[0]).toHaveTextContent(
      /^UPDATING: SplitShard of shardId-000000000000 settles in about 30 s \(typical, not guaranteed\)\./,
    );
    // The parent takes the writes until the UPDATING period ends.
    step(store, 29);
    expect(openShards(store)).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    step(store, 8);
    expect(screen.queryByTestId('reshard-status')).toBeNull();
    expect(listedShards()).toEqual([
      'shardId-000000000000 closed',
      'shardId-000000000001',
      'shardId-000000000002',
      'shardId-000000000003',
    ]);
    expect(
      screen.getByText(
        'No open shard is throttling in the last 5 virtual seconds (closed shards take no writes).',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Open shards', { selector: 'dt' }).nextElementSibling).toHaveTextContent('3');
    // The lineage names the children's parent.
    await user.click(screen.getByRole('button', { name: 'Show Shard lineage data table' }));
    const lineage = screen.getByRole('table', { name: 'Shard lineage data' });
    const child = within(lineage).getByRole('rowheader', { name: 'shardId-000000000003' }).closest('tr');
    expect(child).toHaveTextContent('shardId-000000000000');
    expect(child).toHaveTextContent('OPEN');
    expect(
      within(lineage).getByRole('rowheader', { name: 'shardId-000000000000' }).closest('tr'),
    ).toHaveTextContent('CLOSED');
  });

  it('a split with a bad NewStartingHashKey shows Kinesis’s error inline and changes nothing', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    act(() => store.getState().actions.pause());
    await user.click(screen.getByRole('button', { name: 'Split shardId-000000000000' }));
    const form = screen.getByRole('form', { name: 'Split shardId-000000000000' });
    const key = within(form).getByLabelText(/^NewStartingHashKey/);
    expect(key).toHaveValue('42535295865117307932921825928971026432');
    await user.clear(key);
    await user.type(key, '1');
    await user.click(within(form).getByRole('button', { name: 'SplitShard' }));
    expect(screen.getByRole('alert')).toHaveTextContent(
      "InvalidArgumentException: NewStartingHashKey 1 used in SplitShard() on shard shardId-000000000000 in stream shardlab-demo under account 000000000000 is not both greater than one plus the shard's StartingHashKey 0 and less than the shard's EndingHashKey 85070591730234615865843651857942052863.",
    );
    expect(store.getState().snapshot?.stream?.status).toBe('ACTIVE');
    expect(screen.queryByTestId('reshard-status')).toBeNull();
    expect(openShards(store)).toHaveLength(4);
  });

  it('Merge with next merges a shard with the one after it; the top shard has no such button', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    act(() => store.getState().actions.pause());
    expect(screen.queryByRole('button', { name: /^Merge with next: shardId-000000000003/ })).toBeNull();
    await user.click(
      screen.getByRole('button', { name: 'Merge with next: shardId-000000000001 and shardId-000000000002' }),
    );
    expect(statusSaying('MergeShards accepted')).not.toBeNull();
    // While UPDATING, a second request gets Kinesis's ResourceInUseException.
    await user.click(
      screen.getByRole('button', { name: 'Merge with next: shardId-000000000002 and shardId-000000000003' }),
    );
    expect(
      alertSaying(
        'ResourceInUseException: Stream shardlab-demo under account 000000000000 not ACTIVE, instead in state UPDATING',
      ),
    ).not.toBeNull();
    step(store, 31);
    // ACTIVE again: the "not ACTIVE" answer is no longer true and is no longer shown.
    expect(screen.queryAllByRole('alert').some((el) => el.textContent?.includes('ResourceInUse'))).toBe(
      false,
    );
    expect(openShards(store)).toEqual([
      'shardId-000000000000',
      'shardId-000000000003',
      'shardId-000000000004',
    ]);
    const merged = store
      .getState()
      .snapshot?.stream?.shards.find((s) => s.shardId === 'shardId-000000000004');
    expect(merged?.parentShardId).toBe('shardId-000000000001');
    expect(merged?.adjacentParentShardId).toBe('shardId-000000000002');
  });

  it('a newer answer about the shards supersedes an older one from another control', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    loadPreset(store, 'update-shard-count-4-to-3');
    const form = screen.getByRole('form', { name: 'Update shard count' });
    await user.type(within(form).getByLabelText('TargetShardCount'), '9');
    await user.click(within(form).getByRole('button', { name: 'UpdateShardCount' }));
    expect(alertSaying('LimitExceededException: UpdateShardCount to 9 shards is refused')).not.toBeNull();
    await user.click(
      screen.getByRole('button', { name: 'Merge with next: shardId-000000000000 and shardId-000000000001' }),
    );
    expect(statusSaying('MergeShards accepted')).not.toBeNull();
    expect(screen.queryAllByRole('alert').some((el) => el.textContent?.includes('LimitExceeded'))).toBe(
      false,
    );
  });

  it('UpdateShardCount 4 → 3 ends on shardId-000000000006, -009 and -010', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    loadPreset(store, 'update-shard-count-4-to-3');
    const form = screen.getByRole('form', { name: 'Update shard count' });
    await user.type(within(form).getByLabelText('TargetShardCount'), '9');
    await user.click(within(form).getByRole('button', { name: 'UpdateShardCount' }));
    expect(alertSaying('LimitExceededException: UpdateShardCount to 9 shards is refused')).not.toBeNull();
    await user.clear(within(form).getByLabelText('TargetShardCount'));
    await user.type(within(form).getByLabelText('TargetShardCount'), '2.5');
    await user.click(within(form).getByRole('button', { name: 'UpdateShardCount' }));
    expect(alertSaying('Type a TargetShardCount: a whole number of open shards.')).not.toBeNull();
    expect(screen.queryByText(/UPDATING: UpdateShardCount/)).toBeNull();
    await user.clear(within(form).getByLabelText('TargetShardCount'));
    await user.type(within(form).getByLabelText('TargetShardCount'), '3');
    await user.click(within(form).getByRole('button', { name: 'UpdateShardCount' }));
    expect(
      statusSaying('UpdateShardCount accepted: CurrentShardCount 4, TargetShardCount 3.'),
    ).not.toBeNull();
    expect(screen.getAllByTestId('reshard-status')[0]).toHaveTextContent(
      'UPDATING: UpdateShardCount to 3 shards settles in about 120 s (typical, not guaranteed).',
    );
    step(store, 121);
    expect(openShards(store)).toEqual([
      'shardId-000000000006',
      'shardId-000000000009',
      'shardId-000000000010',
    ]);
    expect(listedShards().filter((s) => !s.endsWith('closed'))).toEqual([
      'shardId-000000000006',
      'shardId-000000000009',
      'shardId-000000000010',
    ]);
  });

  it('a table of many shards renders the rows in sight, and says how many there are', () => {
    const { store } = renderApp();
    act(() =>
      store.getState().actions.createStream({
        streamName: 'wide',
        shardCount: 300,
        retentionHours: 24,
        throttle: 'token-bucket',
      }),
    );
    const table = screen.getByRole('table', { name: /Shards of wide: 300 open/ });
    expect(table).toHaveAttribute('aria-rowcount', '301');
    const rows = within(table).getAllByRole('row');
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.length).toBeLessThan(100);
    expect(rows[1]).toHaveAttribute('aria-rowindex', '2');
    expect(within(table).getByRole('rowheader', { name: 'shardId-000000000000' })).toBeInTheDocument();
  });

  it('splitting the shard of a hot key leaves the key throttling on one child', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    loadPreset(store, 'split-hot-key');
    step(store, 8);
    const diagnosis = screen.getByRole('list', { name: 'Throttled shards diagnosed' });
    expect(diagnosis).toHaveTextContent('shardId-000000000001: Hot key');
    expect(within(diagnosis).queryByRole('button', { name: /Split here/ })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Split shardId-000000000001' }));
    await user.click(screen.getByRole('button', { name: 'SplitShard' }));
    step(store, 40);
    const verdicts = (store.getState().snapshot?.stream?.diagnosis ?? []).map(
      (d) => `${d.shardId} ${d.verdict}`,
    );
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatch(/^shardId-00000000000[23] hot-key$/);
    expect(screen.getByRole('list', { name: 'Throttled shards diagnosed' })).toHaveTextContent('"celebrity"');
  });
});
