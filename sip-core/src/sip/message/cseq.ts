// CSeq (RFC 3261 §20.16, §8.1.1.5): a sequence number and the request method. The number is an unsigned 32-bit
// integer: values above 2^32-1 are a syntax error (RFC 4475 `scalar02`, `scalarlg`), leading zeros are not
// (`wsinv` has `0009`), and the number is always an exact JS integer.

import type { HeaderGrammar } from './header-field.js';
import { HeaderValue } from './header-value.js';
import { isToken, parseDigits, scanToken, skipWs, syntaxError } from './sip-lexer.js';
import { SipMessageError } from './sip-message-error.js';

export const MAX_CSEQ = 0xffff_ffff;

const fromParser = Symbol('fromParser');

export class CSeq extends HeaderValue {
  #seq: number;
  #method: string;

  constructor(seq: number, method: string);
  /** @internal */
  constructor(seq: number, method: string, token: typeof fromParser, text: string);
  constructor(seq: number, method: string, token?: typeof fromParser, text?: string) {
    super(token === fromParser ? text : undefined);
    this.#seq = token === fromParser ? seq : checkSeq(seq);
    this.#method = token === fromParser ? method : checkMethod(method);
  }

  get seq(): number {
    return this.#seq;
  }

  set seq(value: number) {
    this.#seq = checkSeq(value);
    this.changed();
  }

  /** The method, case-sensitive (RFC 3261 §7.1). */
  get method(): string {
    return this.#method;
  }

  set method(value: string) {
    this.#method = checkMethod(value);
    this.changed();
  }

  protected formatValue(): string {
    return `${this.#seq} ${this.#method}`;
  }
}

function checkSeq(seq: number): number {
  if (!Number.isInteger(seq) || seq < 0 || seq > MAX_CSEQ) {
    throw new SipMessageError('SIP_VALUE_OUT_OF_RANGE', 'A CSeq number must be an integer from 0 to 2^32-1.');
  }
  return seq;
}

function checkMethod(method: string): string {
  if (!isToken(method))
    throw new SipMessageError('SIP_HEADER_VALUE_INVALID', 'A CSeq method must be a token.');
  return method;
}

/** CSeq = 1*DIGIT LWS Method */
export function parseCSeq(text: string): CSeq {
  const end = text.length;
  const start = skipWs(text, 0, end);
  let digitsEnd = start;
  while (digitsEnd < end && text.charCodeAt(digitsEnd) >= 0x30 && text.charCodeAt(digitsEnd) <= 0x39)
    digitsEnd++;
  const seq = parseDigits(text, start, digitsEnd, MAX_CSEQ);
  if (seq === -1) throw syntaxError('missing sequence number');
  if (seq === -2) throw syntaxError('sequence number is larger than 2^32-1');
  const methodStart = skipWs(text, digitsEnd, end);
  if (methodStart === digitsEnd) throw syntaxError('missing white space before the method');
  const methodEnd = scanToken(text, methodStart, end);
  if (methodEnd === methodStart) throw syntaxError('missing method');
  if (skipWs(text, methodEnd, end) !== end) throw syntaxError('unexpected text after the method');
  return new CSeq(seq, text.slice(methodStart, methodEnd), fromParser, text.slice(start, methodEnd));
}

export const CSEQ_GRAMMAR: HeaderGrammar<CSeq> = {
  parse: parseCSeq,
  format: (cseq) => cseq.toString(),
};
