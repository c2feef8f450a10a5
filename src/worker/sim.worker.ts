/// <reference lib="webworker" />
// The Web Worker entry: a thin adapter that runs the SimulationHost on wall-clock ticks and posts batched
// snapshots with their buffers transferred.
import { SimulationHost } from './host';
import { type Command, SNAPSHOT_INTERVAL_MS, snapshotTransferables, type WorkerEvent } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: WorkerEvent) => {
  if (event.type === 'snapshot') scope.postMessage(event, snapshotTransferables(event.snapshot));
  else scope.postMessage(event);
};
const host = new SimulationHost(post);

scope.addEventListener('message', (e: MessageEvent<Command>) => {
  try {
    host.handle(e.data);
  } catch (error) {
    // The worker never dies on bad input: report and carry on.
    post({
      type: 'commandError',
      field: 'command',
      message: error instanceof Error ? error.message : String(error),
    });
  }
  post({ type: 'snapshot', snapshot: host.snapshot() });
});

let last = performance.now();
setInterval(() => {
  const now = performance.now();
  host.tick(now - last);
  last = now;
  post({ type: 'snapshot', snapshot: host.snapshot() });
}, SNAPSHOT_INTERVAL_MS);
