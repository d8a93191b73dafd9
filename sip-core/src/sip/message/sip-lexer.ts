// Character classes and small scanners for the basic rules of RFC 3261 §25.1, shared by every header grammar.
// Scanners work on JS strings by index and return the index after what they read, so that a header grammar can
// walk its value once without allocating substrings it does not keep.

import { SipParseError } from './sip-parse-error.js';

const TOKEN = 1;
const WORD = 2;
const UNRESERVED = 4;
const USER_UNRESERVED = 8;
const PASSWORD_UNRESERVED = 16;
const PARAM_UNRESERVED = 32;
const HNV_UNRESERVED = 64;
const HOST = 128;

const CLASSES = new Uint8Array(128);

function mark(chars: string, flag: number): void {
  for (let i = 0; i < chars.length; i++) CLASSES[chars.charCodeAt(i)] |= flag;
}

const ALPHANUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
mark(ALPHANUM, TOKEN | WORD | UNRESERVED | HOST);
// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
mark("-.!%*_+`'~", TOKEN | WORD);
// word adds ( ) < > : \ DQUOTE / [ ] ? { }
mark('()<>:\\"/[]?{}', WORD);
// unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
mark("-_.!~*'()", UNRESERVED);
mark('&=+$,;?/', USER_UNRESERVED);
mark('&=+$,', PASSWORD_UNRESERVED);
mark('[]/:&+$', PARAM_UNRESERVED);
mark('[]/?:+$', HNV_UNRESERVED);
// Hostnames are alphanum, '-' and '.'; '_' is tolerated because real DNS names (SRV-style labels) carry it.
mark('-._', HOST);

export const CharClass = {
  TOKEN,
  WORD,
  UNRESERVED,
  USER_UNRESERVED,
  PASSWORD_UNRESERVED,
  PARAM_UNRESERVED,
  HNV_UNRESERVED,
  HOST,
} as const;

/** Whether the UTF-16 unit `code` is ASCII and in any of the classes of `flags`. */
export function inClass(code: number, flags: number): boolean {
  return code < 128 && (CLASSES[code] & flags) !== 0;
}

export function isTokenChar(code: number): boolean {
  return code < 128 && (CLASSES[code] & TOKEN) !== 0;
}

/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!isTokenChar(text.charCodeAt(i))) return false;
  return true;
}

/** word = 1*(token chars / "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}") */
export function isWord(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!inClass(text.charCodeAt(i), WORD)) return false;
  return true;
}

export const SP = 0x20;
export const HTAB = 0x09;

export function isWsp(code: number): boolean {
  return code === SP || code === HTAB;
}

/**
 * Skips linear white space. Header values reach the grammars already unfolded (RFC 3261 §7.3.1), so LWS and
 * SWS are runs of SP and HTAB here.
 */
export function skipWs(text: string, index: number, end = text.length): number {
  while (index < end) {
    const c = text.charCodeAt(index);
    if (c !== SP && c !== HTAB) break;
    index++;
  }
  return index;
}

/**
 * Index of the first `char` in [from, end), or -1. Unlike `indexOf`, the search stops at `end`, which keeps the
 * list grammars linear: searching each list element to the end of the whole header would be quadratic.
 */
export function indexWithin(text: string, char: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (text.charCodeAt(i) === char) return i;
  return -1;
}

/** Index after the last run of token characters starting at `index` (equal to `index` when there is none). */
export function scanToken(text: string, index: number, end = text.length): number {
  while (index < end && isTokenChar(text.charCodeAt(index))) index++;
  return index;
}

/** Index after the run of characters of `flags` starting at `index`. */
export function scanClass(text: string, index: number, flags: number, end = text.length): number {
  while (index < end && inClass(text.charCodeAt(index), flags)) index++;
  return index;
}

/**
 * Reads a quoted-string starting at the DQUOTE at `index` and returns the index after the closing DQUOTE.
 * quoted-pair (`\` followed by any octet but CR and LF) escapes the next character, so `\"` does not close it.
 */
export function scanQuotedString(text: string, index: number, end = text.length): number {
  let i = index + 1;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      if (i + 1 >= end) break;
      i += 2;
      continue;
    }
    i++;
  }
  throw syntaxError('unterminated quoted string');
}

/** The content of a quoted-string without its quotes, with quoted-pairs resolved. */
export function unquote(quoted: string): string {
  if (quoted.length < 2 || quoted.charCodeAt(0) !== 0x22) return quoted;
  const inner = quoted.slice(1, -1);
  return inner.includes('\\') ? inner.replace(/\\([\s\S])/g, '$1') : inner;
}

/** `text` as a quoted-string, escaping `"` and `\` (RFC 3261 §25.1). */
export function quote(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * Splits a header value at the commas that separate list elements. Commas inside quoted strings and inside
 * `<…>` are not separators (RFC 3261 §7.3.1). Elements are trimmed; empty elements are kept so that the
 * caller decides whether they are an error.
 */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const end = value.length;
  while (i < end) {
    const c = value.charCodeAt(i);
    if (c === 0x22) {
      i = scanQuotedStringLenient(value, i, end);
      continue;
    }
    if (c === 0x3c) {
      const close = value.indexOf('>', i + 1);
      i = close < 0 ? end : close + 1;
      continue;
    }
    if (c === 0x2c) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
    i++;
  }
  out.push(value.slice(start).trim());
  return out;
}

function scanQuotedStringLenient(text: string, index: number, end: number): number {
  try {
    return scanQuotedString(text, index, end);
  } catch {
    return end;
  }
}

/**
 * Parses a comma-separated list of values with `parseOne`, which reads one value starting at an index and
 * returns it with the index after it. Empty elements are syntax errors (RFC 4475 `badinv01`).
 */
export function parseCommaList<T>(text: string, parseOne: (text: string, index: number) => [T, number]): T[] {
  const end = text.length;
  const out: T[] = [];
  let i = 0;
  for (;;) {
    const [value, next] = parseOne(text, i);
    out.push(value);
    i = skipWs(text, next, end);
    if (i >= end) return out;
    if (text.charCodeAt(i) !== 0x2c) throw syntaxError('unexpected text after a list element');
    i++;
  }
}

/** A grammar failure inside a header value; the header view adds which header and line. */
export function syntaxError(problem: string): SipParseError {
  return new SipParseError('SIP_HEADER_MALFORMED', problem);
}

/**
 * Parses 1*DIGIT at [start, end) as a number no larger than `max`. Leading zeros are legal (RFC 4475 `wsinv`
 * has `0068` and `0009`); a value that does not fit is reported, never wrapped or rounded (`scalar02`).
 * Returns -1 when the text is not digits, -2 when it is larger than `max`.
 */
export function parseDigits(text: string, start: number, end: number, max: number): number {
  if (start >= end) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
    // Checking at every digit keeps `value` an exact integer: max is at most 2^32-1 and one more digit stays
    // far below 2^53.
    if (value > max) {
      for (let j = i + 1; j < end; j++) {
        const e = text.charCodeAt(j) - 0x30;
        if (e < 0 || e > 9) return -1;
      }
      return -2;
    }
  }
  return value;
}
