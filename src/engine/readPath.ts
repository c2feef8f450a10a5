import type { TypedRequest } from './api/validation';
import type { EngineState } from './engineState';
import { streamNameOfArn } from './engineState';
import { errors, KinesisError } from './errors';
import { decodeIterator, encodeIterator, javaDateString } from './iterators';
import { GET_RECORDS_MAX_BYTES, GET_RECORDS_MAX_RECORDS, SHARD_ITERATOR_TTL_MS } from './limits';
import { parseSequenceNumber } from './sequenceNumber';
import { Shard, type Stream, shardIdOf, shardIndexOf } from './stream';

/**
 * The read path [model §6, §10]: GetShardIterator and GetRecords, with iterators signed by the engine, the
 * shard's shared read allowance, retention's trim horizon and the children of closed shards.
 */
export class ReadPath {
  private readonly state: EngineState;

  constructor(state: EngineState) {
    this.state = state;
  }

  private findShard(
    streamName: string,
    shardIdText: string,
    request: TypedRequest,
  ): { stream: Stream; shard: Shard } {
    const index = shardIndexOf(shardIdText);
    if (index === undefined)
      throw errors.shardNotFoundForResharding(shardIdText, streamName, this.state.accountId);
    let stream: Stream;
    try {
      stream = this.state.resolveStream(request);
    } catch (error) {
      // AWS names the shard, not the stream, when either is missing (kinesalite's recorded AWS tests).
      if (error instanceof KinesisError && error.type === 'ResourceNotFoundException') {
        throw errors.shardNotFound(shardIdOf(index), streamName, this.state.accountId);
      }
      throw error;
    }
    const shard = stream.shards[index];
    if (!shard || stream.status === 'CREATING' || !stream.isListed(shard, this.state.nowMs)) {
      throw errors.shardNotFound(shardIdOf(index), stream.name, this.state.accountId);
    }
    return { stream, shard };
  }

  /** GetShardIterator [model §10, §15.6]: an iterator at a position of the shard, valid 5 minutes. */
  getShardIterator(request: TypedRequest): Record<string, unknown> {
    const requestedName =
      (request.StreamName as string | undefined) ?? streamNameOfArn(request.StreamARN as string | undefined);
    const { stream, shard } = this.findShard(requestedName, request.ShardId as string, request);
    const type = request.ShardIteratorType as string;
    const sequence = request.StartingSequenceNumber as string | undefined;
    let ordinal: number;
    if (type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER') {
      if (sequence === undefined) throw errors.iteratorTypeMismatch(type, false);
      const fields = parseSequenceNumber(sequence);
      if (!fields)
        throw errors.invalidStartingSequenceNumber(
          sequence,
          shard.shardId,
          stream.name,
          this.state.accountId,
        );
      // The number must name a shard of this very stream (tag, index and creation second) [model §15.6] …
      const origin = stream.shardOfSequence(fields);
      if (!origin)
        throw errors.sequenceNumberOfOtherStream(sequence, shard.shardId, stream.name, this.state.accountId);
      // … and the shard asked for.
      if (origin !== shard) throw errors.sequenceNumberOfOtherShard(origin.shardId, shard.shardId);
      const counter =
        fields.counter > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(fields.counter);
      const at = Shard.ordinalOfCounter(counter);
      ordinal = type === 'AT_SEQUENCE_NUMBER' ? Math.max(0, at) : at + 1;
    } else if (sequence !== undefined) {
      throw errors.iteratorTypeMismatch(type, true);
    } else if (type === 'TRIM_HORIZON') {
      ordinal = 0;
    } else if (type === 'LATEST') {
      ordinal = shard.log.nextOrdinal;
    } else {
      const timestamp = request.Timestamp as number | undefined;
      if (timestamp === undefined) throw errors.timestampRequired();
      const timestampMs = Math.round(timestamp * 1000);
      if (timestampMs > this.state.nowMs) throw errors.timestampInFuture(timestampMs, this.state.nowMs);
      ordinal = shard.log.ordinalAtOrAfter(timestampMs);
    }
    if (request.DryRun === true)
      throw this.state.dryRuns.answer(stream, this.state.nowMs, this.state.accountId);
    // 5 calls per second per shard (API reference, GetShardIterator) [model §6].
    if (!shard.iteratorCalls.admit(this.state.nowMs))
      throw errors.shardRateExceeded(shard.shardId, stream.name, this.state.accountId);
    return {
      ShardIterator: encodeIterator(
        {
          streamName: stream.name,
          streamCreatedMs: stream.createdMs,
          streamTag: stream.sequenceTag,
          shardIndex: shard.index,
          ordinal,
          issuedMs: this.state.nowMs,
        },
        this.state.tokenSecret,
      ),
    };
  }

  /**
   * The name of the stream a shard iterator was issued for, or undefined if it is not one of this engine's
   * iterators (a GetRecords call names no stream: hosts file its errors by this).
   */
  streamOfIterator(iterator: string): string | undefined {
    return decodeIterator(iterator, this.state.tokenSecret)?.streamName;
  }

  /** GetRecords [model §6, §10]: records from the iterator on, within the shard's read allowance. */
  getRecords(request: TypedRequest): Record<string, unknown> {
    const state = decodeIterator(request.ShardIterator as string, this.state.tokenSecret);
    if (!state) throw errors.invalidShardIterator();
    const stream = this.state.streams.get(state.streamName);
    // An iterator of an earlier stream of the same name finds no stream (the tag tells apart two streams
    // created in the same ms).
    if (!stream || stream.createdMs !== state.streamCreatedMs || stream.sequenceTag !== state.streamTag)
      throw errors.streamNotFound(state.streamName, this.state.accountId);
    const shard = stream.shards[state.shardIndex];
    if (!shard) throw errors.invalidShardIterator();
    // An iterator taken before its shard expired finds the shard gone, as GetShardIterator would [model §9].
    if (!stream.isListed(shard, this.state.nowMs))
      throw errors.shardNotFound(shard.shardId, stream.name, this.state.accountId);
    if (this.state.nowMs - state.issuedMs > SHARD_ITERATOR_TTL_MS) {
      throw errors.iteratorExpired(javaDateString(state.issuedMs), javaDateString(this.state.nowMs));
    }
    if (request.DryRun === true)
      throw this.state.dryRuns.answer(stream, this.state.nowMs, this.state.accountId);
    if (!shard.reads.admitCall(this.state.nowMs))
      throw errors.shardRateExceeded(shard.shardId, stream.name, this.state.accountId);
    const limit = (request.Limit as number | undefined) ?? GET_RECORDS_MAX_RECORDS;
    const records: Record<string, unknown>[] = [];
    let bytes = 0;
    let lastArrival = 0;
    const next = shard.log.read(state.ordinal, (record) => {
      if (records.length >= limit) return false;
      const size = record.dataBytes + record.keyBytes;
      if (records.length > 0 && bytes + size > GET_RECORDS_MAX_BYTES) return false;
      bytes += size;
      lastArrival = record.arrivalMs;
      records.push({
        SequenceNumber: shard.sequenceNumberOf(record.ordinal, record.arrivalMs),
        ApproximateArrivalTimestamp: record.arrivalMs / 1000,
        Data: record.payload ?? new Uint8Array(record.dataBytes),
        // A record written to an AUTO stream without a key has none [model §15.2].
        ...(record.partitionKey === '' ? {} : { PartitionKey: record.partitionKey }),
      });
      return true;
    });
    shard.reads.charge(this.state.nowMs, bytes);
    const caughtUp = next >= shard.log.nextOrdinal;
    const result: Record<string, unknown> = {
      Records: records,
      MillisBehindLatest: caughtUp
        ? 0
        : Math.max(0, this.state.nowMs - (shard.log.arrivalOf(next) ?? lastArrival)),
    };
    if (shard.isOpen || !caughtUp) {
      result.NextShardIterator = encodeIterator(
        { ...state, ordinal: next, issuedMs: this.state.nowMs },
        this.state.tokenSecret,
      );
    } else {
      result.ChildShards = stream.shards
        .filter((s) => s.parentShardId === shard.shardId || s.adjacentParentShardId === shard.shardId)
        .map((s) => ({
          ShardId: s.shardId,
          ParentShards: [s.parentShardId, s.adjacentParentShardId].filter((p) => p !== undefined),
          HashKeyRange: {
            StartingHashKey: s.startingHashKey.toString(),
            EndingHashKey: s.endingHashKey.toString(),
          },
        }));
    }
    return result;
  }
}
