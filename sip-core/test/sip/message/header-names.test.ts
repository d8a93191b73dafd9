import { describe, expect, it } from 'vitest';
import { canonicalHeaderName, COMPACT_FORMS, headerKey } from '../../../src/sip/message/index.js';
import { matchKnownHeaderName } from '../../../src/sip/message/header-names.js';

describe('header names', () => {
  it.each(Object.entries(COMPACT_FORMS))('compact %s is %s', (compact, long) => {
    expect(headerKey(compact)).toBe(long);
    expect(headerKey(compact.toUpperCase())).toBe(long);
  });

  it.each([
    ['Via', 'via'],
    ['VIA', 'via'],
    ['MaX-fOrWaRdS', 'max-forwards'],
    ['X-Custom', 'x-custom'],
  ])('%s → %s', (name, key) => {
    expect(headerKey(name)).toBe(key);
  });

  it.each([
    ['call-id', 'Call-ID'],
    ['i', 'Call-ID'],
    ['cseq', 'CSeq'],
    ['www-authenticate', 'WWW-Authenticate'],
    ['record-route', 'Record-Route'],
    ['x-plivo-stir-verification', 'X-Plivo-Stir-Verification'],
  ])('writes %s as %s', (name, written) => {
    expect(canonicalHeaderName(name)).toBe(written);
  });

  it('matches common spellings in place and leaves the rest to headerKey', () => {
    const text = 'xxContent-Typexx';
    expect(matchKnownHeaderName(text, 2, 14)).toEqual(['Content-Type', 'content-type']);
    expect(matchKnownHeaderName('content-type', 0, 12)).toBeUndefined();
    expect(matchKnownHeaderName('Content-Typo', 0, 12)).toBeUndefined();
  });
});
