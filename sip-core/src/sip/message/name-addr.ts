// Addresses with parameters: From, To, Contact, Route, Record-Route, Reply-To, Refer-To, P-Asserted-Identity
// (RFC 3261 §20.10, §20.20, §20.39, §20.30, §20.34). Two written forms:
//
//   name-addr:  "Display \"Name\"" <sip:user@host;uri-param>;header-param=1
//   addr-spec:  sip:user@host;header-param=1        (every ';' after the URI starts a header parameter)
//
// Which parameters belong to the URI and which to the header is decided by the brackets (RFC 4475 `cparam01`
// vs `cparam02`), so a value built in code is always written in the name-addr form.

import { GenericParams, type ParamValue, parseParams } from './generic-params.js';
import type { HeaderGrammar } from './header-field.js';
import { HeaderValue } from './header-value.js';
import {
  indexWithin,
  isTokenChar,
  parseCommaList,
  isWsp,
  parseDigits,
  quote,
  scanQuotedString,
  skipWs,
  syntaxError,
  unquote,
} from './sip-lexer.js';
import { SipMessageError } from './sip-message-error.js';
import { parseUriRange, toUri, type Uri } from './uri.js';

/** RFC 3261 §10.2.1.1 and §20.19: an expires value that is not a number counts as 3600 seconds. */
export const MALFORMED_EXPIRES_SECONDS = 3600;
/** RFC 3261 §10.2.1.1: larger expires values may be treated as 2^32-1. */
export const MAX_EXPIRES_SECONDS = 0xffff_ffff;

export interface NameAddrInit {
  readonly uri: Uri | string;
  readonly displayName?: string;
  readonly params?: Iterable<readonly [name: string, value: ParamValue]>;
}

const fromParser = Symbol('fromParser');

export class NameAddr extends HeaderValue {
  #displayName: string | undefined;
  #uri: Uri;
  /** Header parameters (`tag`, `expires`, `q`, `lr` is a URI parameter and lives in `uri.params`). */
  readonly params: GenericParams;

  constructor(init: NameAddrInit);
  /** @internal */
  constructor(init: NameAddrInit, token: typeof fromParser, text: string, params: GenericParams);
  constructor(init: NameAddrInit, token?: typeof fromParser, text?: string, params?: GenericParams) {
    super(token === fromParser ? text : undefined);
    this.#uri = toUri(init.uri);
    this.#displayName = init.displayName;
    if (token === fromParser) {
      this.params = params!;
      this.params.bindOwner(this);
      return;
    }
    checkDisplayName(init.displayName);
    this.params = new GenericParams(init.params, this);
  }

  /** The display name without quotes and escapes, or undefined. */
  get displayName(): string | undefined {
    return this.#displayName;
  }

  set displayName(value: string | undefined) {
    checkDisplayName(value);
    this.#displayName = value;
    this.changed();
  }

  get uri(): Uri {
    return this.#uri;
  }

  set uri(value: Uri | string) {
    this.#uri = toUri(value);
    this.changed();
  }

  /** The dialog tag of From/To (RFC 3261 §19.3). */
  get tag(): string | undefined {
    return this.params.get('tag') ?? undefined;
  }

  set tag(value: string | undefined) {
    if (value === undefined) this.params.delete('tag');
    else this.params.set('tag', value);
  }

  /**
   * The Contact `expires` parameter in seconds: undefined when absent, 3600 when malformed, at most 2^32-1
   * (RFC 3261 §10.2.1.1; RFC 4475 `scalar02`).
   */
  get expires(): number | undefined {
    return deltaSeconds(this.params.get('expires'));
  }

  /** The Contact `q` preference from 0 to 1 (RFC 3261 §20.10), or undefined when absent or malformed. */
  get q(): number | undefined {
    const value = this.params.get('q');
    if (typeof value !== 'string' || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) return undefined;
    return Number(value);
  }

  protected formatValue(): string {
    const name = this.#displayName === undefined ? '' : `${quote(this.#displayName)} `;
    return `${name}<${this.#uri.format()}>${this.params.toString()}`;
  }
}

function checkDisplayName(name: string | undefined): void {
  if (name !== undefined && /[\r\n]/.test(name)) {
    throw new SipMessageError('SIP_HEADER_VALUE_INVALID', 'A display name must not contain a line break.');
  }
}

/** delta-seconds with the RFC 3261 §10.2.1.1 rules for malformed and overlarge values. */
export function deltaSeconds(value: string | null | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === null) return MALFORMED_EXPIRES_SECONDS;
  const trimmed = value.trim();
  const n = parseDigits(trimmed, 0, trimmed.length, MAX_EXPIRES_SECONDS);
  if (n === -1) return MALFORMED_EXPIRES_SECONDS;
  return n === -2 ? MAX_EXPIRES_SECONDS : n;
}

const LAQUOT = 0x3c;
const SEMI = 0x3b;
const COMMA = 0x2c;

/** Parses one name-addr or addr-spec with its parameters from `index`; returns it and the index after it. */
function parseOneNameAddr(text: string, index: number, end: number, inList: boolean): [NameAddr, number] {
  const start = skipWs(text, index, end);
  if (start >= end) throw syntaxError('empty value');
  let i = start;
  let displayName: string | undefined;
  const first = text.charCodeAt(i);
  if (first === 0x22) {
    const quoteEnd = scanQuotedString(text, i, end);
    displayName = unquote(text.slice(i, quoteEnd));
    i = skipWs(text, quoteEnd, end);
    if (text.charCodeAt(i) !== LAQUOT) throw syntaxError('a quoted display name must be followed by <URI>');
  } else if (first !== LAQUOT) {
    // display-name = *(token LWS): tokens and white space up to '<'. RFC 4475 `lwsdisp` shows that the LWS
    // before '<' may be missing; elements should accept that.
    let j = i;
    while (j < end) {
      const c = text.charCodeAt(j);
      if (!isTokenChar(c) && !isWsp(c)) break;
      j++;
    }
    if (j < end && text.charCodeAt(j) === LAQUOT) {
      const name = text.slice(i, j).trim();
      displayName = name === '' ? undefined : name;
      i = j;
    }
  }

  let uri: Uri;
  if (text.charCodeAt(i) === LAQUOT) {
    const close = text.indexOf('>', i + 1);
    if (close < 0 || close >= end) throw syntaxError('missing ">" after the URI');
    if (isWsp(text.charCodeAt(i + 1)) || isWsp(text.charCodeAt(close - 1))) {
      throw syntaxError('white space inside <…> around the URI');
    }
    uri = parseUriRange(text, i + 1, close);
    i = close + 1;
  } else {
    let j = i;
    while (j < end) {
      const c = text.charCodeAt(j);
      if (c === SEMI || isWsp(c) || (inList && c === COMMA)) break;
      j++;
    }
    if (indexWithin(text, 0x3f, i, j) >= 0) {
      // RFC 3261 §20: an addr-spec containing ',', ';' or '?' must be written as a name-addr; without the
      // brackets the URI headers cannot be told apart from what follows (RFC 4475 `regbadct`).
      throw syntaxError('a URI with headers must be enclosed in <…>');
    }
    try {
      uri = parseUriRange(text, i, j);
    } catch (error) {
      const angle = text.indexOf('<', j);
      if (angle >= 0 && angle < end) {
        // Something that is not a URI before a '<': a display name with characters a token cannot hold, such
        // as the ',' of `Bell, Alexander <sip:…>` (RFC 4475 `baddn`).
        throw syntaxError('the display name has characters that must be in a quoted string');
      }
      throw error;
    }
    i = j;
  }
  const params = new GenericParams();
  const paramsEnd = parseParams(text, i, end, params);
  const value = new NameAddr({ uri, displayName }, fromParser, text.slice(start, paramsEnd), params);
  return [value, paramsEnd];
}

/** A single address (From, To, Refer-To…): exactly one value. */
export function parseNameAddr(text: string): NameAddr {
  const [value, next] = parseOneNameAddr(text, 0, text.length, false);
  if (skipWs(text, next, text.length) !== text.length) throw syntaxError('unexpected text after the address');
  return value;
}

/** A list of addresses (Contact, Route, Record-Route…), comma-separated. */
export function parseNameAddrList(text: string): NameAddr[] {
  return parseCommaList(text, parseListElement);
}

function parseListElement(text: string, index: number): [NameAddr, number] {
  return parseOneNameAddr(text, index, text.length, true);
}

export const NAME_ADDR_GRAMMAR: HeaderGrammar<NameAddr> = {
  parse: parseNameAddr,
  format: (value) => value.toString(),
};

export const NAME_ADDR_LIST_GRAMMAR: HeaderGrammar<NameAddr[]> = {
  parse: parseNameAddrList,
  format: (values) => values.map(String).join(', '),
};

/** Contact also allows `*` (RFC 3261 §10.2.2, REGISTER removing every binding): it parses to an empty list. */
export const CONTACT_GRAMMAR: HeaderGrammar<NameAddr[]> = {
  parse: (text) => (text.trim() === '*' ? [] : parseNameAddrList(text)),
  format: (values) => (values.length === 0 ? '*' : values.map(String).join(', ')),
};
