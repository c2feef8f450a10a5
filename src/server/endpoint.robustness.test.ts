// @vitest-environment node
// The endpoint under clients that misbehave: malformed HTTP, JSON and CBOR, missing headers, wrong methods,
// bodies over the limit (refused before they are read), bodies that stall or stop half-way, and a thousand
// connections at once. Each answer is Kinesis-typed [model §5, §11]; the server keeps answering; nothing a
// client did not finish sending is written, and nothing acknowledged is lost.
import { request as httpRequest } from 'node:http';
import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect as http2Connect,
  constants as http2Constants,
} from 'node:http2';
import { connect as netConnect, type Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { decode, encode } from 'cbor2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, limits } from '../engine';
import { setBodyTimeoutMs } from './kinesisHttp';
import { type ShardlabServer, startServer } from './server';
import { Session } from './session';
import { http1Request, http2Request } from './testHelpers';

const TARGET = 'Kinesis_20131202.';
const JSON_TYPE = 'application/x-amz-json-1.1';
const CBOR_TYPE = 'application/x-amz-cbor-1.1';
const AUTH = 'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/kinesis/aws4_request, Signature=0';
const MAX = limits.ENDPOINT_MAX_BODY_BYTES;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let session: Session;
let server: ShardlabServer;
const h2Sessions: ClientHttp2Session[] = [];

beforeAll(async () => {
  session = new Session();
  server = await startServer({ session, port: 0 });
  session.start();
});

afterAll(async () => {
  for (const h2 of h2Sessions) h2.destroy();
  await server.close();
  session.stop();
});

function h2(): ClientHttp2Session {
  const client = http2Connect(`http://127.0.0.1:${server.port}`);
  client.on('error', () => {});
  h2Sessions.push(client);
  return client;
}

/** One HTTP/1.1 request to the server on its own connection; `headers` are sent as given. */
const http1 = (headers: Record<string, string>, body: string | Uint8Array = '', method = 'POST') =>
  http1Request(server.port, headers, body, method);
const http2 = http2Request;

const jsonHeaders = (operation: string): Record<string, string> => ({
  'content-type': JSON_TYPE,
  'x-amz-target': `${TARGET}${operation}`,
  authorization: AUTH,
});

/** A call in wire form straight into the session (no HTTP): for setting up and reading back. */
function direct<T>(operation: string, body: unknown): T {
  const answer = session.dispatch(`${TARGET}${operation}`, JSON.stringify(body));
  if (answer.status !== 200) throw new Error(`${operation}: ${answer.body}`);
  return (answer.body === '' ? {} : JSON.parse(answer.body)) as T;
}

async function createActiveStream(name: string, shardCount: number): Promise<void> {
  direct('CreateStream', { StreamName: name, ShardCount: shardCount });
  for (let attempt = 0; attempt < 100; attempt++) {
    const summary = direct<{ StreamDescriptionSummary: { StreamStatus: string } }>('DescribeStreamSummary', {
      StreamName: name,
    });
    if (summary.StreamDescriptionSummary.StreamStatus === 'ACTIVE') return;
    await sleep(50);
  }
  throw new Error(`${name} did not become ACTIVE`);
}

interface StoredRecord {
  shardId: string;
  SequenceNumber: string;
  PartitionKey: string;
  Data: string;
}

/** Every record a stream holds, read with GetRecords from TRIM_HORIZON on each shard (one call per shard). */
function storedRecords(streamName: string): StoredRecord[] {
  const { Shards } = direct<{ Shards: Array<{ ShardId: string }> }>('ListShards', { StreamName: streamName });
  const all: StoredRecord[] = [];
  for (const { ShardId } of Shards) {
    const { ShardIterator } = direct<{ ShardIterator: string }>('GetShardIterator', {
      StreamName: streamName,
      ShardId,
      ShardIteratorType: 'TRIM_HORIZON',
    });
    const { Records } = direct<{ Records: Omit<StoredRecord, 'shardId'>[] }>('GetRecords', { ShardIterator });
    for (const record of Records) all.push({ shardId: ShardId, ...record });
  }
  return all;
}

/** Writes raw bytes on a fresh TCP connection; resolves with all it received once the server closes it. */
function rawExchange(bytes: string | Buffer, timeoutMs = 5000): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = netConnect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed: false });
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed: true });
    });
    socket.write(bytes);
  });
}

/** Resolves with the HTTP/1.1 answer (head and body per Content-Length) read from a socket. */
function readRawAnswer(socket: Socket): Promise<{ head: string; body: string; at: number }> {
  return new Promise((resolve, reject) => {
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const end = seen.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = seen.subarray(0, end).toString('latin1');
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (seen.length < end + 4 + length) return;
      socket.off('data', onData);
      resolve({ head, body: seen.subarray(end + 4, end + 4 + length).toString(), at: performance.now() });
    };
    socket.on('data', onData);
    socket.on('close', () => reject(new Error(`closed before an answer: ${seen.toString('latin1')}`)));
  });
}

function openSocket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(server.port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

const closedOf = (socket: Socket) =>
  new Promise<number>((resolve) => {
    if (socket.destroyed) resolve(performance.now());
    else socket.once('close', () => resolve(performance.now()));
  });

const requestHead = (headers: Record<string, string>) =>
  `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;

/** One HTTP/2 frame (RFC 9113 §4.1): type, flags, stream id and payload. */
function http2Frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId, 5);
  return Buffer.concat([head, payload]);
}

/** An HPACK literal header field without indexing, new name, no Huffman (RFC 7541 §6.2.2); short strings. */
function hpackLiteral(name: string, value: string): Buffer {
  if (name.length > 126 || value.length > 126) throw new Error('hpackLiteral takes strings under 127 bytes');
  return Buffer.concat([
    Buffer.from([0x00, name.length]),
    Buffer.from(name),
    Buffer.from([value.length]),
    Buffer.from(value),
  ]);
}

/**
 * The bytes of an HTTP/2 connection that sends one PutRecord on stream 1: preface, SETTINGS, HEADERS and one
 * DATA frame, with END_STREAM or not (then the body is unfinished).
 */
function rawHttp2PutRecord(body: string, endStream: boolean): Buffer {
  const headers = {
    ':method': 'POST',
    ':scheme': 'http',
    ':path': '/',
    ':authority': '127.0.0.1',
    ...jsonHeaders('PutRecord'),
  };
  return Buffer.concat([
    Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
    http2Frame(0x4, 0, 0, Buffer.alloc(0)),
    http2Frame(
      0x1,
      0x4, // END_HEADERS
      1,
      Buffer.concat(Object.entries(headers).map(([name, value]) => hpackLiteral(name, value))),
    ),
    http2Frame(0x0, endStream ? 0x1 : 0, 1, Buffer.from(body)),
  ]);
}

/** The server still answers an ordinary call over a new connection. */
async function stillAnswers(): Promise<void> {
  const answer = await http1(jsonHeaders('ListStreams'), '{}');
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body.toString())).toHaveProperty('StreamNames');
}

describe('malformed requests get typed answers, and the server carries on', () => {
  it('garbage bytes on a raw socket are answered 400 and the connection closed', async () => {
    for (const garbage of [
      'GARBAGE \u0000\u0001\u0002 nonsense\r\n\r\n',
      Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]), // a TLS hello
      'POST / HTTP/1.1\r\nContent-Length: banana\r\n\r\n',
    ]) {
      const { text, closed } = await rawExchange(garbage);
      expect(text).toMatch(/^HTTP\/1\.1 400 /);
      expect(text).toMatch(/\r\nx-amzn-ErrorType: SerializationException\r\n/i);
      expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual({
        __type: 'SerializationException',
        Message: 'The request is not well-formed HTTP.',
      });
      expect(closed).toBe(true);
      await stillAnswers();
    }
    // The HTTP/2 preface followed by nonsense ends that connection only.
    const { closed } = await rawExchange('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nthis is no frame at all');
    expect(closed).toBe(true);
    await stillAnswers();
  });

  it('malformed JSON is SerializationException, as the engine answers', async () => {
    for (const body of ['{"StreamName":', 'not json', '[1,2]', '"x"']) {
      const answer = await http1(jsonHeaders('ListShards'), body);
      const expected = createEngine().dispatch(`${TARGET}ListShards`, body);
      expect(answer.status).toBe(400);
      expect(answer.headers['x-amzn-errortype']).toBe('SerializationException');
      expect(answer.body.toString()).toBe(expected.body);
      expect(JSON.parse(answer.body.toString())).toMatchObject({ __type: 'SerializationException' });
    }
  });

  it('malformed CBOR is SerializationException, in CBOR', async () => {
    const validMap = encode({ StreamName: 'x' });
    for (const body of [
      Buffer.from([0xff]), // a break outside any indefinite item
      Buffer.from([0xa1, 0x61]), // a map cut short
      Buffer.from([0x01]), // not a map
      Buffer.concat([validMap, Buffer.from([0x00])]), // a map and then more
      Buffer.from('{"StreamName":"x"}'), // JSON sent as CBOR
    ]) {
      const answer = await http1({ ...jsonHeaders('ListShards'), 'content-type': CBOR_TYPE }, body);
      expect(answer.status, body.toString('hex')).toBe(400);
      expect(answer.headers['content-type']).toBe(CBOR_TYPE);
      expect(answer.headers['x-amzn-errortype']).toBe('SerializationException');
      expect(decode(answer.body)).toMatchObject({ __type: 'SerializationException' });
    }
  });

  it('no X-Amz-Target is UnknownOperationException; no Authorization is MissingAuthenticationTokenException', async () => {
    const { 'x-amz-target': _target, ...noTarget } = jsonHeaders('ListStreams');
    const unknown = await http1(noTarget, '{}');
    expect(unknown.status).toBe(400);
    expect(unknown.headers['x-amzn-errortype']).toBe('UnknownOperationException');
    expect(JSON.parse(unknown.body.toString())).toEqual({ __type: 'UnknownOperationException' });

    const { authorization: _auth, ...noAuth } = jsonHeaders('ListStreams');
    for (const answer of [await http1(noAuth, '{}'), await http2(h2(), noAuth, '{}')]) {
      expect(answer.status).toBe(400);
      expect(answer.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
      expect(JSON.parse(answer.body.toString())).toEqual({
        __type: 'MissingAuthenticationTokenException',
        message: 'Missing Authentication Token',
      });
    }
  });

  it('a GET or PUT that names an operation is AccessDeniedException (403), over HTTP/1.1 and HTTP/2', async () => {
    const client = h2();
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const body = method === 'GET' || method === 'DELETE' ? '' : '{}';
      for (const answer of [
        await http1(jsonHeaders('ListStreams'), body, method),
        await http2(client, jsonHeaders('ListStreams'), body, method),
      ]) {
        expect(answer.status, method).toBe(403);
        expect(answer.headers['x-amzn-errortype']).toBe('AccessDeniedException');
        expect(JSON.parse(answer.body.toString())).toEqual({
          __type: 'AccessDeniedException',
          message: `Kinesis API calls are POST requests; ${method} is not allowed here.`,
        });
      }
    }
    await stillAnswers();
  });
});

describe('bodies over the limit are refused before they are read', () => {
  it('a Content-Length over the limit is answered 413 from the headers alone (HTTP/1.1)', async () => {
    const socket = await openSocket();
    const answer = readRawAnswer(socket);
    const closed = closedOf(socket);
    socket.write(requestHead({ ...jsonHeaders('PutRecords'), 'content-length': String(MAX + 1) }));
    const { head, body } = await answer;
    expect(head).toMatch(/^HTTP\/1\.1 413 /);
    expect(head).toMatch(/\r\nx-amzn-errortype: SerializationException\r\n/i);
    expect(head).toMatch(/\r\nconnection: close(\r\n|$)/i);
    expect(JSON.parse(body)).toEqual({
      __type: 'SerializationException',
      Message: `Request body of ${MAX + 1} bytes exceeds the maximum of ${MAX} bytes.`,
    });
    // The rest of the body is never read: the connection ends.
    await closed;
    await stillAnswers();
  });

  it('a content-length over the limit is answered 413 from the headers alone (HTTP/2)', async () => {
    const client = h2();
    const stream = client.request({
      ':method': 'POST',
      ':path': '/',
      ...jsonHeaders('PutRecords'),
      'content-length': String(MAX + 1),
    });
    stream.on('error', () => {});
    const [status, body] = await new Promise<[number, string]>((resolve) => {
      let answered = 0;
      const chunks: Buffer[] = [];
      stream.on('response', (headers) => {
        answered = Number(headers[':status']);
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('close', () => resolve([answered, Buffer.concat(chunks).toString()]));
    });
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ __type: 'SerializationException' });
    // The session itself carries on.
    expect((await http2(client, jsonHeaders('ListStreams'), '{}')).status).toBe(200);
  });

  /**
   * Writes `chunk` again and again (up to `maxBytes`) until the server answers; says how much was written
   * when the answer came and whether the body had been ended by then.
   */
  async function writeUntilAnswered(
    writable: Writable,
    answered: Promise<number>,
    maxBytes: number,
  ): Promise<{ status: number; writtenAtAnswer: number; endedBeforeAnswer: boolean; peakBytes: number }> {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let written = 0;
    let writtenAtAnswer = -1;
    let ended = false;
    let endedBeforeAnswer = false;
    let status = 0;
    let stop = false;
    const memory = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const baseline = memory();
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, memory() - baseline);
    }, 5);
    const done = answered.then((s) => {
      status = s;
      writtenAtAnswer = written;
      endedBeforeAnswer = ended;
      stop = true;
    });
    writable.on('error', () => {
      stop = true;
    });
    writable.on('close', () => {
      stop = true;
    });
    while (!stop && written < maxBytes) {
      const flowing = writable.write(chunk);
      written += chunk.length;
      if (!flowing) {
        await new Promise<void>((resolve) => {
          const go = () => resolve();
          writable.once('drain', go);
          writable.once('close', go);
          void done.then(go);
        });
      }
      peak = Math.max(peak, memory() - baseline);
    }
    if (!stop) {
      ended = true;
      writable.end();
    }
    // A server that never answers fails the test (status 0) instead of hanging it.
    await Promise.race([done, sleep(10_000)]);
    clearInterval(sampler);
    return { status, writtenAtAnswer, endedBeforeAnswer, peakBytes: peak };
  }

  it('a chunked body that grows past the limit is cut off while the client still writes (HTTP/1.1)', async () => {
    const request = httpRequest({
      host: '127.0.0.1',
      port: server.port,
      method: 'POST',
      path: '/',
      headers: jsonHeaders('PutRecords'),
      agent: false,
    });
    request.on('error', () => {});
    const answered = new Promise<number>((resolve) => {
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
    });
    const result = await writeUntilAnswered(request, answered, 4 * MAX);
    expect(result.status).toBe(413);
    expect(result.endedBeforeAnswer).toBe(false);
    // Answered at the limit (plus what the sockets buffer), long before the 4 × limit the client meant to send …
    expect(result.writtenAtAnswer).toBeGreaterThan(MAX);
    expect(result.writtenAtAnswer).toBeLessThan(3 * MAX);
    // … and the process never held much more than one limit's worth (buffering it all would be 4 × limit).
    expect(result.peakBytes).toBeLessThan(2.5 * MAX);
    request.destroy();
    await stillAnswers();
  });

  it('a body that grows past the limit is cut off while the client still writes (HTTP/2)', async () => {
    const client = h2();
    const stream: ClientHttp2Stream = client.request({
      ':method': 'POST',
      ':path': '/',
      ...jsonHeaders('PutRecords'),
    });
    stream.on('error', () => {});
    const answered = new Promise<number>((resolve) => {
      stream.on('response', (headers) => resolve(Number(headers[':status'])));
    });
    const result = await writeUntilAnswered(stream, answered, 4 * MAX);
    expect(result.status).toBe(413);
    expect(result.endedBeforeAnswer).toBe(false);
    expect(result.writtenAtAnswer).toBeGreaterThan(MAX);
    expect(result.writtenAtAnswer).toBeLessThan(3 * MAX);
    expect(result.peakBytes).toBeLessThan(2.5 * MAX);
    stream.destroy();
    expect((await http2(client, jsonHeaders('ListStreams'), '{}')).status).toBe(200);
  });
});

describe('bodies that stall or stop half-way', () => {
  const TIMEOUT_MS = 300;
  let previous = 0;
  beforeAll(() => {
    previous = setBodyTimeoutMs(TIMEOUT_MS);
  });
  afterAll(() => {
    setBodyTimeoutMs(previous);
  });

  it('a client that sends its headers and then stalls is answered 408 and dropped (HTTP/1.1)', async () => {
    const socket = await openSocket();
    const answer = readRawAnswer(socket);
    const closed = closedOf(socket);
    const started = performance.now();
    socket.write(`${requestHead({ ...jsonHeaders('ListStreams'), 'content-length': '100' })}{"Lim`);
    const { head, body, at } = await answer;
    expect(head).toMatch(/^HTTP\/1\.1 408 /);
    expect(head).toMatch(/\r\nx-amzn-errortype: SerializationException\r\n/i);
    expect(JSON.parse(body)).toEqual({
      __type: 'SerializationException',
      Message: `The request did not arrive within ${TIMEOUT_MS} ms.`,
    });
    expect(at - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(at - started).toBeLessThan(TIMEOUT_MS + 2000);
    await closed;
    await stillAnswers();
  });

  it('a stream that sends its headers and then stalls is answered 408 and closed (HTTP/2)', async () => {
    const client = h2();
    const started = performance.now();
    const stream = client.request({
      ':method': 'POST',
      ':path': '/',
      ...jsonHeaders('ListStreams'),
      'content-length': '100',
    });
    stream.on('error', () => {});
    stream.write('{"Lim');
    const [status, body, at] = await new Promise<[number, string, number]>((resolve) => {
      let answered = 0;
      const chunks: Buffer[] = [];
      stream.on('response', (headers) => {
        answered = Number(headers[':status']);
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('close', () => resolve([answered, Buffer.concat(chunks).toString(), performance.now()]));
    });
    expect(status).toBe(408);
    expect(JSON.parse(body)).toMatchObject({ __type: 'SerializationException' });
    expect(at - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(at - started).toBeLessThan(TIMEOUT_MS + 2000);
    expect((await http2(client, jsonHeaders('ListStreams'), '{}')).status).toBe(200);
  });

  it('a client that goes away mid-body leaves no record written, whatever it had sent', async () => {
    const streamName = 'half-sent';
    await createActiveStream(streamName, 1);
    const body = (n: number) =>
      JSON.stringify({
        StreamName: streamName,
        PartitionKey: `k${n}`,
        Data: Buffer.from(`half ${n}`).toString('base64'),
      });

    // HTTP/1.1 with a Content-Length: a complete JSON call, but 10 bytes short of what was announced.
    const withLength = await openSocket();
    withLength.write(
      requestHead({
        ...jsonHeaders('PutRecord'),
        'content-length': String(Buffer.byteLength(body(1)) + 10),
      }) + body(1),
    );
    // HTTP/1.1 chunked: a complete JSON call in one chunk, and no last chunk.
    const chunked = await openSocket();
    const chunk = body(2);
    chunked.write(
      `${requestHead({ ...jsonHeaders('PutRecord'), 'transfer-encoding': 'chunked' })}${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`,
    );
    // HTTP/2 (Node's client), with and without a content-length: a complete JSON call, and then the
    // connection is gone. (Its stream.close() would end the body cleanly before resetting the stream.)
    const sockets: Socket[] = [];
    const vanishing = [3, 4].map((n) => {
      const client = http2Connect(`http://127.0.0.1:${server.port}`, {
        createConnection: () => {
          const socket = netConnect(server.port, '127.0.0.1');
          sockets.push(socket);
          return socket;
        },
      });
      client.on('error', () => {});
      const stream = client.request({
        ':method': 'POST',
        ':path': '/',
        ...jsonHeaders('PutRecord'),
        ...(n === 3 ? { 'content-length': String(Buffer.byteLength(body(n)) + 10) } : {}),
      });
      stream.on('error', () => {});
      stream.write(body(n));
      return client;
    });
    // HTTP/2 frame by frame: a complete JSON call in a DATA frame without END_STREAM, then RST_STREAM(CANCEL)
    // on a connection that stays open.
    const raw = await openSocket();
    raw.on('data', () => {});
    raw.write(rawHttp2PutRecord(body(6), false));
    await sleep(100);
    withLength.destroy();
    chunked.destroy();
    for (const socket of sockets) socket.destroy();
    raw.write(http2Frame(0x3, 0, 1, Buffer.from([0, 0, 0, http2Constants.NGHTTP2_CANCEL])));
    // Well past the body timeout too: a dropped request is never dispatched later either.
    await sleep(TIMEOUT_MS + 200);
    expect(storedRecords(streamName).map((r) => r.PartitionKey)).toEqual([]);

    raw.destroy();
    for (const client of vanishing) client.destroy();

    // The same calls, sent whole, are written (the read-back above would have seen them).
    const whole = await http2(h2(), jsonHeaders('PutRecord'), body(5));
    expect(whole.status).toBe(200);
    const rawWhole = await openSocket();
    const answered = new Promise<void>((resolve) => rawWhole.once('data', () => resolve()));
    rawWhole.write(rawHttp2PutRecord(body(7), true));
    await answered;
    await sleep(250);
    rawWhole.destroy();
    expect(storedRecords(streamName).map((r) => r.PartitionKey)).toEqual(['k5', 'k7']);
  });
});

describe('many clients at once', () => {
  afterEach(async () => {
    await stillAnswers();
  });

  /** Checks every acknowledged record is stored, on its shard, with its data. */
  async function expectAllStored(
    streamName: string,
    acknowledged: Array<{ key: string; data: string; ShardId: string; SequenceNumber: string }>,
  ) {
    await sleep(250);
    const stored = new Map(storedRecords(streamName).map((r) => [r.SequenceNumber, r]));
    const lost = acknowledged.filter((a) => {
      const record = stored.get(a.SequenceNumber);
      return record?.shardId !== a.ShardId || record.PartitionKey !== a.key || record.Data !== a.data;
    });
    expect(lost).toEqual([]);
    expect(stored.size).toBe(acknowledged.length);
  }

  it('1,000 concurrent HTTP/1.1 connections each PutRecord: all answered, every acknowledged record readable', async () => {
    const streamName = 'thousand-h1';
    await createActiveStream(streamName, 4);
    const answers = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        const key = `conn-${i}`;
        const data = Buffer.from(`record ${i}`).toString('base64');
        const answer = await http1(
          jsonHeaders('PutRecord'),
          JSON.stringify({ StreamName: streamName, PartitionKey: key, Data: data }),
        ).catch((error: unknown) => ({ status: -1, headers: {}, body: Buffer.from(String(error)) }));
        return { key, data, answer };
      }),
    );
    const failures = answers.filter((a) => a.answer.status !== 200).map((a) => a.answer.body.toString());
    expect(failures).toEqual([]);
    const acknowledged = answers.map(({ key, data, answer }) => ({
      key,
      data,
      ...(JSON.parse(answer.body.toString()) as { ShardId: string; SequenceNumber: string }),
    }));
    expect(new Set(acknowledged.map((a) => a.SequenceNumber)).size).toBe(1000);
    await expectAllStored(streamName, acknowledged);
  });

  it('1,000 concurrent streams on one HTTP/2 session each PutRecord: all answered, all readable', async () => {
    const streamName = 'thousand-h2';
    await createActiveStream(streamName, 4);
    const client = h2();
    const answers = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        const key = `stream-${i}`;
        const data = Buffer.from(`record ${i}`).toString('base64');
        const answer = await http2(
          client,
          jsonHeaders('PutRecord'),
          JSON.stringify({ StreamName: streamName, PartitionKey: key, Data: data }),
        ).catch((error: unknown) => ({ status: -1, headers: {}, body: Buffer.from(String(error)) }));
        return { key, data, answer };
      }),
    );
    const failures = answers.filter((a) => a.answer.status !== 200).map((a) => a.answer.body.toString());
    expect(failures).toEqual([]);
    await expectAllStored(
      streamName,
      answers.map(({ key, data, answer }) => ({
        key,
        data,
        ...(JSON.parse(answer.body.toString()) as { ShardId: string; SequenceNumber: string }),
      })),
    );
  });
});
