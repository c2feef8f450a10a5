import { listeners, type SimClient } from './client';
import { SimulationHost } from './host';
import { SNAPSHOT_INTERVAL_MS, type WorkerEvent } from './protocol';

/**
 * Runs the same host on the calling thread, for component tests (jsdom has no Worker). With `autoTick`
 * false, time moves only through commands, so tests are deterministic.
 */
export function createInProcessClient(
  options: { autoTick?: boolean; seed?: number } = {},
): SimClient & { tick(wallMs: number): void } {
  const subscribers = listeners();
  const pending: WorkerEvent[] = [];
  let ready = false;
  const host = new SimulationHost(
    (event) => (ready ? subscribers.emit(event) : pending.push(event)),
    options.seed,
  );
  const publish = () => subscribers.emit({ type: 'snapshot', snapshot: host.snapshot() });
  const timer = options.autoTick
    ? setInterval(() => {
        host.tick(SNAPSHOT_INTERVAL_MS);
        publish();
      }, SNAPSHOT_INTERVAL_MS)
    : undefined;
  return {
    send(command) {
      try {
        host.handle(command);
      } catch (error) {
        // Same contract as the worker: a command never takes the simulation down.
        subscribers.emit({
          type: 'commandError',
          field: 'command',
          message: error instanceof Error ? error.message : String(error),
        });
      }
      subscribers.emit({ type: 'status', status: host.status() });
      publish();
    },
    subscribe(listener) {
      const unsubscribe = subscribers.add(listener);
      if (!ready) {
        ready = true;
        for (const event of pending.splice(0)) listener(event);
        publish();
      }
      return unsubscribe;
    },
    tick(wallMs) {
      host.tick(wallMs);
      publish();
    },
    dispose() {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
