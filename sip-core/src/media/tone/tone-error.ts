import { TrunklineError } from '../../common/errors.js';

/** Stable codes of `ToneError`. */
export type ToneErrorCode = 'TONE_INVALID' | 'TONE_INVALID_OPTION';

/** A tone or a detector option that cannot be used. */
export class ToneError extends TrunklineError {
  declare readonly code: ToneErrorCode;

  constructor(code: ToneErrorCode, message: string) {
    super(code, message);
  }
}
