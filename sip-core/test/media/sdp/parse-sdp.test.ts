import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseSdp } from '../../../src/media/sdp/parse-sdp.js';
import { SdpParseError } from '../../../src/media/sdp/sdp-parse-error.js';
import { redactKeyParams } from '../../../src/media/sdp/session-description.js';
import { writeSdp } from '../../../src/media/sdp/write-sdp.js';
import { sdp, sdpFixture } from '../../support/sdp-fixtures.js';

const CORPUS = [
  'zentrunk-freeswitch-offer.sdp',
  'zentrunk-freeswitch-secure-offer.sdp',
  'baresip-srtp-offer.sdp',
  'sipp-default-offer.sdp',
  'asterisk-offer.sdp',
  'asterisk-sdes-offer.sdp',
  'audio-video-offer.sdp',
];

describe('parseSdp on the corpus of real-world offers', () => {
  it.each(CORPUS)('%s survives parse → write → parse unchanged', (name) => {
    const parsed = parseSdp(sdpFixture(name));
    const written = writeSdp(parsed);
    expect(parseSdp(written)).toEqual(parsed);
    // The writer is canonical: writing what it wrote changes nothing.
    expect(writeSdp(parseSdp(written))).toBe(written);
  });

  it.each(CORPUS)('%s parses the same with LF and CRLF line ends', (name) => {
    const crlf = sdpFixture(name);
    expect(parseSdp(crlf.replace(/\r\n/g, '\n'))).toEqual(parseSdp(crlf));
  });

  it("reads Zentrunk's FreeSWITCH offer (BEHAVIOUR.md §5.2) field by field", () => {
    const offer = parseSdp(sdpFixture('zentrunk-freeswitch-offer.sdp'));
    expect(offer.origin).toEqual({
      username: 'FreeSWITCH',
      sessionId: '1735689600',
      sessionVersion: '1735689601',
      netType: 'IN',
      addrType: 'IP4',
      address: '18.214.109.140',
    });
    expect(offer.sessionName).toBe('FreeSWITCH');
    expect(offer.connection).toEqual({ netType: 'IN', addrType: 'IP4', address: '18.214.109.140' });
    expect(offer.timing).toEqual([{ start: '0', stop: '0', repeats: [] }]);
    const [audio] = offer.media;
    expect(audio).toMatchObject({ media: 'audio', port: 10886, proto: 'RTP/AVP', formats: ['0', '101'] });
    expect(audio?.rtpmaps).toEqual([
      { payloadType: 0, encodingName: 'PCMU', clockRateHz: 8000 },
      { payloadType: 101, encodingName: 'telephone-event', clockRateHz: 8000 },
    ]);
    expect(audio?.fmtps).toEqual([{ payloadType: 101, parameters: '0-16' }]);
    expect(audio?.ptimeMs).toBe(20);
    expect(audio?.direction).toBe('sendrecv');
  });

  it('keeps the attributes it has no field for, in order, at both levels (baresip)', () => {
    const offer = parseSdp(sdpFixture('baresip-srtp-offer.sdp'));
    expect(offer.attributes).toEqual([{ name: 'tool', value: 'baresip 1.0.0' }]);
    expect(offer.media[0]?.attributes).toEqual([
      { name: 'label', value: '1' },
      { name: 'rtcp-rsize', value: undefined },
      { name: 'ssrc', value: '1241069665 cname:sip:alice@127.0.0.1:15260' },
      { name: 'minptime', value: '20' },
    ]);
    const written = writeSdp(offer);
    for (const line of [
      'a=tool:baresip 1.0.0',
      'a=rtcp-rsize',
      'a=ssrc:1241069665 cname:sip:alice@127.0.0.1:15260',
    ]) {
      expect(written).toContain(`${line}\r\n`);
    }
  });

  it('reads a=crypto, a=rtcp with and without an address, a=maxptime', () => {
    const secure = parseSdp(sdpFixture('zentrunk-freeswitch-secure-offer.sdp')).media[0];
    expect(secure.cryptos.map((c) => [c.tag, c.suite, c.sessionParams])).toEqual([
      [1, 'AES_CM_128_HMAC_SHA1_80', []],
      [2, 'AES_CM_128_HMAC_SHA1_32', []],
    ]);
    expect(secure.rtcp).toEqual({ port: 24513, netType: 'IN', addrType: 'IP4', address: '18.214.109.140' });
    const asterisk = parseSdp(sdpFixture('asterisk-sdes-offer.sdp')).media[0];
    expect(asterisk.rtcp).toEqual({ port: 14565 });
    expect(asterisk.maxptimeMs).toBe(140);
    expect(asterisk.cryptos[0]?.keyParams).toBe('inline:ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXowMTIzNDU2|2^31');
  });

  it('reads session-level c=, b=, i= and direction, and media-level overrides (audio + video)', () => {
    const offer = parseSdp(sdpFixture('audio-video-offer.sdp'));
    expect(offer.information).toBe('A call with a camera');
    expect(offer.bandwidths).toEqual([{ type: 'AS', value: 2048 }]);
    expect(offer.direction).toBe('sendrecv');
    expect(offer.media.map((m) => [m.media, m.port, m.direction, m.bandwidths])).toEqual([
      ['audio', 49170, undefined, [{ type: 'AS', value: 80 }]],
      ['video', 51372, 'recvonly', []],
    ]);
  });

  it('reads multicast c= with TTL and count, m= with a port count, rtcp-mux, r= and z=', () => {
    const parsed = parseSdp(
      sdp(
        'v=0',
        'o=- 1 2 IN IP4 224.2.17.12',
        's=Seminar',
        'c=IN IP4 224.2.1.1/127/3',
        't=2873397496 2873404696',
        'r=7d 1h 0 25h',
        'z=2882844526 -1h 2898848070 0',
        'm=audio 49170/2 RTP/AVP 0',
        'a=rtcp-mux',
        'm=audio 49180 RTP/AVP 0',
        'c=IN IP6 ff15::101/3',
      ),
    );
    expect(parsed.connection).toEqual({
      netType: 'IN',
      addrType: 'IP4',
      address: '224.2.1.1',
      ttl: 127,
      addressCount: 3,
    });
    expect(parsed.timing).toEqual([{ start: '2873397496', stop: '2873404696', repeats: ['7d 1h 0 25h'] }]);
    expect(parsed.timeZones).toBe('2882844526 -1h 2898848070 0');
    expect(parsed.media[0]).toMatchObject({ port: 49170, portCount: 2, rtcpMux: true });
    expect(parsed.media[1]?.connection).toEqual({
      netType: 'IN',
      addrType: 'IP6',
      address: 'ff15::101',
      ttl: undefined,
      addressCount: 3,
    });
    expect(parseSdp(writeSdp(parsed))).toEqual(parsed);
  });

  it('is tolerant of blank lines, trailing white space and repeated spaces', () => {
    const parsed = parseSdp(
      'v=0\n\no=-  1   2 IN IP4 127.0.0.1  \ns=-\nc=IN IP4 127.0.0.1\nm=audio 4000 RTP/AVP  0   8\n\n',
    );
    expect(parsed.origin.sessionId).toBe('1');
    expect(parsed.media[0]?.formats).toEqual(['0', '8']);
    expect(parsed.timing).toEqual([{ start: '0', stop: '0', repeats: [] }]);
  });

  it('is plain JSON data (traces, reports and the IPC bridge serialise it)', () => {
    const parsed = parseSdp(sdpFixture('asterisk-offer.sdp'));
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(parsed);
  });

  it('fills in a missing s= as "-"', () => {
    expect(parseSdp(sdp('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 't=0 0')).sessionName).toBe('-');
  });
});

describe('parseSdp on malformed SDP', () => {
  const head = ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0'];
  const audio = 'm=audio 4000 RTP/AVP 0 101';

  // [what, lines, the 1-based line the error must name, a phrase of the reason]
  const cases: Array<[string, string[], number | undefined, string]> = [
    ['an unknown line type', [...head, 'x=whatever'], 6, "line type 'x'"],
    ['a line without "="', [...head, 'garbage'], 6, 'expected <type>=<value>'],
    ['an upper-case type letter', [...head, 'M=audio 4000 RTP/AVP 0'], 6, 'expected <type>=<value>'],
    ['a body that does not start with v=', ['o=- 1 1 IN IP4 192.0.2.1', 'v=0'], 1, 'must start with v=0'],
    ['v=1', ['v=1'], 1, 'version 0'],
    ['o= with five fields', ['v=0', 'o=- 1 1 IN IP4'], 2, 'o= needs 6 fields'],
    ['a non-numeric o= version', ['v=0', 'o=- 1 two IN IP4 192.0.2.1'], 2, 'session version'],
    ['a second o=', [...head, 'o=- 2 2 IN IP4 192.0.2.1'], 6, 'second o='],
    ['c= with two fields', ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4'], 4, 'c= needs 3 fields'],
    ['b= without a value', [...head, 'b=AS'], 6, 'b= must be'],
    ['a non-numeric t=', ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 't=now 0'], 4, 't= start and stop'],
    ['r= before any t=', ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'r=7d 1h 0'], 4, 'r= must follow'],
    ['an m= port that is not a number', [...head, 'm=audio abc RTP/AVP 0'], 6, 'm= must be'],
    ['an m= port above 65535', [...head, 'm=audio 70000 RTP/AVP 0'], 6, 'at most 65535'],
    ['s= inside a media section', [...head, audio, 's=late'], 7, 'before the first m= line'],
    ['i= twice in a media section', [...head, audio, 'i=a', 'i=b'], 8, 'second i='],
    [
      'u= inside a media section',
      [...head, audio, 'u=http://example.com'],
      7,
      'not allowed inside a media section',
    ],
    [
      'a=rtpmap with a non-numeric payload type',
      [...head, audio, 'a=rtpmap:abc PCMU/8000'],
      7,
      'a=rtpmap must be',
    ],
    ['a=rtpmap without a clock rate', [...head, audio, 'a=rtpmap:0 PCMU'], 7, 'a=rtpmap must be'],
    ['a=rtpmap with payload type 200', [...head, audio, 'a=rtpmap:200 foo/8000'], 7, 'at most 127'],
    ['a=fmtp without a payload type', [...head, audio, 'a=fmtp:x 0-16'], 7, 'a=fmtp must be'],
    ['a=ptime that is not a number', [...head, audio, 'a=ptime:twenty'], 7, 'a=ptime must be'],
    ['a second a=ptime', [...head, audio, 'a=ptime:20', 'a=ptime:30'], 8, 'second a=ptime'],
    ['a=rtcp with a bad port', [...head, audio, 'a=rtcp:port'], 7, 'a=rtcp must be'],
    ['contradicting directions', [...head, audio, 'a=sendonly', 'a=recvonly'], 8, 'contradicts'],
    [
      'a=crypto without key parameters',
      [...head, audio, 'a=crypto:1 AES_CM_128_HMAC_SHA1_80'],
      7,
      'a=crypto must be',
    ],
    [
      'a repeated crypto tag',
      [...head, audio, 'a=crypto:1 A inline:x', 'a=crypto:1 B inline:y'],
      8,
      'appears twice',
    ],
    ['an attribute without a name', [...head, 'a=:value'], 6, 'needs a name'],
    ['an empty body', [''], undefined, 'the body is empty'],
    ['a missing o=', ['v=0', 's=-'], undefined, 'o= line is missing'],
  ];

  it.each(cases)('rejects %s with an SdpParseError naming the line', (_what, lines, lineNumber, reason) => {
    const text = sdp(...lines);
    let error: unknown;
    try {
      parseSdp(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SdpParseError);
    const parseError = error as SdpParseError;
    expect(parseError.code).toBe('SDP_PARSE_ERROR');
    expect(parseError.lineNumber).toBe(lineNumber);
    expect(parseError.message).toContain(reason);
    if (lineNumber !== undefined) {
      const line = redactKeyParams(lines[lineNumber - 1]);
      expect(parseError.line).toBe(line);
      expect(parseError.message).toContain(`line ${lineNumber} "${line}"`);
    }
  });

  it('never quotes a crypto key in the error', () => {
    const key = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk';
    const text = sdp(...head, audio, `a=crypto:one AES_CM_128_HMAC_SHA1_80 inline:${key}`);
    let error: SdpParseError | undefined;
    try {
      parseSdp(text);
    } catch (caught) {
      error = caught as SdpParseError;
    }
    expect(error?.lineNumber).toBe(7);
    expect(error?.message).toContain('inline:<redacted>');
    expect(`${error?.message} ${error?.line} ${inspect(error)}`).not.toContain(key);
  });
});
