import { describe, expect, it } from 'vitest';
import { CSeq, MAX_CSEQ, SipMessageError, SipParseError } from '../../../src/sip/message/index.js';
import { parseCSeq } from '../../../src/sip/message/cseq.js';

describe('CSeq', () => {
  it.each([
    ['1 INVITE', 1, 'INVITE'],
    ['0009 INVITE', 9, 'INVITE'],
    ['  4294967295   REGISTER ', MAX_CSEQ, 'REGISTER'],
    [
      "139122385 !interesting-Method0123456789_*+`.%indeed'~",
      139122385,
      "!interesting-Method0123456789_*+`.%indeed'~",
    ],
  ])('%j', (text, seq, method) => {
    const cseq = parseCSeq(text);
    expect([cseq.seq, cseq.method]).toEqual([seq, method]);
  });

  it.each([
    ['4294967296 INVITE', 'larger than 2^32-1'],
    ['36893488147419103232 REGISTER', 'larger than 2^32-1'],
    ['INVITE', 'missing sequence number'],
    ['1INVITE', 'white space'],
    ['1 ', 'missing method'],
    ['-1 INVITE', 'missing sequence number'],
    ['1 INVITE extra', 'unexpected'],
  ])('refuses %j (%s)', (text, problem) => {
    expect(() => parseCSeq(text)).toThrow(SipParseError);
    expect(() => parseCSeq(text)).toThrow(problem);
  });

  it('builds, changes and validates', () => {
    const cseq = new CSeq(1, 'INVITE');
    cseq.seq = 2;
    cseq.method = 'ACK';
    expect(cseq.toString()).toBe('2 ACK');
    expect(() => new CSeq(-1, 'INVITE')).toThrow(SipMessageError);
    expect(() => new CSeq(2 ** 32, 'INVITE')).toThrow(SipMessageError);
    expect(() => new CSeq(1.5, 'INVITE')).toThrow(SipMessageError);
    expect(() => new CSeq(1, 'IN VITE')).toThrow(SipMessageError);
  });
});
