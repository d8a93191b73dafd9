import { describe, expect, it } from 'vitest';
import { Via, type ViaInit } from '../../../src/sip/message/index.js';
import { responseRoute, stampReceived } from '../../../src/sip/stack/index.js';
import type { ReceivedMessageContext } from '../../../src/sip/transport/index.js';

const local = { address: '127.0.0.1', port: 5060 };
const udp = (address: string, port: number): ReceivedMessageContext => ({
  transport: 'udp',
  local,
  remote: { address, port },
});

describe('stampReceived (RFC 3261 §18.2.1, RFC 3581 §4)', () => {
  it.each([
    [
      'host differs: received added',
      'SIP/2.0/UDP pc.example.com:5060',
      'SIP/2.0/UDP pc.example.com:5060;received=192.0.2.7',
    ],
    ['host is the source: nothing added', 'SIP/2.0/UDP 192.0.2.7:5060', 'SIP/2.0/UDP 192.0.2.7:5060'],
    [
      'rport asked: filled, and received always added',
      'SIP/2.0/UDP 192.0.2.7:5060;rport',
      'SIP/2.0/UDP 192.0.2.7:5060;rport=40123;received=192.0.2.7',
    ],
    [
      'rport already filled: treated like no rport',
      'SIP/2.0/UDP 10.0.0.1:5060;rport=1',
      'SIP/2.0/UDP 10.0.0.1:5060;rport=1;received=192.0.2.7',
    ],
  ])('%s', (_name, before, after) => {
    const via = new Via(parseVia(before));
    stampReceived(via, { address: '192.0.2.7', port: 40_123 });
    expect(
      `SIP/2.0/${via.transport} ${via.sentBy}${[...via.params].map(([n, v]) => (v === null ? `;${n}` : `;${n}=${v}`)).join('')}`,
    ).toBe(after);
  });
});

describe('responseRoute (RFC 3261 §18.2.2, RFC 3581 §4)', () => {
  it.each([
    [
      'received + rport',
      'SIP/2.0/UDP pc.example.com:5060;rport=40123;received=192.0.2.7',
      { host: '192.0.2.7', port: 40_123 },
    ],
    [
      'received + sent-by port',
      'SIP/2.0/UDP pc.example.com:5070;received=192.0.2.7',
      { host: '192.0.2.7', port: 5070 },
    ],
    ['sent-by, default port', 'SIP/2.0/UDP 192.0.2.7', { host: '192.0.2.7', port: 5060 }],
    [
      'maddr wins',
      'SIP/2.0/UDP pc.example.com:5070;maddr=239.1.1.1;received=192.0.2.7',
      { host: '239.1.1.1', port: 5070 },
    ],
  ])('UDP: %s, from the socket the request arrived on', (_name, value, expected) => {
    const route = responseRoute(new Via(parseVia(value)), udp('192.0.2.7', 40_123));
    expect(route).toEqual({ destination: { transport: 'udp', ...expected, local } });
  });

  it('streams: the connection first, the received address and sent-by port as fallback', () => {
    const route = responseRoute(new Via(parseVia('SIP/2.0/TLS pc.example.com;received=192.0.2.7')), {
      transport: 'tls',
      local,
      remote: { address: '192.0.2.7', port: 50_000 },
      connectionId: 'tls-7',
    });
    expect(route).toEqual({
      connectionId: 'tls-7',
      destination: { transport: 'tls', host: '192.0.2.7', port: 5061 },
    });
  });
});

/** `SIP/2.0/UDP host:port;params` as ViaInit (the tests read better with the header text). */
function parseVia(text: string): ViaInit {
  const match = /^SIP\/2\.0\/(\w+) ([^;:]+)(?::(\d+))?(.*)$/.exec(text)!;
  const params = match[4]
    .split(';')
    .filter(Boolean)
    .map((p): [string, string | null] => {
      const [name, value] = p.split('=');
      return [name, value ?? null];
    });
  return { transport: match[1], host: match[2], ...(match[3] ? { port: Number(match[3]) } : {}), params };
}
