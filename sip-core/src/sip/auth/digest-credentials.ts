// Digest credentials: the value of one Authorization or Proxy-Authorization header field (RFC 3261 §22.2,
// §22.3 and §25.1 `digest-response`, RFC 7616 §3.4).

import {
  type AuthParam,
  type AuthParamStyle,
  DIGEST_SCHEME,
  formatAuthHeader,
  parseDigestHeader,
  readFlag,
  requireParam,
} from './auth-params.js';
import { DigestAuthError } from './digest-auth-error.js';
import { formatNonceCount } from './digest-response.js';

export interface DigestCredentials {
  /** The username, or its hash when `userhash` is true (RFC 7616 §3.4.4). */
  readonly username: string;
  readonly userhash: boolean;
  readonly realm: string;
  readonly nonce: string;
  /** The digest-uri: in SIP the Request-URI of the request (RFC 3261 §22.4). */
  readonly uri: string;
  /** The request digest in lower-case hex. */
  readonly response: string;
  /** The algorithm token as the client wrote it; undefined when absent, which means MD5. */
  readonly algorithm?: string;
  /** The chosen qop, lower-case; undefined for RFC 2069 credentials. */
  readonly qop?: string;
  readonly cnonce?: string;
  /** The nonce count as a number; present whenever `qop` is. */
  readonly nc?: number;
  readonly opaque?: string;
}

const WHAT = 'credentials';

/**
 * Decodes an RFC 8187 ext-value (`UTF-8''J%C3%A4s%C3%B8n`), the form RFC 7616 §3.4.4 uses in `username*` for
 * names a quoted-string cannot carry. Only UTF-8 is accepted, as RFC 7616 requires.
 */
function decodeExtValue(value: string): string {
  const match = /^([A-Za-z0-9!#$%&+\-^_`{}~]+)'[A-Za-z0-9-]*'(.*)$/.exec(value);
  if (!match || match[1]?.toLowerCase() !== 'utf-8') {
    throw new DigestAuthError(
      'ERR_DIGEST_MALFORMED',
      "The credentials' 'username*' is not a UTF-8 ext-value.",
    );
  }
  try {
    return decodeURIComponent(match[2] ?? '');
  } catch (error) {
    throw new DigestAuthError(
      'ERR_DIGEST_MALFORMED',
      "The credentials' 'username*' has a bad percent-escape.",
      {
        cause: error,
      },
    );
  }
}

function readUsername(params: ReadonlyMap<string, AuthParam>): string {
  const plain = params.get('username');
  const extended = params.get('username*');
  if (plain !== undefined && extended !== undefined) {
    throw new DigestAuthError(
      'ERR_DIGEST_MALFORMED',
      "The credentials carry both 'username' and 'username*'.",
    );
  }
  if (extended !== undefined) return decodeExtValue(extended.value);
  return requireParam(params, 'username', WHAT);
}

function readNonceCount(params: ReadonlyMap<string, AuthParam>): number {
  const raw = requireParam(params, 'nc', WHAT);
  // RFC 7616 §3.4: nc-value = 8LHEX. Upper-case hex is accepted: it is unambiguous and some stacks send it.
  if (!/^[0-9a-fA-F]{8}$/.test(raw)) {
    throw new DigestAuthError(
      'ERR_DIGEST_MALFORMED',
      "The credentials' 'nc' is not eight hexadecimal digits.",
    );
  }
  const nc = Number.parseInt(raw, 16);
  if (nc === 0) throw new DigestAuthError('ERR_DIGEST_MALFORMED', "The credentials' 'nc' must not be zero.");
  return nc;
}

/**
 * Parses one Authorization / Proxy-Authorization value. Requires username (or username*), realm, nonce, uri
 * and a hexadecimal response; with a qop also cnonce and an eight-digit nc. Whether the response has the
 * right length for its algorithm is the verifier's business. Throws `DigestAuthError` and nothing else.
 */
export function parseDigestCredentials(value: string): DigestCredentials {
  const params = parseDigestHeader(value, WHAT);
  const username = readUsername(params);
  const realm = requireParam(params, 'realm', WHAT);
  const nonce = requireParam(params, 'nonce', WHAT);
  const uri = requireParam(params, 'uri', WHAT);
  const response = requireParam(params, 'response', WHAT);
  if (!/^[0-9a-fA-F]+$/.test(response)) {
    throw new DigestAuthError('ERR_DIGEST_MALFORMED', "The credentials' 'response' is not hexadecimal.");
  }
  const qop = params.get('qop')?.value.toLowerCase();
  const cnonce = params.get('cnonce')?.value;
  if (qop !== undefined && cnonce === undefined) {
    throw new DigestAuthError('ERR_DIGEST_MALFORMED', "The credentials have a 'qop' but no 'cnonce'.");
  }
  return {
    username,
    userhash: readFlag(params.get('userhash')),
    realm,
    nonce,
    uri,
    response: response.toLowerCase(),
    algorithm: params.get('algorithm')?.value,
    qop,
    cnonce,
    nc: qop === undefined ? undefined : readNonceCount(params),
    opaque: params.get('opaque')?.value,
  };
}

/**
 * Serializes credentials. Strings RFC 7616 §3.4 wants quoted are quoted; algorithm, qop and nc are written
 * as tokens (RFC 3261 §25.1 `message-qop` and `nonce-count` are unquoted, and some servers compare literally).
 */
export function formatDigestCredentials(credentials: DigestCredentials): string {
  const params: Array<[string, string, AuthParamStyle]> = [
    ['username', credentials.username, 'quoted'],
    ['realm', credentials.realm, 'quoted'],
    ['nonce', credentials.nonce, 'quoted'],
    ['uri', credentials.uri, 'quoted'],
    ['response', credentials.response, 'quoted'],
  ];
  if (credentials.algorithm !== undefined) params.push(['algorithm', credentials.algorithm, 'token']);
  if (credentials.cnonce !== undefined) params.push(['cnonce', credentials.cnonce, 'quoted']);
  if (credentials.opaque !== undefined) params.push(['opaque', credentials.opaque, 'quoted']);
  if (credentials.qop !== undefined) {
    params.push(['qop', credentials.qop, 'token']);
    params.push(['nc', formatNonceCount(credentials.nc ?? 0), 'token']);
  }
  if (credentials.userhash) params.push(['userhash', 'true', 'token']);
  return formatAuthHeader(DIGEST_SCHEME, params);
}
