import {
  DATA_MODEL_MAX_BYTES,
  DESCRIBE_STREAM_LIMIT_MAX,
  GET_RECORDS_MAX_RECORDS,
  HASH_KEY_PATTERN,
  LIST_SHARDS_MAX_RESULTS,
  LIST_STREAMS_LIMIT_MAX,
  LIST_TAGS_LIMIT_MAX,
  MAX_RECORD_SIZE_KIB_MAX,
  MAX_RECORD_SIZE_KIB_MIN,
  PARTITION_KEY_MAX_LENGTH,
  PARTITION_KEY_MIN_LENGTH,
  PUT_RECORDS_MAX_ENTRIES,
  PUT_RECORDS_MIN_ENTRIES,
  RECORD_DISTRIBUTION_STRATEGIES,
  SCALING_TYPES,
  SEQUENCE_NUMBER_PATTERN,
  SHARD_COUNT_MIN,
  SHARD_FILTER_TYPES,
  SHARD_ID_PATTERN,
  SHARD_ITERATOR_TYPES,
  STREAM_ARN_MAX_LENGTH,
  STREAM_ARN_MIN_LENGTH,
  STREAM_ARN_PATTERN,
  STREAM_MODES,
  STREAM_NAME_MAX_LENGTH,
  STREAM_NAME_MIN_LENGTH,
  STREAM_NAME_PATTERN,
  TAG_KEY_LENGTH,
  TAG_KEYS_MAX,
  TAG_MAP_MAX_ENTRIES,
  TAG_VALUE_LENGTH,
  TARGET_SHARD_COUNT_MAX,
} from '../limits';
import type { MapShape, Shape, StringShape, StructureShape } from './shape';

const streamName: StringShape = {
  type: 'String',
  pattern: STREAM_NAME_PATTERN,
  minLength: STREAM_NAME_MIN_LENGTH,
  maxLength: STREAM_NAME_MAX_LENGTH,
};
const requiredStreamName: StringShape = { ...streamName, notNull: true };
const streamArn: StringShape = {
  type: 'String',
  pattern: STREAM_ARN_PATTERN,
  minLength: STREAM_ARN_MIN_LENGTH,
  maxLength: STREAM_ARN_MAX_LENGTH,
};
const shardId: StringShape = { type: 'String', pattern: SHARD_ID_PATTERN, minLength: 1, maxLength: 128 };
const partitionKey: StringShape = {
  type: 'String',
  notNull: true,
  minLength: PARTITION_KEY_MIN_LENGTH,
  maxLength: PARTITION_KEY_MAX_LENGTH,
};
const explicitHashKey: StringShape = { type: 'String', pattern: HASH_KEY_PATTERN };
const data: Shape = { type: 'Blob', notNull: true, maxLength: DATA_MODEL_MAX_BYTES };
const retention: Shape = { type: 'Integer', notNull: true };
/** `DryRun` on the data-plane operations [model §15.6]: the SDK model puts it last in each request. */
const dryRun: Shape = { type: 'Boolean' };
const maxRecordSizeKiB = {
  type: 'Integer',
  min: MAX_RECORD_SIZE_KIB_MIN,
  max: MAX_RECORD_SIZE_KIB_MAX,
} as const;
/** A request's tags: up to 200 entries (the stream holds at most 50, checked in tags.ts). */
const tagMap: MapShape = {
  type: 'Map',
  maxLength: TAG_MAP_MAX_ENTRIES,
  keyLength: TAG_KEY_LENGTH,
  valueLength: TAG_VALUE_LENGTH,
};
/** Addressing a stream by StreamName or StreamARN (one of them is needed; see addressing in the engine). */
const streamRef = { StreamName: streamName, StreamARN: streamArn } as const;

/** Request shapes of the operations Shardlab implements, members in Kinesis's checking order. */
export const OPERATION_SHAPES = {
  CreateStream: {
    type: 'Structure',
    members: {
      ShardCount: { type: 'Integer', min: SHARD_COUNT_MIN },
      StreamModeDetails: {
        type: 'Structure',
        members: { StreamMode: { type: 'String', notNull: true, enum: STREAM_MODES } },
      },
      StreamName: requiredStreamName,
      MaxRecordSizeInKiB: maxRecordSizeKiB,
      RecordDistributionStrategy: { type: 'String', enum: RECORD_DISTRIBUTION_STRATEGIES },
      Tags: tagMap,
    },
  },
  DeleteStream: {
    type: 'Structure',
    members: { EnforceConsumerDeletion: { type: 'Boolean' }, ...streamRef },
  },
  ListStreams: {
    type: 'Structure',
    members: {
      ExclusiveStartStreamName: streamName,
      Limit: { type: 'Integer', min: 1, max: LIST_STREAMS_LIMIT_MAX },
      NextToken: { type: 'String', minLength: 1, maxLength: 1048576 },
    },
  },
  DescribeStream: {
    type: 'Structure',
    members: {
      ExclusiveStartShardId: shardId,
      Limit: { type: 'Integer', min: 1, max: DESCRIBE_STREAM_LIMIT_MAX },
      ...streamRef,
    },
  },
  DescribeStreamSummary: { type: 'Structure', members: { ...streamRef } },
  ListShards: {
    type: 'Structure',
    members: {
      ExclusiveStartShardId: shardId,
      MaxResults: { type: 'Integer', min: 1, max: LIST_SHARDS_MAX_RESULTS },
      NextToken: { type: 'String', minLength: 1, maxLength: 1048576 },
      ShardFilter: {
        type: 'Structure',
        members: {
          Type: { type: 'String', notNull: true, enum: SHARD_FILTER_TYPES },
          ShardId: shardId,
          Timestamp: { type: 'Timestamp' },
        },
      },
      StreamCreationTimestamp: { type: 'Timestamp' },
      ...streamRef,
    },
  },
  PutRecord: {
    type: 'Structure',
    members: {
      SequenceNumberForOrdering: { type: 'String', pattern: SEQUENCE_NUMBER_PATTERN },
      PartitionKey: partitionKey,
      ExplicitHashKey: explicitHashKey,
      Data: data,
      ...streamRef,
      DryRun: dryRun,
    },
  },
  PutRecords: {
    type: 'Structure',
    members: {
      Records: {
        type: 'List',
        notNull: true,
        minLength: PUT_RECORDS_MIN_ENTRIES,
        maxLength: PUT_RECORDS_MAX_ENTRIES,
        memberString: 'com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@c965e310',
        member: {
          type: 'Structure',
          // A null entry is a ValidationException at 'records.N.member', never a fault.
          notNull: true,
          members: { PartitionKey: partitionKey, Data: data, ExplicitHashKey: explicitHashKey },
        },
      },
      ...streamRef,
      DryRun: dryRun,
    },
  },
  GetShardIterator: {
    type: 'Structure',
    members: {
      ShardId: { ...shardId, notNull: true },
      ShardIteratorType: { type: 'String', notNull: true, enum: SHARD_ITERATOR_TYPES },
      StartingSequenceNumber: { type: 'String', pattern: SEQUENCE_NUMBER_PATTERN },
      Timestamp: { type: 'Timestamp' },
      ...streamRef,
      DryRun: dryRun,
    },
  },
  GetRecords: {
    type: 'Structure',
    members: {
      Limit: { type: 'Integer', min: 1, max: GET_RECORDS_MAX_RECORDS },
      ShardIterator: { type: 'String', notNull: true, minLength: 1, maxLength: 512 },
      StreamARN: streamArn,
      DryRun: dryRun,
    },
  },
  IncreaseStreamRetentionPeriod: {
    type: 'Structure',
    members: { RetentionPeriodHours: retention, ...streamRef },
  },
  DecreaseStreamRetentionPeriod: {
    type: 'Structure',
    members: { RetentionPeriodHours: retention, ...streamRef },
  },
  /** No input [model §15.6]. */
  DescribeLimits: { type: 'Structure', members: {} },
  /** [API reference, AddTagsToStream] Tags: 1–200 entries a request, keys 1–128, values 0–256 characters. */
  AddTagsToStream: {
    type: 'Structure',
    members: {
      StreamName: streamName,
      Tags: { ...tagMap, notNull: true, minLength: 1 },
      StreamARN: streamArn,
    },
  },
  /** [API reference, ListTagsForStream] ExclusiveStartTagKey 1–128 characters, Limit 1–50. */
  ListTagsForStream: {
    type: 'Structure',
    members: {
      StreamName: streamName,
      ExclusiveStartTagKey: { type: 'String', minLength: TAG_KEY_LENGTH.min, maxLength: TAG_KEY_LENGTH.max },
      Limit: { type: 'Integer', min: 1, max: LIST_TAGS_LIMIT_MAX },
      StreamARN: streamArn,
    },
  },
  /** [API reference, RemoveTagsFromStream] TagKeys: 1–50 keys of 1–128 characters. */
  RemoveTagsFromStream: {
    type: 'Structure',
    members: {
      StreamName: streamName,
      TagKeys: {
        type: 'List',
        notNull: true,
        member: { type: 'String' },
        minLength: 1,
        maxLength: TAG_KEYS_MAX,
        memberLength: TAG_KEY_LENGTH,
      },
      StreamARN: streamArn,
    },
  },
  /**
   * [model §15.1] The stream by ARN only (the model's other member, StreamId, is "not implemented"): a
   * missing StreamARN is a ValidationException at 'streamARN' (Shardlab's choice: which of the two members AWS
   * then asks for is not documented). MaxRecordSizeInKiB 1024–10240, else ValidationException.
   */
  UpdateMaxRecordSize: {
    type: 'Structure',
    members: {
      StreamARN: { ...streamArn, notNull: true },
      MaxRecordSizeInKiB: { ...maxRecordSizeKiB, notNull: true },
    },
  },
  /** [model §15.3] By ARN; the stream keeps its shards and is UPDATING meanwhile. */
  UpdateStreamMode: {
    type: 'Structure',
    members: {
      StreamARN: { ...streamArn, notNull: true },
      StreamModeDetails: {
        type: 'Structure',
        notNull: true,
        members: { StreamMode: { type: 'String', notNull: true, enum: STREAM_MODES } },
      },
    },
  },
  /** [model §15.2] By ARN; on-demand streams only. */
  UpdateStreamRecordDistributionStrategy: {
    type: 'Structure',
    members: {
      StreamARN: { ...streamArn, notNull: true },
      RecordDistributionStrategy: { type: 'String', notNull: true, enum: RECORD_DISTRIBUTION_STRATEGIES },
    },
  },
  /** [model §9]: members in botocore's order. */
  SplitShard: {
    type: 'Structure',
    members: {
      ...streamRef,
      ShardToSplit: { ...shardId, notNull: true },
      NewStartingHashKey: { ...explicitHashKey, notNull: true },
    },
  },
  MergeShards: {
    type: 'Structure',
    members: {
      ...streamRef,
      ShardToMerge: { ...shardId, notNull: true },
      AdjacentShardToMerge: { ...shardId, notNull: true },
    },
  },
  /** [model §9, §15.4] */
  UpdateShardCount: {
    type: 'Structure',
    members: {
      ...streamRef,
      TargetShardCount: { type: 'Integer', notNull: true, min: 1, max: TARGET_SHARD_COUNT_MAX },
      ScalingType: { type: 'String', notNull: true, enum: SCALING_TYPES },
    },
  },
} as const satisfies Record<string, StructureShape>;

/** The Kinesis operations Shardlab implements. */
export type OperationName = keyof typeof OPERATION_SHAPES;
/** Every implemented operation name, in OPERATION_SHAPES order. */
export const OPERATION_NAMES = Object.keys(OPERATION_SHAPES) as OperationName[];

/** Operations whose request must name a stream (by StreamName or StreamARN). */
export const STREAM_ADDRESSED: ReadonlySet<OperationName> = new Set([
  'DeleteStream',
  'DescribeStream',
  'DescribeStreamSummary',
  'PutRecord',
  'PutRecords',
  'GetShardIterator',
  'IncreaseStreamRetentionPeriod',
  'DecreaseStreamRetentionPeriod',
  'SplitShard',
  'MergeShards',
  'UpdateShardCount',
  'AddTagsToStream',
  'ListTagsForStream',
  'RemoveTagsFromStream',
]);

/** Whether `name` is an operation Shardlab implements (own keys only, so `__proto__` is not one). */
export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(OPERATION_SHAPES, name);
}
