import type { ProducerSpec } from './engineTypes';
import { SimulationHost } from './host';

/** A PutRecord producer of `rate` records/s over `keyCount` keys, 10–20-byte records. */
export const testProducer = (rate: number, keyCount: number, name = 'p'): ProducerSpec => ({
  name,
  api: 'PutRecord',
  batchSize: 1,
  payloadBytes: { min: 10, max: 20 },
  rate,
  distribution: { kind: 'uniform', keyCount },
});

/**
 * A host (no listener, wall clock fixed at 0: the test ticks it) on its default stream with `producer`
 * running and the clock playing; no virtual time has passed yet.
 */
export function playingHost(seed: number, producer: ProducerSpec): SimulationHost {
  const host = new SimulationHost(
    () => {},
    seed,
    () => 0,
  );
  host.handle({ type: 'addProducer', requestId: 1, start: true, spec: producer });
  host.handle({ type: 'play' });
  return host;
}
