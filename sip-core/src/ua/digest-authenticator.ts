// sip.js answers 401/407 through an authenticator object it gets from `authenticationFactory` (patch 001). Stock
// sip.js reads only the last challenge field and knows MD5 only; this adapter hands every challenge field to our
// DigestClient (sip/auth), which answers the topmost algorithm it supports — SHA-256 or MD5 (RFC 8760 §2.4,
// ADR 0031). One DigestClient serves the whole user agent, so nonce counts carry across requests.
//
// The password lives in a DigestSecret inside the client: sip.js never sees it, and nothing here logs it.

import type { ChallengeAuthenticator } from 'sip.js/lib/api/index.js';
import type { IncomingResponseMessage, OutgoingRequestMessage } from 'sip.js/lib/core/index.js';
import { describeError } from '../common/errors.js';
import { AUTH_HEADER_NAMES, DigestAuthError, type DigestClient } from '../sip/auth/index.js';
import { parseSipMessage } from '../sip/message/index.js';

/** Why a challenge could not be answered (no usable algorithm, a malformed challenge, no response to read). */
export type AuthenticationFailure = (detail: string) => void;

export function createChallengeAuthenticator(
  client: DigestClient,
  onFailure: AuthenticationFailure,
): ChallengeAuthenticator {
  let headerValue = '';
  return {
    authenticate(
      request: OutgoingRequestMessage,
      _challenge: unknown,
      body?: string,
      response?: IncomingResponseMessage,
    ): boolean {
      if (response === undefined || typeof response.data !== 'string') {
        onFailure('the 401/407 response was not handed to the authenticator (sip.js patch 001 missing)');
        return false;
      }
      const status = response.statusCode === 401 ? 401 : 407;
      try {
        const parsed = parseSipMessage(Buffer.from(response.data, 'utf8'));
        const challenges = parsed.headers.getAll(AUTH_HEADER_NAMES[status].challenge);
        const answer = client.respond(challenges, {
          method: request.method,
          uri: request.ruri.toString(),
          ...(body !== undefined ? { body } : {}),
        });
        headerValue = answer.headerValue;
        return true;
      } catch (error) {
        onFailure(
          error instanceof DigestAuthError
            ? `the trunk's ${status} challenge cannot be answered: ${error.message}`
            : `the ${status} response could not be read: ${describeError(error)}`,
        );
        return false;
      }
    },
    toString(): string {
      return headerValue;
    },
  };
}
