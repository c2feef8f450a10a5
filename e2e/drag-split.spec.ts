import { expect, test } from '@playwright/test';
import { clock, open, shardTable, whenOf } from './pageHelpers';

// Issue 11: drag-to-split on the keyspace bar — press on an open shard's segment, drag, read the exact
// NewStartingHashKey while dragging, release, confirm; after a +1 h jump the two children are in the table.

test('drag on the 2-shard stream’s bar: the exact key while dragging, confirm, two children after +1 h', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const problems = await open(page);
  await page.getByLabel('Preset').selectOption({ label: 'Split the hot shard' });
  await page.getByRole('button', { name: 'Load preset' }).click();
  await expect(page.getByText('Scenario "Split the hot shard" loaded.')).toBeVisible();
  // The drag is a person's gesture, not a race with the simulation: pause while placing the split (a busy
  // machine re-rendering the keyspace ten times a second made the label lag behind the pointer).
  await page.keyboard.press('k');
  await expect(page.getByRole('button', { name: '▶ Play' })).toBeVisible();

  const keyspace = page.getByRole('figure', { name: 'Keyspace' });
  const segment = keyspace.getByRole('button', { name: /^shardId-000000000000: hash keys 0 to \d+/ });
  await segment.scrollIntoViewIfNeeded();
  const box = await segment.boundingBox();
  if (!box) throw new Error('no segment');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.1, y);
  await page.mouse.down();
  // A person's drag: the pointer moves over several frames (a quick one is the next test).
  for (let step = 1; step <= 6; step++) {
    await page.mouse.move(box.x + box.width * (0.1 + (0.15 * step) / 6), y);
    await page.waitForTimeout(40);
  }
  const label = keyspace.getByTestId('keyspace-split-label');
  await expect(label).toContainText(/^Split shardId-000000000000 at NewStartingHashKey \d+$/);
  await expect(keyspace.getByTestId('keyspace-split-marker')).toBeVisible();
  // The key under the pointer, to two pixels, once the label has caught up: measured against where the bar
  // is now (the page may still settle after the preset loads: a scrollbar appearing moves the bar sideways).
  const pointerX = box.x + box.width * 0.25;
  const labelKey = async () => BigInt(((await label.textContent()) ?? '').match(/(\d+)$/)?.[1] ?? '0');
  const underPointer = async () => {
    const now = await segment.boundingBox();
    if (!now) return Number.NaN;
    const k = Number(await labelKey()) / 2 ** 127;
    return Math.abs(k - (pointerX - now.x) / now.width) * now.width;
  };
  await expect
    .poll(underPointer, { message: 'pixels between the label key and the pointer' })
    .toBeLessThan(2);
  const key = await labelKey();
  await keyspace.screenshot({ path: 'e2e-artifacts/drag-split-dragging.png' });
  await page.mouse.up();
  const prompt = keyspace.getByRole('group', { name: 'Confirm split' });
  await expect(prompt).toContainText(`Split shardId-000000000000 at NewStartingHashKey ${key}?`);
  await prompt.getByRole('button', { name: 'Split' }).click();
  await expect(
    keyspace
      .getByRole('status')
      .filter({ hasText: `SplitShard accepted: shardId-000000000000 splits at NewStartingHashKey ${key}` }),
  ).toBeVisible();
  // While UPDATING, no split is offered and the bar says why.
  await expect(keyspace.getByText(/The stream is UPDATING: no split is offered/)).toBeVisible();

  const before = whenOf(await clock(page).textContent());
  await page.getByRole('button', { name: '+1 h' }).click();
  await expect
    .poll(async () => whenOf(await clock(page).textContent()) - before, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(3_600_000);
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 });

  const row = (shardId: string) =>
    shardTable(page)
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: new RegExp(shardId) }) });
  await expect(row('shardId-000000000000')).toContainText('closed');
  await expect(row('shardId-000000000002')).toContainText(`${key - 1n}`);
  await expect(row('shardId-000000000003')).toContainText(`${key}`);
  await expect(row('shardId-000000000003')).toContainText(`${2n ** 127n - 1n}`);
  await expect(keyspace.getByRole('button', { name: /^shardId-00000000000\d: hash keys/ })).toHaveCount(3);
  expect(problems).toEqual([]);
});

test('a quick drag (every move and the release within a frame or two) confirms the key under the pointer', async ({
  page,
}) => {
  const problems = await open(page);
  await page.keyboard.press('k');
  await expect(page.getByRole('button', { name: '▶ Play' })).toBeVisible();
  const keyspace = page.getByRole('figure', { name: 'Keyspace' });
  const segment = keyspace.getByRole('button', { name: /^shardId-000000000000: hash keys 0 to (\d+)/ });
  await segment.scrollIntoViewIfNeeded();
  const box = await segment.boundingBox();
  if (!box) throw new Error('no segment');
  const end = BigInt(((await segment.getAttribute('aria-label')) ?? '').match(/to (\d+)/)?.[1] ?? '0');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.1, y);
  await page.mouse.down();
  for (let step = 1; step <= 6; step++)
    await page.mouse.move(box.x + box.width * (0.1 + (0.15 * step) / 6), y);
  await page.mouse.up();
  // A quarter of the shard's range, to two pixels.
  const prompt = keyspace.getByRole('group', { name: 'Confirm split' });
  await expect(prompt).toContainText('Split shardId-000000000000 at NewStartingHashKey');
  const key = BigInt(((await prompt.textContent()) ?? '').match(/NewStartingHashKey (\d+)/)?.[1] ?? '0');
  const pixel = (end + 1n) / BigInt(Math.max(1, Math.floor(box.width)));
  expect(key > (end + 1n) / 4n - 2n * pixel && key < (end + 1n) / 4n + 2n * pixel).toBe(true);
  expect(problems).toEqual([]);
});

test('keyboard: Enter on a segment, → / Shift+→, Enter, Enter splits; Escape cancels', async ({ page }) => {
  const problems = await open(page);
  const keyspace = page.getByRole('figure', { name: 'Keyspace' });
  const segment = keyspace.getByRole('button', { name: /^shardId-000000000001: hash keys/ });
  await segment.focus();
  await page.keyboard.press('s');
  const label = keyspace.getByTestId('keyspace-split-label');
  await expect(label).toHaveText(
    'Split shardId-000000000001 at NewStartingHashKey 127605887595351923798765477786913079296',
  );
  await page.keyboard.press('Escape');
  await expect(keyspace.getByTestId('keyspace-split-marker')).toHaveCount(0);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Enter');
  await expect(keyspace.getByRole('group', { name: 'Confirm split' })).toContainText(
    'Split shardId-000000000001 at NewStartingHashKey',
  );
  await expect(keyspace.getByRole('button', { name: 'Split', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(keyspace.getByRole('status').filter({ hasText: 'SplitShard accepted' })).toBeVisible();
  expect(problems).toEqual([]);
});
