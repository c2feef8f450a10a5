/**
 * `npm start`'s server: one port that serves the page (HTTP/1.1), the page's WebSocket (snapshots and
 * commands) and a Kinesis-compatible endpoint over HTTP/1.1 **and** cleartext HTTP/2 with prior knowledge
 * (the AWS SDK for JavaScript v3's default). The first bytes of each connection tell which: an HTTP/2
 * connection opens with the preface `PRI * HTTP/2.0`.
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import sirv from 'sirv';
import { WebSocketServer } from 'ws';
import { limits } from '../engine';
import { errors } from '../engine/errors';
import { decodePageMessage, encodePageMessage } from '../worker/pageCodec';
import {
  type Command,
  SERVER_SESSION_PATH,
  SERVER_SOCKET_PATH,
  type ServerSessionInfo,
} from '../worker/protocol';
import { CallTurns } from './callTurns';
import { type Dispatch, handleKinesisRequest, isKinesisRequest } from './kinesisHttp';
import type { PageConnection, Session } from './session';

/** A connection that sends nothing for this long (ms) is closed; so is one whose headers take longer. */
const IDLE_TIMEOUT_MS = 60_000;
const HEADERS_TIMEOUT_MS = 10_000;
/** Bytes of snapshots a page may have unsent before the next snapshot is skipped for it. */
const PAGE_BACKLOG_BYTES = 8 * 1024 * 1024;
/** A page's command is small; anything larger is refused by the WebSocket itself. */
const PAGE_MESSAGE_MAX_BYTES = 1024 * 1024;

export interface ShardlabServerOptions {
  session: Session;
  /** The built page (vite's `dist/`), or none (endpoint and WebSocket only, e.g. in tests). */
  staticDir?: string;
  host?: string;
  port?: number;
  /**
   * The presenter's token: pages that carry it (`?token=`) may change the simulation. Undefined: every
   * page may (the server is on loopback only).
   */
  token?: string;
  /** How long a connection may take to send its request headers (ms); 10 s unless a test says otherwise. */
  headersTimeoutMs?: number;
  /** Answers Kinesis calls; the session's dispatch unless a test or bench gives another. */
  dispatch?: Dispatch;
}

export interface ShardlabServer {
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

/** A fresh presenter token: 16 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(16).toString('base64url');
}

/** Starts the server; resolves once it listens. Rejects if the port cannot be bound (e.g. in use). */
export function startServer(options: ShardlabServerOptions): Promise<ShardlabServer> {
  const { session } = options;
  const dispatch: Dispatch =
    options.dispatch ?? ((target, body, bytes) => session.dispatch(target, body, bytes));
  const turns = new CallTurns(() => session.settle());
  const assets = options.staticDir
    ? sirv(options.staticDir, { single: true, etag: true, gzip: false, dev: false })
    : undefined;

  const onRequest = (
    request: IncomingMessage | Http2ServerRequest,
    response: ServerResponse | Http2ServerResponse,
  ) => {
    if (isKinesisRequest(request)) {
      handleKinesisRequest(request, response, dispatch, turns);
      return;
    }
    const path = (request.url ?? '/').split('?')[0];
    if (path === SERVER_SESSION_PATH) {
      const info: ServerSessionInfo = {
        server: 'shardlab',
        socket: SERVER_SOCKET_PATH,
        tokenRequired: options.token !== undefined,
      };
      const body = JSON.stringify(info);
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(body);
      return;
    }
    if (assets && !('stream' in request)) {
      assets(request as IncomingMessage, response as ServerResponse, () => {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('Not found');
      });
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('Not found');
  };

  const http1 = createHttp1Server(
    {
      headersTimeout: options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS,
      requestTimeout: 0,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: 1_000,
    },
    onRequest,
  );
  http1.timeout = IDLE_TIMEOUT_MS;
  // The HTTP/1.1 server never listens itself (the sniffing listener hands it connections); Node starts
  // enforcing headersTimeout on 'listening', so say it.
  http1.emit('listening');
  // `Expect: 100-continue` with a body over the maximum is answered 413 at once, never "send it".
  http1.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    const declared = Number(request.headers['content-length']);
    if (!(isKinesisRequest(request) && declared > limits.ENDPOINT_MAX_BODY_BYTES)) response.writeContinue();
    onRequest(request, response);
  });
  const http2 = createHttp2Server({}, onRequest);
  http2.on('session', (h2session) => h2session.setTimeout(IDLE_TIMEOUT_MS, () => h2session.close()));
  // A malformed HTTP/1.1 request gets a plain 400 and the connection ends; the server carries on.
  http1.on('clientError', (cause: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const timedOut = cause.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const error = timedOut
      ? errors.requestTimeout(options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS)
      : errors.malformedHttp();
    const body = JSON.stringify(error.toBody());
    socket.end(
      `HTTP/1.1 ${timedOut ? '408 Request Timeout' : '400 Bad Request'}\r\nContent-Type: ${limits.CONTENT_TYPE_JSON}\r\nx-amzn-ErrorType: ${error.type}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
  http2.on('sessionError', () => {});

  const pages = new WebSocketServer({ noServer: true, maxPayload: PAGE_MESSAGE_MAX_BYTES });
  http1.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://shardlab.local');
    if (url.pathname !== SERVER_SOCKET_PATH || !sameOrigin(request)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const canControl = options.token === undefined || url.searchParams.get('token') === options.token;
    pages.handleUpgrade(request, socket, head, (ws) => {
      const page: PageConnection = {
        canControl,
        send(message, droppable) {
          if (ws.readyState !== ws.OPEN) return false;
          if (droppable && ws.bufferedAmount > PAGE_BACKLOG_BYTES) return false;
          ws.send(message);
          return true;
        },
      };
      session.attach(page);
      ws.on('message', (data, isBinary) => {
        let command: unknown;
        try {
          command = isBinary ? decodePageMessage(toBytes(data)) : JSON.parse(String(data));
        } catch {
          command = undefined;
        }
        if (
          typeof command !== 'object' ||
          command === null ||
          typeof (command as { type?: unknown }).type !== 'string'
        ) {
          page.send(
            encodePageMessage({ type: 'commandError', field: 'command', message: 'not a Shardlab command' }),
          );
          return;
        }
        session.command(page, command as Command);
      });
      ws.on('close', () => session.detach(page));
      ws.on('error', () => session.detach(page));
    });
  });

  const sockets = new Set<Socket>();
  const listener: Server = createNetServer({ pauseOnConnect: false }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(HEADERS_TIMEOUT_MS, () => socket.destroy());
    sniff(socket, (isHttp2) => {
      socket.setTimeout(0);
      (isHttp2 ? http2 : http1).emit('connection', socket);
    });
  });
  listener.maxConnections = 4096;

  return new Promise((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(options.port ?? 4173, options.host ?? '127.0.0.1', () => {
      listener.off('error', reject);
      const address = listener.address();
      const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
      resolve({
        port,
        host: options.host ?? '127.0.0.1',
        close: () =>
          new Promise<void>((done) => {
            for (const client of pages.clients) client.terminate();
            for (const socket of sockets) socket.destroy();
            http2.close();
            http1.close();
            listener.close(() => done());
          }),
      });
    });
  });
}

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n');

/**
 * Reads a connection's first bytes, puts them back, and says whether it is HTTP/2 with prior knowledge:
 * only the HTTP/2 preface starts with "PRI"; no HTTP/1.1 method does.
 */
function sniff(socket: Socket, decided: (isHttp2: boolean) => void): void {
  let seen: Buffer = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const n = Math.min(seen.length, PREFACE.length);
    const couldBeHttp2 = seen.subarray(0, n).equals(PREFACE.subarray(0, n));
    if (couldBeHttp2 && seen.length < PREFACE.length) return;
    socket.off('data', onData);
    socket.pause();
    socket.unshift(seen);
    decided(couldBeHttp2);
    // HTTP/2 takes the bytes put back itself (it reads what the socket buffered); resuming here would
    // hand them to no listener. HTTP/1.1 reads them once the socket flows again.
    if (!couldBeHttp2) socket.resume();
  };
  socket.on('data', onData);
}

/** Browsers send an Origin on WebSocket upgrades: it must be this server's own, so no other site drives it. */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function toBytes(data: unknown): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data as Buffer;
}
