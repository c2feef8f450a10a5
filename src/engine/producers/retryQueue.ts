import type { FailureKind } from './retryPolicy';

/**
 * A record waiting for its next attempt, record by record: its key (an id the queue's owner holds a
 * reference to, so it stays interned), its ExplicitHashKey if it had one, its data size and its history.
 */
export interface WaitingRecord {
  keyId: number;
  explicitHashKey: Uint32Array | undefined;
  dataBytes: number;
  /** Virtual ms of its first attempt, and attempts made so far. */
  firstMs: number;
  attempts: number;
  /** What the last attempt failed with (sets the next delay's base and the SDK quota's cost). */
  kind: FailureKind;
  /** Whether the SDK retries it (a whole call failed) or the producer's code (a failed PutRecords entry). */
  bySdk: boolean;
}

/**
 * Records waiting in aggregate: `count` records for one shard (index into stream.shards when they were
 * counted; routed again when sent), `bytesEach` bytes each (data + key, mean), sharing a history.
 */
export interface WaitingCount {
  shard: number;
  count: number;
  bytesEach: number;
  firstMs: number;
  attempts: number;
  kind: FailureKind;
  bySdk: boolean;
}

/** What falls due at one instant. */
export interface DueSlot {
  dueMs: number;
  records: WaitingRecord[];
  counts: WaitingCount[];
}

/**
 * One producer's records waiting for a retry, by the virtual instant they fall due: a calendar of slots in
 * due order (a sorted array: slots are few — delays are at most 20 s, steps 10 ms or more). Memory grows
 * with what waits, never with simulated time; the owner keeps record-by-record entries within a budget
 * and counts the rest per shard.
 */
export class RetryQueue {
  private slots: DueSlot[] = [];
  /** Records waiting: entries of `records` plus the sums of `counts`. */
  waiting = 0;
  /** Record-by-record entries waiting (the part that costs memory per record). */
  detailed = 0;
  /** A tally shared by the queues of one producer set: record-by-record entries waiting in all. */
  private readonly shared: { detailed: number };

  constructor(shared: { detailed: number } = { detailed: 0 }) {
    this.shared = shared;
  }

  private slotAt(dueMs: number): DueSlot {
    const slots = this.slots;
    let lo = 0;
    let hi = slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((slots[mid] as DueSlot).dueMs < dueMs) lo = mid + 1;
      else hi = mid;
    }
    const found = slots[lo];
    if (found && found.dueMs === dueMs) return found;
    const slot: DueSlot = { dueMs, records: [], counts: [] };
    slots.splice(lo, 0, slot);
    return slot;
  }

  /** Queues one record for `dueMs`. */
  addRecord(dueMs: number, record: WaitingRecord): void {
    this.slotAt(dueMs).records.push(record);
    this.waiting++;
    this.detailed++;
    this.shared.detailed++;
  }

  /** Queues `count.count` records of one shard for `dueMs` (merged with a batch of the same history). */
  addCount(dueMs: number, count: WaitingCount): void {
    if (count.count <= 0) return;
    const slot = this.slotAt(dueMs);
    const same = slot.counts.find(
      (c) =>
        c.shard === count.shard &&
        c.firstMs === count.firstMs &&
        c.attempts === count.attempts &&
        c.kind === count.kind &&
        c.bySdk === count.bySdk,
    );
    if (same) {
      same.bytesEach =
        (same.bytesEach * same.count + count.bytesEach * count.count) / (same.count + count.count);
      same.count += count.count;
    } else slot.counts.push({ ...count });
    this.waiting += count.count;
  }

  /** Removes and returns the slots due at or before `atMs`, in due order. */
  takeDue(atMs: number): DueSlot[] {
    const slots = this.slots;
    let n = 0;
    while (n < slots.length && (slots[n] as DueSlot).dueMs <= atMs) n++;
    if (n === 0) return [];
    const due = slots.splice(0, n);
    for (const slot of due) {
      this.detailed -= slot.records.length;
      this.shared.detailed -= slot.records.length;
      this.waiting -= slot.records.length;
      for (const c of slot.counts) this.waiting -= c.count;
    }
    return due;
  }

  /** Removes and returns everything (a removed producer's). */
  takeAll(): DueSlot[] {
    return this.takeDue(Number.POSITIVE_INFINITY);
  }

  /** When the earliest waiting record falls due, or Infinity. */
  get nextDueMs(): number {
    return this.slots[0]?.dueMs ?? Number.POSITIVE_INFINITY;
  }
}
