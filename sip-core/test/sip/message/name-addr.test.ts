import { describe, expect, it } from 'vitest';
import {
  HeaderField,
  MALFORMED_EXPIRES_SECONDS,
  MAX_EXPIRES_SECONDS,
  NameAddr,
  parseNameAddr,
  parseNameAddrList,
  SipParseError,
  type SipUri,
} from '../../../src/sip/message/index.js';
import { CONTACT_GRAMMAR, NAME_ADDR_GRAMMAR } from '../../../src/sip/message/name-addr.js';

describe('name-addr and addr-spec', () => {
  it.each([
    ['"Alice \\"A\\"" <sip:alice@a.example>;tag=1', 'Alice "A"', 'sip:alice@a.example', '1'],
    ['Bob <sip:bob@b.example>', 'Bob', 'sip:bob@b.example', undefined],
    ['Bob  Smith<sip:bob@b.example>;tag=x', 'Bob  Smith', 'sip:bob@b.example', 'x'],
    ['<sip:carol@c.example;transport=tcp>;tag=2', undefined, 'sip:carol@c.example;transport=tcp', '2'],
    ['sip:dave@d.example;tag=3', undefined, 'sip:dave@d.example', '3'],
    ['tel:+15551234;tag=4', undefined, 'tel:+15551234', '4'],
    ['<urn:service:sos>', undefined, 'urn:service:sos', undefined],
    ['""<sip:e@e.example>', '', 'sip:e@e.example', undefined],
  ])('%s', (text, displayName, uri, tag) => {
    const value = parseNameAddr(text);
    expect([value.displayName, value.uri.format(), value.tag]).toEqual([displayName, uri, tag]);
    expect(value.toString()).toBe(text);
  });

  it('splits lists at commas outside quotes and brackets', () => {
    const values = parseNameAddrList('"Doe, John" <sip:j,x@a>, sip:k@b ;q=0.5,<sip:l@c>');
    expect(values.map((v) => [v.displayName, v.uri.format(), v.q])).toEqual([
      ['Doe, John', 'sip:j,x@a', undefined],
      [undefined, 'sip:k@b', 0.5],
      [undefined, 'sip:l@c', undefined],
    ]);
  });

  it.each([
    ['', 'empty'],
    ['"unterminated <sip:a@b>', 'unterminated'],
    ['"name" sip:a@b', 'followed by <URI>'],
    ['<sip:a@b', '">"'],
    ['< sip:a@b>', 'white space'],
    ['Bell, Alexander <sip:a@b>', 'quoted string'],
    ['sip:a@b?Route=x', 'enclosed'],
    ['<sip:a@b>;;', 'empty parameter'],
    ['<sip:a@b> junk', 'unexpected'],
    ['<not a uri>', 'URI'],
  ])('refuses %j (%s)', (text, problem) => {
    expect(() => parseNameAddr(text)).toThrow(SipParseError);
    expect(() => parseNameAddr(text)).toThrow(problem);
  });

  it('parses Contact: * as the empty list and writes it back', () => {
    expect(CONTACT_GRAMMAR.parse(' * ')).toEqual([]);
    expect(CONTACT_GRAMMAR.format([])).toBe('*');
  });
});

describe('NameAddr values', () => {
  it('always writes the name-addr form, quoting the display name', () => {
    const value = new NameAddr({ uri: 'sip:a@b;lr', displayName: 'A "B" \\ C', params: [['tag', 'z']] });
    expect(value.toString()).toBe('"A \\"B\\" \\\\ C" <sip:a@b;lr>;tag=z');
    expect(parseNameAddr(value.toString()).displayName).toBe('A "B" \\ C');
  });

  it('setting a tag, a URI or a display name re-serialises the field', () => {
    const field = new HeaderField('To', 'sip:bob@b.example');
    const to = field.parsed(NAME_ADDR_GRAMMAR);
    to.tag = 'abc';
    expect(field.value).toBe('<sip:bob@b.example>;tag=abc');
    to.uri = (to.uri as SipUri).with({ port: 5070 });
    to.displayName = 'Bob';
    expect(field.value).toBe('"Bob" <sip:bob@b.example:5070>;tag=abc');
  });

  it.each([
    ['3600', 3600],
    ['0', 0],
    ['007', 7],
    ['4294967296', MAX_EXPIRES_SECONDS],
    ['1'.repeat(100), MAX_EXPIRES_SECONDS],
    ['"soon"', MALFORMED_EXPIRES_SECONDS],
    ['-5', MALFORMED_EXPIRES_SECONDS],
  ])('expires=%s is %d seconds (RFC 3261 §10.2.1.1)', (text, seconds) => {
    expect(parseNameAddr(`<sip:a@b>;expires=${text}`).expires).toBe(seconds);
  });

  it.each([
    ['1', 1],
    ['0.5', 0.5],
    ['0.333', 0.333],
    ['1.000', 1],
    ['1.5', undefined],
    ['0.1234', undefined],
    ['x', undefined],
  ])('q=%s is %s', (text, q) => {
    expect(parseNameAddr(`<sip:a@b>;q=${text}`).q).toBe(q);
  });
});
