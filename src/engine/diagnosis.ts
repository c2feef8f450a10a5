import { hashKeyFraction, hashKeyToDecimal } from './hashKey';
import {
  DIAGNOSIS_WINDOW_SECONDS,
  SHARD_WRITE_BYTES_PER_SECOND,
  SHARD_WRITE_RECORDS_PER_SECOND,
} from './limits';
import { KPL_AGGREGATE_PARTITION_KEY } from './producers/kplAggregation';
import type { Stream } from './stream';

/** A key's write rate over the diagnosis window, as the engine counted it (attempts: accepted + throttled). */
export interface KeyRate {
  partitionKey: string;
  /** The hash key its records were routed by (MD5, or the ExplicitHashKey), as a decimal string. */
  hashKey: string;
  shardId: string;
  /** Average over the window, records/s. */
  recordsPerSecond: number;
  /** Average over the window, bytes/s (data + partition key). */
  bytesPerSecond?: number;
  /** Its busiest single second in the window: records and bytes in that second. */
  peakRecordsPerSecond?: number;
  peakBytesPerSecond?: number;
  /** The virtual second (epoch s) of that peak. */
  peakSecond?: number;
  /** Routed by an ExplicitHashKey rather than by the MD5 of the key. */
  explicit?: boolean;
}

/** A shard's demand over the diagnosis window and its range. */
export interface ShardLoad {
  shardId: string;
  startingHashKey: string;
  endingHashKey: string;
  /** Attempted records per second (accepted + throttled) in the shard's busiest second of the window. */
  demandPerSecond: number;
  throttledPerSecond: number;
  /** Attempted bytes per second (data + partition key) in that same second. */
  demandBytesPerSecond?: number;
  /** The virtual second (epoch s) those numbers come from. */
  second?: number;
  /** Averages over the whole window (for where to split); the busiest second's numbers when absent. */
  averageDemandPerSecond?: number;
  averageDemandBytesPerSecond?: number;
}

/** Which per-shard write limit a verdict is about [model §6]. */
export type WriteLimitKind = 'records' | 'bytes';

/** Why a shard throttles, and what would help. */
export interface ShardDiagnosis {
  shardId: string;
  verdict: 'hot-key' | 'hot-shard';
  /** The limit that is exceeded: 1,000 records/s or 1 MiB/s. */
  limit: WriteLimitKind;
  /** Records and bytes asked and records throttled in the virtual second the verdict is about. */
  demandPerSecond: number;
  demandBytesPerSecond: number;
  throttledPerSecond: number;
  /** That second (epoch s), and the window the diagnosis looked at (virtual seconds). */
  second: number | undefined;
  windowSeconds: number;
  limitPerSecond: number;
  limitBytesPerSecond: number;
  /** The busiest key of the shard and its share of the shard's demand. */
  topKey: KeyRate | undefined;
  topKeyShare: number;
  /** For a hot shard: the NewStartingHashKey that splits its measured demand in half (valid for SplitShard). */
  suggestedNewStartingHashKey: string | undefined;
  explanation: string;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtKiB = (bytes: number) => `${fmt(bytes / 1024)} KiB/s`;

/**
 * Diagnoses each throttled shard [model §6]: a hot key (one key alone, in one second, over a shard's
 * 1,000 records/s or 1 MiB/s — more shards will not help) or a hot shard (many keys together — a split at
 * the suggested NewStartingHashKey would). Keys count by the hash key they were routed by.
 */
export function diagnoseShards(
  shards: ShardLoad[],
  keys: KeyRate[],
  windowSeconds = DIAGNOSIS_WINDOW_SECONDS,
): ShardDiagnosis[] {
  const limit = SHARD_WRITE_RECORDS_PER_SECOND;
  const limitBytes = SHARD_WRITE_BYTES_PER_SECOND;
  // Load as a share of a shard's allowance, and which limit binds.
  const load = (records: number, bytes: number): [number, WriteLimitKind] =>
    bytes / limitBytes > records / limit ? [bytes / limitBytes, 'bytes'] : [records / limit, 'records'];
  return shards
    .filter((s) => s.throttledPerSecond > 0)
    .map((shard) => {
      const inShard = keys
        .filter((k) => k.shardId === shard.shardId)
        .sort((a, b) => b.recordsPerSecond - a.recordsPerSecond);
      const peakOf = (k: KeyRate) =>
        load(k.peakRecordsPerSecond ?? k.recordsPerSecond, k.peakBytesPerSecond ?? 0);
      // The key with the largest load in one second: over the allowance alone, it is a hot key.
      const hottest = [...inShard].sort((a, b) => peakOf(b)[0] - peakOf(a)[0])[0];
      const shardBytes = shard.demandBytesPerSecond ?? 0;
      const base = {
        shardId: shard.shardId,
        demandPerSecond: shard.demandPerSecond,
        demandBytesPerSecond: shardBytes,
        throttledPerSecond: shard.throttledPerSecond,
        second: shard.second,
        windowSeconds,
        limitPerSecond: limit,
        limitBytesPerSecond: limitBytes,
      };
      if (hottest && peakOf(hottest)[0] > 1) {
        const kind = peakOf(hottest)[1];
        const rate = hottest.peakRecordsPerSecond ?? hottest.recordsPerSecond;
        const asked =
          kind === 'records'
            ? `${fmt(rate)} records/s, over the ${fmt(limit)} records/s`
            : `${fmtKiB(hottest.peakBytesPerSecond ?? 0)} (${fmt(rate)} records), over the ${fmtKiB(limitBytes)} (1 MiB/s)`;
        const share = shard.demandPerSecond > 0 ? Math.min(1, rate / shard.demandPerSecond) : 0;
        return {
          ...base,
          verdict: 'hot-key' as const,
          limit: kind,
          topKey: hottest,
          topKeyShare: share,
          suggestedNewStartingHashKey: undefined,
          explanation:
            hottest.explicit && hottest.partitionKey === KPL_AGGREGATE_PARTITION_KEY
              ? // The KPL's aggregates all carry PartitionKey "a" and the hash key of their first user record
                // [model §12]: the hot key is a user key inside them, which Kinesis never sees.
                `Hot key inside KPL aggregates: records with PartitionKey "a" and one ExplicitHashKey (the hash key of their first user record) ask for ${asked} one shard takes. The KPL keeps each user key on the shard its hash key names, and aggregation packs records, not bytes: spread the hot user key (e.g. a random suffix on it) — more shards will not help.`
              : `Hot key: "${hottest.partitionKey}"${hottest.explicit ? ' (with its ExplicitHashKey)' : ''} alone asks for ${asked} one shard takes. Every record of a hash key goes to one shard, so more shards will not help: add a random suffix to the key (e.g. "${hottest.partitionKey}-0" … "-9"), spread it with ExplicitHashKey, or aggregate records (KPL) so fewer, larger records carry it${kind === 'bytes' ? ' — though aggregation does not reduce bytes' : ''}.`,
        };
      }
      const [, kind] = load(shard.demandPerSecond, shardBytes);
      const topKey = inShard[0];
      const share =
        shard.demandPerSecond > 0 && topKey
          ? Math.min(1, (topKey.peakRecordsPerSecond ?? topKey.recordsPerSecond) / shard.demandPerSecond)
          : 0;
      const byBytes = kind === 'bytes';
      const split = splitPoint(
        shard,
        inShard,
        byBytes ? (k) => k.bytesPerSecond ?? 0 : (k) => k.recordsPerSecond,
        byBytes
          ? (shard.averageDemandBytesPerSecond ?? shardBytes)
          : (shard.averageDemandPerSecond ?? shard.demandPerSecond),
      );
      const asked = byBytes
        ? `${fmtKiB(shardBytes)}, over the ${fmtKiB(limitBytes)} (1 MiB/s) limit`
        : `${fmt(shard.demandPerSecond)} records/s, over the ${fmt(limit)} records/s limit`;
      const keysText =
        inShard.length > 1 && topKey
          ? `many keys together (the busiest, "${topKey.partitionKey}", is ${(share * 100).toFixed(0)}% of it)`
          : 'many keys together';
      return {
        ...base,
        verdict: 'hot-shard' as const,
        limit: kind,
        topKey,
        topKeyShare: share,
        suggestedNewStartingHashKey: split,
        explanation: `Hot shard: ${keysText} ask for ${asked}. Splitting the shard${split ? ` at NewStartingHashKey ${split}` : ''} would halve its load.`,
      };
    });
}

/**
 * The seconds of the window ending with completed second `last` (epoch s) during which something that
 * began taking writes at `sinceMs` (a stream once ACTIVE, a shard once open) could take them: the whole
 * window, or less while it is younger, so an average is never diluted by seconds before it could write.
 */
function observedSeconds(sinceMs: number, last: number): number {
  const existed = last + 1 - sinceMs / 1000;
  return existed > 0 ? Math.min(DIAGNOSIS_WINDOW_SECONDS, existed) : DIAGNOSIS_WINDOW_SECONDS;
}

/**
 * Diagnoses a stream from the engine's own per-second facts over the last `windowSeconds` completed
 * virtual seconds: per-shard records, bytes and throttles (ShardMetrics) and per-key attempts by the hash key
 * they were routed by (KeyWindow). A pure read: it changes nothing, so asking twice gives the same answer.
 */
export function diagnoseStream(stream: Stream, nowMs: number): ShardDiagnosis[] {
  const keyRates = windowKeyRates(stream, nowMs);
  const last = Math.floor(nowMs / 1000) - 1;
  const first = last - DIAGNOSIS_WINDOW_SECONDS + 1;
  const loads: ShardLoad[] = [];
  // Only open shards: a closed one takes no writes, and cannot be split.
  for (const shard of stream.shards) {
    if (!shard.isOpen) continue;
    const m = shard.metrics;
    let throttledAny = 0;
    let sumRecords = 0;
    let sumBytes = 0;
    let peak = -1;
    let best: ShardLoad | undefined;
    for (let s = first; s <= last; s++) {
      const throttled = m.valueAt('throttledRecords', s);
      throttledAny += throttled;
      const records = m.valueAt('incomingRecords', s) + throttled;
      const bytes = m.valueAt('incomingBytes', s) + m.valueAt('throttledBytes', s);
      sumRecords += records;
      sumBytes += bytes;
      // The second that throttled most stands for the shard (ties: its heaviest load).
      const weight =
        throttled * 1e6 +
        Math.max(records / SHARD_WRITE_RECORDS_PER_SECOND, bytes / SHARD_WRITE_BYTES_PER_SECOND);
      if (weight > peak) {
        peak = weight;
        best = {
          shardId: shard.shardId,
          startingHashKey: shard.startingHashKey.toString(),
          endingHashKey: shard.endingHashKey.toString(),
          demandPerSecond: records,
          throttledPerSecond: throttled,
          demandBytesPerSecond: bytes,
          second: s,
        };
      }
    }
    if (throttledAny > 0 && best) {
      const seconds = observedSeconds(Math.max(shard.openedMs, stream.writableSinceMs), last);
      best.averageDemandPerSecond = sumRecords / seconds;
      best.averageDemandBytesPerSecond = sumBytes / seconds;
      loads.push(best);
    }
  }
  return diagnoseShards(loads, keyRates);
}

/** A key's attempts over the window, with its rates. */
export type WindowKeyRate = KeyRate & {
  records: number;
  bytes: number;
  throttled: number;
  error: number;
  /** A sum over several ExplicitHashKeys of the key on that shard (with `groupExplicit`). */
  many: boolean;
  /** The hash key's position in the hash space, in [0, 1) (for drawing). */
  fraction: number;
};

/**
 * Each key's attempts over the last DIAGNOSIS_WINDOW_SECONDS completed virtual seconds: averages, and its
 * busiest second; hottest first. Keys are told apart by the hash key their records were routed by; with
 * `groupExplicit`, records routed by ExplicitHashKeys are summed per partition key and shard instead (to
 * show where one key's records went; `error` -1 when such a sum may be low).
 */
export function windowKeyRates(stream: Stream, nowMs: number, groupExplicit = false): WindowKeyRate[] {
  const last = Math.floor(nowMs / 1000) - 1;
  const byKey = new Map<string, WindowKeyRate>();
  for (let s = last - DIAGNOSIS_WINDOW_SECONDS + 1; s <= last; s++) {
    const keys = groupExplicit
      ? [...stream.keyWindow.at(s).filter((k) => !k.explicit), ...stream.keyWindow.explicitAt(s)]
      : stream.keyWindow.at(s);
    for (const k of keys) {
      const shardId = stream.shards[k.shardIndex]?.shardId ?? '';
      const id =
        groupExplicit && k.explicit
          ? `g|${shardId}|${k.partitionKey}`
          : `${k.explicit ? 'e' : 'm'}${k.hashKey.join(',')}|${shardId}|${k.partitionKey}`;
      let rate = byKey.get(id);
      if (!rate) {
        rate = {
          partitionKey: k.partitionKey,
          hashKey: hashKeyToDecimal(k.hashKey),
          fraction: hashKeyFraction(k.hashKey),
          shardId,
          explicit: k.explicit,
          recordsPerSecond: 0,
          bytesPerSecond: 0,
          peakRecordsPerSecond: 0,
          peakBytesPerSecond: 0,
          peakSecond: s,
          records: 0,
          bytes: 0,
          throttled: 0,
          error: 0,
          many: false,
        };
        byKey.set(id, rate);
      }
      rate.records += k.records;
      rate.bytes += k.bytes;
      rate.throttled += k.throttled;
      rate.error = rate.error < 0 || k.error < 0 ? -1 : rate.error + k.error;
      // Several seconds of one ExplicitHashKey each are still a sum over several if they differ.
      if (k.many === true || (groupExplicit && k.explicit && rate.hashKey !== hashKeyToDecimal(k.hashKey)))
        rate.many = true;
      const loadNow = Math.max(
        k.records / SHARD_WRITE_RECORDS_PER_SECOND,
        k.bytes / SHARD_WRITE_BYTES_PER_SECOND,
      );
      const loadPeak = Math.max(
        (rate.peakRecordsPerSecond ?? 0) / SHARD_WRITE_RECORDS_PER_SECOND,
        (rate.peakBytesPerSecond ?? 0) / SHARD_WRITE_BYTES_PER_SECOND,
      );
      if (loadNow > loadPeak) {
        rate.peakRecordsPerSecond = k.records;
        rate.peakBytesPerSecond = k.bytes;
        rate.peakSecond = s;
      }
    }
  }
  const out = [...byKey.values()];
  const seconds = observedSeconds(stream.writableSinceMs, last);
  for (const r of out) {
    r.recordsPerSecond = r.records / seconds;
    r.bytesPerSecond = r.bytes / seconds;
  }
  return out.sort((a, b) => b.records - a.records);
}

/** 2^53: demand fractions become exact BigInt ratios over this denominator. */
const FRACTION_BITS = 53n;
const FRACTION_ONE = 2 ** 53;

/** `part / whole` (BigInts, 0 ≤ part ≤ whole) as a float, exact to 2^-53 whatever their size. */
function ratio(part: bigint, whole: bigint): number {
  return Number((part << FRACTION_BITS) / whole) / FRACTION_ONE;
}

/** floor(width · f) for a float 0 ≤ f ≤ 1, in BigInt arithmetic (f taken to 53 bits). */
function scale(width: bigint, f: number): bigint {
  const clamped = Math.min(Math.max(f, 0), 1);
  return (width * BigInt(Math.round(clamped * FRACTION_ONE))) >> FRACTION_BITS;
}

/**
 * A NewStartingHashKey that splits the shard's demand in half: known key rates at their positions, the
 * rest of the demand spread evenly over the range; clamped to SplitShard's rule Start + 2 ≤ k ≤ End − 1.
 * Positions stay BigInts throughout (a float cannot tell hash keys 2^75 apart); only demand is a float.
 * A key is never split from itself: the split goes just before or just after it, whichever halves better.
 */
function splitPoint(
  shard: ShardLoad,
  keys: KeyRate[],
  rateOf: (k: KeyRate) => number,
  demand: number,
): string | undefined {
  const start = BigInt(shard.startingHashKey);
  const end = BigInt(shard.endingHashKey);
  if (end - start < 3n) return undefined;
  const width = end - start + 1n;
  const placed = keys
    .map((k) => ({ at: BigInt(k.hashKey), rate: Math.max(0, rateOf(k)) }))
    .filter((k) => k.at >= start && k.at <= end)
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const known = placed.reduce((sum, k) => sum + k.rate, 0);
  // What the known keys do not explain is spread evenly over the range.
  const spread = Math.max(0, demand - known);
  const half = (known + spread) / 2;
  // Demand below position x: spread · (x − start) / width, plus the keys before x.
  let cumulative = 0;
  let position = start;
  let k: bigint | undefined;
  for (const key of placed) {
    const between = spread * ratio(key.at - position, width);
    if (between > 0 && cumulative + between >= half) {
      k = position + scale(width, (half - cumulative) / spread);
      break;
    }
    cumulative += between;
    position = key.at;
    if (cumulative + key.rate >= half) {
      // Just after the key (it goes to the lower child) or at it (upper child): whichever is nearer half.
      k = cumulative + key.rate - half <= half - cumulative ? key.at + 1n : key.at;
      break;
    }
    cumulative += key.rate;
  }
  if (k === undefined) {
    k = spread > 0 ? position + scale(width, (half - cumulative) / spread) : start + width / 2n;
  }
  if (k < start + 2n) k = start + 2n;
  if (k > end - 1n) k = end - 1n;
  return k.toString();
}
