// A Map for entries that come and go with each call on an owner that lives as long as the emulator — the live
// calls and dialogs (calls/call-registry.ts), the SIP trace of each call in progress (cdr/sip-trace-collector.ts).
// Each value sits in a cell of its own, and deleting an entry empties its cell.
//
// Why (docs/adr/0174): V8 rebuilds a Map's hash table whenever deletions have used up its room, and leaves the old
// table as garbage that still points at every entry it held. Once the table is old (any full collection promotes
// it), V8 allocates the later tables in the old generation too, and the young-generation collector takes every
// pointer from an old object into the young generation for a live one: until the next full collection, each
// abandoned table keeps the calls that were in the Map when it was rebuilt — the whole call, its messages, SDP and
// media — and the scavenger copies them twice and promotes them. Through a cell, an abandoned table keeps only the
// emptied cell. Measured at 1,500 calls/s (allocation-site pretenuring off, as the emulator runs): 7.1 KB promoted
// per call with plain Maps, 2.7 KB with these two owners' four Maps as CellMaps — what a call legitimately leaves
// for 64·T1 (its server transactions).

interface Cell<V> {
  value: V | undefined;
}

export class CellMap<K, V> {
  readonly #cells = new Map<K, Cell<V>>();

  get size(): number {
    return this.#cells.size;
  }

  get(key: K): V | undefined {
    return this.#cells.get(key)?.value;
  }

  has(key: K): boolean {
    return this.#cells.has(key);
  }

  /** Sets `key`'s value; a key already present keeps its place in the order (as with a Map). */
  set(key: K, value: V): this {
    const cell = this.#cells.get(key);
    if (cell === undefined) this.#cells.set(key, { value });
    else cell.value = value;
    return this;
  }

  /** Removes `key`, emptying its cell first: an old table that still points at the cell no longer reaches the value. */
  delete(key: K): boolean {
    const cell = this.#cells.get(key);
    if (cell === undefined) return false;
    cell.value = undefined;
    return this.#cells.delete(key);
  }

  clear(): void {
    for (const cell of this.#cells.values()) cell.value = undefined;
    this.#cells.clear();
  }

  /** Values in insertion order; an entry deleted during the iteration is not visited (as with a Map). */
  *values(): IterableIterator<V> {
    for (const cell of this.#cells.values()) yield cell.value as V;
  }

  /** Entries in insertion order; an entry deleted during the iteration is not visited (as with a Map). */
  *entries(): IterableIterator<[K, V]> {
    for (const [key, cell] of this.#cells) yield [key, cell.value as V];
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }
}
