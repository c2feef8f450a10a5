/**
 * Shardlab's shard engine: a faithful, pure-TypeScript model of the Kinesis Data Streams write path,
 * throttling and retention on a virtual clock. See ./README.md for the contract.
 */
import { dispatchWire, type WireResponse } from './api/dispatch';
import type { OperationName } from './api/operations';
import type { TypedRequest } from './api/validation';
import { type ApiResult, type EngineOptions, ShardEngine } from './engine';
import { buildStreamSnapshot, type StreamSnapshot } from './snapshot';

export type { AccountLimits, AccountUsage, DescribeLimitsOutput } from './accountLimits';
export { decodeBase64, encodeBase64 } from './api/base64';
export type { WireResponse } from './api/dispatch';
export type { OperationName } from './api/operations';
export { OPERATION_NAMES } from './api/operations';
export { putRecordsInPlace } from './api/putRecordsBytes';
export type { TypedRequest } from './api/validation';
export type { ApiResult, AttemptCounters, EngineOptions } from './engine';
export { DEFAULT_START_TIME_MS, ShardEngine, WRITE_REJECTED, WRITE_THROTTLED } from './engine';
export type { KinesisErrorType } from './errors';
export { KinesisError } from './errors';
export * from './hashKey';
export * as limits from './limits';
export { ENGINE_VERSION } from './limits';
export { md5Hex, utf8ByteLength } from './md5';
export { SeededRandom } from './random';
export { formatSequenceNumber, parseSequenceNumber } from './sequenceNumber';
export type { HotKeyInfo, ShardInfo, ShardSeries, StreamSnapshot } from './snapshot';
export type { Shard, Stream, StreamStatus } from './stream';
export { shardIdOf } from './stream';

/** The engine's public contract: wire-form calls, typed calls, virtual time and snapshots. */
export interface Engine {
  /** One Kinesis API call in wire form, e.g. ('Kinesis_20131202.PutRecord', '{"StreamName":…}').
   *  Returns the HTTP status and JSON body exactly as Kinesis would. Never throws. */
  dispatch(target: string, body: string): WireResponse;
  /** Advance the virtual clock; expiry, refills and transitions happen as time passes. */
  advanceTime(ms: number): void;
  /** Current virtual time, epoch milliseconds. */
  now(): number;
  /** One operation with a typed request (Data as Uint8Array): same validation and semantics, no JSON/base64. */
  call(operation: OperationName, request: TypedRequest): ApiResult;
  /** The metrics snapshot the UI needs for one stream, with `seconds` of per-second history. */
  snapshot(streamName: string, seconds?: number, hotKeyLimit?: number): StreamSnapshot | undefined;
  /** The underlying engine, for hosts that drive producers through the fast write path. */
  readonly core: ShardEngine;
}

/** Creates an engine with its own virtual clock, streams and seeded randomness. */
export function createEngine(options?: EngineOptions): Engine {
  const core = new ShardEngine(options);
  return {
    core,
    dispatch: (target, body) => dispatchWire(core, target, body),
    advanceTime: (ms) => core.advanceTime(ms),
    now: () => core.now(),
    call: (operation, request) => core.call(operation, request),
    snapshot: (streamName, seconds, hotKeyLimit) =>
      buildStreamSnapshot(core, streamName, seconds, hotKeyLimit),
  };
}
