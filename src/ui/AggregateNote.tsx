import { useSim } from '../state/SimStoreProvider';
import { selectAggregated } from '../state/selectors';

/**
 * Says that a view is built from aggregate data, whenever a producer's latest records were simulated in
 * aggregate (fast speeds, jumps, large bursts): counts per shard drawn from the key distribution, not
 * records one by one. `what` names what that means for this view.
 */
export function AggregateNote({ what }: { what: string }) {
  const aggregated = useSim(selectAggregated);
  if (!aggregated) return null;
  return (
    // A span (shown as a block): it also sits inside chart captions, where a paragraph may not.
    <span className="aggregate-note" data-testid="aggregate-note">
      <strong>Aggregate simulation:</strong> {what}
    </span>
  );
}

/** What aggregate simulation means for per-shard counts. */
export const AGGREGATE_SHARD_COUNTS =
  'per-shard counts are drawn from the key distribution, not written record by record.';
/** What it means for views with per-shard counts and hot keys. */
export const AGGREGATE_COUNTS =
  'per-shard counts are drawn from the key distribution; hot-key counts are the expected shares of the keys heavier than average (of many equal keys, none is counted).';
