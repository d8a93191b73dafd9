import { describe, expect, it } from 'vitest';
import { HeaderField, SipMessageError, SipParseError, Via } from '../../../src/sip/message/index.js';
import { VIA_GRAMMAR } from '../../../src/sip/message/via.js';

const parse = (text: string): Via[] => VIA_GRAMMAR.parse(text);

describe('Via grammar', () => {
  it.each([
    [
      'SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds',
      ['UDP', 'pc33.atlanta.com', undefined, 'z9hG4bK776asdhds'],
    ],
    ['SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bKx;received=192.0.2.9', ['TCP', '192.0.2.1', 5060, 'z9hG4bKx']],
    ['SIP/2.0/TLS [2001:db8::9]:5061;branch=z9hG4bKy', ['TLS', '[2001:db8::9]', 5061, 'z9hG4bKy']],
    ['SIP / 2.0 / UDP   host : 5070 ; branch = z9hG4bKz', ['UDP', 'host', 5070, 'z9hG4bKz']],
    [
      'SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en',
      ['UNKNOWN', 't4.example.com', undefined, 'z9hG4bKasd0f3en'],
    ],
    ['SIP/2.0/UDP iftgw.example.com', ['UDP', 'iftgw.example.com', undefined, undefined]],
  ])('%s', (text, [transport, host, port, branch]) => {
    const [via] = parse(text);
    expect([via.transport, via.host, via.port, via.branch]).toEqual([transport, host, port, branch]);
    expect(via.toString()).toBe(text);
  });

  it('reads rport with and without a value, received, maddr, ttl and unknown parameters', () => {
    const [asked, answered] = parse(
      'SIP/2.0/UDP a;rport;branch=z9hG4bK1;x-flag, SIP/2.0/UDP b;rport=5062;received=2001:db8::2;maddr=239.0.0.1;ttl=16',
    );
    expect([asked.rport, asked.params.get('x-flag')]).toEqual([null, null]);
    expect([answered.rport, answered.received, answered.maddr, answered.ttl]).toEqual([
      5062,
      '2001:db8::2',
      '239.0.0.1',
      16,
    ]);
  });

  it.each([
    ['', 'protocol'],
    ['SIP/2.0', 'sent-protocol'],
    ['SIP/2.0/UDP', 'sent-by'],
    ['SIP/2.0/UDPhost', 'sent-by'],
    ['SIP/2.0/UDP host;;', 'empty parameter'],
    ['SIP/2.0/UDP host,', 'protocol'],
    ['SIP/2.0/UDP host:99999', 'port'],
    ['SIP/2.0/UDP host;rport=x', 'rport'],
    ['SIP/2.0/UDP host;ttl=300', 'ttl'],
    ['SIP/2.0/UDP host;branch', 'branch'],
    ['SIP/2.0/UDP [zz::1]', 'IPv6'],
    ['SIP/2.0/UDP host junk', 'unexpected'],
  ])('refuses %j (%s)', (text, problem) => {
    expect(() => parse(text)).toThrow(SipParseError);
    expect(() => parse(text)).toThrow(problem);
  });
});

describe('Via values', () => {
  it('builds a Via with branch and an rport request', () => {
    const via = new Via({
      transport: 'TLS',
      host: '2001:db8::1',
      port: 5061,
      branch: 'z9hG4bKa',
      rport: null,
    });
    expect(via.toString()).toBe('SIP/2.0/TLS [2001:db8::1]:5061;branch=z9hG4bKa;rport');
    expect(via.sentBy).toBe('[2001:db8::1]:5061');
    expect(via.hasRfc3261Branch).toBe(true);
  });

  it('setters re-serialise the value and its header field', () => {
    const field = new HeaderField('Via', 'SIP/2.0/UDP a.example;branch=z9hG4bK1;rport , SIP/2.0/UDP b');
    const [top] = field.parsed(VIA_GRAMMAR);
    top.received = '192.0.2.7';
    top.rport = 40000;
    expect(field.value).toBe(
      'SIP/2.0/UDP a.example;branch=z9hG4bK1;rport=40000;received=192.0.2.7, SIP/2.0/UDP b',
    );
    top.port = 5080;
    top.rport = undefined;
    expect(field.value).toBe('SIP/2.0/UDP a.example:5080;branch=z9hG4bK1;received=192.0.2.7, SIP/2.0/UDP b');
  });

  it.each([
    ['a host with a space', () => new Via({ transport: 'UDP', host: 'a b' })],
    ['a port out of range', () => new Via({ transport: 'UDP', host: 'a', port: 70000 })],
    ['a transport that is not a token', () => new Via({ transport: 'U DP', host: 'a' })],
    [
      'received that is not an address',
      () => (new Via({ transport: 'UDP', host: 'a' }).received = 'host.example'),
    ],
    ['a branch that is not a token', () => new Via({ transport: 'UDP', host: 'a', branch: 'a;b' })],
  ])('refuses %s', (_, build) => {
    expect(build).toThrow(SipMessageError);
  });

  it('tells RFC 3261 branches from RFC 2543 ones', () => {
    const branchOf = (branch?: string): boolean =>
      new Via({ transport: 'UDP', host: 'a', branch }).hasRfc3261Branch;
    expect([branchOf('z9hG4bKabc'), branchOf('z9hG4bK'), branchOf('abc'), branchOf(undefined)]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});
