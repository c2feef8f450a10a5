import { expect, test } from '@playwright/test';
import { open } from './pageHelpers';

// Guided lessons in Chromium: deep links, a full lesson with the presenter's keys only, and a teacher's file.
// Needs <LessonPanel /> mounted (App.tsx) and the global keys (PageDown → next step, Space → play/pause).

const stepHeading = (page: import('@playwright/test').Page, n: number, of: number) =>
  page.getByRole('heading', { name: new RegExp(`Step ${n} of ${of}`) });

test('a deep link opens that lesson at that step', async ({ page }) => {
  const problems = await open(page, '/#lesson=hot-key-more-shards&step=2');
  await expect(stepHeading(page, 2, 5)).toBeVisible();
  await expect(page.getByTestId('lesson-step')).toContainText('Read the Diagnosis');
  expect(problems).toEqual([]);
});

test('a full lesson runs with only PageDown and Space', async ({ page }) => {
  const problems = await open(page, '/#lesson=hot-shard-split&step=1');
  await expect(stepHeading(page, 1, 3)).toBeVisible();
  // Each step pauses by itself on its condition; Space is only needed when a step waits paused.
  for (let n = 1; n <= 3; n++) {
    await expect(stepHeading(page, n, 3)).toBeVisible();
    const pause = page.getByTestId('lesson-pause');
    await expect(pause).toContainText(/Paused|Waiting/, { timeout: 20_000 });
    if (/Waiting/.test((await pause.textContent()) ?? '')) {
      const playing = await page.getByRole('button', { name: 'Pause' }).isVisible();
      if (!playing) await page.keyboard.press('Space');
    }
    await expect(pause).toContainText('Paused', { timeout: 60_000 });
    if (n < 3) await page.keyboard.press('PageDown');
  }
  await expect(page.getByTestId('lesson-pause')).toContainText('virtual seconds after the step began');
  expect(problems).toEqual([]);
});

test('a lesson file a teacher wrote imports and runs its steps', async ({ page }) => {
  const problems = await open(page);
  const lesson = {
    version: 1,
    name: 'My own lesson',
    seed: 5,
    speed: 1,
    stream: { streamName: 'class-demo', shardCount: 2, retentionHours: 24, throttle: 'token-bucket' },
    producers: [],
    steps: [
      { caption: 'Two shards, nothing written yet.' },
      {
        caption: 'One record with key "alice": its answer names its shard.',
        actions: [{ type: 'putRecord', partitionKey: 'alice', data: 'hi' }],
      },
      {
        caption: 'A heavy producer on one key: the lesson pauses when {shard} throttles.',
        actions: [
          {
            type: 'addProducer',
            producer: {
              name: 'alice-only',
              api: 'PutRecords',
              batchSize: 500,
              payloadBytes: { min: 100, max: 100 },
              rate: 2000,
              distribution: { kind: 'weighted', keys: [{ key: 'alice', weight: 1 }] },
            },
          },
          { type: 'play' },
        ],
        pauseWhen: { kind: 'shardThrottles' },
      },
    ],
  };
  await page
    .getByRole('region', { name: 'Lessons' })
    .getByLabel(/Lesson file/)
    .setInputFiles({
      name: 'my-lesson.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(lesson)),
    });
  await expect(page.getByRole('heading', { name: /My own lesson.*Step 1 of 3/ })).toBeVisible();
  await page.getByRole('button', { name: /Next/ }).click();
  const did = page.getByRole('list', { name: 'What this step did' });
  await expect(did).toContainText(/PutRecord: ShardId shardId-\d{12}/);
  const shardId = ((await did.textContent()) ?? '').match(/shardId-\d{12}/)?.[0];
  await page.getByRole('button', { name: /Next/ }).click();
  await expect(page.getByTestId('lesson-pause')).toContainText(`${shardId} first throttled at`, {
    timeout: 20_000,
  });
  await expect(page.getByTestId('lesson-step')).toContainText(`pauses when ${shardId} throttles`);
  // The step's link carries the teacher's lesson whole.
  await page.getByRole('button', { name: 'Copy link to this step' }).click();
  await expect(page.getByText(/#scenario=.*&step=3/)).toBeVisible();
  expect(problems).toEqual([]);
});

test('the buttons run a lesson too, and a bad file is refused with a message', async ({ page }) => {
  const problems = await open(page);
  const region = page.getByRole('region', { name: 'Lessons' });
  await region.getByLabel('Lesson', { exact: true }).selectOption('md5-to-shard');
  await region.getByRole('button', { name: 'Start lesson' }).click();
  await expect(stepHeading(page, 1, 4)).toBeVisible();
  await page.getByRole('button', { name: /Next/ }).click();
  await expect(page.getByRole('list', { name: 'What this step did' })).toContainText('PutRecord: ShardId');
  await page.getByRole('button', { name: 'Close lesson' }).click();
  await page.getByLabel(/Lesson file/).setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"version":1,"steps":[{"caption":""}]}'),
  });
  await expect(page.getByRole('alert')).toContainText('Not a valid Shardlab scenario');
  expect(problems).toEqual([]);
});
