// SSLKEYLOGFILE export: the TLS secrets of Trunkline's SIP connections in the NSS key log format, one line per
// secret (`CLIENT_RANDOM …`, `CLIENT_HANDSHAKE_TRAFFIC_SECRET …`), which Wireshark reads (Preferences › TLS ›
// (Pre)-Master-Secret log filename) to decrypt a capture of the real TLS traffic. The lines are secrets: the file
// is created 0600, and nothing here logs or returns them.

import { appendFileSync, closeSync, fchmodSync, openSync } from 'node:fs';
import type { Disposable } from '../../common/disposable.js';
import { describeError } from '../../common/errors.js';
import { PcapError } from './pcap-error.js';

/** What a key log reads from: the SIP transport layer (its 'tlsKeyLog' event). */
export interface TlsKeyLogSource {
  on(event: 'tlsKeyLog', listener: (line: Buffer) => void): Disposable;
}

export class SslKeyLogFile implements Disposable {
  readonly path: string;
  readonly #fd: number;
  readonly #subscriptions: Disposable[] = [];
  #closed = false;
  #lines = 0;

  private constructor(path: string, fd: number) {
    this.path = path;
    this.#fd = fd;
  }

  /** Creates (or appends to, as browsers do with SSLKEYLOGFILE) the key log at `path`, readable by the owner only. */
  static open(path: string): SslKeyLogFile {
    try {
      const fd = openSync(path, 'a', 0o600);
      // The mode of `openSync` applies only to a new file: a key log appended to must not stay readable by others.
      fchmodSync(fd, 0o600);
      return new SslKeyLogFile(path, fd);
    } catch (error) {
      throw new PcapError(
        'PCAP_WRITE_FAILED',
        `Cannot create the TLS key log ${path}: ${describeError(error)}.`,
        {
          cause: error,
        },
      );
    }
  }

  /** How many secrets were written (never the secrets). */
  get lines(): number {
    return this.#lines;
  }

  /** Writes the key material of every TLS connection `source` makes from now on. */
  record(source: TlsKeyLogSource): Disposable {
    const subscription = source.on('tlsKeyLog', (line) => this.#append(line));
    this.#subscriptions.push(subscription);
    return subscription;
  }

  dispose(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const subscription of this.#subscriptions.splice(0)) subscription.dispose();
    closeSync(this.#fd);
  }

  #append(line: Buffer): void {
    if (this.#closed) return;
    // Written synchronously: a handshake produces a handful of short lines, and a key that reached the file before
    // the first encrypted record is what makes the capture decryptable. Node's lines already end with '\n'.
    try {
      appendFileSync(this.#fd, line);
      this.#lines++;
    } catch {
      // A full disk loses a key line, never the call; the count shows that fewer lines were written.
    }
  }
}
