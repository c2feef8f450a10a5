import { act, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { PRESETS } from '../scenario/presets';
import { SimStoreProvider } from '../state/SimStoreProvider';
import { createSimStore, type SimStore } from '../state/store';
import { App } from '../ui/App';
import type { SimClient } from '../worker/client';
import { createInProcessClient } from '../worker/inProcessClient';
import type { Command } from '../worker/protocol';

// The whole page against the real host and engine, in process, for component tests: time moves only by steps.

/**
 * Renders the App on an in-process simulation (snapshots applied at once), paused when asked; returns its
 * client and store.
 */
export function renderApp(options: { paused?: boolean } = {}) {
  const client = createInProcessClient();
  const store = createSimStore(client, { throttleFrames: false });
  render(
    <SimStoreProvider store={store}>
      <App />
    </SimStoreProvider>,
  );
  if (options.paused) act(() => store.getState().actions.pause());
  return { client, store };
}

/**
 * Renders `ui` (a panel) on an in-process simulation whose client also records every command sent, for
 * tests that check what a form sends; returns the client, the commands sent so far and the store.
 */
export function renderRecording(ui: ReactNode) {
  const inner = createInProcessClient();
  const sent: Command[] = [];
  const client: SimClient = {
    send: (command) => {
      sent.push(command);
      inner.send(command);
    },
    subscribe: (listener) => inner.subscribe(listener),
    dispose: () => inner.dispose(),
  };
  const store = createSimStore(client, { throttleFrames: false });
  render(<SimStoreProvider store={store}>{ui}</SimStoreProvider>);
  return { client, sent, store };
}

/** Loads the preset with this id, paused. Throws when there is none. */
export function loadPreset(store: SimStore, id: string): void {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`no preset ${id}`);
  const { id: _id, ...scenario } = preset;
  act(() => store.getState().actions.loadScenario(scenario, { paused: true }));
}

/** Steps virtual time by `seconds` whole seconds, one Step 1 s at a time. */
export function step(store: SimStore, seconds: number): void {
  act(() => {
    for (let i = 0; i < seconds; i++) store.getState().actions.step(1000);
  });
}

/** The live status message (role=status) that says `text`, or null. */
export const statusSaying = (text: string) =>
  screen.getAllByRole('status').find((el) => el.textContent?.includes(text)) ?? null;
/** The alert (role=alert) that says `text`, or null. */
export const alertSaying = (text: string) =>
  screen.getAllByRole('alert').find((el) => el.textContent?.includes(text)) ?? null;
