// @vitest-environment jsdom
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { LESSONS } from '../../scenario/lessons/curriculum';
import { SimStoreProvider } from '../../state/SimStoreProvider';
import { createSimStore } from '../../state/store';
import { createInProcessClient } from '../../worker/inProcessClient';
import { LessonPanel } from './LessonPanel';

// The lesson panel against the real host, in process: time moves only when the test ticks it.

function renderPanel(hash = '') {
  window.history.replaceState(null, '', `/${hash}`);
  const client = createInProcessClient();
  const store = createSimStore(client, { throttleFrames: false });
  render(
    <SimStoreProvider store={store}>
      <LessonPanel />
    </SimStoreProvider>,
  );
  return { client, store };
}

describe('LessonPanel', () => {
  it('shows only a compact picker when no lesson runs, listing every lesson', () => {
    renderPanel();
    expect(screen.getByRole('region', { name: 'Lessons' })).toBeVisible();
    expect(screen.getByLabelText('Lesson').querySelectorAll('option')).toHaveLength(LESSONS.length);
    expect(screen.queryByRole('button', { name: /Next/ })).toBeNull();
  });

  it('starts a lesson, shows each step and what the worker answered, and moves with Next and Previous', async () => {
    const user = userEvent.setup();
    const { store } = renderPanel();
    await user.selectOptions(screen.getByLabelText('Lesson'), 'md5-to-shard');
    await user.click(screen.getByRole('button', { name: 'Start lesson' }));
    expect(screen.getByRole('heading', { name: /Step 1 of 4/ })).toBeVisible();
    expect(window.location.hash).toBe('#lesson=md5-to-shard&step=1');
    const next = screen.getByRole('button', { name: /Next/ });
    expect(next).toHaveAttribute('aria-keyshortcuts', 'PageDown ArrowRight');
    await user.click(next);
    expect(screen.getByRole('heading', { name: /Step 2 of 4/ })).toBeVisible();
    // The PutRecord's answer is Kinesis's, measured: the same ShardId the worker's snapshot names.
    const shardId = store.getState().snapshot?.lesson?.outcomes[0]?.shardId;
    expect(shardId).toMatch(/^shardId-\d{12}$/);
    expect(screen.getByRole('list', { name: 'What this step did' })).toHaveTextContent(`ShardId ${shardId}`);
    expect(window.location.hash).toBe('#lesson=md5-to-shard&step=2');
    await user.click(screen.getByRole('button', { name: /Previous/ }));
    expect(screen.getByRole('heading', { name: /Step 1 of 4/ })).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Close lesson' }));
    expect(screen.getByRole('button', { name: 'Start lesson' })).toBeVisible();
    expect(window.location.hash).toBe('');
  });

  it('opens a deep link at its step, and shows where the step paused once the worker met it', async () => {
    const { client, store } = renderPanel('#lesson=hot-key-more-shards&step=2');
    await act(async () => {
      await new Promise((r) => setTimeout(r, 5));
    });
    expect(screen.getByRole('heading', { name: /Step 2 of 5/ })).toBeVisible();
    // Step 1 was replayed to where it paused; step 2 waits for the Diagnosis.
    act(() => {
      for (let i = 0; i < 200 && !store.getState().snapshot?.lesson?.pause?.met; i++) client.tick(100);
    });
    const pause = store.getState().snapshot?.lesson?.pause;
    expect(pause?.met).toBe(true);
    expect(screen.getByTestId('lesson-pause')).toHaveTextContent(
      `Paused: the Diagnosis names a hot key on ${pause?.shardId}`,
    );
    expect(screen.getByTestId('lesson-step')).toHaveTextContent(`calls ${pause?.shardId} a Hot key`);
  });

  it('refuses a link to a lesson that does not exist, saying so', async () => {
    renderPanel('#lesson=nope&step=1');
    await act(async () => {
      await new Promise((r) => setTimeout(r, 5));
    });
    expect(screen.getByRole('alert')).toHaveTextContent('There is no built-in lesson "nope"');
  });
});
