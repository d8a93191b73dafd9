import { describe, expect, it } from 'vitest';
import { parseOriginationUri } from '../../../src/policy/inbound/origination-uri.js';

describe('origination URIs (§1, §2.3, §14.3, §20)', () => {
  it.each([
    [
      '203.0.113.10',
      { host: '203.0.113.10', hostKind: 'ipv4', port: 5060, transport: 'udp', transportExplicit: false },
    ],
    ['203.0.113.10:5080', { port: 5080, portExplicit: true, transport: 'udp' }],
    ['pbx.example.com', { host: 'pbx.example.com', hostKind: 'fqdn', port: 5060 }],
    [
      'PBX.Example.com:5070;transport=TCP',
      { host: 'pbx.example.com', port: 5070, transport: 'tcp', transportExplicit: true },
    ],
    ['pbx.example.com;transport=tls', { port: 5061, transport: 'tls' }],
    ['sip:agent@sip.example.net', { user: 'agent', host: 'sip.example.net', transport: 'udp' }],
    ['sip:agent@sip.example.net:5080;transport=tcp', { user: 'agent', port: 5080, transport: 'tcp' }],
    ['sips:agent@sip.example.net', { transport: 'tls', port: 5061 }],
    ['[2001:db8::10]:5062', { host: '2001:db8::10', hostKind: 'ipv6', port: 5062 }],
    ['2001:db8::10', { host: '2001:db8::10', hostKind: 'ipv6', port: 5060 }],
  ])('%s', (uri, expected) => {
    const result = parseOriginationUri(uri);
    expect(result.ok).toBe(true);
    expect(result.ok && result.target).toMatchObject(expected);
  });

  it.each([
    ['', /required/],
    ['pbx.example.com;transport=sctp', /transport “sctp”/],
    ['pbx.example.com:0', /port “0”/],
    ['pbx.example.com:70000', /port/],
    ['pbx_example!.com', /neither an IP address nor a host name/],
    ['999.1.1.1', /neither/],
    ['agent@pbx.example.com', /needs the sip: scheme/],
    ['sip:@pbx.example.com', /user part/],
  ])('refuses %j', (uri, message) => {
    const result = parseOriginationUri(uri);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });
});
