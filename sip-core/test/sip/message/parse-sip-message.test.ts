import { describe, expect, it } from 'vitest';
import {
  parseSipMessage,
  SipParseError,
  type SipParseErrorCode,
  SipRequest,
  SipResponse,
} from '../../../src/sip/message/index.js';

const CRLF = '\r\n';
const HEAD = [
  'OPTIONS sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bKa',
  'From: <sip:alice@example.com>;tag=1',
  'To: <sip:bob@example.com>',
  'Call-ID: c1',
  'CSeq: 1 OPTIONS',
];

function message(lines: string[], body = ''): Buffer {
  return Buffer.from([...lines, '', body].join(CRLF), 'utf8');
}

function errorOf(bytes: Buffer, options?: Parameters<typeof parseSipMessage>[1]): SipParseError {
  try {
    parseSipMessage(bytes, options);
  } catch (error) {
    if (error instanceof SipParseError) return error;
    throw error;
  }
  throw new Error('expected a SipParseError');
}

describe('parseSipMessage: start lines', () => {
  it('tells requests from responses', () => {
    expect(parseSipMessage(message(HEAD))).toBeInstanceOf(SipRequest);
    const response = parseSipMessage(message(['SIP/2.0 486 Busy Here', ...HEAD.slice(1)]));
    expect(response).toBeInstanceOf(SipResponse);
    expect([(response as SipResponse).statusCode, (response as SipResponse).reasonPhrase]).toEqual([
      486,
      'Busy Here',
    ]);
  });

  it('skips CRLFs before the start line (RFC 3261 §7.5)', () => {
    const m = parseSipMessage(Buffer.concat([Buffer.from('\r\n\r\n'), message(HEAD)])) as SipRequest;
    expect(m.method).toBe('OPTIONS');
  });

  it('accepts the SIP version in any case and writes it canonically', () => {
    const m = parseSipMessage(message(['OPTIONS sip:bob@example.com sip/2.0', ...HEAD.slice(1)]));
    expect(m.startLine).toBe('OPTIONS sip:bob@example.com SIP/2.0');
  });

  it.each<[string, SipParseErrorCode]>([
    ['OPTIONS sip:bob@example.com', 'SIP_START_LINE_MALFORMED'],
    ['OPTIONS', 'SIP_START_LINE_MALFORMED'],
    [' OPTIONS sip:bob@example.com SIP/2.0', 'SIP_START_LINE_MALFORMED'],
    ['OPTIONS sip:bob@example.com HTTP/1.1', 'SIP_START_LINE_MALFORMED'],
    ['OPT(IONS sip:bob@example.com SIP/2.0', 'SIP_METHOD_INVALID'],
    ['SIP/2.0 99 Low', 'SIP_STATUS_CODE_INVALID'],
    ['SIP/2.0 700 High', 'SIP_STATUS_CODE_INVALID'],
    ['SIP/2.0 2000 OK', 'SIP_STATUS_CODE_INVALID'],
    ['SIP/2.0 OK', 'SIP_STATUS_CODE_INVALID'],
    ['SIP/3.0 200 OK', 'SIP_VERSION_NOT_SUPPORTED'],
    ['SIP/ 200 OK', 'SIP_START_LINE_MALFORMED'],
  ])('refuses the start line %j', (line, code) => {
    expect(errorOf(message([line, ...HEAD.slice(1)])).code).toBe(code);
  });

  it('accepts a status line without the SP before an empty reason phrase', () => {
    expect((parseSipMessage(message(['SIP/2.0 180', ...HEAD.slice(1)])) as SipResponse).reasonPhrase).toBe(
      '',
    );
  });
});

describe('parseSipMessage: headers', () => {
  it('unfolds continuation lines into single spaces (RFC 3261 §7.3.1)', () => {
    const m = parseSipMessage(message([...HEAD, 'Subject: one', ' two\t', '\t three']));
    expect(m.headers.get('subject')).toBe('one two three');
  });

  it('names the line of a malformed header and still parses the rest into the partial request', () => {
    const error = errorOf(message([...HEAD, 'X-Good: 1', 'no colon here', 'X-After: 2']));
    expect([error.code, error.line]).toEqual(['SIP_HEADER_LINE_MALFORMED', 8]);
    expect(error.message).toBe('Line 8: a header line has no ":".');
    expect(error.partialRequest?.headers.get('X-After')).toBe('2');
    expect(error.rejection).toMatchObject({
      statusCode: 400,
      reasonPhrase: 'Bad Request (malformed header line)',
    });
  });

  it.each<[string, string[], SipParseErrorCode]>([
    ['a header name with a space', ['Bad Name: x'], 'SIP_HEADER_LINE_MALFORMED'],
    ['an empty header name', [': x'], 'SIP_HEADER_LINE_MALFORMED'],
    ['a malformed Via', ['Via: SIP/2.0/UDP'], 'SIP_HEADER_MALFORMED'],
    ['a malformed Contact', ['Contact: <sip:a@b'], 'SIP_HEADER_MALFORMED'],
    ['a malformed Max-Forwards', ['Max-Forwards: many'], 'SIP_HEADER_MALFORMED'],
    ['a second malformed Call-ID', ['Call-ID: has space'], 'SIP_HEADER_MALFORMED'],
  ])('refuses %s', (_, extra, code) => {
    expect(errorOf(message([...HEAD, ...extra])).code).toBe(code);
  });

  it('refuses a continuation line right after the start line', () => {
    expect(errorOf(message([HEAD[0], ' folded', ...HEAD.slice(1)])).code).toBe('SIP_HEADER_LINE_MALFORMED');
  });

  it.each([
    ['a bare LF', 'X-A: 1\nX-B: 2'],
    ['a bare CR', 'X-A: 1\rX-B: 2'],
  ])('refuses %s in the header section', (_, line) => {
    expect(errorOf(message([...HEAD, line])).code).toBe('SIP_LINE_BREAK_INVALID');
  });

  it('leaves headers it does not validate for later, and their views throw SipParseError', () => {
    const m = parseSipMessage(message([...HEAD, 'Content-Type: not a type', 'Reason: ;;']));
    expect(() => m.contentType).toThrow(expect.objectContaining({ code: 'SIP_HEADER_MALFORMED', line: 7 }));
    expect(() => m.reasons).toThrow(SipParseError);
    expect(m.headers.get('Content-Type')).toBe('not a type');
  });
});

describe('parseSipMessage: body framing', () => {
  it('datagram: Content-Length bytes, the rest ignored; no Content-Length means the rest', () => {
    expect(parseSipMessage(message([...HEAD, 'Content-Length: 3'], 'abcdef')).body.toString()).toBe('abc');
    expect(parseSipMessage(message(HEAD, 'abcdef')).body.toString()).toBe('abcdef');
  });

  it('datagram: Content-Length 0 with no body at all', () => {
    expect(parseSipMessage(message([...HEAD, 'l: 0'])).body.length).toBe(0);
  });

  it('datagram: conflicting Content-Length values leave the rest of the datagram as the body', () => {
    const m = parseSipMessage(message([...HEAD, 'Content-Length: 2', 'Content-Length: 4'], 'abcdef'));
    expect(m.body.toString()).toBe('abcdef');
  });

  it('copies the body out of the input buffer', () => {
    const input = message([...HEAD, 'Content-Length: 3'], 'abc');
    const m = parseSipMessage(input);
    input.fill(0x7a);
    expect(m.body.toString()).toBe('abc');
  });

  it('stream: Content-Length must be present and match exactly', () => {
    const stream = { framing: 'stream' } as const;
    expect(parseSipMessage(message([...HEAD, 'Content-Length: 3'], 'abc'), stream).body.toString()).toBe(
      'abc',
    );
    expect(errorOf(message(HEAD, 'abc'), stream).code).toBe('SIP_CONTENT_LENGTH_MISSING');
    expect(errorOf(message([...HEAD, 'Content-Length: 2'], 'abc'), stream).code).toBe('SIP_TRAILING_BYTES');
    expect(errorOf(message([...HEAD, 'Content-Length: 4'], 'abc'), stream).code).toBe(
      'SIP_CONTENT_LENGTH_EXCEEDS_DATA',
    );
    expect(errorOf(message([...HEAD, 'l: 3', 'l: 4'], 'abc'), stream).code).toBe(
      'SIP_CONTENT_LENGTH_CONFLICT',
    );
  });

  it('accepts a Uint8Array as well as a Buffer', () => {
    const bytes = new Uint8Array(message([...HEAD, 'Content-Length: 2'], 'hi'));
    expect(parseSipMessage(bytes).body.toString()).toBe('hi');
  });

  it('refuses an empty message and one of nothing but CRLFs', () => {
    expect(errorOf(Buffer.alloc(0)).code).toBe('SIP_MESSAGE_EMPTY');
    expect(errorOf(Buffer.from('\r\n\r\n')).code).toBe('SIP_MESSAGE_EMPTY');
  });

  it('refuses a header section without the empty line, answering when it can', () => {
    const error = errorOf(Buffer.from(HEAD.join(CRLF) + CRLF));
    expect(error.code).toBe('SIP_HEADER_SECTION_UNTERMINATED');
    expect(error.rejection?.statusCode).toBe(400);
  });
});

describe('parseSipMessage: partial requests', () => {
  it('are only offered when the top Via parses and From, To, Call-ID, CSeq are present', () => {
    const noCallId = message([...HEAD.filter((l) => !l.startsWith('Call-ID')), 'Content-Length: 9'], 'x');
    expect(errorOf(noCallId).partialRequest).toBeUndefined();
    const badVia = message([HEAD[0], 'Via: nonsense', ...HEAD.slice(2), 'Content-Length: 9'], 'x');
    expect(errorOf(badVia).partialRequest).toBeUndefined();
    const answerable = message([...HEAD, 'Content-Length: 9'], 'x');
    expect(errorOf(answerable).partialRequest?.callId).toBe('c1');
  });

  it('are never offered for responses', () => {
    const error = errorOf(message(['SIP/2.0 200 OK', ...HEAD.slice(1), 'Content-Length: 9'], 'x'));
    expect([error.code, error.partialRequest, error.rejection]).toEqual([
      'SIP_CONTENT_LENGTH_EXCEEDS_DATA',
      undefined,
      undefined,
    ]);
  });

  it('keep a bad Request-URI readable as text, and its view throws', () => {
    const error = errorOf(
      message(['INVITE <sip:bob@example.com> SIP/2.0', ...HEAD.slice(1, 5), 'CSeq: 1 INVITE']),
    );
    expect(error.code).toBe('SIP_REQUEST_URI_MALFORMED');
    expect(error.partialRequest!.requestUriText).toBe('<sip:bob@example.com>');
    expect(() => error.partialRequest!.requestUri).toThrow(SipParseError);
  });

  it('never echo header values in error messages', () => {
    const error = errorOf(message([...HEAD, 'Contact: <sip:user:SECRET@host']));
    expect(error.message).not.toContain('SECRET');
    expect(error.rejection!.reasonPhrase).toBe('Bad Request (malformed Contact header)');
  });
});
