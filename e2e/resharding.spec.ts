import { expect, type Page, test } from '@playwright/test';
import { clock, digits, loadPreset, open, settled, shardTable, whenOf } from './pageHelpers';

// Issue 11: resharding from the page — Split here on a hot shard, UpdateShardCount 4 → 3, and Kinesis's
// errors inline. The stream is UPDATING for 30 virtual s (split, merge) or 120 (UpdateShardCount): a +1 h
// jump carries it past that, with the producers running throughout.

const shardRow = (page: Page, shardId: string) =>
  shardTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: new RegExp(shardId) }) });

/** The ShardIds of the shard table's rows not marked closed. */
async function openShardIds(page: Page): Promise<string[]> {
  const headers = await shardTable(page).getByRole('rowheader').allTextContents();
  return headers.filter((h) => !/closed/.test(h)).map((h) => h.match(/shardId-\d+/)?.[0] ?? h);
}

/** A jump of +1 h, waited for until it has ended. */
async function jumpOneHour(page: Page) {
  const before = whenOf(await clock(page).textContent());
  await page.getByRole('button', { name: '+1 h' }).click();
  await expect
    .poll(async () => whenOf(await clock(page).textContent()) - before, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(3_600_000);
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 });
}

/** The producer's Attempted count (cells: State, Attempted, Accepted, Throttled, Rejected, Actions). */
async function attempted(page: Page): Promise<number> {
  const cells = page.getByRole('table', { name: 'Producers' }).getByRole('row').nth(1).getByRole('cell');
  return digits(await cells.nth(1).textContent());
}

test('Split the hot shard: Split here, UPDATING, two children, the parent closed, no throttling', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const problems = await open(page);
  await loadPreset(page, 'Split the hot shard');
  const diagnosis = page.getByRole('list', { name: 'Throttled shards diagnosed' });
  await expect(diagnosis).toContainText('shardId-000000000000: Hot shard', { timeout: 20_000 });
  await expect(diagnosis).toContainText('aws kinesis split-shard --stream-name shardlab-demo');

  await diagnosis
    .getByRole('button', { name: /^Split here: shardId-000000000000 at NewStartingHashKey \d+$/ })
    .click();
  await expect(
    page
      .getByRole('status')
      .filter({ hasText: 'SplitShard accepted: shardId-000000000000 splits at NewStartingHashKey' }),
  ).toBeVisible();
  await expect(page.getByTestId('reshard-status').first()).toContainText(
    /UPDATING: SplitShard of shardId-000000000000 settles in about \d+ s \(typical, not guaranteed\)/,
  );
  await expect(page.getByText('StreamStatus', { exact: true }).locator('..')).toContainText('UPDATING');
  await page.screenshot({ path: 'e2e-artifacts/resharding-updating.png' });

  await jumpOneHour(page);
  await expect(page.getByTestId('reshard-status')).toHaveCount(0);
  await expect(shardTable(page).getByRole('row')).toHaveCount(5);
  await expect(shardRow(page, 'shardId-000000000000')).toContainText('closed');
  expect(await openShardIds(page)).toEqual([
    'shardId-000000000001',
    'shardId-000000000002',
    'shardId-000000000003',
  ]);
  // The children took the hot shard's load in halves: no open shard throttles.
  await expect(
    page.getByText(
      'No open shard is throttling in the last 5 virtual seconds (closed shards take no writes).',
    ),
  ).toBeVisible({
    timeout: 20_000,
  });
  await settled(shardTable(page));
  await expect(shardTable(page).getByRole('row').filter({ hasText: 'Throttling now' })).toHaveCount(0);
  // The producer kept running through the resharding.
  const first = await attempted(page);
  await expect.poll(() => attempted(page), { timeout: 15_000 }).toBeGreaterThan(first);

  // The lineage names the children's parent; the keyspace bar shows only the open shards.
  await page.getByRole('button', { name: 'Show Shard lineage data table' }).click();
  const lineage = page.getByRole('table', { name: 'Shard lineage data' });
  for (const child of ['shardId-000000000002', 'shardId-000000000003']) {
    const row = lineage.getByRole('row').filter({ has: page.getByRole('rowheader', { name: child }) });
    await expect(row).toContainText('shardId-000000000000');
    await expect(row).toContainText('OPEN');
  }
  await expect(
    lineage.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'shardId-000000000000' }) }),
  ).toContainText('CLOSED');
  await page.getByRole('button', { name: 'Show Shard lineage chart' }).click();
  await expect(page.getByRole('button', { name: /^shardId-00000000000\d: hash keys/ })).toHaveCount(3);
  const figure = page.getByRole('figure', { name: 'Shard lineage' });
  await figure.scrollIntoViewIfNeeded();
  await figure.screenshot({ path: 'e2e-artifacts/resharding-lineage.png' });
  await page
    .getByRole('figure', { name: 'Keyspace' })
    .screenshot({ path: 'e2e-artifacts/resharding-keyspace.png' });
  expect(problems).toEqual([]);
});

test('UpdateShardCount 4 → 3 ends with shardId-000000000006, -009 and -010 open', async ({ page }) => {
  test.setTimeout(120_000);
  const problems = await open(page);
  await loadPreset(page, 'UpdateShardCount 4 → 3');
  const form = page.getByRole('form', { name: 'Update shard count' });
  await form.getByLabel('TargetShardCount').fill('3');
  await form.getByRole('button', { name: 'UpdateShardCount' }).click();
  await expect(
    page
      .getByRole('status')
      .filter({ hasText: 'UpdateShardCount accepted: CurrentShardCount 4, TargetShardCount 3.' }),
  ).toBeVisible();
  await expect(page.getByTestId('reshard-status').first()).toContainText(
    /UPDATING: UpdateShardCount to 3 shards settles in about \d+ s \(typical, not guaranteed\)/,
  );
  await jumpOneHour(page);
  await expect(page.getByTestId('reshard-status')).toHaveCount(0);
  await expect
    .poll(() => openShardIds(page))
    .toEqual(['shardId-000000000006', 'shardId-000000000009', 'shardId-000000000010']);
  for (const old of ['000', '001', '002', '003'])
    await expect(shardRow(page, `shardId-000000000${old}`)).toContainText('closed');
  // Moving the lineage slider to its end describes the newest shard.
  const slider = page.getByLabel('Shard to describe');
  await slider.focus();
  await page.keyboard.press('End');
  await expect(page.getByTestId('lineage-info')).toContainText('shardId-000000000010 (OPEN): hash keys');
  await page
    .getByRole('figure', { name: 'Shard lineage' })
    .screenshot({ path: 'e2e-artifacts/resharding-4-to-3.png' });
  expect(problems).toEqual([]);
});

test('a bad NewStartingHashKey, or a merge while UPDATING, gets Kinesis’s exact error inline', async ({
  page,
}) => {
  const problems = await open(page);
  await page.getByRole('button', { name: /pause/i }).click();
  await expect(page.getByRole('button', { name: /play/i })).toBeVisible();
  await page.getByRole('button', { name: 'Split shardId-000000000000' }).click();
  const form = page.getByRole('form', { name: 'Split shardId-000000000000' });
  // Prefilled with the middle of the shard's range.
  await expect(form.getByLabel(/^NewStartingHashKey/)).toHaveValue('42535295865117307932921825928971026432');
  await form.getByLabel(/^NewStartingHashKey/).fill('1');
  await form.getByRole('button', { name: 'SplitShard' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'InvalidArgumentException' })).toHaveText(
    "✗ InvalidArgumentException: NewStartingHashKey 1 used in SplitShard() on shard shardId-000000000000 in stream shardlab-demo under account 000000000000 is not both greater than one plus the shard's StartingHashKey 0 and less than the shard's EndingHashKey 85070591730234615865843651857942052863.",
  );
  // Nothing changed: the stream is ACTIVE with its four open shards and nothing pending.
  await expect(page.getByText('StreamStatus', { exact: true }).locator('..')).toContainText('ACTIVE');
  await expect(page.getByTestId('reshard-status')).toHaveCount(0);
  expect(await openShardIds(page)).toEqual([
    'shardId-000000000000',
    'shardId-000000000001',
    'shardId-000000000002',
    'shardId-000000000003',
  ]);

  // A merge is accepted; a second request while the stream is UPDATING is refused as Kinesis refuses it.
  await page
    .getByRole('button', { name: 'Merge with next: shardId-000000000001 and shardId-000000000002' })
    .click();
  await expect(page.getByRole('status').filter({ hasText: 'MergeShards accepted' })).toBeVisible();
  await page
    .getByRole('button', { name: 'Merge with next: shardId-000000000002 and shardId-000000000003' })
    .click();
  await expect(page.getByRole('alert').filter({ hasText: 'ResourceInUseException' })).toHaveText(
    '✗ ResourceInUseException: Stream shardlab-demo under account 000000000000 not ACTIVE, instead in state UPDATING',
  );
  await expect(page.getByTestId('reshard-status').first()).toContainText(
    'UPDATING: MergeShards of shardId-000000000001 and shardId-000000000002 settles in about',
  );
  expect(await openShardIds(page)).toHaveLength(4);
  expect(problems).toEqual([]);
});
