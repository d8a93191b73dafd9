import { describe, expect, it } from 'vitest';
import { canonicalIpv6, isBroadcastOrMulticast, isIpv4 } from '../../../src/sip/message/ip-address.js';

describe('IP address helpers', () => {
  it.each([
    ['192.0.2.1', true],
    ['255.255.255.255', true],
    ['010.0.0.1', true],
    ['256.0.0.1', false],
    ['1.2.3', false],
    ['a.b.c.d', false],
  ])('isIpv4(%j) is %s', (text, ok) => {
    expect(isIpv4(text)).toBe(ok);
  });

  it.each([
    ['::1', '0:0:0:0:0:0:0:1'],
    ['[2001:DB8::1]', '2001:db8:0:0:0:0:0:1'],
    ['2001:db8:0:0:0:0:0:0001', '2001:db8:0:0:0:0:0:1'],
    ['::ffff:192.0.2.1', '0:0:0:0:0:ffff:c000:201'],
    ['fe80::', 'fe80:0:0:0:0:0:0:0'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ])('canonicalIpv6(%j)', (text, canonical) => {
    expect(canonicalIpv6(text)).toBe(canonical);
  });

  it.each(['1:2:3', '1::2::3', 'g::1', '192.0.2.1', '1:2:3:4:5:6:7:8:9', '::1.2.3'])(
    '%j is not IPv6',
    (text) => {
      expect(canonicalIpv6(text)).toBeUndefined();
    },
  );

  it.each([
    ['255.255.255.255', true],
    ['224.0.0.1', true],
    ['239.255.255.250', true],
    ['[ff02::1]', true],
    ['192.0.2.1', false],
    ['example.com', false],
    ['[2001:db8::1]', false],
  ])('isBroadcastOrMulticast(%j) is %s', (host, yes) => {
    expect(isBroadcastOrMulticast(host)).toBe(yes);
  });
});
