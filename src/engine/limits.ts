/**
 * Every Kinesis limit, format and default Shardlab reproduces, in one place. Sources are in
 * ../../docs/kinesis-model.md (section numbers in brackets); nothing else in the code base hard-codes them.
 */

export const ENGINE_VERSION = '0.1.0';

export const DEFAULT_ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';
export const API_VERSION_PREFIX = 'Kinesis_20131202';

/** Per-shard write limits [6]: a record counts its data plus its partition key's UTF-8 bytes. */
export const SHARD_WRITE_RECORDS_PER_SECOND = 1000;
export const SHARD_WRITE_BYTES_PER_SECOND = 1024 * 1024;

/** Per-shard read limits [6]. */
export const SHARD_READ_CALLS_PER_SECOND = 5;
export const SHARD_READ_BYTES_PER_SECOND = 2 * 1024 * 1024;
/** GetShardIterator calls a shard admits per rolling second (API reference: "5 transactions per second per open shard") [6]. */
export const GET_SHARD_ITERATOR_CALLS_PER_SECOND = 5;
export const GET_RECORDS_MAX_RECORDS = 10_000;
export const GET_RECORDS_MAX_BYTES = 10 * 1024 * 1024;
export const SHARD_ITERATOR_TTL_MS = 300_000;

/** Record and request sizes [3][4]. */
export const PARTITION_KEY_MIN_LENGTH = 1;
export const PARTITION_KEY_MAX_LENGTH = 256;
/** The API model's ceiling for one record's Data blob (the 10 MiB "large records" model). */
export const DATA_MODEL_MAX_BYTES = 10 * 1024 * 1024;
export const MAX_RECORD_SIZE_KIB_DEFAULT = 1024;
export const MAX_RECORD_SIZE_KIB_MIN = 1024;
export const MAX_RECORD_SIZE_KIB_MAX = 10240;
export const PUT_RECORDS_MAX_ENTRIES = 500;
export const PUT_RECORDS_MIN_ENTRIES = 1;
/** Current API: 10 MiB per PutRecords request including partition keys (the classic figure was 5 MiB) [model §4]. */
export const PUT_RECORDS_MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** Retention [8]. */
export const RETENTION_HOURS_DEFAULT = 24;
export const RETENTION_HOURS_MIN = 24;
export const RETENTION_HOURS_MAX = 8760;

/** Streams and shards [7]. */
export const STREAM_NAME_MIN_LENGTH = 1;
export const STREAM_NAME_MAX_LENGTH = 128;
export const STREAM_NAME_PATTERN = '[a-zA-Z0-9_.-]+';
export const STREAM_ARN_MIN_LENGTH = 1;
export const STREAM_ARN_MAX_LENGTH = 2048;
export const STREAM_ARN_PATTERN = 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+';
export const SHARD_ID_PATTERN = '[a-zA-Z0-9_.-]+';
export const HASH_KEY_PATTERN = '0|([1-9]\\d{0,38})';
export const SEQUENCE_NUMBER_PATTERN = '0|([1-9]\\d{0,128})';
export const SHARD_COUNT_MIN = 1;
/**
 * The account's default provisioned-shard quota [7, 15]: open shards of PROVISIONED streams only (on-demand
 * shards do not count). 20,000 in us-east-1, us-west-2 and eu-west-1 (1,000 or 6,000 elsewhere; formerly
 * 500). DescribeLimits reports it as `ShardLimit`; `EngineOptions.accountLimits.shardLimit` overrides it. Not
 * the page's per-stream bound: that is SIMULATOR_MAX_SHARDS_PER_STREAM.
 */
export const ACCOUNT_SHARD_LIMIT = 20_000;
/** ON_DEMAND streams an account may have [7, 15.6] (DescribeLimits' `OnDemandStreamCountLimit`). */
export const ON_DEMAND_STREAM_COUNT_LIMIT = 50;
/** Streams that may be CREATING or DELETING at the same time in an account [7] (BM CreateStream). */
export const STREAMS_CREATING_OR_DELETING_LIMIT = 5;
export const ON_DEMAND_INITIAL_SHARDS = 4;
export const LIST_STREAMS_LIMIT_MAX = 10_000;
/** Tags a stream may carry (AddTagsToStream API reference: "You can assign up to 50 tags to a data stream"). */
export const TAGS_PER_STREAM_MAX = 50;
/** Entries one Tags map may hold in a request (AddTagsToStream, CreateStream: "Maximum number of 200 items"). */
export const TAG_MAP_MAX_ENTRIES = 200;
/** Length bounds of a tag's key and value (API reference: key 1–128, value 0–256 characters). */
export const TAG_KEY_LENGTH = { min: 1, max: 128 } as const;
export const TAG_VALUE_LENGTH = { min: 0, max: 256 } as const;
/** Keys one RemoveTagsFromStream may name (API reference: 1–50 items). */
export const TAG_KEYS_MAX = 50;
/** ListTagsForStream's Limit (1–50); without one, every tag is listed (a stream has at most 50). */
export const LIST_TAGS_LIMIT_MAX = 50;
/** ListStreams' default Limit, and the most names one call returns. */
export const LIST_STREAMS_DEFAULT_LIMIT = 100;
export const DESCRIBE_STREAM_LIMIT_MAX = 10_000;
/** DescribeStream's default Limit, and the most shards one call returns. */
export const DESCRIBE_STREAM_DEFAULT_LIMIT = 100;
export const LIST_SHARDS_MAX_RESULTS = 10_000;
/** ListShards' default MaxResults, and the most shards one call returns. */
export const LIST_SHARDS_DEFAULT_MAX_RESULTS = 1000;
export const NEXT_TOKEN_TTL_MS = 300_000;

/**
 * Dry runs (`DryRun: true` on PutRecord, PutRecords, GetRecords, GetShardIterator [15.6]) a stream admits per
 * rolling second, shared by those operations. AWS publishes no figure: Shardlab's choice.
 */
export const DRY_RUN_CALLS_PER_SECOND = 1;

/** Virtual delay of CREATING→ACTIVE and UPDATING→ACTIVE [0]. */
export const TRANSITION_MS_DEFAULT = 500;

/** Sequence numbers [2]: closed shards end at this counter. */
export const SEQUENCE_COUNTER_MAX = 0x7fffffffffffffffn;

/**
 * Records the whole engine keeps in detail (key, size, arrival: readable by GetRecords), shared by every
 * stream: past it, the oldest records across all streams are released early into count-only buckets (still
 * retained and counted until their retention ends, no longer readable). Shardlab's own bound, engine-wide so
 * that the number of streams (a workshop's attendees creating them through `npm start`'s endpoint) does not
 * multiply memory. Measured: 4,000,000 records with 6-character keys not interned take 134 MiB of heap
 * (35 B each: columns, keys, count buckets; a longer key adds its length). What one stream alone could hold
 * before the budget was shared, so one stream behaves as it did.
 */
export const RECORD_DETAIL_BUDGET_DEFAULT = 4_000_000;
/**
 * Payload bytes (the Data of records a client sent or a KPL producer aggregated) the whole engine keeps
 * readable, shared by every stream: past it, the oldest records by arrival across all streams are released
 * early into count-only buckets, as past RECORD_DETAIL_BUDGET_DEFAULT. Shardlab's own bound, so memory is set
 * by a budget and never by simulated time or the number of streams. 128 MiB, what one stream alone could
 * hold before the budget was shared: a 1-shard stream at its 1 MiB/s limit keeps 2 minutes readable, and
 * 30 attendees writing 1 KB/s each keep an hour (103 MiB) readable. Measured through the endpoint's
 * dispatch, 30 streams written 15,000,000 records of 100 B: 206 MiB of heap and array buffers, where a budget
 * per stream held 2,037 MiB and would have grown to 30 × 128 MiB of payloads.
 */
export const PAYLOAD_DETAIL_BUDGET_BYTES_DEFAULT = 128 * 1024 * 1024;
// Partition keys a record holds (all but keys interned by the page's pinned producers) count toward it too:
// uncounted, 4,000,000 records with 256-character non-ASCII keys took ~4 GB beside the 128 MiB of Data.
/** The share of the payload budget a release brings the engine down to (so releases come in batches). */
export const PAYLOAD_RELEASE_TO_SHARE = 7 / 8;
/**
 * The share of the record detail budget a release brings the engine down to: a release costs a pass over
 * every shard, so it comes in batches of an eighth of the budget, never a record at a time.
 */
export const DETAIL_RELEASE_TO_SHARE = 7 / 8;

/**
 * The KPL's defaults [model §12] (awslabs/amazon-kinesis-producer `aws/kinesis/core/configuration.h`):
 * AggregationMaxSize 51200 bytes (settable 64–10485760), AggregationMaxCount 4294967295, CollectionMaxCount
 * 500 (1–500), CollectionMaxSize 5242880 bytes, RecordMaxBufferedTime 100 ms. The collector also sends at
 * once when one predicted shard has 256 KiB waiting (`collector.h` should_flush).
 */
export const KPL_AGGREGATION_MAX_BYTES_DEFAULT = 51_200;
export const KPL_AGGREGATION_MAX_BYTES_MIN = 64;
export const KPL_AGGREGATION_MAX_COUNT = 4_294_967_295;
export const KPL_COLLECTION_MAX_COUNT = 500;
export const KPL_COLLECTION_MAX_BYTES = 5_242_880;
export const KPL_RECORD_MAX_BUFFERED_MS = 100;
export const KPL_COLLECTION_SHARD_FLUSH_BYTES = 256 * 1024;
/** Seconds of per-shard metric history kept in fixed-size rings. */
export const METRICS_HISTORY_SECONDS = 300;
/** Keys the hot-key sketch monitors individually (its top-k heap) once it has seen too many to count exactly. */
export const HOT_KEY_CAPACITY = 256;
/** Distinct partition keys per stream whose attempts the hot-key sketch counts exactly. */
export const HOT_KEY_EXACT_KEYS = 4096;
/** Counters per row of the hot-key count-min sketch (2 rows, indexed by hash key words 0 and 1); a power of two. */
export const HOT_KEY_SKETCH_WIDTH = 16384;

export const STREAM_MODES = ['PROVISIONED', 'ON_DEMAND'] as const;
export type StreamMode = (typeof STREAM_MODES)[number];
/** In the order AWS lists them in a ValidationException (kinesalite's AWS-recorded tests). */
export const SHARD_ITERATOR_TYPES = [
  'AFTER_SEQUENCE_NUMBER',
  'LATEST',
  'AT_TIMESTAMP',
  'AT_SEQUENCE_NUMBER',
  'TRIM_HORIZON',
] as const;
export type ShardIteratorType = (typeof SHARD_ITERATOR_TYPES)[number];
export const SHARD_FILTER_TYPES = [
  'AFTER_SHARD_ID',
  'AT_TRIM_HORIZON',
  'FROM_TRIM_HORIZON',
  'AT_LATEST',
  'AT_TIMESTAMP',
  'FROM_TIMESTAMP',
] as const;
export type ThrottleModel = 'token-bucket' | 'fixed-window';
export const THROTTLE_MODELS: readonly ThrottleModel[] = ['token-bucket', 'fixed-window'];

/**
 * Virtual seconds the hot-key vs hot-shard diagnosis and the hottest-keys list look back over: the same at
 * every speed, so a verdict never depends on how fast the clock runs or how often anyone asks.
 */
export const DIAGNOSIS_WINDOW_SECONDS = 5;
/** Partition keys kept per completed virtual second (the hottest by records) for the diagnosis window. */
export const KEY_WINDOW_TOP_KEYS = 256;
/**
 * Distinct keys a second's hot-key counters count exactly; past it (in that second and the following ones)
 * a count-min sketch with the hottest 256 keys monitored exactly. Low enough that a second of many distinct
 * keys costs two counter updates a record, not a table insert.
 */
export const KEY_WINDOW_EXACT_KEYS = 1024;
/** Partition keys routed by ExplicitHashKeys whose records a second sums per shard (see ExplicitTally). */
export const EXPLICIT_TALLY_MAX_KEYS = 4096;
/**
 * Count buckets a shard holds at most for records kept as counts only (aggregate simulation, or past the
 * detail budget): past it, the bucket width doubles (1 s, 2 s, 4 s …). 500 shards × 7 days of retention
 * then hold 1,024 buckets of 1,024 s each per shard: memory is set by this budget, never by simulated time.
 */
export const COUNT_BUCKETS_MAX = 1024;

/**
 * Shardlab's own bound, not a Kinesis one: the most shards the page offers for one stream (its views and
 * the worker's per-record simulation are measured up to this). The engine itself accepts what the account
 * quota allows.
 */
export const SIMULATOR_MAX_SHARDS_PER_STREAM = 500;

/**
 * Resharding [model §9, §15.4]: how long a stream stays UPDATING (virtual ms; typical, not guaranteed) after
 * SplitShard or MergeShards, and after UpdateShardCount ("a few minutes").
 */
export const RESHARD_MS_DEFAULT = 30_000;
export const SHARD_COUNT_UPDATE_MS_DEFAULT = 120_000;
/** UpdateShardCount: at most this many calls per stream in a rolling 24 h, and shards per stream. */
export const SHARD_COUNT_UPDATES_PER_DAY = 10;
export const SHARDS_PER_STREAM_MAX = 10_000;
export const SCALING_TYPES = ['UNIFORM_SCALING'] as const;
/** TargetShardCount's model bounds (botocore: PositiveIntegerObject, 1–100000). */
export const TARGET_SHARD_COUNT_MAX = 100_000;

/** How records are placed [model §15.2]: by partition key (the default), or spread evenly (on-demand only). */
export const RECORD_DISTRIBUTION_STRATEGIES = ['USER_PARTITION_KEY', 'AUTO'] as const;
export type RecordDistribution = (typeof RECORD_DISTRIBUTION_STRATEGIES)[number];

/**
 * On-demand scaling [model §15.3], as AWS's 2022 Developer Guide describes it (the current guide no longer
 * prints these figures): a stream keeps write capacity for twice the peak of the previous 30 days, splits any
 * shard carrying more than 500 KB/s (read as KiB: Kinesis's "MB" is MiB elsewhere), evenly by hash range,
 * and acts within 15 minutes. UpdateStreamMode: at most twice per rolling 24 h.
 */
export const ON_DEMAND_PEAK_FACTOR = 2;
export const ON_DEMAND_PEAK_WINDOW_MS = 30 * 86_400_000;
export const ON_DEMAND_SPLIT_BYTES_PER_SECOND = 500 * 1024;
export const ON_DEMAND_SCALE_DELAY_MS = 15 * 60_000;
/** Seconds a shard's load is averaged over before on-demand scaling judges it. */
export const ON_DEMAND_LOAD_WINDOW_SECONDS = 60;
export const STREAM_MODE_UPDATES_PER_DAY = 2;

/**
 * The largest request body the local endpoint reads (bytes): a PutRecords of 10 MiB of data, base64-encoded
 * in JSON (4/3), plus 500 partition keys of 256 characters and the JSON around them [model §4, §15.1].
 * Larger bodies are refused (HTTP 413) before they are read whole.
 */
export const ENDPOINT_MAX_BODY_BYTES =
  Math.ceil((PUT_RECORDS_MAX_REQUEST_BYTES * 4) / 3) + PUT_RECORDS_MAX_ENTRIES * 1024 + 64 * 1024;
/** The awsJson1_1 and CBOR content types the endpoint speaks [model §11]. */
export const CONTENT_TYPE_JSON = 'application/x-amz-json-1.1';
export const CONTENT_TYPE_CBOR = 'application/x-amz-cbor-1.1';

/**
 * Retries of the AWS SDK for JavaScript v3, standard mode, as the pinned client (@aws-sdk/client-kinesis
 * 3.1143.0, whose retry strategy is @smithy/core 3.41.1 `submodules/retry`) has them: DEFAULT_MAX_ATTEMPTS
 * = 3 (`config`); the delay bases and retry costs of its `retries-2026-config` (`Retry.v2026`: delay() = 50
 * ms, throttlingDelay() = 1,000 ms, cost() = 14, throttlingCost() = 5 — these replaced the older 100 ms /
 * 500 ms bases and 5 / 10 costs of `constants.ts`, which the strategy no longer reads for them);
 * MAXIMUM_RETRY_DELAY = 20 s, INITIAL_RETRY_TOKENS = 500, NO_RETRY_INCREMENT = 1 (`constants`). See
 * producers/retryPolicy.ts for how they combine. Attempts count the first one; delays are ms.
 */
export const SDK_DEFAULT_MAX_ATTEMPTS = 3;
/** Delay base after a transient error (HTTP 500/502/503/504, timeouts): Retry.delay(). */
export const SDK_DEFAULT_RETRY_DELAY_BASE_MS = 50;
/** Delay base after a throttling error (ProvisionedThroughputExceededException is one): Retry.throttlingDelay(). */
export const SDK_THROTTLING_RETRY_DELAY_BASE_MS = 1_000;
export const SDK_MAXIMUM_RETRY_DELAY_MS = 20_000;
export const SDK_INITIAL_RETRY_TOKENS = 500;
/** Quota cost of a retry after a throttling error: Retry.throttlingCost(). */
export const SDK_RETRY_COST = 5;
/** Quota cost of a retry after any other retryable (transient) error: Retry.cost(). */
export const SDK_TIMEOUT_RETRY_COST = 14;
export const SDK_NO_RETRY_INCREMENT = 1;
/** Bounds of a custom retry policy (Shardlab's: enough to compare policies, small enough to bound what waits). */
export const RETRY_CUSTOM_MAX_ATTEMPTS = 10;
export const RETRY_CUSTOM_MAX_BASE_MS = 10_000;
export const RETRY_CUSTOM_MAX_CAP_MS = SDK_MAXIMUM_RETRY_DELAY_MS;
/** How a backoff delay is spread: full jitter (the SDK's), equal jitter (half fixed, half random), none. */
export const JITTER_KINDS = ['full', 'equal', 'none'] as const;
/**
 * End-to-end delay histogram bounds (arrival − first attempt), ms: bucket 0 holds delays of 0 (delivered at
 * the first attempt), bucket i delays in (bounds[i−1], bounds[i]], one more bucket above the last bound.
 */
export const DELAY_BUCKET_BOUNDS_MS = [0, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 20_000] as const;

/**
 * Fault injection (faults.ts), after Fault Injection Service's Kinesis actions [model §15.6]: the errors a
 * fault answers PutRecord(s) with, how many faults are held at once, the longest window (virtual ms), and how
 * far ahead of now (or, in a scenario file, of the simulation's start) a window may start (virtual ms).
 */
export const FAULT_ERRORS = ['ProvisionedThroughputExceededException', 'InternalFailure'] as const;
export const FAULTS_MAX = 8;
export const FAULT_MAX_DURATION_MS = 366 * 24 * 3_600_000;
export const FAULT_MAX_START_MS = 366 * 24 * 3_600_000;
