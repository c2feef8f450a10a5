import { create } from 'zustand';
import { useSim } from '../../state/SimStoreProvider';
import { selectResult } from '../../state/selectors';
import type { SimState } from '../../state/store';
import type { CommandResult } from '../../worker/protocol';

/** Which form asked to mark a key on the keyspace bar. */
export type MarkSource = 'putRecord' | 'inspector';

/** A key a form asked the worker to inspect, to mark it on the keyspace bar when the answer comes. */
export interface MarkRequest {
  source: MarkSource;
  partitionKey: string;
  explicitHashKey: string | undefined;
  /** The ShardId PutRecord answered (PutRecord only). */
  putShardId: string | undefined;
  /** The simulation it was asked in: a new scenario or stream drops the mark. */
  generation: number;
  /** The inspectKey answer shown when it was asked: the mark waits for a newer one. */
  before: CommandResult | undefined;
}

interface KeyMarkerState {
  request: MarkRequest | null;
  ask(request: MarkRequest): void;
  clear(): void;
}

/** UI-only: the key last put by hand or inspected, to mark on the keyspace bar (not simulation state). */
export const useKeyMarkerStore = create<KeyMarkerState>((set) => ({
  request: null,
  ask: (request) => set({ request }),
  clear: () => set({ request: null }),
}));

/** A key marked on the keyspace bar, every value as the worker sent it (no hashing on this side). */
export interface KeyMark {
  source: MarkSource;
  partitionKey: string;
  explicit: boolean;
  /** Decimal 128-bit hash key, and where it lies in the hash space in [0, 1). */
  hashKey: string;
  fraction: number;
  shardId: string;
  startingHashKey: string;
  endingHashKey: string;
  /** PutRecord only: the ShardId its answer named (differs from `shardId` if the stream resharded since). */
  putShardId: string | undefined;
}

/** The mark for `request` from the worker's inspectKey answer `result`, or null while none matches. */
export function markOf(
  request: MarkRequest | null,
  result: CommandResult | undefined,
  generation: number,
): KeyMark | null {
  if (!request || !result?.ok || result === request.before || request.generation !== generation) return null;
  const o = result.output;
  const explicit = o.explicit === true;
  if (o.partitionKey !== request.partitionKey || explicit !== (request.explicitHashKey !== undefined))
    return null;
  if (typeof o.hashKey !== 'string' || typeof o.shardId !== 'string' || typeof o.fraction !== 'number')
    return null;
  return {
    source: request.source,
    partitionKey: request.partitionKey,
    explicit,
    hashKey: o.hashKey,
    fraction: o.fraction,
    shardId: o.shardId,
    startingHashKey: String(o.startingHashKey),
    endingHashKey: String(o.endingHashKey),
    putShardId: request.putShardId,
  };
}

const selectInspectResult = selectResult('inspectKey');
const selectViewGeneration = (s: SimState) => s.viewGeneration;

/** The key marked on the keyspace bar now, or null. */
export function useKeyMark(): KeyMark | null {
  const request = useKeyMarkerStore((s) => s.request);
  const result = useSim(selectInspectResult);
  const generation = useSim(selectViewGeneration);
  return markOf(request, result, generation);
}

/** Why a marked key landed on its shard, in words: its hash key lies within the shard's range. */
export function markReason(mark: KeyMark): string {
  const how = mark.explicit
    ? 'its ExplicitHashKey, used as the hash key,'
    : `its hash key (the MD5 of "${mark.partitionKey}" as a 128-bit number)`;
  return `${how} ${mark.hashKey} lies between ${mark.shardId}'s StartingHashKey ${mark.startingHashKey} and EndingHashKey ${mark.endingHashKey}.`;
}
