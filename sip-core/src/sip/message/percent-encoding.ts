// %HH escapes in URIs (RFC 3261 §19.1.2, §25.1 `escaped`). Decoding happens exactly once: `%25%34%31` becomes
// `%41`, never `A` (RFC 4475 §3.1.1.3, `esc01`). An escaped NUL (`%00`) is an ordinary character and never
// ends a string (`escnull`).

import { inClass } from './sip-lexer.js';
import { SipParseError } from './sip-parse-error.js';

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * Decodes %HH escapes. The escaped octets are read as UTF-8 where they form valid UTF-8, otherwise each one
 * becomes the character with its value (so nothing is lost or replaced). Throws `SIP_URI_MALFORMED` for a `%`
 * that is not followed by two hex digits.
 */
export function percentDecode(text: string): string {
  const first = text.indexOf('%');
  if (first < 0) return text;
  const bytes: number[] = [];
  let highBytes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi < 0 || lo < 0)
        throw new SipParseError('SIP_URI_MALFORMED', 'URI has a "%" that is not a %HH escape');
      const byte = hi * 16 + lo;
      if (byte >= 0x80) highBytes = true;
      bytes.push(byte);
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      // Raw non-ASCII never appears in a valid URI component; keep it as UTF-8 so it survives decoding.
      highBytes = true;
      for (const b of Buffer.from(text[i], 'utf8')) bytes.push(b);
    }
  }
  const buffer = Buffer.from(bytes);
  if (!highBytes) return buffer.toString('latin1');
  const utf8 = buffer.toString('utf8');
  return Buffer.byteLength(utf8, 'utf8') === buffer.length && !utf8.includes('\ufffd')
    ? utf8
    : buffer.toString('latin1');
}

const HEX = '0123456789ABCDEF';

/**
 * Escapes every character of `text` that is not in the character classes `allowed` (see `CharClass`), as UTF-8
 * %HH. Used when a decoded URI component is written back after it was changed.
 */
export function percentEncode(text: string, allowed: number): string {
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    if (!inClass(text.charCodeAt(i), allowed)) {
      plain = false;
      break;
    }
  }
  if (plain) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && inClass(code, allowed)) {
      out += ch;
      continue;
    }
    // Characters below U+0100 that came from a latin1 fallback in percentDecode go back as one octet each.
    const bytes = code < 0x100 && ch.length === 1 ? [code] : Buffer.from(ch, 'utf8');
    for (const b of bytes) out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/**
 * The form of a raw URI component used for comparisons (RFC 3261 §19.1.4): escapes of unreserved characters
 * are decoded, because `%61` and `a` are the same character there, while escapes of other characters stay
 * escaped (with upper-case hex) because an escaped reserved character differs from the bare one.
 */
export function canonicalEscapes(raw: string, unreservedFlags: number): string {
  if (!raw.includes('%')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25 && i + 2 < raw.length) {
      const hi = hexValue(raw.charCodeAt(i + 1));
      const lo = hexValue(raw.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        const byte = hi * 16 + lo;
        out += inClass(byte, unreservedFlags) ? String.fromCharCode(byte) : `%${HEX[hi]}${HEX[lo]}`;
        i += 2;
        continue;
      }
    }
    out += raw[i];
  }
  return out;
}

/**
 * Index after the run of characters of the classes `flags` and `%` starting at `index`. The escapes themselves
 * are checked when the component is decoded.
 */
export function scanEscaped(text: string, index: number, end: number, flags: number): number {
  let i = index;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 0x25 || inClass(c, flags)) i++;
    else break;
  }
  return i;
}
