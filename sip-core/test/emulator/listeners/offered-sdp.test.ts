import { describe, expect, it } from 'vitest';
import { offeredSdpOf } from '../../../src/emulator/listeners/offered-sdp.js';
import { parseSdp, SdpParseError } from '../../../src/media/sdp/index.js';
import { parseSipMessage, type SipRequest } from '../../../src/sip/message/index.js';
import { sdp } from '../../support/sdp-fixtures.js';
import { sipRequest } from '../../support/sip-bytes.js';

const OFFER = sdp(
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 20000 RTP/AVP 0 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
);

function invite(body: string): SipRequest {
  return parseSipMessage(
    sipRequest({ method: 'INVITE', body, extraHeaders: ['Content-Type: application/sdp'] }),
  ) as SipRequest;
}

describe('offeredSdpOf', () => {
  it('parses an INVITE offer as parseSdp does, once per request', () => {
    const request = invite(OFFER);
    const first = offeredSdpOf(request);
    expect(first).toEqual(parseSdp(OFFER));
    // The policy's summary and the far end's answer share the one parse.
    expect(offeredSdpOf(request)).toBe(first);
    // Another request with the same text is parsed on its own.
    expect(offeredSdpOf(invite(OFFER))).not.toBe(first);
  });

  it('throws SdpParseError for a damaged offer every time it is asked, remembering nothing', () => {
    const request = invite('this is not SDP\r\n');
    expect(() => offeredSdpOf(request)).toThrow(SdpParseError);
    expect(() => offeredSdpOf(request)).toThrow(SdpParseError);
  });
});
