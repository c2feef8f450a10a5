/**
 * `DryRun` on PutRecord, PutRecords, GetRecords and GetShardIterator [model §15.6]: a request that passes every
 * check (validation, stream and shard existence, the operation's own argument checks) answers
 * DryRunOperationException (HTTP 400) instead of running, and touches nothing — no record written or read, no
 * throttling allowance spent, no attempt counted. Throttling is not part of the checks: a dry run says whether
 * the request is valid now, not whether the shard would take it.
 *
 * Dry runs are themselves limited per stream (Shardlab's choice; AWS publishes none): DRY_RUN_CALLS_PER_SECOND
 * in any rolling second, shared by the four operations; past it, ThrottlingException.
 */
import { errors, type KinesisError } from './errors';
import { CallWindow } from './limiter';
import { DRY_RUN_CALLS_PER_SECOND } from './limits';
import type { Stream } from './stream';

/** The dry-run allowance of each stream (a new stream of an old name starts afresh). */
export class DryRunGate {
  /** The dry runs admitted in the last second, per stream. */
  private readonly recent = new WeakMap<Stream, CallWindow>();

  /**
   * The answer to a dry run on `stream` at `nowMs` that passed every check: errors.dryRun() if the stream's
   * allowance has room (the dry run is then counted against it), else errors.dryRunRateExceeded.
   */
  answer(stream: Stream, nowMs: number, accountId: string): KinesisError {
    let window = this.recent.get(stream);
    if (window === undefined) {
      window = new CallWindow(DRY_RUN_CALLS_PER_SECOND);
      this.recent.set(stream, window);
    }
    return window.admit(nowMs) ? errors.dryRun() : errors.dryRunRateExceeded(stream.name, accountId);
  }
}
