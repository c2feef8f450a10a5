// @vitest-environment node
// The real AWS SDK for JavaScript v3 against a started server, over the network: its default client (HTTP/2
// with prior knowledge, NodeHttp2Handler) and the same client with an HTTP/1.1 handler (NodeHttpHandler).
// Each answer is checked against Kinesis's rules [model §1, §4, §5, §6, §10, §11] and, where determinism
// allows, byte for byte against an in-process engine given the same call.
import { createHash } from 'node:crypto';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type DescribeStreamSummaryCommandOutput,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  ProvisionedThroughputExceededException,
  PutRecordCommand,
  PutRecordsCommand,
  ResourceNotFoundException,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { type HttpRequest, HttpResponse } from '@smithy/protocol-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine';
import { type ShardlabServer, startServer } from './server';
import { Session } from './session';

const ACCOUNT = '000000000000';
const TARGET = 'Kinesis_20131202.';
const credentials = { accessKeyId: 'shardlab', secretAccessKey: 'shardlab' };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let session: Session;
let server: ShardlabServer;
let endpoint: string;

beforeAll(async () => {
  session = new Session();
  server = await startServer({ session, port: 0 });
  session.start();
  endpoint = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  session.stop();
});

type Protocol = 'HTTP/2' | 'HTTP/1.1';
type RequestHandler = NodeHttp2Handler | NodeHttpHandler;
type HandleOptions = Parameters<NodeHttp2Handler['handle']>[1];

/** One exchange as it crossed the wire: the target, the request body the SDK sent and the bytes it got. */
interface Exchange {
  target: string;
  requestBody: string;
  status: number;
  responseBody: string;
}

/**
 * A request handler that passes every request to a real one and keeps the exchange, so a test can compare
 * the bytes the endpoint sent with what an in-process engine answers to the very same request body.
 */
class RecordingHandler {
  readonly exchanges: Exchange[] = [];
  private readonly inner: RequestHandler;
  constructor(inner: RequestHandler) {
    this.inner = inner;
  }

  async handle(request: HttpRequest, options?: HandleOptions): Promise<{ response: HttpResponse }> {
    const { response } = await this.inner.handle(request, options);
    const chunks: Buffer[] = [];
    for await (const chunk of response.body as AsyncIterable<Buffer>) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    this.exchanges.push({
      target: request.headers['x-amz-target'] ?? '',
      requestBody:
        typeof request.body === 'string'
          ? request.body
          : new TextDecoder().decode(request.body as Uint8Array),
      status: response.statusCode,
      responseBody: bytes.toString('utf8'),
    });
    response.body = new Uint8Array(bytes);
    return { response };
  }

  destroy(): void {
    this.inner.destroy();
  }
}

/** The handler each protocol is spoken with; undefined is the SDK's own default (NodeHttp2Handler). */
function handlerFor(protocol: Protocol): RequestHandler {
  return protocol === 'HTTP/2' ? new NodeHttp2Handler() : new NodeHttpHandler();
}

/** The response headers of every call a client makes (read after the SDK has parsed the body). */
function watchResponseHeaders(client: KinesisClient): Array<Record<string, string>> {
  const seen: Array<Record<string, string>> = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      if (HttpResponse.isInstance(out.response)) seen.push(out.response.headers);
      return out;
    },
    { step: 'deserialize', name: 'shardlabWatchHeaders' },
  );
  return seen;
}

async function waitUntilActive(client: KinesisClient, streamName: string) {
  let last: DescribeStreamSummaryCommandOutput | undefined;
  for (let attempt = 0; attempt < 100; attempt++) {
    last = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (last.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return last;
    await sleep(50);
  }
  throw new Error(`${streamName} is still ${last?.StreamDescriptionSummary?.StreamStatus} after 5 s`);
}

/** A fresh in-process engine holding the same stream layout (name, shard count), ACTIVE. */
function engineWithStream(streamName: string, shardCount: number): Engine {
  const engine = createEngine();
  const created = engine.dispatch(
    `${TARGET}CreateStream`,
    JSON.stringify({ StreamName: streamName, ShardCount: shardCount }),
  );
  if (created.status !== 200) throw new Error(created.body);
  engine.advanceTime(engine.core.transitionMs);
  return engine;
}

/** The shard whose hash key range holds MD5(partition key), computed here from the ListShards ranges [model §1]. */
function shardOfKey(shards: Shard[], partitionKey: string): string | undefined {
  const hashKey = BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
  return shards.find(
    (shard) =>
      BigInt(shard.HashKeyRange?.StartingHashKey ?? '-1') <= hashKey &&
      hashKey <= BigInt(shard.HashKeyRange?.EndingHashKey ?? '-1'),
  )?.ShardId;
}

/** A body with what only the wall clock decides (creation instants, the sequence numbers they give) masked. */
function withoutInstants(body: string): string {
  return body
    .replace(/"(\w*SequenceNumber)":"\d+"/g, '"$1":"<seq>"')
    .replace(/"(\w*Timestamp)":[\d.]+/g, '"$1":<time>');
}

describe.each<Protocol>(['HTTP/2', 'HTTP/1.1'])('the AWS SDK v3 over %s against the endpoint', (protocol) => {
  const streamName = `sdk-${protocol === 'HTTP/2' ? 'h2' : 'h1'}`;
  let client: KinesisClient;
  let headers: Array<Record<string, string>>;

  beforeAll(() => {
    client =
      protocol === 'HTTP/2'
        ? new KinesisClient({ endpoint, region: 'us-east-1', credentials })
        : new KinesisClient({
            endpoint,
            region: 'us-east-1',
            credentials,
            requestHandler: new NodeHttpHandler(),
          });
    headers = watchResponseHeaders(client);
  });
  afterAll(() => client.destroy());

  it('creates a stream that becomes ACTIVE, spoken over the protocol under test', async () => {
    const created = await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 4 }));
    expect(created.$metadata.httpStatusCode).toBe(200);
    const summary = await waitUntilActive(client, streamName);
    expect(summary.StreamDescriptionSummary).toMatchObject({
      StreamName: streamName,
      StreamARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${streamName}`,
      StreamStatus: 'ACTIVE',
      OpenShardCount: 4,
      RetentionPeriodHours: 24,
    });
    expect(summary.StreamDescriptionSummary?.StreamCreationTimestamp).toBeInstanceOf(Date);
    // Node's HTTP/1.1 server always says whether it keeps the connection; HTTP/2 forbids that header.
    expect(headers.length).toBeGreaterThan(1);
    for (const seen of headers) {
      expect(seen['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
      if (protocol === 'HTTP/2') expect(seen.connection).toBeUndefined();
      else expect(seen.connection).toBe('keep-alive');
    }
  });

  it('PutRecord lands on the shard whose hash key range holds MD5(partition key), as in the engine', async () => {
    const engine = engineWithStream(streamName, 4);
    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
    expect(Shards).toHaveLength(4);
    const landed = new Set<string>();
    for (const key of ['a', 'b', 'c', 'orders-17', 'user-2048', 'ü-ключ', '🦀']) {
      const put = await client.send(
        new PutRecordCommand({
          StreamName: streamName,
          PartitionKey: key,
          Data: new TextEncoder().encode(key),
        }),
      );
      const inEngine = engine.dispatch(
        `${TARGET}PutRecord`,
        JSON.stringify({ StreamName: streamName, PartitionKey: key, Data: 'eA==' }),
      );
      expect(put.ShardId).toBe((JSON.parse(inEngine.body) as { ShardId: string }).ShardId);
      expect(put.ShardId).toBe(shardOfKey(Shards, key));
      expect(put.SequenceNumber).toMatch(/^\d{56}$/);
      landed.add(put.ShardId ?? '');
    }
    expect(landed.size).toBeGreaterThan(1);
    // An ExplicitHashKey overrides the partition key's hash [model §1].
    const explicit = await client.send(
      new PutRecordCommand({
        StreamName: streamName,
        PartitionKey: 'a',
        ExplicitHashKey: Shards[3]?.HashKeyRange?.StartingHashKey,
        Data: new Uint8Array([1]),
      }),
    );
    expect(explicit.ShardId).toBe('shardId-000000000003');
  });

  it('PutRecords takes 500 entries, answered in request order on the engine’s shards', async () => {
    const engine = engineWithStream(streamName, 4);
    const Records = Array.from({ length: 500 }, (_, i) => ({
      PartitionKey: `entry-${i}`,
      Data: new TextEncoder().encode(`payload ${i}`),
    }));
    const answer = await client.send(new PutRecordsCommand({ StreamName: streamName, Records }));
    expect(answer.FailedRecordCount).toBe(0);
    expect(answer.Records).toHaveLength(500);
    const inEngine = JSON.parse(
      engine.dispatch(
        `${TARGET}PutRecords`,
        JSON.stringify({
          StreamName: streamName,
          Records: Records.map((r) => ({ PartitionKey: r.PartitionKey, Data: 'eA==' })),
        }),
      ).body,
    ) as { Records: Array<{ ShardId: string }> };
    expect(answer.Records?.map((r) => r.ShardId)).toEqual(inEngine.Records.map((r) => r.ShardId));
    // Entries that land on one shard are numbered in request order [model §4].
    const lastOnShard = new Map<string, bigint>();
    for (const entry of answer.Records ?? []) {
      const sequence = BigInt(entry.SequenceNumber ?? '0');
      const before = lastOnShard.get(entry.ShardId ?? '');
      if (before !== undefined) expect(sequence > before).toBe(true);
      lastOnShard.set(entry.ShardId ?? '', sequence);
    }
    expect(lastOnShard.size).toBe(4);
  });

  it('GetShardIterator + GetRecords give back the exact data bytes, key and sequence number', async () => {
    const data = Uint8Array.from({ length: 256 }, (_, i) => i);
    const put = await client.send(
      new PutRecordCommand({ StreamName: streamName, PartitionKey: 'bytes', Data: data }),
    );
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: put.ShardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: put.SequenceNumber,
      }),
    );
    const read = await client.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
    expect(read.Records).toHaveLength(1);
    const record = read.Records?.[0];
    expect(record?.SequenceNumber).toBe(put.SequenceNumber);
    expect(record?.PartitionKey).toBe('bytes');
    expect(Buffer.from(record?.Data ?? new Uint8Array()).equals(Buffer.from(data))).toBe(true);
    expect(record?.ApproximateArrivalTimestamp).toBeInstanceOf(Date);
    expect(read.NextShardIterator).toEqual(expect.any(String));
    expect(read.MillisBehindLatest).toEqual(expect.any(Number));
  });

  it('a missing stream is ResourceNotFoundException, parsed by the SDK with Kinesis’s exact message', async () => {
    const failure = await client
      .send(new DescribeStreamSummaryCommand({ StreamName: 'no-such-stream' }))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(ResourceNotFoundException);
    expect(failure).toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Stream no-such-stream under account ${ACCOUNT} not found.`,
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('more than 1,000 records in one second to one shard is ProvisionedThroughputExceededException', async () => {
    const hot = `${streamName}-hot`;
    const once = new KinesisClient({
      endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      requestHandler: handlerFor(protocol),
    });
    try {
      await once.send(new CreateStreamCommand({ StreamName: hot, ShardCount: 1 }));
      await waitUntilActive(once, hot);
      const Records = Array.from({ length: 500 }, () => ({ PartitionKey: 'hot', Data: new Uint8Array(8) }));
      const started = performance.now();
      let accepted = 0;
      let refused = 0;
      let throttled: unknown;
      // Until both answers were seen: a round whose PutRecords took the bucket to just under 10 records throttles
      // a single PutRecord while no entry was refused yet.
      for (let round = 0; round < 20 && (throttled === undefined || refused === 0); round++) {
        const batch = await once.send(new PutRecordsCommand({ StreamName: hot, Records }));
        accepted += 500 - (batch.FailedRecordCount ?? 0);
        refused += batch.FailedRecordCount ?? 0;
        const singles = await Promise.allSettled(
          Array.from({ length: 10 }, () =>
            once.send(
              new PutRecordCommand({ StreamName: hot, PartitionKey: 'hot', Data: new Uint8Array(8) }),
            ),
          ),
        );
        for (const single of singles) {
          if (single.status === 'fulfilled') accepted++;
          else throttled ??= single.reason;
        }
      }
      const seconds = (performance.now() - started) / 1000;
      expect(throttled).toBeInstanceOf(ProvisionedThroughputExceededException);
      expect(throttled).toMatchObject({
        message: `Rate exceeded for shard shardId-000000000000 in stream ${hot} under account ${ACCOUNT}.`,
        $metadata: { httpStatusCode: 400, attempts: 1 },
      });
      expect(refused).toBeGreaterThan(0);
      // The bucket holds 1,000 records and refills 1,000 per second (virtual time runs at 1×) [model §0].
      expect(accepted).toBeLessThanOrEqual(1000 + Math.ceil(1000 * seconds) + 20);
    } finally {
      once.destroy();
    }
  });

  it('a body over the endpoint’s limit is answered at once, while the SDK is still sending', async () => {
    const once = new KinesisClient({
      endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      requestHandler: handlerFor(protocol),
    });
    try {
      // 500 × 24 KiB of data is 16 MiB once base64-encoded: past limits.ENDPOINT_MAX_BODY_BYTES.
      const Records = Array.from({ length: 500 }, (_, i) => ({
        PartitionKey: `big-${i}`,
        Data: new Uint8Array(24 * 1024),
      }));
      const failure = await Promise.race([
        once.send(new PutRecordsCommand({ StreamName: streamName, Records })).then(
          () => 'accepted',
          (error: unknown) => error,
        ),
        sleep(10_000).then(() => 'no answer within 10 s'),
      ]);
      if (protocol === 'HTTP/2' && /NGHTTP2_ENHANCE_YOUR_CALM/.test(String(failure))) {
        // Node's HTTP/2 client (the SDK's default) resets its own stream when an answer arrives while more
        // than its maxSessionMemory (10 MB) of body is still queued: it settles, with its own error.
        expect(failure).toBeInstanceOf(Error);
      } else {
        expect(failure).toMatchObject({
          name: 'SerializationException',
          message: expect.stringMatching(/^Request body of \d+ bytes exceeds the maximum of \d+ bytes\.$/),
          $metadata: { httpStatusCode: 413 },
        });
      }
    } finally {
      once.destroy();
    }
    // The client's next calls are answered as usual.
    const after = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    expect(after.StreamDescriptionSummary?.StreamStatus).toBe('ACTIVE');
  });

  it('answers byte for byte what an in-process engine answers to the same request', async () => {
    const recorder = new RecordingHandler(handlerFor(protocol));
    const recording = new KinesisClient({
      endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      requestHandler: recorder,
    });
    try {
      await recording.send(new ListShardsCommand({ StreamName: streamName }));
      await recording.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
      await recording
        .send(new DescribeStreamSummaryCommand({ StreamName: 'no-such-stream' }))
        .catch(() => {});
      await recording
        .send(new PutRecordCommand({ StreamName: streamName, PartitionKey: '', Data: new Uint8Array(1) }))
        .catch(() => {});
      await recording
        .send(
          new GetShardIteratorCommand({
            StreamName: streamName,
            ShardId: 'shardId-000000000009',
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
        .catch(() => {});
      await recording.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })).catch(() => {});
    } finally {
      recording.destroy();
    }
    const engine = engineWithStream(streamName, 4);
    expect(recorder.exchanges.map((e) => e.target.slice(TARGET.length))).toEqual([
      'ListShards',
      'DescribeStreamSummary',
      'DescribeStreamSummary',
      'PutRecord',
      'GetShardIterator',
      'GetRecords',
    ]);
    for (const exchange of recorder.exchanges) {
      const expected = engine.dispatch(exchange.target, exchange.requestBody);
      expect({ target: exchange.target, status: exchange.status }).toEqual({
        target: exchange.target,
        status: expected.status,
      });
      if (expected.status === 200) {
        expect(withoutInstants(exchange.responseBody)).toBe(withoutInstants(expected.body));
        // Masking only hid instants: the answer still has them.
        expect(exchange.responseBody).not.toBe(withoutInstants(exchange.responseBody));
      } else expect(exchange.responseBody).toBe(expected.body);
    }
  });
});
