// The React side of the store: a context carries the store created for this window's PhoneApi.

import { createContext, useContext, useMemo } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from './app-store.js';

export const AppStoreContext = createContext<AppStore | undefined>(undefined);

export function useAppStore<T>(selector: (state: AppState) => T): T {
  const store = useContext(AppStoreContext);
  if (store === undefined) throw new Error('useAppStore is used outside <AppStoreContext.Provider>.');
  return useStore(store, selector);
}

/**
 * The store's actions, as one object that keeps its identity for the store's life: the actions never change
 * (they read fresh state through `get()`), so effects may depend on them without re-running on every update.
 * Read state through `useAppStore` selectors, never from this object.
 */
export function useAppActions(): AppState {
  const store = useContext(AppStoreContext);
  if (store === undefined) throw new Error('useAppActions is used outside <AppStoreContext.Provider>.');
  return useMemo(() => store.getState(), [store]);
}
