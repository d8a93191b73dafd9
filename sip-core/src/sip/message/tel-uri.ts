// tel URIs (RFC 3966), as they appear in Request-URIs, To/From and P-Asserted-Identity of trunk traffic:
// `tel:+1-201-555-0123;phone-context=example.com`. The number keeps its visual separators as written;
// `digits` drops them, which is how RFC 3966 §4 compares numbers.

import { GenericParams, type ParamValue, type ReadonlyParams } from './generic-params.js';
import { CharClass, indexWithin } from './sip-lexer.js';
import { SipMessageError } from './sip-message-error.js';
import { SipParseError } from './sip-parse-error.js';
import { percentDecode, percentEncode, scanEscaped } from './percent-encoding.js';

const PARAM_CHARS = CharClass.UNRESERVED | CharClass.PARAM_UNRESERVED;
const NUMBER_CHARS = /^\+?[0-9A-Fa-f*#.()-]+$/;

export interface TelUriInit {
  /** The number with optional visual separators, `+` first for a global number. */
  readonly number: string;
  readonly params?: Iterable<readonly [name: string, value: ParamValue]>;
}

const fromParser = Symbol('fromParser');

export class TelUri {
  readonly kind = 'tel' as const;
  readonly scheme = 'tel' as const;
  readonly number: string;
  readonly params: ReadonlyParams;
  #raw: string | undefined;

  constructor(init: TelUriInit);
  /** @internal */
  constructor(init: TelUriInit, token: typeof fromParser, raw: string);
  constructor(init: TelUriInit, token?: typeof fromParser, raw?: string) {
    this.number = init.number;
    if (token === fromParser) {
      this.params = init.params as GenericParams;
      this.#raw = raw;
      return;
    }
    if (!NUMBER_CHARS.test(init.number) || !/[0-9A-Fa-f*#]/.test(init.number)) {
      throw new SipMessageError(
        'SIP_URI_INVALID',
        'A tel URI number must be digits with optional separators.',
      );
    }
    const params = new GenericParams();
    for (const [name, value] of init.params ?? []) params.setUnchecked(name, value);
    this.params = params;
  }

  static parse(text: string): TelUri {
    if (!/^tel:/i.test(text)) throw telError('the scheme is not tel');
    return parseTelUriBody(text, 4, text.length);
  }

  /** Whether the number is global (E.164 with `+`), as opposed to local with a `phone-context`. */
  get isGlobal(): boolean {
    return this.number.startsWith('+');
  }

  /** The number without visual separators, e.g. `+12015550123`. */
  get digits(): string {
    return this.number.replace(/[.()-]/g, '');
  }

  format(): string {
    if (this.#raw !== undefined) return this.#raw;
    let out = `tel:${this.number}`;
    for (const [name, value] of this.params) {
      out += `;${percentEncode(name, PARAM_CHARS)}`;
      if (value !== null) out += `=${percentEncode(value, PARAM_CHARS)}`;
    }
    this.#raw = out;
    return out;
  }

  toString(): string {
    return this.format();
  }
}

function telError(problem: string): SipParseError {
  return new SipParseError('SIP_URI_MALFORMED', `malformed tel URI: ${problem}`);
}

/** Parses the part of a tel URI after `tel:` in [start, end). */
export function parseTelUriBody(text: string, start: number, end: number): TelUri {
  const numberEnd = indexOrEnd(text, 0x3b, start, end);
  const number = text.slice(start, numberEnd);
  if (!NUMBER_CHARS.test(number) || !/[0-9A-Fa-f*#]/.test(number)) throw telError('the number is malformed');
  const params = new GenericParams();
  let i = numberEnd;
  while (i < end) {
    const paramEnd = indexOrEnd(text, 0x3b, i + 1, end);
    const eq = indexOrEnd(text, 0x3d, i + 1, paramEnd);
    const name = text.slice(i + 1, eq);
    const value = eq < paramEnd ? text.slice(eq + 1, paramEnd) : null;
    if (!isParamText(name) || (value !== null && !isParamText(value)))
      throw telError('a parameter is malformed');
    params.appendParsed(percentDecode(name), value === null ? null : percentDecode(value));
    i = paramEnd;
  }
  const raw = start === 4 && end === text.length ? text : text.slice(start - 4, end);
  return new TelUri({ number, params }, fromParser, raw);
}

/** Index of `char` in [from, end), or `end` when there is none. */
function indexOrEnd(text: string, char: number, from: number, end: number): number {
  const i = indexWithin(text, char, from, end);
  return i < 0 ? end : i;
}

function isParamText(text: string): boolean {
  return text.length > 0 && scanEscaped(text, 0, text.length, PARAM_CHARS) === text.length;
}
