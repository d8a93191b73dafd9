import { describe, expect, it } from 'vitest';
import {
  checkResponseAcceptability,
  parseSipMessage,
  type SipResponse,
} from '../../../src/sip/message/index.js';

function response(vias: string[]): SipResponse {
  const lines = ['SIP/2.0 200 OK', ...vias.map((v) => `Via: ${v}`), 'Call-ID: x', 'CSeq: 1 INVITE', '', ''];
  return parseSipMessage(Buffer.from(lines.join('\r\n'))) as SipResponse;
}

const OURS = 'SIP/2.0/UDP us.example.com;branch=z9hG4bKus';

describe('checkResponseAcceptability', () => {
  it.each<[string, string[], 'uac' | 'proxy', string | undefined]>([
    ['one Via at a UAC', [OURS], 'uac', undefined],
    ['two Vias at a UAC (RFC 3261 §8.1.3.3)', [OURS, 'SIP/2.0/UDP other'], 'uac', 'extra-via'],
    ['no Via', [], 'uac', 'no-via'],
    ['a proxy with a next hop', [OURS, 'SIP/2.0/UDP 192.0.2.7;branch=z9hG4bKx'], 'proxy', undefined],
    ['a proxy with nowhere to forward', [OURS], 'proxy', 'no-next-via'],
    [
      'a broadcast next hop (RFC 4475 bcast)',
      [OURS, 'SIP/2.0/UDP 255.255.255.255;branch=z9hG4bKx'],
      'proxy',
      'broadcast-via',
    ],
    ['a multicast received address', [OURS, 'SIP/2.0/UDP h;received=224.0.0.5'], 'proxy', 'broadcast-via'],
    [
      'a multicast maddr',
      [OURS, 'SIP/2.0/UDP h;maddr=239.1.1.1;received=192.0.2.1'],
      'proxy',
      'broadcast-via',
    ],
  ])('%s', (_, vias, role, code) => {
    expect(checkResponseAcceptability(response(vias), { role })?.code).toBe(code);
  });
});
