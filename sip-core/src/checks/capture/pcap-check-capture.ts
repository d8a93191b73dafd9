// The capture of a whole check run in one pcapng: every check's SIP (each probe stack's trace) through one
// `PcapRecorder`, with a packet comment "Trunkline check <id> starts" on the first packet of each check, and
// optionally the TLS secrets in an SSLKEYLOGFILE. The CLI opens it for `--pcap FILE` (`--keylog FILE`), marks each
// check as the runner starts it, and closes it after the run.

import type { Disposable } from '../../common/disposable.js';
import {
  FilePcapSink,
  PcapRecorder,
  SslKeyLogFile,
  type MediaPacketSource,
  type PcapSink,
  type TlsKeyLogSource,
} from '../../diagnostics/index.js';
import type { SipTrace } from '../../sip/trace/index.js';
import type { CheckCapture } from './check-capture.js';

export interface PcapCheckCaptureOptions {
  /** Where the pcapng goes: a file path, or a sink (tests). */
  readonly pcap: string | PcapSink;
  /** An SSLKEYLOGFILE for the TLS connections the checks make (created 0600). */
  readonly keylogPath?: string;
  /** Written into the pcapng section header, e.g. `Trunkline 0.1.0`. */
  readonly application?: string;
}

export class PcapCheckCapture implements CheckCapture {
  readonly #recorder: PcapRecorder;
  readonly #keyLog: SslKeyLogFile | undefined;
  readonly #handles = new Set<Disposable>();
  #closed = false;

  private constructor(recorder: PcapRecorder, keyLog: SslKeyLogFile | undefined) {
    this.#recorder = recorder;
    this.#keyLog = keyLog;
  }

  /** Creates the files; a path that cannot be written throws `PcapError` (PCAP_WRITE_FAILED) here or at close. */
  static open(options: PcapCheckCaptureOptions): PcapCheckCapture {
    const keyLog = options.keylogPath === undefined ? undefined : SslKeyLogFile.open(options.keylogPath);
    const sink = typeof options.pcap === 'string' ? new FilePcapSink(options.pcap) : options.pcap;
    const recorder = new PcapRecorder(sink, {
      ...(options.application !== undefined ? { application: options.application } : {}),
    });
    return new PcapCheckCapture(recorder, keyLog);
  }

  /** Packets written so far. */
  get packets(): number {
    return this.#recorder.packets;
  }

  /** Secrets written to the key log so far (never the secrets themselves). */
  get keyLogLines(): number {
    return this.#keyLog?.lines ?? 0;
  }

  /** Marks where a check starts: its first packet carries the comment (a check that sends nothing leaves none). */
  checkStarted(id: string, title: string): void {
    this.#recorder.annotateNext(`Trunkline check ${id} starts: ${title}`);
  }

  recordTrace(trace: SipTrace): Disposable {
    return this.#track(this.#recorder.recordSipTrace(trace));
  }

  recordMediaTap(source: MediaPacketSource): Disposable {
    return this.#track(this.#recorder.recordMedia(source));
  }

  recordTlsKeys(source: TlsKeyLogSource): Disposable {
    if (this.#keyLog === undefined) return { dispose: () => undefined };
    return this.#track(this.#keyLog.record(source));
  }

  /** Stops every recording and finishes both files. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const handle of this.#handles) handle.dispose();
    this.#handles.clear();
    this.#keyLog?.dispose();
    await this.#recorder.close();
  }

  #track(handle: Disposable): Disposable {
    if (this.#closed) {
      handle.dispose();
      return handle;
    }
    this.#handles.add(handle);
    return {
      dispose: () => {
        this.#handles.delete(handle);
        handle.dispose();
      },
    };
  }
}
