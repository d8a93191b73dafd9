// Bytes → SipRequest | SipResponse (RFC 3261 §7, §18.3), robust on hostile input (RFC 4475).
//
//   [CRLF…]  start-line CRLF  *( header-name HCOLON value CRLF *( (SP/HTAB) continuation CRLF ) )  CRLF  body
//   └ keep-alives, skipped ┘                                                                       └ by bytes ┘
//
// Phase 1 finds the end of the header section in the bytes, decodes the header section as UTF-8, splits the
// start line and the header fields (unfolding continuation lines) and keeps every field verbatim. Phase 2
// validates the start line and the headers every layer above relies on, and frames the body by Content-Length
// in bytes. Anything else is parsed later, on first access. All loops are bounded by `ParseLimits`.

import { CSEQ_GRAMMAR } from './cseq.js';
import { HeaderField, type HeaderGrammar } from './header-field.js';
import { canonicalHeaderName, headerKey, matchKnownHeaderName } from './header-names.js';
import { CONTACT_GRAMMAR, NAME_ADDR_GRAMMAR } from './name-addr.js';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from './parse-limits.js';
import { CALL_ID_GRAMMAR, CONTENT_LENGTH_GRAMMAR, MAX_FORWARDS_GRAMMAR } from './scalar-headers.js';
import { SipHeaders } from './sip-headers.js';
import { HTAB, indexWithin, isToken, isWsp, SP } from './sip-lexer.js';
import { KNOWN_METHODS } from './request-acceptability.js';
import { SipParseError, type SipParseErrorCode } from './sip-parse-error.js';
import { createRejection } from './sip-rejection.js';
import { SIP_VERSION, SipRequest } from './sip-request.js';
import { SipResponse } from './sip-response.js';
import { VIA_GRAMMAR } from './via.js';

export interface ParseOptions {
  /**
   * `datagram` (default, UDP): the message ends where the datagram ends. Bytes after Content-Length are
   * ignored, a missing Content-Length means "the rest of the datagram", and a Content-Length larger than what
   * is left is an error (RFC 3261 §18.3; RFC 4475 `dblreq`, `inv2543`, `clerr`).
   *
   * `stream` (TCP, TLS): the transport has already framed exactly one message by Content-Length, which must
   * therefore be present and match the bytes given.
   */
  readonly framing?: 'datagram' | 'stream';
  readonly limits?: Partial<ParseLimits>;
}

const CR = 0x0d;
const LF = 0x0a;
const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
const FOLD = /[ \t]*\r\n[ \t]+/g;
const VERSION_PATTERN = /^SIP\/[0-9]+\.[0-9]+$/i;
/**
 * The methods of the SIP RFCs, each one string for the whole process: a request keeps its method, and a server
 * transaction its request's, for 64·T1 after the answer; one string of its own per request is one more object for
 * the young-generation collector to copy and promote (docs/adr/0178). Other methods keep the text as received.
 */
const METHOD_NAMES = new Map(KNOWN_METHODS.map((name) => [name, name] as const));

// Headers validated while parsing: what transactions and dialogs read, and what a server copies to answer.
const VALIDATED_HEADERS = new Map<string, HeaderGrammar<unknown>>([
  ['via', VIA_GRAMMAR],
  ['from', NAME_ADDR_GRAMMAR],
  ['to', NAME_ADDR_GRAMMAR],
  ['call-id', CALL_ID_GRAMMAR],
  ['cseq', CSEQ_GRAMMAR],
  ['max-forwards', MAX_FORWARDS_GRAMMAR],
  ['contact', CONTACT_GRAMMAR],
]);

/**
 * Parses one SIP message. Throws only `SipParseError`; for a malformed request that can still be answered,
 * the error carries `partialRequest` and the `rejection` to send (see `SipParseError`).
 */
export function parseSipMessage(data: Uint8Array, options: ParseOptions = {}): SipRequest | SipResponse {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const limits =
    options.limits === undefined ? DEFAULT_PARSE_LIMITS : { ...DEFAULT_PARSE_LIMITS, ...options.limits };
  if (buf.length > limits.maxMessageBytes) {
    fail(
      'SIP_MESSAGE_TOO_LARGE',
      `The message is ${buf.length} bytes, more than the ${limits.maxMessageBytes} allowed.`,
    );
  }

  // RFC 3261 §7.5: CRLFs before the start line are ignored (stream keep-alives, stray datagram padding).
  let start = 0;
  while (start + 1 < buf.length && buf[start] === CR && buf[start + 1] === LF) start += 2;
  if (start >= buf.length) fail('SIP_MESSAGE_EMPTY', 'The message is empty (nothing but line breaks).');

  const headEnd = buf.indexOf(CRLFCRLF, start);
  const terminated = headEnd >= 0;
  const textEnd = terminated ? headEnd + 2 : buf.length;
  const bodyStart = terminated ? headEnd + 4 : buf.length;
  const text = buf.toString('utf8', start, textEnd);

  const reader = new LineReader(text, limits);
  const startLineEnd = reader.lineEnd(0, 1);
  const startLine = text.slice(0, startLineEnd);
  const headers = readHeaders(text, startLineEnd + 2, reader, limits);

  // A method is a token and cannot contain '/', so a start line beginning with SIP/ is a status line.
  const isResponse = /^SIP\//i.test(startLine);
  const message = isResponse
    ? responseFromStartLine(startLine, headers.fields)
    : requestFromStartLine(startLine, headers.fields);

  try {
    if (headers.error !== undefined) throw headers.error;
    if (message.version !== SIP_VERSION) {
      throw new SipParseError(
        'SIP_VERSION_NOT_SUPPORTED',
        `Line 1: ${isResponse ? 'the response' : 'the request'} is not SIP/2.0.`,
        { line: 1 },
      );
    }
    if (message instanceof SipRequest) validateRequestUri(message);
    for (const field of headers.fields) {
      const grammar = VALIDATED_HEADERS.get(field.key);
      if (grammar !== undefined) field.parsed(grammar);
    }
    if (message instanceof SipRequest) {
      const cseq = message.cseq;
      if (cseq !== undefined && cseq.method !== message.method) {
        const line = message.headers.first('cseq')?.line;
        throw new SipParseError(
          'SIP_CSEQ_METHOD_MISMATCH',
          `CSeq header (line ${line}): its method differs from the request method (RFC 3261 §8.1.1.5).`,
          { header: 'CSeq', line },
        );
      }
    }
    message.body = frameBody(buf, bodyStart, message.headers, options.framing === 'stream');
    if (!terminated) {
      throw new SipParseError(
        'SIP_HEADER_SECTION_UNTERMINATED',
        'The header section does not end with an empty line (CRLF CRLF).',
      );
    }
  } catch (error) {
    if (error instanceof SipParseError && message instanceof SipRequest) attachPartial(error, message);
    throw error;
  }
  return message;
}

function fail(code: SipParseErrorCode, message: string, line?: number): never {
  throw new SipParseError(code, message, { line });
}

/** Finds line ends in the decoded header text and rejects a CR or LF that is not part of a CRLF. */
class LineReader {
  readonly #text: string;
  readonly #maxLine: number;

  constructor(text: string, limits: ParseLimits) {
    this.#text = text;
    this.#maxLine = limits.maxHeaderBytes;
  }

  /** Index of the CR of the CRLF ending the line that starts at `from`, or the text length. */
  lineEnd(from: number, line: number): number {
    const text = this.#text;
    const lf = text.indexOf('\n', from);
    const end = lf < 0 ? text.length : lf - 1;
    const cr = text.indexOf('\r', from);
    if ((lf >= 0 && (lf === from || text.charCodeAt(lf - 1) !== CR)) || (cr >= 0 && cr < end)) {
      fail('SIP_LINE_BREAK_INVALID', `Line ${line}: a line break is not CRLF (bare CR or LF).`, line);
    }
    if (end - from > this.#maxLine) {
      fail('SIP_HEADER_TOO_LONG', `Line ${line} is longer than ${this.#maxLine} bytes.`, line);
    }
    return end;
  }
}

interface ReadHeaders {
  readonly fields: HeaderField[];
  /** The first malformed header line; it is skipped so that a partial request can still be built. */
  readonly error: SipParseError | undefined;
}

function readHeaders(text: string, from: number, reader: LineReader, limits: ParseLimits): ReadHeaders {
  const fields: HeaderField[] = [];
  let error: SipParseError | undefined;
  let pos = from;
  let line = 2;
  const length = text.length;
  while (pos < length) {
    const headerLine = line;
    const lineStart = pos;
    let end = reader.lineEnd(pos, line);
    if (end === lineStart) break;
    const first = text.charCodeAt(lineStart);
    if (first === SP || first === HTAB) {
      fail('SIP_HEADER_LINE_MALFORMED', `Line ${line}: a continuation line follows the start line.`, line);
    }
    pos = end + 2;
    line++;
    let folded = false;
    // RFC 3261 §7.3.1: a line starting with white space continues the header above it.
    while (pos < length && (text.charCodeAt(pos) === SP || text.charCodeAt(pos) === HTAB)) {
      end = reader.lineEnd(pos, line);
      pos = end + 2;
      line++;
      folded = true;
    }
    if (end - lineStart > limits.maxHeaderBytes) {
      fail(
        'SIP_HEADER_TOO_LONG',
        `Line ${headerLine}: the header is longer than ${limits.maxHeaderBytes} bytes.`,
        headerLine,
      );
    }
    if (fields.length >= limits.maxHeaderCount) {
      fail(
        'SIP_TOO_MANY_HEADERS',
        `The message has more than ${limits.maxHeaderCount} header fields.`,
        headerLine,
      );
    }
    const field = readField(text, lineStart, end, folded, headerLine);
    if (field instanceof SipParseError) error ??= field;
    else fields.push(field);
  }
  return { fields, error };
}

function readField(
  text: string,
  start: number,
  end: number,
  folded: boolean,
  line: number,
): HeaderField | SipParseError {
  const colon = indexWithin(text, 0x3a, start, end);
  if (colon < 0) {
    return new SipParseError('SIP_HEADER_LINE_MALFORMED', `Line ${line}: a header line has no ":".`, {
      line,
    });
  }
  // HCOLON = *( SP / HTAB ) ":" SWS: white space may precede the colon (RFC 4475 `wsinv`: "TO :").
  let nameEnd = colon;
  while (nameEnd > start && isWsp(text.charCodeAt(nameEnd - 1))) nameEnd--;
  let value = text.slice(colon + 1, end);
  if (folded) value = value.replace(FOLD, ' ');
  const known = matchKnownHeaderName(text, start, nameEnd);
  if (known !== undefined) return new HeaderField(known[0], trimWs(value), known[1], line);
  const name = text.slice(start, nameEnd);
  if (!isToken(name)) {
    return new SipParseError('SIP_HEADER_LINE_MALFORMED', `Line ${line}: the header name is not a token.`, {
      line,
    });
  }
  return new HeaderField(name, trimWs(value), headerKey(name), line);
}

function trimWs(value: string): string {
  let s = 0;
  let e = value.length;
  while (s < e && isWsp(value.charCodeAt(s))) s++;
  while (e > s && isWsp(value.charCodeAt(e - 1))) e--;
  return s === 0 && e === value.length ? value : value.slice(s, e);
}

/**
 * Request-Line = Method SP Request-URI SP SIP-Version. Runs of SP between the elements and after the version
 * are tolerated (RFC 4475 `lwsstart`, `trws`: a liberal element may accept them; the line is rebuilt with
 * single spaces, so they never travel further). The Request-URI is checked in phase 2, so that a request with
 * a bad one can still be answered.
 */
function requestFromStartLine(line: string, fields: HeaderField[]): SipRequest {
  const first = line.indexOf(' ');
  const last = trimWs(line).lastIndexOf(' ');
  if (first <= 0 || last <= first) {
    fail('SIP_START_LINE_MALFORMED', 'Line 1: the request line is not "Method Request-URI SIP/2.0".', 1);
  }
  const received = line.slice(0, first);
  const method = METHOD_NAMES.get(received) ?? received;
  const version = trimWs(line).slice(last + 1);
  if (!isToken(method)) fail('SIP_METHOD_INVALID', 'Line 1: the method is not a token.', 1);
  if (!VERSION_PATTERN.test(version)) {
    fail('SIP_START_LINE_MALFORMED', 'Line 1: the request line does not end with a SIP version.', 1);
  }
  const uri = trimWs(line.slice(first, last));
  return SipRequest.fromWire(method, uri, version.toUpperCase(), new SipHeaders(fields), EMPTY);
}

/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase; the code is exactly three digits, 100 to 699. */
function responseFromStartLine(line: string, fields: HeaderField[]): SipResponse {
  const sp = line.indexOf(' ');
  const version = sp < 0 ? line : line.slice(0, sp);
  if (!VERSION_PATTERN.test(version))
    fail('SIP_START_LINE_MALFORMED', 'Line 1: the status line has no SIP version.', 1);
  let i = sp + 1;
  while (line.charCodeAt(i) === SP) i++;
  const codeEnd = i + 3;
  const code = line.slice(i, codeEnd);
  const after = line.charCodeAt(codeEnd);
  // RFC 4475 `bigcode`: 4294967301 must be refused, not wrapped into a 3-digit number.
  if (!/^[1-6][0-9][0-9]$/.test(code) || (codeEnd < line.length && after !== SP)) {
    fail('SIP_STATUS_CODE_INVALID', 'Line 1: the status code is not a number from 100 to 699.', 1);
  }
  // The reason phrase may be empty (`noreason`) and may hold UTF-8 (`unreason`).
  const reason = codeEnd < line.length ? line.slice(codeEnd + 1) : '';
  return SipResponse.fromWire(Number(code), reason, version.toUpperCase(), new SipHeaders(fields), EMPTY);
}

const EMPTY = Buffer.alloc(0);

function validateRequestUri(request: SipRequest): void {
  const text = request.requestUriText;
  if (/[ \t]/.test(text)) {
    // RFC 4475 `lwsruri`: white space inside the Request-URI leaves it ambiguous.
    throw new SipParseError('SIP_REQUEST_URI_MALFORMED', 'Line 1: the Request-URI contains white space.', {
      line: 1,
    });
  }
  const uri = request.requestUri;
  if (uri.kind === 'sip' && uri.headers.length > 0) {
    // RFC 3261 §19.1.1 (table of URI components): headers are not allowed in a Request-URI (`escruri`).
    throw new SipParseError(
      'SIP_REQUEST_URI_MALFORMED',
      'Line 1: the Request-URI carries URI headers ("?…").',
      {
        line: 1,
      },
    );
  }
}

/** The body by Content-Length in bytes, never by characters: a multibyte body is never mis-sliced. */
function frameBody(buf: Buffer, bodyStart: number, headers: SipHeaders, stream: boolean): Buffer {
  const available = buf.length - bodyStart;
  const fields = headers.fields('content-length');
  if (fields.length === 0) {
    if (stream)
      fail('SIP_CONTENT_LENGTH_MISSING', 'A message on a stream transport needs a Content-Length header.');
    return copy(buf, bodyStart, buf.length);
  }
  let length: number | undefined;
  let conflict = false;
  for (const field of fields) {
    let value: number;
    try {
      value = field.parsed(CONTENT_LENGTH_GRAMMAR);
    } catch {
      throw new SipParseError(
        'SIP_CONTENT_LENGTH_INVALID',
        `${field.name} header (line ${field.line}): not a non-negative number (RFC 3261 §20.14).`,
        { header: field.name, line: field.line },
      );
    }
    if (length !== undefined && value !== length) conflict = true;
    length ??= value;
  }
  if (conflict) {
    // RFC 4475 `mcl01`: on a datagram the message still ends with the datagram, so it parses; the
    // acceptability check then refuses it. On a stream the framing is lost.
    if (stream)
      fail('SIP_CONTENT_LENGTH_CONFLICT', 'The Content-Length headers disagree; the framing is lost.');
    return copy(buf, bodyStart, buf.length);
  }
  if (length! > available) {
    fail(
      'SIP_CONTENT_LENGTH_EXCEEDS_DATA',
      `Content-Length is ${length} but only ${available} body bytes ${stream ? 'were framed' : 'are in the datagram'}.`,
    );
  }
  if (stream && length! < available) {
    fail('SIP_TRAILING_BYTES', `${available - length!} bytes follow the body that Content-Length announces.`);
  }
  // RFC 3261 §18.3: bytes after the body in a datagram are discarded (RFC 4475 `dblreq`).
  return copy(buf, bodyStart, bodyStart + length!);
}

// The body is copied so that it never pins, or is changed through, a buffer the transport reuses.
function copy(buf: Buffer, from: number, to: number): Buffer {
  return to > from ? Buffer.from(buf.subarray(from, to)) : EMPTY;
}

const REJECTION_DETAILS: Partial<Record<SipParseErrorCode, string>> = {
  SIP_HEADER_SECTION_UNTERMINATED: 'header section not terminated',
  SIP_HEADER_LINE_MALFORMED: 'malformed header line',
  SIP_REQUEST_URI_MALFORMED: 'malformed Request-URI',
  SIP_CSEQ_METHOD_MISMATCH: 'CSeq method does not match the request method',
  SIP_CONTENT_LENGTH_INVALID: 'invalid Content-Length',
  SIP_CONTENT_LENGTH_EXCEEDS_DATA: 'Content-Length larger than the message',
  SIP_CONTENT_LENGTH_MISSING: 'missing Content-Length',
  SIP_CONTENT_LENGTH_CONFLICT: 'conflicting Content-Length values',
  SIP_TRAILING_BYTES: 'bytes after the body',
};

/**
 * Attaches the partial request and the response to send when the request can be answered: the top Via
 * parses (the response must find its way back, RFC 3261 §18.2.2) and From, To, Call-ID and CSeq are present
 * (they are copied into the response verbatim, RFC 3261 §8.2.6.2).
 */
function attachPartial(error: SipParseError, request: SipRequest): void {
  const headers = request.headers;
  const via = headers.first('via');
  if (via === undefined || via.tryParsed(VIA_GRAMMAR) === undefined) return;
  for (const key of ['from', 'to', 'call-id', 'cseq']) if (headers.first(key) === undefined) return;
  error.partialRequest = request;
  if (error.code === 'SIP_VERSION_NOT_SUPPORTED') {
    error.rejection = createRejection(error.code, 505, 'SIP version not supported');
    return;
  }
  const detail =
    REJECTION_DETAILS[error.code] ??
    (error.header === undefined
      ? 'malformed request'
      : `malformed ${canonicalHeaderName(error.header)} header`);
  error.rejection = createRejection(error.code, 400, detail);
}
