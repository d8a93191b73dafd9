// A Map with a capacity: the least recently used entry is evicted when a new one would exceed it. Every piece
// of per-nonce or per-realm state in sip/auth lives in one, so that a peer sending endless fresh nonces or
// realms costs bounded memory.

export class LruMap<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #capacity: number;
  readonly #onEvict: ((key: K, value: V) => void) | undefined;

  constructor(capacity: number, onEvict?: (key: K, value: V) => void) {
    this.#capacity = Math.max(1, Math.floor(capacity));
    this.#onEvict = onEvict;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Returns the value and marks the entry as most recently used. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Map keeps insertion order; re-inserting moves the entry to the most recent end.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  /** Stores the value as most recently used, evicting the least recently used entry beyond the capacity. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#capacity) {
      const [oldestKey, oldestValue] = this.#entries.entries().next().value as [K, V];
      this.#entries.delete(oldestKey);
      this.#onEvict?.(oldestKey, oldestValue);
    }
  }

  /** The only value when exactly one entry is held, else undefined. */
  only(): V | undefined {
    return this.#entries.size === 1 ? this.#entries.values().next().value : undefined;
  }

  clear(): void {
    this.#entries.clear();
  }
}
