// The challenging side of Digest (RFC 3261 §22.1 and §22.3, RFC 7616 §3.3 and §3.5, RFC 8760 §2.3): the
// emulator issuing 407 to a PBX or softphone on a credential trunk and checking what comes back.
//
// A pure processor: it reads the clock but starts no timer, touches no socket and keeps no per-call state.
// Nonces are stateless (digest-nonce.ts), so a challenge costs nothing to remember; the only memory is the
// optional, bounded nonce-count tracker. One instance serves every realm (every trunk domain) with one secret.

import { createHmac, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../common/clock.js';
import { type DigestAlgorithm, type DigestAlgorithmInfo, lookupDigestAlgorithm } from './digest-algorithm.js';
import { DigestAuthError } from './digest-auth-error.js';
import { formatDigestChallenge } from './digest-challenge.js';
import { type DigestCredentials, parseDigestCredentials } from './digest-credentials.js';
import { issueDigestNonce, openDigestNonce } from './digest-nonce.js';
import { computeDigestResponse, type DigestQop, type DigestRequest } from './digest-response.js';
import type { DigestSecret } from './digest-secret.js';
import type { DigestVerification } from './digest-verification.js';
import { LruMap } from '../../common/lru-map.js';
import { NonceCountTracker } from './nonce-count-tracker.js';

export interface DigestServerOptions {
  /** Read for the nonce time stamps (`wallNow`); no timer is ever started. */
  readonly clock: Clock;
  /**
   * The HMAC key binding nonces to this server, at least 16 bytes. Default: 32 random bytes, so nonces die
   * with the process (clients simply get a stale re-challenge after a restart).
   */
  readonly secret?: Uint8Array;
  /**
   * The algorithms offered, one challenge header each, most preferred first (RFC 8760 §2.3). Default
   * ['MD5']: Zentrunk's default (BEHAVIOUR.md §20), and the only one sip.js and many PBXs answer. To offer
   * SHA-256 as well, use ['SHA-256', 'MD5']: RFC 8760 clients take the topmost they support, and sip.js 0.21.2,
   * which keeps only the last Proxy-Authenticate field, still finds MD5 there. No order suits every peer:
   * SIPp 3.6.1 answers only the first challenge, and baresip 1.0.0 gives up on any SHA-256 challenge (the
   * README's peer table, checked by digest-auth.interop.test.ts).
   */
  readonly algorithms?: readonly DigestAlgorithm[];
  /** The qop values offered. Default ['auth'] (what Zentrunk and SIPp use). */
  readonly qop?: readonly DigestQop[];
  /** How long a nonce is accepted after issue. Default 300 s, Kamailio's `nonce_expire` default. */
  readonly nonceLifetimeMs?: number;
  /** Track nonce counts to refuse replays (bounded memory), or false. Default { maxNonces: 10 000 }. */
  readonly replayProtection?: false | { readonly maxNonces: number };
  /**
   * Accept RFC 2069 credentials without qop although the challenge offered one. Default false: RFC 7616 §3.4
   * requires the client to use a qop the server offered, and without one there is no cnonce or nc, so replays
   * within the nonce lifetime cannot be detected.
   */
  readonly acceptLegacyNoQop?: boolean;
  /**
   * How the credentials' digest-uri must relate to the Request-URI (RFC 7616 §3.4.6). Default 'exact'.
   * 'same-host' accepts any URI naming the same host and port, which is what SIPp's [authentication] sends
   * unless it is given -auth_uri (uri="sip:remote_ip:remote_port"); the credentials stay bound to this server.
   */
  readonly digestUriCheck?: DigestUriCheck;
}

/** See `DigestServerOptions.digestUriCheck`. */
export type DigestUriCheck = 'exact' | 'same-host' | 'off';

export interface CreateChallengesOptions {
  /** The protection space: in the emulator, the trunk domain. */
  readonly realm: string;
  /** Set after a `stale` or `replayed` verification (RFC 7616 §3.3). */
  readonly stale?: boolean;
  /** Optional protection-space URIs (RFC 7616 §3.3 `domain`). */
  readonly domain?: readonly string[];
}

export interface DigestVerifyInput {
  readonly realm: string;
  /** Every Authorization (401 flow) or Proxy-Authorization (407 flow) value of the request, in order. */
  readonly credentials: readonly string[];
  readonly request: DigestRequest;
  /**
   * The user's secret in `realm`, or undefined for an unknown user. Called once per verification; exceptions
   * it throws are the caller's bugs and propagate.
   */
  readonly lookup: (username: string, realm: string) => DigestSecret | undefined;
}

const DEFAULT_NONCE_LIFETIME_MS = 300_000;
const DEFAULT_MAX_TRACKED_NONCES = 10_000;
const MIN_SECRET_BYTES = 16;
/** Nonces stamped up to this far in the future are accepted (a wall clock stepped back a little). */
const MAX_FUTURE_SKEW_MS = 2_000;
const OPAQUE_BYTES = 16;
/** Realms whose opaque value is cached (an emulator has one realm per trunk). */
const MAX_CACHED_REALMS = 1024;

interface CandidateCredentials {
  readonly credentials: DigestCredentials;
}

/** Host and port of a sip:/sips: URI, host lower-cased (RFC 3261 §19.1.4 compares hosts case-insensitively). */
function hostAndPort(uri: string): string | undefined {
  const match = /^sips?:(?:[^@;?]*@)?(\[[^\]]+\]|[^:;?>]+)(:\d+)?/i.exec(uri.trim());
  return match ? `${(match[1] ?? '').toLowerCase()}${match[2] ?? ''}` : undefined;
}

function digestUriMatches(check: DigestUriCheck, digestUri: string, requestUri: string): boolean {
  switch (check) {
    case 'exact':
      return digestUri === requestUri;
    case 'same-host': {
      const host = hostAndPort(requestUri);
      return digestUri === requestUri || (host !== undefined && hostAndPort(digestUri) === host);
    }
    case 'off':
      return true;
  }
}

export class DigestServer {
  readonly #clock: Clock;
  readonly #key: KeyObject;
  readonly #algorithms: readonly DigestAlgorithmInfo[];
  readonly #qop: readonly DigestQop[];
  readonly #nonceLifetimeMs: number;
  readonly #tracker: NonceCountTracker | undefined;
  readonly #acceptLegacyNoQop: boolean;
  readonly #digestUriCheck: DigestUriCheck;
  readonly #opaques = new LruMap<string, string>(MAX_CACHED_REALMS);

  constructor(options: DigestServerOptions) {
    this.#clock = options.clock;
    const secret = options.secret ?? randomBytes(32);
    if (secret.length < MIN_SECRET_BYTES) {
      throw new DigestAuthError(
        'ERR_DIGEST_BAD_SECRET',
        `The nonce secret must be at least ${MIN_SECRET_BYTES} bytes.`,
      );
    }
    // A KeyObject keeps the bytes out of util.inspect and JSON output.
    this.#key = createSecretKey(Buffer.from(secret));
    this.#algorithms = (options.algorithms ?? ['MD5']).map((name) => {
      const info = lookupDigestAlgorithm(name);
      if (!info) {
        throw new DigestAuthError('ERR_DIGEST_UNSUPPORTED', `'${name}' is not a supported Digest algorithm.`);
      }
      return info;
    });
    if (this.#algorithms.length === 0) {
      throw new DigestAuthError('ERR_DIGEST_UNSUPPORTED', 'At least one Digest algorithm must be offered.');
    }
    this.#qop = options.qop ?? ['auth'];
    this.#nonceLifetimeMs = options.nonceLifetimeMs ?? DEFAULT_NONCE_LIFETIME_MS;
    const replay = options.replayProtection ?? { maxNonces: DEFAULT_MAX_TRACKED_NONCES };
    this.#tracker =
      replay === false
        ? undefined
        : new NonceCountTracker({ maxNonces: replay.maxNonces, createdAtMs: this.#clock.wallNow() });
    this.#acceptLegacyNoQop = options.acceptLegacyNoQop ?? false;
    this.#digestUriCheck = options.digestUriCheck ?? 'exact';
  }

  /**
   * The WWW-Authenticate / Proxy-Authenticate values for a 401/407, one per algorithm in preference order
   * (RFC 8760 §2.3). All share one fresh nonce: the client answers only one of them.
   */
  createChallenges(options: CreateChallengesOptions): string[] {
    const nonce = issueDigestNonce(this.#key, options.realm, this.#clock.wallNow());
    const opaque = this.#opaqueFor(options.realm);
    return this.#algorithms.map((algorithm) =>
      formatDigestChallenge({
        realm: options.realm,
        nonce,
        opaque,
        stale: options.stale ?? false,
        algorithm: algorithm.name,
        qop: this.#qop.length > 0 ? this.#qop : undefined,
        domain: options.domain,
        userhash: false,
      }),
    );
  }

  /**
   * Checks a request's credentials for `realm`. Never throws for anything the peer sent: every problem is a
   * `DigestVerification` outcome (see `digestVerificationAction` for the SIP response to give).
   */
  verify(input: DigestVerifyInput): DigestVerification {
    try {
      return this.#verify(input);
    } catch (error) {
      // Every DigestAuthError is about the peer's input; anything else is a bug and must surface.
      if (error instanceof DigestAuthError) return { kind: 'malformed', error };
      throw error;
    }
  }

  #verify(input: DigestVerifyInput): DigestVerification {
    const found = this.#findCredentials(input);
    if ('kind' in found) return found;
    const { credentials } = found;
    const { username } = credentials;

    const algorithm = lookupDigestAlgorithm(credentials.algorithm);
    if (!algorithm || !this.#algorithms.some((offered) => offered.name === algorithm.name)) {
      return {
        kind: 'unsupported',
        username,
        detail: `algorithm '${credentials.algorithm ?? 'MD5'}' was not offered`,
      };
    }
    const qop = this.#qop.find((offered) => offered === credentials.qop);
    if (credentials.qop === undefined) {
      if (algorithm.session) return this.#malformed(`${algorithm.name} credentials need a qop.`);
      if (this.#qop.length > 0 && !this.#acceptLegacyNoQop) {
        return { kind: 'unsupported', username, detail: 'credentials without qop are not accepted' };
      }
    } else if (qop === undefined) {
      return { kind: 'unsupported', username, detail: `qop '${credentials.qop}' was not offered` };
    }
    if (credentials.userhash) {
      return { kind: 'unsupported', username, detail: 'userhash was not offered' };
    }
    if (credentials.response.length !== algorithm.hexLength) {
      return this.#malformed(
        `The ${algorithm.name} response must be ${algorithm.hexLength} hexadecimal characters.`,
      );
    }

    const opened = openDigestNonce(this.#key, input.realm, credentials.nonce);
    if (!opened) {
      return { kind: 'invalid-nonce', username, detail: 'the nonce was not issued here for this realm' };
    }
    if (credentials.opaque !== undefined && credentials.opaque !== this.#opaqueFor(input.realm)) {
      return { kind: 'invalid-nonce', username, detail: 'the opaque value was not issued here' };
    }
    if (!digestUriMatches(this.#digestUriCheck, credentials.uri, input.request.uri)) {
      return { kind: 'uri-mismatch', username };
    }

    const secret = input.lookup(username, input.realm);
    const ha1 = secret?.ha1(algorithm.hash, username, input.realm);
    // An unknown user costs the same hashing as a known one, so response times do not reveal which usernames
    // exist; the dummy HA1 can never produce a match that counts.
    const expected = computeDigestResponse({
      algorithm: algorithm.name,
      ha1: ha1 ?? '0'.repeat(algorithm.hexLength),
      nonce: credentials.nonce,
      method: input.request.method,
      uri: credentials.uri,
      qop,
      cnonce: credentials.cnonce,
      nc: credentials.nc,
      body: input.request.body,
    });
    const matches = timingSafeEqual(
      Buffer.from(expected, 'latin1'),
      Buffer.from(credentials.response, 'latin1'),
    );
    if (secret === undefined) return { kind: 'unknown-user', username };
    if (ha1 === undefined) {
      return { kind: 'unsupported', username, detail: `no ${algorithm.hash} secret is stored for this user` };
    }
    if (!matches) return { kind: 'wrong-password', username, algorithm: algorithm.name };

    // Only now, with a digest proven right, may the nonce be called stale (RFC 7616 §3.3: stale=true means
    // "the nonce is invalid but with a valid digest for that nonce").
    const nowMs = this.#clock.wallNow();
    const nonceAgeMs = nowMs - opened.issuedAtMs;
    if (nonceAgeMs > this.#nonceLifetimeMs) return { kind: 'stale', username, reason: 'expired' };
    if (nonceAgeMs < -MAX_FUTURE_SKEW_MS) return { kind: 'stale', username, reason: 'not-yet-valid' };
    if (this.#tracker && credentials.nc !== undefined) {
      const verdict = this.#tracker.use(credentials.nonce, opened.issuedAtMs, credentials.nc);
      if (verdict === 'replayed') return { kind: 'replayed', username, nc: credentials.nc };
      if (verdict === 'untracked') return { kind: 'stale', username, reason: 'untracked' };
    }
    return { kind: 'ok', username, algorithm: algorithm.name, qop, nc: credentials.nc, nonceAgeMs };
  }

  /**
   * Picks the credentials for `realm` among the values (RFC 3261 §22.3: a server looks for the ones carrying
   * its realm and ignores the others). Unreadable values are skipped unless nothing else is usable.
   */
  #findCredentials(input: DigestVerifyInput): CandidateCredentials | DigestVerification {
    if (input.credentials.length === 0) return { kind: 'missing' };
    const otherRealms: string[] = [];
    let firstError: DigestAuthError | undefined;
    for (const value of input.credentials) {
      let credentials: DigestCredentials;
      try {
        credentials = parseDigestCredentials(value);
      } catch (error) {
        if (!(error instanceof DigestAuthError)) throw error;
        firstError ??= error;
        continue;
      }
      if (credentials.realm === input.realm) return { credentials };
      otherRealms.push(credentials.realm);
    }
    if (firstError !== undefined) return { kind: 'malformed', error: firstError };
    return { kind: 'wrong-realm', realms: otherRealms };
  }

  #malformed(message: string): DigestVerification {
    return { kind: 'malformed', error: new DigestAuthError('ERR_DIGEST_MALFORMED', message) };
  }

  /**
   * A per-realm opaque value derived from the secret: stable, so it needs no state and only a cache, and it
   * means nothing to anyone else.
   */
  #opaqueFor(realm: string): string {
    let opaque = this.#opaques.get(realm);
    if (opaque === undefined) {
      opaque = createHmac('sha256', this.#key)
        .update('opaque\u0000')
        .update(realm, 'utf8')
        .digest()
        .subarray(0, OPAQUE_BYTES)
        .toString('base64url');
      this.#opaques.set(realm, opaque);
    }
    return opaque;
  }
}
