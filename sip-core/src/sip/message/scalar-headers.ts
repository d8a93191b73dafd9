// Headers holding one number or one word: Max-Forwards, Content-Length, Expires, Call-ID.

import type { HeaderGrammar } from './header-field.js';
import { deltaSeconds } from './name-addr.js';
import { isWord, parseDigits, syntaxError } from './sip-lexer.js';

function digitsOf(text: string, max: number, what: string): number {
  const trimmed = text.trim();
  const n = parseDigits(trimmed, 0, trimmed.length, max);
  if (n === -1) throw syntaxError(`${what} is not a number`);
  if (n === -2) throw syntaxError(`${what} is larger than ${max}`);
  return n;
}

/** Max-Forwards = 1*DIGIT, 0 to 255 (RFC 3261 §20.22; RFC 4475 `scalar02` has 300). */
export const MAX_FORWARDS_GRAMMAR: HeaderGrammar<number> = {
  parse: (text) => digitsOf(text, 255, 'Max-Forwards'),
  format: String,
};

/**
 * Content-Length = 1*DIGIT (RFC 3261 §20.14). A negative value is a syntax error (RFC 4475 `ncl`); the upper
 * bound here only keeps the number exact, the parser compares it with the bytes that are really there.
 */
export const CONTENT_LENGTH_GRAMMAR: HeaderGrammar<number> = {
  parse: (text) => digitsOf(text, 0xffff_ffff, 'Content-Length'),
  format: String,
};

/**
 * Expires = delta-seconds (RFC 3261 §20.19). Never throws: malformed values count as 3600 and overlarge ones
 * as 2^32-1, as §10.2.1.1 and §20.19 allow, so a registrar or a subscriber always gets a number.
 */
export const EXPIRES_GRAMMAR: HeaderGrammar<number> = {
  parse: (text) => deltaSeconds(text)!,
  format: String,
};

/** Call-ID = word [ "@" word ] (RFC 3261 §20.8); compared case-sensitively, byte for byte. */
export function isCallId(text: string): boolean {
  const at = text.indexOf('@');
  return at < 0 ? isWord(text) : isWord(text.slice(0, at)) && isWord(text.slice(at + 1));
}

export const CALL_ID_GRAMMAR: HeaderGrammar<string> = {
  parse: (text) => {
    if (!isCallId(text)) throw syntaxError('not a word or word@word');
    return text;
  },
  format: (callId) => callId,
};
