// Which of the challenges of one 401/407 a client answers.
//
// A server may send several WWW-Authenticate / Proxy-Authenticate fields, one per algorithm, "in the order in
// which it would prefer to see them used" (RFC 8760 §2.3), and the client "SHOULD use the topmost header field
// that it supports unless a local policy dictates otherwise" (§2.4). That is the default here: the first
// challenge Trunkline can answer wins, so "SHA-256 first, MD5 second" yields SHA-256 and the reverse yields
// MD5. A caller may pass `preferredAlgorithms` as such a local policy (for example STRONGEST_FIRST, which
// removes the downgrade lever RFC 8760 §3 warns about: an on-path attacker reordering the fields); ties and
// algorithms missing from that list keep the server's order.

import { parseDigestChallenge, type DigestChallenge } from './digest-challenge.js';
import { DigestAuthError } from './digest-auth-error.js';
import {
  type DigestAlgorithm,
  type DigestAlgorithmInfo,
  type DigestHashName,
  lookupDigestAlgorithm,
} from './digest-algorithm.js';
import type { DigestQop } from './digest-response.js';

export interface ChallengeSelectionOptions {
  /** When set, only challenges for this realm are answered (the domain the credentials belong to). */
  readonly realm?: string;
  /** A local ranking of algorithms; by default the server's order decides. */
  readonly preferredAlgorithms?: readonly DigestAlgorithm[];
  /** Whether the caller's secret can answer `hash` in `realm` (a precomputed HA1 may exist for MD5 only). */
  readonly canAnswer?: (hash: DigestHashName, realm: string) => boolean;
}

/** A challenge the client can answer, with the algorithm and qop it will use. */
export interface UsableChallenge {
  readonly challenge: DigestChallenge;
  readonly algorithm: DigestAlgorithmInfo;
  /** Undefined when the challenge offers no qop (RFC 2069 compatibility). */
  readonly qop: DigestQop | undefined;
}

/**
 * Decides whether `challenge` can be answered under `options`; returns the reason in words when it cannot.
 * With both qops offered, `auth` is chosen: SIP proxies may legitimately rewrite bodies (RFC 3261 §16.6 does
 * not forbid it) and `auth` is what every deployed server verifies; sip.js makes the same choice.
 */
export function assessDigestChallenge(
  challenge: DigestChallenge,
  options: ChallengeSelectionOptions = {},
): UsableChallenge | string {
  const algorithm = lookupDigestAlgorithm(challenge.algorithm);
  if (!algorithm)
    return `it uses algorithm '${challenge.algorithm ?? ''}', which Trunkline does not implement`;
  if (options.realm !== undefined && challenge.realm !== options.realm) {
    return `it is for realm '${challenge.realm}', not '${options.realm}'`;
  }
  if (options.canAnswer && !options.canAnswer(algorithm.hash, challenge.realm)) {
    return `the configured secret has no ${algorithm.hash} HA1 for realm '${challenge.realm}'`;
  }
  let qop: DigestQop | undefined;
  if (challenge.qop !== undefined) {
    if (challenge.qop.includes('auth')) qop = 'auth';
    else if (challenge.qop.includes('auth-int')) qop = 'auth-int';
    else return `it offers only qop '${challenge.qop.join(',')}'`;
  }
  if (algorithm.session && qop === undefined) return `${algorithm.name} requires a qop, and none is offered`;
  return { challenge, algorithm, qop };
}

function rank(preferred: readonly DigestAlgorithm[] | undefined, algorithm: DigestAlgorithm): number {
  const index = preferred?.indexOf(algorithm) ?? -1;
  return index < 0 ? Number.MAX_SAFE_INTEGER : index;
}

/**
 * Picks the challenge to answer among the values of the WWW-Authenticate or Proxy-Authenticate fields of one
 * response, in the order they appeared. Other schemes and malformed values are skipped, not fatal, so that a
 * broken or unknown extra field cannot block a usable Digest one. Throws `ERR_DIGEST_NO_USABLE_CHALLENGE`
 * listing why each value was passed over.
 */
export function selectDigestChallenge(
  values: readonly string[],
  options: ChallengeSelectionOptions = {},
): UsableChallenge {
  const reasons: string[] = [];
  let best: UsableChallenge | undefined;
  values.forEach((value, index) => {
    let verdict: UsableChallenge | string;
    try {
      verdict = assessDigestChallenge(parseDigestChallenge(value), options);
    } catch (error) {
      verdict = error instanceof DigestAuthError ? error.message : 'it could not be read';
    }
    if (typeof verdict === 'string') {
      reasons.push(`#${index + 1}: ${verdict}`);
      return;
    }
    const preferred = options.preferredAlgorithms;
    if (
      best === undefined ||
      rank(preferred, verdict.algorithm.name) < rank(preferred, best.algorithm.name)
    ) {
      best = verdict;
    }
  });
  if (best !== undefined) return best;
  const detail = values.length === 0 ? 'the response carries no challenge' : reasons.join('; ');
  throw new DigestAuthError(
    'ERR_DIGEST_NO_USABLE_CHALLENGE',
    `No Digest challenge can be answered (${detail}).`,
  );
}
