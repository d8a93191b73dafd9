import { randomBytes, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';
import { SrtpError } from './srtp-error.js';
import type { SrtpProfile } from './srtp-profile.js';

// An SRTP master key and master salt (RFC 3711 §3.2.1), as SDES carries them (key||salt). The secret never leaves
// through logging: JSON, string conversion and util.inspect all print a placeholder, and the bytes live in private
// fields that inspection does not show. Code that needs the bytes asks for them explicitly.

const REDACTED = '[redacted SRTP master key]';

export class SrtpMasterKey {
  readonly #key: Buffer;
  readonly #salt: Buffer;

  constructor(key: Uint8Array, salt: Uint8Array) {
    this.#key = Buffer.from(key);
    this.#salt = Buffer.from(salt);
  }

  /** Fresh random key material for `profile` (RFC 4568 §8.1: keys come from a cryptographically strong source). */
  static generate(profile: SrtpProfile, random: (size: number) => Buffer = randomBytes): SrtpMasterKey {
    const keySalt = random(profile.masterKeyBytes + profile.masterSaltBytes);
    return SrtpMasterKey.fromKeySalt(keySalt, profile);
  }

  /** Splits SDES `key||salt` octets; throws when the length does not fit the profile. */
  static fromKeySalt(keySalt: Uint8Array, profile: SrtpProfile): SrtpMasterKey {
    const expected = profile.masterKeyBytes + profile.masterSaltBytes;
    if (keySalt.length !== expected) {
      throw new SrtpError(
        'SRTP_KEY_LENGTH',
        `${profile.name} needs ${expected} octets of master key and salt, got ${keySalt.length}`,
      );
    }
    return new SrtpMasterKey(
      keySalt.subarray(0, profile.masterKeyBytes),
      keySalt.subarray(profile.masterKeyBytes),
    );
  }

  /** A copy of the master key. */
  get key(): Buffer {
    return Buffer.from(this.#key);
  }

  /** A copy of the master salt. */
  get salt(): Buffer {
    return Buffer.from(this.#salt);
  }

  /** key||salt, as SDES encodes it in `inline:`. */
  keySalt(): Buffer {
    return Buffer.concat([this.#key, this.#salt]);
  }

  /** Constant-time comparison. */
  equals(other: SrtpMasterKey): boolean {
    const mine = this.keySalt();
    const theirs = other.keySalt();
    return mine.length === theirs.length && timingSafeEqual(mine, theirs);
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
