import type { Command, WorkerEvent } from './protocol';

/** The UI's typed handle on the simulation, wherever it runs. */
export interface SimClient {
  send(command: Command): void;
  /** Subscribes to events; returns the unsubscribe function. */
  subscribe(listener: (event: WorkerEvent) => void): () => void;
  dispose(): void;
}

/** A small listener set shared by both client kinds. */
export function listeners() {
  const set = new Set<(event: WorkerEvent) => void>();
  return {
    add(listener: (event: WorkerEvent) => void) {
      set.add(listener);
      return () => set.delete(listener);
    },
    emit(event: WorkerEvent) {
      for (const listener of set) listener(event);
    },
  };
}

/**
 * Runs the engine in a Web Worker in the page; or, given the WebSocket URL of `npm start`'s server, a Web
 * Worker that relays to the engine running there (shared with Kinesis clients).
 */
export function createWorkerClient(serverSocketUrl?: string): SimClient {
  const worker = serverSocketUrl
    ? new Worker(new URL('./relay.worker.ts', import.meta.url), { type: 'module', name: 'shardlab-relay' })
    : new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module', name: 'shardlab-engine' });
  if (serverSocketUrl) worker.postMessage({ type: 'relayConnect', url: serverSocketUrl });
  const subscribers = listeners();
  worker.addEventListener('message', (e: MessageEvent<WorkerEvent>) => subscribers.emit(e.data));
  worker.addEventListener('error', (e) => {
    subscribers.emit({
      type: 'commandError',
      field: 'worker',
      message: e.message || 'the engine worker failed',
    });
  });
  return {
    send: (command) => worker.postMessage(command),
    subscribe: (listener) => subscribers.add(listener),
    dispose: () => worker.terminate(),
  };
}
