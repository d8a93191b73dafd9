// Waiting on the injected clock, interruptible by an AbortSignal: the runner's timeouts and the OPTIONS rate
// guard wait this way, so tests drive them with a ManualClock instead of real seconds.

import type { Clock } from '../../common/clock.js';
import { CheckRunnerError } from './check-runner-error.js';

/** Resolves after `delayMs` on `clock`; rejects with `CHECKS_ABORTED` as soon as `signal` aborts. */
export function abortableDelay(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new CheckRunnerError('CHECKS_ABORTED', 'The check run was aborted.');
}
