/**
 * The endpoint bench's baseline: a Kinesis "endpoint" that does as little as a server can and still answer
 * the AWS SDK, built from node:net, node:http and node:http2 only (no Shardlab code). Like Shardlab's server it
 * serves HTTP/1.1 and cleartext HTTP/2 with prior knowledge on one port, told apart by the connection's first
 * bytes, and uses the same compatibility API (request/response objects) for both. It reads every request body
 * whole, then answers PutRecord with one fixed body and PutRecords with a fixed body of as many entries as the
 * request had (built once per count); anything else gets `{}`. Used by bench/endpoint.ts.
 *
 * `spinUsPerRecord` makes it a calibration server: it spins that many µs of CPU per record answered before it
 * answers, so the bench can show what a given server cost per record does to the ratio (`--calibrate`).
 */
import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import { createServer as createNetServer, type Socket } from 'node:net';

export interface NullServer {
  readonly port: number;
  /** Records answered as written (PutRecord: 1 a call; PutRecords: its entry count). */
  readonly answeredRecords: number;
  close(): Promise<void>;
}

const SEQUENCE_NUMBER = '49671234567890123456789012345678901234567890123456789012';
const SHARD_ID = 'shardId-000000000000';
const PUT_RECORD_BODY = Buffer.from(JSON.stringify({ ShardId: SHARD_ID, SequenceNumber: SEQUENCE_NUMBER }));
const EMPTY_BODY = Buffer.from('{}');
const PARTITION_KEY_FIELD = Buffer.from('"PartitionKey"');
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n');

/** PutRecords answers by entry count, each built on first use. */
const putRecordsBodies = new Map<number, Buffer>();

function putRecordsBody(entries: number): Buffer {
  let body = putRecordsBodies.get(entries);
  if (!body) {
    const entry = JSON.stringify({ SequenceNumber: SEQUENCE_NUMBER, ShardId: SHARD_ID });
    body = Buffer.from(`{"FailedRecordCount":0,"Records":[${Array(entries).fill(entry).join(',')}]}`);
    putRecordsBodies.set(entries, body);
  }
  return body;
}

/** Entries of a PutRecords body, counted without parsing it: each has exactly one "PartitionKey". */
function entryCount(body: Buffer): number {
  let n = 0;
  for (let at = body.indexOf(PARTITION_KEY_FIELD); at >= 0; at = body.indexOf(PARTITION_KEY_FIELD, at + 14))
    n++;
  return n;
}

/** Spins the event loop for `us` µs (busy, as a server's own work would be). */
function spin(us: number): void {
  const until = performance.now() + us / 1000;
  while (performance.now() < until) {}
}

export function startNullServer(
  options: { port?: number; spinUsPerRecord?: number } = {},
): Promise<NullServer> {
  let answeredRecords = 0;
  const spinUs = options.spinUsPerRecord ?? 0;

  const onRequest = (
    request: IncomingMessage | Http2ServerRequest,
    response: ServerResponse | Http2ServerResponse,
  ) => {
    const chunks: Buffer[] = [];
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    });
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      let body: Buffer = EMPTY_BODY;
      if (target === 'Kinesis_20131202.PutRecord') {
        body = PUT_RECORD_BODY;
        answeredRecords++;
        if (spinUs > 0) spin(spinUs);
      } else if (target === 'Kinesis_20131202.PutRecords') {
        const entries = entryCount(
          chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received),
        );
        body = putRecordsBody(entries);
        answeredRecords += entries;
        if (spinUs > 0) spin(spinUs * entries);
      }
      response.writeHead(200, {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': String(body.length),
        'x-amzn-requestid': '00000000-0000-4000-8000-000000000000',
      });
      response.end(body);
    });
  };

  const http1 = createHttp1Server({ keepAliveTimeout: 5_000 }, onRequest);
  const http2 = createHttp2Server({}, onRequest);
  http2.on('sessionError', () => {});

  const sockets = new Set<Socket>();
  const listener = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let seen: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
      const n = Math.min(seen.length, PREFACE.length);
      const isHttp2 = seen.subarray(0, n).equals(PREFACE.subarray(0, n));
      if (isHttp2 && seen.length < PREFACE.length) return;
      socket.off('data', onData);
      socket.pause();
      socket.unshift(seen);
      (isHttp2 ? http2 : http1).emit('connection', socket);
      // http2 reads the bytes put back by itself; resuming would let them flow to no listener.
      if (!isHttp2) socket.resume();
    };
    socket.on('data', onData);
  });

  return new Promise((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(options.port ?? 0, '127.0.0.1', () => {
      listener.off('error', reject);
      const address = listener.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        get answeredRecords() {
          return answeredRecords;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            http2.close();
            http1.close();
            listener.close(() => done());
          }),
      });
    });
  });
}
