// OPTIONS keep-alive to the termination URI (BEHAVIOUR.md §11): one ping per interval, each through the rate
// guard, so a manual "test trunk" between two pings only moves the next one later. Reachability and round-trip
// time go out as events; the timer runs on the injected Clock.

import type { Clock, TimerHandle } from '../common/clock.js';
import type { OptionsRateGuard } from './options-rate-guard.js';

/** The answer to one OPTIONS ping. */
export interface OptionsStatus {
  /** The trunk answered (any final response); false on timeout or transport failure. */
  readonly reachable: boolean;
  readonly statusCode: number | undefined;
  readonly reasonPhrase: string | undefined;
  /** OPTIONS sent → final response, on the monotonic clock. */
  readonly rttMs: number | undefined;
  /** When the answer came (Unix ms). */
  readonly atMs: number;
}

export interface OptionsKeepAliveOptions {
  readonly clock: Clock;
  readonly guard: OptionsRateGuard;
  /** The configured interval; the guard's floor (15 s) wins when it is shorter. */
  readonly intervalMs: number;
  /** Sends one OPTIONS (the guard has already said yes). */
  readonly ping: () => Promise<OptionsStatus>;
  readonly onStatus: (status: OptionsStatus) => void;
}

export class OptionsKeepAlive {
  readonly #options: OptionsKeepAliveOptions;
  #timer: TimerHandle | undefined;
  #stopped = false;

  constructor(options: OptionsKeepAliveOptions) {
    this.#options = options;
  }

  /** Pings now (if the guard allows), then every interval. */
  start(): void {
    this.#tick();
  }

  stop(): void {
    this.#stopped = true;
    this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    if (this.#stopped) return;
    const { clock, guard, intervalMs } = this.#options;
    const permit = guard.tryAcquire(clock.now());
    if (!permit.allowed) {
      this.#schedule(permit.retryInMs);
      return;
    }
    this.#options
      .ping()
      .then((status) => {
        if (!this.#stopped) this.#options.onStatus(status);
      })
      .catch(() => undefined)
      .finally(() => this.#schedule(Math.max(intervalMs, guard.minIntervalMs)));
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = this.#options.clock.setTimeout(() => this.#tick(), delayMs, { unref: true });
  }
}
