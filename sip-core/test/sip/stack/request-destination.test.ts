import { describe, expect, it } from 'vitest';
import { createRequest, parseUri } from '../../../src/sip/message/index.js';
import { destinationForUri, requestTargetUri } from '../../../src/sip/stack/index.js';

describe('destinationForUri (RFC 3263 §4 without DNS records)', () => {
  it.each([
    ['sip:bob@192.0.2.1', { transport: 'udp', host: '192.0.2.1', port: 5060 }],
    ['sip:bob@192.0.2.1:5080', { transport: 'udp', host: '192.0.2.1', port: 5080 }],
    ['sip:bob@192.0.2.1;transport=tcp', { transport: 'tcp', host: '192.0.2.1', port: 5060 }],
    ['sip:bob@192.0.2.1;transport=TLS', { transport: 'tls', host: '192.0.2.1', port: 5061 }],
    ['sips:bob@example.com', { transport: 'tls', host: 'example.com', port: 5061 }],
    ['sips:bob@example.com;transport=tcp', { transport: 'tls', host: 'example.com', port: 5061 }],
    ['sip:bob@example.com;maddr=192.0.2.9', { transport: 'udp', host: '192.0.2.9', port: 5060 }],
    ['sip:bob@[2001:db8::1]:5062', { transport: 'udp', host: '[2001:db8::1]', port: 5062 }],
    ['sip:bob@example.com;transport=sctp', { transport: 'udp', host: 'example.com', port: 5060 }],
  ])('%s', (uri, destination) => {
    expect(destinationForUri(parseUri(uri))).toEqual(destination);
  });

  it('refuses a tel URI with an error that says what to do', () => {
    expect(() => destinationForUri(parseUri('tel:+14155550100'))).toThrow(
      expect.objectContaining({ code: 'SIP_STACK_UNROUTABLE' }),
    );
  });
});

describe('requestTargetUri (RFC 3261 §8.1.2)', () => {
  const request = (routes: string[]) =>
    createRequest({
      method: 'BYE',
      requestUri: 'sip:bob@192.0.2.20',
      from: 'sip:alice@192.0.2.10',
      to: 'sip:bob@192.0.2.20',
      headers: routes.map((r) => ['Route', r] as const),
    });

  it('the Request-URI when there is no Route', () => {
    expect(requestTargetUri(request([])).toString()).toBe('sip:bob@192.0.2.20');
  });

  it('the first Route when it is a loose router', () => {
    expect(
      requestTargetUri(request(['<sip:proxy.example.com;lr>', '<sip:p2.example.com;lr>'])).toString(),
    ).toBe('sip:proxy.example.com;lr');
  });

  it('the Request-URI when the first Route is a strict router (the dialog put it there)', () => {
    expect(requestTargetUri(request(['<sip:strict.example.com>'])).toString()).toBe('sip:bob@192.0.2.20');
  });
});
