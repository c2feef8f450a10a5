import { useSim } from '../../state/SimStoreProvider';
import { selectSpeed } from '../../state/selectors';
import { type TimeWindow, timeWindow, type WindowSource } from './timeAxis';

/** The time window a chart of `stream`'s per-second series draws at the clock's speed (see timeWindow). */
export function useTimeWindow(stream: WindowSource | null): TimeWindow | null {
  const speed = useSim(selectSpeed);
  return stream ? timeWindow(stream, speed) : null;
}
