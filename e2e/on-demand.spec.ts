import { expect, type Page, test } from '@playwright/test';
import { digits, loadPreset, open, settled, shardTable } from './pageHelpers';

// Issue 11: on-demand capacity and AUTO record distribution from the page. On-demand scaling acts within
// 15 virtual minutes (AWS 2022 documentation): at 600× that is about 1.5 wall seconds.

const openShards = async (page: Page) => digits(await page.getByTestId('open-shards').textContent());

test('an on-demand hot key keeps throttling after scaling', async ({ page }) => {
  test.setTimeout(120_000);
  const problems = await open(page);
  await loadPreset(page, 'On-demand does not fix a hot key');
  await expect(page.getByTestId('stream-mode')).toHaveText('ON_DEMAND');
  const capacity = page.getByRole('figure', { name: 'On-demand capacity' });
  await expect(capacity).toBeVisible();
  // After a minute of its load the hot key's shard (over 500 KB/s) is due to be split.
  await expect(page.getByTestId('on-demand-scaling')).toContainText(
    /On-demand scaling will split shardId-000000000003 in about \d+ min \(AWS 2022 documentation: within 15 minutes\)/,
    { timeout: 30_000 },
  );
  expect(await openShards(page)).toBe(4);
  await page.getByLabel('Speed').selectOption('600');
  await expect.poll(() => openShards(page), { timeout: 60_000 }).toBeGreaterThan(4);
  await page.getByRole('button', { name: '❚❚ Pause' }).click();
  // The split was by hash range, not by key: one child has all of "celebrity" and still throttles.
  const diagnosis = page.getByRole('list', { name: 'Throttled shards diagnosed' });
  await expect(diagnosis).toContainText('Hot key', { timeout: 20_000 });
  await expect(diagnosis).toContainText('Busiest key: "celebrity"');
  expect(await settled(diagnosis)).not.toContain('shardId-000000000003:');
  await expect(
    shardTable(page).getByRole('rowheader', { name: /shardId-000000000003.*closed/ }),
  ).toBeVisible();
  await expect(capacity).toContainText(/Now: \d+ open shards/);
  expect(problems).toEqual([]);
});

test('AUTO distribution: no throttling and even per-shard accepted counts', async ({ page }) => {
  test.setTimeout(90_000);
  const problems = await open(page);
  await loadPreset(page, 'AUTO distribution: no skew, no per-key order');
  await expect(page.getByTestId('record-distribution')).toHaveText('AUTO');
  await page.getByLabel('Speed').selectOption('60');
  await expect
    .poll(
      async () =>
        digits(await shardTable(page).getByRole('row').nth(1).getByRole('cell').nth(0).textContent()),
      {
        timeout: 30_000,
      },
    )
    .toBeGreaterThan(20_000);
  await page.getByRole('button', { name: '❚❚ Pause' }).click();
  await settled(shardTable(page));
  // No row carries the "Throttling now" badge (the caption explains it, so read the row headers).
  for (const header of await shardTable(page).getByRole('rowheader').allTextContents())
    expect(header).not.toContain('Throttling now');
  const rows = shardTable(page).getByRole('row');
  const accepted: number[] = [];
  for (let i = 1; i < (await rows.count()); i++)
    accepted.push(digits(await rows.nth(i).getByRole('cell').nth(0).textContent()));
  expect(accepted).toHaveLength(4);
  const mean = accepted.reduce((a, b) => a + b, 0) / accepted.length;
  for (const a of accepted) expect(Math.abs(a - mean)).toBeLessThanOrEqual(0.1 * mean);
  await expect(page.getByTestId('auto-note')).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Keyspace' })).toContainText(
    'keys are ignored for placement',
  );
  expect(problems).toEqual([]);
});

test('switch a running stream to ON_DEMAND, then its record distribution to AUTO', async ({ page }) => {
  test.setTimeout(90_000);
  const problems = await open(page);
  await loadPreset(page, 'Celebrity hot key');
  const auto = page.getByRole('button', { name: 'Record distribution: switch to AUTO' });
  await expect(auto).toBeDisabled();
  await page.getByRole('button', { name: 'Switch to ON_DEMAND' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'UpdateStreamMode accepted' })).toBeVisible();
  await expect(page.getByTestId('stream-mode')).toHaveText('PROVISIONED → ON_DEMAND (UPDATING)');
  await expect(page.getByTestId('mode-status')).toContainText('UPDATING: UpdateStreamMode to ON_DEMAND');
  await page.getByLabel('Speed').selectOption('60');
  await expect(page.getByTestId('stream-mode')).toHaveText('ON_DEMAND', { timeout: 30_000 });
  await expect(page.getByRole('figure', { name: 'On-demand capacity' })).toBeVisible();
  await auto.click();
  await expect(
    page.getByRole('status').filter({ hasText: 'UpdateStreamRecordDistributionStrategy accepted' }),
  ).toBeVisible();
  await expect(page.getByTestId('record-distribution')).toHaveText('AUTO');
  // The celebrity key's skew vanishes: nothing throttles once the diagnosis window has passed.
  await expect(page.getByRole('list', { name: 'Throttled shards diagnosed' })).toHaveCount(0, {
    timeout: 30_000,
  });
  expect(problems).toEqual([]);
});

test('on-demand absorbs a ramp, throttles on a spike above twice its peak, and scaling catches up', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const problems = await open(page);
  await loadPreset(page, 'On-demand absorbs a ramp but not a spike above 2× its peak');
  const producers = page.getByRole('table', { name: 'Producers' });
  const diagnosis = page.getByRole('list', { name: 'Throttled shards diagnosed' });
  await page.getByLabel('Speed').selectOption('600');
  await producers.getByRole('button', { name: 'Start ramp' }).click();
  // Twice the peak fits in 4 shards: no throttling, while scaling adds shards anyway.
  await expect.poll(() => openShards(page), { timeout: 60_000 }).toBeGreaterThan(4);
  await expect(diagnosis).toHaveCount(0);
  await producers.getByRole('button', { name: 'Start spike' }).click();
  await expect(diagnosis).toBeVisible({ timeout: 20_000 });
  await expect(diagnosis).toContainText('Hot shard');
  // Scaling catches up (two rounds of splits): the throttling ends with more shards than demand needs.
  await expect.poll(() => openShards(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(16);
  await expect(diagnosis).toHaveCount(0, { timeout: 30_000 });
  expect(problems).toEqual([]);
});
