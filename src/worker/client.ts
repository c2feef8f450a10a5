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

/** Runs the engine in a Web Worker (the app's only mode). */
export function createWorkerClient(): SimClient {
  const worker = new Worker(new URL('./sim.worker.ts', import.meta.url), {
    type: 'module',
    name: 'shardlab-engine',
  });
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
