// The answering side of Digest (RFC 3261 §22.2–22.3, RFC 7616 §3.4, RFC 8760): the softphone answering
// Zentrunk's 407, and the emulator answering a PBX's 401/407 when it delivers an inbound call.
//
// The client is stateful in two small ways, both bounded: it counts uses of each nonce, so that a nonce reused
// for a later request (preemptive authorization, or a server that repeats its nonce) gets nc=2, 3, …
// (RFC 7616 §3.4: "the nc value ... MUST be incremented"); and it remembers the last challenge per realm, so
// that `reauthorize` can answer a new request without waiting for another 401/407.

import { randomBytes } from 'node:crypto';
import { type DigestAlgorithm, digestHash } from './digest-algorithm.js';
import { DigestAuthError } from './digest-auth-error.js';
import type { DigestChallenge } from './digest-challenge.js';
import { type DigestCredentials, formatDigestCredentials } from './digest-credentials.js';
import { computeDigestResponse, type DigestRequest } from './digest-response.js';
import type { DigestSecret } from './digest-secret.js';
import { LruMap } from '../../common/lru-map.js';
import {
  assessDigestChallenge,
  type ChallengeSelectionOptions,
  selectDigestChallenge,
  type UsableChallenge,
} from './select-digest-challenge.js';

export interface DigestClientOptions {
  /** The authentication username (Zentrunk: the credential list username). */
  readonly username: string;
  readonly secret: DigestSecret;
  /** Answer only challenges for this realm, so a password is never offered to a realm it is not for. */
  readonly realm?: string;
  /** A local ranking of algorithms; by default the server's order decides (RFC 8760 §2.4). */
  readonly preferredAlgorithms?: readonly DigestAlgorithm[];
  /** Cnonce source; the default draws 16 bytes from the CSPRNG. Tests pass a fixed one. */
  readonly createCnonce?: () => string;
  /** How many nonces (and realms) to keep state for; the least recently used are forgotten. Default 32. */
  readonly maxTrackedNonces?: number;
}

/** One answer: the header value to send and what it was computed from. */
export interface DigestAuthorization {
  /** The Authorization / Proxy-Authorization header value. */
  readonly headerValue: string;
  readonly credentials: DigestCredentials;
  readonly challenge: DigestChallenge;
}

const DEFAULT_MAX_TRACKED_NONCES = 32;

function randomCnonce(): string {
  return randomBytes(16).toString('hex');
}

export class DigestClient {
  readonly #username: string;
  readonly #secret: DigestSecret;
  readonly #selection: ChallengeSelectionOptions;
  readonly #createCnonce: () => string;
  /** Uses per nonce. */
  readonly #nonceCounts: LruMap<string, number>;
  /** The last challenge answered, per realm, for `reauthorize`. */
  readonly #lastChallenge: LruMap<string, UsableChallenge>;

  constructor(options: DigestClientOptions) {
    this.#username = options.username;
    this.#secret = options.secret;
    this.#selection = {
      realm: options.realm,
      preferredAlgorithms: options.preferredAlgorithms,
      canAnswer: (hash, realm) => options.secret.canAnswer(hash, realm),
    };
    this.#createCnonce = options.createCnonce ?? randomCnonce;
    const capacity = options.maxTrackedNonces ?? DEFAULT_MAX_TRACKED_NONCES;
    this.#nonceCounts = new LruMap(capacity);
    this.#lastChallenge = new LruMap(capacity);
  }

  /**
   * Answers a 401/407: `challengeValues` are all its WWW-Authenticate or Proxy-Authenticate values in order.
   * Throws `DigestAuthError` (`ERR_DIGEST_NO_USABLE_CHALLENGE` when none can be answered).
   */
  respond(challengeValues: readonly string[], request: DigestRequest): DigestAuthorization {
    return this.#answer(selectDigestChallenge(challengeValues, this.#selection), request);
  }

  /** Answers one already parsed challenge. Throws `ERR_DIGEST_NO_USABLE_CHALLENGE` when it cannot. */
  authorize(challenge: DigestChallenge, request: DigestRequest): DigestAuthorization {
    const verdict = assessDigestChallenge(challenge, this.#selection);
    if (typeof verdict === 'string') {
      throw new DigestAuthError(
        'ERR_DIGEST_NO_USABLE_CHALLENGE',
        `The Digest challenge cannot be answered: ${verdict}.`,
      );
    }
    return this.#answer(verdict, request);
  }

  /**
   * Authorizes a new request with the last challenge seen for `realm` (or the only realm seen), before any
   * 401/407: the nonce count goes up by one. Returns undefined when there is no such challenge. The server may
   * still answer 401/407 (for example with stale=true when the nonce expired); answer that with `respond`.
   */
  reauthorize(request: DigestRequest, realm?: string): DigestAuthorization | undefined {
    const usable = realm !== undefined ? this.#lastChallenge.get(realm) : this.#lastChallenge.only();
    return usable === undefined ? undefined : this.#answer(usable, request);
  }

  /** Forgets the remembered challenges and nonce counts (after a transport change, for example). */
  reset(): void {
    this.#nonceCounts.clear();
    this.#lastChallenge.clear();
  }

  #nextNonceCount(nonce: string): number {
    const nc = (this.#nonceCounts.get(nonce) ?? 0) + 1;
    this.#nonceCounts.set(nonce, nc);
    return nc;
  }

  #answer(usable: UsableChallenge, request: DigestRequest): DigestAuthorization {
    const { challenge, algorithm, qop } = usable;
    const ha1 = this.#secret.ha1(algorithm.hash, this.#username, challenge.realm);
    if (ha1 === undefined) {
      throw new DigestAuthError(
        'ERR_DIGEST_NO_USABLE_CHALLENGE',
        `The configured secret has no ${algorithm.hash} HA1 for realm '${challenge.realm}'.`,
      );
    }
    // A cnonce is sent with every qop; the "-sess" algorithms need one as well (assessDigestChallenge makes
    // sure they come with a qop).
    const cnonce = qop !== undefined ? this.#createCnonce() : undefined;
    const nc = qop !== undefined ? this.#nextNonceCount(challenge.nonce) : undefined;
    const response = computeDigestResponse({
      algorithm: algorithm.name,
      ha1,
      nonce: challenge.nonce,
      method: request.method,
      uri: request.uri,
      qop,
      cnonce,
      nc,
      body: request.body,
    });
    const credentials: DigestCredentials = {
      // RFC 7616 §3.4.4: with userhash the username travels as H(username:realm); HA1 is unchanged.
      username: challenge.userhash
        ? digestHash(algorithm.hash, `${this.#username}:${challenge.realm}`)
        : this.#username,
      userhash: challenge.userhash,
      realm: challenge.realm,
      nonce: challenge.nonce,
      uri: request.uri,
      response,
      // The server's own spelling is echoed: some servers compare the token literally.
      algorithm: challenge.algorithm ?? algorithm.name,
      qop,
      cnonce,
      nc,
      opaque: challenge.opaque,
    };
    this.#lastChallenge.set(challenge.realm, usable);
    return { headerValue: formatDigestCredentials(credentials), credentials, challenge };
  }
}
