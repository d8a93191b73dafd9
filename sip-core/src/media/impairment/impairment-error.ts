import { TrunklineError } from '../../common/errors.js';

export type ImpairmentErrorCode = 'IMPAIRMENT_INVALID_OPTION';

/** An impairment profile that cannot be applied (a probability outside [0, 1], a negative delay). */
export class ImpairmentError extends TrunklineError {
  declare readonly code: ImpairmentErrorCode;

  constructor(code: ImpairmentErrorCode, message: string) {
    super(code, message);
  }
}
