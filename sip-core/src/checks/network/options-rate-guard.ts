// Zentrunk accepts OPTIONS pings "≤ 1 per 10–15 s; higher frequency may trigger blocking" (BEHAVIOUR.md §3,
// §11), and a blocked source loses its INVITEs too. Every OPTIONS a check sends waits here for its turn, per
// target, for the whole life of the guard (one run, or several runs of one process): a retry, a second check
// or a second run against the same trunk cannot send faster. The floor cannot be configured lower.
//
// Retransmissions of one OPTIONS transaction (RFC 3261 §17.1.2 Timer E) are the same ping, not new ones: the
// server absorbs them in its transaction, so they are not counted here.

import type { Clock } from '../../common/clock.js';
import { abortableDelay } from '../runner/abortable-delay.js';

/** The floor no option can lower: the top of Zentrunk's documented 10–15 s. */
export const MIN_OPTIONS_INTERVAL_MS = 15_000;

export interface OptionsRateGuardOptions {
  readonly clock: Clock;
  /** Raised to 15 000 when lower. */
  readonly minIntervalMs?: number;
}

export class OptionsRateGuard {
  readonly #clock: Clock;
  readonly #minIntervalMs: number;
  readonly #lastGrantedMs = new Map<string, number>();
  readonly #queues = new Map<string, Promise<void>>();
  readonly #grants = new Map<string, number[]>();

  constructor(options: OptionsRateGuardOptions) {
    this.#clock = options.clock;
    this.#minIntervalMs = Math.max(MIN_OPTIONS_INTERVAL_MS, options.minIntervalMs ?? MIN_OPTIONS_INTERVAL_MS);
  }

  get minIntervalMs(): number {
    return this.#minIntervalMs;
  }

  /**
   * Resolves when one OPTIONS may be sent to `targetKey` now (the grant is taken: send at once). Callers queue
   * in order; an aborted caller leaves the queue without taking a grant.
   */
  acquire(targetKey: string, signal?: AbortSignal): Promise<void> {
    const previous = this.#queues.get(targetKey) ?? Promise.resolve();
    const turn = previous.then(async () => {
      const last = this.#lastGrantedMs.get(targetKey);
      if (last !== undefined) {
        const waitMs = last + this.#minIntervalMs - this.#clock.now();
        if (waitMs > 0) await abortableDelay(this.#clock, waitMs, signal);
      }
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
      const now = this.#clock.now();
      this.#lastGrantedMs.set(targetKey, now);
      this.#grants.set(targetKey, [...(this.#grants.get(targetKey) ?? []), now]);
    });
    // The next caller waits for this turn whether it was granted or aborted.
    this.#queues.set(
      targetKey,
      turn.catch(() => undefined),
    );
    return turn;
  }

  /** When grants were given to `targetKey` (monotonic ms), for reports and tests. */
  grants(targetKey: string): readonly number[] {
    return this.#grants.get(targetKey) ?? [];
  }
}
