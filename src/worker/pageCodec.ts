/**
 * The worker protocol on a wire (the page's WebSocket to `npm start`'s server): CBOR, which carries the
 * snapshots' typed arrays as they are (no base64, no number-by-number JSON), both ways. Snapshots travel as
 * deltas on the one the page received last (snapshotDelta.ts), whole only when a delta cannot say it or
 * now and then as a safety resync; the page's relay worker (PageReceiver) rebuilds each one and posts what
 * the in-page worker would have posted.
 */
import { decode, encode, TypeEncoderMap, type Writer } from 'cbor2';
import { writeInt, writeUnknown } from 'cbor2/encoder';
import { type Command, type SimulationSnapshot, type WorkerEvent, withoutLayout } from './protocol';
import { applySnapshotDelta, diffSnapshot, type FieldsPatch } from './snapshotDelta';

/**
 * A snapshot on the wire (server → page): whole, or what changed since the snapshot of version
 * `baseVersion` — the one this page received last.
 */
export type SnapshotMessage =
  | { type: 'snapshotFull'; snapshot: SimulationSnapshot }
  | { type: 'snapshotDelta'; baseVersion: number; patch: FieldsPatch };

/**
 * What the server sends a page: the worker's events, with snapshots as SnapshotMessages (the relay turns
 * them back into 'snapshot' events) and no 'connection' (the relay's own).
 */
export type ServerMessage = Exclude<WorkerEvent, { type: 'snapshot' | 'connection' }> | SnapshotMessage;

/**
 * What a page sends besides commands: asks for a whole snapshot, when a delta does not fit the snapshot it
 * holds (it never should; the answer repairs it instead of leaving the page stale until the safety resync).
 */
export type PageRequest = { type: 'snapshotResync' };

/** CBOR's major type of a map (RFC 8949 §3.1). */
const MAJOR_TYPE_MAP = 5;
/** Object keys' CBOR bytes, each encoded once: the snapshot's keys are a small, fixed vocabulary. */
const keyBytes = new Map<string, Uint8Array>();
const KEY_BYTES_KEPT = 4096;

/**
 * A plain object as cbor2 writes one (a definite-length map, its own keys as text strings in order), with
 * each key's bytes encoded once. cbor2 2.3 encodes every key through a new Writer (two 4 KiB buffers):
 * 2,000 ShardInfos took ~0.5 s, a 2 KB delta ~10 ms; this takes a few ms and a fraction of a ms.
 */
function writePlainObject(
  value: object,
  writer: Writer,
  options: Parameters<typeof writeUnknown>[2],
): undefined {
  const fields = value as Record<string, unknown>;
  const keys = Object.keys(fields);
  writeInt(keys.length, writer, MAJOR_TYPE_MAP);
  for (const key of keys) {
    let bytes = keyBytes.get(key);
    if (!bytes) {
      bytes = encode(key);
      if (keyBytes.size < KEY_BYTES_KEPT) keyBytes.set(key, bytes);
    }
    writer.write(bytes);
    writeUnknown(fields[key], writer, options);
  }
  return undefined;
}

const PAGE_TYPES = new TypeEncoderMap();
PAGE_TYPES.registerEncoder(Object, writePlainObject);

/** Any value of the page protocol as CBOR: cbor2's encoding, byte for byte, made quicker for objects. */
export function encodeForPage(value: unknown): Uint8Array {
  return encode(value, { types: PAGE_TYPES });
}

/** A server message as one WebSocket message. */
export function encodePageMessage(message: ServerMessage): Uint8Array {
  return encodeForPage(message);
}

/** A command or request (page → server) as one WebSocket message. */
export function encodePageCommand(command: Command | PageRequest): Uint8Array {
  return encodeForPage(command);
}

/** Decodes one message; throws on bytes that are not CBOR (the receiver answers with a commandError). */
export function decodePageMessage(bytes: Uint8Array): unknown {
  return decode(bytes);
}

/**
 * `next` for a page that holds `base` (undefined: it holds none, or must get it whole), as one WebSocket
 * message: a delta when one can say it (see diffSnapshot), else the whole snapshot (`full`).
 */
export function encodeSnapshot(
  base: SimulationSnapshot | undefined,
  next: SimulationSnapshot,
): { bytes: Uint8Array; full: boolean } {
  const patch = base ? diffSnapshot(base, next) : undefined;
  if (base && patch)
    return {
      bytes: encodePageMessage({ type: 'snapshotDelta', baseVersion: base.version, patch }),
      full: false,
    };
  return { bytes: encodePageMessage({ type: 'snapshotFull', snapshot: next }), full: true };
}

/** What one server message gives the page: an event to post, and/or a whole snapshot to ask for. */
export interface Received {
  event?: WorkerEvent;
  resync?: boolean;
}

/**
 * The relay's side of the wire: keeps the snapshot received last, applies each delta to it, and gives the
 * event the in-page worker (sim.worker.ts) would have posted — with the stream's `shards` and `lineage` left
 * out (`sameLayout`) while they are the ones it gave last. The snapshots it gives share arrays with the one
 * it keeps: post a copy (withOwnArrays) to transfer buffers.
 */
export class PageReceiver {
  private held: SimulationSnapshot | null = null;
  private layout: { generation: number; shards: unknown; lineage: unknown } | undefined;
  /** Asked for a whole snapshot and waiting for it: deltas until then are not for this page's snapshot. */
  private resyncing = false;

  /** The newest whole snapshot, as the server built it. */
  get snapshot(): SimulationSnapshot | null {
    return this.held;
  }

  /** Forgets everything (the connection is lost: the next one starts with a whole snapshot). */
  reset(): void {
    this.held = null;
    this.layout = undefined;
    this.resyncing = false;
  }

  receive(message: ServerMessage): Received {
    switch (message.type) {
      case 'snapshotFull':
        this.resyncing = false;
        return { event: this.posted(message.snapshot) };
      case 'snapshotDelta': {
        const base = this.held;
        if (!base || base.version !== message.baseVersion) return this.resync();
        let next: SimulationSnapshot;
        try {
          next = applySnapshotDelta(base, message.patch);
        } catch {
          return this.resync();
        }
        return { event: this.posted(next) };
      }
      default:
        return { event: message };
    }
  }

  private resync(): Received {
    if (this.resyncing) return {};
    this.resyncing = true;
    return { resync: true };
  }

  private posted(snapshot: SimulationSnapshot): WorkerEvent {
    this.held = snapshot;
    const stream = snapshot.stream;
    const layout = this.layout;
    if (
      stream !== null &&
      layout?.generation === snapshot.generation &&
      layout.shards === stream.shards &&
      layout.lineage === stream.lineage
    ) {
      return { type: 'snapshot', snapshot: withoutLayout(snapshot), sameLayout: true };
    }
    this.layout = stream
      ? { generation: snapshot.generation, shards: stream.shards, lineage: stream.lineage }
      : undefined;
    return { type: 'snapshot', snapshot };
  }
}
