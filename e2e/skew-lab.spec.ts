import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { loadPreset, open } from './pageHelpers';

const shardRows = (page: Page) => page.getByRole('table', { name: /Shards of/ }).getByRole('row');
const cellNumber = async (page: Page, row: number, column: number) =>
  Number(
    ((await shardRows(page).nth(row).getByRole('cell').nth(column).textContent()) ?? '0').replace(
      /[^\d]/g,
      '',
    ),
  );

test('every preset loads with its lesson, stream and producers', async ({ page }) => {
  const problems = await open(page);
  const presets: [string, string, number][] = [
    ['Uniform keys', 'orders', 4],
    ['Celebrity hot key', 'timeline', 4],
    ['Fewer keys than shards', 'tenants', 8],
    ['Timestamp as key', 'events', 4],
    ['Fixing a hot key with random suffixes', 'timeline-suffixed', 4],
    ['Retention expiry in fast-forward', 'sensor', 2],
    ['ExplicitHashKey spreads one key', 'kpl-style', 4],
    ['Split the hot shard', 'checkout', 2],
    ['Splitting does not fix a hot key', 'timeline', 2],
    ['UpdateShardCount 4 → 3', 'orders', 4],
    ['On-demand absorbs a ramp but not a spike above 2× its peak', 'steady', 4],
    ['On-demand does not fix a hot key', 'timeline', 4],
    ['AUTO distribution: no skew, no per-key order', 'timeline', 4],
  ];
  for (const [name, producer, shards] of presets) {
    await loadPreset(page, name);
    await expect(page.getByTestId('lesson')).not.toBeEmpty();
    await expect(page.getByRole('table', { name: 'Producers' })).toContainText(producer);
    await expect(shardRows(page)).toHaveCount(shards + 1);
  }
  expect(problems).toEqual([]);
});

test('the celebrity preset is diagnosed as a hot key; random suffixes fix it', async ({ page }) => {
  await open(page);
  await loadPreset(page, 'Celebrity hot key');
  const diagnosis = page.getByRole('list', { name: 'Throttled shards diagnosed' });
  await expect(diagnosis).toContainText('Hot key', { timeout: 20_000 });
  await expect(diagnosis).toContainText('"celebrity"');
  await expect(diagnosis).toContainText('more shards will not help');
  await page.screenshot({ path: 'e2e-artifacts/celebrity.png' });

  await loadPreset(page, 'Fixing a hot key with random suffixes');
  await page.waitForTimeout(3000);
  let throttled = 0;
  for (let row = 1; row <= 4; row++) throttled += await cellNumber(page, row, 1);
  expect(throttled).toBe(0);
  await expect(
    page.getByText(
      'No open shard is throttling in the last 5 virtual seconds (closed shards take no writes).',
    ),
  ).toBeVisible();
});

test('fewer keys than shards leaves shards empty; ExplicitHashKey spreads one key everywhere', async ({
  page,
}) => {
  await open(page);
  await loadPreset(page, 'Fewer keys than shards');
  await page.waitForTimeout(2000);
  let used = 0;
  for (let row = 1; row <= 8; row++) if ((await cellNumber(page, row, 0)) > 0) used++;
  expect(used).toBeGreaterThan(0);
  expect(used).toBeLessThanOrEqual(3);

  await loadPreset(page, 'ExplicitHashKey spreads one key');
  await page.waitForTimeout(2000);
  for (let row = 1; row <= 4; row++) expect(await cellNumber(page, row, 0)).toBeGreaterThan(0);
  await expect(page.getByRole('table', { name: 'Hottest partition keys' })).toContainText('device-1');
});

test('the key inspector shows UTF-8 bytes, MD5, the 128-bit hash key and the ShardId', async ({ page }) => {
  const problems = await open(page);
  const form = page.getByRole('form', { name: 'Inspect a key' });
  await form.getByLabel('PartitionKey to inspect').fill('ключ');
  await form.getByRole('button', { name: 'Inspect' }).click();
  const inspection = page.getByRole('definition').filter({ hasText: 'd0 ba d0 bb' });
  await expect(inspection).toBeVisible();
  await expect(page.getByTestId('md5-hex')).toHaveText(
    createHash('md5').update('ключ', 'utf8').digest('hex'),
  );
  await expect(page.getByTestId('hash-key')).toHaveText('259726384039714788407059515981389908711');
  await expect(page.getByTestId('inspected-shard')).toContainText('shardId-000000000003');
  await expect(page.getByText(/Why not "hash mod shard count"\?/)).toBeVisible();

  await form.getByLabel('ExplicitHashKey to inspect (optional)').fill('0');
  await form.getByRole('button', { name: 'Inspect' }).click();
  await expect(page.getByTestId('inspected-shard')).toContainText('shardId-000000000000');
  await form
    .getByLabel('ExplicitHashKey to inspect (optional)')
    .fill('340282366920938463463374607431768211456');
  await form.getByRole('button', { name: 'Inspect' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Invalid ExplicitHashKey' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('hovering or focusing a keyspace range names its shard, range and load', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: /^shardId-000000000002: hash keys/ }).focus();
  await expect(page.getByTestId('keyspace-info')).toContainText(
    'shardId-000000000002: 170141183460469231731687303715884105728 … 255211775190703847597530955573826158591',
  );
});

test('a scenario round-trips through a share link', async ({ page, context }) => {
  await open(page);
  await loadPreset(page, 'Fewer keys than shards');
  await page.getByRole('button', { name: 'Copy share link' }).click();
  const link = await page.getByLabel(/^Share link/).inputValue();
  expect(link).toContain('#scenario=');
  const other = await context.newPage();
  const problems = await open(other, link.replace(/^https?:\/\/[^/]+/, ''));
  await expect(other.getByText(/Scenario .*loaded\./)).toBeVisible();
  await expect(other.getByTestId('lesson')).toContainText('Three keys on eight shards');
  await expect(other.getByRole('table', { name: 'Producers' })).toContainText('tenants');
  await expect(other.getByRole('table', { name: /Shards of/ }).getByRole('row')).toHaveCount(9);
  expect(problems).toEqual([]);

  const broken = await context.newPage();
  await open(broken, '/#scenario=not-a-scenario');
  await expect(broken.getByRole('alert').filter({ hasText: 'The shared link' })).toBeVisible();
  await expect(broken.getByRole('table', { name: /Shards of shardlab-demo/ })).toBeVisible();
});

test('a rejected scenario file gets a clear message and leaves the simulation untouched', async ({
  page,
}) => {
  const problems = await open(page);
  await loadPreset(page, 'Celebrity hot key');
  const input = page.getByLabel('Scenario file to import');
  const files: [string, string, string][] = [
    ['broken.json', '{"version": 1, "seed": ', 'is not JSON'],
    [
      'wrong.json',
      JSON.stringify({ version: 1, seed: -4, speed: 7, stream: {}, producers: [] }),
      'Not a valid Shardlab scenario',
    ],
    ['hostile.json', '{"__proto__": {"polluted": true}, "version": 1}', 'Not a valid Shardlab scenario'],
    ['huge.json', `{"name": "${'x'.repeat(300 * 1024)}"}`, 'KiB'],
  ];
  for (const [name, content, message] of files) {
    await input.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
    await expect(page.getByRole('alert').filter({ hasText: message })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Producers' })).toContainText('timeline');
  }
  expect(await page.evaluate(() => ({}) as Record<string, unknown>)).not.toHaveProperty('polluted');
  expect(problems).toEqual([]);
});

test('a scenario exports to JSON and imports back; charts export CSV and PNG', async ({ page }) => {
  await open(page);
  await loadPreset(page, 'Timestamp as key');
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export scenario JSON' }).click(),
  ]);
  const text = readFileSync((await json.path()) ?? '', 'utf8');
  const scenario = JSON.parse(text) as {
    producers: { spec: { name: string } }[];
    stream: { shardCount: number };
  };
  expect(scenario.producers[0]?.spec.name).toBe('events');
  await loadPreset(page, 'Uniform keys');
  await page
    .getByLabel('Scenario file to import')
    .setInputFiles({ name: 'back.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.getByRole('table', { name: 'Producers' })).toContainText('events');

  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export Key distribution CSV' }).click(),
  ]);
  expect(csv.suggestedFilename()).toBe('shardlab-key-distribution.csv');
  expect(readFileSync((await csv.path()) ?? '', 'utf8')).toMatch(
    /^ShardId,StartingHashKey,EndingHashKey,Accepted,Throttled/,
  );
  for (const title of [
    'Key distribution',
    'Write throughput',
    'Throttling',
    'Retention',
    'Keyspace',
    'Shard lineage',
  ]) {
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Export ${title} PNG` }).click(),
    ]);
    const bytes = readFileSync((await png.path()) ?? '');
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    // The whole chart, not a legend icon: the IHDR chunk holds the width and height.
    expect(bytes.readUInt32BE(16)).toBeGreaterThanOrEqual(700);
    expect(bytes.readUInt32BE(20)).toBeGreaterThanOrEqual(200);
  }
});

test('restarting with the same seed reproduces the run; another seed gives another run', async ({ page }) => {
  await open(page);
  await loadPreset(page, 'Uniform keys');
  await page.getByRole('button', { name: /pause/i }).click();
  const seed = page.getByLabel('Seed');
  const run = async (value: string) => {
    await seed.fill(value);
    await page.getByRole('button', { name: 'Restart with seed' }).click();
    await expect(page.getByText(/Scenario .*loaded\./)).toBeVisible();
    await expect(page.getByLabel('Virtual time', { exact: true })).toContainText('00:00:00.500');
    // Ten one-second steps from the same start: the hot-key table is then a pure function of the seed.
    for (let i = 0; i < 10; i++) await page.getByRole('button', { name: 'Step 1 s' }).click();
    await expect(page.getByLabel('Virtual time', { exact: true })).toContainText('00:00:10.500');
    // The table renders from the deferred view: read it once it has stopped changing.
    const table = page.getByRole('table', { name: 'Hottest partition keys' });
    let text = await table.textContent();
    for (let i = 0; i < 20; i++) {
      await page.waitForTimeout(250);
      const again = await table.textContent();
      if (again === text) break;
      text = again;
    }
    return text;
  };
  const first = await run('123');
  expect(await run('123')).toBe(first);
  expect(await run('124')).not.toBe(first);
  await seed.fill('-1');
  await page.getByRole('button', { name: 'Restart with seed' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The seed must be a whole number' })).toBeVisible();
});
