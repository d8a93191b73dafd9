// The last wait of every transaction — Timers D, I, J, K, L and M, after which it is gone — on one clock timer.
//
// A server answers thousands of transactions a second and keeps each one 64·T1 (32 s) after its final response on
// UDP (Timer J, RFC 6026's Timer L). A clock timer per transaction was a Node `Timeout`, its callback closure and
// that closure's context, and a Map entry per named timer: about 1 KB of each transaction's 1.6 KB kept for
// those 32 s, and all of it copied twice by V8's young-generation collector before it reached the old generation
// (docs/adr/0162). These waits are never cut short (the transaction only ever ends at or before them, and
// `terminate` on an ended one does nothing), and waits of one length end in the order they began, so they need no
// timers of their own: a queue per length, in arrival order, and one clock timer for the earliest end.
//
//   add(t, 32_000) ──► [32000 ms: t1 t2 t3 …] ──► one clock timer at t1's end ──► t1.terminate(), t2.terminate()…
//   add(t,  5_000) ──► [ 5000 ms: t7 …]            (armed for the earliest end of all queues)

import type { Clock, TimerHandle } from '../../common/clock.js';
import { TimedFifo } from '../../common/timed-fifo.js';

/** What the queue ends. `terminate` must not throw (transactions' listeners are guarded by their emitter). */
export interface Expiring {
  terminate(): void;
}

export class ExpiryQueue<T extends Expiring> {
  readonly #clock: Clock;
  /** Per wait length, the items in the order their waits began, each with the time it ends. */
  readonly #queues = new Map<number, TimedFifo<T>>();
  #timer: TimerHandle | undefined;
  #armedFor = Infinity;
  /** Bound once: no closure per arming. */
  readonly #onTimer = (): void => this.#run();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** `item.terminate()` runs `delayMs` from now (at once when `delayMs` ≤ 0). */
  add(item: T, delayMs: number): void {
    if (delayMs <= 0) {
      item.terminate();
      return;
    }
    let queue = this.#queues.get(delayMs);
    if (queue === undefined) {
      queue = new TimedFifo<T>();
      this.#queues.set(delayMs, queue);
    }
    const end = this.#clock.now() + delayMs;
    queue.push(item, end);
    if (end < this.#armedFor) this.#arm(end);
  }

  /** Waits not yet ended. */
  get size(): number {
    let size = 0;
    for (const queue of this.#queues.values()) size += queue.size;
    return size;
  }

  /** Forgets every wait without ending it, and stops the clock timer (the owner is shutting down). */
  clear(): void {
    this.#queues.clear();
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Infinity;
  }

  #arm(end: number): void {
    this.#clock.clearTimeout(this.#timer);
    this.#armedFor = end;
    this.#timer = this.#clock.setTimeout(this.#onTimer, end - this.#clock.now());
  }

  #run(): void {
    this.#timer = undefined;
    this.#armedFor = Infinity;
    const now = this.#clock.now();
    try {
      for (const [length, queue] of this.#queues) {
        while (queue.oldestTime() <= now) {
          // Taken off the queue before it runs: the queue never keeps an ended item.
          queue.shift()!.terminate();
        }
        if (queue.size === 0) this.#queues.delete(length);
      }
    } finally {
      // Also after a `terminate` that threw: the rest end a moment later rather than never.
      const next = this.#earliestEnd();
      if (next < this.#armedFor) this.#arm(next);
    }
  }

  #earliestEnd(): number {
    let earliest = Infinity;
    for (const queue of this.#queues.values()) earliest = Math.min(earliest, queue.oldestTime());
    return earliest;
  }
}
