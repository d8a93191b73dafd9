// What a Digest party knows: a password, or precomputed HA1 values (RFC 7616 §3.4.2; sip.js calls it
// `authorizationHa1`, Asterisk `md5_cred`). The material lives in #private fields, and every way an object can
// be turned into text (String(), template literals, JSON.stringify, util.inspect, console.log) prints a
// placeholder, so a secret cannot leak into a log line, an error message or a trace event by accident.

import { DIGEST_HEX_LENGTH, type DigestHashName } from './digest-algorithm.js';
import { DigestAuthError } from './digest-auth-error.js';
import { computeHa1 } from './digest-response.js';

const REDACTED = 'DigestSecret [redacted]';
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Precomputed HA1 values keyed by hash; each is H(username:realm:password) in hex. */
export type DigestHa1Map = Partial<Record<DigestHashName, string>>;

export class DigestSecret {
  readonly #password: string | undefined;
  readonly #ha1: Readonly<DigestHa1Map>;
  readonly #ha1Realm: string | undefined;

  private constructor(password: string | undefined, ha1: DigestHa1Map, ha1Realm: string | undefined) {
    this.#password = password;
    this.#ha1 = ha1;
    this.#ha1Realm = ha1Realm;
  }

  /** A secret that can answer every algorithm in any realm. The password is hashed as UTF-8. */
  static fromPassword(password: string): DigestSecret {
    if (typeof password !== 'string') {
      throw new DigestAuthError('ERR_DIGEST_BAD_SECRET', 'A Digest password must be a string.');
    }
    return new DigestSecret(password, {}, undefined);
  }

  /**
   * A secret made of precomputed HA1 values, one per hash it can answer. An HA1 is bound to the realm it was
   * computed for; pass `realm` so that a challenge from another realm is refused instead of answered wrongly.
   */
  static fromHa1(ha1: DigestHa1Map, options: { realm?: string } = {}): DigestSecret {
    const normalized: DigestHa1Map = {};
    for (const [hash, value] of Object.entries(ha1) as Array<[DigestHashName, string | undefined]>) {
      if (value === undefined) continue;
      // Own properties only: a key such as 'constructor' must not find something on the prototype.
      const expected = Object.hasOwn(DIGEST_HEX_LENGTH, hash) ? DIGEST_HEX_LENGTH[hash] : undefined;
      if (expected === undefined) {
        throw new DigestAuthError('ERR_DIGEST_BAD_SECRET', `'${hash}' is not a Digest hash name.`);
      }
      if (value.length !== expected || !/^[0-9a-fA-F]+$/.test(value)) {
        throw new DigestAuthError(
          'ERR_DIGEST_BAD_SECRET',
          `The precomputed ${hash} HA1 must be ${expected} hexadecimal characters.`,
        );
      }
      normalized[hash] = value.toLowerCase();
    }
    if (Object.keys(normalized).length === 0) {
      throw new DigestAuthError('ERR_DIGEST_BAD_SECRET', 'At least one precomputed HA1 value is required.');
    }
    return new DigestSecret(undefined, normalized, options.realm);
  }

  /** Whether this secret can produce HA1 for `hash` in `realm`. */
  canAnswer(hash: DigestHashName, realm: string): boolean {
    if (this.#password !== undefined) return true;
    return this.#ha1[hash] !== undefined && (this.#ha1Realm === undefined || this.#ha1Realm === realm);
  }

  /** H(username:realm:password) for `hash`, or undefined when `canAnswer` is false. */
  ha1(hash: DigestHashName, username: string, realm: string): string | undefined {
    if (this.#password !== undefined) return computeHa1(hash, username, realm, this.#password);
    return this.canAnswer(hash, realm) ? this.#ha1[hash] : undefined;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [INSPECT](): string {
    return REDACTED;
  }
}
