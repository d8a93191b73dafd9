import { execFileSync } from 'node:child_process';

/**
 * Whether a peer binary is installed. Interop suites skip without it on a developer machine, and fail in CI
 * (`CI=true`), where a missing peer means a broken set-up, never a pass (TESTING.md).
 */
export function requirePeer(binary: string): boolean {
  let found: boolean;
  try {
    execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
    found = true;
  } catch {
    found = false;
  }
  if (!found && process.env.CI === 'true') {
    throw new Error(`peer binary '${binary}' is missing; .ci/run installs it (TESTING.md)`);
  }
  return found;
}
