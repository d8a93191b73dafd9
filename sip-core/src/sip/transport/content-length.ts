// Reads the Content-Length of a header section without parsing the message: the one header stream framing needs
// (RFC 3261 §18.3). The message model parses everything else later; this scan must only be exact about where
// the message ends, because a wrong answer desynchronises the whole connection.

/** The outcome of scanning a header section for its body length. */
export type ContentLengthScan =
  | { readonly ok: true; readonly contentLengthBytes: number }
  | { readonly ok: false; readonly code: 'missing' | 'invalid' | 'conflicting'; readonly detail: string };

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;
const CRLF = Buffer.from('\r\n', 'latin1');
const LONG_NAME = Buffer.from('content-length', 'latin1');
/** The compact form `l` (RFC 3261 §7.3.3, §20.14). */
const COMPACT_NAME = 0x6c;
/** Larger values are refused by any sensible limit; stopping here keeps the arithmetic exact. */
const MAX_DIGITS = 15;

/**
 * Scans `headerSection` (the start line and headers, without the blank line that ends them) for Content-Length
 * or its compact form `l`, case-insensitively, allowing whitespace before the colon and folded values
 * (RFC 3261 §7.3.1). Several occurrences must agree: differing values are how request smuggling starts.
 */
export function scanContentLength(headerSection: Buffer): ContentLengthScan {
  let found: number | undefined;
  // The start line is not a header: `INVITE sip:l:5060 SIP/2.0` must not be read as `l:`.
  let lineStart = nextLineStart(headerSection, 0);
  while (lineStart < headerSection.length) {
    const lineEnd = lineEndOf(headerSection, lineStart);
    if (isContentLengthName(headerSection, lineStart, lineEnd)) {
      const colon = headerSection.indexOf(COLON, lineStart);
      // A folded value continues on lines that start with whitespace.
      let valueEnd = lineEnd;
      let next = nextLineStart(headerSection, lineEnd);
      while (next < headerSection.length && isWhitespace(headerSection[next])) {
        valueEnd = lineEndOf(headerSection, next);
        next = nextLineStart(headerSection, valueEnd);
      }
      const value = parseDigits(headerSection, colon + 1, valueEnd);
      if (value === undefined) {
        const text = headerSection.toString('latin1', colon + 1, Math.min(valueEnd, colon + 41)).trim();
        return { ok: false, code: 'invalid', detail: `Content-Length value '${text}' is not a number` };
      }
      if (found !== undefined && found !== value) {
        return {
          ok: false,
          code: 'conflicting',
          detail: `Content-Length given twice (${found} and ${value})`,
        };
      }
      found = value;
      lineStart = next;
      continue;
    }
    lineStart = nextLineStart(headerSection, lineEnd);
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

function lineEndOf(bytes: Buffer, from: number): number {
  const end = bytes.indexOf(CRLF, from);
  return end < 0 ? bytes.length : end;
}

function nextLineStart(bytes: Buffer, from: number): number {
  const end = lineEndOf(bytes, from);
  return end >= bytes.length ? bytes.length : end + 2;
}

function isWhitespace(byte: number | undefined): boolean {
  return byte === SP || byte === HT;
}

/** Whether the header line in [start, end) is named `Content-Length` or `l` (any case, optional space before ':'). */
function isContentLengthName(bytes: Buffer, start: number, end: number): boolean {
  const first = bytes[start];
  if (first === undefined || isWhitespace(first)) return false;
  const colon = bytes.indexOf(COLON, start);
  if (colon < 0 || colon >= end) return false;
  let nameEnd = colon;
  while (nameEnd > start && isWhitespace(bytes[nameEnd - 1])) nameEnd--;
  const length = nameEnd - start;
  if (length === 1) return ((bytes[start] ?? 0) | 0x20) === COMPACT_NAME;
  if (length !== LONG_NAME.length) return false;
  for (let i = 0; i < length; i++) {
    // ASCII letters compare case-insensitively by setting bit 5; '-' (0x2d) already has it set.
    if (((bytes[start + i] ?? 0) | 0x20) !== LONG_NAME[i]) return false;
  }
  return true;
}

/** Reads a decimal number from [start, end), allowing surrounding whitespace and line folds; else undefined. */
function parseDigits(bytes: Buffer, start: number, end: number): number | undefined {
  let value = 0;
  let digits = 0;
  let trailing = false;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] ?? 0;
    if (byte >= 0x30 && byte <= 0x39) {
      if (trailing || digits === MAX_DIGITS) return trailing ? undefined : Number.MAX_SAFE_INTEGER;
      value = value * 10 + (byte - 0x30);
      digits++;
    } else if (byte === SP || byte === HT || byte === CR || byte === LF) {
      if (digits > 0) trailing = true;
    } else {
      return undefined;
    }
  }
  return digits === 0 ? undefined : value;
}
