// A headless baresip for interop tests: a config bound to 127.0.0.1 (SIP on UDP/TCP at `sipPort`, TLS at
// `sipPort + 1`, control at `ctrlPort`) and a client for its ctrl_tcp interface (netstring-framed JSON).

import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

export interface BaresipConfig {
  readonly dir: string;
  readonly sipPort: number;
  readonly ctrlPort: number;
  /** The TLS certificate and key baresip presents (as server and as client), PEM. */
  readonly cert: string;
  readonly key: string;
  /** The CA baresip is told to trust (PEM). */
  readonly ca: string;
  /** Extra account parameters, e.g. `;answermode=auto`. */
  readonly accountParams?: string;
}

export function writeBaresipConfig(config: BaresipConfig): void {
  const { dir, sipPort, ctrlPort } = config;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cert.pem'), config.cert + config.key, { mode: 0o600 });
  writeFileSync(join(dir, 'ca.pem'), config.ca);
  const rtp = 20_000 + (sipPort % 1000) * 10;
  const lines = [
    ['poll_method', 'epoll'],
    ['sip_listen', `127.0.0.1:${sipPort}`],
    ['sip_certificate', join(dir, 'cert.pem')],
    ['sip_cafile', join(dir, 'ca.pem')],
    ['net_interface', '127.0.0.1'],
    ['dns_server', '127.0.0.1:53'],
    ['audio_player', 'alsa,null'],
    ['audio_alert', 'alsa,null'],
    ['audio_source', 'ausine,440'],
    ['ausrc_srate', '48000'],
    ['ausrc_channels', '2'],
    ['rtp_ports', `${rtp}-${rtp + 9}`],
    ['module_path', '/usr/lib/baresip/modules'],
    ['module', 'g711.so'],
    ['module', 'alsa.so'],
    ['module', 'ausine.so'],
    ['module_tmp', 'uuid.so'],
    ['module_tmp', 'account.so'],
    ['module_app', 'menu.so'],
    ['module_app', 'ctrl_tcp.so'],
    ['ctrl_tcp_listen', `127.0.0.1:${ctrlPort}`],
  ];
  writeFileSync(join(dir, 'config'), lines.map(([key, value]) => `${key}\t${value}`).join('\n') + '\n');
  writeFileSync(
    join(dir, 'accounts'),
    `<sip:tester@127.0.0.1:${sipPort}>;regint=0${config.accountParams ?? ''}\n`,
  );
  writeFileSync(join(dir, 'contacts'), '');
}

export interface BaresipEvent {
  readonly type?: string;
  readonly param?: string;
  readonly [key: string]: unknown;
}

/** A ctrl_tcp client: sends commands and collects the events baresip reports. */
export class BaresipControl {
  readonly events: BaresipEvent[] = [];
  readonly #socket: net.Socket;
  #buffer = Buffer.alloc(0);
  #token = 0;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
  }

  /** Connects to ctrl_tcp, retrying while baresip starts. */
  static async connect(port: number, timeoutMs = 10_000): Promise<BaresipControl> {
    const start = Date.now();
    for (;;) {
      try {
        const socket = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1');
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
        socket.on('error', () => undefined);
        return new BaresipControl(socket);
      } catch (error) {
        if (Date.now() - start > timeoutMs) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  command(command: string, params = ''): void {
    const json = Buffer.from(JSON.stringify({ command, params, token: String(++this.#token) }));
    this.#socket.write(Buffer.concat([Buffer.from(`${json.length}:`), json, Buffer.from(',')]));
  }

  /** Resolves with the first event of `type` (already received or still to come). */
  async waitForEvent(type: string, timeoutMs = 10_000): Promise<BaresipEvent> {
    const start = Date.now();
    for (;;) {
      const event = this.events.find((e) => e.type === type);
      if (event) return event;
      if (Date.now() - start > timeoutMs) {
        throw new Error(`baresip did not report ${type}; events: ${JSON.stringify(this.events)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const colon = this.#buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.#buffer.subarray(0, colon).toString());
      if (this.#buffer.length < colon + 1 + length + 1) return;
      const body = this.#buffer.subarray(colon + 1, colon + 1 + length).toString('utf8');
      this.#buffer = this.#buffer.subarray(colon + 2 + length);
      const message = JSON.parse(body) as BaresipEvent & { event?: boolean };
      if (message.event) this.events.push(message);
    }
  }
}
