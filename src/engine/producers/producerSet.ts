import { type ShardEngine, WRITE_REJECTED, WRITE_THROTTLED } from '../engine';
import { DATA_MODEL_MAX_BYTES, PUT_RECORDS_MAX_ENTRIES } from '../limits';
import type { Stream } from '../stream';
import {
  createKeySampler,
  distributionProblem,
  type KeyDistribution,
  type KeySample,
  type KeySampler,
} from './keyDistribution';

/** What a producer sends. Rates are per virtual second. */
export interface ProducerSpec {
  name: string;
  api: 'PutRecord' | 'PutRecords';
  /** PutRecords entries per request, 1–500 (ignored for PutRecord). */
  batchSize: number;
  /** Data bytes per record: fixed when min === max, else uniform in [min, max]. */
  payloadBytes: { min: number; max: number };
  /** Records per virtual second, or 'burst' to send everything at once. */
  rate: number | 'burst';
  /** Stop after this many records, or after this many virtual ms (whichever is given; neither = run until stopped). */
  recordCount?: number;
  durationMs?: number;
  distribution: KeyDistribution;
}

/** A producer's running totals, per shard (indexed like stream.shards). */
export interface ProducerTotals {
  id: number;
  name: string;
  running: boolean;
  aggregated: boolean;
  attempted: number;
  accepted: number;
  throttled: number;
  rejected: number;
  requests: number;
  acceptedByShard: number[];
  throttledByShard: number[];
  /** Why the latest rejected record was refused, as the Kinesis error a PutRecord would get. */
  lastError: { errorType: string; message: string } | undefined;
}

interface Running {
  id: number;
  spec: ProducerSpec;
  sampler: KeySampler;
  running: boolean;
  aggregated: boolean;
  startedMs: number;
  sent: number;
  totals: ProducerTotals;
  weights: Map<number, number> | undefined;
}

/** Checks a producer spec; returns [field, message] for the first problem, or undefined. */
export function producerProblem(spec: ProducerSpec): [string, string] | undefined {
  if (typeof spec.name !== 'string' || spec.name.trim() === '' || spec.name.length > 64)
    return ['name', 'a producer needs a name of 1 to 64 characters'];
  if (spec.api !== 'PutRecord' && spec.api !== 'PutRecords')
    return ['api', 'api must be PutRecord or PutRecords'];
  if (!Number.isInteger(spec.batchSize) || spec.batchSize < 1 || spec.batchSize > PUT_RECORDS_MAX_ENTRIES)
    return ['batchSize', 'batch size must be a whole number from 1 to 500'];
  const { min, max } = spec.payloadBytes ?? { min: Number.NaN, max: Number.NaN };
  if (
    !Number.isInteger(min) ||
    !Number.isInteger(max) ||
    min < 0 ||
    max < min ||
    max > DATA_MODEL_MAX_BYTES
  ) {
    return ['payloadBytes', 'payload size must be whole bytes with 0 ≤ min ≤ max ≤ 10 MiB'];
  }
  if (spec.rate !== 'burst' && (!Number.isFinite(spec.rate) || spec.rate <= 0 || spec.rate > 10_000_000))
    return ['rate', 'rate must be above 0 and at most 10,000,000 records/s, or a burst'];
  if (
    spec.recordCount !== undefined &&
    (!Number.isInteger(spec.recordCount) || spec.recordCount < 1 || spec.recordCount > 100_000_000)
  ) {
    return ['recordCount', 'record count must be a whole number from 1 to 100,000,000'];
  }
  if (spec.rate === 'burst' && spec.recordCount === undefined)
    return ['recordCount', 'a burst needs a record count'];
  if (spec.durationMs !== undefined && (!Number.isFinite(spec.durationMs) || spec.durationMs <= 0))
    return ['durationMs', 'duration must be above 0'];
  return distributionProblem(spec.distribution);
}

/** Virtual ms per producer step: records of a step share one arrival instant. */
export const PRODUCER_STEP_MS = 10;
/** Virtual ms per step when every running producer is simulated in aggregate. */
export const AGGREGATE_STEP_MS = 100;
/** A burst larger than this is simulated in aggregate (one draw per shard) instead of record by record. */
export const BURST_AGGREGATE_ABOVE = 100_000;
/** Partition-key bytes assumed per record in aggregate simulation (keys like user-1234 are about 8 bytes). */
const AGGREGATE_KEY_BYTES = 8;

/**
 * Runs producers against a stream on the virtual clock. Per-record simulation by default; a producer whose
 * records per step exceed `aggregateThreshold` runs aggregated: per step and shard, a count drawn from its
 * shard weights, throttled and retained as counts.
 */
export class ProducerSet {
  private readonly producers = new Map<number, Running>();
  private nextId = 1;
  private readonly sample: KeySample = { keyId: 0, shardIndex: 0, key: undefined };
  private readonly engine: ShardEngine;
  private readonly stream: Stream;
  aggregateThreshold = 2_000;

  constructor(engine: ShardEngine, stream: Stream) {
    this.engine = engine;
    this.stream = stream;
  }

  /** Adds a producer (checked with producerProblem first); returns its id. */
  add(spec: ProducerSpec, start = true): number {
    const id = this.nextId++;
    const shards = this.stream.shards.length;
    this.producers.set(id, {
      id,
      spec,
      sampler: createKeySampler(this.engine, this.stream, spec.distribution, this.engine.random),
      running: start,
      aggregated: false,
      startedMs: this.engine.now(),
      sent: 0,
      weights: undefined,
      totals: {
        id,
        name: spec.name,
        running: start,
        aggregated: false,
        attempted: 0,
        accepted: 0,
        throttled: 0,
        rejected: 0,
        requests: 0,
        acceptedByShard: new Array<number>(shards).fill(0),
        throttledByShard: new Array<number>(shards).fill(0),
        lastError: undefined,
      },
    });
    return id;
  }

  /** Starts or stops a producer; false if there is no such producer. */
  setRunning(id: number, running: boolean): boolean {
    const p = this.producers.get(id);
    if (!p) return false;
    if (running && !p.running) {
      p.startedMs = this.engine.now();
      p.sent = 0;
    }
    p.running = running;
    p.totals.running = running;
    return true;
  }

  /**
   * Replaces a producer's spec (checked with producerProblem first), keeping its totals and its running
   * state; it restarts its rate and duration from now. False if there is no such producer.
   */
  update(id: number, spec: ProducerSpec): boolean {
    const p = this.producers.get(id);
    if (!p) return false;
    p.sampler.dispose();
    p.sampler = createKeySampler(this.engine, this.stream, spec.distribution, this.engine.random);
    p.spec = spec;
    p.weights = undefined;
    p.startedMs = this.engine.now();
    p.sent = 0;
    p.totals.name = spec.name;
    return true;
  }

  /** Removes a producer and releases its keys; false if there is no such producer. */
  remove(id: number): boolean {
    const p = this.producers.get(id);
    if (!p) return false;
    p.sampler.dispose();
    this.producers.delete(id);
    return true;
  }

  /** Every producer's spec and whether it runs, in creation order (for saving a scenario). */
  specs(): { spec: ProducerSpec; running: boolean }[] {
    return [...this.producers.values()].map((p) => ({ spec: p.spec, running: p.running }));
  }

  /** Every producer's totals, in creation order. */
  totals(): ProducerTotals[] {
    return [...this.producers.values()].map((p) => ({
      ...p.totals,
      acceptedByShard: [...p.totals.acceptedByShard],
      throttledByShard: [...p.totals.throttledByShard],
    }));
  }

  /** Advances the clock by `ms`, letting producers send at their rates in PRODUCER_STEP_MS steps. */
  advance(ms: number): void {
    // Bursts go out at once, at the current instant.
    for (const p of this.producers.values())
      if (p.running && p.spec.rate === 'burst') this.send(p, (p.spec.recordCount ?? 0) - p.sent);
    let left = ms;
    while (left > 0) {
      const steady = [...this.producers.values()].filter((p) => p.running && p.spec.rate !== 'burst');
      if (steady.length === 0) {
        this.engine.advanceTime(left);
        return;
      }
      // When every producer runs aggregated, coarser steps keep fast-forward cheap; a step is still a
      // tenth of a shard's one-second allowance, so throttling comes out the same.
      const allAggregated = steady.every(
        (p) => ((p.spec.rate as number) * PRODUCER_STEP_MS) / 1000 > this.aggregateThreshold,
      );
      const step = Math.min(allAggregated ? AGGREGATE_STEP_MS : PRODUCER_STEP_MS, left);
      this.engine.advanceTime(step);
      left -= step;
      for (const p of steady) {
        // What is due since the producer started, not a running fraction: no float drift over long runs.
        const due = Math.floor(((p.spec.rate as number) * (this.engine.now() - p.startedMs)) / 1000 + 1e-9);
        this.send(p, due - p.sent);
      }
    }
  }

  private send(p: Running, wanted: number): void {
    let n = wanted;
    if (p.spec.recordCount !== undefined) n = Math.min(n, p.spec.recordCount - p.sent);
    if (p.spec.durationMs !== undefined && this.engine.now() - p.startedMs > p.spec.durationMs) n = 0;
    if (n > 0) {
      // Steady producers aggregate past what per-record simulation does in real time; a burst only when it is
      // so large that sending it record by record would stall the host.
      const aggregate = n > (p.spec.rate === 'burst' ? BURST_AGGREGATE_ABOVE : this.aggregateThreshold);
      p.aggregated = aggregate;
      p.totals.aggregated = aggregate;
      if (aggregate) this.sendAggregated(p, n);
      else this.sendRecords(p, n);
      p.sent += n;
      p.totals.attempted += n;
      p.totals.requests += p.spec.api === 'PutRecords' ? Math.ceil(n / p.spec.batchSize) : n;
    }
    const done =
      (p.spec.recordCount !== undefined && p.sent >= p.spec.recordCount) ||
      (p.spec.durationMs !== undefined && this.engine.now() - p.startedMs >= p.spec.durationMs);
    if (done) {
      p.running = false;
      p.totals.running = false;
    }
  }

  private payloadSize(p: Running): number {
    const { min, max } = p.spec.payloadBytes;
    return min === max ? min : min + this.engine.random.nextInt(max - min + 1);
  }

  private sendRecords(p: Running, n: number): void {
    const t = p.totals;
    const engine = this.engine;
    const sample = this.sample;
    for (let i = 0; i < n; i++) {
      p.sampler.next(sample);
      // Unbounded key sets come as strings: the non-interning path routes them (lastShardIndex says where).
      const outcome =
        sample.key === undefined
          ? engine.writeRecord(this.stream, sample.shardIndex, sample.keyId, this.payloadSize(p))
          : engine.putUnpinned(this.stream, sample.key, this.payloadSize(p));
      if (outcome === WRITE_THROTTLED) {
        const shard = engine.lastShardIndex;
        t.throttled++;
        t.throttledByShard[shard] = (t.throttledByShard[shard] ?? 0) + 1;
      } else if (outcome === WRITE_REJECTED) {
        t.rejected++;
        const error = engine.lastRejection;
        if (error) t.lastError = { errorType: error.type, message: error.message };
      } else {
        t.accepted++;
        t.acceptedByShard[outcome] = (t.acceptedByShard[outcome] ?? 0) + 1;
      }
    }
  }

  private sendAggregated(p: Running, n: number): void {
    p.weights ??= p.sampler.shardWeights();
    const random = this.engine.random;
    const bytes = (p.spec.payloadBytes.min + p.spec.payloadBytes.max) / 2;
    const t = p.totals;
    let left = n;
    const entries = [...p.weights.entries()];
    let weightLeft = 1;
    entries.forEach(([shard, weight], i) => {
      // Sequential binomial draws (normal approximation) make the per-shard counts sum to n exactly.
      let count: number;
      if (i === entries.length - 1 || weightLeft <= 0) count = left;
      else {
        const q = Math.min(1, weight / weightLeft);
        const mean = left * q;
        const sd = Math.sqrt(Math.max(0, left * q * (1 - q)));
        const u1 = Math.max(random.next(), 1e-12);
        const gaussian = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random.next());
        count = Math.min(left, Math.max(0, Math.round(mean + sd * gaussian)));
      }
      weightLeft -= weight;
      left -= count;
      const rejectedBefore = this.engine.counters.rejected;
      const accepted = this.engine.writeAggregate(
        this.stream,
        shard,
        count,
        Math.round(bytes) + AGGREGATE_KEY_BYTES,
      );
      const rejected = this.engine.counters.rejected - rejectedBefore;
      const throttled = count - accepted - rejected;
      t.accepted += accepted;
      t.throttled += throttled;
      t.rejected += rejected;
      if (rejected > 0 && this.engine.lastRejection) {
        t.lastError = {
          errorType: this.engine.lastRejection.type,
          message: this.engine.lastRejection.message,
        };
      }
      t.acceptedByShard[shard] = (t.acceptedByShard[shard] ?? 0) + accepted;
      t.throttledByShard[shard] = (t.throttledByShard[shard] ?? 0) + throttled;
    });
  }
}
