// Arrange helpers for the check runner's tests: definitions made from a few words, and a target.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ManualClock } from '../../src/common/manual-clock.js';

import type { CheckDefinition, CheckOutcome } from '../../src/checks/index.js';
import { createCheckTarget, type CheckTarget, type CheckTargetInput } from '../../src/checks/index.js';

export function fakeCheck(
  id: string,
  run: CheckDefinition<unknown>['run'] | CheckOutcome['status'] = 'pass',
  options: Partial<Omit<CheckDefinition<unknown>, 'id' | 'run'>> = {},
): CheckDefinition<unknown> {
  return {
    id,
    title: options.title ?? `Check ${id}`,
    description: options.description ?? `Checks ${id}.`,
    dependsOn: options.dependsOn ?? [],
    safety: options.safety ?? 'safe',
    timeoutMs: options.timeoutMs ?? 1_000,
    run:
      typeof run === 'function'
        ? run
        : () =>
            Promise.resolve({
              status: run,
              summary: `${id} ${run}`,
              ...(run === 'fail' ? { remedy: `fix ${id}` } : {}),
            }),
  };
}

export function testTarget(overrides: Partial<CheckTargetInput> = {}): CheckTarget {
  return createCheckTarget({
    terminationDomain: '21784177241578.zt.plivo.com',
    transport: 'udp',
    ...overrides,
  });
}

/**
 * Runs `promise` to completion while moving a ManualClock forward in small steps, letting socket I/O happen in
 * between: how tests with real sockets use a fake clock (Timer F, 15 s rate waits) without waiting for real.
 */
export async function driveClock<T>(clock: ManualClock, promise: Promise<T>, stepMs = 10): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; !settled && i < 1_000_000; i++) {
    await nextTurn();
    await nextTurn();
    if (!settled) clock.advance(stepMs);
  }
  return promise;
}
