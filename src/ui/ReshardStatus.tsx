import { useSim } from '../state/SimStoreProvider';
import type { SimState } from '../state/store';
import { formatCount } from './format';

/** What the stream is UPDATING for, and in about how many virtual seconds it settles, as one line. */
export function reshardStatusText(s: SimState): string {
  const stream = s.snapshot?.stream;
  const pending = stream?.pendingReshard;
  if (!stream || !pending) return '';
  const what =
    pending.operation === 'SplitShard'
      ? `SplitShard of ${pending.shardIds[0] ?? ''}`
      : pending.operation === 'MergeShards'
        ? `MergeShards of ${pending.shardIds.join(' and ')}`
        : `UpdateShardCount to ${pending.targetShardCount ?? '?'} shards`;
  const seconds = Math.max(0, Math.ceil((pending.completesAtMs - stream.nowMs) / 1000));
  const at = pending.newStartingHashKey
    ? ` It splits at NewStartingHashKey ${pending.newStartingHashKey}.`
    : '';
  return `${stream.status}: ${what} settles in about ${formatCount(seconds)} s (typical, not guaranteed).${at}`;
}

/**
 * The resharding in progress, from the snapshot's pendingReshard; nothing when there is none. Not a live
 * region (a countdown read out every second would drown everything else): the answer to the request is.
 */
export function ReshardStatus() {
  const text = useSim(reshardStatusText);
  if (!text) return null;
  return (
    <p className="reshard-status" data-testid="reshard-status">
      {text}
    </p>
  );
}
