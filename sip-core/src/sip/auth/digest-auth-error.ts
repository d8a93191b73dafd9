import { TrunklineError } from '../../common/errors.js';

/**
 * The stable codes of `DigestAuthError`. Callers branch on these, never on the message text.
 *
 * - `ERR_DIGEST_MALFORMED`: a challenge or credentials header value does not follow the grammar of RFC 3261
 *   §25.1 / RFC 7616 §3.3–3.4, or lacks a required parameter.
 * - `ERR_DIGEST_UNSUPPORTED`: a well-formed header asks for something Trunkline does not implement (an
 *   unknown algorithm, a qop other than auth / auth-int, a scheme other than Digest).
 * - `ERR_DIGEST_NO_USABLE_CHALLENGE`: none of the challenges of a 401/407 can be answered with the configured
 *   credentials.
 * - `ERR_DIGEST_UNREPRESENTABLE`: a value cannot be written into a header (a control character in a
 *   username, for example).
 * - `ERR_DIGEST_BAD_SECRET`: a configured password or precomputed HA1 is unusable (wrong length, not hex).
 */
export type DigestAuthErrorCode =
  | 'ERR_DIGEST_MALFORMED'
  | 'ERR_DIGEST_UNSUPPORTED'
  | 'ERR_DIGEST_NO_USABLE_CHALLENGE'
  | 'ERR_DIGEST_UNREPRESENTABLE'
  | 'ERR_DIGEST_BAD_SECRET';

/**
 * The one error type of `sip/auth`. Its message names the parameter and position at fault but never echoes a
 * header value: an Authorization value carries a response digest, which is enough to attack a weak password
 * offline, so it stays out of logs.
 */
export class DigestAuthError extends TrunklineError {
  declare readonly code: DigestAuthErrorCode;

  constructor(code: DigestAuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
