// Runs baresip 1.0.0 headless for a test (TESTING.md): writes a config bound to 127.0.0.1, starts it through
// PeerProcesses (so teardown stops it by PID), and drives it over ctrl_tcp, whose frames are netstrings
// ("LEN:JSON,") carrying commands, responses and events.
import { writeFileSync, mkdirSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PeerProcesses, PeerRun } from './udp-test-peer.js';

export interface BaresipEvent {
  readonly event?: boolean;
  readonly type?: string;
  readonly param?: string;
  readonly [key: string]: unknown;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/** Writes a minimal headless config (sine source, null ALSA output) and one account line. */
export function writeBaresipConfig(dir: string, sipPort: number, ctrlPort: number, account: string): void {
  mkdirSync(dir, { recursive: true });
  const rtpBase = 20_000 + (sipPort % 1000) * 10;
  const config = [
    'poll_method epoll',
    `sip_listen 127.0.0.1:${sipPort}`,
    'net_interface 127.0.0.1',
    'dns_server 127.0.0.1:53',
    'audio_player alsa,null',
    'audio_source ausine,440',
    'ausrc_srate 48000',
    'ausrc_channels 2',
    `rtp_ports ${rtpBase}-${rtpBase + 9}`,
    'module_path /usr/lib/baresip/modules',
    'module g711.so',
    'module alsa.so',
    'module ausine.so',
    'module_tmp account.so',
    // The menu module provides the dial/hangup commands that ctrl_tcp executes.
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'config'), config);
  writeFileSync(path.join(dir, 'accounts'), `${account}\n`);
  writeFileSync(path.join(dir, 'contacts'), '');
}

export class BaresipControl {
  readonly events: BaresipEvent[] = [];
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  #token = 0;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      for (;;) {
        const colon = this.#buffer.indexOf(0x3a);
        if (colon < 0) return;
        const length = Number(this.#buffer.subarray(0, colon).toString('latin1'));
        if (this.#buffer.length < colon + 1 + length + 1) return;
        const json = this.#buffer.subarray(colon + 1, colon + 1 + length).toString('utf8');
        this.#buffer = this.#buffer.subarray(colon + 2 + length);
        this.events.push(JSON.parse(json) as BaresipEvent);
      }
    });
  }

  /** Starts baresip on `dir` and connects to its ctrl_tcp port, retrying while it starts. */
  static async start(
    peers: PeerProcesses,
    dir: string,
    ctrlPort: number,
  ): Promise<{ control: BaresipControl; exit: Promise<PeerRun> }> {
    const exit = peers.run('baresip', ['-f', dir]);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const socket = await new Promise<Socket | undefined>((resolve) => {
        const s = connect(ctrlPort, '127.0.0.1');
        s.once('connect', () => resolve(s));
        s.once('error', () => resolve(undefined));
      });
      if (socket) return { control: new BaresipControl(socket), exit };
      await sleep(100);
    }
    throw new Error(`baresip ctrl_tcp did not open on ${ctrlPort}`);
  }

  command(command: string, params = ''): void {
    const frame = Buffer.from(JSON.stringify({ command, params, token: String(++this.#token) }), 'utf8');
    this.#socket.write(Buffer.concat([Buffer.from(`${frame.length}:`), frame, Buffer.from(',')]));
  }

  /**
   * Resolves with the first event whose type is one of `types` (already received or yet to come); rejects
   * after `timeoutMs`.
   */
  async waitForEvent(types: string | readonly string[], timeoutMs = 15_000): Promise<BaresipEvent> {
    const wanted = typeof types === 'string' ? [types] : types;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => e.type !== undefined && wanted.includes(e.type));
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = JSON.stringify(this.events.map((e) => e.type));
        throw new Error(`no ${wanted.join('/')} within ${timeoutMs} ms; got ${seen}`);
      }
      await sleep(50);
    }
  }

  close(): void {
    this.#socket.destroy();
  }
}
