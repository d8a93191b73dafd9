// Items in the order they arrived, each with a time (when it ends, or when it began): the shape of every wait of one
// length — the transactions' last timers (sip/transaction/expiry-queue.ts), the dialogs an emulator remembers
// after they ended (emulator/calls/call-registry.ts). Both ends cost constant time.
//
// Why not a Map in insertion order, taking the oldest from the front: V8 leaves a deleted Map entry as a hole until
// the table is rebuilt, which happens only when it fills up, and every iteration from the front steps over all
// the holes. Deleting the oldest of ~100,000 entries and iterating again cost ~40 µs per call at a steady rate —
// one eighth of the emulator's whole work per call at 3,000 calls/s (docs/adr/0167).

export class TimedFifo<T> {
  #times: number[] = [];
  #items: (T | undefined)[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Adds `item` at the back. Times are expected not to decrease; the queue does not sort. */
  push(item: T, timeMs: number): void {
    this.#times.push(timeMs);
    this.#items.push(item);
  }

  /** The oldest item's time, or `Infinity` when the queue is empty. */
  oldestTime(): number {
    return this.#head < this.#items.length ? this.#times[this.#head] : Infinity;
  }

  /**
   * Removes and returns the oldest item (undefined when empty). Its slot is cleared first, so that the queue never
   * keeps an item it gave back; the consumed front is dropped once it is most of the arrays.
   */
  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head++;
    if (this.#head === this.#items.length) {
      this.#times = [];
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#times = this.#times.slice(this.#head);
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  clear(): void {
    this.#times = [];
    this.#items = [];
    this.#head = 0;
  }
}
