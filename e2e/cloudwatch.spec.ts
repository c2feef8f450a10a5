import { expect, type Locator, type Page, test } from '@playwright/test';
import { axeViolations, digits, loadPreset, open } from './pageHelpers';

// The CloudWatch lens, as a person uses it: load "Throttled while CloudWatch says 40 %", switch the lens on
// from the keyboard, and read the numbers from the data tables — the 1-minute IncomingRecords Sum ÷ 60 s is
// under the shard's 1,000 records/s while the per-second view shows throttling in the same minute.

/** The cells of a table's first body row, by column header. */
async function firstRow(table: Locator): Promise<Record<string, string>> {
  const headers = await table.locator('thead th').allTextContents();
  const cells = await table.locator('tbody tr').first().locator('th, td').allTextContents();
  return Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
}

async function showTable(page: Page, title: string): Promise<Locator> {
  await page.getByRole('button', { name: `Show ${title} data table` }).click();
  return page.getByRole('table', { name: `${title} data` });
}

test('the CloudWatch lens shows a 1-minute average under the limit while the per-second view shows throttling', async ({
  page,
}) => {
  const problems = await open(page);
  await loadPreset(page, 'Throttled while CloudWatch says 40 %');
  await page.getByLabel('Speed').selectOption('10');
  const lensSwitch = page.getByRole('switch', { name: /CloudWatch lens/ }).first();
  await expect(lensSwitch).toHaveAttribute('aria-checked', 'false');
  await lensSwitch.focus();
  await page.keyboard.press('Enter');
  await expect(lensSwitch).toHaveAttribute('aria-checked', 'true');
  // One setting shown on both charts, and each switch says so.
  const switches = page.getByRole('switch', { name: 'CloudWatch lens (both charts): on' });
  await expect(switches).toHaveCount(2);
  await expect(
    page
      .getByRole('figure', { name: 'Throttling' })
      .getByRole('switch', { name: 'CloudWatch lens (both charts): on' }),
  ).toHaveAttribute('aria-checked', 'true');
  const lens = page.getByRole('figure', { name: 'CloudWatch IncomingRecords' });
  await expect(lens).toBeVisible();
  await expect(lens.getByRole('combobox', { name: /^Period/ })).toHaveValue('1');
  // Two whole virtual minutes (the first began while the stream was CREATING), then stop to read.
  await expect(lens.getByTestId('cloudwatch-latest')).toBeVisible({ timeout: 30_000 });
  await page.waitForTimeout(16_000);
  await page.getByRole('button', { name: /Pause/ }).click();

  const table = await showTable(page, 'CloudWatch IncomingRecords');
  const minute = await firstRow(table);
  const rate = Number(minute['Sum ÷ 60 s (derived, records/s)']?.replace(/,/g, ''));
  const sum = digits(minute['Sum (records)'] ?? null);
  // CloudWatch's view: the minute's accepted records ÷ 60 s, under 1,000 records/s (about 40 %).
  expect(sum).toBeGreaterThan(0);
  expect(rate).toBeGreaterThan(300);
  expect(rate).toBeLessThan(1000);
  expect(Math.abs(rate - sum / 60)).toBeLessThan(0.1);
  expect(digits(minute['Derived rate, % of the shard limit'] ?? null)).toBeLessThan(100);
  // The per-second truth of the same minute: a second asked more than 1,000 records/s, and some throttled.
  expect(digits(minute["Busiest second's demand (per-second truth)"] ?? null)).toBeGreaterThan(1000);
  expect(
    digits((minute['Seconds that throttled (per-second truth)'] ?? '').split(' of ')[0] ?? null),
  ).toBeGreaterThan(0);
  // Maximum is per put operation: at most a PutRecords request's 500 entries, never a per-second rate.
  const maximum = digits(minute['Maximum (most records in a single put operation)'] ?? null);
  expect(maximum).toBeLessThanOrEqual(500);
  const minimum = digits(minute['Minimum (fewest records in a single put operation)'] ?? null);
  expect(minimum).toBeGreaterThanOrEqual(0);
  expect(minimum).toBeLessThanOrEqual(maximum);

  // The per-second view (Throttling) shows the same shard throttled.
  const throttling = await showTable(page, 'Throttling');
  const shard = throttling.getByRole('row', { name: /shardId-000000000000/ });
  const throttledCells = await shard.locator('td').allTextContents();
  expect(digits(throttledCells[1] ?? null)).toBeGreaterThan(0);
  // CloudWatch's WriteProvisionedThroughputExceeded counts those records too.
  const wpte = await showTable(page, 'CloudWatch WriteProvisionedThroughputExceeded');
  const throttledMinute = await firstRow(wpte);
  expect(digits(throttledMinute['Sum (records throttled)'] ?? null)).toBeGreaterThan(0);
  // Most put operations of the minute were not throttled at all: the fewest throttled in one is 0.
  expect(
    digits(throttledMinute['Minimum (fewest records throttled in a single put operation)'] ?? null),
  ).toBe(0);
  expect(await axeViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test('in presenter mode the chart on stage shows its CloudWatch view under it', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const problems = await open(page);
  await loadPreset(page, 'Throttled while CloudWatch says 40 %');
  await page.getByRole('button', { name: 'Presenter mode' }).click();
  const stage = page.getByRole('main', { name: 'Presenter stage' });
  await expect(stage).toBeVisible();
  const lensSwitch = stage.getByRole('switch', { name: /CloudWatch lens/ });
  await lensSwitch.click();
  // The stage has room for one chart: the CloudWatch view takes the chart's place, switch included.
  const lens = stage.getByRole('figure', { name: 'CloudWatch IncomingRecords' });
  await expect(lens).toBeVisible();
  await expect(stage.getByRole('figure', { name: 'Write throughput' })).toHaveCount(0);
  await expect(lens.getByRole('switch', { name: /CloudWatch lens/ })).toHaveAttribute('aria-checked', 'true');
  await expect(lens.getByRole('img', { name: /Step chart of CloudWatch IncomingRecords/ })).toBeVisible();
  const scroll = await page.evaluate(() => document.documentElement.scrollHeight - innerHeight);
  expect(scroll).toBe(0);
  await page.screenshot({ path: 'e2e-artifacts/cloudwatch-stage.png' });
  expect(await axeViolations(page)).toEqual([]);
  await lens.getByRole('switch', { name: /CloudWatch lens/ }).click();
  await expect(stage.getByRole('figure', { name: 'Write throughput' })).toBeVisible();
  expect(problems).toEqual([]);
});
