import { describe, expect, it } from 'vitest';
import { SipHeaders, SipMessageError } from '../../../src/sip/message/index.js';

describe('SipHeaders', () => {
  const headers = (): SipHeaders =>
    SipHeaders.from([
      ['v', 'SIP/2.0/UDP a;branch=z9hG4bK1'],
      ['Call-ID', 'abc'],
      ['Via', 'SIP/2.0/UDP b;branch=z9hG4bK2'],
      ['Allow', 'INVITE, ACK'],
      ['allow', 'BYE'],
      ['X-Quoted', '"a,b", <sip:c,d@e>, f'],
    ]);

  it('looks up case-insensitively and through compact forms', () => {
    const h = headers();
    expect([h.get('i'), h.get('CALL-ID'), h.get('call-id')]).toEqual(['abc', 'abc', 'abc']);
    expect(h.getAll('VIA')).toEqual(['SIP/2.0/UDP a;branch=z9hG4bK1', 'SIP/2.0/UDP b;branch=z9hG4bK2']);
    expect(h.has('Contact')).toBe(false);
  });

  it('splits list headers across fields, not inside quotes or brackets', () => {
    const h = headers();
    expect(h.getList('Allow')).toEqual(['INVITE', 'ACK', 'BYE']);
    expect(h.getList('x-quoted')).toEqual(['"a,b"', '<sip:c,d@e>', 'f']);
  });

  it('set replaces every field of the name at the first one’s place', () => {
    const h = headers().set('ALLOW', 'OPTIONS');
    expect([...h.entries()].map(([n]) => n)).toEqual(['v', 'Call-ID', 'Via', 'ALLOW', 'X-Quoted']);
    expect(h.set('New', '1').get('new')).toBe('1');
  });

  it('prepend goes above the first field of the same name, append at the end, delete removes all', () => {
    const h = headers().prepend('Via', 'SIP/2.0/UDP top').append('Route', '<sip:r>');
    expect([...h.entries()].map(([n, v]) => `${n}:${v}`)[0]).toBe('Via:SIP/2.0/UDP top');
    expect(h.fields().at(-1)!.name).toBe('Route');
    expect(h.delete('v')).toBe(3);
    expect(h.prepend('Route', '<sip:first>').getAll('route')).toEqual(['<sip:first>', '<sip:r>']);
    expect(h.prepend('Max-Forwards', '70').fields()[0].name).toBe('Max-Forwards');
  });

  it('refuses names that are not tokens and values with line breaks', () => {
    expect(() => new SipHeaders().append('Bad Name', 'x')).toThrow(SipMessageError);
    expect(() => new SipHeaders().append('X', 'a\r\nInjected: yes')).toThrow(SipMessageError);
    expect(() => new SipHeaders().set('X', 'a\nb')).toThrow(SipMessageError);
  });

  it('clones fields by text', () => {
    const h = headers();
    const copy = h.clone();
    copy.set('Call-ID', 'other');
    expect([h.get('i'), copy.get('i')]).toEqual(['abc', 'other']);
  });
});
