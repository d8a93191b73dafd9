import { describe, expect, it } from 'vitest';
import {
  effectiveConnection,
  effectiveDirection,
  effectiveRtcp,
  isHoldAddress,
} from '../../../src/media/sdp/media-context.js';
import { parseSdp } from '../../../src/media/sdp/parse-sdp.js';
import { payloadFormatsOf } from '../../../src/media/sdp/payload-formats.js';
import { redactSdp } from '../../../src/media/sdp/redact-sdp.js';
import { sdp, sdpFixture } from '../../support/sdp-fixtures.js';

describe('payloadFormatsOf', () => {
  it('resolves rtpmaps and static payload types in offer order, with fmtp parameters', () => {
    const offer = parseSdp(
      sdp(
        'v=0',
        'o=- 1 1 IN IP4 127.0.0.1',
        's=-',
        'c=IN IP4 127.0.0.1',
        't=0 0',
        'm=audio 4000 RTP/AVP 18 0 96 101 8 webrtc-datachannel',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-15',
        'a=fmtp:18 annexb=no',
      ),
    );
    expect(payloadFormatsOf(offer.media[0])).toEqual([
      { payloadType: 18, encodingName: 'G729', clockRateHz: 8000, channels: 1, parameters: 'annexb=no' },
      { payloadType: 0, encodingName: 'PCMU', clockRateHz: 8000, channels: 1, parameters: undefined },
      {
        payloadType: 101,
        encodingName: 'telephone-event',
        clockRateHz: 8000,
        channels: 1,
        parameters: '0-15',
      },
      { payloadType: 8, encodingName: 'PCMA', clockRateHz: 8000, channels: 1, parameters: undefined },
    ]);
  });
});

describe('media context', () => {
  const offer = parseSdp(sdpFixture('audio-video-offer.sdp'));

  it('applies session-level defaults under media-level values', () => {
    expect(effectiveDirection(offer, offer.media[0])).toBe('sendrecv');
    expect(effectiveDirection(offer, offer.media[1])).toBe('recvonly');
    expect(effectiveConnection(offer, offer.media[0])?.address).toBe('198.51.100.7');
    expect(effectiveRtcp(offer, offer.media[0])).toEqual({ port: 49171, address: '198.51.100.7' });
  });

  it('takes the RTCP port and address from a=rtcp (RFC 3605)', () => {
    const secure = parseSdp(sdpFixture('zentrunk-freeswitch-secure-offer.sdp'));
    expect(effectiveRtcp(secure, secure.media[0])).toEqual({ port: 24513, address: '18.214.109.140' });
  });

  it('recognises the RFC 2543 hold address', () => {
    expect(isHoldAddress({ netType: 'IN', addrType: 'IP4', address: '0.0.0.0' })).toBe(true);
    expect(isHoldAddress({ netType: 'IN', addrType: 'IP4', address: '192.0.2.1' })).toBe(false);
    expect(isHoldAddress(undefined)).toBe(false);
  });
});

describe('redactSdp', () => {
  it('replaces every inline key and leaves the rest of the body alone', () => {
    const text = sdpFixture('zentrunk-freeswitch-secure-offer.sdp');
    const redacted = redactSdp(text);
    expect(redacted).not.toContain('QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk');
    expect(redacted).not.toContain('MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1ub3BxcnN0');
    expect(redacted).toContain('a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<redacted>\r\n');
    expect(redacted.replace(/inline:\S+/g, '')).toBe(text.replace(/inline:\S+/g, ''));
  });
});
