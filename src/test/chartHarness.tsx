import { act, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { SimStoreProvider } from '../state/SimStoreProvider';
import { createSimStore, type SimStore } from '../state/store';
import { createInProcessClient } from '../worker/inProcessClient';

/**
 * Renders one chart over the real host and engine in process (the default stream on screen), paused after
 * one virtual second: the store, and the stream snapshot the chart draws, for a test to read or replace.
 */
export function renderPausedChart(chart: ReactElement): {
  store: SimStore;
  stream: NonNullable<ReturnType<SimStore['getState']>['viewStream']>;
} {
  const client = createInProcessClient();
  const store = createSimStore(client, { throttleFrames: false });
  render(<SimStoreProvider store={store}>{chart}</SimStoreProvider>);
  act(() => client.send({ type: 'pause' }));
  act(() => store.getState().actions.step(1000));
  const stream = store.getState().viewStream;
  if (!stream) throw new Error('no stream on screen');
  return { store, stream };
}
