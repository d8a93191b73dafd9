// Finding the real peers of interop tests (TESTING.md): a missing binary skips the test locally with a visible
// reason, and fails it in CI (`CI=true`), where every peer must be installed — a broken install cannot pass.

import { spawnSync } from 'node:child_process';

export const IN_CI = process.env.CI === 'true';

/** Whether `name` is on the PATH. */
export function hasBinary(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * What an interop suite does about a peer: run (it is there), skip (missing, not CI) or fail (missing in CI).
 * Use as `describe.skipIf(peer('sipp') === 'skip')` plus `requirePeer('sipp')` in the first test.
 */
export function peer(name: string): 'run' | 'skip' | 'fail' {
  if (hasBinary(name)) return 'run';
  return IN_CI ? 'fail' : 'skip';
}

/** Whether a suite needing `name` should run: always in CI (so that a missing binary fails), else if present. */
export function shouldRunWith(name: string): boolean {
  return peer(name) !== 'skip';
}

/** Whether `name` is installed; in CI a missing binary throws instead of returning false. */
export function requirePeer(name: string): boolean {
  const verdict = peer(name);
  if (verdict === 'fail') {
    throw new Error(`The peer binary '${name}' is missing; CI must install it (see .ci/run and TESTING.md).`);
  }
  return verdict === 'run';
}
