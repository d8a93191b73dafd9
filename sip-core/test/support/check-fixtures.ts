// Arrange helpers for the check runner's tests: definitions made from a few words, and a target.

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

/** Lets pending promise callbacks and I/O callbacks run. */
export function flushIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
