import { createHash } from 'node:crypto';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { axeViolations, clock, loadPreset, open, shardTable, whenOf } from './pageHelpers';

// Teaching links and honest views (issue 13): the key put or inspected is marked on the keyspace bar with
// why it landed there; time charts draw virtual time over a window that follows the speed; chart text
// grows with Large type and is never clipped; messages say what happened and nothing else.

test.use({ viewport: { width: 1280, height: 720 } });

const figure = (page: Page, title: string) => page.getByRole('figure', { name: title, exact: true });
const xTicks = (chart: Locator) =>
  chart.locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value');
const yTicks = (chart: Locator) =>
  chart.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value');

/** The hash key Kinesis routes a partition key by: MD5 of its UTF-8 bytes as a 128-bit number. */
const hashKeyOf = (key: string) => BigInt(`0x${createHash('md5').update(key, 'utf8').digest('hex')}`);

async function setSpeed(page: Page, speed: string) {
  await page.getByLabel('Speed').selectOption(speed);
}

test('time charts draw virtual time, from the stream’s creation at 1× and the kept 120 s at 3600×', async ({
  page,
}) => {
  const problems = await open(page);
  await loadPreset(page, 'Uniform keys');
  await setSpeed(page, '1');
  const throughput = figure(page, 'Write throughput');
  await throughput.scrollIntoViewIfNeeded();
  await page.waitForTimeout(4000);
  // At 1× a few seconds after loading: the window starts at the stream's creation, not 2 minutes back.
  const caption = throughput.locator('.chart-window');
  await expect(caption).toContainText('since the stream was created');
  const now = whenOf(await clock(page).textContent());
  const ticks = await xTicks(throughput).allTextContents();
  expect(ticks.length).toBeGreaterThan(0);
  for (const t of ticks) {
    expect(t).toMatch(/^\d\d:\d\d:\d\d$/);
    // Every tick is a virtual time since the stream was created (seconds ago), none 2 minutes back.
    const at = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T${t}Z`);
    expect(at).toBeLessThanOrEqual(now);
    expect(at).toBeGreaterThanOrEqual(now - 60_000);
  }
  await expect(throughput.locator('.recharts-label', { hasText: 'virtual time (UTC)' })).toBeVisible();

  // At 3600× two real minutes would be 120 virtual hours: the caption says the engine keeps 120 s.
  await setSpeed(page, '3600');
  await page.waitForTimeout(2500);
  await expect(caption).toContainText(
    'last 2 min of virtual time: the engine keeps per-second series for only the last 2 min, which at 3,600× pass in 0.03 s of real time',
  );
  const before = whenOf(await clock(page).textContent());
  const fast = await xTicks(throughput).allTextContents();
  const later = whenOf(await clock(page).textContent());
  const toMs = (t: string) => Date.parse(`${new Date(later).toISOString().slice(0, 10)}T${t}Z`);
  const first = toMs(fast[0] ?? '');
  const last = toMs(fast[fast.length - 1] ?? '');
  expect(last - first).toBeLessThanOrEqual(120_000);
  expect(last - first).toBeGreaterThanOrEqual(60_000);
  // The axis ends near the clock (the view trails it by a refresh or two, 360 virtual seconds each).
  expect(last).toBeLessThanOrEqual(later);
  expect(last).toBeGreaterThan(before - 60 * 60_000);

  // The data table says the same window as the chart.
  await throughput.getByRole('button', { name: 'Show Write throughput data table' }).click();
  await expect(throughput.getByRole('columnheader', { name: 'Peak, last 2 min' })).toBeVisible();
  await throughput.getByRole('button', { name: 'Show Write throughput chart' }).click();
  await setSpeed(page, '1');
  expect(problems).toEqual([]);
});

test('y-axis labels are whole and chart text grows with Large type', async ({ page }) => {
  const problems = await open(page);
  await loadPreset(page, 'Uniform keys');
  const throughput = figure(page, 'Write throughput');
  await throughput.scrollIntoViewIfNeeded();
  // 2,000 records/s over 4 shards against the 1,000 records/s limit: the axis reaches the limit line.
  await expect(yTicks(throughput)).toHaveText(['0', '250', '500', '750', '1,000']);
  const clipped = async () =>
    throughput.evaluate((fig) => {
      const svg = fig.querySelector('svg.recharts-surface[role="img"]');
      if (!svg) return ['no chart'];
      const left = svg.getBoundingClientRect().left;
      return Array.from(
        fig.querySelectorAll('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value'),
      )
        .filter((t) => t.getBoundingClientRect().left < left - 0.5)
        .map((t) => t.textContent ?? '');
    });
  const fontSize = async () =>
    Number.parseFloat(
      await yTicks(throughput)
        .first()
        .evaluate((t) => getComputedStyle(t).fontSize),
    );
  expect(await clipped()).toEqual([]);
  const normal = await fontSize();

  await page.getByRole('button', { name: 'Large type' }).click();
  await expect(page.getByRole('button', { name: 'Large type' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(fontSize).toBeGreaterThan(normal * 1.2);
  await expect(yTicks(throughput)).toHaveText(['0', '250', '500', '750', '1,000']);
  expect(await clipped()).toEqual([]);
  await page.getByRole('button', { name: 'Large type' }).click();
  expect(problems).toEqual([]);
});

test('PutRecord and the key inspector mark the key on the keyspace bar and say why it landed there', async ({
  page,
}) => {
  const problems = await open(page);
  await loadPreset(page, 'Uniform keys');
  const put = page.getByRole('form', { name: 'Put one record' });
  await put.getByLabel('PartitionKey').fill('user-1');
  await put.getByRole('button', { name: 'PutRecord' }).click();
  const answer = page.getByText(/^✓ ShardId shardId-\d{12}, SequenceNumber \d+$/);
  await expect(answer).toBeVisible();
  const shardId = /shardId-\d{12}/.exec((await answer.textContent()) ?? '')?.[0] ?? '';
  const hash = hashKeyOf('user-1');
  const why = page.getByTestId('put-record-why');
  await expect(why).toContainText(
    `Why ${shardId}: its hash key (the MD5 of "user-1" as a 128-bit number) ${hash}`,
  );
  await expect(why).toContainText(`lies between ${shardId}'s StartingHashKey`);
  const mark = page.getByTestId('keyspace-mark');
  await expect(mark).toContainText(`"user-1" (PutRecord) lands on ${shardId}`);
  // The range it names holds the hash key.
  const range = /StartingHashKey (\d+) and EndingHashKey (\d+)/.exec((await mark.textContent()) ?? '');
  expect(BigInt(range?.[1] ?? '-1') <= hash && hash <= BigInt(range?.[2] ?? '-1')).toBe(true);
  // The diamond is drawn where the hash key lies on the bar (violet pixels in that column above the bar).
  const x = Math.round((Number((hash * 10_000n) / 2n ** 128n) / 10_000) * 720);
  const violetAt = (column: number) =>
    page.getByRole('img', { name: 'Keyspace bar and keyspace-by-time heatmap' }).evaluate((c, col) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')?.getImageData(Math.max(0, col - 2), 0, 5, 60).data ?? [];
      let n = 0;
      for (let i = 0; i < data.length; i += 4)
        if (data[i] === 109 && data[i + 1] === 40 && data[i + 2] === 217) n++;
      return n;
    }, column);
  await expect.poll(() => violetAt(x)).toBeGreaterThan(3);

  const inspector = page.getByRole('form', { name: 'Inspect a key' });
  await inspector.getByLabel('PartitionKey to inspect').fill('user-42');
  await inspector.getByRole('button', { name: 'Inspect' }).click();
  const inspected = (await page.getByTestId('inspected-shard').locator('strong').textContent()) ?? '';
  await expect(page.getByTestId('inspector-why')).toContainText(
    `It lands on ${inspected} because its hash key (the MD5 of "user-42" as a 128-bit number) ${hashKeyOf('user-42')} lies between`,
  );
  await expect(mark).toContainText(`"user-42" (Key inspector) lands on ${inspected}`);
  expect(await axeViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test('each chart is one Tab stop; the keyspace heatmap has labelled axes', async ({ page }) => {
  const problems = await open(page);
  await loadPreset(page, 'Celebrity hot key');
  const stops = (title: string) =>
    figure(page, title).evaluate(
      (fig) =>
        Array.from(fig.querySelectorAll<HTMLElement>('button, select, input, [tabindex]')).filter(
          (e) => e.tabIndex >= 0 && !(e as HTMLButtonElement).disabled,
        ).length,
    );
  for (const title of ['Write throughput', 'Throttling', 'Retention', 'Key distribution'])
    expect(await stops(title), title).toBe(1);
  // The keyspace and the lineage: their toolbar and their one control (the keyspace bar, whose shard
  // segments ←/→ move between; the Shard to describe slider).
  expect(await stops('Keyspace')).toBe(2);
  expect(await stops('Shard lineage')).toBe(2);
  const toolbar = page.getByRole('toolbar', { name: /Write throughput chart controls/ });
  // Tab itself, not only the tabIndex of what is there: from a chart's toolbar the next stop is outside its
  // plot (recharts' layers once were unnamed Tab stops while their tabIndex read −1).
  for (const title of ['Write throughput', 'Throttling']) {
    await page
      .getByRole('toolbar', { name: new RegExp(`${title} chart controls`) })
      .getByRole('button', { name: `Show ${title} data table` })
      .focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement instanceof SVGElement), title).toBe(false);
  }
  await toolbar.getByRole('button', { name: 'Show Write throughput data table' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(toolbar.getByRole('button', { name: 'Export Write throughput CSV' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(toolbar.getByRole('switch', { name: /^CloudWatch lens/ })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(toolbar.getByLabel('Measure')).toBeFocused();

  const keyspace = figure(page, 'Keyspace');
  await expect(keyspace.getByTestId('heatmap-time-axis').locator('.keyspace-tick').first()).toHaveText(
    /^\d\d:\d\d:\d\d$/,
  );
  await expect(keyspace).toContainText('hash key 0');
  await expect(keyspace).toContainText('2^128−1');
  await expect(keyspace).toContainText('virtual time (UTC)');
  expect(problems).toEqual([]);
});

test('messages never mislead: seed, burst, share link, add producer', async ({ page, context }) => {
  const problems = await open(page);
  await loadPreset(page, 'Uniform keys');
  // A refused seed clears the previous success.
  await page.getByLabel('Seed').fill('not a seed');
  await page.getByRole('button', { name: 'Restart with seed' }).click();
  await expect(page.getByText('The seed must be a whole number from 0 to 4294967295.')).toBeVisible();
  await expect(page.getByText('Scenario "Uniform keys" loaded.')).toHaveCount(0);

  // Fire burst says what it sent; paused, that it goes out at the current instant.
  await page.getByRole('button', { name: '❚❚ Pause' }).click();
  await expect(page.getByRole('button', { name: '▶ Play' })).toBeVisible();
  const producers = page.getByRole('form', { name: 'Add producer' });
  await producers.getByLabel('Burst records').fill('1200');
  const paused = (await clock(page).textContent()) ?? '';
  await producers.getByRole('button', { name: 'Fire burst' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Burst of' })).toHaveText(
    `✓ Burst of 1,200 records (3 PutRecords requests of up to 500, keys: uniform over 1,000 keys) queued by producer-1: the clock is paused, so it is sent at the current instant, ${paused}, when you press Play or Step.`,
  );
  await page.getByRole('button', { name: '▶ Play' }).click();
  await producers.getByRole('button', { name: 'Fire burst' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Burst of' })).toContainText(
    'Burst of 1,200 records (3 PutRecords requests of up to 500, keys: uniform over 1,000 keys) sent by producer-2 at once, at the virtual instant',
  );

  // Fast repeated Add producer: three clicks within one task, before any snapshot: three names.
  await producers.getByRole('button', { name: 'Add producer' }).evaluate((b) => {
    for (let i = 0; i < 3; i++) (b as HTMLButtonElement).click();
  });
  const table = page.getByRole('table', { name: 'Producers' });
  await expect(table.getByRole('rowheader')).toHaveCount(6);
  const names = await table.getByRole('rowheader').allTextContents();
  expect(new Set(names).size).toBe(names.length);

  // After opening a share link the preset selector shows what is loaded.
  await page.getByRole('button', { name: 'Copy share link' }).click();
  const link = await page.getByLabel(/^Share link/).inputValue();
  const other = await context.newPage();
  const otherProblems = await open(other, link);
  await expect(other.getByText('Scenario "Uniform keys" loaded.')).toBeVisible();
  await expect(other.getByLabel('Preset')).toHaveValue('__loaded');
  await expect(other.getByLabel('Preset').locator('option:checked')).toHaveText(
    'Uniform keys (from the share link)',
  );
  await expect(shardTable(other)).toBeVisible();
  expect(otherProblems).toEqual([]);
  expect(problems).toEqual([]);
});

test('the Shards caption keeps its height while numbers grow at 3600×', async ({ page }) => {
  const problems = await open(page);
  for (const viewport of [
    { width: 1280, height: 720 },
    { width: 1920, height: 1080 },
  ]) {
    await page.setViewportSize(viewport);
    await loadPreset(page, 'Uniform keys');
    await setSpeed(page, '3600');
    const caption = shardTable(page).locator('caption');
    const heights = new Set<number>();
    for (let i = 0; i < 30; i++) {
      heights.add(Math.round((await caption.boundingBox())?.height ?? 0));
      await page.waitForTimeout(150);
    }
    expect([...heights], `${viewport.width}×${viewport.height}`).toHaveLength(1);
  }
  await setSpeed(page, '1');
  expect(problems).toEqual([]);
});

test('the keyspace chart at Large type: labels inside, nothing clipped', async ({ page }) => {
  const problems = await open(page);
  await loadPreset(page, 'Celebrity hot key');
  await page.getByRole('button', { name: 'Large type' }).click();
  const keyspace = figure(page, 'Keyspace');
  await keyspace.scrollIntoViewIfNeeded();
  await page.waitForTimeout(1500);
  await keyspace.screenshot({ path: 'e2e-artifacts/teaching-keyspace-large.png' });
  // Axis labels lie within the heatmap's width: none is cut off by the chart's edge.
  const outside = await keyspace.evaluate((fig) => {
    const canvas = fig.querySelector('canvas')?.getBoundingClientRect();
    if (!canvas) return ['no canvas'];
    return Array.from(fig.querySelectorAll('.keyspace-y-axis span, .keyspace-tick'))
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return r.left < canvas.left - 1 || r.right > canvas.right + 1;
      })
      .map((e) => e.textContent ?? '');
  });
  expect(outside).toEqual([]);
  await expect(keyspace.locator('.keyspace-y-axis')).toHaveText('hash key 02^1272^128−1');
  await page.getByRole('button', { name: 'Large type' }).click();
  expect(await axeViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});
