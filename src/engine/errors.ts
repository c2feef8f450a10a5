/**
 * Kinesis error types, HTTP statuses and message texts [model §3, §5, §8, §9, §10]. Every error the engine
 * returns is built here, so the texts people learn from Shardlab are the ones real Kinesis sends.
 */

export type KinesisErrorType =
  | 'ResourceNotFoundException'
  | 'ResourceInUseException'
  | 'LimitExceededException'
  | 'ProvisionedThroughputExceededException'
  | 'InvalidArgumentException'
  | 'ValidationException'
  | 'ExpiredIteratorException'
  | 'ExpiredNextTokenException'
  | 'DryRunOperationException'
  | 'ThrottlingException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'MissingAuthenticationTokenException'
  | 'AccessDeniedException'
  | 'InternalFailure';

/** A Kinesis error response: `__type`, message and HTTP status. */
export class KinesisError extends Error {
  readonly type: KinesisErrorType;
  readonly status: number;
  /** SerializationException spells its member `Message` (capital M), as Coral does. */
  readonly capitalMessage: boolean;
  /** Some Coral errors (unknown operation, unparseable body) carry no message at all. */
  readonly hasMessage: boolean;

  constructor(
    type: KinesisErrorType,
    message?: string,
    options: { status?: number; capitalMessage?: boolean } = {},
  ) {
    super(message ?? type);
    this.name = type;
    this.type = type;
    this.status = options.status ?? (type === 'InternalFailure' ? 500 : 400);
    this.capitalMessage = options.capitalMessage ?? false;
    this.hasMessage = message !== undefined;
  }

  /** The JSON body Kinesis sends for this error. */
  toBody(): Record<string, string> {
    if (!this.hasMessage) return { __type: this.type };
    return this.capitalMessage
      ? { __type: this.type, Message: this.message }
      : { __type: this.type, message: this.message };
  }
}

const streamRef = (stream: string, account: string) => `stream ${stream} under account ${account}`;

/** Factories of every error the engine returns, with Kinesis's exact texts. */
export const errors = {
  streamNotFound: (stream: string, account: string) =>
    new KinesisError('ResourceNotFoundException', `Stream ${stream} under account ${account} not found.`),
  shardNotFound: (shardId: string, stream: string, account: string) =>
    new KinesisError(
      'ResourceNotFoundException',
      `Shard ${shardId} in ${streamRef(stream, account)} does not exist`,
    ),
  shardNotFoundForResharding: (shardId: string, stream: string, account: string) =>
    new KinesisError(
      'ResourceNotFoundException',
      `Could not find shard ${shardId} in ${streamRef(stream, account)}.`,
    ),
  /** A split or merge of a shard that is already closed [model §9] (observed AWS text). */
  shardAlreadyClosed: (shardId: string, stream: string, account: string) =>
    new KinesisError(
      'InvalidArgumentException',
      `Shard ${shardId} in ${streamRef(stream, account)} has already been merged or split, and thus is not eligible for merging or splitting.`,
    ),
  /** SplitShard outside Start + 2 ≤ NewStartingHashKey ≤ End − 1 [model §9] (kinesalite's AWS-recorded text). */
  newStartingHashKeyOutOfRange: (
    key: string,
    shardId: string,
    stream: string,
    account: string,
    start: string,
    end: string,
  ) =>
    new KinesisError(
      'InvalidArgumentException',
      `NewStartingHashKey ${key} used in SplitShard() on shard ${shardId} in ${streamRef(stream, account)} is not both greater than one plus the shard's StartingHashKey ${start} and less than the shard's EndingHashKey ${end}.`,
    ),
  /** MergeShards of shards whose ranges do not meet, lower range first [model §9] (AWS-recorded text). */
  shardsNotAdjacent: (shard: string, adjacent: string, stream: string, account: string) =>
    new KinesisError(
      'InvalidArgumentException',
      `Shards ${shard} and ${adjacent} in ${streamRef(stream, account)} are not an adjacent pair of shards eligible for merging`,
    ),
  /**
   * Split/Merge/UpdateShardCount on an ON_DEMAND stream [model §5, §15.3]: a ValidationException per the API
   * model; AWS's text is not published (Shardlab's wording).
   */
  reshardingOnDemand: (operation: string, stream: string, account: string) =>
    new KinesisError(
      'ValidationException',
      `${operation} is not supported for ${streamRef(stream, account)}: its capacity mode is ON_DEMAND, where Kinesis manages the shards.`,
    ),
  /**
   * UpdateShardCount outside [½, 2×] the open shards or over 10,000 shards per stream [model §9, §15.4]; AWS's
   * text is not published (Shardlab's wording; half is rounded up for odd counts).
   */
  shardCountTargetOutOfRange: (
    target: number,
    current: number,
    min: number,
    max: number,
    stream: string,
    account: string,
  ) =>
    new KinesisError(
      'LimitExceededException',
      `UpdateShardCount to ${target} shards is refused for ${streamRef(stream, account)}: with ${current} open shards the target must be from ${min} to ${max} (half to double the open shards, at most 10000 per stream).`,
    ),
  /** More than 10 UpdateShardCount calls in a rolling 24 h [model §9] (Shardlab's wording). */
  shardCountUpdatesExceeded: (limit: number, stream: string, account: string) =>
    new KinesisError(
      'LimitExceededException',
      `UpdateShardCount was already called ${limit} times in the last 24 hours for ${streamRef(stream, account)}: the most a rolling 24 hours allows.`,
    ),
  /** More than two UpdateStreamMode calls in a rolling 24 h [model §15.3] (Shardlab's wording). */
  streamModeUpdatesExceeded: (limit: number, stream: string, account: string) =>
    new KinesisError(
      'LimitExceededException',
      `The capacity mode of ${streamRef(stream, account)} was already changed ${limit} times in the last 24 hours: the most a rolling 24 hours allows.`,
    ),
  /** UpdateStreamMode to the mode the stream already has (Shardlab's wording). */
  streamModeUnchanged: (mode: string, stream: string, account: string) =>
    new KinesisError('InvalidArgumentException', `${streamRef(stream, account)} is already in ${mode} mode.`),
  /** AUTO record distribution asked of a PROVISIONED stream [model §15.2] (Shardlab's wording). */
  recordDistributionNeedsOnDemand: (stream: string) =>
    new KinesisError(
      'InvalidArgumentException',
      `RecordDistributionStrategy AUTO is only supported for streams in ON_DEMAND capacity mode; stream ${stream} is PROVISIONED.`,
    ),
  /** SequenceNumberForOrdering on an AUTO stream, where per-key order does not exist [model §15.2]. */
  sequenceNumberForOrderingWithAuto: (stream: string, account: string) =>
    new KinesisError(
      'InvalidArgumentException',
      `SequenceNumberForOrdering is not supported for ${streamRef(stream, account)}: its RecordDistributionStrategy is AUTO, which spreads records without regard to key or order.`,
    ),
  streamExists: (stream: string, account: string) =>
    new KinesisError('ResourceInUseException', `Stream ${stream} under account ${account} already exists.`),
  streamNotActive: (stream: string, account: string, status: string) =>
    new KinesisError(
      'ResourceInUseException',
      `Stream ${stream} under account ${account} not ACTIVE, instead in state ${status}`,
    ),
  shardLimit: (account: string, region: string, current: number, limit: number, additional: number) =>
    new KinesisError(
      'LimitExceededException',
      `This request would exceed the shard limit for the account ${account} in ${region}. Current shard count for the account: ${current}. Limit: ${limit}. Number of additional shards that would have resulted from this request: ${additional}. Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how to request higher limits.`,
    ),
  onDemandStreamLimit: (account: string, region: string, current: number, limit: number) =>
    new KinesisError(
      'LimitExceededException',
      `This request would exceed the limit on the number of On-Demand streams for the account ${account} in ${region}. Current On-Demand streams count: ${current}. Limit: ${limit}.`,
    ),
  /** AWS's own wording, "would have exceed" included (observed in public reports) [model §7]. */
  creatingOrDeletingLimit: (account: string, limit: number) =>
    new KinesisError(
      'LimitExceededException',
      `This request would have exceed the limit on the number of streams that can simultaneously be in CREATING or DELETING for the account ${account}. Limit: ${limit}.`,
    ),
  /** ProvisionedThroughputExceededException text, also used as a PutRecords entry's ErrorMessage. */
  shardRateExceededMessage: (shardId: string, stream: string, account: string) =>
    `Rate exceeded for shard ${shardId} in ${streamRef(stream, account)}.`,
  shardRateExceeded: (shardId: string, stream: string, account: string) =>
    new KinesisError(
      'ProvisionedThroughputExceededException',
      errors.shardRateExceededMessage(shardId, stream, account),
    ),
  explicitHashKeyOutOfRange: (value: string) =>
    new KinesisError(
      'InvalidArgumentException',
      `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${value}`,
    ),
  recordTooLarge: (dataBytes: number, keyBytes: number, maxBytes: number) =>
    new KinesisError(
      'InvalidArgumentException',
      `Record size exceeds the maximum allowed size for the stream: data (${dataBytes} bytes) plus partition key (${keyBytes} bytes) is ${dataBytes + keyBytes} bytes; the limit is ${maxBytes} bytes (MaxRecordSizeInKiB ${maxBytes / 1024}).`,
    ),
  putRecordsTooLarge: (totalBytes: number, maxBytes: number) =>
    new KinesisError(
      'InvalidArgumentException',
      `Records size exceeds the maximum allowed request size: the request's data plus partition keys is ${totalBytes} bytes; the limit is ${maxBytes} bytes.`,
    ),
  sequenceNumberForOrdering: (value: string, stream: string, account: string) =>
    new KinesisError(
      'InvalidArgumentException',
      `ExclusiveMinimumSequenceNumber ${value} used in PutRecord on ${streamRef(stream, account)} is invalid.`,
    ),
  retentionTooShort: (hours: number) =>
    new KinesisError(
      'InvalidArgumentException',
      `Minimum allowed retention period is 24 hours. Requested retention period (${hours} hours) is too short.`,
    ),
  retentionTooLong: (hours: number) =>
    new KinesisError(
      'InvalidArgumentException',
      `Maximum allowed retention period is 8760 hours. Requested retention period (${hours} hours) is too long.`,
    ),
  retentionIncreaseBelowCurrent: (hours: number, stream: string, current: number) =>
    new KinesisError(
      'InvalidArgumentException',
      `Requested retention period (${hours} hours) for stream ${stream} can not be shorter than existing retention period (${current} hours). Use DecreaseRetentionPeriod API.`,
    ),
  retentionDecreaseAboveCurrent: (hours: number, stream: string, current: number) =>
    new KinesisError(
      'InvalidArgumentException',
      `Requested retention period (${hours} hours) for stream ${stream} can not be longer than existing retention period (${current} hours). Use IncreaseRetentionPeriod API.`,
    ),
  invalidShardIterator: () => new KinesisError('InvalidArgumentException', 'Invalid ShardIterator.'),
  iteratorExpired: (createdAt: string, now: string) =>
    new KinesisError(
      'ExpiredIteratorException',
      `Iterator expired. The iterator was created at time ${createdAt} while right now it is ${now} which is further in the future than the tolerated delay of 300000 milliseconds.`,
    ),
  iteratorTypeMismatch: (type: string, hasSequenceNumber: boolean) =>
    new KinesisError(
      'InvalidArgumentException',
      `Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified ${type} and ${hasSequenceNumber ? 'also a' : 'no'} StartingSequenceNumber.`,
    ),
  timestampRequired: () =>
    new KinesisError(
      'InvalidArgumentException',
      'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.',
    ),
  timestampInFuture: (timestampMs: number, nowMs: number) =>
    new KinesisError(
      'InvalidArgumentException',
      `The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: ${timestampMs}, currentTimestampInMillis: ${nowMs}`,
    ),
  invalidStartingSequenceNumber: (sequenceNumber: string, shardId: string, stream: string, account: string) =>
    new KinesisError(
      'InvalidArgumentException',
      `StartingSequenceNumber ${sequenceNumber} used in GetShardIterator on shard ${shardId} in ${streamRef(stream, account)} is invalid.`,
    ),
  /** A StartingSequenceNumber of another stream, or of an earlier stream of the same name [model §15.6]. */
  sequenceNumberOfOtherStream: (sequenceNumber: string, shardId: string, stream: string, account: string) =>
    new KinesisError(
      'InvalidArgumentException',
      `StartingSequenceNumber ${sequenceNumber} used in GetShardIterator on shard ${shardId} in ${streamRef(stream, account)} is invalid because it did not come from this stream.`,
    ),
  sequenceNumberOfOtherShard: (encodedShardId: string, shardId: string) =>
    new KinesisError(
      'InvalidArgumentException',
      `Invalid StartingSequenceNumber. It encodes ${encodedShardId}, while it was used in a call to a shard with ${shardId}`,
    ),
  streamArnMismatch: (arn: string, name: string) =>
    new KinesisError(
      'InvalidArgumentException',
      `StreamARN ${arn} does not refer to the stream named ${name}.`,
    ),
  listShardsNeedsStream: () =>
    new KinesisError('InvalidArgumentException', 'Either NextToken or StreamName should be provided.'),
  listShardsTokenAndStartShard: () =>
    new KinesisError(
      'InvalidArgumentException',
      'NextToken and ExclusiveStartShardId cannot be provided together.',
    ),
  listShardsBothGiven: () =>
    new KinesisError('InvalidArgumentException', 'NextToken and StreamName cannot be provided together.'),
  /**
   * A ShardFilter without the member its type needs (API reference, ShardFilter: ShardId "can only be used if
   * the AFTER_SHARD_ID shard type is specified", Timestamp only with AT_TIMESTAMP or FROM_TIMESTAMP). AWS's own
   * text is not on record: Shardlab's wording [model §9].
   */
  shardFilterNeedsShardId: () =>
    new KinesisError(
      'InvalidArgumentException',
      'ShardFilter of type AFTER_SHARD_ID must specify a ShardId.',
    ),
  shardFilterNeedsTimestamp: (type: string) =>
    new KinesisError('InvalidArgumentException', `ShardFilter of type ${type} must specify a Timestamp.`),
  invalidNextToken: () => new KinesisError('InvalidArgumentException', 'Invalid NextToken.'),
  expiredNextToken: () => new KinesisError('ExpiredNextTokenException', 'The requested token has expired.'),
  /**
   * A tag with a character outside Unicode letters, digits, white space and `_ . / = + - % @ :` (kinesalite's
   * observed text, `actions/addTagsToStream.js`).
   */
  tagCharacters: () =>
    new KinesisError(
      'InvalidArgumentException',
      'Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @ :.',
    ),
  /** A tag with `%`, which the first check lets through (kinesalite's observed text). */
  tagIllegalCharacters: (verb: 'add tags to' | 'remove tags from', stream: string, account: string) =>
    new KinesisError(
      'InvalidArgumentException',
      `Failed to ${verb} stream ${stream} under account ${account} because some tags contained illegal characters. The allowed characters are Unicode letters, white-spaces, '_',',','/','=','+','-','@',':'.`,
    ),
  /** More tags than a stream may carry (kinesalite's text, with AWS's current limit of 50). */
  tooManyTags: (stream: string, account: string, max: number) =>
    new KinesisError(
      'InvalidArgumentException',
      `Failed to add tags to stream ${stream} under account ${account} because a given stream cannot have more than ${max} tags associated with it.`,
    ),
  shardCountRequired: () =>
    new KinesisError('InvalidArgumentException', 'ShardCount is required for streams in PROVISIONED mode.'),
  /**
   * A request with `DryRun: true` that would have succeeded [model §15.6]. AWS does not publish the message:
   * this text is Shardlab's.
   */
  dryRun: () =>
    new KinesisError(
      'DryRunOperationException',
      'The request would have succeeded, but the DryRun parameter was set.',
    ),
  /** More dry runs on one stream than DRY_RUN_CALLS_PER_SECOND allows (Shardlab's limit and wording). */
  dryRunRateExceeded: (stream: string, account: string) =>
    new KinesisError(
      'ThrottlingException',
      `Rate exceeded for DryRun requests on ${streamRef(stream, account)}.`,
    ),
  unknownOperation: () => new KinesisError('UnknownOperationException'),
  serialization: (message?: string) =>
    message === undefined
      ? new KinesisError('SerializationException')
      : new KinesisError('SerializationException', message, { capitalMessage: true }),
  internalFailure: () => new KinesisError('InternalFailure'),
  /**
   * A whole PutRecord(s) call throttled by an injected fault (faults.ts): Kinesis's stream-level form of the
   * throttling text [model §5]; the text Fault Injection Service sends is not published.
   */
  streamRateExceeded: (stream: string, account: string) =>
    new KinesisError(
      'ProvisionedThroughputExceededException',
      `Rate exceeded for ${streamRef(stream, account)}.`,
    ),
  /** A request with no SigV4 `Authorization` header (signatures are never verified) [model §11]. */
  missingAuthenticationToken: () =>
    new KinesisError('MissingAuthenticationTokenException', 'Missing Authentication Token'),
  /** An endpoint request that is not POST (kinesalite's 403) [model §11]. Shardlab's wording. */
  methodNotAllowed: (method: string) =>
    new KinesisError(
      'AccessDeniedException',
      `Kinesis API calls are POST requests; ${method} is not allowed here.`,
      { status: 403 },
    ),
  /** A request body over the endpoint's maximum, refused before it is read whole (HTTP 413). Shardlab's wording. */
  requestTooLarge: (bytes: number | undefined, maxBytes: number) =>
    new KinesisError(
      'SerializationException',
      `Request body${bytes === undefined ? '' : ` of ${bytes} bytes`} exceeds the maximum of ${maxBytes} bytes.`,
      { status: 413, capitalMessage: true },
    ),
  /** Bytes that are not an HTTP request (answered 400, then the connection closes). Shardlab's wording. */
  malformedHttp: () =>
    new KinesisError('SerializationException', 'The request is not well-formed HTTP.', {
      capitalMessage: true,
    }),
  /** A request (its headers or its body) that did not arrive in time (HTTP 408). Shardlab's wording. */
  requestTimeout: (ms: number) =>
    new KinesisError('SerializationException', `The request did not arrive within ${ms} ms.`, {
      status: 408,
      capitalMessage: true,
    }),
} as const;

/** PutRecords per-entry error for an entry the shard could not take. */
export const INTERNAL_FAILURE_ENTRY_MESSAGE = 'Internal service failure.';
