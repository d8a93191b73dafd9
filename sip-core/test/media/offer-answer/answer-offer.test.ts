import { describe, expect, it } from 'vitest';
import {
  NegotiationError,
  type NegotiationFailure,
} from '../../../src/media/offer-answer/negotiation-error.js';
import { SdpNegotiator, type SrtpPolicy } from '../../../src/media/offer-answer/sdp-negotiator.js';
import { parseSdp } from '../../../src/media/sdp/parse-sdp.js';
import type { MediaDirection } from '../../../src/media/sdp/session-description.js';
import type { SrtpProfileName } from '../../../src/media/srtp/srtp-profile.js';
import { seededBytes } from '../../support/seeded-random.js';
import { sdp, sdpFixture } from '../../support/sdp-fixtures.js';

// Answering offers (RFC 3264 §6): table-driven over codecs, directions, extra streams and the SRTP policy.

const KEY_A = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk';
const KEY_B = 'MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1ub3BxcnN0';

function answerer(srtpPolicy: SrtpPolicy = 'off', srtpProfiles?: SrtpProfileName[]): SdpNegotiator {
  return new SdpNegotiator({
    local: { address: '127.0.0.1', rtpPort: 20000 },
    srtpPolicy,
    srtpProfiles,
    sessionId: '555',
    random: seededBytes(1),
  });
}

/** An offer from 192.0.2.9: its session lines, then `lines` (session attributes, m= lines and their attributes). */
function offer(...lines: string[]): string {
  return sdp('v=0', 'o=peer 1 1 IN IP4 192.0.2.9', 's=-', 'c=IN IP4 192.0.2.9', 't=0 0', ...lines);
}

function failureOf(run: () => unknown): NegotiationError {
  try {
    run();
  } catch (error) {
    if (error instanceof NegotiationError) return error;
    throw error;
  }
  throw new Error('expected a NegotiationError');
}

describe('answering real-world offers', () => {
  it("answers Zentrunk's FreeSWITCH offer with PCMU and its telephone-event payload type (known answer)", () => {
    const result = answerer().processOffer(sdpFixture('zentrunk-freeswitch-offer.sdp'));
    expect(result.sdp).toBe(
      sdp(
        'v=0',
        'o=trunkline 555 1 IN IP4 127.0.0.1',
        's=Trunkline',
        'c=IN IP4 127.0.0.1',
        't=0 0',
        'm=audio 20000 RTP/AVP 0 101',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-16',
        'a=ptime:20',
        'a=sendrecv',
      ),
    );
    expect(result.negotiated).toEqual({
      mediaIndex: 0,
      remoteAddress: '18.214.109.140',
      remoteRtpPort: 10886,
      remoteRtcpAddress: '18.214.109.140',
      remoteRtcpPort: 10887,
      rtcpMux: false,
      codec: { payloadType: 0, encodingName: 'PCMU', clockRateHz: 8000 },
      telephoneEvent: { payloadType: 101, events: '0-16' },
      ptimeMs: 20,
      direction: 'sendrecv',
      srtp: undefined,
    });
  });

  // [fixture, policy, codec, telephone-event PT and events, SRTP profile or none]
  const corpus: Array<
    [string, SrtpPolicy, string, [number, string] | undefined, SrtpProfileName | undefined]
  > = [
    ['asterisk-offer.sdp', 'off', 'PCMA', [101, '0-16'], undefined],
    ['sipp-default-offer.sdp', 'off', 'PCMU', undefined, undefined],
    ['baresip-srtp-offer.sdp', 'mandatory', 'PCMU', [101, '0-15'], 'AES_CM_128_HMAC_SHA1_80'],
    ['zentrunk-freeswitch-secure-offer.sdp', 'mandatory', 'PCMU', [101, '0-16'], 'AES_CM_128_HMAC_SHA1_80'],
    ['asterisk-sdes-offer.sdp', 'optional', 'PCMU', [101, '0-16'], 'AES_CM_128_HMAC_SHA1_80'],
    ['audio-video-offer.sdp', 'optional', 'PCMA', [101, '0-15'], undefined],
  ];
  it.each(corpus)('%s (SRTP %s): picks %s', (fixture, policy, codec, te, profile) => {
    const { negotiated, description } = answerer(policy).processOffer(sdpFixture(fixture));
    expect(negotiated.codec.encodingName).toBe(codec);
    expect(
      negotiated.telephoneEvent && [negotiated.telephoneEvent.payloadType, negotiated.telephoneEvent.events],
    ).toEqual(te);
    expect(negotiated.srtp?.profile).toBe(profile);
    const audio = description.media[negotiated.mediaIndex];
    expect(audio.formats).toEqual([String(negotiated.codec.payloadType), ...(te ? [String(te[0])] : [])]);
    expect(audio.cryptos.length).toBe(profile ? 1 : 0);
  });

  it('takes a=rtcp, a key lifetime and the peer ptime bounded by its maxptime (Asterisk SDES)', () => {
    const { negotiated } = answerer('mandatory').processOffer(sdpFixture('asterisk-sdes-offer.sdp'));
    expect(negotiated.remoteRtcpPort).toBe(14565);
    expect(negotiated.srtp?.receiveKeyLifetimePackets).toBe(2 ** 31);
    expect(negotiated.ptimeMs).toBe(20);
    const longer = answerer().processOffer(
      offer('m=audio 4000 RTP/AVP 0', 'a=ptime:60', 'a=maxptime:40'),
    ).negotiated;
    expect(longer.ptimeMs).toBe(40);
    expect(answerer().processOffer(offer('m=audio 4000 RTP/AVP 0')).negotiated.ptimeMs).toBe(20);
  });
});

describe('direction (RFC 3264 §6.1)', () => {
  // [offered direction line or c=0.0.0.0, our wanted direction, answer direction]
  const table: Array<[string, MediaDirection, MediaDirection]> = [
    ['a=sendrecv', 'sendrecv', 'sendrecv'],
    ['a=sendonly', 'sendrecv', 'recvonly'],
    ['a=recvonly', 'sendrecv', 'sendonly'],
    ['a=inactive', 'sendrecv', 'inactive'],
    ['(none)', 'sendrecv', 'sendrecv'],
    ['c=0.0.0.0', 'sendrecv', 'recvonly'],
    ['a=sendrecv', 'sendonly', 'sendonly'],
    ['a=sendrecv', 'inactive', 'inactive'],
    ['a=sendonly', 'sendonly', 'inactive'],
    ['a=recvonly', 'recvonly', 'inactive'],
  ];
  it.each(table)('offer %s, we want %s → answer %s', (line, wanted, expected) => {
    const attributes = line.startsWith('a=') ? [line] : [];
    const media =
      line === 'c=0.0.0.0' ? ['m=audio 4000 RTP/AVP 0', 'c=IN IP4 0.0.0.0'] : ['m=audio 4000 RTP/AVP 0'];
    const result = answerer().processOffer(offer(media[0], ...media.slice(1), ...attributes), {
      direction: wanted,
    });
    expect(result.description.media[0]?.direction).toBe(expected);
    expect(result.negotiated.direction).toBe(expected);
  });

  it('honours a session-level direction attribute', () => {
    const text = offer('a=sendonly', 'm=audio 4000 RTP/AVP 0');
    expect(answerer().processOffer(text).negotiated.direction).toBe('recvonly');
  });
});

describe('extra and unusable m= lines (RFC 3264 §6)', () => {
  it('refuses the video stream with port 0, keeping it in the answer', () => {
    const { description, negotiated } = answerer().processOffer(sdpFixture('audio-video-offer.sdp'));
    expect(description.media.map((m) => [m.media, m.port, m.proto, m.formats])).toEqual([
      ['audio', 20000, 'RTP/AVP', ['8', '101']],
      ['video', 0, 'RTP/AVP', ['96']],
    ]);
    expect(description.media[1]).toMatchObject({ rtpmaps: [], fmtps: [], attributes: [], cryptos: [] });
    expect(description.media[1]?.direction).toBeUndefined();
    expect(negotiated.mediaIndex).toBe(0);
  });

  it('answers the audio stream where it is, after a video stream, and refuses a second audio stream', () => {
    const text = offer(
      'm=video 5000 RTP/AVP 96',
      'a=rtpmap:96 VP8/90000',
      'm=audio 0 RTP/AVP 0',
      'm=audio 6000 RTP/AVP 0',
      'm=audio 7000 RTP/AVP 8',
    );
    const { description, negotiated } = answerer().processOffer(text);
    expect(description.media.map((m) => m.port)).toEqual([0, 0, 20000, 0]);
    expect(negotiated).toMatchObject({ mediaIndex: 2, remoteRtpPort: 6000 });
  });

  it('skips an audio stream it cannot use when a later one works', () => {
    const text = offer('m=audio 5000 RTP/AVP 18', 'm=audio 6000 RTP/AVP 8');
    expect(answerer().processOffer(text).negotiated.mediaIndex).toBe(1);
  });
});

describe('offers that cannot be accepted → NegotiationError (488)', () => {
  const savp = (...cryptos: string[]): string => offer('m=audio 4000 RTP/SAVP 0 101', ...cryptos);
  const good80 = `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY_A}`;

  // [what, policy, offer, failure, phrase of the warning]
  const table: Array<[string, SrtpPolicy, string, NegotiationFailure, string]> = [
    [
      'only G.729 and G.722',
      'off',
      offer('m=audio 4000 RTP/AVP 18 9'),
      'no-common-codec',
      'offered G729, G722',
    ],
    [
      'a dynamic codec we do not know',
      'off',
      offer('m=audio 4000 RTP/AVP 96', 'a=rtpmap:96 opus/48000/2'),
      'no-common-codec',
      'opus',
    ],
    [
      'PCMU at 16 kHz',
      'off',
      offer('m=audio 4000 RTP/AVP 96', 'a=rtpmap:96 PCMU/16000'),
      'no-common-codec',
      'PCMU',
    ],
    [
      'video only',
      'off',
      sdpFixture('audio-video-offer.sdp').replace(/m=audio[\s\S]*?(?=m=video)/, ''),
      'no-audio-stream',
      'no audio',
    ],
    ['audio on port 0 only', 'off', offer('m=audio 0 RTP/AVP 0'), 'no-audio-stream', 'no audio'],
    [
      'an audio stream without c=',
      'off',
      sdp('v=0', 'o=p 1 1 IN IP4 192.0.2.9', 's=-', 't=0 0', 'm=audio 4000 RTP/AVP 0'),
      'no-audio-stream',
      'no c= address',
    ],
    [
      'plain RTP where SRTP is mandatory',
      'mandatory',
      offer('m=audio 4000 RTP/AVP 0'),
      'srtp-required',
      'SRTP is required',
    ],
    [
      'best-effort SRTP where SRTP is mandatory',
      'mandatory',
      offer('m=audio 4000 RTP/AVP 0', good80),
      'srtp-required',
      'RTP/AVP',
    ],
    ['RTP/SAVP where SRTP is off', 'off', savp(good80), 'srtp-refused', 'not enabled here'],
    ['RTP/SAVP without a=crypto', 'mandatory', savp(), 'no-acceptable-crypto', 'without an a=crypto line'],
    [
      'RTP/SAVP with an MKI key only',
      'mandatory',
      savp(`a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY_A}|2^20|1:4`),
      'no-acceptable-crypto',
      'MKI',
    ],
    [
      'RTP/SAVP with UNENCRYPTED_SRTP',
      'optional',
      savp(`${good80} UNENCRYPTED_SRTP`),
      'no-acceptable-crypto',
      'UNENCRYPTED_SRTP',
    ],
    [
      'RTP/SAVP with AES-256 only',
      'mandatory',
      savp(`a=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:${KEY_A}${KEY_B}`),
      'no-acceptable-crypto',
      'AES_256_CM_HMAC_SHA1_80',
    ],
    [
      'DTLS-SRTP',
      'mandatory',
      offer('m=audio 4000 UDP/TLS/RTP/SAVP 0', 'a=fingerprint:sha-256 AB:CD'),
      'unsupported-transport',
      'UDP/TLS/RTP/SAVP',
    ],
    [
      'RTP/SAVPF',
      'optional',
      offer('m=audio 4000 RTP/SAVPF 0', good80),
      'unsupported-transport',
      'RTP/SAVPF',
    ],
  ];
  it.each(table)('%s (SRTP %s)', (_what, policy, text, failure, phrase) => {
    const error = failureOf(() => answerer(policy).processOffer(text));
    expect(error.failure).toBe(failure);
    expect(error.sipStatusCode).toBe(488);
    expect(error.code).toBe(`SDP_${failure.toUpperCase().replace(/-/g, '_')}`);
    expect(error.warning).toContain(phrase);
    expect(error.message).not.toContain(KEY_A);
  });

  it('reports the first audio stream’s failure when no stream works', () => {
    const text = offer('m=audio 5000 RTP/AVP 18', 'm=audio 6000 RTP/SAVP 0');
    expect(failureOf(() => answerer().processOffer(text)).failure).toBe('no-common-codec');
  });
});

describe('SRTP policy when answering', () => {
  const both = [
    `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY_A}`,
    `a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:${KEY_B}`,
  ];

  // [what, policy, our suites, offer, answer proto, chosen tag and suite or none]
  const table: Array<
    [string, SrtpPolicy, SrtpProfileName[] | undefined, string, string, [number, SrtpProfileName] | undefined]
  > = [
    [
      'SAVP, mandatory: the first usable line',
      'mandatory',
      undefined,
      offer('m=audio 4000 RTP/SAVP 0', ...both),
      'RTP/SAVP',
      [1, 'AES_CM_128_HMAC_SHA1_80'],
    ],
    [
      'SAVP, only _32 enabled here',
      'mandatory',
      ['AES_CM_128_HMAC_SHA1_32'],
      offer('m=audio 4000 RTP/SAVP 0', ...both),
      'RTP/SAVP',
      [2, 'AES_CM_128_HMAC_SHA1_32'],
    ],
    [
      'SAVP, optional',
      'optional',
      undefined,
      offer('m=audio 4000 RTP/SAVP 0', ...both),
      'RTP/SAVP',
      [1, 'AES_CM_128_HMAC_SHA1_80'],
    ],
    [
      'AVP with crypto, optional: best-effort SRTP',
      'optional',
      undefined,
      offer('m=audio 4000 RTP/AVP 0', ...both),
      'RTP/AVP',
      [1, 'AES_CM_128_HMAC_SHA1_80'],
    ],
    [
      'AVP with unusable crypto, optional: plain',
      'optional',
      undefined,
      offer('m=audio 4000 RTP/AVP 0', `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY_A}|1:4`),
      'RTP/AVP',
      undefined,
    ],
    [
      'AVP without crypto, optional: plain',
      'optional',
      undefined,
      offer('m=audio 4000 RTP/AVP 0'),
      'RTP/AVP',
      undefined,
    ],
    [
      'AVP with crypto, off: plain, crypto ignored',
      'off',
      undefined,
      offer('m=audio 4000 RTP/AVP 0', ...both),
      'RTP/AVP',
      undefined,
    ],
    [
      'lower-case proto',
      'mandatory',
      undefined,
      offer('m=audio 4000 rtp/savp 0', ...both),
      'RTP/SAVP',
      [1, 'AES_CM_128_HMAC_SHA1_80'],
    ],
  ];
  it.each(table)('%s', (_what, policy, profiles, text, proto, chosen) => {
    const { description, negotiated } = answerer(policy, profiles).processOffer(text);
    const audio = description.media[0];
    expect(audio.proto).toBe(proto);
    expect(audio.cryptos.map((c) => [c.tag, c.suite])).toEqual(chosen ? [chosen] : []);
    expect(negotiated.srtp?.profile).toBe(chosen?.[1]);
    if (!chosen || !negotiated.srtp) return;
    // Their key is what we decrypt with; ours is fresh and is what we put in the answer.
    const theirs = chosen[0] === 1 ? KEY_A : KEY_B;
    expect(negotiated.srtp.receiveKey.keySalt().toString('base64')).toBe(theirs);
    expect(negotiated.srtp.sendKey.keySalt().toString('base64')).not.toBe(theirs);
    expect(audio.cryptos[0]?.keyParams).toBe(
      `inline:${negotiated.srtp.sendKey.keySalt().toString('base64')}`,
    );
  });

  it('keeps a replay window the peer asks for with WSH', () => {
    const text = offer(
      'm=audio 4000 RTP/SAVP 0',
      `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY_A} WSH=300`,
    );
    expect(answerer('mandatory').processOffer(text).negotiated.srtp?.replayWindowSize).toBe(320);
  });

  it('parses the offer it is given as a description too', () => {
    const parsed = parseSdp(sdpFixture('zentrunk-freeswitch-offer.sdp'));
    expect(answerer().processOffer(parsed).negotiated.remoteRtpPort).toBe(10886);
  });

  it('picks a random 48-bit decimal o= session id by default, and the first six octets of a given random source', () => {
    const originOf = (negotiator: SdpNegotiator) =>
      parseSdp(negotiator.processOffer(sdpFixture('zentrunk-freeswitch-offer.sdp')).sdp).origin.sessionId;
    const options = { local: { address: '127.0.0.1', rtpPort: 20000 }, srtpPolicy: 'off' } as const;
    const ids = Array.from({ length: 50 }, () => originOf(new SdpNegotiator(options)));
    for (const id of ids) {
      expect(id).toMatch(/^(0|[1-9]\d*)$/);
      expect(BigInt(id)).toBeLessThan(2n ** 48n);
    }
    expect(new Set(ids).size).toBe(ids.length);
    const seeded = originOf(new SdpNegotiator({ ...options, random: seededBytes(7) }));
    expect(seeded).toBe(BigInt(`0x${seededBytes(7)(6).toString('hex')}`).toString());
  });
});
