// Arrange helpers for the store's tests: temporary data folders that are removed afterwards, and stores on
// `:memory:` or on a file.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { TrunklineStore, type TrunklineStoreOptions } from '../../src/store/trunkline-store.js';

/** A fresh temporary folder per call, removed after the test (also when it fails). */
export function useTempDirs(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'trunkline-store-'));
    made.push(dir);
    return dir;
  };
}

/** Stores opened through the returned function are closed after the test. */
export function useStores(): (options?: Partial<TrunklineStoreOptions>) => TrunklineStore {
  const opened: TrunklineStore[] = [];
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
  });
  return (options = {}) => {
    const store = TrunklineStore.open({ path: ':memory:', ...options });
    opened.push(store);
    return store;
  };
}
