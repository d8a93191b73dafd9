// A Map with a capacity: the least recently used entry is evicted when a new one would exceed it. Per-nonce and
// per-realm state in sip/auth and the emulator's OPTIONS histories live in one, so that a peer sending endless
// fresh nonces, realms or source addresses costs bounded memory.
//
// Why lru-cache underneath and not a Map re-inserted on every use, evicting `keys().next()`: V8 leaves a deleted
// Map entry as a hole until it rebuilds the table, and finding the front steps over every hole — ~7 µs per eviction
// at 10,000 entries, paid per challenged call (docs/adr/0167, 0168). lru-cache keeps the order in a linked list of
// slot indices, so touching and evicting cost constant time.

import { LRUCache } from 'lru-cache';

export class LruMap<K extends NonNullable<unknown>, V extends NonNullable<unknown>> {
  readonly #entries: LRUCache<K, V>;

  /** `onEvict` hears only entries pushed out by the capacity, not ones replaced by `set` or dropped by `clear`. */
  constructor(capacity: number, onEvict?: (key: K, value: V) => void) {
    this.#entries = new LRUCache<K, V>({
      max: Math.max(1, Math.floor(capacity)),
      ...(onEvict && {
        dispose: (value: V, key: K, reason: LRUCache.DisposeReason) => {
          if (reason === 'evict') onEvict(key, value);
        },
      }),
    });
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Returns the value and marks the entry as most recently used. */
  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Stores the value as most recently used, evicting the least recently used entry beyond the capacity. */
  set(key: K, value: V): void {
    this.#entries.set(key, value);
  }

  /** Entries from the most recently used to the least, without marking any as used. */
  entries(): IterableIterator<[K, V]> {
    return this.#entries.entries();
  }

  /** The only value when exactly one entry is held, else undefined. */
  only(): V | undefined {
    if (this.#entries.size !== 1) return undefined;
    const first = this.#entries.values().next();
    return first.done ? undefined : first.value;
  }

  clear(): void {
    this.#entries.clear();
  }
}
