// Finding the real peers of interop tests (TESTING.md): a missing binary skips the test locally and fails it
// in CI (CI=true), where every peer must be installed.

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

export function requirePeer(name: string): void {
  if (peer(name) === 'fail') throw new Error(`${name} is not installed; CI must install it (see .ci/run).`);
}
