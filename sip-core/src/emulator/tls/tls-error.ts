import { TrunklineError } from '../../common/errors.js';

export type EmulatorTlsErrorCode =
  /** The data folder or a certificate file cannot be read or written. */
  | 'EMULATOR_TLS_IO'
  /** A user-supplied certificate or key is not PEM, or the key does not belong to the certificate. */
  | 'EMULATOR_TLS_INVALID'
  /** Creating keys or certificates failed. */
  | 'EMULATOR_TLS_GENERATION_FAILED';

/** TLS material problems; messages name the file and what to do, never key material. */
export class EmulatorTlsError extends TrunklineError {
  declare readonly code: EmulatorTlsErrorCode;

  constructor(code: EmulatorTlsErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
