// Issue 13: a workshop runs from one screen and a clicker. At 1280×720 the stage shows its parts without
// scrolling; the keys a presenter's remote sends work whatever has focus; Space never presses a button.
import { expect, type Page, test } from '@playwright/test';
import { axeViolations, clock, loadPreset, open } from './pageHelpers';

test.use({ viewport: { width: 1280, height: 720 } });

const playButton = (page: Page) => page.getByRole('button', { name: /^(❚❚ Pause|▶ Play)$/ });
const isPlaying = async (page: Page) => ((await playButton(page).textContent()) ?? '').includes('Pause');

/** Whether the whole box of `name`'s region is inside the viewport. */
async function inViewport(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((s) => {
    const element = document.querySelector(s);
    if (!element) return false;
    const box = element.getBoundingClientRect();
    return (
      box.height > 0 && box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth
    );
  }, selector);
}

const noScroll = (page: Page) =>
  page.evaluate(() => ({
    x: document.documentElement.scrollWidth - innerWidth,
    y: document.documentElement.scrollHeight - innerHeight,
  }));

test('presenter mode: at 1280×720 the stage shows clock, shard load, keyspace, diagnosis and a chart without scrolling', async ({
  page,
}) => {
  const problems = await open(page);
  await loadPreset(page, 'Celebrity hot key');
  await page.getByRole('button', { name: 'Presenter mode' }).click();
  await expect(page).toHaveURL(/[?&]presenter=1/);
  const stage = page.getByRole('main', { name: 'Presenter stage' });
  await expect(stage).toBeVisible();
  await expect(stage.getByRole('table', { name: /records accepted against 1,000 records\/s/ })).toBeVisible();
  await expect(stage.getByText(/⚠/).first()).toBeVisible({ timeout: 20_000 });
  for (const selector of [
    '.stage-time',
    '.stage-shards-area',
    '.stage-keyspace',
    '.stage-diagnosis',
    '.stage-chart',
  ])
    expect(await inViewport(page, selector), selector).toBe(true);
  expect(await noScroll(page)).toEqual({ x: 0, y: 0 });
  // One chosen chart at a time.
  await stage.getByLabel('Chart on stage').selectOption('Throttling');
  await expect(stage.getByRole('figure', { name: /Throttling/ })).toBeVisible();
  await expect(stage.getByRole('figure', { name: /Write throughput/ })).toHaveCount(0);
  // Large type on the stage still fits.
  await page.getByRole('button', { name: 'Large type' }).click();
  await expect(page.getByRole('button', { name: 'Large type' })).toHaveAttribute('aria-pressed', 'true');
  expect(await noScroll(page)).toEqual({ x: 0, y: 0 });
  await page.screenshot({ path: 'e2e-artifacts/presenter-stage.png' });
  await page.getByRole('button', { name: 'Large type' }).click();
  await page.screenshot({ path: 'e2e-artifacts/presenter-stage-normal.png' });
  expect(await axeViolations(page)).toEqual([]);
  // A reload keeps the stage (the URL says so).
  await page.reload();
  await expect(page.getByRole('main', { name: 'Presenter stage' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('a lesson on the stage: every part in sight at 1280×720, run with only PageDown and Space', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const problems = await open(page, '/?presenter=1#lesson=hot-shard-split&step=1');
  const stage = page.getByRole('main', { name: 'Presenter stage' });
  const step = (n: number) => stage.getByRole('heading', { name: new RegExp(`Step ${n} of 3`) });
  await expect(step(1)).toBeVisible();
  for (const selector of [
    '.stage-time',
    '.stage-lesson',
    '.stage-shards-area',
    '.stage-keyspace',
    '.stage-chart',
  ])
    expect(await inViewport(page, selector), selector).toBe(true);
  expect(await noScroll(page)).toEqual({ x: 0, y: 0 });
  for (let n = 1; n <= 3; n++) {
    await expect(step(n)).toBeVisible();
    const pause = page.getByTestId('lesson-pause');
    await expect(pause).toContainText(/Paused|Waiting/, { timeout: 20_000 });
    if (/Waiting/.test((await pause.textContent()) ?? '') && !(await isPlaying(page)))
      await page.keyboard.press(' ');
    await expect(pause).toContainText('Paused', { timeout: 60_000 });
    if (n === 2) await page.screenshot({ path: 'e2e-artifacts/presenter-lesson.png' });
    if (n < 3) await page.keyboard.press('PageDown');
  }
  expect(await noScroll(page)).toEqual({ x: 0, y: 0 });
  // PageUp goes back a step, replayed from the seed.
  await page.keyboard.press('PageUp');
  await expect(step(2)).toBeVisible();
  expect(problems).toEqual([]);
});

test('the CloudWatch lesson on the stage at 1280×720: the chart, with or without the lens, fits its region; the diagnosis scrolls with a cue', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const problems = await open(page, '/?presenter=1#lesson=cloudwatch-40-percent&step=1');
  const stage = page.getByRole('main', { name: 'Presenter stage' });
  await expect(stage.getByRole('heading', { name: /Step 1 of 3/ })).toBeVisible();
  const pause = page.getByTestId('lesson-pause');
  await expect(pause).toContainText(/Paused|Waiting/, { timeout: 20_000 });
  if (/Waiting/.test((await pause.textContent()) ?? '') && !(await isPlaying(page)))
    await page.keyboard.press(' ');
  await expect(pause).toContainText('Paused', { timeout: 30_000 });
  // What the step's play action answered ("Playing") is not shown under "Paused".
  await expect(stage.getByText('Playing', { exact: true })).toBeHidden();
  /** The chart on stage: its drawing ends inside the chart region, and the plot is readable (≥ 110 px). */
  const chartFits = () =>
    page.evaluate(() => {
      const area = document.querySelector('.stage-chart')?.getBoundingClientRect();
      const wrapper = document.querySelector('.stage-chart .recharts-wrapper')?.getBoundingClientRect();
      return area && wrapper ? { over: wrapper.bottom - area.bottom, height: wrapper.height } : null;
    });
  const diagnosis = stage.getByRole('region', { name: 'Diagnosis (scrolls)' });
  const regions = [
    '.stage-time',
    '.stage-lesson',
    '.stage-shards-area',
    '.stage-keyspace',
    '.stage-diagnosis',
    '.stage-chart',
  ];
  for (const large of [false, true]) {
    if (large) await page.getByRole('button', { name: 'Large type' }).click();
    for (const lens of [false, true]) {
      const lensSwitch = stage.getByRole('switch', { name: /CloudWatch lens \(both charts\)/ });
      if ((await lensSwitch.getAttribute('aria-checked')) !== String(lens)) await lensSwitch.click();
      await expect(
        stage.getByRole('figure', { name: lens ? 'CloudWatch IncomingRecords' : 'Write throughput' }),
      ).toBeVisible();
      await page.waitForTimeout(1500);
      const fit = await chartFits();
      const tag = `${large ? 'Large type, ' : ''}lens ${lens ? 'on' : 'off'}`;
      expect(fit, tag).not.toBeNull();
      expect(fit?.over ?? 1, tag).toBeLessThanOrEqual(1);
      expect(fit?.height ?? 0, tag).toBeGreaterThanOrEqual(110);
      for (const selector of regions)
        expect(await inViewport(page, selector), `${tag}: ${selector}`).toBe(true);
      expect(await noScroll(page)).toEqual({ x: 0, y: 0 });
      // The shard load table stays inside its region (its Throttled column in sight).
      const shardsOver = await page.evaluate(() => {
        const table = document.querySelector('.stage-shards table')?.getBoundingClientRect();
        const area = document.querySelector('.stage-shards-area')?.getBoundingClientRect();
        return table && area ? table.right - area.right : 1;
      });
      expect(shardsOver, tag).toBeLessThanOrEqual(0);
      // The diagnosis is never cut silently: when its text goes on below the edge, a cue says so.
      const overflows = await diagnosis.evaluate((e) => e.scrollTop + e.clientHeight < e.scrollHeight - 2);
      await expect(stage.getByTestId('stage-more')).toHaveCount(overflows ? 1 : 0);
      await page.screenshot({
        path: `e2e-artifacts/presenter-cloudwatch-${large ? 'large-' : ''}lens-${lens ? 'on' : 'off'}.png`,
      });
    }
  }
  expect(await axeViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test("the remote's keys work whatever has focus: Space and k play/pause, . steps, b blanks, ? helps", async ({
  page,
}) => {
  await open(page, '/?presenter=1');
  // A new simulation plays at 1×; k pauses it.
  await expect(playButton(page)).toHaveText('❚❚ Pause');
  await page.keyboard.press('k');
  await expect(playButton(page)).toHaveText('▶ Play');
  // Focus on a list: on the stage, Space still plays.
  await page.getByLabel('Chart on stage').focus();
  await page.keyboard.press(' ');
  await expect(playButton(page)).toHaveText('❚❚ Pause');
  await page.keyboard.press('k');
  await expect(playButton(page)).toHaveText('▶ Play');
  const before = await clock(page).textContent();
  await page.getByRole('button', { name: 'Step 1 s' }).focus();
  await page.keyboard.press('.');
  await expect(clock(page)).not.toHaveText(before ?? '');
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keys' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('next lesson step');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.keyboard.press('b');
  await expect(page.getByRole('dialog', { name: 'Screen blanked' })).toBeVisible();
  await page.keyboard.press('b');
  await expect(page.getByRole('dialog', { name: 'Screen blanked' })).toHaveCount(0);
});

test('Space after clicking or keying any button only plays or pauses: it never presses the button again', async ({
  page,
}) => {
  const problems = await open(page);
  await loadPreset(page, 'Uniform keys');
  const producers = page.getByRole('table', { name: 'Producers' });
  // The scenario must not restart: the stream's age keeps growing and the producers stay.
  let rows = await producers.getByRole('row').count();
  const buttons = ['Load preset', 'Large type', 'Step 1 s', 'Create stream', 'Add producer'];
  for (const name of buttons) {
    const button = page.getByRole('button', { name, exact: true });
    // Keyboard: Tab to it and press Enter (focus stays on it), then the clicker's Space.
    await button.focus();
    const wasLarge = await page.getByRole('button', { name: 'Large type' }).getAttribute('aria-pressed');
    const playing = await isPlaying(page);
    const restarts = name === 'Load preset' || name === 'Create stream';
    if (!restarts) {
      await page.keyboard.press(' ');
      await expect.poll(() => isPlaying(page), { message: `Space on ${name}` }).toBe(!playing);
      await expect(page.getByRole('button', { name: 'Large type' })).toHaveAttribute(
        'aria-pressed',
        wasLarge ?? 'false',
      );
      await expect(producers.getByRole('row')).toHaveCount(rows);
      continue;
    }
    // A button that restarts the simulation: Space after Enter must not press it again.
    await page.keyboard.press('Enter');
    await expect(
      page
        .getByRole('status')
        .filter({ hasText: /loaded|created/i })
        .first(),
    ).toBeVisible();
    const age = await page.getByText(/^Stream age/).textContent();
    const now = await isPlaying(page);
    await page.keyboard.press(' ');
    await expect.poll(() => isPlaying(page), { message: `Space after Enter on ${name}` }).toBe(!now);
    await page.keyboard.press(' ');
    await page.waitForTimeout(1500);
    // Not restarted: the stream is at least as old as before Space.
    expect(await page.getByText(/^Stream age/).textContent()).not.toBe('Stream age 0 s');
    expect(age).not.toBeNull();
    // What the button itself did (a new stream has no producers) is the baseline from here on.
    rows = await producers.getByRole('row').count();
  }
  expect(problems).toEqual([]);
});

test('every region is a few Tab stops from the top, through skip links', async ({ page }) => {
  await open(page);
  for (const [name, id] of [
    ['Charts', 'charts'],
    ['Diagnosis', 'diagnosis'],
    ['Producers', 'producers'],
    ['Shards', 'shards'],
    ['Stream', 'stream'],
  ] as const) {
    await page.goto('/');
    let stops = 0;
    for (; stops < 10; stops++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
      if (focused === `Skip to ${name}`) break;
    }
    expect(stops, `Tab stops to "Skip to ${name}"`).toBeLessThan(10);
    await page.keyboard.press('Enter');
    await expect(page.locator(`#${id}`)).toBeFocused();
  }
});

for (const [width, height] of [
  [1024, 768],
  [1280, 720],
  [1920, 1080],
  [2560, 1440],
] as const) {
  test(`nothing overflows sideways at ${width}×${height}, and the producer table's actions are reachable`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height });
    await open(page);
    await loadPreset(page, 'Celebrity hot key');
    expect((await noScroll(page)).x).toBeLessThanOrEqual(0);
    const stop = page
      .getByRole('table', { name: 'Producers' })
      .getByRole('button', { name: /Stop|Start/ })
      .first();
    await stop.scrollIntoViewIfNeeded();
    expect(await stop.isVisible()).toBe(true);
    const box = await stop.boundingBox();
    expect(box && box.x + box.width <= width).toBe(true);
    // The producers', retries' and faults' tables are readable without scrolling sideways.
    await page
      .getByRole('form', { name: 'Inject a fault' })
      .getByRole('button', { name: 'Inject fault' })
      .click();
    await expect(page.getByRole('table', { name: 'Injected faults' })).toBeVisible();
    for (const name of ['Producers', 'Retries per producer', 'Injected faults']) {
      const table = page.getByRole('table', { name });
      const sideways = await table.evaluate((t) => t.scrollWidth - (t.parentElement?.clientWidth ?? 0));
      expect(sideways, `${name} at ${width} px`).toBeLessThanOrEqual(1);
    }
    expect((await noScroll(page)).x).toBeLessThanOrEqual(0);
  });
}
