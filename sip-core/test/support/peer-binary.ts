import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Whether an executable called `name` is on the PATH. */
export function binaryAvailable(name: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Whether a suite that needs `name` should run. In CI (`CI=true`) it always runs, so a missing binary fails
 * the suite instead of skipping it silently (TESTING.md); elsewhere it runs when the binary is installed.
 */
export function shouldRunWith(name: string): boolean {
  return process.env.CI === 'true' || binaryAvailable(name);
}
