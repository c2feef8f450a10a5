import { OPERATION_SHAPES, type OperationName, STREAM_ADDRESSED } from './api/operations';
import type { StructureShape } from './api/shape';
import { type TypedRequest, validateRequest } from './api/validation';
import { EngineClock } from './clock';
import { ControlPlane } from './controlPlane';
import { type AttemptCounters, type EngineOptions, EngineState } from './engineState';
import { errors, KinesisError } from './errors';
import { type FaultError, FaultInjector, faultError } from './faults';
import type { ThrottleModel } from './limits';
import {
  ON_DEMAND_PEAK_FACTOR,
  ON_DEMAND_SCALE_DELAY_MS,
  ON_DEMAND_SPLIT_BYTES_PER_SECOND,
  RESHARD_MS_DEFAULT,
  SHARD_COUNT_UPDATE_MS_DEFAULT,
} from './limits';
import { OnDemandCapacity } from './onDemand';
import type { SeededRandom } from './random';
import { ReadPath } from './readPath';
import { Resharding } from './resharding';
import type { Stream } from './stream';
import { type InPlaceAnswer, type InPlaceEntries, WritePath } from './writePath';

export type { AttemptCounters, EngineOptions } from './engineState';
export { DEFAULT_START_TIME_MS } from './engineState';
export { WRITE_REJECTED, WRITE_THROTTLED } from './writePath';

/** A typed call's result: the operation's output, or the Kinesis error it would have returned. */
export type ApiResult = { ok: true; value: Record<string, unknown> } | { ok: false; error: KinesisError };

type Handler = (request: TypedRequest) => Record<string, unknown>;

/**
 * The shard engine: streams, shards, records and their limits on a virtual clock. Pure and synchronous;
 * the host calls it and advances time. Errors are returned as Kinesis would, never thrown to the host.
 *
 * A thin facade over one-concern parts that share an EngineState: the clock and lifecycle (EngineClock),
 * the control plane (ControlPlane), resharding (Resharding), the write path (WritePath) and the read path
 * (ReadPath). Metrics live
 * per shard (shardMetrics.ts) and snapshots read them (snapshot.ts).
 */
export class ShardEngine {
  readonly state: EngineState;
  readonly clock: EngineClock;
  readonly control: ControlPlane;
  readonly writes: WritePath;
  readonly reads: ReadPath;
  readonly resharding: Resharding;
  readonly onDemand: OnDemandCapacity;
  /** Injected PutRecord(s) failures (faults.ts): set by the host, consulted by call() and the producers. */
  readonly faults: FaultInjector;
  private readonly handlers: Record<OperationName, Handler>;
  private readonly shapesWithRequiredName = new Map<OperationName, StructureShape>();
  /** PutRecord(s) shapes for an AUTO stream, whose PartitionKey is optional [model §15.2]. */
  private readonly autoShapes = new Map<OperationName, StructureShape>();

  constructor(options: EngineOptions = {}) {
    this.state = new EngineState(options);
    this.faults = new FaultInjector(options.seed ?? 1);
    this.resharding = new Resharding(this.state, {
      reshardMs: options.reshardMs ?? RESHARD_MS_DEFAULT,
      shardCountUpdateMs: options.shardCountUpdateMs ?? SHARD_COUNT_UPDATE_MS_DEFAULT,
    });
    this.onDemand = new OnDemandCapacity(this.state, this.resharding, {
      modeUpdateMs: options.reshardMs ?? RESHARD_MS_DEFAULT,
      scaleDelayMs: options.onDemand?.scaleDelayMs ?? ON_DEMAND_SCALE_DELAY_MS,
      peakFactor: options.onDemand?.peakFactor ?? ON_DEMAND_PEAK_FACTOR,
      splitBytesPerSecond: options.onDemand?.splitBytesPerSecond ?? ON_DEMAND_SPLIT_BYTES_PER_SECOND,
    });
    this.clock = new EngineClock(this.state, {
      completeUpdate: (stream) => {
        this.resharding.complete(stream);
        this.onDemand.completeModeUpdate(stream);
      },
      completeScaling: (stream) => this.onDemand.completeScaling(stream),
      onSecond: (stream, second) => this.onDemand.onSecond(stream, second),
    });
    this.control = new ControlPlane(this.state, this.clock);
    this.writes = new WritePath(this.state);
    this.reads = new ReadPath(this.state);
    const { control, writes, reads, resharding, onDemand } = this;
    this.handlers = {
      CreateStream: (r) => control.createStream(r),
      DeleteStream: (r) => control.deleteStream(r),
      ListStreams: (r) => control.listStreams(r),
      DescribeStream: (r) => control.describeStream(r),
      DescribeStreamSummary: (r) => control.describeStreamSummary(r),
      ListShards: (r) => control.listShards(r),
      PutRecord: (r) => writes.putRecord(r),
      PutRecords: (r) => writes.putRecords(r),
      GetShardIterator: (r) => reads.getShardIterator(r),
      GetRecords: (r) => reads.getRecords(r),
      IncreaseStreamRetentionPeriod: (r) => control.changeRetention(r, 'increase'),
      DecreaseStreamRetentionPeriod: (r) => control.changeRetention(r, 'decrease'),
      DescribeLimits: () => control.describeLimits(),
      AddTagsToStream: (r) => control.addTagsToStream(r),
      ListTagsForStream: (r) => control.listTagsForStream(r),
      RemoveTagsFromStream: (r) => control.removeTagsFromStream(r),
      UpdateMaxRecordSize: (r) => control.updateMaxRecordSize(r),
      SplitShard: (r) => resharding.splitShard(r),
      MergeShards: (r) => resharding.mergeShards(r),
      UpdateShardCount: (r) => resharding.updateShardCount(r),
      UpdateStreamMode: (r) => onDemand.updateStreamMode(r),
      UpdateStreamRecordDistributionStrategy: (r) => onDemand.updateRecordDistribution(r),
    };
    this.autoShapes.set('PutRecord', withOptionalPartitionKey(OPERATION_SHAPES.PutRecord));
    const records = OPERATION_SHAPES.PutRecords.members.Records;
    this.autoShapes.set('PutRecords', {
      type: 'Structure',
      members: {
        ...OPERATION_SHAPES.PutRecords.members,
        Records: { ...records, member: withOptionalPartitionKey(records.member) },
      },
    } as StructureShape);
    for (const name of STREAM_ADDRESSED)
      this.shapesWithRequiredName.set(name, withRequiredStreamName(OPERATION_SHAPES[name]));
  }

  get accountId(): string {
    return this.state.accountId;
  }
  get region(): string {
    return this.state.region;
  }
  get throttleModel(): ThrottleModel {
    return this.state.throttleModel;
  }
  get transitionMs(): number {
    return this.state.transitionMs;
  }
  get detailBudget(): number {
    return this.state.detailBudget;
  }
  get random(): SeededRandom {
    return this.state.random;
  }
  get counters(): AttemptCounters {
    this.writes.settle();
    return this.state.counters;
  }
  get accountLimits() {
    return this.state.accountLimits;
  }
  /** The shard the last fast-path record (putRecordFast, putUnpinned, writeRecord) went to, whatever its outcome. */
  get lastShardIndex(): number {
    return this.writes.lastShardIndex;
  }
  /** Why the last fast-path record returned WRITE_REJECTED, as the Kinesis error PutRecord would give. */
  get lastRejection(): KinesisError | undefined {
    return this.writes.lastRejection;
  }

  /**
   * Completes the PutRecords read in place that was answered last (WritePath.putRecordsInPlace): stores its
   * accepted records and counts its entries. The methods that read or change records, counts or time settle
   * first (call, dispatchWire, advanceTime, stream, streamNames, counters, nextExpiryMs, the fast writers,
   * beginPut/endPut, countRejected/countFaulted); the public fields (state, writes, reads, …) cannot, so a host
   * that reads through them settles itself (the server's Session settles before every use). Nothing to do,
   * and cheap, when all is settled.
   */
  settle(): void {
    this.writes.settle();
  }

  /** Current virtual time, epoch milliseconds. */
  now(): number {
    return this.state.nowMs;
  }

  /** Advances the virtual clock; state transitions, expiry and per-second metrics happen as time passes. */
  advanceTime(ms: number): void {
    this.writes.settle();
    this.clock.advanceTime(ms);
  }

  /** When the next retained record of a stream expires (virtual ms), or Infinity. */
  nextExpiryMs(streamName: string): number {
    this.writes.settle();
    return this.clock.nextExpiryMs(streamName);
  }

  /**
   * Runs one operation with a typed request (Data as Uint8Array): the same validation and semantics as
   * dispatch, without the JSON and base64 round trip.
   */
  call(operation: OperationName, request: TypedRequest): ApiResult {
    this.writes.settle();
    // A dry run attempts no record, whatever its answer.
    const attempted =
      request.DryRun === true
        ? 0
        : operation === 'PutRecord'
          ? 1
          : operation === 'PutRecords'
            ? countEntries(request)
            : 0;
    try {
      const needsName = STREAM_ADDRESSED.has(operation) && request.StreamARN === undefined;
      const auto = this.autoShapes.get(operation);
      const onAutoStream =
        auto !== undefined && this.state.namedStream(request)?.recordDistribution === 'AUTO';
      const base: StructureShape = onAutoStream ? auto : OPERATION_SHAPES[operation];
      const shape = !needsName
        ? base
        : onAutoStream
          ? withRequiredStreamName(base)
          : (this.shapesWithRequiredName.get(operation) as StructureShape);
      const invalid = validateRequest(request, shape);
      if (invalid) throw invalid;
      if (attempted > 0 && this.faults.any) this.injectFault(request, attempted);
      return { ok: true, value: this.handlers[operation](request) };
    } catch (caught) {
      const error = caught instanceof KinesisError ? caught : errors.internalFailure();
      if (error.type !== 'ProvisionedThroughputExceededException') this.countRejected(attempted, request);
      return { ok: false, error };
    }
  }

  /**
   * Fails a valid PutRecord(s) call on a writable stream when an injected fault picks it (faults.ts): throws
   * the fault's error. A throttled call's records are counted throttled here (the shards never see them);
   * an InternalFailure's are counted rejected by call(), as any other refused request's.
   */
  private injectFault(request: TypedRequest, records: number): void {
    const stream = this.state.namedStream(request);
    if (!stream || (stream.status !== 'ACTIVE' && stream.status !== 'UPDATING')) return;
    const error = this.faults.decide(stream.name, this.state.nowMs, records);
    if (error === undefined) return;
    // call() counts an InternalFailure's records rejected, as any refused request's.
    if (error === 'ProvisionedThroughputExceededException') this.countFaulted(stream, error, records);
    throw faultError(error, stream.name, this.state.accountId);
  }

  /**
   * Counts `records` records of calls an injected fault failed: a throttling fault's as throttled (engine
   * and stream totals; no shard saw them), an InternalFailure's as rejected.
   */
  countFaulted(stream: Stream, error: FaultError, records: number): void {
    this.writes.settle();
    if (records <= 0) return;
    if (error === 'ProvisionedThroughputExceededException') {
      this.state.counters.throttled += records;
      stream.totals.throttled += records;
    } else {
      this.state.counters.rejected += records;
      stream.totals.rejected += records;
    }
  }

  /**
   * Counts records of a refused request: engine-wide, and in the totals of the stream the request names
   * (by a StreamName or StreamARN string), if that stream exists.
   */
  countRejected(records: number, request?: Record<string, unknown>): void {
    this.writes.settle();
    this.state.countRejected(records, request);
  }

  /** The stream with this name, for the fast write path and snapshots. */
  stream(name: string): Stream | undefined {
    this.writes.settle();
    return this.state.streams.get(name);
  }

  /** Names of all streams, in creation order. */
  streamNames(): string[] {
    this.writes.settle();
    return [...this.state.streams.keys()];
  }

  /**
   * Opens a put operation: the records written through the fast path until endPut are one PutRecords
   * request, one sample of CloudWatch's per-operation statistics (IncomingRecords Average/Maximum) on each
   * shard they reach. Records written while none is open are a PutRecord each (see PutOperations).
   */
  beginPut(): void {
    this.writes.settle();
    this.writes.operations.begin();
  }

  /** Closes the put operation beginPut opened (at the current virtual instant). */
  endPut(): void {
    this.writes.settle();
    this.writes.operations.end(this.state.nowMs);
  }

  /** Interns a partition key for repeated fast writes and pins it; returns its key id. */
  pinKey(stream: Stream, partitionKey: string): number {
    return this.writes.pinKey(stream, partitionKey);
  }

  /** Unpins a key pinned with pinKey. */
  unpinKey(stream: Stream, keyId: number): void {
    this.writes.unpinKey(stream, keyId);
  }

  /** The open shard (index into stream.shards) a key id routes to, by its MD5 hash key. */
  routeKey(stream: Stream, keyId: number): number {
    return this.writes.routeKey(stream, keyId);
  }

  /** The open shard (index into stream.shards) holding a 128-bit hash key given as 4 words. */
  routeHashKey(stream: Stream, words: Uint32Array, offset = 0): number {
    return this.state.routeHashKey(stream, words, offset);
  }

  /** WritePath.writeRecord: one record of a pinned key to a known shard (see there). */
  writeRecord(
    stream: Stream,
    shardIndex: number,
    keyId: number,
    dataBytes: number,
    payload?: Uint8Array,
    explicitHashKey?: Uint32Array,
  ): number {
    this.writes.settle();
    return this.writes.writeRecord(stream, shardIndex, keyId, dataBytes, payload, explicitHashKey);
  }

  /** WritePath.putRecordFast: PutRecord in process for any key, without validation (see there). */
  putRecordFast(stream: Stream, partitionKey: string, dataBytes: number, payload?: Uint8Array): number {
    this.writes.settle();
    return this.writes.putRecordFast(stream, partitionKey, dataBytes, payload);
  }

  /** WritePath.putUnpinned: putRecordFast for a key known to be new (see there). */
  putUnpinned(stream: Stream, partitionKey: string, dataBytes: number, payload?: Uint8Array): number {
    this.writes.settle();
    return this.writes.putUnpinned(stream, partitionKey, dataBytes, payload);
  }

  /** WritePath.writeAggregate: `count` attempts on one shard over (sinceMs, now] (see there). */
  writeAggregate(
    stream: Stream,
    shardIndex: number,
    count: number,
    bytesEach: number,
    sinceMs?: number,
  ): number {
    this.writes.settle();
    return this.writes.writeAggregate(stream, shardIndex, count, bytesEach, sinceMs);
  }

  /** WritePath.putRecordsInPlace: a checked PutRecords request's entries, read in place (see there). */
  putRecordsInPlace(stream: Stream, entries: InPlaceEntries, answer: InPlaceAnswer): number {
    return this.writes.putRecordsInPlace(stream, entries, answer);
  }

  /** WritePath.putRecordsProblem: the whole-request checks of PutRecords (see there). */
  putRecordsProblem(
    stream: Stream,
    dataBytes: ArrayLike<number>,
    keyBytes: ArrayLike<number>,
    count: number,
  ): KinesisError | undefined {
    return this.writes.putRecordsProblem(stream, dataBytes, keyBytes, count);
  }
}

/** A request shape whose StreamName is required (a request that does not name its stream by ARN). */
function withRequiredStreamName(shape: StructureShape): StructureShape {
  const members = {
    ...shape.members,
    StreamName: { ...shape.members.StreamName, notNull: true },
  } as StructureShape['members'];
  return { type: 'Structure', members };
}

/** A record shape whose PartitionKey may be left out (AUTO streams [model §15.2]). */
function withOptionalPartitionKey(shape: StructureShape): StructureShape {
  const members = {
    ...shape.members,
    PartitionKey: { ...shape.members.PartitionKey, notNull: false },
  } as StructureShape['members'];
  return { type: 'Structure', notNull: shape.notNull, members } as StructureShape;
}

function countEntries(request: TypedRequest): number {
  return Array.isArray(request.Records) ? request.Records.length : 0;
}
