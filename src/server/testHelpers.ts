/**
 * Raw HTTP/1.1 and HTTP/2 requests for the endpoint's tests: the headers are sent as given (no defaults),
 * and the whole answer comes back as bytes.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { ClientHttp2Session } from 'node:http2';

/** An HTTP answer: status, headers and the whole body. */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One HTTP/1.1 request to 127.0.0.1:`port` on its own connection. */
export function http1Request(
  port: number,
  headers: Record<string, string>,
  body: string | Uint8Array = '',
  method = 'POST',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, method, path: '/', headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** One HTTP/2 request on `client` (a session opened with prior knowledge). */
export function http2Request(
  client: ClientHttp2Session,
  headers: Record<string, string>,
  body: string | Uint8Array = '',
  method = 'POST',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = client.request({ ':method': method, ':path': '/', ...headers });
    const chunks: Buffer[] = [];
    let status = 0;
    let answerHeaders: IncomingHttpHeaders = {};
    stream.on('response', (received) => {
      status = Number(received[':status']);
      answerHeaders = received;
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve({ status, headers: answerHeaders, body: Buffer.concat(chunks) }));
    stream.on('error', reject);
    // Node ends a GET or DELETE stream's request side itself.
    if (!stream.writableEnded) stream.end(body);
  });
}
