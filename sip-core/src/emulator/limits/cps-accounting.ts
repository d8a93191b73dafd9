// What policy's CPS rules need (BEHAVIOUR.md §4.2 #7, §12.1): calls admitted in the last second per outbound
// trunk and account-wide. The policy compares; this only counts. Inbound calls have no CPS limit (§5.1 #4), so
// only calls the caller admits through `record` count.

import { SlidingWindowCounter } from './sliding-window-counter.js';

export class CpsAccounting {
  readonly #windowMs: number;
  readonly #account: SlidingWindowCounter;
  readonly #trunks = new Map<string, SlidingWindowCounter>();

  constructor(windowMs = 1_000) {
    this.#windowMs = windowMs;
    this.#account = new SlidingWindowCounter(windowMs);
  }

  /** Counts an admitted call on `trunkId` (and on the account) at `nowMs`. */
  record(trunkId: string, nowMs: number): void {
    let window = this.#trunks.get(trunkId);
    if (!window) {
      window = new SlidingWindowCounter(this.#windowMs);
      this.#trunks.set(trunkId, window);
    }
    window.record(nowMs);
    this.#account.record(nowMs);
  }

  accountCount(nowMs: number): number {
    return this.#account.count(nowMs);
  }

  trunkCount(trunkId: string, nowMs: number): number {
    const window = this.#trunks.get(trunkId);
    if (!window) return 0;
    const count = window.count(nowMs);
    // Idle trunks give their window back, so a config with many trunks costs memory only while they are busy.
    if (count === 0) this.#trunks.delete(trunkId);
    return count;
  }

  /** When the account's oldest admission leaves the window. */
  nextAccountExpiryMs(nowMs: number): number | undefined {
    return this.#account.nextExpiryMs(nowMs);
  }
}
