// Reads the Content-Length of a header section without parsing the message: the one header stream framing needs
// (RFC 3261 §18.3). The message model parses everything else later; this scan must only be exact about where
// the message ends, because a wrong answer desynchronises the whole connection.

/** The outcome of scanning a header section for its body length. */
export type ContentLengthScan =
  | { readonly ok: true; readonly contentLengthBytes: number }
  | { readonly ok: false; readonly code: 'missing' | 'invalid' | 'conflicting'; readonly detail: string };

/**
 * A Content-Length (or compact `l`) header name at the start of a header line, with optional whitespace before the
 * colon. Requiring the preceding CRLF skips the start line and folded continuation lines (which start with
 * whitespace). Header sections are decoded as latin1, so string offsets are byte offsets.
 */
const CONTENT_LENGTH_NAME = /\r\n(?:content-length|l)[ \t]*:/gi;
const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HT = 0x09;
/** Larger values are refused by any sensible limit; stopping here keeps the arithmetic exact. */
const MAX_DIGITS = 15;

/**
 * Scans `headerSection` (the start line and headers, without the blank line that ends them) for Content-Length
 * or its compact form `l`, case-insensitively, allowing whitespace before the colon and folded values
 * (RFC 3261 §7.3.1). Several occurrences must agree: differing values are how request smuggling starts.
 */
export function scanContentLength(headerSection: Buffer): ContentLengthScan {
  const text = headerSection.toString('latin1');
  let found: number | undefined;
  CONTENT_LENGTH_NAME.lastIndex = 0;
  for (let match = CONTENT_LENGTH_NAME.exec(text); match; match = CONTENT_LENGTH_NAME.exec(text)) {
    const valueStart = match.index + match[0].length;
    const value = parseValue(text, valueStart);
    if (value === undefined) {
      const shown =
        text
          .slice(valueStart, valueStart + 40)
          .split('\r\n')[0]
          ?.trim() ?? '';
      return { ok: false, code: 'invalid', detail: `Content-Length value '${shown}' is not a number` };
    }
    if (found !== undefined && found !== value) {
      return { ok: false, code: 'conflicting', detail: `Content-Length given twice (${found} and ${value})` };
    }
    found = value;
  }
  if (found === undefined) {
    return {
      ok: false,
      code: 'missing',
      detail: 'Content-Length is required on stream transports (RFC 3261 §18.3)',
    };
  }
  return { ok: true, contentLengthBytes: found };
}

/**
 * Reads a decimal value from `start` to the end of its header line, allowing whitespace around it and line folds
 * (CRLF followed by whitespace) inside; undefined when it is anything else.
 */
function parseValue(text: string, start: number): number | undefined {
  let value = 0;
  let digits = 0;
  let trailing = false;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) {
      if (trailing) return undefined;
      // Saturate rather than lose precision: the limit check refuses it anyway.
      if (digits === MAX_DIGITS) return Number.MAX_SAFE_INTEGER;
      value = value * 10 + (code - 0x30);
      digits++;
    } else if (code === SP || code === HT) {
      if (digits > 0) trailing = true;
    } else if (code === CR && text.charCodeAt(i + 1) === LF) {
      const next = text.charCodeAt(i + 2);
      if (next !== SP && next !== HT) break;
      if (digits > 0) trailing = true;
      i++;
    } else {
      return undefined;
    }
  }
  return digits === 0 ? undefined : value;
}
