import { reasonPhraseFor } from './reason-phrases.js';

/**
 * A response a server should send instead of processing a request: produced for malformed requests (carried by
 * `SipParseError.rejection`) and by `checkRequestAcceptability` for requests that parse but must be refused.
 */
export interface SipRejection {
  /** A stable identifier of the rule that refused the request, for traces and tests. */
  readonly code: string;
  readonly statusCode: number;
  /** The standard phrase with the problem in brackets, e.g. `Bad Request (missing Call-ID header)`. */
  readonly reasonPhrase: string;
  /**
   * The problem in a few words, fit for a `Warning: 399 <host> "<text>"` header (RFC 3261 §20.43). The text is
   * fixed per rule and never echoes the request.
   */
  readonly warningText: string;
  /** Headers the response must carry, e.g. `Unsupported` for 420, `Allow` for 405/501, `Accept` for 415. */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
}

/** A rejection with the standard phrase of `statusCode` followed by `detail` in brackets. */
export function createRejection(
  code: string,
  statusCode: number,
  detail: string,
  headers: ReadonlyArray<readonly [string, string]> = [],
): SipRejection {
  return Object.freeze({
    code,
    statusCode,
    reasonPhrase: `${reasonPhraseFor(statusCode)} (${detail})`,
    warningText: detail,
    headers,
  });
}
