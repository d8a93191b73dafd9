import { describe, expect, it } from 'vitest';
import { parseSdp } from '../../../src/media/sdp/parse-sdp.js';
import { SdpCrypto, type SessionDescription } from '../../../src/media/sdp/session-description.js';
import { writeSdp } from '../../../src/media/sdp/write-sdp.js';
import { sdp } from '../../support/sdp-fixtures.js';

const description: SessionDescription = {
  version: 0,
  origin: {
    username: 'trunkline',
    sessionId: '42',
    sessionVersion: '7',
    netType: 'IN',
    addrType: 'IP4',
    address: '192.0.2.5',
  },
  sessionName: 'Trunkline',
  uri: 'https://example.com/call',
  emails: ['ops@example.com'],
  phones: ['+1 415 555 0100'],
  connection: { netType: 'IN', addrType: 'IP4', address: '192.0.2.5' },
  bandwidths: [{ type: 'CT', value: 128 }],
  timing: [{ start: '0', stop: '0', repeats: [] }],
  direction: 'sendrecv',
  attributes: [{ name: 'tool', value: 'trunkline' }],
  media: [
    {
      media: 'audio',
      port: 10000,
      proto: 'RTP/SAVP',
      formats: ['0', '8', '101'],
      bandwidths: [],
      rtpmaps: [
        { payloadType: 0, encodingName: 'PCMU', clockRateHz: 8000 },
        { payloadType: 101, encodingName: 'telephone-event', clockRateHz: 8000 },
      ],
      fmtps: [
        { payloadType: 101, parameters: '0-16' },
        { payloadType: 8, parameters: 'annexb=no' },
      ],
      ptimeMs: 20,
      maxptimeMs: 40,
      direction: 'sendonly',
      rtcp: { port: 10003, netType: 'IN', addrType: 'IP4', address: '192.0.2.6' },
      rtcpMux: true,
      cryptos: [
        new SdpCrypto(1, 'AES_CM_128_HMAC_SHA1_80', 'inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk', [
          'WSH=128',
        ]),
      ],
      attributes: [{ name: 'label', value: '1' }, { name: 'rtcp-rsize' }],
    },
  ],
};

const expected = sdp(
  'v=0',
  'o=trunkline 42 7 IN IP4 192.0.2.5',
  's=Trunkline',
  'u=https://example.com/call',
  'e=ops@example.com',
  'p=+1 415 555 0100',
  'c=IN IP4 192.0.2.5',
  'b=CT:128',
  't=0 0',
  'a=sendrecv',
  'a=tool:trunkline',
  'm=audio 10000 RTP/SAVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=fmtp:8 annexb=no',
  'a=ptime:20',
  'a=maxptime:40',
  'a=sendonly',
  'a=rtcp:10003 IN IP4 192.0.2.6',
  'a=rtcp-mux',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk WSH=128',
  'a=label:1',
  'a=rtcp-rsize',
);

describe('writeSdp', () => {
  it('writes every field in RFC 4566 order with CRLF line ends (known answer)', () => {
    expect(writeSdp(description)).toBe(expected);
  });

  it('reads back what it writes', () => {
    expect(parseSdp(expected)).toEqual(description);
  });

  it('writes a session name that is empty as a single space (RFC 4566 §5.3)', () => {
    expect(writeSdp({ ...description, sessionName: '' })).toContain('\r\ns= \r\n');
  });
});
