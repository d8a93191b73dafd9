import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseUri, SipMessageError, SipParseError, SipUri } from '../../../src/sip/message/index.js';

describe('SipUri.parse', () => {
  it.each([
    ['sip:alice@atlanta.com', { user: 'alice', host: 'atlanta.com', port: undefined }],
    [
      'sips:alice:secretword@atlanta.com;transport=tcp',
      { user: 'alice', password: 'secretword', host: 'atlanta.com' },
    ],
    ['sip:+1-212-555-1212:1234@gateway.com;user=phone', { user: '+1-212-555-1212', password: '1234' }],
    ['sip:alice@192.0.2.4:5061', { host: '192.0.2.4', port: 5061 }],
    ['sip:[2001:db8::10]:5070;transport=udp', { host: '[2001:db8::10]', port: 5070, user: undefined }],
    ['sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com', { host: 'atlanta.com', user: undefined }],
    ['sip:alice;day=tuesday@atlanta.com', { user: 'alice;day=tuesday', host: 'atlanta.com' }],
    ['SIP:Bob@Example.COM:00005060', { user: 'Bob', host: 'Example.COM', port: 5060 }],
  ])('%s', (text, fields) => {
    const uri = SipUri.parse(text);
    expect(uri).toMatchObject(fields);
    expect(uri.format()).toBe(text);
  });

  it('reads URI parameters, valueless ones and headers, decoded', () => {
    const uri = SipUri.parse(
      'sip:bob@b.example;transport=TCP;lr;maddr=239.1.1.1;user=phone?Replaces=a%40b%3Bto-tag%3D1&X=y',
    );
    expect([...uri.params]).toEqual([
      ['transport', 'TCP'],
      ['lr', null],
      ['maddr', '239.1.1.1'],
      ['user', 'phone'],
    ]);
    expect([uri.transport, uri.lr, uri.maddr, uri.userParam]).toEqual(['tcp', true, '239.1.1.1', 'phone']);
    expect(uri.headers).toEqual([
      ['Replaces', 'a@b;to-tag=1'],
      ['X', 'y'],
    ]);
  });

  it.each([
    ['sip:', 'host'],
    ['sip:@example.com', 'user'],
    ['sip:a@', 'host'],
    ['sip:a@b:', 'port'],
    ['sip:a@b:70000', 'port'],
    ['sip:a@b;', 'parameter'],
    ['sip:a@b;x=', 'parameter'],
    ['sip:a@b?', 'header'],
    ['sip:a@[::1', 'IPv6'],
    ['sip:a b@c', 'user'],
    ['sip:a@b c', 'unexpected'],
    ['sip:a%zz@b', '%'],
    ['tel:+1;x', 'scheme'],
  ])('refuses %s (%s)', (text, problem) => {
    const error = (() => {
      try {
        SipUri.parse(text);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SipParseError);
    expect((error as SipParseError).code).toBe('SIP_URI_MALFORMED');
    expect((error as SipParseError).message).toContain(problem);
  });
});

describe('SipUri from fields', () => {
  it('escapes each component as RFC 3261 §19.1.2 requires when formatting', () => {
    const uri = new SipUri({
      scheme: 'sips',
      user: 'a b@c',
      host: '2001:db8::1',
      port: 5061,
      params: [
        ['transport', 'tls'],
        ['lr', null],
        ['odd', 'x y'],
      ],
      headers: [['Subject', 'hi there']],
    });
    expect(uri.format()).toBe(
      'sips:a%20b%40c@[2001:db8::1]:5061;transport=tls;lr;odd=x%20y?Subject=hi%20there',
    );
    expect(SipUri.parse(uri.format())).toMatchObject({ user: 'a b@c', host: '[2001:db8::1]', port: 5061 });
  });

  it('with() and withParam() return changed copies and leave the original alone', () => {
    const uri = SipUri.parse('sip:alice@a.example;transport=udp');
    const changed = uri.with({ port: 5070, user: undefined }).withParam('lr', null).withoutParam('transport');
    expect(changed.format()).toBe('sip:a.example:5070;lr');
    expect(uri.format()).toBe('sip:alice@a.example;transport=udp');
  });

  it('refuses fields that cannot be written', () => {
    expect(() => new SipUri({ host: 'a b' })).toThrow(SipMessageError);
    expect(() => new SipUri({ host: 'a', port: 65536 })).toThrow(SipMessageError);
    expect(() => new SipUri({ host: 'a', user: '' })).toThrow(SipMessageError);
  });

  it('never shows a password in toString or inspect output', () => {
    const uri = parseUri('sip:alice:hunter2@example.com');
    expect(uri.format()).toBe('sip:alice:hunter2@example.com');
    expect(String(uri)).toBe('sip:alice:****@example.com');
    expect(inspect(uri)).not.toContain('hunter2');
    expect(inspect({ nested: [uri] })).not.toContain('hunter2');
  });
});

describe('parseUri', () => {
  it('dispatches on the scheme and keeps unknown schemes as absolute URIs', () => {
    expect(parseUri('sip:a@b').kind).toBe('sip');
    expect(parseUri('SIPS:a@b').scheme).toBe('sips');
    expect(parseUri('tel:+1-201-555-0123').kind).toBe('tel');
    const other = parseUri('soap.beep://192.0.2.103:3002');
    expect(other).toMatchObject({ kind: 'absolute', scheme: 'soap.beep', opaque: '//192.0.2.103:3002' });
    expect(other.format()).toBe('soap.beep://192.0.2.103:3002');
  });

  it.each(['', 'nocolon', ':x', '1abc:x', '<sip:a@b>', 'http://a b', 'isbn:'])('refuses %j', (text) => {
    expect(() => parseUri(text)).toThrow(SipParseError);
  });
});

describe('SipUri.isParsed (what a dialog may keep as text without parsing it again)', () => {
  it('is true for a parsed URI, whose format() is the text it was parsed from', () => {
    const text = 'SIP:%41lice@Example.COM:5070;transport=TCP;lr?subject=hi';
    const uri = SipUri.parse(text);
    expect(uri.isParsed).toBe(true);
    expect(uri.format()).toBe(text);
    expect(SipUri.parse(uri.format()).format()).toBe(text);
  });

  it('is false for a URI built from fields or changed from a parsed one', () => {
    expect(new SipUri({ scheme: 'sip', user: 'alice', host: 'example.com' }).isParsed).toBe(false);
    expect(SipUri.parse('sip:alice@example.com').with({ port: 5080 }).isParsed).toBe(false);
    expect(SipUri.parse('sip:alice@example.com').withParam('lr', null).isParsed).toBe(false);
  });
});
