import { TrunklineError } from '../../common/errors.js';

/**
 * Stable codes of {@link SipTransactionError}:
 * - `SIP_TRANSACTION_TIMEOUT`: Timer B or F fired, no final response arrived (RFC 3261 §17.1.1.2, §17.1.2.2);
 *   the TU treats it as a 408 (§8.1.3.1).
 * - `SIP_TRANSACTION_TRANSPORT_FAILED`: the transport could not send (§17.1.4, §17.2.4); the TU treats it as 503.
 * - `SIP_TRANSACTION_STATE`: a TU asked for something the state machine does not allow (a second final
 *   response, a provisional after the final one).
 * - `SIP_TRANSACTION_TERMINATED`: the transaction has ended and can send nothing more.
 * - `SIP_TRANSACTION_RELEASED`: a server transaction's request was read after its final response (it is let go
 *   then, to keep memory flat at high call rates).
 */
export type SipTransactionErrorCode =
  | 'SIP_TRANSACTION_TIMEOUT'
  | 'SIP_TRANSACTION_TRANSPORT_FAILED'
  | 'SIP_TRANSACTION_STATE'
  | 'SIP_TRANSACTION_TERMINATED'
  | 'SIP_TRANSACTION_RELEASED';

export class SipTransactionError extends TrunklineError {
  declare readonly code: SipTransactionErrorCode;

  constructor(code: SipTransactionErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
