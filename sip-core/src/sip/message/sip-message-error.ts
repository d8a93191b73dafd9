import { TrunklineError } from '../../common/errors.js';

export type SipMessageErrorCode =
  | 'SIP_HEADER_NAME_INVALID'
  | 'SIP_HEADER_VALUE_INVALID'
  | 'SIP_PARAM_INVALID'
  | 'SIP_VALUE_OUT_OF_RANGE'
  | 'SIP_URI_INVALID';

/**
 * A value that code (not the wire) tried to put into a message and that would make it unserialisable or
 * ambiguous: a header name that is not a token, a value with a line break, a port above 65535. The message
 * names what to fix; it does not echo the value, which may be a secret.
 */
export class SipMessageError extends TrunklineError {
  declare readonly code: SipMessageErrorCode;

  constructor(code: SipMessageErrorCode, message: string) {
    super(code, message);
  }
}
