import { describe, expect, it } from 'vitest';
import { SipParseError } from '../../../src/sip/message/index.js';
import {
  CALL_ID_GRAMMAR,
  CONTENT_LENGTH_GRAMMAR,
  EXPIRES_GRAMMAR,
  MAX_FORWARDS_GRAMMAR,
} from '../../../src/sip/message/scalar-headers.js';

describe('scalar headers', () => {
  it.each([
    [MAX_FORWARDS_GRAMMAR, '70', 70],
    [MAX_FORWARDS_GRAMMAR, '0068', 68],
    [MAX_FORWARDS_GRAMMAR, '255', 255],
    [CONTENT_LENGTH_GRAMMAR, '0', 0],
    [CONTENT_LENGTH_GRAMMAR, ' 150 ', 150],
    [EXPIRES_GRAMMAR, '3600', 3600],
    [EXPIRES_GRAMMAR, '1'.padEnd(101, '0'), 0xffff_ffff],
    [EXPIRES_GRAMMAR, 'Thu, 01 Dec 1994 16:00:00 GMT', 3600],
  ])('%#: %j → %d', (grammar, text, value) => {
    expect(grammar.parse(text)).toBe(value);
  });

  it.each([
    [MAX_FORWARDS_GRAMMAR, '256'],
    [MAX_FORWARDS_GRAMMAR, '300'],
    [MAX_FORWARDS_GRAMMAR, ''],
    [CONTENT_LENGTH_GRAMMAR, '-999'],
    [CONTENT_LENGTH_GRAMMAR, '1e3'],
    [CONTENT_LENGTH_GRAMMAR, '99999999999999999999'],
  ])('%#: refuses %j', (grammar, text) => {
    expect(() => grammar.parse(text)).toThrow(SipParseError);
  });

  it.each(['a84b4c76e66710@pc33.atlanta.com', 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{', 'f81d4fae'])(
    'Call-ID %j is a word@word',
    (text) => {
      expect(CALL_ID_GRAMMAR.parse(text)).toBe(text);
    },
  );

  it.each(['', 'a b', 'a@', '@b', 'a@b@c', 'ü'])('refuses the Call-ID %j', (text) => {
    expect(() => CALL_ID_GRAMMAR.parse(text)).toThrow(SipParseError);
  });
});
