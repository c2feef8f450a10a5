/**
 * The worker protocol on a wire (the page's WebSocket to `npm start`'s server): CBOR, which carries the
 * snapshots' typed arrays as they are (no base64, no number-by-number JSON), both ways.
 */
import { decode, encode } from 'cbor2';
import type { Command, WorkerEvent } from './protocol';

/** An event (server → page) as one WebSocket message. */
export function encodePageMessage(event: WorkerEvent): Uint8Array {
  return encode(event);
}

/** A command (page → server) as one WebSocket message. */
export function encodePageCommand(command: Command): Uint8Array {
  return encode(command);
}

/** Decodes one message; throws on bytes that are not CBOR (the receiver answers with a commandError). */
export function decodePageMessage(bytes: Uint8Array): unknown {
  return decode(bytes);
}
