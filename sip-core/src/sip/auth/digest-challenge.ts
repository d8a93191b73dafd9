// A Digest challenge: the value of one WWW-Authenticate (401) or Proxy-Authenticate (407) header field
// (RFC 3261 §22.1 and §25.1 `digest-cln`, RFC 7616 §3.3 for the parameters added since RFC 2617).

import {
  type AuthParamStyle,
  DIGEST_SCHEME,
  formatAuthHeader,
  parseDigestHeader,
  readFlag,
  requireParam,
} from './auth-params.js';
import { DigestAuthError } from './digest-auth-error.js';

export interface DigestChallenge {
  /** The protection space; in the emulator the trunk domain (BEHAVIOUR.md §20). */
  readonly realm: string;
  readonly nonce: string;
  /** Opaque server data the client returns unchanged. */
  readonly opaque?: string;
  /** True when the previous credentials were right but their nonce had expired (RFC 7616 §3.3). */
  readonly stale: boolean;
  /** The algorithm token as the server wrote it; undefined when absent, which means MD5. */
  readonly algorithm?: string;
  /** The qop values offered, lower-case; undefined when absent (an RFC 2069 server). */
  readonly qop?: readonly string[];
  /** The protection space URIs of RFC 7616 §3.3 (space-separated in the header). */
  readonly domain?: readonly string[];
  /** The server accepts (and asks for) a hashed username (RFC 7616 §3.4.4). */
  readonly userhash: boolean;
  /** Only "UTF-8" is defined (RFC 7616 §3.3); kept as written. */
  readonly charset?: string;
}

function splitList(value: string, separator: RegExp): string[] {
  return value
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * Parses one WWW-Authenticate / Proxy-Authenticate value. Requires realm and nonce (RFC 3261 §25.1 lists
 * them; a challenge without them cannot be answered). Throws `DigestAuthError` and nothing else.
 */
export function parseDigestChallenge(value: string): DigestChallenge {
  const what = 'challenge';
  const params = parseDigestHeader(value, what);
  const realm = requireParam(params, 'realm', what);
  const nonce = requireParam(params, 'nonce', what);
  const qopParam = params.get('qop');
  let qop: string[] | undefined;
  if (qopParam !== undefined) {
    // RFC 3261 §25.1: qop-options = "qop" EQUAL LDQUOT qop-value *("," qop-value) RDQUOT.
    qop = splitList(qopParam.value.toLowerCase(), /,/);
    if (qop.length === 0)
      throw new DigestAuthError('ERR_DIGEST_MALFORMED', `The ${what} has an empty 'qop'.`);
  }
  const domain = params.get('domain');
  return {
    realm,
    nonce,
    opaque: params.get('opaque')?.value,
    stale: readFlag(params.get('stale')),
    algorithm: params.get('algorithm')?.value,
    qop,
    domain: domain === undefined ? undefined : splitList(domain.value, /[ \t]+/),
    userhash: readFlag(params.get('userhash')),
    charset: params.get('charset')?.value,
  };
}

/** Serializes a challenge in the conventional order realm, nonce, opaque, algorithm, qop, stale, …. */
export function formatDigestChallenge(challenge: DigestChallenge): string {
  const params: Array<[string, string, AuthParamStyle]> = [
    ['realm', challenge.realm, 'quoted'],
    ['nonce', challenge.nonce, 'quoted'],
  ];
  if (challenge.opaque !== undefined) params.push(['opaque', challenge.opaque, 'quoted']);
  if (challenge.algorithm !== undefined) params.push(['algorithm', challenge.algorithm, 'token']);
  if (challenge.qop !== undefined) params.push(['qop', challenge.qop.join(','), 'quoted']);
  if (challenge.stale) params.push(['stale', 'true', 'token']);
  if (challenge.domain !== undefined) params.push(['domain', challenge.domain.join(' '), 'quoted']);
  if (challenge.charset !== undefined) params.push(['charset', challenge.charset, 'token']);
  if (challenge.userhash) params.push(['userhash', 'true', 'token']);
  return formatAuthHeader(DIGEST_SCHEME, params);
}
