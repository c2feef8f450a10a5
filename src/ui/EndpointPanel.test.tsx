// @vitest-environment jsdom
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SimStoreProvider } from '../state/SimStoreProvider';
import { createSimStore } from '../state/store';
import { listeners, type SimClient } from '../worker/client';
import { SimulationHost } from '../worker/host';
import type { WorkerEvent } from '../worker/protocol';
import { App } from './App';

/**
 * The page as `npm start`'s server serves it: the same host behind a client that also says who the page is
 * (the server's 'session' event), and a `client` that writes through the host's wire dispatch.
 */
function renderServedApp(canControl: boolean | undefined) {
  const subscribers = listeners();
  // The host says 'ready' as it is built, before the store listens: keep it until then.
  const early: WorkerEvent[] = [];
  let listening = false;
  const host = new SimulationHost(
    (event) => (listening ? subscribers.emit(event) : early.push(event)),
    7,
    () => 0,
  );
  const publish = () => subscribers.emit({ type: 'snapshot', snapshot: host.snapshot() });
  const client: SimClient = {
    send(command) {
      host.handle(command);
      subscribers.emit({ type: 'status', status: host.status() });
      publish();
    },
    subscribe(listener) {
      const unsubscribe = subscribers.add(listener);
      listening = true;
      for (const event of early.splice(0)) listener(event);
      return unsubscribe;
    },
    dispose() {},
  };
  const store = createSimStore(client, { throttleFrames: false });
  render(
    <SimStoreProvider store={store}>
      <App />
    </SimStoreProvider>,
  );
  act(() => {
    if (canControl !== undefined) subscribers.emit({ type: 'session', canControl });
    publish();
  });
  const kinesisClient = (operation: string, request: object) =>
    act(() => {
      host.dispatchWire(`Kinesis_20131202.${operation}`, JSON.stringify(request));
      publish();
    });
  return { store, kinesisClient };
}

describe('Your own producer (the page served by npm start)', () => {
  it("shows the endpoint, follows a client's new stream and lets the presenter pick another", async () => {
    const { kinesisClient } = renderServedApp(true);
    const panel = screen.getByRole('region', { name: 'Your own producer' });
    expect(panel).toHaveTextContent(`Kinesis endpoint: ${window.location.origin}`);
    expect(screen.getByTestId('engine-status')).toHaveTextContent('on the Shardlab server');
    kinesisClient('CreateStream', { StreamName: 'clicks', ShardCount: 2 });
    const picker = within(panel).getByLabelText('Stream on screen');
    expect(picker).toHaveValue('clicks');
    // Its accessible name is the label's alone, whichever stream is chosen.
    expect(within(panel).getByRole('combobox', { name: 'Stream on screen' })).toBe(picker);
    expect(
      within(picker)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['shardlab-demo (ACTIVE, 4 open shards)', 'clicks (CREATING, 0 open shards)']);
    expect(screen.getByRole('table', { name: /^Shards of clicks/ })).toBeInTheDocument();
    await userEvent.selectOptions(picker, 'shardlab-demo');
    expect(picker).toHaveValue('shardlab-demo');
    expect(panel).toHaveTextContent('Now showing shardlab-demo.');
    expect(screen.getByRole('table', { name: /^Shards of shardlab-demo/ })).toBeInTheDocument();
    // Picked: a client's next stream does not take the screen.
    kinesisClient('CreateStream', { StreamName: 'orders', ShardCount: 1 });
    expect(picker).toHaveValue('shardlab-demo');
    await userEvent.click(within(panel).getByText('Example commands'));
    expect(panel).toHaveTextContent(
      `aws kinesis put-record --stream-name shardlab-demo --partition-key user-1 --data aGk= --endpoint-url ${window.location.origin}`,
    );
  });

  it('tells a viewer it is one, and does not offer it the picker', () => {
    renderServedApp(false);
    const panel = screen.getByRole('region', { name: 'Your own producer' });
    expect(within(panel).getByRole('status')).toHaveTextContent('This page is a viewer');
    expect(within(panel).getByLabelText('Stream on screen')).toBeDisabled();
  });

  it('is not there when the engine runs in the page', () => {
    renderServedApp(undefined);
    expect(screen.queryByRole('region', { name: 'Your own producer' })).toBeNull();
    expect(screen.getByTestId('engine-status')).toHaveTextContent('in a Web Worker');
  });
});
