import { describe, expect, it } from 'vitest';
import { bracketHost, hostAndPort } from '../../src/common/host-port.js';

describe('bracketHost and hostAndPort (RFC 3986 §3.2.2)', () => {
  it('brackets an IPv6 literal once, and leaves names and IPv4 addresses alone', () => {
    expect(bracketHost('::1')).toBe('[::1]');
    expect(bracketHost('2001:db8::5')).toBe('[2001:db8::5]');
    expect(bracketHost('[2001:db8::5]')).toBe('[2001:db8::5]');
    expect(bracketHost('127.0.0.1')).toBe('127.0.0.1');
    expect(bracketHost('10000000000002.zt.plivo.com')).toBe('10000000000002.zt.plivo.com');
  });

  it('writes host:port with the port after the brackets', () => {
    expect(hostAndPort('::1', 5060)).toBe('[::1]:5060');
    expect(hostAndPort('[::1]', 5061)).toBe('[::1]:5061');
    expect(hostAndPort('192.0.2.10', 5080)).toBe('192.0.2.10:5080');
  });
});
