import { expect, type Page, test } from '@playwright/test';

function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return problems;
}

test('the engine runs in a real Web Worker and its virtual clock ticks', async ({ page }) => {
  const problems = watchProblems(page);
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toHaveText(/Engine \d+\.\d+\.\d+ running in a Web Worker/);
  const clock = page.getByLabel('Virtual time', { exact: true });
  await expect(clock).toContainText('UTC');
  const first = await clock.textContent();
  await expect(clock).not.toHaveText(first ?? '');
  // The bundled worker chunk really ran (not an inline fallback).
  expect(workers.some((u) => /sim\.worker.*\.js/.test(u))).toBe(true);
  await expect(page.getByRole('table').first()).toContainText('shardId-000000000003');
  await page.screenshot({ path: 'e2e-artifacts/main-view.png', fullPage: true });
  expect(problems).toEqual([]);
});

test('pause stops the clock; Space and "." drive it from the keyboard', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toContainText('Web Worker');
  await page.getByRole('button', { name: /pause/i }).click();
  await expect(page.getByRole('button', { name: /play/i })).toBeVisible();
  const clock = page.getByLabel('Virtual time', { exact: true });
  const paused = await clock.textContent();
  await page.waitForTimeout(400);
  await expect(clock).toHaveText(paused ?? '');
  await page.locator('body').press('.');
  await expect(clock).not.toHaveText(paused ?? '');
  await page.locator('body').press(' ');
  await expect(page.getByRole('button', { name: /pause/i })).toBeVisible();
});

test('PutRecord shows the ShardId from the hash ranges, and Kinesis errors for bad input', async ({
  page,
}) => {
  const problems = watchProblems(page);
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toContainText('Web Worker');
  const form = page.getByRole('form', { name: 'Put one record' });
  // MD5 hash keys of "a" and "b" fall in shards 0 and 2 of a 4-shard stream.
  for (const [key, shard] of [
    ['a', 'shardId-000000000000'],
    ['b', 'shardId-000000000002'],
    ['c', 'shardId-000000000001'],
  ] as const) {
    await form.getByLabel('PartitionKey').fill(key);
    await form.getByRole('button', { name: 'PutRecord' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'SequenceNumber' })).toContainText(
      `ShardId ${shard}`,
    );
  }
  await form.getByLabel('PartitionKey').fill('');
  await form.getByRole('button', { name: 'PutRecord' }).click();
  await expect(page.getByRole('alert')).toContainText(
    "ValidationException: 1 validation error detected: Value '' at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
  await form.getByLabel('PartitionKey').fill('k');
  await form.getByLabel('ExplicitHashKey (optional)').fill('340282366920938463463374607431768211456');
  await form.getByRole('button', { name: 'PutRecord' }).click();
  await expect(page.getByRole('alert')).toContainText('InvalidArgumentException: Invalid ExplicitHashKey.');
  expect(problems).toEqual([]);
});

test('a burst on one hot key throttles its shard, in the table and the error log', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toContainText('Web Worker');
  const form = page.getByRole('form', { name: 'Add producer' });
  await form.getByLabel('Key distribution').selectOption('weighted');
  await form.getByLabel('Keys, one per line as key=weight').fill('a=1');
  await form.getByLabel('Burst records').fill('3000');
  await form.getByRole('button', { name: 'Fire burst' }).click();
  const producers = page.getByRole('table', { name: 'Producers' });
  await expect(producers.getByRole('row').nth(1)).toContainText('3,000');
  const shard0 = page
    .getByRole('table', { name: /Shards of/ })
    .getByRole('row', { name: /shardId-000000000000/ });
  await expect(shard0).toContainText('Throttling now');
  await expect(page.getByRole('list', { name: 'Latest errors' })).toContainText(
    'ProvisionedThroughputExceededException: Rate exceeded for shard shardId-000000000000 in stream shardlab-demo under account 000000000000.',
  );
  await page.screenshot({ path: 'e2e-artifacts/hot-key-burst.png', fullPage: true });
  expect(problems).toEqual([]);
});
