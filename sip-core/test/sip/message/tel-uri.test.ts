import { describe, expect, it } from 'vitest';
import { SipMessageError, SipParseError, TelUri } from '../../../src/sip/message/index.js';

describe('TelUri', () => {
  it('parses global and local numbers with parameters', () => {
    const global = TelUri.parse('tel:+1-201-555-0123;ext=12');
    expect([global.number, global.digits, global.isGlobal, global.params.get('ext')]).toEqual([
      '+1-201-555-0123',
      '+12015550123',
      true,
      '12',
    ]);
    const local = TelUri.parse('tel:7042;phone-context=example.com');
    expect([local.isGlobal, local.params.get('phone-context')]).toEqual([false, 'example.com']);
    expect(local.format()).toBe('tel:7042;phone-context=example.com');
  });

  it.each(['tel:', 'tel:abc xyz', 'tel:+1;', 'tel:+1;=x', 'sip:+1@a'])('refuses %j', (text) => {
    expect(() => TelUri.parse(text)).toThrow(SipParseError);
  });

  it('formats one built from fields', () => {
    expect(new TelUri({ number: '+44 20'.replace(' ', '-'), params: [['isub', '1']] }).format()).toBe(
      'tel:+44-20;isub=1',
    );
    expect(() => new TelUri({ number: 'no digits' })).toThrow(SipMessageError);
  });
});
