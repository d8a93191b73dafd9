import { TrunklineError } from '../../common/errors.js';

/**
 * Stable codes of {@link SipDialogError}:
 * - `SIP_DIALOG_NO_DIALOG`: the message cannot create a dialog (no To tag, no From tag, no Call-ID, or a
 *   response that is neither 1xx with a tag nor 2xx).
 * - `SIP_DIALOG_TERMINATED`: the dialog has ended; no request can be sent in it.
 */
export type SipDialogErrorCode = 'SIP_DIALOG_NO_DIALOG' | 'SIP_DIALOG_TERMINATED';

export class SipDialogError extends TrunklineError {
  declare readonly code: SipDialogErrorCode;

  constructor(code: SipDialogErrorCode, message: string) {
    super(code, message);
  }
}
