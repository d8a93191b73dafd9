import { describe, expect, it } from 'vitest';
import { ReasonValue, SipParseError } from '../../../src/sip/message/index.js';
import { parseReasonList } from '../../../src/sip/message/reason.js';

describe('Reason (RFC 3326)', () => {
  it('reads protocol, cause and unquoted text of each value', () => {
    const values = parseReasonList(
      'SIP ;cause=200 ;text="Call completed elsewhere", Q.850;cause=16;text="Normal \\"clearing\\""',
    );
    expect(values.map((v) => [v.protocol, v.cause, v.text])).toEqual([
      ['SIP', 200, 'Call completed elsewhere'],
      ['Q.850', 16, 'Normal "clearing"'],
    ]);
  });

  it('gives undefined for a missing or non-numeric cause', () => {
    expect(parseReasonList('SIP;text="x"')[0].cause).toBeUndefined();
    expect(parseReasonList('SIP;cause=abc')[0].cause).toBeUndefined();
  });

  it.each(['', ';cause=1', 'SIP;;', 'SIP cause'])('refuses %j', (text) => {
    expect(() => parseReasonList(text)).toThrow(SipParseError);
  });

  it('builds a value that parses back', () => {
    const value = new ReasonValue({ protocol: 'Q.850', cause: 17, text: 'User "busy"' });
    expect(value.toString()).toBe('Q.850;cause=17;text="User \\"busy\\""');
    expect(parseReasonList(value.toString())[0].text).toBe('User "busy"');
  });
});
