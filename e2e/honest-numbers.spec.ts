import { expect, type Page, test } from '@playwright/test';
import { axeViolations, clock, digits, loadPreset, open, settled, shardTable, whenOf } from './pageHelpers';

// Issue 9: every number on screen is one the simulation really produced — jumps simulate the skipped time,
// the diagnosis agrees with each preset's lesson at any speed, hot keys are counted where records went.

const diagnosis = (page: Page) => page.getByRole('list', { name: 'Throttled shards diagnosed' });
const hotKeys = (page: Page) => page.getByRole('table', { name: 'Hottest partition keys' });

/** The diagnosis says "Hot key" and never "Hot shard", looked at several times while the simulation runs. */
async function expectOnlyHotKey(page: Page, key?: string) {
  await expect(diagnosis(page)).toContainText('Hot key', { timeout: 20_000 });
  for (let look = 0; look < 5; look++) {
    const text = (await diagnosis(page).textContent()) ?? '';
    expect(text).toContain('Hot key');
    expect(text).not.toContain('Hot shard');
    if (key) expect(text).toContain(`"${key}"`);
    await page.waitForTimeout(400);
  }
}

/** Virtual time on the clock, as epoch ms. */
async function clockMs(page: Page): Promise<number> {
  return whenOf(await clock(page).textContent());
}

async function setSpeed(page: Page, speed: string) {
  await page.getByLabel('Speed').selectOption(speed);
  await expect(page.getByTestId('engine-status')).toBeVisible();
}

test('+24 h of Uniform keys simulates a day of unthrottled traffic', async ({ page }) => {
  test.setTimeout(150_000);
  const problems = await open(page);
  await loadPreset(page, 'Uniform keys');
  await page.getByRole('button', { name: /pause/i }).click();
  await expect(page.getByRole('button', { name: /play/i })).toBeVisible();
  await page.getByRole('button', { name: '+24 h' }).click();
  // The jump runs in slices: its progress may show for a while; it ends a virtual day later.
  await expect(clock(page)).toContainText('2026-01-02', { timeout: 120_000 });
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByRole('button', { name: '+24 h' })).toBeEnabled();
  await page.getByRole('button', { name: 'Step 1 s' }).click();
  await expect(page.getByRole('button', { name: 'Step 1 s' })).toBeEnabled();
  await settled(shardTable(page));

  const rows = shardTable(page).getByRole('row');
  await expect(rows).toHaveCount(5);
  await expect(rows.filter({ hasText: 'Throttling now' })).toHaveCount(0);
  let accepted = 0;
  for (let row = 1; row <= 4; row++) {
    const cells = rows.nth(row).getByRole('cell');
    const shardAccepted = digits(await cells.nth(0).textContent());
    expect(digits(await cells.nth(1).textContent())).toBe(0);
    // Each of the 4 shards takes about a quarter of the day.
    expect(shardAccepted).toBeGreaterThan(0.2 * 3200 * 86_400);
    expect(shardAccepted).toBeLessThan(0.3 * 3200 * 86_400);
    accepted += shardAccepted;
  }
  // orders sends 3,200 records/s: a day is 276,480,000 records (plus the seconds played before the pause).
  expect(accepted).toBeGreaterThan(0.97 * 3200 * 86_400);
  expect(accepted).toBeLessThan(1.03 * 3200 * 86_400);
  await expect(page.getByText(/No open shard is throttling in the last 5 virtual seconds/)).toBeVisible();
  // The producer's own counts agree: every record it sent was accepted (cells: State, Attempted,
  // Accepted, Throttled, Rejected, Actions; its name is the row header).
  const producer = page.getByRole('table', { name: 'Producers' }).getByRole('row').nth(1).getByRole('cell');
  const attempted = digits(await producer.nth(1).textContent());
  expect(attempted).toBeGreaterThan(0.97 * 3200 * 86_400);
  expect(digits(await producer.nth(2).textContent())).toBe(attempted);
  expect(digits(await producer.nth(3).textContent())).toBe(0);
  expect(digits(await producer.nth(4).textContent())).toBe(0);
  expect(problems).toEqual([]);
});

test('Timestamp as key is a hot key at 1× and at 3600×', async ({ page }) => {
  const problems = await open(page);
  await loadPreset(page, 'Timestamp as key');
  // At 1×: each second's records share one key (the second), which alone is over one shard's limit.
  await page.waitForTimeout(3000);
  await expectOnlyHotKey(page);
  await setSpeed(page, '3600');
  await page.waitForTimeout(2000);
  await expectOnlyHotKey(page);
  expect(problems).toEqual([]);
});

test('Celebrity at 3600× lists "celebrity" with its throttled count and calls it a hot key', async ({
  page,
}) => {
  const problems = await open(page);
  await loadPreset(page, 'Celebrity hot key');
  await setSpeed(page, '3600');
  await page.waitForTimeout(2000);
  await expectOnlyHotKey(page, 'celebrity');
  const celebrity = hotKeys(page).getByRole('row', { name: /^celebrity/ });
  await expect(celebrity).toHaveCount(1);
  // Cells after the key: ShardId, attempts, bytes, throttled, busiest second.
  await expect
    .poll(async () => digits(await celebrity.getByRole('cell').nth(3).textContent()), { timeout: 15_000 })
    .toBeGreaterThan(0);
  const attempts = digits(await celebrity.getByRole('cell').nth(1).textContent());
  // Half of 2,400 records/s over the 5-second window.
  expect(attempts).toBeGreaterThan(0.7 * 1200 * 5);
  expect(attempts).toBeLessThan(1.3 * 1200 * 5);
  // Fast-forward is simulated in aggregate, and the views built from it say so.
  await expect(page.getByTestId('aggregate-note').first()).toContainText('Aggregate simulation');
  await expect(hotKeys(page)).toContainText('over the last 5 virtual seconds');
  // Records simulated in aggregate are held as counts: the retention chart says at what resolution.
  await expect(page.getByTestId('count-resolution')).toContainText(
    /Records held as counts expire in [\d,]+ (s|ms) buckets: up to .+ late, never early\./,
  );
  await page.getByRole('button', { name: /pause/i }).click();
  expect(await axeViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test('ExplicitHashKey spreads device-1 over all 4 shards, and the hot keys table shows it', async ({
  page,
}) => {
  const problems = await open(page);
  await loadPreset(page, 'ExplicitHashKey spreads one key');
  await page.getByRole('button', { name: /pause/i }).click();
  await expect(page.getByRole('button', { name: /play/i })).toBeVisible();
  // Six whole virtual seconds, record by record: the 5-second window is full.
  for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'Step 1 s' }).click();
  await settled(hotKeys(page));
  const rows = hotKeys(page).getByRole('row', { name: /^device-1/ });
  await expect(rows).toHaveCount(4);
  const shards = new Set<string>();
  const counts: number[] = [];
  for (let i = 0; i < 4; i++) {
    const cells = rows.nth(i).getByRole('cell');
    shards.add((await cells.nth(0).textContent()) ?? '');
    counts.push(digits(await cells.nth(1).textContent()));
    await expect(rows.nth(i)).toContainText('ExplicitHashKey');
  }
  expect([...shards].sort()).toEqual([0, 1, 2, 3].map((n) => `shardId-00000000000${n}`));
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  // 3,000 records/s for 5 seconds, a quarter on each shard.
  expect(mean).toBeGreaterThan(0.7 * 3750);
  for (const count of counts) {
    expect(count).toBeGreaterThan(0.7 * mean);
    expect(count).toBeLessThan(1.3 * mean);
  }
  expect(problems).toEqual([]);
});

test('a long jump shows its progress and can be cancelled, leaving the clock where it got to', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const problems = await open(page);
  const stream = page.getByRole('form', { name: 'Create stream' });
  await stream.getByLabel('StreamName').fill('big');
  await stream.getByLabel('Shard count').fill('200');
  await stream.getByRole('button', { name: 'Create stream' }).click();
  await expect(shardTable(page).getByRole('row')).toHaveCount(201);
  const producer = page.getByRole('form', { name: 'Add producer' });
  await producer.getByLabel('Rate (records/s)').fill('200000');
  await producer.getByLabel('Distinct keys (N)').fill('10000');
  await producer.getByRole('button', { name: 'Add producer' }).click();
  await expect(page.getByRole('table', { name: 'Producers' })).toContainText('running');
  await page.getByRole('button', { name: /pause/i }).click();
  await expect(page.getByRole('button', { name: /play/i })).toBeVisible();
  const start = await clockMs(page);

  await page.getByRole('button', { name: '+24 h' }).click();
  const progress = page.getByRole('progressbar', { name: /^Jumping \+24 h: \d+ %$/ });
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute('aria-valuenow', /^\d+$/);
  for (const name of ['Step 1 s', '+1 h', '+24 h'])
    await expect(page.getByRole('button', { name, exact: true })).toBeDisabled();
  await page.getByRole('button', { name: 'Cancel jump' }).click();
  // A cancel keeps what was simulated and settles the last minutes second by second, then stops.
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByRole('button', { name: '+24 h' })).toBeEnabled();
  const end = await clockMs(page);
  expect(end).toBeGreaterThan(start);
  expect(end).toBeLessThan(start + 24 * 3_600_000);
  expect(problems).toEqual([]);
});
