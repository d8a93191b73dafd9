import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  NegotiationError,
  type NegotiationFailure,
} from '../../../src/media/offer-answer/negotiation-error.js';
import {
  SdpNegotiator,
  type SdpNegotiatorOptions,
  type SrtpPolicy,
} from '../../../src/media/offer-answer/sdp-negotiator.js';
import { parseSdp } from '../../../src/media/sdp/parse-sdp.js';
import { seededBytes } from '../../support/seeded-random.js';
import { sdp } from '../../support/sdp-fixtures.js';

// Making offers and processing answers: the initial offer, hold and resume, unchanged re-offers and the o= version
// rule (RFC 3264 §8), a codec switch, rekeying, and answers that do not fit.

function negotiator(
  name: 'alice' | 'bob',
  srtpPolicy: SrtpPolicy,
  extra: Partial<SdpNegotiatorOptions> = {},
): SdpNegotiator {
  return new SdpNegotiator({
    local:
      name === 'alice' ? { address: '127.0.0.1', rtpPort: 10000 } : { address: '127.0.0.2', rtpPort: 20000 },
    srtpPolicy,
    sessionId: name === 'alice' ? '1001' : '2002',
    random: seededBytes(name === 'alice' ? 1 : 2),
    ...extra,
  });
}

function versionOf(text: string): bigint {
  return BigInt(parseSdp(text).origin.sessionVersion);
}

function failureOf(run: () => unknown): NegotiationFailure {
  try {
    run();
  } catch (error) {
    if (error instanceof NegotiationError) return error.failure;
    throw error;
  }
  throw new Error('expected a NegotiationError');
}

describe('createOffer', () => {
  it('offers PCMU, PCMA, telephone-event 101 (0-16), ptime 20 and two crypto suites on RTP/SAVP (known answer)', () => {
    const offer = negotiator('alice', 'mandatory').createOffer();
    const cryptos = parseSdp(offer.sdp).media[0].cryptos;
    expect(offer.sdp).toBe(
      sdp(
        'v=0',
        'o=trunkline 1001 1 IN IP4 127.0.0.1',
        's=Trunkline',
        'c=IN IP4 127.0.0.1',
        't=0 0',
        'm=audio 10000 RTP/SAVP 0 8 101',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-16',
        'a=ptime:20',
        'a=sendrecv',
        `a=crypto:1 AES_CM_128_HMAC_SHA1_80 ${cryptos[0].keyParams}`,
        `a=crypto:2 AES_CM_128_HMAC_SHA1_32 ${cryptos[1].keyParams}`,
      ),
    );
    expect(cryptos[0].keyParams).toMatch(/^inline:[A-Za-z0-9+/]{40}$/);
    expect(cryptos[0].keyParams).not.toBe(cryptos[1].keyParams);
  });

  it.each([
    ['off', 'RTP/AVP', 0],
    ['optional', 'RTP/AVP', 2],
    ['mandatory', 'RTP/SAVP', 2],
  ] as const)('SRTP %s: offers %s with %i crypto lines', (policy, proto, cryptoLines) => {
    const media = parseSdp(negotiator('alice', policy).createOffer().sdp).media[0];
    expect([media.proto, media.cryptos.length]).toEqual([proto, cryptoLines]);
  });

  it('writes options: other telephone-event PT, maxptime, a=rtcp for a non-adjacent port, IPv6, rtcp-mux', () => {
    const text = new SdpNegotiator({
      local: { address: '2001:db8::5', rtpPort: 10000, rtcpPort: 10005 },
      srtpPolicy: 'off',
      telephoneEventPayloadType: 96,
      telephoneEvents: '0-15',
      maxptimeMs: 40,
      codecs: ['PCMA'],
      sessionId: '1',
    }).createOffer().sdp;
    expect(text).toContain('o=trunkline 1 1 IN IP6 2001:db8::5\r\n');
    expect(text).toContain('c=IN IP6 2001:db8::5\r\n');
    expect(text).toContain('m=audio 10000 RTP/AVP 8 96\r\n');
    expect(text).toContain('a=fmtp:96 0-15\r\na=ptime:20\r\na=maxptime:40\r\na=sendrecv\r\na=rtcp:10005\r\n');
    const muxed = negotiator('alice', 'off', {
      rtcpMux: true,
      local: { address: '127.0.0.1', rtpPort: 10000, rtcpPort: 10005 },
    });
    expect(muxed.createOffer().sdp).toContain('a=sendrecv\r\na=rtcp-mux\r\n');
  });

  it('gives every call fresh keys from the system random source', () => {
    const a = new SdpNegotiator({ local: { address: '127.0.0.1', rtpPort: 10000 }, srtpPolicy: 'mandatory' });
    const b = new SdpNegotiator({ local: { address: '127.0.0.1', rtpPort: 10000 }, srtpPolicy: 'mandatory' });
    const keysOf = (n: SdpNegotiator): string[] =>
      parseSdp(n.createOffer().sdp).media[0].cryptos.map((c) => c.keyParams);
    const [ka, kb] = [keysOf(a), keysOf(b)];
    expect(new Set([...ka, ...kb]).size).toBe(4);
    expect(parseSdp(a.createOffer().sdp).origin.sessionId).not.toBe(
      parseSdp(b.createOffer().sdp).origin.sessionId,
    );
  });
});

describe('offer → answer between two negotiators', () => {
  it.each(['off', 'optional', 'mandatory'] as const)(
    'SRTP %s: both sides agree, keys cross over',
    (policy) => {
      const alice = negotiator('alice', policy);
      const bob = negotiator('bob', policy);
      const answer = bob.processOffer(alice.createOffer().sdp);
      const atAlice = alice.processAnswer(answer.sdp);
      const atBob = answer.negotiated;
      expect(atAlice).toMatchObject({
        remoteAddress: '127.0.0.2',
        remoteRtpPort: 20000,
        remoteRtcpPort: 20001,
        direction: 'sendrecv',
      });
      expect(atBob).toMatchObject({
        remoteAddress: '127.0.0.1',
        remoteRtpPort: 10000,
        remoteRtcpPort: 10001,
        direction: 'sendrecv',
      });
      expect(atAlice.codec).toEqual({ payloadType: 0, encodingName: 'PCMU', clockRateHz: 8000 });
      expect(atAlice.telephoneEvent).toEqual({ payloadType: 101, events: '0-16' });
      if (policy === 'off') {
        expect([atAlice.srtp, atBob.srtp]).toEqual([undefined, undefined]);
        return;
      }
      expect(atAlice.srtp?.profile).toBe('AES_CM_128_HMAC_SHA1_80');
      expect(atAlice.srtp?.sendKey.equals(atBob.srtp!.receiveKey)).toBe(true);
      expect(atBob.srtp?.sendKey.equals(atAlice.srtp!.receiveKey)).toBe(true);
      expect(atAlice.srtp?.sendKey.equals(atAlice.srtp.receiveKey)).toBe(false);
    },
  );

  it('best-effort SRTP offered to a plain peer ends in plain RTP', () => {
    const alice = negotiator('alice', 'optional');
    const bob = negotiator('bob', 'off');
    const answer = bob.processOffer(alice.createOffer().sdp);
    expect(answer.description.media[0]?.cryptos).toEqual([]);
    expect(alice.processAnswer(answer.sdp).srtp).toBeUndefined();
  });

  it('uses the suite and tag the answer picked', () => {
    const alice = negotiator('alice', 'mandatory');
    const bob = negotiator('bob', 'mandatory', { srtpProfiles: ['AES_CM_128_HMAC_SHA1_32'] });
    const answer = bob.processOffer(alice.createOffer().sdp);
    expect(answer.description.media[0]?.cryptos.map((c) => [c.tag, c.suite])).toEqual([
      [2, 'AES_CM_128_HMAC_SHA1_32'],
    ]);
    expect(alice.processAnswer(answer.sdp).srtp?.profile).toBe('AES_CM_128_HMAC_SHA1_32');
  });

  it('accepts an answer given as a parsed description', () => {
    const alice = negotiator('alice', 'off');
    const answer = negotiator('bob', 'off').processOffer(alice.createOffer().sdp);
    expect(alice.processAnswer(answer.description).remoteRtpPort).toBe(20000);
  });
});

describe('hold, resume and re-offers (RFC 3264 §8)', () => {
  function established(policy: SrtpPolicy = 'mandatory'): {
    alice: SdpNegotiator;
    bob: SdpNegotiator;
    offer: string;
    answer: string;
  } {
    const alice = negotiator('alice', policy);
    const bob = negotiator('bob', policy);
    const offer = alice.createOffer().sdp;
    const answer = bob.processOffer(offer).sdp;
    alice.processAnswer(answer);
    return { alice, bob, offer, answer };
  }

  it('holds with a=sendonly, the answer says recvonly, and resumes with a=sendrecv; keys stay', () => {
    const { alice, bob, offer, answer } = established();
    const hold = alice.createOffer({ direction: 'sendonly' });
    expect(hold.description.media[0]?.direction).toBe('sendonly');
    expect(versionOf(hold.sdp)).toBe(versionOf(offer) + 1n);
    const holdAnswer = bob.processOffer(hold.sdp);
    expect(holdAnswer.description.media[0]?.direction).toBe('recvonly');
    expect(versionOf(holdAnswer.sdp)).toBe(versionOf(answer) + 1n);
    expect(holdAnswer.negotiated.direction).toBe('recvonly');
    expect(alice.processAnswer(holdAnswer.sdp).direction).toBe('sendonly');

    const resume = alice.createOffer({ direction: 'sendrecv' });
    expect(versionOf(resume.sdp)).toBe(versionOf(offer) + 2n);
    const resumed = bob.processOffer(resume.sdp);
    expect(resumed.negotiated.direction).toBe('sendrecv');
    expect(alice.processAnswer(resumed.sdp).direction).toBe('sendrecv');

    // The re-offers carry the one crypto line in use, with the key in use.
    const inUse = parseSdp(offer).media[0].cryptos[0];
    expect(parseSdp(resume.sdp).media[0].cryptos).toEqual([inUse]);
    expect(alice.negotiated?.srtp?.sendKey.equals(resumed.negotiated.srtp!.receiveKey)).toBe(true);
  });

  it('holds with a=inactive', () => {
    const { alice, bob } = established();
    const answer = bob.processOffer(alice.createOffer({ direction: 'inactive' }).sdp);
    expect(answer.negotiated.direction).toBe('inactive');
    expect(alice.processAnswer(answer.sdp).direction).toBe('inactive');
  });

  it('keeps holding when the held side re-offers sendrecv (our direction is remembered)', () => {
    const { alice, bob } = established();
    bob.processOffer(alice.createOffer({ direction: 'sendonly' }).sdp);
    const fromBob = bob.createOffer();
    const answer = alice.processOffer(fromBob.sdp);
    expect(answer.description.media[0]?.direction).toBe('sendonly');
  });

  it('a re-offer that changes nothing is byte-identical, with the same o= version', () => {
    const { alice, offer } = established();
    const again = alice.createOffer();
    expect(again.sdp).toBe(offer.replace(/a=crypto:2 .*\r\n/, '').replace(' 1001 1 ', ' 1001 2 '));
    expect(versionOf(again.sdp)).toBe(versionOf(offer) + 1n);
    const unchanged = alice.createOffer();
    expect(unchanged.sdp).toBe(again.sdp);
  });

  it('a plain-RTP re-offer that changes nothing keeps the version of the initial offer', () => {
    const { alice, offer } = established('off');
    expect(alice.createOffer().sdp).toBe(offer);
  });

  it('answers an unchanged re-offer with an unchanged answer', () => {
    const { alice, bob, answer } = established();
    const reoffer = alice.createOffer();
    const first = bob.processOffer(reoffer.sdp);
    const second = bob.processOffer(reoffer.sdp);
    expect(second.sdp).toBe(first.sdp);
    expect(first.sdp).toBe(answer);
  });

  it('switches codec on re-offer', () => {
    const { alice, bob, offer } = established();
    const switched = alice.createOffer({ codecs: ['PCMA'] });
    expect(switched.description.media[0]?.formats).toEqual(['8', '101']);
    expect(versionOf(switched.sdp)).toBe(versionOf(offer) + 1n);
    const answer = bob.processOffer(switched.sdp);
    expect(answer.negotiated.codec.encodingName).toBe('PCMA');
    expect(alice.processAnswer(answer.sdp).codec).toEqual({
      payloadType: 8,
      encodingName: 'PCMA',
      clockRateHz: 8000,
    });
  });

  it('follows a codec switch offered by the peer', () => {
    const { alice, bob } = established('off');
    const fromBob = bob.createOffer({ codecs: ['PCMA', 'PCMU'] });
    expect(alice.processOffer(fromBob.sdp).negotiated.codec.encodingName).toBe('PCMA');
  });

  it('rekeys on request: fresh keys for every suite and a new version', () => {
    const { alice, offer } = established();
    const rekeyed = alice.createOffer({ rekey: true });
    const before = parseSdp(offer).media[0].cryptos.map((c) => c.keyParams);
    const after = parseSdp(rekeyed.sdp).media[0].cryptos.map((c) => c.keyParams);
    expect(after).toHaveLength(2);
    expect(after.some((k) => before.includes(k))).toBe(false);
    expect(versionOf(rekeyed.sdp)).toBe(versionOf(offer) + 1n);
  });

  it('cancelOffer leaves the negotiated session as it was (RFC 3264 §8: a rejected re-offer changes nothing)', () => {
    const { alice } = established();
    const before = alice.negotiated;
    alice.createOffer({ direction: 'sendonly' });
    expect(alice.hasPendingOffer).toBe(true);
    alice.cancelOffer();
    expect(alice.hasPendingOffer).toBe(false);
    expect(alice.negotiated).toBe(before);
    expect(failureOf(() => alice.processAnswer(sdp('v=0', 'o=- 1 1 IN IP4 127.0.0.2', 's=-', 't=0 0')))).toBe(
      'unexpected-answer',
    );
  });

  it('moves to a new local port on re-offer', () => {
    const { alice, bob } = established('off');
    alice.setLocal({ address: '127.0.0.1', rtpPort: 10100 });
    const answer = bob.processOffer(alice.createOffer().sdp);
    expect(answer.negotiated.remoteRtpPort).toBe(10100);
  });
});

describe('answers that do not fit the offer', () => {
  function offered(policy: SrtpPolicy = 'mandatory'): { alice: SdpNegotiator; answer: string } {
    const alice = negotiator('alice', policy);
    const answer = negotiator('bob', policy).processOffer(alice.createOffer().sdp).sdp;
    return { alice, answer };
  }

  // [what, policy, change to the good answer, failure]
  const table: Array<[string, SrtpPolicy, (answer: string) => string, NegotiationFailure]> = [
    ['port 0 on the audio stream', 'off', (a) => a.replace('m=audio 20000', 'm=audio 0'), 'stream-rejected'],
    ['an extra m= line', 'off', (a) => `${a}m=video 0 RTP/AVP 96\r\n`, 'answer-mismatch'],
    ['video where audio was offered', 'off', (a) => a.replace('m=audio', 'm=video'), 'answer-mismatch'],
    ['RTP/AVP to an RTP/SAVP offer', 'mandatory', (a) => a.replace('RTP/SAVP', 'RTP/AVP'), 'answer-mismatch'],
    [
      'a payload type that was not offered',
      'off',
      (a) => a.replace('RTP/AVP 0 101', 'RTP/AVP 18 101'),
      'no-common-codec',
    ],
    [
      'a crypto tag that was not offered',
      'mandatory',
      (a) => a.replace('a=crypto:1 ', 'a=crypto:7 '),
      'no-acceptable-crypto',
    ],
    [
      'a crypto suite that does not match its tag',
      'mandatory',
      (a) => a.replace('a=crypto:1 AES_CM_128_HMAC_SHA1_80', 'a=crypto:1 AES_CM_128_HMAC_SHA1_32'),
      'no-acceptable-crypto',
    ],
    [
      'no crypto line on RTP/SAVP',
      'mandatory',
      (a) => a.replace(/a=crypto:.*\r\n/, ''),
      'no-acceptable-crypto',
    ],
    [
      'a broken crypto line on best-effort SRTP',
      'optional',
      (a) => a.replace(/inline:\S+/, 'inline:AAAA'),
      'no-acceptable-crypto',
    ],
  ];
  it.each(table)('%s → %s', (_what, policy, change, failure) => {
    const { alice, answer } = offered(policy);
    expect(failureOf(() => alice.processAnswer(change(answer)))).toBe(failure);
    expect(alice.hasPendingOffer).toBe(false);
  });

  it('an answer with no offer pending', () => {
    const { alice, answer } = offered('off');
    alice.processAnswer(answer);
    expect(failureOf(() => alice.processAnswer(answer))).toBe('unexpected-answer');
  });
});

describe('keys never printed', () => {
  it('negotiated media, descriptions and errors print no key material', () => {
    const alice = negotiator('alice', 'mandatory');
    const bob = negotiator('bob', 'mandatory');
    const offer = alice.createOffer();
    const answer = bob.processOffer(offer.sdp);
    const negotiated = alice.processAnswer(answer.sdp);
    const secrets = [
      ...[offer.sdp, answer.sdp].flatMap((text) =>
        [...text.matchAll(/inline:([A-Za-z0-9+/=]+)/g)].map((m) => m[1]),
      ),
      negotiated.srtp!.sendKey.key.toString('hex'),
      negotiated.srtp!.receiveKey.key.toString('hex'),
    ];
    expect(secrets).toHaveLength(5);
    const printed = [
      inspect(negotiated, { depth: 10, showHidden: true }),
      JSON.stringify(negotiated),
      inspect(answer.negotiated, { depth: 10 }),
      inspect(offer.description, { depth: 10 }),
      JSON.stringify(offer.description),
      inspect(parseSdp(answer.sdp), { depth: 10 }),
    ].join('\n');
    for (const secret of secrets) expect(printed).not.toContain(secret);
    expect(printed).toContain('[redacted SRTP master key]');
    expect(printed).toContain('inline:<redacted>');
  });
});
