// Passwords in account configs (credential lists, origination URIs) are wrapped so that logging an account,
// printing it with util.inspect or serialising it never shows them; only the digest code that needs the clear
// text asks for it by name.

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const REDACTED = '[redacted]';

export class SecretString {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The clear text, for digest computation only. */
  reveal(): string {
    return this.#value;
  }

  /** Compares with a candidate without exposing the secret to the caller. */
  equals(candidate: string): boolean {
    return candidate === this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [INSPECT](): string {
    return `SecretString(${REDACTED})`;
  }
}
