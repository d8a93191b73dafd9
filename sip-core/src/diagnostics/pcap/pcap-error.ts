// Errors of the capture reader and writer. A hostile or damaged file ends in exactly one of these, naming what is
// wrong and where, so that `trunkline explain file.pcap` can tell a user which file to fetch again.

import { TrunklineError } from '../../common/errors.js';

export type PcapErrorCode =
  /** The file could not be opened or read (missing, a folder, no permission). */
  | 'PCAP_UNREADABLE'
  /** Empty, or its first bytes are neither a pcap nor a pcapng magic number. */
  | 'PCAP_NOT_A_CAPTURE'
  /** The file ends in the middle of a header, block or packet. */
  | 'PCAP_TRUNCATED'
  /** A length field is impossible: too small, not a multiple of 4, or past the reader's bound. */
  | 'PCAP_BAD_LENGTH'
  /** A structure is inconsistent: an unknown interface, a pcapng version we cannot read, a bad trailer. */
  | 'PCAP_MALFORMED'
  /** The writer was given something it cannot write (a closed writer, an address that is not IP). */
  | 'PCAP_WRITE_FAILED';

export class PcapError extends TrunklineError {
  declare readonly code: PcapErrorCode;
  /** Where in the file (bytes from its start), when the problem has a place. */
  readonly offset: number | undefined;

  constructor(code: PcapErrorCode, message: string, options: { offset?: number; cause?: unknown } = {}) {
    super(code, message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.offset = options.offset;
  }
}
