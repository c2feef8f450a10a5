import { expect, type Page, test } from '@playwright/test';
import { open, shardTable } from './pageHelpers';

async function createStream(page: Page, name: string, shards: string, retention = '24') {
  const form = page.getByRole('form', { name: 'Create stream' });
  await form.getByLabel('StreamName').fill(name);
  await form.getByLabel('Shard count').fill(shards);
  await form.getByLabel('RetentionPeriodHours').fill(retention);
  await form.getByRole('button', { name: 'Create stream' }).click();
}

test('create a 4-shard stream and see its ShardIds and hash key ranges', async ({ page }) => {
  const problems = await open(page);
  await createStream(page, 'orders', '4');
  await expect(page.getByText('Stream created afresh.')).toBeVisible();
  await expect(shardTable(page)).toHaveAccessibleName(/Shards of orders/);
  const rows = shardTable(page).getByRole('row');
  await expect(rows).toHaveCount(5);
  await expect(rows.nth(1)).toContainText('shardId-000000000000');
  await expect(rows.nth(1)).toContainText('85070591730234615865843651857942052863');
  await expect(rows.nth(4)).toContainText('255211775190703847597530955573826158592');
  await expect(rows.nth(4)).toContainText('340282366920938463463374607431768211455');
  expect(problems).toEqual([]);
});

test('typed keys land on the shard whose hash key range holds their MD5', async ({ page }) => {
  const problems = await open(page);
  await createStream(page, 'keys', '3');
  await expect(shardTable(page).getByRole('row')).toHaveCount(4);
  const form = page.getByRole('form', { name: 'Put one record' });
  // Reference values (kinesis-model.md §1, computed with Python): a, c, 😀 → shard 0; b, hello → 1; ключ → 2.
  const expected: [string, string][] = [
    ['a', 'shardId-000000000000'],
    ['b', 'shardId-000000000001'],
    ['hello', 'shardId-000000000001'],
    ['ключ', 'shardId-000000000002'],
    ['😀', 'shardId-000000000000'],
  ];
  // Each answer carries a new SequenceNumber, so wait for the answer to change before reading its ShardId.
  const answer = page.getByText(/ShardId shardId-\d{12}, SequenceNumber \d{56}/);
  let previous = '';
  for (const [key, shardId] of expected) {
    await form.getByLabel('PartitionKey').fill(key);
    await form.getByRole('button', { name: 'PutRecord' }).click();
    await expect(answer).not.toHaveText(previous);
    await expect(answer).toContainText(`ShardId ${shardId}, SequenceNumber`);
    previous = (await answer.textContent()) ?? '';
  }
  await expect(page.getByRole('table', { name: 'Hottest partition keys' })).toContainText('ключ');
  expect(problems).toEqual([]);
});

test('jumping past the retention period expires every record', async ({ page }) => {
  const problems = await open(page);
  await page.getByRole('button', { name: /pause/i }).click();
  const form = page.getByRole('form', { name: 'Put one record' });
  for (const key of ['k1', 'k2', 'k3']) {
    await form.getByLabel('PartitionKey').fill(key);
    await form.getByRole('button', { name: 'PutRecord' }).click();
    await expect(page.getByText(/SequenceNumber \d{56}/)).toBeVisible();
  }
  const summary = page.getByTestId('retention-summary');
  await expect(summary).toContainText('3 records');
  await expect(page.getByTestId('next-expiry')).toContainText('Next expiry at 2026-01-02');
  await page.getByRole('button', { name: '+24 h' }).click();
  await expect(summary).toContainText('0 records (0 B) retained, 3 expired');
  await expect(page.getByTestId('next-expiry')).toContainText('Nothing is retained');
  await page.getByRole('button', { name: 'Show Retention data table' }).click();
  const retention = page.getByRole('table', { name: 'Retention data' });
  await expect(retention.getByRole('row').nth(1)).toContainText('0');
  await page.screenshot({ path: 'e2e-artifacts/after-24h.png' });
  expect(problems).toEqual([]);
});

test('bad input in every field gets a clear message and nothing crashes', async ({ page }) => {
  const problems = await open(page);
  const stream = page.getByRole('form', { name: 'Create stream' });
  const expectAlert = (text: string) =>
    expect(page.getByRole('alert').filter({ hasText: text })).toBeVisible();

  await createStream(page, 'bad name!', '4');
  await expectAlert(
    "ValidationException: 1 validation error detected: Value 'bad name!' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
  );
  await createStream(page, 'ok', '0');
  await expectAlert('Shard count must be a whole number from 1 to 500.');
  await createStream(page, 'ok', '501');
  await expectAlert('Shard count must be a whole number from 1 to 500.');
  await stream.getByLabel('Shard count').fill('2.5');
  await stream.getByRole('button', { name: 'Create stream' }).click();
  await expectAlert('Shard count must be a whole number from 1 to 500.');
  await createStream(page, 'ok', '2', '12');
  await expectAlert(
    'InvalidArgumentException: Minimum allowed retention period is 24 hours. Requested retention period (12 hours) is too short.',
  );
  await createStream(page, 'ok', '2', '9000');
  await expectAlert('InvalidArgumentException: Maximum allowed retention period is 8760 hours.');

  const retention = page.getByRole('form', { name: 'Change retention' });
  await retention.getByLabel('New RetentionPeriodHours').fill('23');
  await retention.getByRole('button', { name: 'Change retention' }).click();
  await expectAlert('Requested retention period (23 hours) is too short.');
  await retention.getByLabel('New RetentionPeriodHours').fill('1.5');
  await retention.getByRole('button', { name: 'Change retention' }).click();
  await expectAlert('RetentionPeriodHours must be a whole number of hours');

  const put = page.getByRole('form', { name: 'Put one record' });
  await put.getByLabel('PartitionKey').fill('x'.repeat(257));
  await put.getByRole('button', { name: 'PutRecord' }).click();
  await expectAlert(
    "at 'partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256",
  );
  await put.getByLabel('PartitionKey').fill('k');
  await put.getByLabel('ExplicitHashKey (optional)').fill('12ab');
  await put.getByRole('button', { name: 'PutRecord' }).click();
  await expectAlert(
    "Value '12ab' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})",
  );

  const producer = page.getByRole('form', { name: 'Add producer' });
  await producer.getByLabel('Batch size (entries)').fill('501');
  await producer.getByRole('button', { name: 'Add producer' }).click();
  await expectAlert('batch size must be a whole number from 1 to 500');
  await producer.getByLabel('Batch size (entries)').fill('500');
  await producer.getByLabel('Rate (records/s)').fill('-5');
  await producer.getByRole('button', { name: 'Add producer' }).click();
  await expectAlert('rate must be above 0');
  await producer.getByLabel('Rate (records/s)').fill('100');
  await producer.getByLabel('Key distribution').selectOption('zipf');
  await producer.getByLabel('Zipf exponent (s)').fill('0');
  await producer.getByRole('button', { name: 'Add producer' }).click();
  await expectAlert('the Zipf exponent must be above 0');
  await producer.getByLabel('Key distribution').selectOption('weighted');
  await producer.getByLabel('Keys, one per line as key=weight').fill('a=lots');
  await producer.getByRole('button', { name: 'Add producer' }).click();
  await expectAlert('weights must be numbers');
  await producer.getByLabel('Burst records').fill('0');
  await producer.getByRole('button', { name: 'Fire burst' }).click();
  await expectAlert('record count must be a whole number');

  // Still alive and working.
  await put.getByLabel('ExplicitHashKey (optional)').fill('');
  await put.getByRole('button', { name: 'PutRecord' }).click();
  await expect(page.getByText(/ShardId shardId-\d{12}, SequenceNumber/)).toBeVisible();
  expect(problems).toEqual([]);
});

test('the retention chart also shows records retained per shard', async ({ page }) => {
  const problems = await open(page);
  const form = page.getByRole('form', { name: 'Put one record' });
  await form.getByLabel('PartitionKey').fill('a');
  await form.getByRole('button', { name: 'PutRecord' }).click();
  await page.getByRole('button', { name: 'Step 1 s' }).click();
  await page.getByRole('button', { name: 'Step 1 s' }).click();
  await page.getByLabel('View').selectOption('per-shard');
  await expect(page.getByRole('img', { name: /^Line chart of records retained per shard/ })).toBeVisible();
  await expect(page.locator('.recharts-legend-item-text', { hasText: '#0' }).first()).toBeVisible();
  expect(problems).toEqual([]);
});

test('an ON_DEMAND stream starts with 4 shards and says scaling splits ranges, not keys', async ({
  page,
}) => {
  const problems = await open(page);
  const form = page.getByRole('form', { name: 'Create stream' });
  await form.getByLabel('Capacity mode').selectOption('ON_DEMAND');
  await expect(form.getByLabel('Shard count')).toBeDisabled();
  await expect(page.locator('#on-demand-note')).toContainText(/starts with 4 shards/);
  await expect(page.locator('#on-demand-note')).toContainText(/never by key: it does not save a hot key/);
  await form.getByLabel('StreamName').fill('elastic');
  await form.getByRole('button', { name: 'Create stream' }).click();
  await expect(page.getByRole('table', { name: /Shards of elastic/ }).getByRole('row')).toHaveCount(5);
  await expect(page.getByText('ON_DEMAND', { exact: true })).toBeVisible();
  expect(problems).toEqual([]);
});

test('a producer can be edited, stopped, started and removed', async ({ page }) => {
  const problems = await open(page);
  const form = page.getByRole('form', { name: 'Add producer' });
  await form.getByLabel('Name').fill('orders');
  await form.getByLabel('Rate (records/s)').fill('500');
  await form.getByRole('button', { name: 'Add producer' }).click();
  const producers = page.getByRole('table', { name: 'Producers' });
  await expect(producers).toContainText('orders');
  await page.getByRole('button', { name: 'Edit orders' }).click();
  const editForm = page.getByRole('form', { name: 'Edit producer orders' });
  await expect(editForm.getByLabel('Rate (records/s)')).toHaveValue('500');
  await editForm.getByLabel('Name').fill('orders-v2');
  await editForm.getByLabel('Rate (records/s)').fill('4000');
  await editForm.getByLabel('Key distribution').selectOption('hotKey');
  await editForm.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Producer 1 saved.')).toBeVisible();
  await expect(producers).toContainText('orders-v2');
  // 4,000 records/s with half on one key overloads that key's shard.
  await expect(page.getByRole('list', { name: 'Throttled shards diagnosed' })).toContainText('Hot key', {
    timeout: 20_000,
  });
  await page.getByRole('button', { name: 'Stop orders-v2' }).click();
  await expect(producers).toContainText('stopped');
  await page.getByRole('button', { name: 'Start orders-v2' }).click();
  await expect(producers).toContainText('running');
  await page.getByRole('button', { name: 'Remove orders-v2' }).click();
  await expect(page.getByText('No producers yet.')).toBeVisible();
  expect(problems).toEqual([]);
});
