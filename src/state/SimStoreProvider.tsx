import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { SimState, SimStore } from './store';

const SimStoreContext = createContext<SimStore | null>(null);

/** Provides the simulation store to the component tree (tests pass a store on an in-process client). */
export function SimStoreProvider({ store, children }: { store: SimStore; children: ReactNode }) {
  return <SimStoreContext.Provider value={store}>{children}</SimStoreContext.Provider>;
}

/** Reads a narrow slice of the simulation state; select primitives or stable references. */
export function useSim<T>(selector: (state: SimState) => T): T {
  const store = useContext(SimStoreContext);
  if (!store) throw new Error('useSim must be used inside <SimStoreProvider>');
  return useStore(store, selector);
}

/** The store itself, for reading the latest state in event handlers without subscribing. */
export function useSimStore(): SimStore {
  const store = useContext(SimStoreContext);
  if (!store) throw new Error('useSimStore must be used inside <SimStoreProvider>');
  return store;
}
