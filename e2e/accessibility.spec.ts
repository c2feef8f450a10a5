import { expect, test } from '@playwright/test';
import { axeViolations } from './pageHelpers';

// Every control has a label, contrast holds, tables and figures are well formed: checked with axe-core in
// the states a person sees (a hot-key scenario with throttling, and every chart's data table shown).
test('the page has no WCAG 2.1 A/AA violations that axe-core can detect', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toContainText('Web Worker');
  await page.getByLabel('Preset').selectOption({ label: 'Celebrity hot key' });
  await page.getByRole('button', { name: 'Load preset' }).click();
  await expect(page.getByRole('list', { name: 'Throttled shards diagnosed' })).toBeVisible({
    timeout: 20_000,
  });
  await page.getByRole('button', { name: /pause/i }).click();
  expect(await axeViolations(page)).toEqual([]);

  for (const title of [
    'Keyspace',
    'Shard lineage',
    'Key distribution',
    'Write throughput',
    'Throttling',
    'Retention',
  ]) {
    await page.getByRole('button', { name: `Show ${title} data table` }).click();
  }
  const form = page.getByRole('form', { name: 'Inspect a key' });
  await form.getByRole('button', { name: 'Inspect' }).click();
  await expect(page.getByTestId('hash-key')).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);

  // Resharding: the split form open, a refusal and an acceptance shown, the stream UPDATING.
  await page.getByRole('button', { name: 'Split shardId-000000000000' }).click();
  const split = page.getByRole('form', { name: 'Split shardId-000000000000' });
  await split.getByLabel(/^NewStartingHashKey/).fill('1');
  await split.getByRole('button', { name: 'SplitShard' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'InvalidArgumentException' })).toBeVisible();
  await page.getByRole('form', { name: 'Update shard count' }).getByLabel('TargetShardCount').fill('2');
  await page.getByRole('button', { name: 'UpdateShardCount' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'UpdateShardCount accepted' })).toBeVisible();
  await expect(page.getByTestId('reshard-status').first()).toContainText('UPDATING');
  // The capacity mode switch refused while UPDATING: Kinesis's error inline.
  await page.getByRole('button', { name: 'Switch to ON_DEMAND' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'ResourceInUseException' })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);

  // On-demand: the capacity chart, its data table and the scaling due; then AUTO's notes.
  await page.getByLabel('Preset').selectOption({ label: 'On-demand does not fix a hot key' });
  await page.getByRole('button', { name: 'Load preset' }).click();
  await expect(page.getByTestId('on-demand-scaling')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: /pause/i }).click();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Show On-demand capacity data table' }).click();
  await expect(page.getByRole('table', { name: 'On-demand capacity data' })).toBeVisible();
  await page.getByRole('button', { name: 'Record distribution: switch to AUTO' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'UpdateStreamRecordDistributionStrategy accepted' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Step 1 s' }).click();
  await expect(page.getByTestId('auto-note')).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
});

test('every control can be reached and used with the keyboard', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toContainText('Web Worker');
  // Tab from the top: the skip links first, then the header's toggles (Large type among them), then the
  // play button, in reading order.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to Shards' })).toBeFocused();
  const seen: string[] = [];
  for (let i = 0; i < 10 && !/Pause|Play/.test(seen.at(-1) ?? ''); i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => document.activeElement?.textContent ?? ''));
  }
  expect(seen.indexOf('Large type')).toBeGreaterThan(-1);
  expect(seen.indexOf('Large type')).toBeLessThan(seen.length - 1);
  await expect(page.getByRole('button', { name: /pause|play/i })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: /play/i })).toBeVisible();
  // The put-record form works from the keyboard alone.
  await page.getByRole('form', { name: 'Put one record' }).getByLabel('PartitionKey').focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('b');
  await page.keyboard.press('Enter');
  await expect(page.getByText(/ShardId shardId-000000000002, SequenceNumber/)).toBeVisible();
  // The resharding controls work from the keyboard: Split opens its form with focus in the key field.
  await page.getByRole('button', { name: 'Split shardId-000000000001' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel(/^NewStartingHashKey for shardId-000000000001/)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'SplitShard accepted' })).toBeVisible();
  // The lineage chart describes a shard chosen with the arrow keys.
  await page.getByLabel('Shard to describe').focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('lineage-info')).toContainText('shardId-000000000000 (OPEN): hash keys 0 …');
  // The capacity mode switch works from the keyboard (the stream is UPDATING for the split: refused).
  await page.getByRole('button', { name: 'Switch to ON_DEMAND' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'ResourceInUseException' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Switch to ON_DEMAND' })).toBeFocused();
  // Focus is always visible.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
  expect(outline).not.toBe('none');
});

// A select wrapped in its label: the label's text content takes in the select's options, so a test that looks
// for the control by its label's exact text (Playwright's getByLabel matches that text) missed it. Every
// select — those shown on first load, and those a choice reveals (Record distribution after ON_DEMAND, Jitter
// after a custom backoff, the CloudWatch lens's Period, Statistic and Metrics of) — is found, alone, by its
// label's exact text within its form, toolbar or section (the lens's controls repeat once per chart).
test('every select is found by the exact text of its label, within its region', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toContainText('Web Worker');
  await page
    .getByRole('form', { name: 'Create stream' })
    .getByLabel('Capacity mode')
    .selectOption('ON_DEMAND');
  await page.getByRole('form', { name: 'Add producer' }).getByLabel('Retry policy').selectOption('custom');
  await page
    .getByRole('switch', { name: /CloudWatch lens/ })
    .first()
    .click();
  const selects = page.locator('select:not([aria-label])');
  const count = await selects.count();
  const labels: string[] = [];
  for (let i = 0; i < count; i++) {
    const select = selects.nth(i);
    const label = await select.evaluate((element) => {
      // The label's own words: its text without the text of the controls inside it.
      let text = '';
      for (const node of (element as HTMLSelectElement).labels?.[0]?.childNodes ?? [])
        if (!(node instanceof HTMLSelectElement)) text += node.textContent ?? '';
      return text.trim();
    });
    expect(label, 'a select without a label').not.toBe('');
    labels.push(label);
    const region = select.locator('xpath=ancestor::*[self::form or @role="toolbar" or self::section][1]');
    const found = region.getByLabel(label, { exact: true });
    await expect(found, label).toHaveCount(1);
    expect(
      await found.evaluate((element, other) => element === other, await select.elementHandle()),
      label,
    ).toBe(true);
  }
  for (const revealed of ['Record distribution', 'Jitter', 'Period', 'Statistic'])
    expect(labels).toContain(revealed);
});
