// Any URI whose scheme this stack does not interpret (RFC 3261 §19: `absoluteURI` of RFC 2396), such as
// `isbn:2983792873`, `http://www.example.com` or `soap.beep://192.0.2.103:3002` (RFC 4475 `unksm2`,
// `novelsc`). It parses so that the message does; whether a request for it is served is the acceptability
// check's decision (416, RFC 3261 §8.2.2.1).

import { SipParseError } from './sip-parse-error.js';

export class AbsoluteUri {
  readonly kind = 'absolute' as const;
  /** The scheme in lower case. */
  readonly scheme: string;
  /** Everything after `scheme:`, as received. */
  readonly opaque: string;
  readonly #text: string;

  constructor(scheme: string, opaque: string) {
    if (!isScheme(scheme)) throw new SipParseError('SIP_URI_MALFORMED', 'malformed URI: invalid scheme');
    if (!isOpaque(opaque)) throw new SipParseError('SIP_URI_MALFORMED', 'malformed URI: invalid characters');
    this.scheme = scheme.toLowerCase();
    this.opaque = opaque;
    this.#text = `${scheme}:${opaque}`;
  }

  format(): string {
    return this.#text;
  }

  toString(): string {
    return this.#text;
  }
}

/** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
export function isScheme(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*$/.test(text);
}

// RFC 2396 `uric`: reserved, unreserved and escaped characters; no white space, quotes, angle brackets or
// non-ASCII, which is what keeps a URI from swallowing the text around it.
function isOpaque(text: string): boolean {
  return text.length > 0 && /^[A-Za-z0-9;/?:@&=+$,\-_.!~*'()%[\]#]+$/.test(text);
}
