// A headless baresip 1.0.0 for interop tests (TESTING.md): a config bound to 127.0.0.1 (SIP on UDP/TCP at
// `sipPort`, TLS at `sipPort + 1`, control at `ctrlPort`), started through PeerProcesses so that teardown stops
// it by PID, and a client for its ctrl_tcp interface, whose frames are netstrings ("LEN:JSON,") carrying
// command responses and events.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts } from './free-port.js';
import type { PeerProcess, PeerProcesses } from './peer-process.js';

export interface BaresipConfig {
  readonly dir: string;
  readonly sipPort: number;
  readonly ctrlPort: number;
  /** The whole account line; default `<sip:USER@127.0.0.1:sipPort>;regint=0` plus `accountParams`. */
  readonly account?: string;
  /**
   * The user part of the default account (default `tester`). baresip answers only requests addressed to one of its
   * accounts ("UA not found", 404), so a peer that dials a number needs that number here.
   */
  readonly accountUser?: string;
  /** Extra account parameters appended to the default account, e.g. `;answermode=auto;mediaenc=srtp-mand`. */
  readonly accountParams?: string;
  /** The TLS certificate and key baresip presents (as server and as client), PEM; needed for TLS. */
  readonly cert?: string;
  readonly key?: string;
  /** The CA baresip is told to trust (PEM). */
  readonly ca?: string;
  /** Frequency of the sine baresip sends as its microphone (default 440 Hz). */
  readonly sineHz?: number;
}

/**
 * PEM blocks as one file, each block ending in a newline. The emulator's PEMs have no trailing newline, and
 * OpenSSL (baresip's reader) cannot find a `-----BEGIN` that follows an `-----END` on the same line.
 */
export function joinPem(...blocks: readonly string[]): string {
  return blocks.map((block) => (block.endsWith('\n') ? block : `${block}\n`)).join('');
}

/** Writes `config`, `accounts` and `contacts`; received audio is recorded as WAV files under `dir/rec`. */
export function writeBaresipConfig(config: BaresipConfig): void {
  const { dir, sipPort, ctrlPort } = config;
  mkdirSync(baresipRecordingDir(dir), { recursive: true });
  const tls: string[][] = [];
  if (config.cert !== undefined && config.key !== undefined) {
    writeFileSync(join(dir, 'cert.pem'), joinPem(config.cert, config.key), { mode: 0o600 });
    tls.push(['sip_certificate', join(dir, 'cert.pem')]);
  }
  if (config.ca !== undefined) {
    writeFileSync(join(dir, 'ca.pem'), joinPem(config.ca));
    tls.push(['sip_cafile', join(dir, 'ca.pem')]);
  }
  const rtp = baresipRtpPortBase(sipPort);
  const lines = [
    ['poll_method', 'epoll'],
    ['sip_listen', `127.0.0.1:${sipPort}`],
    ...tls,
    ['net_interface', '127.0.0.1'],
    ['dns_server', '127.0.0.1:53'],
    ['call_local_timeout', '120'],
    ['call_max_calls', '64'],
    ['audio_player', 'alsa,null'],
    ['audio_alert', 'alsa,null'],
    ['audio_source', `ausine,${config.sineHz ?? 440}`],
    // The sine source needs 48 kHz stereo (TESTING.md).
    ['ausrc_srate', '48000'],
    ['ausrc_channels', '2'],
    ['rtp_ports', `${rtp}-${rtp + 9}`],
    ['rtp_stats', 'yes'],
    ['module_path', '/usr/lib/baresip/modules'],
    ['module', 'g711.so'],
    ['module', 'alsa.so'],
    ['module', 'aufile.so'],
    ['module', 'ausine.so'],
    ['module', 'sndfile.so'],
    ['module', 'srtp.so'],
    ['module_tmp', 'uuid.so'],
    ['module_tmp', 'account.so'],
    // The menu module provides the dial/hangup/transfer commands that ctrl_tcp executes.
    ['module_app', 'menu.so'],
    ['module_app', 'ctrl_tcp.so'],
    ['ctrl_tcp_listen', `127.0.0.1:${ctrlPort}`],
    ['snd_path', baresipRecordingDir(dir)],
  ];
  writeFileSync(join(dir, 'config'), lines.map(([key, value]) => `${key}\t${value}`).join('\n') + '\n');
  const user = config.accountUser ?? 'tester';
  const account =
    config.account ?? `<sip:${user}@127.0.0.1:${sipPort}>;regint=0${config.accountParams ?? ''}`;
  writeFileSync(join(dir, 'accounts'), `${account}\n`);
  writeFileSync(join(dir, 'contacts'), '');
}

export interface BaresipEvent {
  readonly type?: string;
  readonly param?: string;
  readonly [key: string]: unknown;
}

/** Where baresip's sndfile module records a call's audio: `*-dec.wav` is what it received and decoded. */
export function baresipRecordingDir(dir: string): string {
  return join(dir, 'rec');
}

/** The first RTP port of the ten `writeBaresipConfig` gives baresip (so a test can keep its own ports apart). */
export function baresipRtpPortBase(sipPort: number): number {
  return 20_000 + (sipPort % 1000) * 10;
}

/** The process on a baresip's control port is not that baresip (see `BaresipControl.start`). */
export class BaresipControlMismatch extends Error {}

/** A ctrl_tcp client: sends commands and collects the events and responses baresip reports. */
export class BaresipControl {
  /** Messages with `event: true`, in arrival order. */
  readonly events: BaresipEvent[] = [];
  /** Command responses (`response: true`), in arrival order. */
  readonly responses: BaresipEvent[] = [];
  readonly #socket: net.Socket;
  #buffer = Buffer.alloc(0);
  #token = 0;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
  }

  /**
   * Connects to ctrl_tcp on `port`, retrying while baresip starts. A connection to itself is refused: connecting to a
   * port in the ephemeral range that nobody listens on yet can be answered by the kernel with the very same port as
   * the source (a TCP simultaneous open), and such a "control channel" never reports anything.
   */
  static async connect(port: number, timeoutMs = 10_000): Promise<BaresipControl> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const socket = await new Promise<net.Socket | undefined>((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        s.once('connect', () => {
          if (s.localPort !== s.remotePort) return resolve(s);
          s.destroy();
          resolve(undefined);
        });
        s.once('error', () => resolve(undefined));
      });
      if (socket) return new BaresipControl(socket);
      if (Date.now() > deadline) throw new Error(`baresip ctrl_tcp did not open on ${port}`);
      await sleep(100);
    }
  }

  /**
   * Starts `baresip -f dir` through `peers` (stopped by PID in teardown), connects to it, and checks that the process
   * answering on `ctrlPort` is this one: its `reginfo` must name the account of `dir/accounts`. A port picked free
   * can be taken by another process before baresip binds it; baresip then runs without its control channel, and the
   * connection reaches the other process. That is a `BaresipControlMismatch`, with this baresip stopped.
   */
  static async start(
    peers: PeerProcesses,
    dir: string,
    ctrlPort: number,
  ): Promise<{ control: BaresipControl; process: PeerProcess }> {
    const process = peers.start('baresip', ['-f', dir]);
    const aor = /<([^>;]+)/.exec(readFileSync(join(dir, 'accounts'), 'utf8'))?.[1];
    let control: BaresipControl | undefined;
    try {
      control = await BaresipControl.connect(ctrlPort);
      if (aor !== undefined) await control.#expectAccount(aor);
      return { control, process };
    } catch (error) {
      control?.close();
      await peers.stop(process);
      throw error;
    }
  }

  /** Asks for `reginfo` and expects `aor` in the answer, within `timeoutMs`. */
  async #expectAccount(aor: string, timeoutMs = 5_000): Promise<void> {
    const token = String(this.#token + 1);
    this.command('reginfo');
    const answer = await this.#poll(() => this.responses.find((r) => r.token === token), timeoutMs);
    if (answer === undefined) {
      throw new BaresipControlMismatch(`the control channel did not answer reginfo for ${aor}`);
    }
    if (typeof answer['data'] !== 'string' || !answer['data'].includes(aor)) {
      throw new BaresipControlMismatch(`the control channel answered for another user agent than ${aor}`);
    }
  }

  /** `find()`'s first result other than undefined, checked every 20 ms; undefined once `timeoutMs` has passed. */
  async #poll<T>(find: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined || Date.now() > deadline) return found;
      await sleep(20);
    }
  }

  command(command: string, params = ''): void {
    const json = Buffer.from(JSON.stringify({ command, params, token: String(++this.#token) }), 'utf8');
    this.#socket.write(Buffer.concat([Buffer.from(`${json.length}:`), json, Buffer.from(',')]));
  }

  /** Every event of `type` so far, in order. */
  eventsOf(type: string): BaresipEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  /** Resolves with the first event whose type is one of `types` (already received or still to come). */
  async waitForEvent(types: string | readonly string[], timeoutMs = 15_000): Promise<BaresipEvent> {
    const wanted = typeof types === 'string' ? [types] : types;
    const found = await this.#poll(
      () => this.events.find((e) => e.type !== undefined && wanted.includes(e.type)),
      timeoutMs,
    );
    if (found !== undefined) return found;
    const seen = JSON.stringify(this.events.map((e) => e.type));
    throw new Error(`baresip reported no ${wanted.join('/')} within ${timeoutMs} ms; events: ${seen}`);
  }

  close(): void {
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const colon = this.#buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.#buffer.subarray(0, colon).toString('latin1'));
      if (this.#buffer.length < colon + 1 + length + 1) return;
      const body = this.#buffer.subarray(colon + 1, colon + 1 + length).toString('utf8');
      this.#buffer = this.#buffer.subarray(colon + 2 + length);
      const message = JSON.parse(body) as BaresipEvent & { event?: boolean; response?: boolean };
      if (message.event) this.events.push(message);
      else if (message.response) this.responses.push(message);
    }
  }
}

export interface StartedBaresip {
  readonly control: BaresipControl;
  readonly process: PeerProcess;
  /** SIP on UDP/TCP (TLS on sipPort + 1). */
  readonly sipPort: number;
  readonly ctrlPort: number;
}

/**
 * Writes a config into `dir` on free ports (SIP, SIP + 1 for TLS, control) and starts baresip through `peers`
 * (stopped by PID in teardown). `config` takes everything of `BaresipConfig` but the folder and the ports.
 */
export async function startBaresip(
  peers: PeerProcesses,
  dir: string,
  config: Omit<BaresipConfig, 'dir' | 'sipPort' | 'ctrlPort'> = {},
): Promise<StartedBaresip> {
  // Ports picked free can be taken by another process before baresip binds them: then again on other ports.
  for (let attempt = 1; ; attempt++) {
    const sipPort = await freePorts(2);
    const ctrlPort = await freePorts();
    writeBaresipConfig({ ...config, dir, sipPort, ctrlPort });
    try {
      const { control, process } = await BaresipControl.start(peers, dir, ctrlPort);
      return { control, process, sipPort, ctrlPort };
    } catch (error) {
      if (!(error instanceof BaresipControlMismatch) || attempt === 3) throw error;
    }
  }
}
