import { describe, expect, it } from 'vitest';
import ipaddr from 'ipaddr.js';
import {
  isNonPublicAddress,
  networkContains,
  parseIpAddress,
  parseIpNetwork,
} from '../../../src/policy/net/ip-address.js';

function matches(network: string, address: string): boolean {
  const n = parseIpNetwork(network);
  const a = parseIpAddress(address);
  if (!n || !a) throw new Error(`bad fixture ${network} ${address}`);
  return networkContains(n, a);
}

describe('IP ACL matching', () => {
  it.each([
    ['44.229.228.186/32', '44.229.228.186', true],
    ['44.229.228.186/32', '44.229.228.187', false],
    ['13.52.9.0/25', '13.52.9.127', true],
    ['13.52.9.0/25', '13.52.9.128', false],
    ['15.207.90.192/31', '15.207.90.193', true],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['192.168.1.1', '192.168.1.1', true],
    ['127.0.0.1/32', '::ffff:127.0.0.1', true],
    ['2001:db8::/32', '2001:db8:1::5', true],
    ['2001:db8::/32', '2001:db9::5', false],
    ['::1', '::1', true],
    ['::1', '127.0.0.1', false],
    ['127.0.0.1/32', '::1', false],
  ])('%s contains %s: %s', (network, address, expected) => {
    expect(matches(network, address)).toBe(expected);
  });

  it.each([
    '10.0.0.300',
    '10.0.0.1/33',
    '2001:db8::/129',
    '10',
    '0x0a.0.0.1',
    'host.example',
    '',
    '1.2.3.4/',
    '1.2.3.4/x',
  ])('rejects %j', (text) => {
    expect(parseIpNetwork(text)).toBeUndefined();
  });

  it.each([
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['192.168.0.1', true],
    ['127.0.0.1', true],
    ['169.254.1.1', true],
    ['100.64.0.1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::1', true],
    ['8.8.8.8', false],
    ['2606:4700::1', false],
  ])('%s is non-public: %s', (address, expected) => {
    const parsed = parseIpAddress(address);
    expect(parsed && isNonPublicAddress(parsed)).toBe(expected);
  });

  it('accepts bracketed IPv6', () => {
    expect(parseIpAddress('[2001:db8::1]')?.toString()).toBe('2001:db8::1');
  });
});

describe('parseIpAddress: the dotted-quad fast path', () => {
  // The general path (ipaddr.js) is the reference: every text must get the same answer from both.
  function general(text: string): string | undefined {
    const trimmed = text.trim();
    if (!ipaddr.isValid(trimmed)) return undefined;
    if (!trimmed.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(trimmed)) return undefined;
    return ipaddr.process(trimmed).toString();
  }

  it.each([
    '0.0.0.0',
    '127.0.0.1',
    '255.255.255.255',
    '256.0.0.1',
    '1.2.3.999',
    '01.2.3.4',
    '1.2.3.04',
    '1.2.3',
    '1.2.3.4.5',
    '1..3.4',
    ' 10.0.0.1',
    '10.0.0.1 ',
    '[10.0.0.1]',
    '::ffff:10.0.0.1',
  ])('%j reads as ipaddr.js reads it', (text) => {
    const fast = parseIpAddress(text);
    expect(fast?.toString()).toBe(general(text.replace(/^\[(.*)\]$/, '$1')));
    if (fast !== undefined) expect(fast.kind()).toBe('ipv4');
  });

  it('gives an address that matches networks like the general path’s', () => {
    for (let octet = 0; octet <= 255; octet += 17) {
      const text = `10.${octet}.${255 - octet}.${octet % 7}`;
      expect(parseIpAddress(text)?.toString()).toBe(general(text));
      expect(networkContains(parseIpNetwork('10.0.0.0/8')!, parseIpAddress(text)!)).toBe(true);
    }
  });
});
