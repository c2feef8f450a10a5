import { type AccountLimits, resolveAccountLimits } from './accountLimits';
import type { TypedRequest } from './api/validation';
import { DryRunGate } from './dryRun';
import { errors } from './errors';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  PAYLOAD_DETAIL_BUDGET_BYTES_DEFAULT,
  RECORD_DETAIL_BUDGET_DEFAULT,
  type ThrottleModel,
  TRANSITION_MS_DEFAULT,
} from './limits';
import { SeededRandom } from './random';
import { DetailBudget } from './recordLog';
import type { Shard, Stream } from './stream';

/** Options of createEngine. */
export interface EngineOptions {
  /** default '000000000000' */
  accountId?: string;
  /** default 'us-east-1' */
  region?: string;
  /** Virtual epoch milliseconds at creation (default 2026-01-01T00:00:00Z). */
  startTimeMs?: number;
  /** All randomness comes from this (default 1). */
  seed?: number;
  /** Virtual CREATING→ACTIVE / UPDATING→ACTIVE / DELETING→gone delay, default 500. */
  transitionMs?: number;
  /** Write throttling model, default 'token-bucket'. */
  throttle?: ThrottleModel;
  /**
   * Records the engine keeps in detail, all streams together, before the oldest (by arrival, across streams)
   * are held as counts only (default RECORD_DETAIL_BUDGET_DEFAULT, 4,000,000).
   */
  recordDetailBudget?: number;
  /**
   * Payload bytes (Data, and partition keys records hold) the engine keeps readable, all streams together,
   * before the oldest records (by arrival, across streams) are held as counts only (default
   * PAYLOAD_DETAIL_BUDGET_BYTES_DEFAULT, 128 MiB).
   */
  payloadBudgetBytes?: number;
  /**
   * The account's quotas [model §7, §15], for teaching: `shardLimit` (open shards of PROVISIONED streams,
   * default 20,000), `onDemandStreamCountLimit` (default 50), `creatingOrDeletingLimit` (streams CREATING or
   * DELETING at once, default 5). Whole numbers ≥ 0; see resolveAccountLimits.
   */
  accountLimits?: Partial<AccountLimits>;
  /**
   * How long SplitShard/MergeShards and UpdateShardCount keep a stream UPDATING, virtual ms (defaults 30,000
   * and 120,000: typical, not guaranteed) [model §15.4].
   */
  reshardMs?: number;
  shardCountUpdateMs?: number;
  /**
   * On-demand scaling's figures [model §15.3], for teaching (defaults from AWS's 2022 Developer Guide):
   * `scaleDelayMs` how long it takes to act (15 minutes), `peakFactor` the multiple of the 30-day peak it keeps
   * capacity for (2), `splitBytesPerSecond` the write demand past which a shard is split (500 KB/s).
   */
  onDemand?: { scaleDelayMs?: number; peakFactor?: number; splitBytesPerSecond?: number };
}

/** The default virtual start: 2026-01-01T00:00:00Z, so runs do not depend on the host's clock. */
export const DEFAULT_START_TIME_MS = Date.UTC(2026, 0, 1);

/** Attempted records by outcome, engine-wide: each attempt is counted exactly once. */
export interface AttemptCounters {
  accepted: number;
  throttled: number;
  rejected: number;
}

/** A stream ARN's parts: `arn:aws…:kinesis:{region}:{account}:stream/{name}` [model §3]. */
const STREAM_ARN = /^arn:aws[^:]*:kinesis:([^:]*):(\d{12}):stream\/(.+)$/;

/**
 * A stream ARN's region, account and stream name (`arn:aws…:kinesis:{region}:{account}:stream/{name}`
 * [model §3]), or undefined for text that is not a stream ARN.
 */
export function parseStreamArn(arn: string): { region: string; account: string; name: string } | undefined {
  const match = STREAM_ARN.exec(arn);
  return match
    ? { region: match[1] as string, account: match[2] as string, name: match[3] as string }
    : undefined;
}

/** The stream name an ARN ends in (`…:stream/NAME`), or '' (used to name the stream in error messages). */
export function streamNameOfArn(arn: string | undefined): string {
  if (arn === undefined) return '';
  const at = arn.indexOf(':stream/');
  return at >= 0 ? arn.slice(at + ':stream/'.length) : arn;
}

/**
 * What every part of the engine shares: the account, the virtual clock's reading, the streams, the seeded
 * generator and the engine-wide counters, and how a request's StreamName or StreamARN finds its stream.
 */
export class EngineState {
  readonly accountId: string;
  readonly region: string;
  readonly throttleModel: ThrottleModel;
  readonly transitionMs: number;
  /** What all streams together hold in detail: records and payload bytes (see DetailBudget). */
  readonly budget: DetailBudget;
  readonly random: SeededRandom;
  /** The account's quotas, from EngineOptions.accountLimits and the defaults. */
  readonly accountLimits: AccountLimits;
  /** Signs iterators and list tokens (drawn first from the seeded generator). */
  readonly tokenSecret: number;
  readonly counters: AttemptCounters = { accepted: 0, throttled: 0, rejected: 0 };
  readonly streams = new Map<string, Stream>();
  readonly dryRuns = new DryRunGate();
  /** The virtual clock's reading, epoch ms: only EngineClock moves it. */
  nowMs: number;

  constructor(options: EngineOptions = {}) {
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.region = options.region ?? DEFAULT_REGION;
    this.nowMs = options.startTimeMs ?? DEFAULT_START_TIME_MS;
    this.random = new SeededRandom(options.seed ?? 1);
    this.transitionMs = Math.max(0, options.transitionMs ?? TRANSITION_MS_DEFAULT);
    this.throttleModel = options.throttle ?? 'token-bucket';
    this.budget = new DetailBudget(
      options.recordDetailBudget ?? RECORD_DETAIL_BUDGET_DEFAULT,
      options.payloadBudgetBytes ?? PAYLOAD_DETAIL_BUDGET_BYTES_DEFAULT,
    );
    this.accountLimits = resolveAccountLimits(options.accountLimits);
    this.tokenSecret = this.random.nextUint32();
  }

  /** Records the engine keeps in detail, all streams together (EngineOptions.recordDetailBudget). */
  get detailBudget(): number {
    return this.budget.recordLimit;
  }

  /** Forgets a stream whose deletion ended; what it held goes back to the engine's budget. */
  removeStream(stream: Stream): void {
    if (this.streams.get(stream.name) !== stream) return;
    this.streams.delete(stream.name);
    stream.leaveBudget();
  }

  /**
   * The stream a request names by StreamName and/or StreamARN. Throws ValidationException when both are
   * given and disagree, ResourceNotFoundException when there is no such stream (an ARN of another account
   * or region names that account) [model §3, §5].
   */
  resolveStream(request: TypedRequest): Stream {
    const name = request.StreamName as string | undefined;
    const arn = request.StreamARN as string | undefined;
    let streamName = name;
    let account = this.accountId;
    if (arn !== undefined) {
      const parts = parseStreamArn(arn);
      const arnName = parts?.name ?? arn;
      if (name !== undefined && name !== arnName) throw errors.streamArnMismatch(arn, name);
      streamName = arnName;
      if (parts && (parts.region !== this.region || parts.account !== this.accountId)) {
        throw errors.streamNotFound(arnName, parts.account);
      }
      account = parts?.account ?? account;
    }
    const stream = this.streams.get(streamName ?? '');
    if (!stream) throw errors.streamNotFound(streamName ?? '', account);
    return stream;
  }

  /** Streams that take writes: ACTIVE or UPDATING; CREATING and DELETING look absent [model §7]. */
  writableStream(request: TypedRequest): Stream {
    const stream = this.resolveStream(request);
    if (stream.status === 'CREATING' || stream.status === 'DELETING')
      throw errors.streamNotFound(stream.name, this.accountId);
    return stream;
  }

  /** The existing stream a request names, without any checks (for attributing refused records). */
  namedStream(request: Record<string, unknown>): Stream | undefined {
    if (typeof request.StreamName === 'string') return this.streams.get(request.StreamName);
    if (typeof request.StreamARN !== 'string') return undefined;
    const parts = parseStreamArn(request.StreamARN);
    if (!parts || parts.region !== this.region || parts.account !== this.accountId) return undefined;
    return this.streams.get(parts.name);
  }

  /**
   * Counts records of a refused request: engine-wide, and in the totals of the stream the request names
   * (by a StreamName or StreamARN string), if that stream exists.
   */
  countRejected(records: number, request?: Record<string, unknown>): void {
    if (records <= 0) return;
    this.counters.rejected += records;
    const stream = request ? this.namedStream(request) : undefined;
    if (stream) stream.totals.rejected += records;
  }

  /** The open shard (index into stream.shards) holding a 128-bit hash key given as 4 words at `offset`. */
  routeHashKey(stream: Stream, words: Uint32Array, offset = 0): number {
    return (stream.openShards[stream.locator.locate(words, offset)] as Shard).index;
  }
}
