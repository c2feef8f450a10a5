// @vitest-environment node
// The engine answers the real AWS SDK for JavaScript v3: its requests (awsJson1_1, base64 blobs, epoch-second
// timestamps) go through dispatch via a request handler, and its parsers read our responses and errors.
import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DescribeLimitsCommand,
  DescribeStreamSummaryCommand,
  DryRunOperationException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  IncreaseStreamRetentionPeriodCommand,
  InvalidArgumentException,
  KinesisClient,
  LimitExceededException,
  ListShardsCommand,
  ListStreamsCommand,
  ListTagsForStreamCommand,
  MergeShardsCommand,
  ProvisionedThroughputExceededException,
  PutRecordCommand,
  PutRecordsCommand,
  RemoveTagsFromStreamCommand,
  ResourceNotFoundException,
  type ShardFilter,
  SplitShardCommand,
  UpdateMaxRecordSizeCommand,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import { type HttpRequest, HttpResponse } from '@smithy/protocol-http';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../index';

function clientFor(engine: Engine): KinesisClient {
  return new KinesisClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:4567',
    credentials: { accessKeyId: 'shardlab', secretAccessKey: 'shardlab' },
    maxAttempts: 1, // the SDK retries throttling by itself; these tests want to see the first answer
    requestHandler: {
      async handle(request: HttpRequest) {
        const target = request.headers['x-amz-target'] ?? '';
        const body =
          typeof request.body === 'string'
            ? request.body
            : new TextDecoder().decode(request.body as Uint8Array);
        const answer = engine.dispatch(target, body);
        return {
          response: new HttpResponse({
            statusCode: answer.status,
            headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'shardlab' },
            body: Buffer.from(answer.body),
          }),
        };
      },
    },
  });
}

describe('the engine behind the AWS SDK for JavaScript v3', () => {
  it('creates a stream, puts records and reads them back', async () => {
    const engine = createEngine({ seed: 3 });
    const kinesis = clientFor(engine);
    await kinesis.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 4 }));
    engine.advanceTime(500);
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'orders' }));
    expect(summary.StreamDescriptionSummary?.StreamStatus).toBe('ACTIVE');
    expect(summary.StreamDescriptionSummary?.OpenShardCount).toBe(4);
    expect(summary.StreamDescriptionSummary?.StreamCreationTimestamp).toBeInstanceOf(Date);

    const put = await kinesis.send(
      new PutRecordCommand({
        StreamName: 'orders',
        PartitionKey: 'b',
        Data: new TextEncoder().encode('héllo'),
      }),
    );
    expect(put.ShardId).toBe('shardId-000000000002');
    expect(put.SequenceNumber).toMatch(/^\d{56}$/);

    const batch = await kinesis.send(
      new PutRecordsCommand({
        StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/orders',
        Records: [
          { PartitionKey: 'b', Data: new Uint8Array([1, 2, 3]) },
          { PartitionKey: 'x', Data: new Uint8Array(0), ExplicitHashKey: '0' },
        ],
      }),
    );
    expect(batch.FailedRecordCount).toBe(0);
    expect(batch.Records?.map((r) => r.ShardId)).toEqual(['shardId-000000000002', 'shardId-000000000000']);

    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: 'orders',
        ShardId: 'shardId-000000000002',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const read = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    expect(read.Records?.map((r) => new TextDecoder().decode(r.Data))).toEqual([
      'héllo',
      '\u0001\u0002\u0003',
    ]);
    expect(read.Records?.[0]?.PartitionKey).toBe('b');
    expect(read.Records?.[0]?.SequenceNumber).toBe(put.SequenceNumber);
    expect(read.Records?.[0]?.ApproximateArrivalTimestamp).toEqual(new Date(engine.now()));
    expect(read.MillisBehindLatest).toBe(0);

    const shards = await kinesis.send(new ListShardsCommand({ StreamName: 'orders' }));
    expect(shards.Shards?.[3]?.HashKeyRange?.EndingHashKey).toBe('340282366920938463463374607431768211455');
    const streams = await kinesis.send(new ListStreamsCommand({}));
    expect(streams.StreamNames).toEqual(['orders']);
  });

  it('surfaces Kinesis errors as the SDK exception classes, with the messages AWS sends', async () => {
    const engine = createEngine({ transitionMs: 0 });
    const kinesis = clientFor(engine);
    await expect(
      kinesis.send(new PutRecordCommand({ StreamName: 'nope', PartitionKey: 'k', Data: new Uint8Array(1) })),
    ).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof ResourceNotFoundException &&
        e.message === 'Stream nope under account 000000000000 not found.',
    );
    await kinesis.send(new CreateStreamCommand({ StreamName: 's', ShardCount: 1 }));
    await expect(
      kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 's', RetentionPeriodHours: 9000 })),
    ).rejects.toBeInstanceOf(InvalidArgumentException);
    await expect(
      kinesis.send(new PutRecordCommand({ StreamName: 's', PartitionKey: '', Data: new Uint8Array(1) })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value '' at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1",
      $metadata: { httpStatusCode: 400 },
    });
    const records = Array.from({ length: 500 }, (_, i) => ({
      PartitionKey: `k${i}`,
      Data: new Uint8Array(10),
    }));
    await kinesis.send(new PutRecordsCommand({ StreamName: 's', Records: records }));
    await kinesis.send(new PutRecordsCommand({ StreamName: 's', Records: records }));
    const third = await kinesis.send(new PutRecordsCommand({ StreamName: 's', Records: records }));
    expect(third.FailedRecordCount).toBe(500);
    expect(third.Records?.[0]).toEqual({
      ErrorCode: 'ProvisionedThroughputExceededException',
      ErrorMessage: 'Rate exceeded for shard shardId-000000000000 in stream s under account 000000000000.',
    });
    await expect(
      kinesis.send(new PutRecordCommand({ StreamName: 's', PartitionKey: 'k', Data: new Uint8Array(1) })),
    ).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof ProvisionedThroughputExceededException &&
        e.message === 'Rate exceeded for shard shardId-000000000000 in stream s under account 000000000000.',
    );
  });

  it('DescribeLimits, UpdateMaxRecordSize, DryRun and the on-demand summary through the SDK [model §15]', async () => {
    const engine = createEngine({ transitionMs: 0, accountLimits: { onDemandStreamCountLimit: 1 } });
    const kinesis = clientFor(engine);
    await kinesis.send(new CreateStreamCommand({ StreamName: 'p', ShardCount: 3 }));
    await kinesis.send(
      new CreateStreamCommand({ StreamName: 'od', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }),
    );
    const { $metadata, ...limits } = await kinesis.send(new DescribeLimitsCommand({}));
    expect($metadata.httpStatusCode).toBe(200);
    expect(limits).toEqual({
      ShardLimit: 20_000,
      OpenShardCount: 3,
      OnDemandStreamCount: 1,
      OnDemandStreamCountLimit: 1,
    });
    await expect(
      kinesis.send(
        new CreateStreamCommand({ StreamName: 'od2', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }),
      ),
    ).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof LimitExceededException &&
        e.message ===
          'This request would exceed the limit on the number of On-Demand streams for the account 000000000000 in us-east-1. Current On-Demand streams count: 1. Limit: 1.',
    );
    const od = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'od' }));
    expect(od.StreamDescriptionSummary?.RecordDistributionStrategy).toBe('USER_PARTITION_KEY');

    const updated = await kinesis.send(
      new UpdateMaxRecordSizeCommand({
        StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/p',
        MaxRecordSizeInKiB: 2048,
      }),
    );
    expect(updated.$metadata.httpStatusCode).toBe(200);
    const p = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'p' }));
    expect(p.StreamDescriptionSummary?.MaxRecordSizeInKiB).toBe(2048);
    expect(p.StreamDescriptionSummary?.RecordDistributionStrategy).toBeUndefined();

    await expect(
      kinesis.send(
        new PutRecordCommand({ StreamName: 'p', PartitionKey: 'k', Data: new Uint8Array(1), DryRun: true }),
      ),
    ).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof DryRunOperationException &&
        e.message === 'The request would have succeeded, but the DryRun parameter was set.' &&
        e.$metadata.httpStatusCode === 400,
    );
    await expect(
      kinesis.send(
        new GetShardIteratorCommand({
          StreamName: 'p',
          ShardId: 'shardId-000000000000',
          ShardIteratorType: 'LATEST',
          DryRun: true,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded for DryRun requests on stream p under account 000000000000.',
    });
    expect(engine.core.counters).toEqual({ accepted: 0, throttled: 0, rejected: 0 });
  });

  it('tags through the SDK: CreateStream Tags, AddTagsToStream, ListTagsForStream, RemoveTagsFromStream', async () => {
    const engine = createEngine({ seed: 3, transitionMs: 0 });
    const kinesis = clientFor(engine);
    await kinesis.send(
      new CreateStreamCommand({ StreamName: 'tagged', ShardCount: 1, Tags: { team: 'blue' } }),
    );
    const added = await kinesis.send(
      new AddTagsToStreamCommand({ StreamName: 'tagged', Tags: { env: 'dev' } }),
    );
    expect(added.$metadata.httpStatusCode).toBe(200);
    await kinesis.send(new RemoveTagsFromStreamCommand({ StreamName: 'tagged', TagKeys: ['team'] }));
    const listed = await kinesis.send(new ListTagsForStreamCommand({ StreamName: 'tagged' }));
    expect(listed.Tags).toEqual([{ Key: 'env', Value: 'dev' }]);
    expect(listed.HasMoreTags).toBe(false);
    const refused = kinesis.send(new AddTagsToStreamCommand({ StreamName: 'tagged', Tags: { 'a%': 'b' } }));
    await expect(refused).rejects.toBeInstanceOf(InvalidArgumentException);
  });

  it("ListShards' ShardFilter through the SDK: AT_TIMESTAMP and FROM_TIMESTAMP take a Date, as the KCL sends them", async () => {
    const engine = createEngine({ transitionMs: 0, reshardMs: 0 });
    const kinesis = clientFor(engine);
    await kinesis.send(new CreateStreamCommand({ StreamName: 'f', ShardCount: 1 }));
    engine.advanceTime(5_000);
    const beforeSplit = new Date(engine.now());
    await kinesis.send(
      new SplitShardCommand({
        StreamName: 'f',
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (1n << 127n).toString(),
      }),
    );
    engine.advanceTime(5_000);
    const ids = async (ShardFilter: ShardFilter) =>
      (await kinesis.send(new ListShardsCommand({ StreamName: 'f', ShardFilter }))).Shards?.map((s) =>
        s.ShardId?.slice(-1),
      );
    expect(await ids({ Type: 'AT_TIMESTAMP', Timestamp: beforeSplit })).toEqual(['0']);
    expect(await ids({ Type: 'AT_TIMESTAMP', Timestamp: new Date(engine.now()) })).toEqual(['1', '2']);
    expect(await ids({ Type: 'FROM_TIMESTAMP', Timestamp: beforeSplit })).toEqual(['0', '1', '2']);
    expect(await ids({ Type: 'AT_TRIM_HORIZON' })).toEqual(['0']);
    await expect(
      kinesis.send(new ListShardsCommand({ StreamName: 'f', ShardFilter: { Type: 'AT_TIMESTAMP' } })),
    ).rejects.toMatchObject({
      name: 'InvalidArgumentException',
      message: 'ShardFilter of type AT_TIMESTAMP must specify a Timestamp.',
    });
  });

  it('SplitShard, MergeShards and UpdateShardCount through the SDK [model §9, §15.4]', async () => {
    const engine = createEngine({ transitionMs: 0, reshardMs: 1000, shardCountUpdateMs: 1000 });
    const kinesis = clientFor(engine);
    await kinesis.send(new CreateStreamCommand({ StreamName: 'r', ShardCount: 2 }));
    const split = await kinesis.send(
      new SplitShardCommand({
        StreamName: 'r',
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (1n << 126n).toString(),
      }),
    );
    expect(split.$metadata.httpStatusCode).toBe(200);
    engine.advanceTime(1000);
    await kinesis.send(
      new MergeShardsCommand({
        StreamName: 'r',
        ShardToMerge: 'shardId-000000000002',
        AdjacentShardToMerge: 'shardId-000000000003',
      }),
    );
    engine.advanceTime(1000);
    const { $metadata, ...scaled } = await kinesis.send(
      new UpdateShardCountCommand({ StreamName: 'r', TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }),
    );
    expect($metadata.httpStatusCode).toBe(200);
    expect(scaled).toEqual({
      StreamName: 'r',
      CurrentShardCount: 2,
      TargetShardCount: 4,
      StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/r',
    });
    engine.advanceTime(1000);
    const listed = await kinesis.send(
      new ListShardsCommand({ StreamName: 'r', ShardFilter: { Type: 'AT_LATEST' } }),
    );
    expect(listed.Shards?.map((s) => s.ShardId)).toHaveLength(4);
    await expect(
      kinesis.send(
        new MergeShardsCommand({
          StreamName: 'r',
          ShardToMerge: 'shardId-000000000000',
          AdjacentShardToMerge: 'shardId-000000000001',
        }),
      ),
    ).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof Error &&
        e.name === 'InvalidArgumentException' &&
        e.message.endsWith(
          'has already been merged or split, and thus is not eligible for merging or splitting.',
        ),
    );
  });
});
