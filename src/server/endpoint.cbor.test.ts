// @vitest-environment node
// Hand-built `application/x-amz-cbor-1.1` calls, as the AWS SDK for Java v2 and the KCL send them, over plain
// HTTP/1.1 (node:http) and cleartext HTTP/2 (node:http2) [model §11]: blobs are CBOR byte strings,
// timestamps epoch milliseconds as CBOR integers (plain, or under tag 1 as the Java SDK writes them).
import { type ClientHttp2Session, connect as http2Connect } from 'node:http2';
import { decode, encode, Tag } from 'cbor2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../engine';
import { type ShardlabServer, startServer } from './server';
import { Session } from './session';
import { type Answer, http1Request, http2Request } from './testHelpers';

const ACCOUNT = '000000000000';
const TARGET = 'Kinesis_20131202.';
const CBOR = 'application/x-amz-cbor-1.1';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Java's CBOR writer puts byte arrays as plain byte strings (no typed-array tag) and no record extensions.

let session: Session;
let server: ShardlabServer;

beforeAll(async () => {
  session = new Session();
  server = await startServer({ session, port: 0 });
  session.start();
});

afterAll(async () => {
  await server.close();
  session.stop();
});

const http1Call = (port: number, headers: Record<string, string>, body: Uint8Array) =>
  http1Request(port, headers, body);
const http2Call = (client: ClientHttp2Session, headers: Record<string, string>, body: Uint8Array) =>
  http2Request(client, headers, body);

type Protocol = 'HTTP/1.1' | 'HTTP/2';

/** Sends one Kinesis call: `body` encoded as CBOR unless it is already bytes, with the headers the SDKs send. */
type Call = (operation: string, body: unknown, contentType?: string) => Promise<Answer>;

function caller(protocol: Protocol, h2: () => ClientHttp2Session): Call {
  return (operation, body, contentType = CBOR) => {
    const bytes = body instanceof Uint8Array ? body : encode(body);
    const headers = {
      'content-type': contentType,
      'x-amz-target': `${TARGET}${operation}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/kinesis/aws4_request, Signature=0',
      'x-amz-date': '20260101T000000Z',
    };
    return protocol === 'HTTP/1.1'
      ? http1Call(server.port, { ...headers, 'content-length': String(bytes.length) }, bytes)
      : http2Call(h2(), headers, bytes);
  };
}

/** A shard takes 5 GetRecords calls in any second [model §6]: reads of one shard keep 4 a second at most. */
const pace = () => sleep(260);

function decoded<T>(answer: Answer): T {
  return decode(answer.body) as T;
}

/**
 * The CBOR major type and additional information of the value that follows the text key `key` in `bytes`
 * (RFC 8949 §3): major 0 is an unsigned integer, 7 with info 25–27 a float. Undefined when the key is absent.
 */
function headOfMember(bytes: Uint8Array, key: string): { major: number; info: number } | undefined {
  const text = Buffer.from(key, 'utf8');
  const head = text.length < 24 ? Buffer.from([0x60 | text.length]) : Buffer.from([0x78, text.length]);
  const at = Buffer.from(bytes).indexOf(Buffer.concat([head, text]));
  if (at < 0) return undefined;
  const next = bytes[at + head.length + text.length] ?? 0;
  return { major: next >> 5, info: next & 0x1f };
}

interface CborRecord {
  SequenceNumber: string;
  ApproximateArrivalTimestamp: number | bigint;
  Data: Uint8Array;
  PartitionKey: string;
}

describe.each<Protocol>(['HTTP/1.1', 'HTTP/2'])('CBOR over %s', (protocol) => {
  const streamName = `cbor-${protocol === 'HTTP/2' ? 'h2' : 'h1'}`;
  let h2: ClientHttp2Session | undefined;
  const call = caller(protocol, () => {
    h2 ??= http2Connect(`http://127.0.0.1:${server.port}`);
    return h2;
  });
  afterAll(() => h2?.close());

  let created: Answer | undefined;
  let summary: Answer = { status: 0, headers: {}, body: Buffer.alloc(0) };
  beforeAll(async () => {
    created = await call('CreateStream', { StreamName: streamName, ShardCount: 2 });
    for (let attempt = 0; attempt < 100; attempt++) {
      if (attempt > 0) await sleep(50);
      summary = await call('DescribeStreamSummary', { StreamName: streamName });
      const status = decoded<{ StreamDescriptionSummary?: { StreamStatus?: string } }>(summary)
        .StreamDescriptionSummary?.StreamStatus;
      if (status === 'ACTIVE') return;
    }
    throw new Error(`${streamName} did not become ACTIVE: ${summary.body.toString()}`);
  });

  /** The records of a shard from an iterator (TRIM_HORIZON unless told), with the raw CBOR answer. */
  async function readShard(shardId: string, iteratorRequest: Record<string, unknown> = {}) {
    await pace();
    const iterator = await call('GetShardIterator', {
      StreamName: streamName,
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
      ...iteratorRequest,
    });
    expect(iterator.status, iterator.body.toString()).toBe(200);
    const { ShardIterator } = decoded<{ ShardIterator: string }>(iterator);
    const answer = await call('GetRecords', { ShardIterator });
    expect(answer.status, answer.body.toString()).toBe(200);
    expect(answer.headers['content-type']).toBe(CBOR);
    return { answer, records: decoded<{ Records: CborRecord[] }>(answer).Records };
  }

  it('CreateStream answers an empty 200 and DescribeStreamSummary gives the creation instant in integer ms', () => {
    expect(created?.status).toBe(200);
    expect(created?.body.length).toBe(0);
    expect(decoded<{ StreamDescriptionSummary: unknown }>(summary).StreamDescriptionSummary).toMatchObject({
      StreamName: streamName,
      StreamStatus: 'ACTIVE',
      OpenShardCount: 2,
    });
    // Epoch ms do not fit 32 bits: an integer is CBOR major type 0 with an 8-byte argument (info 27).
    expect(headOfMember(summary.body, 'StreamCreationTimestamp')).toEqual({ major: 0, info: 27 });
    const createdMs = Number(
      decoded<{ StreamDescriptionSummary: { StreamCreationTimestamp: number | bigint } }>(summary)
        .StreamDescriptionSummary.StreamCreationTimestamp,
    );
    const nowMs = session.host.status().nowMs;
    expect(createdMs).toBeLessThanOrEqual(nowMs);
    expect(createdMs).toBeGreaterThan(nowMs - 60_000);
  });

  it('PutRecord takes Data as a CBOR byte string and answers a CBOR map on the engine’s shard', async () => {
    const engine = createEngine();
    engine.dispatch(`${TARGET}CreateStream`, JSON.stringify({ StreamName: streamName, ShardCount: 2 }));
    engine.advanceTime(engine.core.transitionMs);
    for (const key of ['alpha', 'beta', 'gamma']) {
      const answer = await call('PutRecord', {
        StreamName: streamName,
        PartitionKey: key,
        Data: new Uint8Array([0, 1, 2, 0xff, 0xfe]),
      });
      expect(answer.status, answer.body.toString()).toBe(200);
      expect(answer.headers['content-type']).toBe(CBOR);
      const put = decoded<{ ShardId: string; SequenceNumber: string }>(answer);
      const expected = JSON.parse(
        engine.dispatch(
          `${TARGET}PutRecord`,
          JSON.stringify({ StreamName: streamName, PartitionKey: key, Data: 'AA==' }),
        ).body,
      ) as { ShardId: string };
      expect(put.ShardId).toBe(expected.ShardId);
      expect(put.SequenceNumber).toMatch(/^\d{56}$/);
    }
  });

  it('GetRecords answers Data as a byte string and ApproximateArrivalTimestamp as integer epoch ms', async () => {
    const data = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    const answer = await call('PutRecord', {
      StreamName: streamName,
      PartitionKey: 'bytes',
      Data: data,
      ExplicitHashKey: '0',
    });
    expect(answer.status).toBe(200);
    const put = decoded<{ ShardId: string; SequenceNumber: string }>(answer);
    expect(put.ShardId).toBe('shardId-000000000000');
    const { answer: read, records } = await readShard(put.ShardId, {
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: put.SequenceNumber,
    });
    const record = records[0];
    expect(record?.SequenceNumber).toBe(put.SequenceNumber);
    expect(record?.PartitionKey).toBe('bytes');
    expect(record?.Data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(record?.Data ?? []).equals(Buffer.from(data))).toBe(true);
    expect(headOfMember(read.body, 'Data')?.major).toBe(2);
    expect(headOfMember(read.body, 'ApproximateArrivalTimestamp')).toEqual({ major: 0, info: 27 });
    const arrivalMs = Number(record?.ApproximateArrivalTimestamp);
    const nowMs = session.host.status().nowMs;
    expect(arrivalMs).toBeLessThanOrEqual(nowMs);
    expect(arrivalMs).toBeGreaterThan(nowMs - 60_000);
    // The same record through awsJson1_1 has the same instant, in epoch seconds [model §11].
    await pace();
    const iterator = JSON.parse(
      session.dispatch(
        `${TARGET}GetShardIterator`,
        JSON.stringify({
          StreamName: streamName,
          ShardId: put.ShardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          StartingSequenceNumber: put.SequenceNumber,
        }),
      ).body,
    ) as { ShardIterator: string };
    const json = JSON.parse(
      session.dispatch(
        `${TARGET}GetRecords`,
        JSON.stringify({ ShardIterator: iterator.ShardIterator, Limit: 1 }),
      ).body,
    ) as { Records: Array<{ ApproximateArrivalTimestamp: number }> };
    expect(arrivalMs).toBe(Math.round((json.Records[0]?.ApproximateArrivalTimestamp ?? 0) * 1000));
  });

  it('PutRecords takes byte strings in every entry', async () => {
    const answer = await call('PutRecords', {
      StreamName: streamName,
      Records: [
        { PartitionKey: 'p0', Data: new Uint8Array([1]), ExplicitHashKey: '0' },
        { PartitionKey: 'p1', Data: new Uint8Array([2, 2]), ExplicitHashKey: '0' },
      ],
    });
    expect(answer.status, answer.body.toString()).toBe(200);
    const out = decoded<{ FailedRecordCount: number; Records: Array<{ SequenceNumber: string }> }>(answer);
    expect(out.FailedRecordCount).toBe(0);
    const { records } = await readShard('shardId-000000000000', {
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: out.Records[0]?.SequenceNumber,
    });
    expect(records.slice(0, 2).map((r) => [...r.Data])).toEqual([[1], [2, 2]]);
  });

  it('an error is a CBOR map with __type and message, typed in x-amzn-ErrorType', async () => {
    const answer = await call('DescribeStreamSummary', { StreamName: 'no-such-stream' });
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe(CBOR);
    expect(answer.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
    expect(decoded<unknown>(answer)).toEqual({
      __type: 'ResourceNotFoundException',
      message: `Stream no-such-stream under account ${ACCOUNT} not found.`,
    });
    const validation = await call('PutRecord', {
      StreamName: streamName,
      PartitionKey: '',
      Data: new Uint8Array(1),
    });
    expect(validation.status).toBe(400);
    expect(decoded<{ __type: string }>(validation).__type).toBe('ValidationException');
  });

  it('GetShardIterator AT_TIMESTAMP reads Timestamp as epoch ms, plain or under tag 1', async () => {
    const first = decoded<{ SequenceNumber: string }>(
      await call('PutRecord', {
        StreamName: streamName,
        PartitionKey: 'ts',
        Data: new Uint8Array([1]),
        ExplicitHashKey: '1',
      }),
    );
    await sleep(40);
    const second = decoded<{ SequenceNumber: string }>(
      await call('PutRecord', {
        StreamName: streamName,
        PartitionKey: 'ts',
        Data: new Uint8Array([2]),
        ExplicitHashKey: '1',
      }),
    );
    const { records } = await readShard('shardId-000000000000', {
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: first.SequenceNumber,
    });
    const firstMs = Number(
      records.find((r) => r.SequenceNumber === first.SequenceNumber)?.ApproximateArrivalTimestamp,
    );
    const secondMs = Number(
      records.find((r) => r.SequenceNumber === second.SequenceNumber)?.ApproximateArrivalTimestamp,
    );
    expect(secondMs).toBeGreaterThan(firstMs);
    const forms: Array<[string, (ms: number) => unknown]> = [
      // Java's CBOR writer: a long, i.e. an 8-byte unsigned integer for epoch ms.
      ['uint64', (ms) => BigInt(ms)],
      ['tag 1 + uint64', (ms) => new Tag(1, BigInt(ms))],
      ['float64', (ms) => ms],
      ['tag 1 + float64', (ms) => new Tag(1, ms)],
    ];
    for (const [form, encode] of forms) {
      for (const [ms, expected] of [
        [firstMs, first.SequenceNumber],
        [secondMs, second.SequenceNumber],
      ] as const) {
        const { records: from } = await readShard('shardId-000000000000', {
          ShardIteratorType: 'AT_TIMESTAMP',
          Timestamp: encode(ms),
        });
        expect(from[0]?.SequenceNumber, `${form} at ${ms}`).toBe(expected);
      }
    }
  });
});
