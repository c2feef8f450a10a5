// @vitest-environment jsdom
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { SimStoreProvider } from '../state/SimStoreProvider';
import { createSimStore } from '../state/store';
import { renderRecording } from '../test/appHarness';
import { listeners, type SimClient } from '../worker/client';
import { createInProcessClient } from '../worker/inProcessClient';
import type { ClockStatus, Command } from '../worker/protocol';
import { App } from './App';
import { ProducersPanel } from './ProducersPanel';
import { TimeBar } from './TimeBar';

/** A client that records commands and lets a test play the worker's part. */
function scriptedClient() {
  const subscribers = listeners();
  const sent: Command[] = [];
  const client: SimClient = {
    send: (command) => {
      sent.push(command);
    },
    subscribe: (listener) => subscribers.add(listener),
    dispose: () => undefined,
  };
  return { client, sent, emit: subscribers.emit };
}

const clock = (overrides: Partial<ClockStatus>): ClockStatus => ({
  version: 1,
  generation: 1,
  nowMs: Date.UTC(2026, 0, 1),
  playing: false,
  speed: 1,
  achievedSpeed: null,
  jump: null,
  ...overrides,
});

function renderTimeBar() {
  const scripted = scriptedClient();
  const store = createSimStore(scripted.client, { throttleFrames: false });
  render(
    <SimStoreProvider store={store}>
      <TimeBar />
    </SimStoreProvider>,
  );
  return scripted;
}

describe('time bar', () => {
  it('says the speed achieved when the simulation cannot keep up, and only then', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const { emit } = renderTimeBar();
    // Right after a change of speed the worker's 2-second measure still mixes in the old speed: not shown.
    act(() =>
      emit({ type: 'status', status: clock({ version: 2, playing: true, speed: 3600, achievedSpeed: 1 }) }),
    );
    expect(screen.queryByTestId('achieved-speed')).toBeNull();
    vi.advanceTimersByTime(3000);
    act(() =>
      emit({ type: 'status', status: clock({ version: 3, playing: true, speed: 3600, achievedSpeed: 850 }) }),
    );
    expect(screen.getByTestId('achieved-speed')).toHaveTextContent('achieving 850×');
    expect(screen.getByTestId('achieved-speed')).toHaveAttribute(
      'title',
      expect.stringContaining('cannot keep up'),
    );
    act(() =>
      emit({
        type: 'status',
        status: clock({ version: 4, playing: true, speed: 3600, achievedSpeed: 3500 }),
      }),
    );
    expect(screen.queryByTestId('achieved-speed')).toBeNull();
    act(() =>
      emit({
        type: 'status',
        status: clock({ version: 5, playing: false, speed: 3600, achievedSpeed: null }),
      }),
    );
    expect(screen.queryByTestId('achieved-speed')).toBeNull();
    vi.useRealTimers();
  });

  it('shows a jump as a labelled progress bar that can be cancelled, with Step and jumps disabled', async () => {
    const user = userEvent.setup();
    const { emit, sent } = renderTimeBar();
    const from = Date.UTC(2026, 0, 1);
    const day = 86_400_000;
    act(() =>
      emit({
        type: 'status',
        status: clock({ version: 2, jump: { fromMs: from, targetMs: from + day, nowMs: from + 0.37 * day } }),
      }),
    );
    const bar = screen.getByRole('progressbar', { name: 'Jumping +24 h: 37 %' });
    expect(bar).toHaveAttribute('aria-valuenow', '37');
    expect(bar).toHaveAttribute('aria-valuemin', '0');
    expect(bar).toHaveAttribute('aria-valuemax', '100');
    for (const name of ['Step 1 s', '+1 h', '+24 h'])
      expect(screen.getByRole('button', { name })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Cancel jump' }));
    expect(sent.at(-1)).toEqual({ type: 'cancelJump' });
    // The worker settles the last minutes second by second: the label keeps the length asked for.
    act(() =>
      emit({
        type: 'status',
        status: clock({
          version: 3,
          jump: { fromMs: from, targetMs: from + 0.4 * day, nowMs: from + 0.38 * day },
        }),
      }),
    );
    expect(screen.getByRole('progressbar', { name: /Cancelling the \+24 h jump/ })).toBeInTheDocument();
    act(() => emit({ type: 'status', status: clock({ version: 4, nowMs: from + 0.4 * day }) }));
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByRole('button', { name: '+24 h' })).toBeEnabled();
  });
});

describe('shard table', () => {
  it('marks a shard "Throttling now" only within the diagnosis window; the total stays', () => {
    const client = createInProcessClient();
    const store = createSimStore(client, { throttleFrames: false });
    render(
      <SimStoreProvider store={store}>
        <App />
      </SimStoreProvider>,
    );
    act(() => {
      client.send({ type: 'pause' });
      for (let i = 0; i < 1100; i++)
        client.send({ type: 'putRecord', requestId: 10_000 + i, record: { partitionKey: 'a', data: '' } });
      client.send({ type: 'step', ms: 1000 });
    });
    const table = screen.getByRole('table', { name: /Shards of/ });
    const row = () => within(table).getByRole('row', { name: /shardId-000000000000/ });
    expect(row()).toHaveTextContent('Throttling now');
    expect(screen.getByRole('columnheader', { name: 'Throttled (total)' })).toBeInTheDocument();
    const total = within(row()).getAllByRole('cell')[1]?.textContent;
    expect(Number(total?.replace(/\D/g, ''))).toBeGreaterThan(0);
    act(() => client.send({ type: 'step', ms: 10_000 }));
    expect(row()).not.toHaveTextContent('Throttling now');
    expect(within(row()).getAllByRole('cell')[1]?.textContent).toBe(total);
    expect(screen.getByText(/No open shard is throttling in the last 5 virtual seconds/)).toBeInTheDocument();
  });
});

describe('producers panel', () => {
  it('sends the generation of the rows it shows with stop, edit and remove', async () => {
    const user = userEvent.setup();
    const { sent, store } = renderRecording(<ProducersPanel />);
    const form = screen.getByRole('form', { name: 'Add producer' });
    await user.clear(within(form).getByLabelText('Name'));
    await user.type(within(form).getByLabelText('Name'), 'orders');
    await user.click(within(form).getByRole('button', { name: 'Add producer' }));
    const generation = store.getState().snapshot?.generation;
    expect(generation).toBeTypeOf('number');
    await user.click(screen.getByRole('button', { name: 'Stop orders' }));
    expect(sent.at(-1)).toMatchObject({ type: 'setProducerRunning', running: false, generation });
    await user.click(screen.getByRole('button', { name: 'Edit orders' }));
    const edit = screen.getByRole('form', { name: 'Edit producer orders' });
    expect(within(edit).getByLabelText('Rate (records/s)')).toHaveValue(2000);
    await user.click(within(edit).getByRole('button', { name: 'Save changes' }));
    expect(sent.at(-1)).toMatchObject({ type: 'updateProducer', generation });
    await user.click(screen.getByRole('button', { name: 'Remove orders' }));
    expect(sent.at(-1)).toMatchObject({ type: 'removeProducer', generation });
  });

  it('shows the PutRecords requests Kinesis refused whole, and the aggregate label', () => {
    const client = createInProcessClient();
    const store = createSimStore(client, { throttleFrames: false });
    render(
      <SimStoreProvider store={store}>
        <ProducersPanel />
      </SimStoreProvider>,
    );
    act(() => {
      client.send({ type: 'pause' });
      // Entries over the 1 MiB record limit: Kinesis refuses such a PutRecords request as a whole.
      store.getState().actions.addProducer({
        name: 'oversized',
        api: 'PutRecords',
        batchSize: 10,
        payloadBytes: { min: 2_000_000, max: 2_000_000 },
        rate: 100,
        distribution: { kind: 'uniform', keyCount: 10 },
      });
      client.send({ type: 'step', ms: 1000 });
    });
    const row = within(screen.getByRole('table', { name: 'Producers' })).getByRole('row', {
      name: /oversized/,
    });
    expect(row).toHaveTextContent(/\d+ requests? refused whole/);
    act(() => {
      store.getState().actions.addProducer({
        name: 'firehose',
        api: 'PutRecords',
        batchSize: 500,
        payloadBytes: { min: 10, max: 10 },
        rate: 'burst',
        recordCount: 1_000_000,
        distribution: { kind: 'uniform', keyCount: 1000 },
      });
      client.send({ type: 'step', ms: 1000 });
    });
    const burst = within(screen.getByRole('table', { name: 'Producers' })).getByRole('row', {
      name: /firehose/,
    });
    expect(burst).toHaveTextContent('(last records in aggregate)');
  });
});
