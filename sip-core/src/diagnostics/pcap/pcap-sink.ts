// Where encoded capture bytes go: a file (streamed, so a long call does not sit in memory) or memory (tests, the
// UI's "download capture").

import { createWriteStream, type WriteStream } from 'node:fs';
import { describeError } from '../../common/errors.js';
import { PcapError } from './pcap-error.js';

export interface PcapSink {
  write(bytes: Uint8Array): void;
  /** Flushes and releases; resolves when every byte is written. */
  close(): Promise<void>;
}

export class MemoryPcapSink implements PcapSink {
  readonly #chunks: Uint8Array[] = [];

  write(bytes: Uint8Array): void {
    this.#chunks.push(bytes);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Everything written so far, as one buffer. */
  bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

export class FilePcapSink implements PcapSink {
  readonly path: string;
  readonly #stream: WriteStream;
  #error: Error | undefined;

  constructor(path: string) {
    this.path = path;
    this.#stream = createWriteStream(path, { mode: 0o600 });
    // A failing disk must not take the call down: the error is reported when the capture is closed.
    this.#stream.on('error', (error) => {
      this.#error ??= error;
    });
  }

  write(bytes: Uint8Array): void {
    if (this.#error === undefined) this.#stream.write(bytes);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#stream.end(() => {
        if (this.#error === undefined) resolve();
        else {
          reject(
            new PcapError(
              'PCAP_WRITE_FAILED',
              `Cannot write the capture ${this.path}: ${describeError(this.#error)}.`,
              {
                cause: this.#error,
              },
            ),
          );
        }
      });
    });
  }
}
