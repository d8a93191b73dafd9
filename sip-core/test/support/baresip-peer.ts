import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { type Socket, connect } from 'node:net';
import { join } from 'node:path';

// A headless baresip 1.0.0 for interop suites (TESTING.md): bound to 127.0.0.1, sine source, received audio written
// as WAV files under DIR/rec by the sndfile module, driven over ctrl_tcp (netstring-framed JSON). The config follows
// the shape of the shared mk-baresip.sh, without TLS (these suites signal over UDP).

export interface BaresipOptions {
  readonly dir: string;
  readonly sipPort: number;
  readonly ctrlPort: number;
  /** The first of ten RTP ports baresip may use. */
  readonly rtpPortBase: number;
  /** Account parameters, e.g. ';answermode=auto;mediaenc=srtp-mand'. */
  readonly accountParams: string;
  readonly sineHz?: number;
}

export interface BaresipEvent {
  readonly type?: string;
  readonly class?: string;
  readonly param?: string;
  readonly [key: string]: unknown;
}

export class BaresipPeer {
  readonly events: BaresipEvent[] = [];
  readonly recordingDir: string;
  readonly #process: ChildProcess;
  #ctrl: Socket | undefined;
  #log = '';

  private constructor(child: ChildProcess, recordingDir: string) {
    this.#process = child;
    this.recordingDir = recordingDir;
    child.stdout?.on('data', (d: Buffer) => (this.#log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.#log += d.toString()));
  }

  /** Writes the config, starts baresip and connects to its control port. */
  static async start(options: BaresipOptions): Promise<BaresipPeer> {
    const recordingDir = join(options.dir, 'rec');
    mkdirSync(recordingDir, { recursive: true });
    writeFileSync(
      join(options.dir, 'config'),
      [
        'poll_method epoll',
        `sip_listen 127.0.0.1:${options.sipPort}`,
        'net_interface 127.0.0.1',
        'dns_server 127.0.0.1:53',
        'call_local_timeout 120',
        'audio_player alsa,null',
        'audio_alert alsa,null',
        `audio_source ausine,${options.sineHz ?? 440}`,
        'ausrc_srate 48000',
        'ausrc_channels 2',
        `rtp_ports ${options.rtpPortBase}-${options.rtpPortBase + 9}`,
        'rtp_stats yes',
        'module_path /usr/lib/baresip/modules',
        'module g711.so',
        'module alsa.so',
        'module aufile.so',
        'module ausine.so',
        'module sndfile.so',
        'module srtp.so',
        'module_tmp uuid.so',
        'module_tmp account.so',
        'module_app menu.so',
        'module_app ctrl_tcp.so',
        `ctrl_tcp_listen 127.0.0.1:${options.ctrlPort}`,
        `snd_path ${recordingDir}`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(options.dir, 'accounts'),
      `<sip:bob@127.0.0.1:${options.sipPort}>;regint=0${options.accountParams}\n`,
    );
    writeFileSync(join(options.dir, 'contacts'), '');
    const child = spawn('baresip', ['-f', options.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const peer = new BaresipPeer(child, recordingDir);
    await peer.#connect(options.ctrlPort);
    return peer;
  }

  get pid(): number | undefined {
    return this.#process.pid;
  }

  /** What baresip printed, for failure messages. */
  get log(): string {
    return this.#log;
  }

  async #connect(port: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (this.#process.exitCode !== null) throw new Error(`baresip exited: ${this.#log}`);
      try {
        this.#ctrl = await new Promise<Socket>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => resolve(socket));
          socket.once('error', reject);
        });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    let buffer = Buffer.alloc(0);
    this.#ctrl.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      for (;;) {
        const colon = buffer.indexOf(58);
        if (colon < 0) return;
        const length = Number(buffer.subarray(0, colon).toString());
        if (buffer.length < colon + 2 + length) return;
        this.events.push(
          JSON.parse(buffer.subarray(colon + 1, colon + 1 + length).toString()) as BaresipEvent,
        );
        buffer = buffer.subarray(colon + 2 + length);
      }
    });
  }

  /** Sends a ctrl_tcp command (e.g. 'hangup'). */
  command(line: string): void {
    const space = line.indexOf(' ');
    const json = Buffer.from(
      JSON.stringify({
        command: space < 0 ? line : line.slice(0, space),
        params: space < 0 ? '' : line.slice(space + 1),
        token: String(this.events.length),
      }),
    );
    this.#ctrl?.write(Buffer.concat([Buffer.from(`${json.length}:`), json, Buffer.from(',')]));
  }

  /** Stops baresip by its PID and waits for it to exit. */
  async stop(): Promise<void> {
    this.#ctrl?.destroy();
    if (this.#process.exitCode !== null || this.#process.signalCode !== null) return;
    const exited = new Promise((resolve) => this.#process.once('exit', resolve));
    this.#process.kill('SIGTERM');
    const timer = setTimeout(() => this.#process.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}
