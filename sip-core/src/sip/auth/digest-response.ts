// The Digest arithmetic, shared by the client (which sends `response`) and the server (which recomputes it).
// Pure functions of their inputs: no randomness, no clock, no state.
//
//   HA1      = H(username ":" realm ":" password)                      RFC 7616 §3.4.2
//   HA1-sess = H(HA1 ":" nonce ":" cnonce)                              "-sess" algorithms
//   HA2      = H(method ":" uri)                                        qop=auth or no qop
//   HA2      = H(method ":" uri ":" H(body))                            qop=auth-int (RFC 7616 §3.4.3)
//   response = H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)       with qop (RFC 7616 §3.4.1)
//   response = H(HA1 ":" nonce ":" HA2)                                 no qop (RFC 2069, RFC 2617 §3.2.2.1)
//
// In SIP, `method` is the request method and `uri` the digest-uri, i.e. the Request-URI as sent
// (RFC 3261 §22.4); `body` is the message body, empty when there is none.

import {
  type DigestAlgorithm,
  type DigestHashName,
  digestHash,
  lookupDigestAlgorithm,
} from './digest-algorithm.js';
import { DigestAuthError } from './digest-auth-error.js';

/** The quality of protection values of RFC 7616 §3.3. */
export type DigestQop = 'auth' | 'auth-int';

/**
 * The facts of the request being authorized or verified; no message model is needed, so sip/auth stands
 * apart from sip/message.
 */
export interface DigestRequest {
  readonly method: string;
  /** The Request-URI exactly as written in the request line. */
  readonly uri: string;
  /** The message body; only read for qop=auth-int. Absent means no body. */
  readonly body?: string | Uint8Array;
}

export interface DigestResponseInput {
  readonly algorithm: DigestAlgorithm;
  /** H(username:realm:password) in lower-case hex, for the algorithm's hash (before any "-sess" step). */
  readonly ha1: string;
  readonly nonce: string;
  readonly method: string;
  /** The digest-uri: in SIP the Request-URI exactly as written in the request line. */
  readonly uri: string;
  /** Absent for the legacy RFC 2069 computation. */
  readonly qop?: DigestQop;
  /** Required with a qop and with every "-sess" algorithm. */
  readonly cnonce?: string;
  /** The nonce count (1-based); required with a qop. */
  readonly nc?: number;
  /** The message body for qop=auth-int; absent means an empty body. */
  readonly body?: string | Uint8Array;
}

/** H(username ":" realm ":" password), the HA1 a server may store instead of the password. */
export function computeHa1(hash: DigestHashName, username: string, realm: string, password: string): string {
  return digestHash(hash, `${username}:${realm}:${password}`);
}

/** The nc parameter: the count as exactly eight lower-case hex digits (RFC 7616 §3.4, `nc-value = 8LHEX`). */
export function formatNonceCount(nc: number): string {
  if (!Number.isInteger(nc) || nc < 1 || nc > 0xffffffff) {
    throw new DigestAuthError(
      'ERR_DIGEST_MALFORMED',
      'The nonce count must be an integer from 1 to 0xffffffff.',
    );
  }
  return nc.toString(16).padStart(8, '0');
}

/** Computes the `response` parameter in lower-case hex. Throws `DigestAuthError` for inconsistent input. */
export function computeDigestResponse(input: DigestResponseInput): string {
  const algorithm = lookupDigestAlgorithm(input.algorithm);
  if (!algorithm) {
    throw new DigestAuthError('ERR_DIGEST_UNSUPPORTED', 'The Digest algorithm is not supported.');
  }
  const { hash } = algorithm;
  const needsCnonce = input.qop !== undefined || algorithm.session;
  if (needsCnonce && input.cnonce === undefined) {
    throw new DigestAuthError(
      'ERR_DIGEST_MALFORMED',
      `A cnonce is required with ${input.qop ? `qop=${input.qop}` : algorithm.name}.`,
    );
  }
  const ha1 = algorithm.session ? digestHash(hash, `${input.ha1}:${input.nonce}:${input.cnonce}`) : input.ha1;
  const ha2 =
    input.qop === 'auth-int'
      ? digestHash(hash, `${input.method}:${input.uri}:${digestHash(hash, input.body ?? '')}`)
      : digestHash(hash, `${input.method}:${input.uri}`);
  if (input.qop === undefined) return digestHash(hash, `${ha1}:${input.nonce}:${ha2}`);
  if (input.nc === undefined) {
    throw new DigestAuthError('ERR_DIGEST_MALFORMED', `A nonce count is required with qop=${input.qop}.`);
  }
  const nc = formatNonceCount(input.nc);
  return digestHash(hash, `${ha1}:${input.nonce}:${nc}:${input.cnonce}:${input.qop}:${ha2}`);
}
