// Every OPTIONS this phone sends passes through one guard. Zentrunk accepts pings only to the outbound trunk URI
// and "≤ 1 per 10–15 s; higher frequency may trigger blocking" (BEHAVIOUR.md §3, §11), and a blocked source also
// loses its INVITEs — so the limit is enforced here, in code, whatever the configured interval or however often
// the user presses "test trunk": a ping inside the window is refused with the time to wait.

import { MIN_OPTIONS_INTERVAL_S } from './trunk-profile.js';

/** The floor no setting can lower. */
export const MIN_OPTIONS_INTERVAL_MS = MIN_OPTIONS_INTERVAL_S * 1000;

export type OptionsPermit =
  { readonly allowed: true } | { readonly allowed: false; readonly retryInMs: number };

export class OptionsRateGuard {
  readonly #minIntervalMs: number;
  #lastSentMs: number | undefined;

  /** `minIntervalMs` below 15 000 is raised to 15 000. */
  constructor(minIntervalMs = MIN_OPTIONS_INTERVAL_MS) {
    this.#minIntervalMs = Math.max(MIN_OPTIONS_INTERVAL_MS, minIntervalMs);
  }

  get minIntervalMs(): number {
    return this.#minIntervalMs;
  }

  /** Takes the permit for one OPTIONS at `nowMs` (a monotonic clock), or says how long to wait. */
  tryAcquire(nowMs: number): OptionsPermit {
    if (this.#lastSentMs !== undefined) {
      const elapsedMs = nowMs - this.#lastSentMs;
      if (elapsedMs < this.#minIntervalMs)
        return { allowed: false, retryInMs: this.#minIntervalMs - elapsedMs };
    }
    this.#lastSentMs = nowMs;
    return { allowed: true };
  }
}
