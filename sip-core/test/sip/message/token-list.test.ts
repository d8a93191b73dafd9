import { describe, expect, it } from 'vitest';
import { SipParseError } from '../../../src/sip/message/index.js';
import { parseTokenList } from '../../../src/sip/message/token-list.js';

describe('token lists', () => {
  it('splits at commas, trims, and skips empty elements', () => {
    expect(parseTokenList('INVITE, ACK,CANCEL ,, BYE')).toEqual(['INVITE', 'ACK', 'CANCEL', 'BYE']);
    expect(parseTokenList('')).toEqual([]);
  });

  it('refuses elements that are not tokens', () => {
    expect(() => parseTokenList('timer, 100 rel')).toThrow(SipParseError);
    expect(() => parseTokenList('"quoted"')).toThrow(SipParseError);
  });
});
