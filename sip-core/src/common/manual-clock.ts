import type { Clock, TimerHandle } from './clock.js';

interface ManualTimer {
  readonly id: number;
  readonly dueMs: number;
  readonly callback: () => void;
}

/**
 * A clock that moves only when told to. `advance(ms)` fires every timer that falls due in that window, in due
 * order (ties in creation order), including timers that those callbacks create inside the window. Used by the
 * tests of every layer, and by benchmarks that need determinism.
 */
export class ManualClock implements Clock {
  #nowMs: number;
  #epochMs: number;
  #nextId = 1;
  #timers: ManualTimer[] = [];

  constructor(options: { startMs?: number; epochMs?: number } = {}) {
    this.#nowMs = options.startMs ?? 0;
    this.#epochMs = options.epochMs ?? Date.UTC(2026, 0, 1);
  }

  now(): number {
    return this.#nowMs;
  }

  wallNow(): number {
    return this.#epochMs + this.#nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer: ManualTimer = { id: this.#nextId++, dueMs: this.#nowMs + Math.max(0, delayMs), callback };
    this.#timers.push(timer);
    return timer.id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    const id = handle as unknown as number;
    this.#timers = this.#timers.filter((t) => t.id !== id);
  }

  /** Number of timers not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Milliseconds until the next timer is due, or undefined when none is pending. */
  nextDueInMs(): number | undefined {
    const next = this.#earliest();
    return next === undefined ? undefined : next.dueMs - this.#nowMs;
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  advance(ms: number): void {
    const target = this.#nowMs + Math.max(0, ms);
    for (;;) {
      const next = this.#earliest();
      if (next === undefined || next.dueMs > target) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#nowMs = next.dueMs;
      next.callback();
    }
    this.#nowMs = target;
  }

  /** Fires timers until none is left or `limitMs` of clock time has passed; returns the time advanced. */
  runAll(limitMs = 3_600_000): number {
    const start = this.#nowMs;
    for (;;) {
      const next = this.#earliest();
      if (next === undefined || next.dueMs - start > limitMs) break;
      this.advance(next.dueMs - this.#nowMs);
    }
    return this.#nowMs - start;
  }

  #earliest(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.#timers) {
      if (best === undefined || t.dueMs < best.dueMs || (t.dueMs === best.dueMs && t.id < best.id)) best = t;
    }
    return best;
  }
}
