// Errors of a running emulator as a whole (its start and its API); config, TLS and store problems keep their own
// classes and codes. Messages say what to do.

import { TrunklineError } from '../common/errors.js';

export type EmulatorErrorCode =
  /** A listener could not bind (port in use, address not on this machine, permission). */
  | 'EMULATOR_LISTEN_FAILED'
  /** The emulator is stopping or stopped. */
  | 'EMULATOR_STOPPED'
  /** An inbound call request is not usable (numbers, media). */
  | 'EMULATOR_INVALID_CALL';

export class EmulatorError extends TrunklineError {
  declare readonly code: EmulatorErrorCode;

  constructor(code: EmulatorErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
