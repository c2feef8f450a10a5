import type { ShardEngine } from '../engine';
import { hashKeyFromDecimal } from '../hashKey';
import { ROUTED_BY_EXPLICIT, ROUTED_BY_MD5, type Routing } from '../hotKeys';
import { utf8ByteLength } from '../md5';
import type { SeededRandom } from '../random';
import type { Stream } from '../stream';

/** How a producer picks partition keys (or explicit hash keys) for its records. */
export type KeyDistribution =
  | { kind: 'uniform'; keyCount: number; prefix?: string }
  | { kind: 'zipf'; keyCount: number; exponent: number; prefix?: string }
  | { kind: 'hotKey'; hotKey: string; hotPercent: number; keyCount: number; prefix?: string }
  | { kind: 'sequential'; prefix?: string; start?: number }
  | { kind: 'timestamp' }
  | { kind: 'weighted'; keys: { key: string; weight: number }[] }
  | { kind: 'explicitHashKeys'; hashKeys?: string[]; partitionKey?: string };

/**
 * One sampled record target: a pinned key id and its shard (for explicit hash keys, the shard directly), or,
 * for unbounded key sets, a `key` string to write without interning (then keyId and shardIndex are -1: the
 * write routes it).
 */
export interface KeySample {
  keyId: number;
  shardIndex: number;
  /** A key written once: sent through ShardEngine.putUnpinned, never interned. */
  key: string | undefined;
  /** The ExplicitHashKey (4 words) the record is routed by, or undefined: routed by the MD5 of its key. */
  explicitHashKey: Uint32Array | undefined;
}

/** Each open shard's expected share of a producer's records (shards: indexes into stream.shards). */
export interface ShardWeights {
  shards: Int32Array;
  weights: Float64Array;
}

/**
 * A key that carries a known share of a producer's records, so aggregate simulation can count it in the
 * hot-key counters as record-by-record simulation would. `routing` is how its records are routed (by MD5
 * or by one ExplicitHashKey); `many` marks a shard's share of one partition key spread by random
 * ExplicitHashKeys: no single hash key, so it counts only in the per-key-and-shard tally.
 */
export interface HeavyKey {
  partitionKey: string;
  hashKey: Uint32Array;
  routing: Routing;
  many?: boolean;
  shardIndex: number;
  weight: number;
}

/** Draws keys for one producer; deterministic from the engine's seeded generator. */
export interface KeySampler {
  next(out: KeySample): void;
  /** Shares of the producer's records per shard at the current virtual instant (kept while routes hold). */
  shardWeights(): ShardWeights;
  /** Up to HEAVY_KEYS keys with the largest shares at the current virtual instant. */
  heavyKeys(): readonly HeavyKey[];
  /** The average UTF-8 size of the partition keys it draws now, bytes. */
  meanKeyBytes(): number;
  /** Whether its shard shares change as virtual time passes (a timestamp key moves every second). */
  readonly timeVarying: boolean;
  /** Releases pinned keys. */
  dispose(): void;
}

/** Keys with the largest shares that aggregate simulation feeds to the hot-key counters, per producer. */
export const HEAVY_KEYS = 64;
/**
 * The heaviest keys always counted; past them, only keys with at least HEAVY_MIN_SHARE of the records. Of a
 * set of more than HEAVY_KEYS keys, only keys heavier than the average key: among keys of equal weight
 * (10,000 uniform keys) none is hotter than another, and counting some of them made an arbitrary few (the
 * first by index) the "hottest". A set of HEAVY_KEYS or fewer is counted whole.
 */
export const HEAVY_KEYS_ALWAYS = 8;
export const HEAVY_MIN_SHARE = 1 / 1000;

/** Checks a distribution's parameters; returns the first problem as [field, message], or undefined. */
export function distributionProblem(d: KeyDistribution): [string, string] | undefined {
  const count = (n: number) => Number.isInteger(n) && n >= 1 && n <= 1_000_000;
  switch (d.kind) {
    case 'uniform':
      return count(d.keyCount)
        ? undefined
        : ['keyCount', 'keyCount must be a whole number from 1 to 1,000,000'];
    case 'zipf':
      if (!count(d.keyCount)) return ['keyCount', 'keyCount must be a whole number from 1 to 1,000,000'];
      return Number.isFinite(d.exponent) && d.exponent > 0 && d.exponent <= 5
        ? undefined
        : ['exponent', 'the Zipf exponent must be above 0 and at most 5'];
    case 'hotKey':
      if (typeof d.hotKey !== 'string' || d.hotKey.length < 1 || d.hotKey.length > 256)
        return ['hotKey', 'the hot key must have 1 to 256 characters'];
      if (!count(d.keyCount)) return ['keyCount', 'keyCount must be a whole number from 1 to 1,000,000'];
      return Number.isFinite(d.hotPercent) && d.hotPercent >= 0 && d.hotPercent <= 100
        ? undefined
        : ['hotPercent', 'the hot key share must be from 0 to 100 %'];
    case 'sequential':
      return d.start === undefined || (Number.isInteger(d.start) && d.start >= 0)
        ? undefined
        : ['start', 'start must be a whole number ≥ 0'];
    case 'timestamp':
      return undefined;
    case 'weighted':
      if (!Array.isArray(d.keys) || d.keys.length < 1 || d.keys.length > 100_000)
        return ['keys', 'give 1 to 100,000 keys'];
      for (const k of d.keys) {
        if (typeof k.key !== 'string' || k.key.length < 1 || k.key.length > 256)
          return ['keys', `every key must have 1 to 256 characters (got ${JSON.stringify(k.key)})`];
        if (!Number.isFinite(k.weight) || k.weight < 0)
          return ['keys', `weights must be numbers ≥ 0 (got ${k.weight} for ${k.key})`];
      }
      return d.keys.some((k) => k.weight > 0) ? undefined : ['keys', 'at least one weight must be above 0'];
    case 'explicitHashKeys': {
      const scratch = new Uint32Array(4);
      for (const h of d.hashKeys ?? []) {
        if (!hashKeyFromDecimal(h, scratch))
          return ['hashKeys', `ExplicitHashKey must be a decimal from 0 to 2^128-1 (got ${h})`];
      }
      return undefined;
    }
    default:
      return ['kind', `unknown key distribution ${JSON.stringify((d as { kind?: unknown }).kind)}`];
  }
}

/** Cumulative weights for sampling by binary search. */
function cumulative(weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i] as number;
    out[i] = sum;
  }
  return out;
}

function pick(cum: Float64Array, u: number): number {
  const target = u * (cum[cum.length - 1] as number);
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cum[mid] as number) <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Shares of the hash space per open shard: what distinct (or random) hash keys spread by. */
function hashSpaceWeights(stream: Stream): ShardWeights {
  const open = stream.openShards;
  const weights = new Float64Array(open.length);
  open.forEach((s, i) => {
    weights[i] = Number(((s.endingHashKey - s.startingHashKey + 1n) * 1_000_000_000n) >> 128n) / 1e9;
  });
  return { shards: Int32Array.from(open, (s) => s.index), weights };
}

/** Caches a value while the stream's routes (its open shards) stay as they are. */
function whileRoutesHold<T>(stream: Stream, build: () => T): () => T {
  let epoch = -1;
  let value: T | undefined;
  return () => {
    if (epoch !== stream.routeEpoch || value === undefined) {
      value = build();
      epoch = stream.routeEpoch;
    }
    return value;
  };
}

/** Builds a sampler over a stream for a distribution (parameters already checked). */
export function createKeySampler(
  engine: ShardEngine,
  stream: Stream,
  d: KeyDistribution,
  random: SeededRandom,
): KeySampler {
  const prefix = 'prefix' in d && d.prefix !== undefined ? d.prefix : 'user-';
  // Finite key sets are pinned once: records then carry only key ids, and routing is cached per key.
  const finite = (keys: string[], weights: ArrayLike<number>): KeySampler => {
    const ids = keys.map((k) => engine.pinKey(stream, k));
    const cum = cumulative(weights);
    const total = cum[cum.length - 1] as number;
    let keyBytes = 0;
    keys.forEach((k, i) => {
      keyBytes += (utf8ByteLength(k) * (weights[i] as number)) / total;
    });
    const heaviest = Array.from({ length: keys.length }, (_, i) => i)
      .sort((a, b) => (weights[b] as number) - (weights[a] as number) || a - b)
      .slice(0, HEAVY_KEYS)
      .filter(
        (i, rank) =>
          (weights[i] as number) > 0 &&
          // All keys when all fit, else those heavier than the average key (see HEAVY_KEYS_ALWAYS).
          (keys.length <= HEAVY_KEYS || (weights[i] as number) * keys.length > total * (1 + 1e-9)) &&
          (rank < HEAVY_KEYS_ALWAYS || (weights[i] as number) / total >= HEAVY_MIN_SHARE),
      );
    const shardWeights = whileRoutesHold(stream, () => {
      const byShard = new Map<number, number>();
      ids.forEach((id, i) => {
        const shard = engine.routeKey(stream, id);
        byShard.set(shard, (byShard.get(shard) ?? 0) + (weights[i] as number) / total);
      });
      return {
        shards: Int32Array.from(byShard.keys()),
        weights: Float64Array.from(byShard.values()),
      };
    });
    const heavyKeys = whileRoutesHold(stream, () =>
      heaviest.map((i) => {
        const id = ids[i] as number;
        return {
          partitionKey: keys[i] as string,
          hashKey: stream.keys.hashWords.slice(id * 4, id * 4 + 4),
          routing: ROUTED_BY_MD5 as Routing,
          shardIndex: engine.routeKey(stream, id),
          weight: (weights[i] as number) / total,
        };
      }),
    );
    return {
      next(out) {
        const i = ids.length === 1 ? 0 : pick(cum, random.next());
        out.keyId = ids[i] as number;
        out.shardIndex = engine.routeKey(stream, out.keyId);
        out.key = undefined;
        out.explicitHashKey = undefined;
      },
      shardWeights,
      heavyKeys,
      meanKeyBytes: () => keyBytes,
      timeVarying: false,
      dispose() {
        for (const id of ids) engine.unpinKey(stream, id);
      },
    };
  };
  switch (d.kind) {
    case 'uniform': {
      const keys = Array.from({ length: d.keyCount }, (_, i) => `${prefix}${i}`);
      return finite(keys, new Float64Array(d.keyCount).fill(1));
    }
    case 'zipf': {
      const weights = new Float64Array(d.keyCount);
      for (let i = 0; i < d.keyCount; i++) weights[i] = 1 / (i + 1) ** d.exponent;
      return finite(
        Array.from({ length: d.keyCount }, (_, i) => `${prefix}${i}`),
        weights,
      );
    }
    case 'hotKey': {
      const keys = [d.hotKey, ...Array.from({ length: d.keyCount }, (_, i) => `${prefix}${i}`)];
      const weights = new Float64Array(keys.length);
      weights[0] = d.hotPercent / 100;
      for (let i = 1; i < keys.length; i++) weights[i] = (1 - d.hotPercent / 100) / d.keyCount;
      return finite(keys, weights);
    }
    case 'weighted':
      return finite(
        d.keys.map((k) => k.key),
        d.keys.map((k) => k.weight),
      );
    case 'sequential': {
      let counter = d.start ?? 0;
      const seqPrefix = d.prefix ?? 'id-';
      const spread = whileRoutesHold(stream, () => hashSpaceWeights(stream));
      return {
        next(out) {
          // Every key is new: written without interning, so the key table never grows with them.
          out.key = `${seqPrefix}${counter++}`;
          out.keyId = -1;
          out.shardIndex = -1;
          out.explicitHashKey = undefined;
        },
        // Distinct keys hash uniformly: each shard's share is its share of the hash space.
        shardWeights: spread,
        // Each key is used once: none carries a share worth counting.
        heavyKeys: () => [],
        meanKeyBytes: () => utf8ByteLength(`${seqPrefix}${counter}`),
        timeVarying: false,
        dispose() {},
      };
    }
    case 'timestamp': {
      // One key per virtual second, written by many records: pinned while its second lasts (MD5 and route
      // once per second), then unpinned; the records written with it keep it alive until they expire.
      let second = Number.NaN;
      let pinned = -1;
      const current = () => {
        const now = Math.floor(engine.now() / 1000);
        if (now !== second) {
          if (pinned >= 0) engine.unpinKey(stream, pinned);
          second = now;
          pinned = engine.pinKey(stream, String(now));
        }
        return pinned;
      };
      return {
        next(out) {
          out.keyId = current();
          out.shardIndex = engine.routeKey(stream, out.keyId);
          out.key = undefined;
          out.explicitHashKey = undefined;
        },
        // The key moves as time moves: asked afresh at every instant.
        shardWeights() {
          return { shards: Int32Array.of(engine.routeKey(stream, current())), weights: Float64Array.of(1) };
        },
        heavyKeys() {
          const id = current();
          return [
            {
              partitionKey: String(second),
              hashKey: stream.keys.hashWords.slice(id * 4, id * 4 + 4),
              routing: ROUTED_BY_MD5,
              shardIndex: engine.routeKey(stream, id),
              weight: 1,
            },
          ];
        },
        meanKeyBytes: () => utf8ByteLength(String(Math.floor(engine.now() / 1000))),
        timeVarying: true,
        dispose() {
          if (pinned >= 0) engine.unpinKey(stream, pinned);
          pinned = -1;
          second = Number.NaN;
        },
      };
    }
    case 'explicitHashKeys': {
      const partitionKey = d.partitionKey ?? 'explicit-hash-key';
      const keyId = engine.pinKey(stream, partitionKey);
      const keyBytes = utf8ByteLength(partitionKey);
      const listed = (d.hashKeys ?? []).map((h) => {
        const words = new Uint32Array(4);
        hashKeyFromDecimal(h, words);
        return words;
      });
      const scratch = new Uint32Array(4);
      const shardWeights = whileRoutesHold(stream, () => {
        if (listed.length === 0) return hashSpaceWeights(stream);
        const byShard = new Map<number, number>();
        for (const words of listed) {
          const s = engine.routeHashKey(stream, words);
          byShard.set(s, (byShard.get(s) ?? 0) + 1 / listed.length);
        }
        return { shards: Int32Array.from(byShard.keys()), weights: Float64Array.from(byShard.values()) };
      });
      const heavyKeys = whileRoutesHold(stream, (): HeavyKey[] => {
        if (listed.length > 0) {
          return listed.slice(0, HEAVY_KEYS).map((words) => ({
            partitionKey,
            hashKey: words,
            routing: ROUTED_BY_EXPLICIT,
            shardIndex: engine.routeHashKey(stream, words),
            weight: 1 / listed.length,
          }));
        }
        // Random hash keys: no single one is heavy; one stand-in per shard shows where the key's records go.
        const spread = hashSpaceWeights(stream);
        return Array.from(spread.shards, (shardIndex, i) => {
          const shard = stream.shards[shardIndex];
          return {
            partitionKey,
            hashKey: shard ? shard.startWords.slice() : new Uint32Array(4),
            routing: ROUTED_BY_EXPLICIT,
            many: true,
            shardIndex,
            weight: spread.weights[i] as number,
          };
        });
      });
      return {
        next(out) {
          out.keyId = keyId;
          out.key = undefined;
          if (listed.length > 0) {
            out.explicitHashKey = listed[random.nextInt(listed.length)] as Uint32Array;
          } else {
            scratch[0] = random.nextUint32();
            scratch[1] = random.nextUint32();
            scratch[2] = random.nextUint32();
            scratch[3] = random.nextUint32();
            out.explicitHashKey = scratch;
          }
          out.shardIndex = engine.routeHashKey(stream, out.explicitHashKey);
        },
        shardWeights,
        heavyKeys,
        meanKeyBytes: () => keyBytes,
        timeVarying: false,
        dispose() {
          engine.unpinKey(stream, keyId);
        },
      };
    }
  }
}
