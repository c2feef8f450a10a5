// @vitest-environment node
// The server's own connection handling (the Kinesis semantics are the endpoint tests'): slow headers time
// out, and `Expect: 100-continue` with an oversized body is refused before the body is sent.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { limits } from '../engine';
import { decodePageMessage, encodePageCommand } from '../worker/pageCodec';
import type { WorkerEvent } from '../worker/protocol';
import { type ShardlabServer, startServer } from './server';
import { Session } from './session';

let server: ShardlabServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Writes `text` on a raw connection and resolves with everything the server sent until it closed. */
function exchange(port: number, text: string, waitMs: number): Promise<{ answer: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = () => resolve({ answer, ms: Date.now() - started });
    socket.on('data', (chunk) => {
      answer += String(chunk);
    });
    socket.on('close', done);
    socket.on('error', done);
    socket.write(text);
    setTimeout(() => socket.destroy(), waitMs);
  });
}

describe('the server with slow or eager clients', () => {
  it('closes a connection whose headers never finish, after headersTimeoutMs', async () => {
    server = await startServer({ session: new Session(), port: 0, headersTimeoutMs: 1000 });
    const { answer, ms } = await exchange(server.port, 'POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Tar', 8000);
    expect(ms).toBeLessThan(4000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('answers Expect: 100-continue with 413, not "continue", when the declared body is over the maximum', async () => {
    server = await startServer({ session: new Session(), port: 0 });
    const { answer } = await exchange(
      server.port,
      [
        'POST / HTTP/1.1',
        'Host: x',
        'Content-Type: application/x-amz-json-1.1',
        'X-Amz-Target: Kinesis_20131202.PutRecords',
        'Authorization: AWS4-HMAC-SHA256 Credential=x',
        `Content-Length: ${limits.ENDPOINT_MAX_BODY_BYTES + 1}`,
        'Expect: 100-continue',
        '',
        '',
      ].join('\r\n'),
      3000,
    );
    expect(answer).not.toContain('100 Continue');
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toContain('"__type":"SerializationException"');
  });
});

/** Opens the page's WebSocket and resolves with the first event of `type`, or the HTTP status if refused. */
function pageSocket(
  port: number,
  query: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; events: WorkerEvent[] } | { refused: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/shardlab/ws${query}`, { headers });
    const events: WorkerEvent[] = [];
    ws.on('message', (data: Buffer) => events.push(decodePageMessage(data) as WorkerEvent));
    ws.on('open', () => resolve({ ws, events }));
    ws.on('unexpected-response', (_request, response) => resolve({ refused: response.statusCode ?? 0 }));
  });
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('the page WebSocket on a LAN server (presenter token)', () => {
  it('lets only the page with the token change the simulation; others view', async () => {
    const session = new Session();
    server = await startServer({ session, port: 0, token: 'secret-token' });
    const viewer = await pageSocket(server.port, '');
    const presenter = await pageSocket(server.port, '?token=secret-token');
    if ('refused' in viewer || 'refused' in presenter) throw new Error('refused');
    await until(() => viewer.events.length > 0 && presenter.events.length > 0);
    expect(viewer.events[0]).toEqual({ type: 'session', canControl: false });
    expect(presenter.events[0]).toEqual({ type: 'session', canControl: true });
    viewer.ws.send(encodePageCommand({ type: 'pause' }));
    await until(() => viewer.events.some((e) => e.type === 'commandError'));
    expect(session.host.status().playing).toBe(true);
    presenter.ws.send(encodePageCommand({ type: 'pause' }));
    await until(() => !session.host.status().playing);
    expect(session.host.status().playing).toBe(false);
    viewer.ws.close();
    presenter.ws.close();
  });

  it("refuses another site's page (its Origin is not this server's)", async () => {
    server = await startServer({ session: new Session(), port: 0 });
    const answer = await pageSocket(server.port, '', { Origin: 'http://evil.example' });
    expect(answer).toEqual({ refused: 403 });
    const same = await pageSocket(server.port, '', { Origin: `http://127.0.0.1:${server.port}` });
    expect('ws' in same).toBe(true);
    if ('ws' in same) same.ws.close();
  });
});
