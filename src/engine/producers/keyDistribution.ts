import type { ShardEngine } from '../engine';
import { hashKeyFromDecimal } from '../hashKey';
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
}

/** Draws keys for one producer; deterministic from the engine's seeded generator. */
export interface KeySampler {
  next(out: KeySample): void;
  /** Each open shard's expected share of this producer's records (by stream.shards index), for aggregation. */
  shardWeights(): Map<number, number>;
  /** Releases pinned keys. */
  dispose(): void;
}

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
    return {
      next(out) {
        const i = ids.length === 1 ? 0 : pick(cum, random.next());
        out.keyId = ids[i] as number;
        out.shardIndex = engine.routeKey(stream, out.keyId);
        out.key = undefined;
      },
      shardWeights() {
        const map = new Map<number, number>();
        ids.forEach((id, i) => {
          const shard = engine.routeKey(stream, id);
          map.set(shard, (map.get(shard) ?? 0) + (weights[i] as number) / total);
        });
        return map;
      },
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
    case 'sequential':
    case 'timestamp': {
      if (d.kind === 'sequential') {
        let counter = d.start ?? 0;
        const seqPrefix = d.prefix ?? 'id-';
        return {
          next(out) {
            // Every key is new: written without interning, so the key table never grows with them.
            out.key = `${seqPrefix}${counter++}`;
            out.keyId = -1;
            out.shardIndex = -1;
          },
          shardWeights() {
            // Distinct keys hash uniformly: each shard's share is its share of the hash space.
            const map = new Map<number, number>();
            for (const s of stream.openShards)
              map.set(
                s.index,
                Number(((s.endingHashKey - s.startingHashKey + 1n) * 1_000_000n) >> 128n) / 1_000_000,
              );
            return map;
          },
          dispose() {},
        };
      }
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
        },
        shardWeights() {
          return new Map([[engine.routeKey(stream, current()), 1]]);
        },
        dispose() {
          if (pinned >= 0) engine.unpinKey(stream, pinned);
          pinned = -1;
          second = Number.NaN;
        },
      };
    }
    case 'explicitHashKeys': {
      const keyId = engine.pinKey(stream, d.partitionKey ?? 'explicit-hash-key');
      const listed = (d.hashKeys ?? []).map((h) => {
        const words = new Uint32Array(4);
        hashKeyFromDecimal(h, words);
        return words;
      });
      const scratch = new Uint32Array(4);
      return {
        next(out) {
          out.keyId = keyId;
          out.key = undefined;
          if (listed.length > 0) {
            out.shardIndex = engine.routeHashKey(
              stream,
              listed[random.nextInt(listed.length)] as Uint32Array,
            );
          } else {
            scratch[0] = random.nextUint32();
            scratch[1] = random.nextUint32();
            scratch[2] = random.nextUint32();
            scratch[3] = random.nextUint32();
            out.shardIndex = engine.routeHashKey(stream, scratch);
          }
        },
        shardWeights() {
          const map = new Map<number, number>();
          if (listed.length > 0) {
            for (const words of listed) {
              const s = engine.routeHashKey(stream, words);
              map.set(s, (map.get(s) ?? 0) + 1 / listed.length);
            }
          } else {
            for (const s of stream.openShards)
              map.set(
                s.index,
                Number(((s.endingHashKey - s.startingHashKey + 1n) * 1_000_000n) >> 128n) / 1_000_000,
              );
          }
          return map;
        },
        dispose() {
          engine.unpinKey(stream, keyId);
        },
      };
    }
  }
}
