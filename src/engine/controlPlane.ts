import { accountUsage, createStreamRefusal, deleteStreamRefusal, describeLimits } from './accountLimits';
import type { TypedRequest } from './api/validation';
import type { EngineClock } from './clock';
import type { EngineState } from './engineState';
import { errors } from './errors';
import { createStreamHashRanges } from './hashKey';
import { decodeToken, encodeToken } from './iterators';
import {
  DESCRIBE_STREAM_DEFAULT_LIMIT,
  LIST_SHARDS_DEFAULT_MAX_RESULTS,
  LIST_STREAMS_DEFAULT_LIMIT,
  MAX_RECORD_SIZE_KIB_DEFAULT,
  NEXT_TOKEN_TTL_MS,
  ON_DEMAND_INITIAL_SHARDS,
  RETENTION_HOURS_DEFAULT,
  RETENTION_HOURS_MAX,
  RETENTION_HOURS_MIN,
  type RecordDistribution,
  type StreamMode,
} from './limits';
import { deriveStreamTag } from './sequenceNumber';
import { filterShards, type ShardFilter } from './shardFilter';
import { type Shard, Stream } from './stream';
import { addTags, checkNewTags, listTags, removeTags } from './tags';

/**
 * The control plane [model §7, §8, §10, §15]: streams created, deleted, listed and described, shards
 * listed, retention and maximum record size changed, and the account's limits. Each handler takes a
 * validated request and returns the operation's output, or throws the KinesisError Kinesis would return.
 */
export class ControlPlane {
  private readonly state: EngineState;
  private readonly clock: EngineClock;
  /** Streams created so far (an input of each new stream's sequence-number tag). */
  private streamsCreated = 0;
  /** The sequence-number tag of the last stream of each name, so a re-created stream never reuses it. */
  private readonly lastTagOfName = new Map<string, number>();
  /** Tags of the streams created in the virtual second `tagSecond` (live or already deleted). */
  private tagsOfSecond = new Set<number>();
  private tagSecond = Number.NaN;

  constructor(state: EngineState, clock: EngineClock) {
    this.state = state;
    this.clock = clock;
  }

  /**
   * CreateStream [model §1, §7]: a stream of ShardCount shards (4 for ON_DEMAND, the mode when neither a mode
   * nor a ShardCount is given) with even hash ranges, CREATING until the transition delay passes; refused past
   * the account's quotas, and PROVISIONED without a ShardCount (InvalidArgumentException).
   */
  createStream(request: TypedRequest): Record<string, unknown> {
    const name = request.StreamName as string;
    // With neither a mode nor a ShardCount, AWS creates the stream all the same, with 4 shards (kinesis-mock
    // issue 336, "a request against AWS without the shardCount works"; LocalStack's AWS-validated snapshot of
    // that call lists 4 shards): an on-demand stream's start [model §15.3], so it is ON_DEMAND here.
    const mode = ((request.StreamModeDetails as { StreamMode?: StreamMode } | undefined)?.StreamMode ??
      (request.ShardCount === undefined ? 'ON_DEMAND' : 'PROVISIONED')) as StreamMode;
    // On-demand shards are the service's to manage: such a stream starts with 4, whatever ShardCount says.
    const shardCount =
      mode === 'ON_DEMAND' ? ON_DEMAND_INITIAL_SHARDS : (request.ShardCount as number | undefined);
    if (shardCount === undefined) throw errors.shardCountRequired();
    const distribution =
      (request.RecordDistributionStrategy as RecordDistribution | undefined) ?? 'USER_PARTITION_KEY';
    if (distribution === 'AUTO' && mode !== 'ON_DEMAND') throw errors.recordDistributionNeedsOnDemand(name);
    if (this.state.streams.has(name)) throw errors.streamExists(name, this.state.accountId);
    const tags = request.Tags as ReadonlyMap<string, string> | undefined;
    if (tags) checkNewTags(name, this.state.accountId, new Map(), tags);
    const refused = createStreamRefusal(
      this.state.accountLimits,
      accountUsage(this.state.streams.values()),
      mode,
      shardCount,
      this.state.accountId,
      this.state.region,
    );
    if (refused) throw refused;
    const stream = new Stream(
      name,
      this.state.accountId,
      this.state.region,
      mode,
      this.state.nowMs,
      this.state.throttleModel,
      {
        retentionHours: RETENTION_HOURS_DEFAULT,
        maxRecordSizeKiB: (request.MaxRecordSizeInKiB as number | undefined) ?? MAX_RECORD_SIZE_KIB_DEFAULT,
        budget: this.state.budget,
        transitionMs: this.state.transitionMs,
        sequenceTag: this.newStreamTag(name),
      },
    );
    for (const range of createStreamHashRanges(shardCount))
      stream.addShard(range.start, range.end, this.state.nowMs);
    for (const [key, value] of tags ?? []) stream.tags.set(key, value);
    stream.recordDistribution = distribution;
    stream.layoutChangedSec = Math.floor(this.state.nowMs / 1000);
    stream.reindexOpenShards();
    this.state.streams.set(name, stream);
    if (this.state.transitionMs === 0) this.clock.completeTransition(stream);
    return {};
  }

  /**
   * The sequence-number tag of a stream about to be created (sequenceNumber.ts deriveStreamTag), without any
   * random draw. It avoids the tags of live streams, of the previous stream of this name and of every stream
   * created in the same virtual second. A number names (tag, shard index, shard creation second), and a
   * stream's first shards are created in its creation second, so while at most 255 streams are live and at
   * most 255 are created per virtual second, a number is accepted only by the stream that issued it.
   */
  private newStreamTag(name: string): number {
    const second = Math.floor(this.state.nowMs / 1000);
    if (second !== this.tagSecond) {
      this.tagSecond = second;
      this.tagsOfSecond = new Set();
    }
    const previous = this.lastTagOfName.get(name);
    const avoid = new Set(this.tagsOfSecond);
    if (previous !== undefined) avoid.add(previous);
    for (const stream of this.state.streams.values()) avoid.add(stream.sequenceTag);
    const tag = deriveStreamTag(name, this.state.nowMs, this.streamsCreated++, this.state.tokenSecret, (t) =>
      avoid.has(t),
    );
    this.lastTagOfName.set(name, tag);
    this.tagsOfSecond.add(tag);
    return tag;
  }

  /** DeleteStream [model §7]: DELETING, then gone after the transition delay. */
  deleteStream(request: TypedRequest): Record<string, unknown> {
    const stream = this.state.resolveStream(request);
    const refused = deleteStreamRefusal(
      this.state.accountLimits,
      accountUsage(this.state.streams.values()),
      stream,
      this.state.accountId,
    );
    if (refused) throw refused;
    stream.status = 'DELETING';
    stream.transitionAtMs = this.state.nowMs + this.state.transitionMs;
    if (this.state.transitionMs === 0) this.clock.completeTransition(stream);
    return {};
  }

  /** ListStreams: names and summaries in name order, at most 100 a call, with a NextToken. */
  listStreams(request: TypedRequest): Record<string, unknown> {
    // Up to 100 names a call whatever Limit says (AWS: "at most 100 results are returned").
    const limit = Math.min(
      (request.Limit as number | undefined) ?? LIST_STREAMS_DEFAULT_LIMIT,
      LIST_STREAMS_DEFAULT_LIMIT,
    );
    let after = request.ExclusiveStartStreamName as string | undefined;
    const token = request.NextToken as string | undefined;
    if (token !== undefined) {
      const fields = decodeToken('ls', token, this.state.tokenSecret);
      if (!fields) throw errors.invalidNextToken();
      if (this.state.nowMs - Number(fields[1]) > NEXT_TOKEN_TTL_MS) throw errors.expiredNextToken();
      after = fields[0];
    }
    const names = [...this.state.streams.keys()].sort().filter((n) => after === undefined || n > after);
    const page = names.slice(0, limit);
    const hasMore = names.length > limit;
    const result: Record<string, unknown> = {
      StreamNames: page,
      HasMoreStreams: hasMore,
      StreamSummaries: page.map((n) => {
        const s = this.state.streams.get(n) as Stream;
        return {
          StreamName: s.name,
          StreamARN: s.arn,
          StreamStatus: s.status,
          StreamModeDetails: { StreamMode: s.mode },
          StreamCreationTimestamp: s.createdMs / 1000,
        };
      }),
    };
    if (hasMore)
      result.NextToken = encodeToken(
        'ls',
        [page[page.length - 1] as string, this.state.nowMs],
        this.state.tokenSecret,
      );
    return result;
  }

  private shardDescription(shard: Shard): Record<string, unknown> {
    const range: Record<string, unknown> = { StartingSequenceNumber: shard.startingSequenceNumber };
    if (shard.endingSequenceNumber !== undefined) range.EndingSequenceNumber = shard.endingSequenceNumber;
    const out: Record<string, unknown> = { ShardId: shard.shardId };
    if (shard.parentShardId !== undefined) out.ParentShardId = shard.parentShardId;
    if (shard.adjacentParentShardId !== undefined) out.AdjacentParentShardId = shard.adjacentParentShardId;
    out.HashKeyRange = {
      StartingHashKey: shard.startingHashKey.toString(),
      EndingHashKey: shard.endingHashKey.toString(),
    };
    out.SequenceNumberRange = range;
    return out;
  }

  /** Shards a describe/list call shows: none while CREATING [model §7], then those not EXPIRED [model §9]. */
  private listedShards(stream: Stream): Shard[] {
    return stream.status === 'CREATING' ? [] : stream.listedShards(this.state.nowMs);
  }

  /** DescribeStream: the stream and up to 100 of its shards a call [model §10]. */
  describeStream(request: TypedRequest): Record<string, unknown> {
    const stream = this.state.resolveStream(request);
    // Up to 100 shards a call whatever Limit says [model §10].
    const limit = Math.min(
      (request.Limit as number | undefined) ?? DESCRIBE_STREAM_DEFAULT_LIMIT,
      DESCRIBE_STREAM_DEFAULT_LIMIT,
    );
    const after = request.ExclusiveStartShardId as string | undefined;
    const shards = this.listedShards(stream).filter((s) => after === undefined || s.shardId > after);
    return {
      StreamDescription: {
        StreamName: stream.name,
        StreamARN: stream.arn,
        StreamStatus: stream.status,
        StreamModeDetails: { StreamMode: stream.mode },
        Shards: shards.slice(0, limit).map((s) => this.shardDescription(s)),
        HasMoreShards: shards.length > limit,
        RetentionPeriodHours: stream.retentionHours,
        StreamCreationTimestamp: stream.createdMs / 1000,
        EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
        EncryptionType: stream.encryptionType,
      },
    };
  }

  /** DescribeStreamSummary [model §10, §15.6]. */
  describeStreamSummary(request: TypedRequest): Record<string, unknown> {
    const stream = this.state.resolveStream(request);
    return {
      StreamDescriptionSummary: {
        StreamName: stream.name,
        StreamARN: stream.arn,
        StreamStatus: stream.status,
        StreamModeDetails: { StreamMode: stream.mode },
        RetentionPeriodHours: stream.retentionHours,
        StreamCreationTimestamp: stream.createdMs / 1000,
        EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
        EncryptionType: stream.encryptionType,
        OpenShardCount: stream.status === 'CREATING' ? 0 : stream.openShards.length,
        ConsumerCount: 0,
        MaxRecordSizeInKiB: stream.maxRecordSizeKiB,
        // "Only present for streams that use the on-demand capacity mode" (SDK model); AUTO is not modelled.
        ...(stream.mode === 'ON_DEMAND' ? { RecordDistributionStrategy: stream.recordDistribution } : {}),
      },
    };
  }

  /**
   * UpdateMaxRecordSize {StreamARN, MaxRecordSizeInKiB} [model §15.1]: the stream must be ACTIVE
   * (ResourceInUseException otherwise); the new maximum applies at once to every shard, and the stream stays
   * ACTIVE (AWS documents no UPDATING phase for it). Output: empty.
   */
  updateMaxRecordSize(request: TypedRequest): Record<string, unknown> {
    const stream = this.state.resolveStream(request);
    if (stream.status !== 'ACTIVE')
      throw errors.streamNotActive(stream.name, this.state.accountId, stream.status);
    stream.setMaxRecordSizeKiB(request.MaxRecordSizeInKiB as number, this.state.nowMs);
    return {};
  }

  /** ListShards [model §10]: by stream or NextToken, filtered, up to 1,000 a call. */
  listShards(request: TypedRequest): Record<string, unknown> {
    const token = request.NextToken as string | undefined;
    const hasStream = request.StreamName !== undefined || request.StreamARN !== undefined;
    if (token === undefined && !hasStream) throw errors.listShardsNeedsStream();
    if (token !== undefined && hasStream) throw errors.listShardsBothGiven();
    if (token !== undefined && request.ExclusiveStartShardId !== undefined)
      throw errors.listShardsTokenAndStartShard();
    let stream: Stream;
    let after = request.ExclusiveStartShardId as string | undefined;
    let filter = request.ShardFilter as ShardFilter | undefined;
    if (token !== undefined) {
      const fields = decodeToken('lsh', token, this.state.tokenSecret);
      if (!fields) throw errors.invalidNextToken();
      if (this.state.nowMs - Number(fields[2]) > NEXT_TOKEN_TTL_MS) throw errors.expiredNextToken();
      stream = this.state.resolveStream({ StreamName: fields[0] });
      after = fields[1] === '' ? undefined : fields[1];
      // The first page's filter goes on with the token (the KCL sends the filter with the stream only).
      filter ??= filterOfToken(fields.slice(3));
    } else {
      stream = this.state.resolveStream(request);
    }
    const listed = filterShards(stream, this.listedShards(stream), filter, this.state.nowMs);
    const shards = after === undefined ? listed : listed.filter((s) => s.shardId > (after as string));
    // Up to 1,000 shards a call whatever MaxResults says [model §10].
    const max = Math.min(
      (request.MaxResults as number | undefined) ?? LIST_SHARDS_DEFAULT_MAX_RESULTS,
      LIST_SHARDS_DEFAULT_MAX_RESULTS,
    );
    const page = shards.slice(0, max);
    const result: Record<string, unknown> = { Shards: page.map((s) => this.shardDescription(s)) };
    if (shards.length > max) {
      result.NextToken = encodeToken(
        'lsh',
        [
          stream.name,
          (page[page.length - 1] as Shard).shardId,
          this.state.nowMs,
          filter?.Type ?? '',
          filter?.ShardId ?? '',
          filter?.Timestamp ?? '',
        ],
        this.state.tokenSecret,
      );
    }
    return result;
  }

  /** Increase/DecreaseStreamRetentionPeriod [model §8]: 24–8760 h; decreasing expires older records at once. */
  changeRetention(request: TypedRequest, direction: 'increase' | 'decrease'): Record<string, unknown> {
    const stream = this.state.resolveStream(request);
    const hours = request.RetentionPeriodHours as number;
    if (stream.status !== 'ACTIVE')
      throw errors.streamNotActive(stream.name, this.state.accountId, stream.status);
    if (hours < RETENTION_HOURS_MIN) throw errors.retentionTooShort(hours);
    if (direction === 'increase') {
      if (hours > RETENTION_HOURS_MAX) throw errors.retentionTooLong(hours);
      if (hours < stream.retentionHours)
        throw errors.retentionIncreaseBelowCurrent(hours, stream.name, stream.retentionHours);
    } else if (hours > stream.retentionHours) {
      throw errors.retentionDecreaseAboveCurrent(hours, stream.name, stream.retentionHours);
    }
    stream.settleExpiredShards(this.state.nowMs);
    stream.retentionHours = hours;
    // Decreasing hides older records at once; increasing never brings expired ones back [model §8].
    this.clock.expire(stream, true);
    return {};
  }

  /** AddTagsToStream: adds or overwrites tags (tags.ts has the checks); the stream may be in any status. */
  addTagsToStream(request: TypedRequest): Record<string, unknown> {
    addTags(this.state.resolveStream(request), request.Tags as ReadonlyMap<string, string>);
    return {};
  }

  /** RemoveTagsFromStream: removes the tags with the given keys. */
  removeTagsFromStream(request: TypedRequest): Record<string, unknown> {
    removeTags(this.state.resolveStream(request), request.TagKeys as string[]);
    return {};
  }

  /** ListTagsForStream: the stream's tags in key order, paged by ExclusiveStartTagKey and Limit. */
  listTagsForStream(request: TypedRequest): Record<string, unknown> {
    const stream = this.state.resolveStream(request);
    return listTags(
      stream,
      request.ExclusiveStartTagKey as string | undefined,
      request.Limit as number | undefined,
    );
  }

  /** DescribeLimits [model §15.6]: the account's quotas and what its streams use of them. */
  describeLimits(): Record<string, unknown> {
    return { ...describeLimits(this.state.accountLimits, accountUsage(this.state.streams.values())) };
  }
}

/** The ShardFilter a ListShards NextToken carries (its fields after the stream, shard and time), if any. */
function filterOfToken([type, shardId, timestamp]: readonly string[]): ShardFilter | undefined {
  if (!type) return undefined;
  const filter: ShardFilter = { Type: type };
  if (shardId) filter.ShardId = shardId;
  if (timestamp) filter.Timestamp = Number(timestamp);
  return filter;
}
