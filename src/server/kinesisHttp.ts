/**
 * Kinesis calls over HTTP (`POST /` with `X-Amz-Target`, awsJson1_1 or CBOR) [model §11], for HTTP/1.1 and
 * HTTP/2 requests alike: the body is read with a cap (refused with 413 before it is read whole), SigV4
 * headers are required but never verified, and every answer carries Kinesis's error type — the server never
 * answers a 500 without one.
 */
import { randomFillSync, randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse, ServerHttp2Stream } from 'node:http2';
import { type KinesisError, limits } from '../engine';
import { errors } from '../engine/errors';
import type { CallTurns } from './callTurns';
import { cborRequestToJson, jsonResponseToCbor } from './cborWire';

export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;

/** How long a request body may take to arrive (ms) before the request is answered 408 and dropped. */
export const BODY_TIMEOUT_MS = 30_000;
let bodyTimeoutMs = BODY_TIMEOUT_MS;

/**
 * Sets how long (ms, > 0) the bodies of requests that arrive from now on may take, instead of
 * BODY_TIMEOUT_MS (tests use a short one). Returns the previous value, to put it back.
 */
export function setBodyTimeoutMs(ms: number): number {
  if (!(ms > 0) || !Number.isFinite(ms))
    throw new RangeError(`a body timeout is a positive number of ms, not ${ms}`);
  const previous = bodyTimeoutMs;
  bodyTimeoutMs = ms;
  return previous;
}

/** Random bytes drawn 64 KiB at a time: a fresh 48 per answer without a system call each. */
const idPool = Buffer.alloc(48 * 1365);
let idOffset = idPool.length;
/** An `x-amz-id-2` value: 48 random bytes in base64, as AWS sends. */
function extendedRequestId(): string {
  if (idOffset + 48 > idPool.length) {
    randomFillSync(idPool);
    idOffset = 0;
  }
  idOffset += 48;
  return idPool.toString('base64', idOffset - 48, idOffset);
}

/** A call's answer: HTTP status and body (an error body is always text). */
export interface WireAnswer {
  status: number;
  body: string | Uint8Array;
}

/**
 * Whatever answers a call in wire form (the Session, or a test's): the target, the JSON body as text and, for
 * an awsJson1_1 body, the same body as received (a PutRecords may be answered from its bytes).
 */
export type Dispatch = (target: string, body: string, bytes?: Uint8Array) => WireAnswer;

/** Headers the AWS SDKs read, exposed to browsers too [model §11]. */
const EXPOSED_HEADERS =
  'x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date';

function header(request: AnyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * True when the request is a Kinesis call: any POST (Kinesis ignores the path), any request that names an
 * operation in `X-Amz-Target` (a GET or PUT one is answered 403 AccessDeniedException, as kinesalite does,
 * not with the page) [model §11], or a CORS preflight.
 */
export function isKinesisRequest(request: AnyRequest): boolean {
  return (
    request.method === 'POST' ||
    header(request, 'x-amz-target') !== undefined ||
    (request.method === 'OPTIONS' && header(request, 'access-control-request-method') !== undefined)
  );
}

/**
 * Answers one Kinesis request with `dispatch`, in its turn among the server's calls when `turns` is given
 * (see CallTurns). Never throws: a fault inside becomes InternalFailure (500, typed), a client that goes away
 * mid-request is simply dropped (nothing it sent was dispatched).
 */
export function handleKinesisRequest(
  request: AnyRequest,
  response: AnyResponse,
  dispatch: Dispatch,
  turns?: CallTurns,
): void {
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
  let answered = false;
  /**
   * Answers once. `refused`: the rest of the body is refused unread (413, 408), so the exchange ends with the
   * answer: the HTTP/2 stream is reset once answered, the HTTP/1.1 connection closed (see answerAndClose).
   */
  const reply = (status: number, body: string | Uint8Array, errorType?: string, refused = false) => {
    if (answered || response.headersSent || response.writableEnded) return;
    answered = true;
    // Encoded once: a 500-entry PutRecords answer is ~45 KB, which byteLength and end() would each walk.
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const headers: Record<string, string> = {
      'content-type': cbor ? limits.CONTENT_TYPE_CBOR : limits.CONTENT_TYPE_JSON,
      'content-length': String(bytes.byteLength),
      'x-amzn-requestid': randomUUID(),
      'x-amz-id-2': extendedRequestId(),
    };
    if (errorType) headers['x-amzn-errortype'] = errorType;
    if (origin) {
      headers['access-control-allow-origin'] = '*';
      headers['access-control-expose-headers'] = EXPOSED_HEADERS;
    }
    if (refused && !('stream' in request)) {
      // The socket is this answer's own unless an earlier pipelined answer still holds it.
      if ((response as ServerResponse).socket === request.socket) {
        answerAndClose(request, status, headers, bytes);
        return;
      }
      headers.connection = 'close';
    }
    response.writeHead(status, headers);
    response.end(bytes);
    if (refused && 'stream' in request) resetOnceAnswered(request.stream);
  };
  const fail = (error: KinesisError, refused = false) => {
    const body = JSON.stringify(error.toBody());
    reply(error.status, cbor ? jsonResponseToCbor(body) : body, error.type, refused);
  };

  if (request.method !== 'POST') {
    fail(errors.methodNotAllowed(request.method ?? ''));
    return;
  }
  const declared = header(request, 'content-length');
  const declaredBytes = declared === undefined ? undefined : Number(declared);
  if (declaredBytes !== undefined && declaredBytes > limits.ENDPOINT_MAX_BODY_BYTES) {
    request.pause();
    fail(errors.requestTooLarge(declaredBytes, limits.ENDPOINT_MAX_BODY_BYTES), true);
    return;
  }

  const chunks: Buffer[] = [];
  let received = 0;
  let done = false;
  const timeoutMs = bodyTimeoutMs;
  const timer = setTimeout(() => {
    if (done) return;
    done = true;
    fail(errors.requestTimeout(timeoutMs), true);
  }, timeoutMs);
  timer.unref?.();
  request.on('data', (chunk: Buffer) => {
    if (done) return;
    received += chunk.length;
    if (received > limits.ENDPOINT_MAX_BODY_BYTES) {
      done = true;
      clearTimeout(timer);
      chunks.length = 0;
      request.pause();
      fail(errors.requestTooLarge(undefined, limits.ENDPOINT_MAX_BODY_BYTES), true);
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
    if (turns) turns.run(() => answer(raw));
    else answer(raw);
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
      const result = cbor ? dispatch(target, json) : dispatch(target, json, raw);
      const errorType =
        result.status >= 400 && typeof result.body === 'string' ? errorTypeOf(result.body) : undefined;
      reply(
        result.status,
        cbor && typeof result.body === 'string' ? jsonResponseToCbor(result.body) : result.body,
        errorType,
      );
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

/** How often (ms) a refused HTTP/2 stream looks whether its answer has gone out, and for how long at most. */
const ANSWER_POLL_MS = 5;
const ANSWER_WAIT_MS = 2_000;

/**
 * Resets a refused HTTP/2 stream with NO_ERROR once its complete answer has gone out, which asks the client
 * to stop sending the body (RFC 9113 §8.1). Not before: nghttp2 drops the frames of a stream it has queued a
 * RST_STREAM for, so an early reset would cancel the answer itself. `state.localClose` turns 1 once the
 * answer's END_STREAM is sent.
 */
function resetOnceAnswered(stream: ServerHttp2Stream, waitedMs = 0): void {
  if (stream.destroyed || stream.closed) return;
  if (stream.state.localClose === 1 || waitedMs >= ANSWER_WAIT_MS) {
    stream.close();
    return;
  }
  setTimeout(() => resetOnceAnswered(stream, waitedMs + ANSWER_POLL_MS), ANSWER_POLL_MS).unref?.();
}

/** How long (ms) a closing HTTP/1.1 connection still reads, and drops, what the client sends. */
const LINGER_MS = 2_000;

/**
 * Answers an HTTP/1.1 request whose body is refused unread and closes the connection without losing the
 * answer. A socket closed while the client's bytes are still arriving is reset, and a reset makes the client
 * drop an answer it has not read yet (it is still busy writing): so the answer goes out with a FIN, then what
 * the client still sends is read and dropped (never buffered) until it closes too, for LINGER_MS at most.
 * Written on the socket itself: Node's own response would destroy the socket as soon as the answer is out.
 */
function answerAndClose(
  request: IncomingMessage,
  status: number,
  headers: Record<string, string>,
  body: string | Uint8Array,
): void {
  const socket = request.socket;
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    `date: ${new Date().toUTCString()}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'connection: close',
    '',
    '',
  ].join('\r\n');
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body)]));
  request.on('data', () => {});
  request.resume();
  const linger = setTimeout(() => socket.destroy(), LINGER_MS);
  linger.unref?.();
  socket.once('close', () => clearTimeout(linger));
}
