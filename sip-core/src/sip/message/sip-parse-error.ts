import { TrunklineError } from '../../common/errors.js';
import type { SipRejection } from './sip-rejection.js';
import type { SipRequest } from './sip-request.js';

/**
 * Stable codes of {@link SipParseError}. A caller branches on the code; the message is for people.
 *
 * - Framing: `SIP_MESSAGE_EMPTY`, `SIP_MESSAGE_TOO_LARGE`, `SIP_HEADER_SECTION_UNTERMINATED`,
 *   `SIP_LINE_BREAK_INVALID`, `SIP_CONTENT_LENGTH_INVALID`, `SIP_CONTENT_LENGTH_EXCEEDS_DATA`,
 *   `SIP_CONTENT_LENGTH_MISSING`, `SIP_CONTENT_LENGTH_CONFLICT`, `SIP_TRAILING_BYTES`.
 * - Start line: `SIP_START_LINE_MALFORMED`, `SIP_METHOD_INVALID`, `SIP_REQUEST_URI_MALFORMED`,
 *   `SIP_VERSION_NOT_SUPPORTED`, `SIP_STATUS_CODE_INVALID`.
 * - Headers: `SIP_HEADER_LINE_MALFORMED`, `SIP_TOO_MANY_HEADERS`, `SIP_HEADER_TOO_LONG`, `SIP_HEADER_MALFORMED`,
 *   `SIP_CSEQ_METHOD_MISMATCH`.
 * - Values parsed on their own: `SIP_URI_MALFORMED`.
 */
export type SipParseErrorCode =
  | 'SIP_MESSAGE_EMPTY'
  | 'SIP_MESSAGE_TOO_LARGE'
  | 'SIP_HEADER_SECTION_UNTERMINATED'
  | 'SIP_LINE_BREAK_INVALID'
  | 'SIP_START_LINE_MALFORMED'
  | 'SIP_METHOD_INVALID'
  | 'SIP_REQUEST_URI_MALFORMED'
  | 'SIP_VERSION_NOT_SUPPORTED'
  | 'SIP_STATUS_CODE_INVALID'
  | 'SIP_HEADER_LINE_MALFORMED'
  | 'SIP_TOO_MANY_HEADERS'
  | 'SIP_HEADER_TOO_LONG'
  | 'SIP_HEADER_MALFORMED'
  | 'SIP_CSEQ_METHOD_MISMATCH'
  | 'SIP_CONTENT_LENGTH_INVALID'
  | 'SIP_CONTENT_LENGTH_EXCEEDS_DATA'
  | 'SIP_CONTENT_LENGTH_MISSING'
  | 'SIP_CONTENT_LENGTH_CONFLICT'
  | 'SIP_TRAILING_BYTES'
  | 'SIP_URI_MALFORMED';

export interface SipParseErrorDetails {
  /** The header the problem is in, as it was named on the wire (`v`, `Via`, …). */
  readonly header?: string;
  /** 1-based line of the message the problem is on (the start line is line 1). */
  readonly line?: number;
}

/**
 * Bad input: a message, header or URI that does not parse. It is the only error the parser and the structured
 * header views throw for anything that came off the wire.
 *
 * Messages name the line, the header and the problem, never the offending bytes: a header may carry a URI
 * password or an attacker's payload, and error messages end up in logs and UIs.
 *
 * When a *request* is malformed but its start line and the headers needed to answer it (the top Via, From, To,
 * Call-ID, CSeq) were readable, `partialRequest` holds what could be read and `rejection` the response a server
 * should send (RFC 3261 §8.2, RFC 4475 §3.1.2: usually `400 Bad Request`, `505` for an unknown SIP version).
 * Without them the message can only be dropped — always the case for responses (RFC 3261 §18.1.2).
 */
export class SipParseError extends TrunklineError {
  declare readonly code: SipParseErrorCode;
  readonly header: string | undefined;
  readonly line: number | undefined;
  /** The readable part of a malformed request; its views of the malformed parts still throw. */
  partialRequest: SipRequest | undefined;
  /** What to answer `partialRequest` with; present exactly when `partialRequest` is. */
  rejection: SipRejection | undefined;

  constructor(code: SipParseErrorCode, message: string, details: SipParseErrorDetails = {}) {
    super(code, message);
    this.header = details.header;
    this.line = details.line;
    this.partialRequest = undefined;
    this.rejection = undefined;
  }
}
