import { expect, type Page, test } from '@playwright/test';
import { axeViolations, clock, digits, open, whenOf } from './pageHelpers';

// Issue 14: a producer with the AWS SDK's default retries on a throttled shard reaches Kinesis more than
// once per record (amplification > 1) and drops fewer records than one that sends each record once.

async function addProducer(page: Page, name: string, policy: string) {
  const form = page.getByRole('form', { name: 'Add producer' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('API').selectOption('PutRecord');
  await form.getByLabel('Rate (records/s)').fill('3000');
  await form.getByLabel('Stop after seconds (optional)').fill('1');
  await form.getByLabel('Retry policy').selectOption(policy);
  await form.getByRole('button', { name: 'Add producer' }).click();
  await expect(page.getByText(`Producer ${name} added`)).toBeVisible();
}

/** The Retries table's figures of one producer, by column name. */
async function retryRow(page: Page, name: string) {
  const table = page.getByRole('table', { name: 'Retries per producer' });
  const headers = await table.getByRole('columnheader').allTextContents();
  const cells = await table
    .getByRole('row', { name: new RegExp(`^${name} `) })
    .getByRole('cell')
    .allTextContents();
  // The row header (the producer's name) is the first column; cells follow it.
  const at = (header: string) => cells[headers.indexOf(header) - 1] ?? '';
  return {
    made: digits(at('Records made')),
    dropped: digits(at('Dropped after last attempt')),
    waiting: digits(at('Waiting for retry')),
    amplification: Number.parseFloat(at('Amplification')),
  };
}

test('SDK default retries on a throttled shard: amplification above 1 and fewer drops than none', async ({
  page,
}) => {
  const problems = await open(page);
  const create = page.getByRole('form', { name: 'Create stream' });
  await create.getByLabel('StreamName').fill('retry-lab');
  await create.getByLabel('Shard count').fill('1');
  await create.getByRole('button', { name: 'Create stream' }).click();
  await expect(page.getByText('Stream created afresh.')).toBeVisible();
  // One producer after the other, a burst of 3,000 records/s for 1 virtual second on one shard (1,000
  // records/s, 1,000 more saved in its bucket), each starting on a shard that has been idle: the same load,
  // with and without retries. The SDK's retries land in the quiet after the burst, as far as its retry quota
  // allows (under sustained overload it allows few: see the README).
  const done = (name: string) => async () => {
    const r = await retryRow(page, name);
    return r.made === 3000 && r.waiting === 0;
  };
  await addProducer(page, 'send-once', 'none');
  await expect.poll(done('send-once'), { timeout: 40_000 }).toBe(true);
  // Two virtual seconds of quiet: the shard's bucket is full again (1,000 records, refilled in 1 s).
  const quietFrom = whenOf(await clock(page).textContent());
  await expect
    .poll(async () => whenOf(await clock(page).textContent()) - quietFrom, { timeout: 20_000 })
    .toBeGreaterThanOrEqual(2000);
  await addProducer(page, 'sdk-default', 'sdkDefault');
  await expect(page.getByRole('table', { name: 'Producers' })).toContainText('AWS SDK default');
  // Retries end within 3 s of its last record (1,000 ms, then 2,000 ms at most).
  await expect.poll(done('sdk-default'), { timeout: 40_000 }).toBe(true);
  const none = await retryRow(page, 'send-once');
  const sdk = await retryRow(page, 'sdk-default');
  expect(sdk.amplification).toBeGreaterThan(1);
  expect(sdk.dropped).toBeLessThan(none.dropped);
  expect(none.amplification).toBeGreaterThan(1); // attempts per delivered record: the dropped ones count too
  // The charts come with their data tables.
  await page.getByText('Retry charts: end-to-end delay and attempts per 100 ms').click();
  await expect(page.getByRole('heading', { name: 'End-to-end delay of delivered records' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Attempts per 100 ms' })).toBeVisible();
  await page.getByRole('button', { name: 'Show End-to-end delay of delivered records data table' }).click();
  await expect(page.getByRole('table', { name: 'End-to-end delay data' })).toContainText('0 (first attempt)');
  await page.getByRole('button', { name: 'Show Attempts per 100 ms data table' }).click();
  await expect(page.getByRole('table', { name: 'Attempts per lane data' })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test('fault injection: a labelled control that shows its window and how many calls it failed', async ({
  page,
}) => {
  const problems = await open(page);
  const form = page.getByRole('form', { name: 'Add producer' });
  await form.getByLabel('Name').fill('steady');
  await form.getByLabel('API').selectOption('PutRecord');
  await form.getByLabel('Rate (records/s)').fill('200');
  await form.getByLabel('Retry policy').selectOption('sdkDefault');
  await form.getByRole('button', { name: 'Add producer' }).click();
  const faults = page.getByRole('form', { name: 'Inject a fault' });
  await faults.getByLabel('Error').selectOption('InternalFailure');
  await faults.getByLabel('Share of calls (%)').fill('50');
  await faults.getByLabel('Lasts (virtual s)').fill('600');
  await faults.getByRole('button', { name: 'Inject fault' }).click();
  await expect(page.getByText('1 fault set.')).toBeVisible();
  const table = page.getByRole('table', { name: 'Injected faults' });
  await expect(table).toContainText('active');
  await expect
    .poll(async () => digits(await table.getByRole('row').nth(1).getByRole('cell').nth(4).textContent()), {
      timeout: 20_000,
    })
    .toBeGreaterThan(0);
  // Every call it failed is in the error list, InternalFailure shown as Kinesis sends it: with no message.
  await expect(page.getByRole('list', { name: 'Latest errors' })).toContainText(
    'InternalFailure (no message)',
  );
  // An empty share is refused in the form, naming the field; nothing is sent.
  await faults.getByLabel('Share of calls (%)').fill('');
  await faults.getByRole('button', { name: 'Inject fault' }).click();
  await expect(page.getByText('Share of calls: type a share above 0 and at most 100 %.')).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(2);
  // A bad share is refused with its field named, and the fault set stays as it was.
  await faults.getByLabel('Share of calls (%)').fill('150');
  await faults.getByRole('button', { name: 'Inject fault' }).click();
  await expect(page.getByText(/Invalid fault.*share must be above 0 and at most 100 %/)).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(2);
  expect(await axeViolations(page)).toEqual([]);
  await faults.getByRole('button', { name: 'Clear faults' }).click();
  await expect(page.getByText('No faults set.')).toBeVisible();
  expect(problems).toEqual([]);
});
