// Calls admitted in the last second, as a sliding window of admission times. "Calls per second" is read as "at
// most N admissions in any 1,000 ms", not per calendar second: a fixed window would let 2 × N calls through
// around a second boundary, and the answer would depend on when the test started (docs/adr/0077).
//
//   times:  [ t0  t1  t2  … ]   an admission at t counts while now < t + windowMs
//            ▲ head (entries before it have left the window; compacted now and then)

/** Admissions inside a sliding window. Pure: the caller passes the time (monotonic milliseconds). */
export class SlidingWindowCounter {
  readonly windowMs: number;
  #times: number[] = [];
  #head = 0;

  constructor(windowMs = 1_000) {
    this.windowMs = windowMs;
  }

  /** Admissions in the window ending at `nowMs`. */
  count(nowMs: number): number {
    this.#prune(nowMs);
    return this.#times.length - this.#head;
  }

  /** Counts one admission at `nowMs` (times must not go backwards; the monotonic clock guarantees it). */
  record(nowMs: number): void {
    this.#prune(nowMs);
    this.#times.push(nowMs);
  }

  /** When the oldest admission in the window leaves it (a slot frees), or undefined when the window is empty. */
  nextExpiryMs(nowMs: number): number | undefined {
    this.#prune(nowMs);
    const oldest = this.#times[this.#head];
    return oldest === undefined ? undefined : oldest + this.windowMs;
  }

  #prune(nowMs: number): void {
    const times = this.#times;
    while (this.#head < times.length && (times[this.#head] ?? 0) + this.windowMs <= nowMs) this.#head++;
    // Compact once the dead prefix is the larger part, so memory follows the rate, not the history.
    if (this.#head > 32 && this.#head * 2 > times.length) {
      this.#times = times.slice(this.#head);
      this.#head = 0;
    }
  }
}
