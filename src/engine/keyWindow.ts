import type { HotKeySketch } from './hotKeys';
import { DIAGNOSIS_WINDOW_SECONDS, EXPLICIT_TALLY_MAX_KEYS, KEY_WINDOW_TOP_KEYS } from './limits';

/** One partition key's attempts in one completed virtual second, on the shard they went to. */
export interface KeySecond {
  partitionKey: string;
  /** The 128-bit hash key the records were routed by (MD5 of the key, or the ExplicitHashKey), 4 words. */
  hashKey: Uint32Array;
  explicit: boolean;
  /** Index into stream.shards of the shard the key's records went to in that second. */
  shardIndex: number;
  /** Attempts (accepted + throttled), their data + key bytes, and how many were throttled. */
  records: number;
  bytes: number;
  throttled: number;
  /** How much `records` may over-estimate (0 = exact: at most 4,096 distinct keys in that second). */
  error: number;
  /** A sum over several ExplicitHashKeys of one partition key (ExplicitTally); `hashKey` is the first. */
  many?: boolean;
}

/**
 * The hottest keys of each of the last DIAGNOSIS_WINDOW_SECONDS completed virtual seconds. The engine
 * counts each second in a HotKeySketch and closes it here when the second ends, so what the diagnosis
 * reads is a fact of the simulation, whatever the speed and however often a snapshot is taken.
 */
export class KeyWindow {
  private readonly seconds = new Float64Array(DIAGNOSIS_WINDOW_SECONDS).fill(Number.NaN);
  private readonly entries: KeySecond[][] = Array.from({ length: DIAGNOSIS_WINDOW_SECONDS }, () => []);
  private readonly explicitGroups: KeySecond[][] = Array.from({ length: DIAGNOSIS_WINDOW_SECONDS }, () => []);

  /**
   * Closes virtual second `second` (epoch s) with the sketch's hottest keys and the second's ExplicitHashKey
   * tally (drained); `route` gives the shard (index into stream.shards) a hash key went to in that second.
   */
  close(
    second: number,
    sketch: HotKeySketch,
    explicit: ExplicitTally,
    route: (hashKey: Uint32Array) => number,
  ): void {
    if (sketch.total === 0 && explicit.empty) return;
    const slot = second % DIAGNOSIS_WINDOW_SECONDS;
    this.seconds[slot] = second;
    // Hottest first; among equals, the throttled ones (they are what the diagnosis explains).
    const hottest = sketch.hottest(KEY_WINDOW_TOP_KEYS);
    this.entries[slot] = hottest.map((k) => ({
      partitionKey: k.partitionKey,
      hashKey: k.hashKey,
      explicit: k.explicit,
      shardIndex: route(k.hashKey),
      records: k.count,
      bytes: k.bytes,
      throttled: k.throttled,
      error: k.error,
    }));
    this.explicitGroups[slot] = explicit.drain();
  }

  /**
   * Records routed by an ExplicitHashKey in completed second `second`, summed per partition key and shard
   * (`hashKey` is the first one seen; `error` -1 when the sum may be low: more partition keys than tallied).
   */
  explicitAt(second: number): readonly KeySecond[] {
    const slot = ((second % DIAGNOSIS_WINDOW_SECONDS) + DIAGNOSIS_WINDOW_SECONDS) % DIAGNOSIS_WINDOW_SECONDS;
    return this.seconds[slot] === second ? (this.explicitGroups[slot] as KeySecond[]) : [];
  }

  /** The keys of completed second `second` (empty if nothing was written then, or it is out of the window). */
  at(second: number): readonly KeySecond[] {
    const slot = ((second % DIAGNOSIS_WINDOW_SECONDS) + DIAGNOSIS_WINDOW_SECONDS) % DIAGNOSIS_WINDOW_SECONDS;
    return this.seconds[slot] === second ? (this.entries[slot] as KeySecond[]) : [];
  }
}

/**
 * Records routed by an ExplicitHashKey in the second in progress, summed exactly per partition key and
 * shard. One partition key is often spread over many hash keys (a random ExplicitHashKey per record): no
 * single hash key is hot, but where the key's records went is a fact worth showing. At most
 * EXPLICIT_TALLY_MAX_KEYS partition keys a second; past that, sums are marked as possibly low.
 */
export class ExplicitTally {
  private byKey = new Map<string, Map<number, KeySecond>>();
  private overflow = false;

  get empty(): boolean {
    return this.byKey.size === 0;
  }

  /**
   * Counts `count` attempts of `partitionKey` on shard `shardIndex` (index into stream.shards), `throttled`
   * of them throttled, `bytes` their data + key bytes; `hashKey` (4 words) is one of the hash keys used.
   */
  add(
    partitionKey: string,
    shardIndex: number,
    hashKey: Uint32Array,
    count: number,
    throttled: number,
    bytes: number,
  ): void {
    let shards = this.byKey.get(partitionKey);
    if (!shards) {
      if (this.byKey.size >= EXPLICIT_TALLY_MAX_KEYS) {
        this.overflow = true;
        return;
      }
      shards = new Map();
      this.byKey.set(partitionKey, shards);
    }
    const group = shards.get(shardIndex);
    if (group) {
      if (!group.many) {
        const first = group.hashKey;
        group.many =
          first[0] !== hashKey[0] ||
          first[1] !== hashKey[1] ||
          first[2] !== hashKey[2] ||
          first[3] !== hashKey[3];
      }
      group.records += count;
      group.bytes += bytes;
      group.throttled += throttled;
    } else {
      shards.set(shardIndex, {
        partitionKey,
        hashKey: hashKey.slice(),
        explicit: true,
        shardIndex,
        records: count,
        bytes,
        throttled,
        error: 0,
        many: false,
      });
    }
  }

  /** The second's sums, and a fresh start for the next second. */
  drain(): KeySecond[] {
    if (this.byKey.size === 0) return [];
    const groups: KeySecond[] = [];
    for (const shards of this.byKey.values()) for (const group of shards.values()) groups.push(group);
    if (this.overflow) for (const group of groups) group.error = -1;
    this.byKey = new Map();
    this.overflow = false;
    return groups;
  }
}
