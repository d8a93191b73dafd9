import { AbsoluteUri, isScheme } from './absolute-uri.js';
import { indexWithin } from './sip-lexer.js';
import { SipParseError } from './sip-parse-error.js';
import { parseSipUriBody, SipUri } from './sip-uri.js';
import { parseTelUriBody, TelUri } from './tel-uri.js';

/** Every URI the model holds; narrow on `kind` (`'sip'` covers sips too). */
export type Uri = SipUri | TelUri | AbsoluteUri;

/**
 * Parses a URI of any scheme: `sip`/`sips` and `tel` into their models, anything else into an `AbsoluteUri`.
 * Throws `SipParseError` (`SIP_URI_MALFORMED`).
 */
export function parseUri(text: string): Uri {
  return parseUriRange(text, 0, text.length);
}

/** Parses the URI occupying [start, end) of `text`. */
export function parseUriRange(text: string, start: number, end: number): Uri {
  const colon = indexWithin(text, 0x3a, start, end);
  if (colon <= start) {
    throw new SipParseError('SIP_URI_MALFORMED', 'malformed URI: no scheme');
  }
  const length = colon - start;
  if (length === 3 || length === 4) {
    const scheme = text.slice(start, colon).toLowerCase();
    if (scheme === 'sip' || scheme === 'sips') return parseSipUriBody(text, scheme, colon + 1, end);
    if (scheme === 'tel') return parseTelUriBody(text, colon + 1, end);
  }
  const scheme = text.slice(start, colon);
  if (!isScheme(scheme)) throw new SipParseError('SIP_URI_MALFORMED', 'malformed URI: invalid scheme');
  return new AbsoluteUri(scheme, text.slice(colon + 1, end));
}

/** Accepts a URI object or its text. */
export function toUri(uri: Uri | string): Uri {
  return typeof uri === 'string' ? parseUri(uri) : uri;
}

export { AbsoluteUri, SipUri, TelUri };
