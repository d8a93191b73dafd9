import type { SipHeaders } from './sip-headers.js';
import { isToken } from './sip-lexer.js';
import { SipMessage } from './sip-message.js';
import { SipMessageError } from './sip-message-error.js';
import { SipParseError } from './sip-parse-error.js';
import { parseUri, type Uri } from './uri.js';

/** The only version this stack speaks (RFC 3261 §7.1). */
export const SIP_VERSION = 'SIP/2.0';

// Set by `fromWire` for the one constructor call that follows: the parser has checked the method and checks the
// Request-URI later itself (after the headers, so that a request with a bad one can still be answered).
let constructingFromWire = false;

/** A SIP request (RFC 3261 §7.1): method, Request-URI, headers, body. */
export class SipRequest extends SipMessage {
  readonly kind = 'request' as const;
  #method: string;
  #uriText: string;
  #uri: Uri | undefined;
  #version = SIP_VERSION;

  constructor(method: string, requestUri: Uri | string, headers?: SipHeaders, body?: Buffer) {
    super(headers, body);
    const trusted = constructingFromWire;
    constructingFromWire = false;
    this.#method = trusted ? method : checkMethod(method);
    if (typeof requestUri === 'string') {
      this.#uriText = requestUri;
      if (!trusted) this.#uri = parseCodeUri(requestUri);
    } else {
      this.#uriText = requestUri.format();
      this.#uri = requestUri;
    }
  }

  /** @internal Used by the parser: the Request-URI is kept as text and parsed on first access. */
  static fromWire(
    method: string,
    uriText: string,
    version: string,
    headers: SipHeaders,
    body: Buffer,
  ): SipRequest {
    constructingFromWire = true;
    const request = new SipRequest(method, uriText, headers, body);
    request.#version = version;
    return request;
  }

  /** `SIP/2.0`; a parsed request with another version is refused with 505. */
  get version(): string {
    return this.#version;
  }

  /** The method, case-sensitive (RFC 3261 §7.1): `INVITE`, `ACK`… or any extension token. */
  get method(): string {
    return this.#method;
  }

  set method(value: string) {
    this.#method = checkMethod(value);
  }

  /**
   * The Request-URI. A parsed request validates it, so this only throws (`SIP_REQUEST_URI_MALFORMED`) on the
   * `partialRequest` of a parse error whose Request-URI was the problem.
   */
  get requestUri(): Uri {
    if (this.#uri === undefined) {
      try {
        this.#uri = parseUri(this.#uriText);
      } catch (error) {
        if (!(error instanceof SipParseError)) throw error;
        throw new SipParseError('SIP_REQUEST_URI_MALFORMED', `Request-URI (line 1): ${error.message}`, {
          line: 1,
        });
      }
    }
    return this.#uri;
  }

  set requestUri(value: Uri | string) {
    if (typeof value === 'string') {
      this.#uri = parseCodeUri(value);
      this.#uriText = value;
    } else {
      this.#uri = value;
      this.#uriText = value.format();
    }
  }

  /** The Request-URI exactly as it will be written. */
  get requestUriText(): string {
    return this.#uri === undefined ? this.#uriText : this.#uri.format();
  }

  get startLine(): string {
    return `${this.#method} ${this.requestUriText} ${this.version}`;
  }
}

function checkMethod(method: string): string {
  if (!isToken(method))
    throw new SipMessageError('SIP_HEADER_VALUE_INVALID', 'A SIP method must be a token.');
  return method;
}

function parseCodeUri(text: string): Uri {
  try {
    return parseUri(text);
  } catch {
    throw new SipMessageError('SIP_URI_INVALID', 'The Request-URI is not a valid URI.');
  }
}
