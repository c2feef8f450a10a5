import { errors as kinesisErrors } from '../engine/errors';
import type { FaultInjector } from '../engine/faults';
import type { ProducerTotals } from '../engine/producers/producerSet';
import type { Stream } from '../engine/stream';
import type { SimulationSnapshot } from './protocol';

/** Distinct errors the page shows, newest first. */
const RECENT_ERRORS = 8;
/**
 * Distinct errors kept per stream (and for calls that name none): more than the page shows, so an entry
 * pushed out of sight by others keeps counting instead of starting again (a stream's shards throttling
 * each have their own text). Bounded, so memory does not grow with errors.
 */
const KEPT_ERRORS = 256;

export type RecentError = SimulationSnapshot['recentErrors'][number];

/**
 * The operation of entries counted from write totals (a shard's throttled records, a producer's refused ones,
 * calls a fault failed), which do not say whether PutRecord or PutRecords carried them. Entries are kept
 * apart by operation: a shard's write throttles and its GetRecords throttles have the same Kinesis text.
 */
export const WRITES = 'PutRecord, PutRecords';

/**
 * The recent distinct errors the page shows, with the engine's exact texts and how often each happened, per
 * stream (the page lists the stream on screen's, with those of calls that named no stream): throttles per
 * shard (producers', hand-put and real clients' records alike), calls injected faults failed (whoever made
 * them) and producers' other rejections are turned into entries as their totals grow, for every stream
 * whether on screen or not, so a stream's counts and times stay right while another is shown. An error
 * Kinesis sends without a message (InternalFailure) is kept with an empty message, whoever met it.
 */
export class ErrorLog {
  /** Entries per stream object (a stream re-created under the same name starts afresh). */
  private readonly byStream = new WeakMap<Stream, RecentError[]>();
  /** Entries of calls that named no stream, or a stream that does not exist. */
  private readonly general: RecentError[] = [];
  /**
   * Throttled totals per shard already reported, per stream object (a stream re-created under the same name,
   * or another stream put on screen, starts from its own counts).
   */
  private readonly throttledSeen = new WeakMap<Stream, Map<string, number>>();
  /** Rejected totals per producer already reported. */
  private readonly rejectedSeen = new Map<number, number>();
  /** Calls faults failed per stream name already reported, [throttling, InternalFailure]. */
  private readonly faultSeen = new Map<string, [number, number]>();

  /**
   * Counts `count` occurrences of an error `operation` met on `stream` (undefined: a call that named none) at
   * virtual time `nowMs` (epoch ms). A message that is only the error's type (a KinesisError made without one)
   * is the same as none: one entry with an empty message.
   */
  note(
    stream: Stream | undefined,
    operation: string,
    errorType: string,
    message: string,
    nowMs: number,
    count = 1,
  ): void {
    let entries = stream ? this.byStream.get(stream) : this.general;
    if (!entries) {
      entries = [];
      this.byStream.set(stream as Stream, entries);
    }
    const text = message === errorType ? '' : message;
    const existing = entries.find(
      (e) => e.operation === operation && e.errorType === errorType && e.message === text,
    );
    if (existing) {
      existing.count += count;
      existing.lastMs = nowMs;
    } else {
      entries.unshift({ operation, errorType, message: text, count, lastMs: nowMs });
      entries.length = Math.min(entries.length, KEPT_ERRORS);
    }
    entries.sort((a, b) => b.lastMs - a.lastMs);
  }

  /** Notes what `stream`'s shards throttled since the last call (every stream, on screen or not). */
  noteThrottles(stream: Stream, nowMs: number): void {
    let seenOf = this.throttledSeen.get(stream);
    if (!seenOf) {
      seenOf = new Map();
      this.throttledSeen.set(stream, seenOf);
    }
    for (const shard of stream.shards) {
      const total = shard.metrics.totalThrottledRecords;
      const seen = seenOf.get(shard.shardId) ?? 0;
      if (total > seen) {
        const message = kinesisErrors.shardRateExceededMessage(shard.shardId, stream.name, stream.accountId);
        this.note(stream, WRITES, 'ProvisionedThroughputExceededException', message, nowMs, total - seen);
        seenOf.set(shard.shardId, total);
      }
    }
  }

  /** Notes what the page's producers (which write to `stream`) had rejected since the last call. */
  noteProducers(stream: Stream | undefined, producers: ProducerTotals[], nowMs: number): void {
    // Records a producer could not send at all (too large for the stream) show with Kinesis's own error.
    // A producer meets InternalFailure only from an injected fault: noteFaults counts those, per call.
    for (const producer of producers) {
      const seen = this.rejectedSeen.get(producer.id) ?? 0;
      if (producer.rejected > seen && producer.lastError) {
        if (producer.lastError.errorType !== 'InternalFailure')
          this.note(
            stream,
            WRITES,
            producer.lastError.errorType,
            producer.lastError.message,
            nowMs,
            producer.rejected - seen,
          );
        this.rejectedSeen.set(producer.id, producer.rejected);
      }
    }
  }

  /**
   * Notes the calls on `stream` that injected faults failed since the last call, whoever made them (the
   * page's producers, records put by hand, endpoint clients), once per call as Kinesis answers a whole
   * call: ProvisionedThroughputExceededException with its stream-level text (no shard saw these calls, so
   * the per-shard tally never counts them), InternalFailure with no message.
   */
  noteFaults(stream: Stream, faults: FaultInjector, nowMs: number): void {
    let seen = this.faultSeen.get(stream.name);
    if (!seen) {
      seen = [0, 0];
      this.faultSeen.set(stream.name, seen);
    }
    const throttled = faults.failedCallsOn(stream.name, 'ProvisionedThroughputExceededException');
    if (throttled > seen[0]) {
      const e = kinesisErrors.streamRateExceeded(stream.name, stream.accountId);
      this.note(stream, WRITES, e.type, e.message, nowMs, throttled - seen[0]);
      seen[0] = throttled;
    }
    const internal = faults.failedCallsOn(stream.name, 'InternalFailure');
    if (internal > seen[1]) {
      this.note(stream, WRITES, 'InternalFailure', '', nowMs, internal - seen[1]);
      seen[1] = internal;
    }
  }

  /** The newest entries of `stream` and of calls that named no stream, newest first (copies). */
  list(stream: Stream | undefined): RecentError[] {
    const own = stream ? (this.byStream.get(stream) ?? []) : [];
    return [...own, ...this.general]
      .sort((a, b) => b.lastMs - a.lastMs)
      .slice(0, RECENT_ERRORS)
      .map((e) => ({ ...e }));
  }
}
