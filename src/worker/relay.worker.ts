/// <reference lib="webworker" />
// The Web Worker entry when `npm start`'s server runs the engine: relays commands to the server's WebSocket
// and the server's batched snapshots back, decoding them (CBOR) and rebuilding each from the previous one and
// the server's delta (PageReceiver) here, so the page's thread only draws what the in-page worker would have
// posted. It reconnects by itself (the server then starts again with a whole snapshot); once it has been
// up, commands sent while it is down are refused with a message, never queued (those sent before the first
// connection, as the page opens, wait for it).
import { decodePageMessage, encodePageCommand, PageReceiver, type ServerMessage } from './pageCodec';
import { type Command, snapshotTransferables, type WorkerEvent } from './protocol';
import { withOwnArrays } from './snapshotDelta';

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
const receiver = new PageReceiver();

const post = (event: WorkerEvent) => {
  if (event.type === 'snapshot') {
    // The receiver keeps the snapshot's arrays for the next delta: transfer copies of them.
    const snapshot = withOwnArrays(event.snapshot);
    scope.postMessage({ ...event, snapshot }, snapshotTransferables(snapshot));
    return;
  }
  scope.postMessage(event);
};

function connect(url: string): void {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  socket = ws;
  ws.addEventListener('open', () => {
    receiver.reset();
    connected = true;
    everConnected = true;
    post({ type: 'connection', connected: true });
    for (const command of early.splice(0)) ws.send(encodePageCommand(command) as Uint8Array<ArrayBuffer>);
  });
  ws.addEventListener('message', (e: MessageEvent<ArrayBuffer | string>) => {
    try {
      const data =
        typeof e.data === 'string' ? JSON.parse(e.data) : decodePageMessage(new Uint8Array(e.data));
      const { event, resync } = receiver.receive(data as ServerMessage);
      if (event) post(event);
      if (resync) ws.send(encodePageCommand({ type: 'snapshotResync' }) as Uint8Array<ArrayBuffer>);
    } catch (error) {
      post({
        type: 'commandError',
        field: 'connection',
        message: `an unreadable message from the server: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  });
  ws.addEventListener('close', () => {
    receiver.reset();
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
