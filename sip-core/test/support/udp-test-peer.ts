// Small UDP and child-process helpers for interop tests against real SIP peers on 127.0.0.1 (TESTING.md):
// free ports, waiting for a peer to bind, a socket that queues what it receives, and a process registry that
// stops everything a test started by PID, also when the test fails.
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';

/** A UDP port on 127.0.0.1 that was free a moment ago (for peers that cannot bind port 0 themselves). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** Resolves once something is bound to 127.0.0.1:`port` (our own bind attempt fails), or rejects. */
export async function waitForUdpBind(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const probe = createSocket('udp4');
    const bound = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(true));
      probe.bind(port, '127.0.0.1', () => resolve(false));
    });
    await new Promise<void>((resolve) => {
      try {
        probe.close(() => resolve());
      } catch {
        resolve();
      }
    });
    if (bound) return;
    await sleep(50);
  }
  throw new Error(`nothing bound UDP 127.0.0.1:${port} within ${timeoutMs} ms`);
}

export interface Datagram {
  readonly text: string;
  readonly from: RemoteInfo;
}

/** A UDP socket on 127.0.0.1:0 whose datagrams either go to `onDatagram` or wait in a queue for `next`. */
export class UdpTestSocket {
  readonly #socket: Socket;
  readonly #queue: Datagram[] = [];
  #waiter: ((d: Datagram) => void) | undefined;
  onDatagram: ((d: Datagram) => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (buffer, from) => {
      const datagram = { text: buffer.toString('utf8'), from };
      if (this.onDatagram) {
        this.onDatagram(datagram);
      } else if (this.#waiter) {
        const waiter = this.#waiter;
        this.#waiter = undefined;
        waiter(datagram);
      } else {
        this.#queue.push(datagram);
      }
    });
  }

  static async open(): Promise<UdpTestSocket> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new UdpTestSocket(socket);
  }

  get port(): number {
    return this.#socket.address().port;
  }

  send(text: string, port: number, address = '127.0.0.1'): void {
    this.#socket.send(Buffer.from(text, 'utf8'), port, address);
  }

  /** The next queued datagram, or the next to arrive; rejects after `timeoutMs`. */
  async next(timeoutMs = 10_000): Promise<Datagram> {
    const queued = this.#queue.shift();
    if (queued) return queued;
    const controller = new AbortController();
    try {
      return await Promise.race([
        new Promise<Datagram>((resolve) => (this.#waiter = resolve)),
        sleep(timeoutMs, undefined, { signal: controller.signal }).then(() => {
          this.#waiter = undefined;
          throw new Error(`no datagram within ${timeoutMs} ms`);
        }),
      ]);
    } finally {
      controller.abort();
    }
  }

  close(): void {
    try {
      this.#socket.close();
    } catch {
      // Already closed.
    }
  }
}

export interface PeerRun {
  readonly exitCode: number | null;
  readonly output: string;
}

/** Starts peer processes and stops them by PID in `stopAll` (call it in afterEach). */
export class PeerProcesses {
  readonly #children: ChildProcess[] = [];

  /** Spawns `command` and resolves when it exits, with its exit code and combined output. */
  run(command: string, args: readonly string[], options: { cwd?: string } = {}): Promise<PeerRun> {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode) => resolve({ exitCode, output }));
    });
  }

  /** Kills every child still running, by PID. */
  stopAll(): void {
    for (const child of this.#children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // It exited in the meantime.
        }
      }
    }
  }
}
