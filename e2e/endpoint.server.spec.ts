// Issue 12, run against `npm start`'s server (the 'server' project in playwright.config.ts): real clients
// (the AWS SDK for JavaScript v3, its default HTTP/2 client) write through the Kinesis endpoint, and the page
// — opened afterwards, or open while they write — shows the same records on the same ShardIds.
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { expect, type Page, test } from '@playwright/test';
import { axeViolations, digits, frameWindows, open, shardTable } from './pageHelpers';

function kinesisAt(endpoint: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'workshop', secretAccessKey: 'workshop' },
    // The test wants to see each answer, throttling included, not the SDK's retries.
    maxAttempts: 1,
  });
}

async function createActiveStream(kinesis: KinesisClient, name: string, shards: number): Promise<void> {
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await expect
    .poll(async () => {
      const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      return summary.StreamDescriptionSummary?.StreamStatus;
    })
    .toBe('ACTIVE');
}

/** The Accepted and Throttled (total) cells of one shard's row. */
async function shardCounts(page: Page, shardId: string): Promise<{ accepted: number; throttled: number }> {
  const cells = shardTable(page)
    .getByRole('row', { name: new RegExp(`^${shardId}`) })
    .getByRole('cell');
  return {
    accepted: digits(await cells.nth(0).textContent()),
    throttled: digits(await cells.nth(1).textContent()),
  };
}

test.describe.configure({ mode: 'serial' });

test('records a client wrote before the page opened are on the ShardIds the client was told', async ({
  page,
  baseURL,
}) => {
  const kinesis = kinesisAt(baseURL ?? '');
  const name = `clicks-${Date.now()}`;
  await createActiveStream(kinesis, name, 4);
  const landed = new Map<string, number>();
  for (let i = 1; i <= 24; i++) {
    const answer = await kinesis.send(
      new PutRecordCommand({
        StreamName: name,
        PartitionKey: `user-${i}`,
        Data: new TextEncoder().encode('hi'),
      }),
    );
    const shardId = answer.ShardId ?? '';
    landed.set(shardId, (landed.get(shardId) ?? 0) + 1);
  }
  kinesis.destroy();
  expect(landed.size).toBeGreaterThan(1);

  const problems = await open(page);
  await expect(page.getByTestId('engine-status')).toContainText('on the Shardlab server');
  await expect(page.getByRole('region', { name: 'Your own producer' })).toContainText(
    `Kinesis endpoint: ${baseURL}`,
  );
  // The stream a client created is on screen, and the picker lists it.
  await expect(page.getByLabel('Stream on screen')).toHaveValue(name);
  await expect(shardTable(page)).toHaveAccessibleName(new RegExp(`^Shards of ${name}: 4 open`));
  for (const [shardId, count] of landed) {
    await expect.poll(async () => (await shardCounts(page, shardId)).accepted).toBe(count);
  }
  // The endpoint panel's example commands name the endpoint and the stream on screen.
  await page.getByText('Example commands').click();
  await expect(page.getByRole('region', { name: 'Your own producer' })).toContainText(
    `aws kinesis put-record --stream-name ${name} --partition-key user-1 --data aGk= --endpoint-url ${baseURL}`,
  );
  expect(await axeViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test('a client over 1,000 records/s on one shard is throttled, and the page counts exactly what it was refused', async ({
  page,
  baseURL,
}) => {
  const problems = await open(page);
  const kinesis = kinesisAt(baseURL ?? '');
  const name = `hot-${Date.now()}`;
  await createActiveStream(kinesis, name, 2);
  await expect(page.getByLabel('Stream on screen')).toHaveValue(name);
  // 2,000 records with one key, as fast as the client can: one shard takes 1,000 a second.
  let refused = 0;
  let shardId = '';
  for (let batch = 0; batch < 4; batch++) {
    const answer = await kinesis.send(
      new PutRecordsCommand({
        StreamName: name,
        Records: Array.from({ length: 500 }, () => ({
          PartitionKey: 'celebrity',
          Data: new Uint8Array(10),
        })),
      }),
    );
    refused += answer.FailedRecordCount ?? 0;
    for (const entry of answer.Records ?? []) {
      if (entry.ShardId) shardId = entry.ShardId;
      if (entry.ErrorCode) expect(entry.ErrorCode).toBe('ProvisionedThroughputExceededException');
    }
  }
  kinesis.destroy();
  expect(refused).toBeGreaterThan(0);
  await expect.poll(async () => (await shardCounts(page, shardId)).throttled).toBe(refused);
  expect((await shardCounts(page, shardId)).accepted).toBe(2000 - refused);
  await expect(page.getByRole('list', { name: 'Latest errors' })).toContainText(
    `Rate exceeded for shard ${shardId} in stream ${name} under account`,
  );
  expect(problems).toEqual([]);
});

// While clients write 20,000 records/s, the page keeps ≥ 50 frames/s.
test('the page keeps 50 frames/s while clients write 20,000 records/s', async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  await open(page);
  const kinesis = kinesisAt(baseURL ?? '');
  const name = `load-${Date.now()}`;
  await createActiveStream(kinesis, name, 100);
  await expect(page.getByLabel('Stream on screen')).toHaveValue(name);
  let writing = true;
  let acknowledged = 0;
  const data = new Uint8Array(100);
  // 40 PutRecords of 500 a second, paced by the wall clock, with distinct keys spread over 100 shards.
  const writer = (async () => {
    const started = Date.now();
    let sent = 0;
    while (writing) {
      const due = Math.floor(((Date.now() - started) / 1000) * 40);
      if (sent >= due) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      sent++;
      const answer = await kinesis.send(
        new PutRecordsCommand({
          StreamName: name,
          Records: Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `k-${sent}-${i}`, Data: data })),
        }),
      );
      acknowledged += 500 - (answer.FailedRecordCount ?? 0);
    }
  })();
  await page.waitForTimeout(2000);
  const startAcknowledged = acknowledged;
  const startMs = Date.now();
  const windows = await frameWindows(page, 50);
  const rate = ((acknowledged - startAcknowledged) * 1000) / (Date.now() - startMs);
  writing = false;
  await writer;
  kinesis.destroy();
  console.log(
    `endpoint load: ${JSON.stringify({ framesPerSecondWindows: windows.map((f) => Number(f.toFixed(1))), recordsPerSecond: Math.round(rate) })}`,
  );
  expect(rate).toBeGreaterThanOrEqual(19_000);
  expect(Math.max(...windows)).toBeGreaterThanOrEqual(50);
});
