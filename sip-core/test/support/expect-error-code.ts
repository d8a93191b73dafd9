import { expect } from 'vitest';
import { TrunklineError } from '../../src/common/errors.js';

/**
 * Asserts that `fn` throws a `TrunklineError` with `code`, and returns it for further checks (for example that
 * its message does not echo a secret).
 */
export function expectErrorCode(fn: () => unknown, code: string): TrunklineError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected a throw').toBeInstanceOf(TrunklineError);
  expect((thrown as TrunklineError).code).toBe(code);
  return thrown as TrunklineError;
}
