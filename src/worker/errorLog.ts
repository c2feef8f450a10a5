import { errors as kinesisErrors } from '../engine/errors';
import type { ProducerTotals } from '../engine/producers/producerSet';
import type { Stream } from '../engine/stream';
import type { SimulationSnapshot } from './protocol';

/** Distinct errors kept for the page, newest first. */
const RECENT_ERRORS = 8;

export type RecentError = SimulationSnapshot['recentErrors'][number];

/**
 * The recent distinct errors the page shows, with the engine's exact texts and how often each happened:
 * throttles per shard (producers', hand-put and real clients' records alike) and producers' rejections are
 * turned into entries as their totals grow.
 */
export class ErrorLog {
  private entries: RecentError[] = [];
  /**
   * Throttled totals per shard already reported, per stream object (a stream re-created under the same name,
   * or another stream put on screen, starts from its own counts).
   */
  private readonly throttledSeen = new WeakMap<Stream, Map<string, number>>();
  /** Rejected totals per producer already reported. */
  private readonly rejectedSeen = new Map<number, number>();

  /** Counts `count` occurrences of an error at virtual time `nowMs` (epoch ms). */
  note(errorType: string, message: string, nowMs: number, count = 1): void {
    const existing = this.entries.find((e) => e.message === message);
    if (existing) {
      existing.count += count;
      existing.lastMs = nowMs;
    } else {
      this.entries.unshift({ errorType, message, count, lastMs: nowMs });
      this.entries.length = Math.min(this.entries.length, RECENT_ERRORS);
    }
    this.entries.sort((a, b) => b.lastMs - a.lastMs);
  }

  /** Notes what shards throttled and producers had rejected since the last call. */
  noteProducers(stream: Stream | undefined, producers: ProducerTotals[], nowMs: number): void {
    if (!stream) return;
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
        this.note('ProvisionedThroughputExceededException', message, nowMs, total - seen);
        seenOf.set(shard.shardId, total);
      }
    }
    // Records a producer could not send at all (too large for the stream) show with Kinesis's own error.
    for (const producer of producers) {
      const seen = this.rejectedSeen.get(producer.id) ?? 0;
      if (producer.rejected > seen && producer.lastError) {
        this.note(producer.lastError.errorType, producer.lastError.message, nowMs, producer.rejected - seen);
        this.rejectedSeen.set(producer.id, producer.rejected);
      }
    }
  }

  /** The entries, newest first (copies). */
  list(): RecentError[] {
    return this.entries.map((e) => ({ ...e }));
  }
}
