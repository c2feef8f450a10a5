/**
 * Kinesis calls over HTTP (`POST /` with `X-Amz-Target`, awsJson1_1 or CBOR) [model §11], for HTTP/1.1 and
 * HTTP/2 requests alike: the body is read with a cap (refused with 413 before it is read whole), SigV4
 * headers are required but never verified, and every answer carries Kinesis's error type — the server never
 * answers a 500 without one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { type KinesisError, limits } from '../engine';
import { errors } from '../engine/errors';
import { cborRequestToJson, jsonResponseToCbor } from './cborWire';

export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;

/** How long a request body may take to arrive (ms) before the request is answered 408 and dropped. */
export const BODY_TIMEOUT_MS = 30_000;

/** Whatever answers a call in wire form (the Session, or a fixed answer in the bench's null server). */
export type Dispatch = (target: string, body: string) => { status: number; body: string };

/** Headers the AWS SDKs read, exposed to browsers too [model §11]. */
const EXPOSED_HEADERS =
  'x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date';

function header(request: AnyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** True when the request is a Kinesis call (any POST; Kinesis ignores the path) or its CORS preflight. */
export function isKinesisRequest(request: AnyRequest): boolean {
  return (
    request.method === 'POST' ||
    (request.method === 'OPTIONS' && header(request, 'access-control-request-method') !== undefined)
  );
}

/**
 * Answers one Kinesis request with `dispatch`. Never throws: a fault inside becomes InternalFailure (500,
 * typed), a client that goes away mid-request is simply dropped (nothing it sent was dispatched).
 */
export function handleKinesisRequest(request: AnyRequest, response: AnyResponse, dispatch: Dispatch): void {
  const origin = header(request, 'origin');
  if (request.method === 'OPTIONS') {
    response.writeHead(200, {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': header(request, 'access-control-request-method') ?? 'POST',
      'access-control-allow-headers': header(request, 'access-control-request-headers') ?? '',
      'access-control-max-age': '172800',
      'content-length': '0',
    });
    response.end();
    return;
  }
  const cbor = (header(request, 'content-type') ?? '').startsWith(limits.CONTENT_TYPE_CBOR);
  const reply = (status: number, body: string | Uint8Array, errorType?: string) => {
    if (response.headersSent || response.writableEnded) return;
    const headers: Record<string, string> = {
      'content-type': cbor ? limits.CONTENT_TYPE_CBOR : limits.CONTENT_TYPE_JSON,
      'content-length': String(Buffer.byteLength(body)),
      'x-amzn-requestid': randomUUID(),
      'x-amz-id-2': randomBytes(48).toString('base64'),
    };
    if (errorType) headers['x-amzn-errortype'] = errorType;
    // HTTP/1.1 only (HTTP/2 forbids the header): the unread rest of a refused body ends the connection.
    if ((status === 413 || status === 408) && !('stream' in request)) headers.connection = 'close';
    if (origin) {
      headers['access-control-allow-origin'] = '*';
      headers['access-control-expose-headers'] = EXPOSED_HEADERS;
    }
    response.writeHead(status, headers);
    response.end(body);
  };
  const fail = (error: KinesisError) => {
    const body = JSON.stringify(error.toBody());
    reply(error.status, cbor ? jsonResponseToCbor(body) : body, error.type);
  };

  if (request.method !== 'POST') {
    fail(errors.methodNotAllowed(request.method ?? ''));
    return;
  }
  const declared = header(request, 'content-length');
  const declaredBytes = declared === undefined ? undefined : Number(declared);
  if (declaredBytes !== undefined && declaredBytes > limits.ENDPOINT_MAX_BODY_BYTES) {
    refuseTooLarge(request, () =>
      fail(errors.requestTooLarge(declaredBytes, limits.ENDPOINT_MAX_BODY_BYTES)),
    );
    return;
  }

  const chunks: Buffer[] = [];
  let received = 0;
  let done = false;
  const timer = setTimeout(() => {
    if (done) return;
    done = true;
    fail(errors.requestTimeout(BODY_TIMEOUT_MS));
    closeAfterAnswer(request);
  }, BODY_TIMEOUT_MS);
  timer.unref?.();
  request.on('data', (chunk: Buffer) => {
    if (done) return;
    received += chunk.length;
    if (received > limits.ENDPOINT_MAX_BODY_BYTES) {
      done = true;
      clearTimeout(timer);
      chunks.length = 0;
      refuseTooLarge(request, () => fail(errors.requestTooLarge(undefined, limits.ENDPOINT_MAX_BODY_BYTES)));
      return;
    }
    chunks.push(chunk);
  });
  request.on('error', () => {
    done = true;
    clearTimeout(timer);
  });
  request.on('aborted', () => {
    done = true;
    clearTimeout(timer);
  });
  request.on('end', () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received);
    // A client that went away before its body ended sent no call: nothing is dispatched.
    if (request.destroyed && !request.complete) return;
    answer(raw);
  });

  function answer(raw: Buffer): void {
    try {
      const auth = header(request, 'authorization');
      const target = header(request, 'x-amz-target') ?? '';
      if (!auth && !new URL(request.url ?? '/', 'http://x').searchParams.has('X-Amz-Algorithm')) {
        fail(errors.missingAuthenticationToken());
        return;
      }
      let json: string;
      if (cbor) {
        try {
          json = raw.length === 0 ? '' : cborRequestToJson(raw);
        } catch {
          fail(errors.serialization());
          return;
        }
      } else json = raw.toString('utf8');
      const result = dispatch(target, json);
      const errorType = result.status >= 400 ? errorTypeOf(result.body) : undefined;
      reply(result.status, cbor ? jsonResponseToCbor(result.body) : result.body, errorType);
    } catch {
      fail(errors.internalFailure());
    }
  }
}

/** The `__type` of an error body the engine wrote. */
function errorTypeOf(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { __type?: string }).__type;
  } catch {
    return undefined;
  }
}

/**
 * Answers 413 without reading the body, then closes the connection: an HTTP/1.1 connection cannot be
 * reused past an unread body, and an HTTP/2 stream is reset once answered.
 */
function refuseTooLarge(request: AnyRequest, answer: () => void): void {
  request.pause();
  answer();
  closeAfterAnswer(request);
}

function closeAfterAnswer(request: AnyRequest): void {
  if ('stream' in request) {
    request.stream.close();
    return;
  }
  const socket = request.socket;
  // Let the answer flush, then drop the connection (the rest of the body is never read).
  setTimeout(() => socket.destroy(), 50).unref?.();
}
