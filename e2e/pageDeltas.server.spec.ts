// Run against `npm start`'s server (the 'server' project): the page's WebSocket carries what changed
// (snapshot deltas, src/worker/snapshotDelta.ts), not every shard's 120 s of series ten times a second —
// and the numbers the page shows, rebuilt from deltas by its relay worker, are exactly what clients wrote.
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { expect, test } from '@playwright/test';
import { digits, open, shardTable } from './pageHelpers';

test('with 200 shards and a client writing, the page receives a few KiB a second and shows exact counts', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const frames: { at: number; bytes: number }[] = [];
  page.on('websocket', (socket) =>
    socket.on('framereceived', (frame) => frames.push({ at: Date.now(), bytes: frame.payload.length })),
  );
  const kinesis = new KinesisClient({
    endpoint: baseURL,
    region: 'us-east-1',
    credentials: { accessKeyId: 'workshop', secretAccessKey: 'workshop' },
    maxAttempts: 1,
  });
  const name = `wide-${Date.now()}`;
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 200 }));
  await expect
    .poll(async () => {
      const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      return summary.StreamDescriptionSummary?.StreamStatus;
    })
    .toBe('ACTIVE');
  const problems = await open(page);
  // A client's new stream comes on screen by itself while the page has no producers; pick it to be sure.
  await page.getByRole('combobox', { name: 'Stream on screen', exact: true }).selectOption(name);
  await expect(shardTable(page)).toHaveAccessibleName(new RegExp(`^Shards of ${name}: 200 open`));
  expect(frames.length).toBeGreaterThan(0);
  // The whole snapshot the page got when the stream came on screen: the largest message.
  const whole = Math.max(...frames.map((f) => f.bytes));

  // 4 s of a client writing over every shard; the page's received bytes are measured over the last 3 s.
  const landed = new Map<string, number>();
  const started = Date.now();
  let round = 0;
  while (Date.now() - started < 4000) {
    const answer = await kinesis.send(
      new PutRecordsCommand({
        StreamName: name,
        Records: Array.from({ length: 400 }, (_, i) => ({
          PartitionKey: `user-${round}-${i}`,
          Data: new Uint8Array(50),
        })),
      }),
    );
    round++;
    for (const entry of answer.Records ?? [])
      if (entry.ShardId && !entry.ErrorCode) landed.set(entry.ShardId, (landed.get(entry.ShardId) ?? 0) + 1);
  }
  kinesis.destroy();
  const window = frames.filter((f) => f.at >= started + 1000 && f.at < started + 4000);
  const perSecond = window.reduce((sum, f) => sum + f.bytes, 0) / 3;
  const measured = `200 shards: a whole snapshot is ${Math.round(whole / 1024)} KiB; the page received ${Math.round(perSecond / 1024)} KiB/s while a client wrote`;
  test.info().annotations.push({ type: 'page WebSocket', description: measured });
  console.log(measured);
  // Whole snapshots ten times a second would be 10 × `whole` a second.
  expect(window.length).toBeGreaterThan(10);
  expect(perSecond).toBeLessThan(whole);

  // The counts the page draws, rebuilt from deltas, are the client's own.
  const rows = [...landed].slice(0, 5);
  for (const [shardId, count] of rows) {
    const cells = shardTable(page)
      .getByRole('row', { name: new RegExp(`^${shardId}`) })
      .getByRole('cell');
    await expect.poll(async () => digits(await cells.nth(0).textContent())).toBe(count);
  }
  expect(problems).toEqual([]);
});
