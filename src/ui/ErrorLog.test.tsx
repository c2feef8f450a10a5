// @vitest-environment jsdom
import { act, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SimStoreProvider } from '../state/SimStoreProvider';
import { createSimStore } from '../state/store';
import { createInProcessClient } from '../worker/inProcessClient';
import { ErrorLog } from './ErrorLog';

describe('the error list', () => {
  it('shows an error Kinesis sends without a message (InternalFailure) as its type, once, said so', () => {
    const client = createInProcessClient();
    const store = createSimStore(client, { throttleFrames: false });
    render(
      <SimStoreProvider store={store}>
        <ErrorLog />
      </SimStoreProvider>,
    );
    act(() => {
      client.send({ type: 'pause' });
      client.send({ type: 'step', ms: 1000 });
      client.send({
        type: 'setFaults',
        requestId: 1,
        faults: [{ error: 'InternalFailure', sharePercent: 100, startInMs: 0, durationMs: 60_000 }],
      });
      for (let i = 0; i < 3; i++)
        client.send({ type: 'putRecord', requestId: 2 + i, record: { partitionKey: `k${i}`, data: 'hi' } });
      client.send({ type: 'step', ms: 100 });
    });
    const items = within(screen.getByRole('list', { name: 'Latest errors' })).getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]?.textContent).toMatch(
      /^PutRecord, PutRecords — InternalFailure \(no message\) ×3, last at /,
    );
  });
});
