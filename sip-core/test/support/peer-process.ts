// Starting real peers (SIPp, baresip) from tests: each process is remembered by its PID and stopped by that PID in
// teardown, also when the test fails. A missing peer binary skips the test locally and fails it in CI
// (TESTING.md: `CI=true` turns a silent skip into a failure).

import { spawn, spawnSync } from 'node:child_process';

/** Whether `binary` is on PATH. With `CI=true` a missing binary throws instead of returning false. */
export function requirePeer(binary: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
  if (!found && process.env.CI === 'true') {
    throw new Error(
      `The peer binary '${binary}' is missing; CI must install it (see .ci/run and TESTING.md).`,
    );
  }
  return found;
}

export interface PeerProcess {
  readonly pid: number;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

export class PeerProcesses {
  readonly #running = new Map<number, PeerProcess>();

  start(command: string, args: readonly string[], options: { cwd?: string } = {}): PeerProcess {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error(`Cannot start ${command}`);
    const pid = child.pid;
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => {
        this.#running.delete(pid);
        resolve(code);
      });
    });
    const peer: PeerProcess = { pid, output: () => output, exited };
    this.#running.set(pid, peer);
    return peer;
  }

  /** Stops every process still running, by PID, and waits for each to exit. */
  async stopAll(): Promise<void> {
    const stopping = [...this.#running.values()];
    for (const peer of stopping) {
      try {
        process.kill(peer.pid, 'SIGKILL');
      } catch {
        // Already gone between the exit event and now.
      }
    }
    await Promise.all(stopping.map((peer) => peer.exited));
  }
}
