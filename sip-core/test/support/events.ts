// Waiting for events in socket tests, without sleeping: a promise per expected event, with a clear failure when
// it does not come (vitest's timeout would only say "timed out").

import type { Disposable } from '../../src/common/disposable.js';

/** Resolves with the arguments of the first event for which `predicate` holds. */
export function nextEvent<A extends unknown[]>(
  subscribe: (listener: (...args: A) => void) => Disposable,
  predicate: NoInfer<(...args: A) => boolean> = () => true,
  timeoutMs = 5000,
): Promise<A> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`the expected event did not arrive within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = subscribe((...args) => {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(args);
    });
  });
}

/** Collects every emitted value into an array (for asserting on what happened). */
export function collect<A extends unknown[]>(
  subscribe: (listener: (...args: A) => void) => Disposable,
): {
  readonly items: A[];
  readonly subscription: Disposable;
} {
  const items: A[] = [];
  return { items, subscription: subscribe((...args) => items.push(args)) };
}
