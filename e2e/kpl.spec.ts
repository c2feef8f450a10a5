import { expect, test } from '@playwright/test';
import { axeViolations, digits, open, settled, shardTable } from './pageHelpers';

// KPL aggregation (issue 14): a 1-shard stream takes 5,000 user records/s of 100 B with nothing throttled,
// because the shard sees ~12 aggregated Kinesis records/s, not 5,000 records/s.

test('KPL aggregation lets a 1-shard stream take 5,000 user records/s of 100 B with nothing throttled', async ({
  page,
}) => {
  const problems = await open(page);
  const create = page.getByRole('form', { name: 'Create stream' });
  await create.getByLabel('StreamName').fill('kpl');
  await create.getByLabel('Shard count').fill('1');
  await create.getByRole('button', { name: 'Create stream' }).click();
  await expect(page.getByText('Stream created afresh.')).toBeVisible();
  await expect(shardTable(page).getByRole('row')).toHaveCount(2);

  const form = page.getByRole('form', { name: 'Add producer' });
  await form.getByLabel('Name').fill('kpl-app');
  await form.getByLabel('Data bytes (min)').fill('100');
  await form.getByLabel('Data bytes (max)').fill('100');
  await form.getByLabel('Rate (records/s)').fill('5000');
  await form.getByLabel('KPL aggregation').check();
  await expect(form.getByLabel('Aggregation max size (bytes)')).toHaveValue('51200');
  await expect(form.getByLabel('Collection (PutRecords batching)')).toBeChecked();
  // The API choice belongs to collection now.
  await expect(form.getByLabel('API')).toHaveCount(0);
  await form.getByRole('button', { name: 'Add producer' }).click();

  await expect(page.getByRole('img', { name: /user records\/s and Kinesis records\/s/ })).toBeVisible();
  await page.getByRole('button', { name: 'Show KPL aggregation data table' }).click();
  const rates = page.getByRole('table', { name: 'KPL aggregation: user records/s vs Kinesis records/s' });
  const row = rates.getByRole('row', { name: /kpl-app/ });
  await expect(row.getByRole('cell').nth(0)).toHaveText('5,000', { timeout: 20_000 });
  const kinesisPerSecond = digits(await row.getByRole('cell').nth(1).textContent());
  expect(kinesisPerSecond).toBeGreaterThan(0);
  expect(kinesisPerSecond).toBeLessThan(50);

  // Let several virtual seconds pass, then read the producer's totals: all accepted, none throttled.
  const producers = page.getByRole('table', { name: 'Producers' });
  const producerRow = producers.getByRole('row', { name: /kpl-app/ });
  await expect
    .poll(async () => digits(await producerRow.getByRole('cell').nth(2).textContent()), { timeout: 30_000 })
    .toBeGreaterThan(20_000);
  await page.getByRole('button', { name: /pause/i }).click();
  await settled(producerRow);
  const cells = producerRow.getByRole('cell');
  const attempted = digits(await cells.nth(1).textContent());
  const accepted = digits(await cells.nth(2).textContent());
  expect(digits(await cells.nth(3).textContent())).toBe(0);
  expect(digits(await cells.nth(4).textContent())).toBe(0);
  expect(accepted).toBe(attempted);
  await expect(
    rates
      .getByRole('row', { name: /kpl-app/ })
      .getByRole('cell')
      .nth(5),
  ).toHaveText('0');
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Show KPL aggregation chart' }).click();
  const chart = page.getByRole('img', { name: /user records\/s and Kinesis records\/s/ });
  await chart.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'e2e-artifacts/kpl.png', fullPage: false });
  expect(problems).toEqual([]);
});

test('KPL aggregation beyond the max record size, or on an AUTO stream, is refused with the reason', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const problems = await open(page);
  const form = page.getByRole('form', { name: 'Add producer' });
  await form.getByLabel('Name').fill('kpl-app');
  await form.getByLabel('Rate (records/s)').fill('500');
  await form.getByLabel('KPL aggregation').check();
  await form.getByLabel('Aggregation max size (bytes)').fill('2000000');
  await form.getByRole('button', { name: 'Add producer' }).click();
  await expect(
    page
      .getByRole('alert')
      .filter({ hasText: "from 64 to 1,048,575 (the stream's max record size, 1,048,576 bytes" }),
  ).toBeVisible();
  // A name once sent stays taken in this form, even for a refused add: use another.
  await form.getByLabel('Name').fill('kpl-run');
  await form.getByLabel('Aggregation max size (bytes)').fill('51200');
  await form.getByRole('button', { name: 'Add producer' }).click();
  const producers = page.getByRole('table', { name: 'Producers' });
  await expect(producers.getByRole('row', { name: /kpl-run/ })).toContainText('running');

  // The stream becomes AUTO while the KPL producer runs: it stops, and says why.
  await page.getByRole('button', { name: 'Switch to ON_DEMAND' }).click();
  await page.getByLabel('Speed').selectOption('60');
  await expect(page.getByTestId('stream-mode')).toHaveText('ON_DEMAND', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Record distribution: switch to AUTO' }).click();
  await expect(page.getByTestId('record-distribution')).toHaveText('AUTO');
  await expect(producers.getByRole('row', { name: /kpl-run/ })).toContainText(
    'stopped — KPL aggregation is refused on a stream whose record distribution is AUTO',
  );

  // A new KPL producer on an AUTO stream is refused.
  await form.getByLabel('Name').fill('kpl-on-auto');
  await expect(form.getByLabel('KPL aggregation')).toBeChecked();
  await form.getByRole('button', { name: 'Add producer' }).click();
  await expect(
    page
      .getByRole('alert')
      .filter({ hasText: 'KPL aggregation is refused on a stream whose record distribution is AUTO' }),
  ).toBeVisible();
  await expect(producers).not.toContainText('kpl-on-auto');
  expect(problems).toEqual([]);
});
