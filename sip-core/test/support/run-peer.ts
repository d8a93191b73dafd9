import { spawnSync } from 'node:child_process';

/**
 * Runs a peer tool to completion and returns its standard output and error. The call is synchronous and
 * bounded by a timeout that kills the process, so no peer outlives the test that started it; a non-zero exit
 * is an error carrying the tool's own message.
 */
export function runPeer(
  binary: string,
  args: string[],
  options: { timeoutMs?: number } = {},
): { stdout: Buffer; stderr: string } {
  const result = spawnSync(binary, args, {
    timeout: options.timeoutMs ?? 30_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  const stderr = result.stderr?.toString() ?? '';
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(
      `${binary} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}): ${stderr}`,
    );
  }
  return { stdout: result.stdout, stderr };
}
