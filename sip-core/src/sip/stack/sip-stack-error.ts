import { TrunklineError } from '../../common/errors.js';

/**
 * Stable codes of {@link SipStackError}:
 * - `SIP_STACK_CLOSED`: the stack was closed; nothing more can be sent.
 * - `SIP_STACK_UNROUTABLE`: the request's target is not a SIP or SIPS URI, so no transport or address follows
 *   from it (RFC 3263 §4); give a destination explicitly.
 * - `SIP_STACK_WRONG_METHOD`: INVITE, ACK and CANCEL have their own entry points (`sendInvite`, `sendAck`,
 *   `cancel`); other methods go through `sendRequest`.
 */
export type SipStackErrorCode = 'SIP_STACK_CLOSED' | 'SIP_STACK_UNROUTABLE' | 'SIP_STACK_WRONG_METHOD';

export class SipStackError extends TrunklineError {
  declare readonly code: SipStackErrorCode;

  constructor(code: SipStackErrorCode, message: string) {
    super(code, message);
  }
}
