import { useDeferredValue } from 'react';
import { useSim } from '../state/SimStoreProvider';
import { selectViewStream } from '../state/selectors';

/**
 * The stream for a heavy view (chart, big table), rendered at low priority: React renders these updates
 * in interruptible slices, so the clock, buttons and typing stay responsive while charts catch up.
 */
export function useViewStream() {
  return useDeferredValue(useSim(selectViewStream));
}
