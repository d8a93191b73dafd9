// The Digest algorithms Trunkline implements (RFC 7616 §3.3 and §6.1, applied to SIP by RFC 8760 §2.2).
// Each name pairs a hash with an optional "-sess" variant, whose HA1 also mixes in the nonce and cnonce
// (RFC 7616 §3.4.2). MD5 stays because RFC 3261 makes it the default and every PBX speaks it; SHA-256 is what
// Zentrunk offers on top; SHA-512-256 costs nothing extra with node:crypto.

import { createHash } from 'node:crypto';

/** The hash functions behind the algorithms; also the keys of precomputed HA1 maps. */
export type DigestHashName = 'MD5' | 'SHA-256' | 'SHA-512-256';

/** The algorithm tokens, spelled as RFC 7616 §6.1 registers them. */
export type DigestAlgorithm =
  'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';

export interface DigestAlgorithmInfo {
  readonly name: DigestAlgorithm;
  readonly hash: DigestHashName;
  /** True for the "-sess" variants: HA1 = H(H(user:realm:password):nonce:cnonce). */
  readonly session: boolean;
  /** Length of a digest in lower-case hex characters (MD5 32, the SHA-2 variants 64). */
  readonly hexLength: number;
}

const NODE_HASH: Record<DigestHashName, string> = {
  MD5: 'md5',
  'SHA-256': 'sha256',
  'SHA-512-256': 'sha512-256',
};

/** Length of each hash's digest in hex characters. */
export const DIGEST_HEX_LENGTH: Readonly<Record<DigestHashName, number>> = {
  MD5: 32,
  'SHA-256': 64,
  'SHA-512-256': 64,
};

function info(name: DigestAlgorithm, hash: DigestHashName, session: boolean): DigestAlgorithmInfo {
  return { name, hash, session, hexLength: DIGEST_HEX_LENGTH[hash] };
}

/** Every supported algorithm, in the order of the table in RFC 7616 §6.1. */
export const DIGEST_ALGORITHMS: readonly DigestAlgorithmInfo[] = [
  info('MD5', 'MD5', false),
  info('MD5-sess', 'MD5', true),
  info('SHA-256', 'SHA-256', false),
  info('SHA-256-sess', 'SHA-256', true),
  info('SHA-512-256', 'SHA-512-256', false),
  info('SHA-512-256-sess', 'SHA-512-256', true),
];

const BY_LOWER_NAME = new Map(DIGEST_ALGORITHMS.map((a) => [a.name.toLowerCase(), a]));

/**
 * A local preference from strongest to weakest, for a client that wants to rank challenges by strength
 * rather than by the server's order (see `selectDigestChallenge`).
 */
export const STRONGEST_FIRST: readonly DigestAlgorithm[] = [
  'SHA-512-256',
  'SHA-512-256-sess',
  'SHA-256',
  'SHA-256-sess',
  'MD5',
  'MD5-sess',
];

/**
 * Looks an algorithm token up, case-insensitively (servers write `md5` as often as `MD5`). An absent token
 * means MD5 (RFC 7616 §3.3, RFC 3261 §25.1). Returns undefined for an algorithm Trunkline does not implement.
 */
export function lookupDigestAlgorithm(token: string | undefined): DigestAlgorithmInfo | undefined {
  return BY_LOWER_NAME.get((token ?? 'MD5').toLowerCase());
}

/** The lower-case hex digest of `data` (strings are hashed as UTF-8, RFC 7616 §3.4.1 with charset=UTF-8). */
export function digestHash(hash: DigestHashName, data: string | Uint8Array): string {
  return createHash(NODE_HASH[hash]).update(data).digest('hex');
}
