// Starting real peers (SIPp, baresip, tshark) from tests: each process is remembered by its PID and stopped by
// that PID in teardown (`stopAll` in afterEach), also when the test fails — never by name.

import { spawn } from 'node:child_process';

export interface PeerProcess {
  readonly pid: number;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) once the process and its pipes have closed. */
  readonly exited: Promise<number | null>;
  /** The signal that ended it, once `exited` has resolved; null while it runs and when it exited by itself. */
  signal(): NodeJS.Signals | null;
  /** Stops reading its stdout (the pipe fills, as behind a paused pager) until `resumeStdout`. */
  pauseStdout(): void;
  resumeStdout(): void;
}

export interface PeerRun {
  readonly exitCode: number | null;
  readonly output: string;
}

export class PeerProcesses {
  readonly #running = new Map<number, PeerProcess>();

  /** Spawns a long-running peer (a SIPp server, baresip); stop it with `stopAll`. */
  start(
    command: string,
    args: readonly string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
  ): PeerProcess {
    const child = spawn(command, args, {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.env ? { env: options.env } : {}),
    });
    if (child.pid === undefined) throw new Error(`Cannot start ${command}: is it installed?`);
    const pid = child.pid;
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    let signal: NodeJS.Signals | null = null;
    const exited = new Promise<number | null>((resolve) => {
      child.once('close', (code, closedBy) => {
        this.#running.delete(pid);
        signal = closedBy;
        resolve(code);
      });
    });
    const peer: PeerProcess = {
      pid,
      output: () => output,
      exited,
      signal: () => signal,
      pauseStdout: () => child.stdout.pause(),
      resumeStdout: () => child.stdout.resume(),
    };
    this.#running.set(pid, peer);
    return peer;
  }

  /** Spawns a peer and resolves when it exits, with its exit code and combined output. */
  async run(command: string, args: readonly string[], options: { cwd?: string } = {}): Promise<PeerRun> {
    const peer = this.start(command, args, options);
    const exitCode = await peer.exited;
    return { exitCode, output: peer.output() };
  }

  /** Stops every process still running, by PID, and waits for each to exit. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#running.values()].map((peer) => this.stop(peer)));
  }

  /** Stops one process by its PID and waits for it to exit. */
  async stop(peer: PeerProcess): Promise<void> {
    try {
      process.kill(peer.pid, 'SIGKILL');
    } catch {
      // Already gone between its exit and now.
    }
    await peer.exited;
  }
}
