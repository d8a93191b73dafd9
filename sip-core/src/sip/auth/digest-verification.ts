// The outcome of checking a request's credentials, as a discriminated union the caller can map to a
// response without parsing strings. The mapping to SIP is offered by `digestVerificationAction`; what a
// particular server adds on top (Zentrunk: 403 with hangup code 4180 for wrong credentials, BEHAVIOUR.md §4.2
// row 5 and §20) belongs to the caller, not to this layer.

import type { DigestAlgorithm } from './digest-algorithm.js';
import type { DigestAuthError } from './digest-auth-error.js';
import type { DigestQop } from './digest-response.js';

export type DigestVerification =
  /** The credentials are valid: the request may proceed. */
  | {
      readonly kind: 'ok';
      readonly username: string;
      readonly algorithm: DigestAlgorithm;
      /** Undefined for RFC 2069 credentials (only when the server accepts them). */
      readonly qop: DigestQop | undefined;
      readonly nc: number | undefined;
      readonly nonceAgeMs: number;
    }
  /** The request carries no credentials for this realm. */
  | { readonly kind: 'missing' }
  /** Credentials are present, but only for other realms (RFC 3261 §22.3: they are someone else's). */
  | { readonly kind: 'wrong-realm'; readonly realms: readonly string[] }
  /** No credentials for this realm could be read; `error` says what is wrong (no secret in it). */
  | { readonly kind: 'malformed'; readonly error: DigestAuthError }
  /** Well-formed, but for something this server did not offer (algorithm, qop, userhash, legacy no-qop). */
  | { readonly kind: 'unsupported'; readonly username: string; readonly detail: string }
  /** The nonce was not issued by this server for this realm (forged, altered, another server's), or the
   *  opaque value is not ours. */
  | { readonly kind: 'invalid-nonce'; readonly username: string; readonly detail: string }
  /** The digest-uri is not the Request-URI (RFC 7616 §3.4.6 / RFC 2617 §3.2.2.5: credentials for another
   *  request). */
  | { readonly kind: 'uri-mismatch'; readonly username: string }
  /** No such user in this realm. */
  | { readonly kind: 'unknown-user'; readonly username: string }
  /** The response digest does not match: wrong password (or a client computing something else). */
  | { readonly kind: 'wrong-password'; readonly username: string; readonly algorithm: DigestAlgorithm }
  /** The digest is right but the nonce expired, or cannot be checked for replay any more: re-challenge with
   *  stale=true and the client retries without asking its user (RFC 7616 §3.3). */
  | {
      readonly kind: 'stale';
      readonly username: string;
      readonly reason: 'expired' | 'not-yet-valid' | 'untracked';
    }
  /** The digest is right but this nonce count was already used: a replay, or a client reusing nc. */
  | { readonly kind: 'replayed'; readonly username: string; readonly nc: number };

export type DigestVerificationKind = DigestVerification['kind'];

/**
 * What a SIP server does next:
 * - `accept`: process the request;
 * - `challenge`: answer 401/407 with fresh challenges (stale=false);
 * - `challenge-stale`: answer 401/407 with fresh challenges and stale=true;
 * - `forbid`: answer 403 (RFC 3261 §22.3 also allows re-challenging; Zentrunk answers 403);
 * - `bad-request`: answer 400, the credentials cannot be meant for this request.
 */
export type DigestAction = 'accept' | 'challenge' | 'challenge-stale' | 'forbid' | 'bad-request';

/** The RFC-conformant reaction to each outcome. */
export function digestVerificationAction(result: DigestVerification): DigestAction {
  switch (result.kind) {
    case 'ok':
      return 'accept';
    case 'missing':
    case 'wrong-realm':
    case 'unsupported':
    case 'invalid-nonce':
      return 'challenge';
    case 'stale':
    // A replayed count with a valid digest is what a replay attack looks like, but also what a confused honest
    // client looks like. A stale re-challenge lets the honest client retry with a fresh nonce, and a replayer
    // cannot answer a fresh nonce without the password.
    // falls through
    case 'replayed':
      return 'challenge-stale';
    case 'unknown-user':
    case 'wrong-password':
      return 'forbid';
    case 'malformed':
    case 'uri-mismatch':
      return 'bad-request';
  }
}
