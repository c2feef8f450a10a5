import { type HotKeySketch, ROUTED_BY_MD5 } from './hotKeys';
import { DIAGNOSIS_WINDOW_SECONDS, KEY_WINDOW_TOP_KEYS } from './limits';

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
   * Closes virtual second `second` (epoch s) with the sketch's hottest keys; `route` gives the shard
   * (index into stream.shards) a hash key went to during that second.
   */
  close(second: number, sketch: HotKeySketch, route: (hashKey: Uint32Array) => number): void {
    if (sketch.total === 0) return;
    const slot = second % DIAGNOSIS_WINDOW_SECONDS;
    this.seconds[slot] = second;
    // Stand-ins for many hash keys are no single key: they only count in the per-key-and-shard sums below.
    // Hottest first; among equals, the throttled ones (they are what the diagnosis explains).
    const hottest = sketch
      .top(sketch.monitored)
      .filter((k) => !k.spread)
      .sort((a, b) => b.count - a.count || b.throttled - a.throttled)
      .slice(0, KEY_WINDOW_TOP_KEYS);
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
    // Records routed by ExplicitHashKeys often carry one partition key over many hash keys (one per record):
    // summed per partition key and shard, they show where that key's records went.
    const groups = new Map<string, KeySecond>();
    const exact = sketch.exact;
    sketch.forEach((partitionKey, hashKey, records, throttled, bytes, routing) => {
      if (routing === ROUTED_BY_MD5) return;
      const shardIndex = route(hashKey);
      const id = `${shardIndex}|${partitionKey}`;
      const group = groups.get(id);
      if (group) {
        group.records += records;
        group.bytes += bytes;
        group.throttled += throttled;
      } else {
        groups.set(id, {
          partitionKey,
          hashKey: hashKey.slice(),
          explicit: true,
          shardIndex,
          records,
          bytes,
          throttled,
          // Past the exact key limit only monitored hash keys are summed: the group may be undercounted.
          error: exact ? 0 : -1,
        });
      }
    });
    this.explicitGroups[slot] = [...groups.values()];
  }

  /**
   * Records routed by an ExplicitHashKey in completed second `second`, summed per partition key and shard
   * (`hashKey` is the first one seen; `error` -1 when the sum may be low because not every hash key was kept).
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
