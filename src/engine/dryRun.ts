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
import { DRY_RUN_CALLS_PER_SECOND } from './limits';
import type { Stream } from './stream';

/** The dry-run allowance of each stream (a new stream of an old name starts afresh). */
export class DryRunGate {
  /** Virtual ms of the dry runs admitted in the last second, per stream. */
  private readonly recent = new WeakMap<Stream, number[]>();

  /**
   * The answer to a dry run on `stream` at `nowMs` that passed every check: errors.dryRun() if the stream's
   * allowance has room (the dry run is then counted against it), else errors.dryRunRateExceeded.
   */
  answer(stream: Stream, nowMs: number, accountId: string): KinesisError {
    let times = this.recent.get(stream);
    if (times === undefined) {
      times = [];
      this.recent.set(stream, times);
    }
    while (times.length > 0 && (times[0] as number) <= nowMs - 1000) times.shift();
    if (times.length >= DRY_RUN_CALLS_PER_SECOND) return errors.dryRunRateExceeded(stream.name, accountId);
    times.push(nowMs);
    return errors.dryRun();
  }
}
