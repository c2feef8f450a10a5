/// <reference lib="webworker" />
// The Web Worker entry when `npm start`'s server runs the engine: relays commands to the server's WebSocket
// and the server's batched snapshots back, decoding them (CBOR) here so the page's thread only draws. It
// reconnects by itself; once it has been up, commands sent while it is down are refused with a message, never
// queued (those sent before the first connection, as the page opens, wait for it).
import { decodePageMessage, encodePageCommand } from './pageCodec';
import { type Command, snapshotTransferables, type WorkerEvent } from './protocol';

/** The first message the page sends: where the server's WebSocket is. */
export interface RelayConnect {
  type: 'relayConnect';
  url: string;
}

const RECONNECT_MS = 1000;
const scope = self as unknown as DedicatedWorkerGlobalScope;
let socket: WebSocket | undefined;
let connected = false;
/** Commands sent before the first connection (a deep link acted on as the page opens) wait for it. */
let everConnected = false;
const early: Command[] = [];

const post = (event: WorkerEvent) => {
  if (event.type === 'snapshot') {
    try {
      scope.postMessage(event, snapshotTransferables(event.snapshot));
      return;
    } catch {
      // Decoded arrays may share a buffer in ways transfer refuses: copy instead.
    }
  }
  scope.postMessage(event);
};

function connect(url: string): void {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  socket = ws;
  ws.addEventListener('open', () => {
    connected = true;
    everConnected = true;
    post({ type: 'connection', connected: true });
    for (const command of early.splice(0)) ws.send(encodePageCommand(command) as Uint8Array<ArrayBuffer>);
  });
  ws.addEventListener('message', (e: MessageEvent<ArrayBuffer | string>) => {
    try {
      const data =
        typeof e.data === 'string' ? JSON.parse(e.data) : decodePageMessage(new Uint8Array(e.data));
      post(data as WorkerEvent);
    } catch (error) {
      post({
        type: 'commandError',
        field: 'connection',
        message: `an unreadable message from the server: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  });
  ws.addEventListener('close', () => {
    if (connected) post({ type: 'connection', connected: false });
    connected = false;
    setTimeout(() => connect(url), RECONNECT_MS);
  });
}

scope.addEventListener('message', (e: MessageEvent<Command | RelayConnect>) => {
  const message = e.data;
  if (message.type === 'relayConnect') {
    if (!socket) connect(message.url);
    return;
  }
  if (!everConnected) {
    early.push(message);
    return;
  }
  if (!socket || !connected) {
    post({
      type: 'commandError',
      field: 'connection',
      message: 'not connected to the Shardlab server (reconnecting): nothing was changed',
    });
    return;
  }
  socket.send(encodePageCommand(message) as Uint8Array<ArrayBuffer>);
});
