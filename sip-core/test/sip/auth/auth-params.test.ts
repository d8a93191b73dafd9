import { describe, expect, it } from 'vitest';
import {
  formatAuthHeader,
  MAX_AUTH_HEADER_LENGTH,
  parseAuthHeader,
  quoteAuthValue,
} from '../../../src/sip/auth/auth-params.js';
import { expectErrorCode } from '../../support/expect-error-code.js';

function paramsOf(value: string): Record<string, string> {
  return Object.fromEntries([...parseAuthHeader(value).params].map(([name, p]) => [name, p.value]));
}

describe('parseAuthHeader', () => {
  it.each([
    ['tokens and quoted strings', 'Digest realm="a.b", algorithm=MD5', { realm: 'a.b', algorithm: 'MD5' }],
    ['names are case-insensitive', 'Digest REALM="x", Nonce="n"', { realm: 'x', nonce: 'n' }],
    ['no blank around commas', 'Digest a="1",b=2,c="3"', { a: '1', b: '2', c: '3' }],
    ['blanks around "="', 'Digest a = "1" ,  b =2', { a: '1', b: '2' }],
    ['escaped quote and backslash', 'Digest u="a\\"b\\\\c"', { u: 'a"b\\c' }],
    ['an escaped ordinary character', 'Digest u="\\a"', { u: 'a' }],
    ['a comma inside quotes', 'Digest qop="auth,auth-int"', { qop: 'auth,auth-int' }],
    ['an empty quoted value', 'Digest opaque=""', { opaque: '' }],
    ['empty list elements', 'Digest , a="1", , b="2",', { a: '1', b: '2' }],
    ['a folded line between parameters', 'Digest a="1",\r\n b="2"', { a: '1', b: '2' }],
    ['a bare LF fold', 'Digest a="1",\n\tb="2"', { a: '1', b: '2' }],
    [
      'unquoted URI and base64 values',
      'Digest uri=sip:bob@b.com, nonce=YWJj/+==',
      { uri: 'sip:bob@b.com', nonce: 'YWJj/+==' },
    ],
    ['UTF-8 inside quotes', 'Digest username="Jäsøn"', { username: 'Jäsøn' }],
    ['leading blanks', '   Digest a=1', { a: '1' }],
  ])('reads %s', (_name, value, expected) => {
    expect(paramsOf(value)).toEqual(expected);
  });

  it('keeps the scheme as written and marks quoted values', () => {
    const parsed = parseAuthHeader('dIgEsT realm="r", algorithm=MD5');
    expect(parsed.scheme).toBe('dIgEsT');
    expect(parsed.params.get('realm')).toEqual({ value: 'r', quoted: true });
    expect(parsed.params.get('algorithm')).toEqual({ value: 'MD5', quoted: false });
  });

  it('accepts a scheme with no parameters (the Digest layer decides what is missing)', () => {
    expect(parseAuthHeader('Digest').params.size).toBe(0);
  });

  it.each([
    ['an empty value', ''],
    ['no scheme', '="x"'],
    ['garbage right after the scheme', 'Digest,realm="x"'],
    ['an unterminated quote', 'Digest realm="abc'],
    ['a dangling escape', 'Digest realm="abc\\'],
    ['a missing "="', 'Digest realm "x"'],
    ['a missing value', 'Digest realm=, nonce="n"'],
    ['a duplicate parameter', 'Digest realm="a", REALM="b"'],
    ['two values without a comma', 'Digest realm="a" nonce="b"'],
    ['text after a quoted value', 'Digest realm="a"b'],
    ['a bare CR (header injection)', 'Digest realm="a",\r nonce="b"'],
    ['a line break that is not a fold', 'Digest realm="a",\r\nX-Evil: 1'],
    ['a CRLF inside quotes that is not a fold', 'Digest realm="a\r\nb"'],
    ['a second scheme (RFC 3261 §7.3.1 forbids combining)', 'Digest realm="a", Basic x="y"'],
  ])('refuses %s with ERR_DIGEST_MALFORMED', (_name, value) => {
    expectErrorCode(() => parseAuthHeader(value), 'ERR_DIGEST_MALFORMED');
  });

  it('refuses oversized values before scanning them', () => {
    const value = `Digest realm="${'a'.repeat(MAX_AUTH_HEADER_LENGTH)}"`;
    expect(() => parseAuthHeader(value)).toThrow(/longer than/);
  });

  it('never echoes the value in its error message', () => {
    const secretish = 'Digest response="0123456789abcdef0123456789abcdef" junk';
    const error = expectErrorCode(() => parseAuthHeader(secretish), 'ERR_DIGEST_MALFORMED');
    expect(error.message).not.toContain('0123456789abcdef');
  });
});

describe('formatAuthHeader and quoteAuthValue', () => {
  it.each(['plain', 'with "quotes"', 'back\\slash', 'tab\there', 'Jäsøn Doe', '', 'a,b=c'])(
    'round-trips %j through a quoted-string',
    (value) => {
      const header = formatAuthHeader('Digest', [['v', value, 'quoted']]);
      expect(parseAuthHeader(header).params.get('v')).toEqual({ value, quoted: true });
    },
  );

  it('writes tokens unquoted and joins with ", "', () => {
    expect(
      formatAuthHeader('Digest', [
        ['realm', 'r', 'quoted'],
        ['algorithm', 'SHA-256', 'token'],
        ['nc', '00000001', 'token'],
      ]),
    ).toBe('Digest realm="r", algorithm=SHA-256, nc=00000001');
  });

  it.each(['line\nbreak', 'carriage\rreturn', 'nul\u0000', 'del\u007f'])(
    'refuses control characters in %j without echoing the value',
    (value) => {
      const error = expectErrorCode(() => quoteAuthValue(value, 'username'), 'ERR_DIGEST_UNREPRESENTABLE');
      expect(error.message).toContain('username');
      expect(error.message).not.toContain(value);
    },
  );

  it('refuses a token value that is not a token', () => {
    expect(() => formatAuthHeader('Digest', [['algorithm', 'MD 5', 'token']])).toThrow(
      /not a valid SIP token/,
    );
  });
});
