import type { StreamSnapshot } from '../worker/engineTypes';
import { formatBytes, formatCount } from './format';

/** How the page labels on-demand scaling's figures: the engine follows this edition of AWS's guide. */
export const ON_DEMAND_SOURCE = 'AWS 2022 documentation';

/**
 * The on-demand scaling under way, as one line ("… will split shardId-… in about N min"), from the
 * snapshot's onDemand.scalingAtMs; '' when the stream is not ON_DEMAND or no scaling is due.
 */
export function scalingText(stream: StreamSnapshot | null | undefined): string {
  const onDemand = stream?.onDemand;
  if (!stream || !onDemand || onDemand.scalingAtMs === null || onDemand.scalingShardIds.length === 0)
    return '';
  const minutes = Math.max(1, Math.ceil((onDemand.scalingAtMs - stream.nowMs) / 60_000));
  const ids = onDemand.scalingShardIds;
  const shards =
    ids.length <= 4 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`;
  return `On-demand scaling will split ${shards} in about ${formatCount(minutes)} min (${ON_DEMAND_SOURCE}: within 15 minutes).`;
}

/** The 30-day peak of write demand the engine keeps capacity for, as one phrase. */
export function peakText(stream: StreamSnapshot | null | undefined): string {
  const onDemand = stream?.onDemand;
  if (!onDemand) return '';
  return `${formatCount(onDemand.peakRecordsPerSecond)} records/s and ${formatBytes(onDemand.peakBytesPerSecond)}/s`;
}
