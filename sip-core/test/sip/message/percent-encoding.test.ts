import { describe, expect, it } from 'vitest';
import { CharClass } from '../../../src/sip/message/sip-lexer.js';
import { canonicalEscapes, percentDecode, percentEncode } from '../../../src/sip/message/percent-encoding.js';
import { SipParseError } from '../../../src/sip/message/index.js';

describe('percent encoding', () => {
  it.each([
    ['plain', 'plain'],
    ['%61lice', 'alice'],
    ['null-%00-null', 'null-\u0000-null'],
    ['v%61lue%25%34%31', 'value%41'],
    ['caf%C3%A9', 'café'],
    ['%FF%FE', '\u00ff\u00fe'],
  ])('decodes %j once', (text, decoded) => {
    expect(percentDecode(text)).toBe(decoded);
  });

  it.each(['%', '%4', '%zz', 'a%g0'])('refuses the broken escape %j', (text) => {
    expect(() => percentDecode(text)).toThrow(SipParseError);
  });

  it('encodes what a component may not hold, and decoding gives the text back', () => {
    const user = CharClass.UNRESERVED | CharClass.USER_UNRESERVED;
    for (const text of ['a b', 'x@y', 'ü', '\u0000', '%', 'caf\u00e9', '\u00ff']) {
      expect(percentDecode(percentEncode(text, user))).toBe(text);
    }
    expect(percentEncode('a b@c', user)).toBe('a%20b%40c');
  });

  it('canonical form decodes unreserved escapes only (RFC 3261 §19.1.4)', () => {
    expect(canonicalEscapes('%61li%63e', CharClass.UNRESERVED)).toBe('alice');
    expect(canonicalEscapes('a%3bb%3B', CharClass.UNRESERVED)).toBe('a%3Bb%3B');
  });
});
