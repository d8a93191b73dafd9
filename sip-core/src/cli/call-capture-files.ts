// `trunkline call --pcap FILE [--keylog FILE]`: the evidence of a run written while it happens. One process is one
// user agent, so the capture holds everything that user agent said and heard — the SIP of its calls (a failed
// call's INVITE/100/403/ACK too; TLS and TCP carried as UDP with the real ports, as diagnostics' PcapRecorder
// writes them) and the RTP/RTCP of every call through the call's packet tap, SRTP exported decrypted and marked
// in a packet comment. The TLS key log is the NSS SSLKEYLOGFILE of the signalling connections, 0600, for whoever
// also captured the encrypted wire.

import type { Disposable } from '../common/disposable.js';
import { describeError } from '../common/errors.js';
import { FilePcapSink, PcapRecorder, SslKeyLogFile } from '../diagnostics/pcap/index.js';
import type { SoftphoneOptions, SoftphoneUserAgent } from '../ua/index.js';

export interface CallCaptureFilesOptions {
  readonly pcapPath?: string;
  readonly keyLogPath?: string;
  /** Written into the pcapng section header, e.g. `Trunkline 0.1.0`. */
  readonly application: string;
}

export class CallCaptureFiles {
  readonly #recorder: PcapRecorder | undefined;
  readonly #keyLog: SslKeyLogFile | undefined;
  readonly #pcapPath: string | undefined;
  readonly #subscriptions: Disposable[] = [];

  private constructor(
    recorder: PcapRecorder | undefined,
    pcapPath: string | undefined,
    keyLog: SslKeyLogFile | undefined,
  ) {
    this.#recorder = recorder;
    this.#pcapPath = pcapPath;
    this.#keyLog = keyLog;
  }

  /**
   * Creates the files (before the phone starts: the key log must see the first TLS handshake, which an OPTIONS
   * keep-alive may make inside `SoftphoneUserAgent.start`). Undefined when neither file was asked for. Throws
   * `PcapError` (`PCAP_WRITE_FAILED`) when the key log cannot be created.
   */
  static open(options: CallCaptureFilesOptions): CallCaptureFiles | undefined {
    if (options.pcapPath === undefined && options.keyLogPath === undefined) return undefined;
    const keyLog = options.keyLogPath === undefined ? undefined : SslKeyLogFile.open(options.keyLogPath);
    const recorder =
      options.pcapPath === undefined
        ? undefined
        : new PcapRecorder(new FilePcapSink(options.pcapPath), { application: options.application });
    return new CallCaptureFiles(recorder, options.pcapPath, keyLog);
  }

  /** What `SoftphoneUserAgent.start` needs for the key log. */
  phoneOptions(): Pick<SoftphoneOptions, 'tlsKeyLog'> {
    const keyLog = this.#keyLog;
    if (keyLog === undefined) return {};
    let forward: ((line: Buffer) => void) | undefined;
    this.#subscriptions.push(
      keyLog.record({
        on: (_event, listener) => {
          forward = listener;
          return { dispose: () => (forward = undefined) };
        },
      }),
    );
    return { tlsKeyLog: (line) => forward?.(line) };
  }

  /** Records `phone`'s SIP trace and the media of every call it makes, from now on (right after it started). */
  attach(phone: SoftphoneUserAgent): void {
    const recorder = this.#recorder;
    if (recorder === undefined) return;
    this.#subscriptions.push(
      recorder.recordSipTrace(phone.trace),
      phone.on('call', (call) => {
        this.#subscriptions.push(recorder.recordMedia(call));
      }),
    );
  }

  /** Stops recording and finishes both files; resolves with one line per file for the progress output. */
  async close(): Promise<string[]> {
    for (const subscription of this.#subscriptions.splice(0)) subscription.dispose();
    const lines: string[] = [];
    if (this.#keyLog !== undefined) {
      this.#keyLog.dispose();
      lines.push(`TLS key log: ${this.#keyLog.lines} secret(s) in ${this.#keyLog.path}`);
    }
    if (this.#recorder !== undefined) {
      const packets = this.#recorder.packets;
      try {
        await this.#recorder.close();
        lines.push(`capture: ${packets} packet(s) in ${this.#pcapPath ?? ''}`);
      } catch (error) {
        lines.push(`warning: the capture is incomplete: ${describeError(error)}`);
      }
    }
    return lines;
  }
}
