/// <reference lib="webworker" />
// The Web Worker entry: a thin adapter that runs the SimulationHost on wall-clock ticks and posts batched
// snapshots with their buffers transferred — at most SNAPSHOTS_PER_SECOND, and only when something changed.
import { SimulationHost } from './host';
import {
  type Command,
  SNAPSHOT_INTERVAL_MS,
  snapshotTransferables,
  type WorkerEvent,
  withoutLayout,
} from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: WorkerEvent) => {
  if (event.type === 'snapshot') scope.postMessage(event, snapshotTransferables(event.snapshot));
  else scope.postMessage(event);
};
const host = new SimulationHost(post);

let lastPostMs = Number.NEGATIVE_INFINITY;
let postedVersion = -1;
/** The layout last posted in full (the engine hands out the same arrays while it does not change). */
let postedLayout: { generation: number; shards: unknown; lineage: unknown } | undefined;
/** Sends a snapshot if the state changed and the rate allows; otherwise the next interval sends it. */
function postSnapshot(now: number): void {
  if (host.version === postedVersion || now - lastPostMs < SNAPSHOT_INTERVAL_MS - 1) return;
  postedVersion = host.version;
  lastPostMs = now;
  const snapshot = host.snapshot();
  const stream = snapshot.stream;
  const same =
    stream !== null &&
    postedLayout?.generation === snapshot.generation &&
    postedLayout.shards === stream.shards &&
    postedLayout.lineage === stream.lineage;
  if (same) {
    post({ type: 'snapshot', snapshot: withoutLayout(snapshot), sameLayout: true });
    return;
  }
  postedLayout = stream
    ? { generation: snapshot.generation, shards: stream.shards, lineage: stream.lineage }
    : undefined;
  post({ type: 'snapshot', snapshot });
}

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
  // The time controls answer at once; the full snapshot follows within the 10-a-second budget.
  post({ type: 'status', status: host.status() });
  postSnapshot(performance.now());
});

let last = performance.now();
setInterval(() => {
  const now = performance.now();
  host.tick(now - last);
  last = now;
  postSnapshot(now);
}, SNAPSHOT_INTERVAL_MS);
