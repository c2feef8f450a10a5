// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../test/appHarness';

describe('<App />', () => {
  it('shows the engine version, the virtual clock and the shards', () => {
    renderApp();
    expect(screen.getByTestId('engine-status')).toHaveTextContent(/Engine \d+\.\d+\.\d+/);
    expect(screen.getByLabelText('Virtual time')).toHaveTextContent('2026-01-01 00:00:00.500 UTC');
    const table = screen.getByRole('table', { name: /Shards of shardlab-demo/ });
    expect(within(table).getAllByRole('row')).toHaveLength(5);
    expect(within(table).getByRole('columnheader', { name: 'ShardId' })).toBeInTheDocument();
  });

  it('puts a typed record and shows its ShardId and SequenceNumber', async () => {
    const user = userEvent.setup();
    renderApp();
    const form = screen.getByRole('form', { name: 'Put one record' });
    await user.clear(within(form).getByLabelText('PartitionKey'));
    await user.type(within(form).getByLabelText('PartitionKey'), 'b');
    await user.click(within(form).getByRole('button', { name: 'PutRecord' }));
    expect(screen.getByText(/ShardId shardId-000000000002, SequenceNumber \d{56}/)).toBeInTheDocument();
  });

  it('shows the ProvisionedThroughputExceededException text when a shard is over its limit', async () => {
    const { client } = renderApp();
    act(() => {
      client.send({ type: 'pause' });
      for (let i = 0; i < 1001; i++)
        client.send({ type: 'putRecord', requestId: 10_000 + i, record: { partitionKey: 'a', data: '' } });
    });
    expect(screen.getByRole('list', { name: 'Latest errors' })).toHaveTextContent(
      'ProvisionedThroughputExceededException: Rate exceeded for shard shardId-000000000000 in stream shardlab-demo under account 000000000000.',
    );
  });

  it('refuses a shard count out of range with a clear message', async () => {
    const user = userEvent.setup();
    renderApp();
    const form = screen.getByRole('form', { name: 'Create stream' });
    await user.clear(within(form).getByLabelText('Shard count'));
    await user.type(within(form).getByLabelText('Shard count'), '501');
    await user.click(within(form).getByRole('button', { name: 'Create stream' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Shard count must be a whole number from 1 to 500.');
  });

  it('toggles the key distribution chart to its data table', async () => {
    const user = userEvent.setup();
    renderApp();
    await user.click(screen.getByRole('button', { name: 'Show Key distribution data table' }));
    expect(screen.getByRole('table', { name: 'Key distribution data' })).toBeInTheDocument();
  });
});
