// Content-Type (RFC 3261 §20.15): `type/subtype;param=value`, e.g. `application/sdp` or
// `multipart/mixed;boundary=unique-boundary-1`. Types and parameter names compare case-insensitively.

import { GenericParams, type ParamValue, parseParams } from './generic-params.js';
import type { HeaderGrammar } from './header-field.js';
import { isToken, scanToken, skipWs, syntaxError, unquote } from './sip-lexer.js';
import { SipMessageError } from './sip-message-error.js';

export class MediaType {
  /** Lower case, e.g. `application`. */
  readonly type: string;
  /** Lower case, e.g. `sdp`. */
  readonly subtype: string;
  readonly params: GenericParams;

  constructor(type: string, subtype: string, params?: Iterable<readonly [string, ParamValue]>) {
    if (!isToken(type) || !isToken(subtype)) {
      throw new SipMessageError('SIP_HEADER_VALUE_INVALID', 'A media type must be "type/subtype" tokens.');
    }
    this.type = type.toLowerCase();
    this.subtype = subtype.toLowerCase();
    this.params = params instanceof GenericParams ? params : new GenericParams(params);
  }

  /** `type/subtype` in lower case, without parameters. */
  get essence(): string {
    return `${this.type}/${this.subtype}`;
  }

  /** A parameter value without quotes (`boundary`, `charset`). */
  param(name: string): string | undefined {
    const value = this.params.get(name);
    return typeof value === 'string' ? unquote(value) : undefined;
  }

  toString(): string {
    return `${this.essence}${this.params.toString()}`;
  }
}

export function parseMediaType(text: string): MediaType {
  const end = text.length;
  const start = skipWs(text, 0, end);
  const slash = scanToken(text, start, end);
  let i = skipWs(text, slash, end);
  if (slash === start || text.charCodeAt(i) !== 0x2f) throw syntaxError('not type/subtype');
  const subStart = skipWs(text, i + 1, end);
  const subEnd = scanToken(text, subStart, end);
  if (subEnd === subStart) throw syntaxError('missing subtype');
  const params = new GenericParams();
  i = parseParams(text, subEnd, end, params);
  if (skipWs(text, i, end) !== end) throw syntaxError('unexpected text after the media type');
  return new MediaType(text.slice(start, slash), text.slice(subStart, subEnd), params);
}

export const MEDIA_TYPE_GRAMMAR: HeaderGrammar<MediaType> = {
  parse: parseMediaType,
  format: (value) => value.toString(),
};
