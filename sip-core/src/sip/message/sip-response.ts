import { reasonPhraseFor } from './reason-phrases.js';
import type { SipHeaders } from './sip-headers.js';
import { SipMessage } from './sip-message.js';
import { SipMessageError } from './sip-message-error.js';
import { SIP_VERSION } from './sip-request.js';

// Set by `fromWire` for the one constructor call that follows: the parser has checked the status line.
let constructingFromWire = false;

/** A SIP response (RFC 3261 §7.2): status code, reason phrase, headers, body. */
export class SipResponse extends SipMessage {
  readonly kind = 'response' as const;
  #statusCode: number;
  #reasonPhrase: string;
  #version = SIP_VERSION;

  constructor(statusCode: number, reasonPhrase?: string, headers?: SipHeaders, body?: Buffer) {
    super(headers, body);
    const trusted = constructingFromWire;
    constructingFromWire = false;
    this.#statusCode = trusted ? statusCode : checkStatus(statusCode);
    this.#reasonPhrase = trusted ? reasonPhrase! : checkReason(reasonPhrase ?? reasonPhraseFor(statusCode));
  }

  /** @internal Used by the parser. */
  static fromWire(
    statusCode: number,
    reasonPhrase: string,
    version: string,
    headers: SipHeaders,
    body: Buffer,
  ): SipResponse {
    constructingFromWire = true;
    const response = new SipResponse(statusCode, reasonPhrase, headers, body);
    response.#version = version;
    return response;
  }

  get version(): string {
    return this.#version;
  }

  /** 100 to 699. */
  get statusCode(): number {
    return this.#statusCode;
  }

  set statusCode(value: number) {
    this.#statusCode = checkStatus(value);
  }

  /** Free text, possibly empty or UTF-8 (RFC 4475 `noreason`, `unreason`). */
  get reasonPhrase(): string {
    return this.#reasonPhrase;
  }

  set reasonPhrase(value: string) {
    this.#reasonPhrase = checkReason(value);
  }

  /** 1 for provisional, 2 for success … 6 for global failure. */
  get statusClass(): number {
    return Math.floor(this.#statusCode / 100);
  }

  get startLine(): string {
    return `${this.version} ${this.#statusCode} ${this.#reasonPhrase}`;
  }
}

function checkStatus(code: number): number {
  if (!Number.isInteger(code) || code < 100 || code > 699) {
    throw new SipMessageError(
      'SIP_VALUE_OUT_OF_RANGE',
      'A SIP status code must be an integer from 100 to 699.',
    );
  }
  return code;
}

function checkReason(reason: string): string {
  if (/[\r\n]/.test(reason)) {
    throw new SipMessageError('SIP_HEADER_VALUE_INVALID', 'A reason phrase must not contain a line break.');
  }
  return reason;
}
