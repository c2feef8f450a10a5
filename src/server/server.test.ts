// @vitest-environment node
// The server's own connection handling (the Kinesis semantics are the endpoint tests'): slow headers time
// out, and `Expect: 100-continue` with an oversized body is refused before the body is sent.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { limits } from '../engine';
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
