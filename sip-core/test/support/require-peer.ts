// Interop tests need real peer binaries (sox, tshark, …). Locally a missing binary skips the suite with a
// visible reason; in CI (CI=true) it fails instead, as TESTING.md requires, so a broken install cannot pass.

import { spawnSync } from 'node:child_process';

/** Whether `binary` is on the PATH; throws in CI when it is not. */
export function requirePeer(binary: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
  if (!found && process.env.CI === 'true') {
    throw new Error(`The peer binary '${binary}' is missing; CI must install it (see .ci/run).`);
  }
  return found;
}
