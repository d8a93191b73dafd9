import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SRTP_LABEL, deriveSrtpKey } from '../../../src/media/srtp/srtp-key-derivation.js';
import { SrtpError } from '../../../src/media/srtp/srtp-error.js';
import { SrtpMasterKey } from '../../../src/media/srtp/srtp-master-key.js';
import { SRTP_PROFILES, type SrtpProfileName } from '../../../src/media/srtp/srtp-profile.js';
import { SrtpSession, type SrtpUnprotectResult } from '../../../src/media/srtp/srtp-session.js';
import { serializeRtcpCompound } from '../../../src/media/rtcp/rtcp-compound.js';
import { rtpBytes } from '../../support/rtp-packets.js';

const PROFILES: SrtpProfileName[] = ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'];

function keyFor(profile: SrtpProfileName, seed = 1): SrtpMasterKey {
  const bytes = Buffer.alloc(30);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + seed) & 0xff;
  return SrtpMasterKey.fromKeySalt(bytes, SRTP_PROFILES[profile]);
}

function pair(profile: SrtpProfileName, options: { replayWindowSize?: number; maxStreams?: number } = {}) {
  const masterKey = keyFor(profile);
  return {
    sender: new SrtpSession({ profile, masterKey }),
    receiver: new SrtpSession({ profile, masterKey, ...options }),
  };
}

function plain(result: SrtpUnprotectResult): Buffer {
  if (!result.ok) throw new Error(`dropped: ${result.reason}`);
  return Buffer.from(result.packet);
}

const rtcpPacket = serializeRtcpCompound([
  {
    kind: 'receiver-report',
    ssrc: 0x1234_5678,
    reportBlocks: [
      {
        ssrc: 0xabcd,
        fractionLost: 3,
        cumulativeLost: 9,
        extendedHighestSequence: 70_000,
        jitter: 12,
        lastSenderReport: 0,
        delaySinceLastSenderReport: 0,
      },
    ],
  },
  {
    kind: 'source-description',
    chunks: [{ ssrc: 0x1234_5678, items: [{ type: 1, text: 'trunkline@test' }] }],
  },
]);

describe.each(PROFILES)('SrtpSession %s', (profile) => {
  const tagBytes = SRTP_PROFILES[profile].rtpAuthTagBytes;

  it('round-trips a G.711 packet: encrypted payload, clear header, tag appended', () => {
    const { sender, receiver } = pair(profile);
    const packet = rtpBytes({ sequenceNumber: 1000 });
    const srtp = sender.protectRtp(packet);
    expect(srtp.length).toBe(packet.length + tagBytes);
    expect(srtp.subarray(0, 12).equals(packet.subarray(0, 12))).toBe(true);
    expect(srtp.subarray(12, packet.length).equals(packet.subarray(12))).toBe(false);
    expect(plain(receiver.unprotectRtp(srtp)).equals(packet)).toBe(true);
  });

  it('keeps CSRCs and a header extension in the clear and authenticated', () => {
    const { sender, receiver } = pair(profile);
    const packet = rtpBytes({ csrcs: [7, 8], extension: { profile: 0xbede, data: Buffer.alloc(8, 1) } });
    const srtp = sender.protectRtp(packet);
    expect(srtp.subarray(0, 32).equals(packet.subarray(0, 32))).toBe(true);
    expect(plain(receiver.unprotectRtp(srtp)).equals(packet)).toBe(true);
  });

  it('rolls the ROC over across sequence number 65535 → 0, on both sides, with reordering around the wrap', () => {
    const { sender, receiver } = pair(profile);
    const sequence = [65_530, 65_531, 65_532, 65_533, 65_534, 65_535, 0, 1, 2, 3];
    const sent = sequence.map((seq, i) => {
      const packet = rtpBytes({ sequenceNumber: seq, timestamp: i * 160, payload: Buffer.alloc(160, i) });
      return { packet, srtp: sender.protectRtp(packet) };
    });
    expect(sender.rolloverCounter(0x1234_5678)).toBe(1);
    // Deliver 0 before 65535: the receiver must guess ROC 1 for 0 and ROC 0 again for the late 65535.
    const order = [0, 1, 2, 3, 4, 6, 5, 7, 8, 9];
    for (const i of order)
      expect(plain(receiver.unprotectRtp(sent[i].srtp)).equals(sent[i].packet)).toBe(true);
    expect(receiver.rolloverCounter(0x1234_5678)).toBe(1);
    expect(receiver.drops.total).toBe(0);
  });

  it('authenticates the ROC: a post-wrap packet fails on a receiver that has not seen the wrap', () => {
    const { sender } = pair(profile);
    for (const seq of [65_534, 65_535]) sender.protectRtp(rtpBytes({ sequenceNumber: seq }));
    const afterWrap = sender.protectRtp(rtpBytes({ sequenceNumber: 5 }));
    const fresh = new SrtpSession({ profile, masterKey: keyFor(profile) });
    expect(fresh.unprotectRtp(afterWrap)).toEqual({ ok: false, reason: 'auth-failed' });
  });

  it('rejects a replayed packet and a packet older than the window, counting both', () => {
    const { sender, receiver } = pair(profile, { replayWindowSize: 64 });
    const first = sender.protectRtp(rtpBytes({ sequenceNumber: 100 }));
    const copy = Buffer.from(first);
    expect(receiver.unprotectRtp(first).ok).toBe(true);
    expect(receiver.unprotectRtp(copy)).toEqual({ ok: false, reason: 'replayed' });
    for (let seq = 101; seq <= 200; seq++) sender.protectRtp(rtpBytes({ sequenceNumber: seq }));
    expect(receiver.unprotectRtp(sender.protectRtp(rtpBytes({ sequenceNumber: 201 }))).ok).toBe(true);
    const old = sender.protectRtp(rtpBytes({ sequenceNumber: 130 }));
    expect(receiver.unprotectRtp(old)).toEqual({ ok: false, reason: 'too-old' });
    const inWindow = sender.protectRtp(rtpBytes({ sequenceNumber: 150 }));
    expect(receiver.unprotectRtp(inWindow).ok).toBe(true);
    expect(receiver.drops.snapshot()).toEqual({ replayed: 1, 'too-old': 1 });
  });

  it.each([
    ['a payload bit', (p: Buffer) => (p[20] = p[20] ^ 1)],
    ['a header bit (the marker)', (p: Buffer) => (p[1] = p[1] ^ 0x80)],
    ['the tag', (p: Buffer) => (p[p.length - 1] = p[p.length - 1] ^ 0xff)],
  ])('drops a packet with %s changed as auth-failed, and keeps accepting good ones', (_what, tamper) => {
    const { sender, receiver } = pair(profile);
    const srtp = sender.protectRtp(rtpBytes({ sequenceNumber: 1 }));
    tamper(srtp);
    expect(receiver.unprotectRtp(srtp)).toEqual({ ok: false, reason: 'auth-failed' });
    expect(receiver.unprotectRtp(sender.protectRtp(rtpBytes({ sequenceNumber: 2 }))).ok).toBe(true);
    expect(receiver.drops.get('auth-failed')).toBe(1);
  });

  it('does not let a forged packet move the replay window', () => {
    const { sender, receiver } = pair(profile);
    const forged = sender.protectRtp(rtpBytes({ sequenceNumber: 5000 }));
    forged[forged.length - 1] = forged[forged.length - 1] ^ 1;
    expect(receiver.unprotectRtp(forged).ok).toBe(false);
    expect(receiver.unprotectRtp(sender.protectRtp(rtpBytes({ sequenceNumber: 10 }))).ok).toBe(true);
  });

  it.each([
    ['truncated', Buffer.alloc(12 + tagBytes - 1, 0x80)],
    ['wrong-version', Buffer.alloc(40, 0x40)],
    ['truncated', Buffer.from([0x8f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, ...Buffer.alloc(20)])],
  ] as const)('drops a malformed datagram as %s without throwing', (reason, datagram) => {
    const { receiver } = pair(profile);
    expect(receiver.unprotectRtp(Buffer.from(datagram))).toEqual({ ok: false, reason });
    expect(receiver.drops.get(reason)).toBe(1);
  });

  it('limits the receive state to maxStreams SSRCs', () => {
    const { sender, receiver } = pair(profile, { maxStreams: 2 });
    for (const ssrc of [1, 2])
      expect(receiver.unprotectRtp(sender.protectRtp(rtpBytes({ ssrc }))).ok).toBe(true);
    expect(receiver.unprotectRtp(sender.protectRtp(rtpBytes({ ssrc: 3 })))).toEqual({
      ok: false,
      reason: 'too-many-streams',
    });
  });

  it('round-trips a compound SRTCP packet with the E flag and an index that counts from 0', () => {
    const { sender, receiver } = pair(profile);
    const first = sender.protectRtcp(rtcpPacket);
    const second = sender.protectRtcp(rtcpPacket);
    const trailer = first.length - 10 - 4;
    expect(first.readUInt32BE(trailer)).toBe(0x8000_0000);
    expect(second.readUInt32BE(trailer)).toBe(0x8000_0001);
    expect(first.subarray(0, 8).equals(rtcpPacket.subarray(0, 8))).toBe(true);
    expect(first.subarray(8, rtcpPacket.length).equals(rtcpPacket.subarray(8))).toBe(false);
    const replay = Buffer.from(first);
    expect(plain(receiver.unprotectRtcp(first)).equals(rtcpPacket)).toBe(true);
    expect(plain(receiver.unprotectRtcp(second)).equals(rtcpPacket)).toBe(true);
    expect(receiver.unprotectRtcp(replay)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('drops tampered or truncated SRTCP', () => {
    const { sender, receiver } = pair(profile);
    const srtcp = sender.protectRtcp(rtcpPacket);
    srtcp[9] = srtcp[9] ^ 1;
    expect(receiver.unprotectRtcp(srtcp)).toEqual({ ok: false, reason: 'auth-failed' });
    expect(receiver.unprotectRtcp(Buffer.from([0x80, 0xc9, 0, 1, 0, 0, 0, 1]))).toEqual({
      ok: false,
      reason: 'truncated',
    });
    expect(receiver.unprotectRtcp(Buffer.alloc(40, 0))).toEqual({ ok: false, reason: 'wrong-version' });
  });

  it('accepts an authenticated SRTCP packet sent without encryption (E = 0)', () => {
    const { receiver } = pair(profile);
    const master = keyFor(profile);
    const authKey = deriveSrtpKey(master.key, master.salt, SRTP_LABEL.RTCP_AUTHENTICATION, 20);
    const unencrypted = Buffer.concat([rtcpPacket, Buffer.from([0, 0, 0, 7])]);
    const tag = createHmac('sha1', authKey).update(unencrypted).digest().subarray(0, 10);
    expect(plain(receiver.unprotectRtcp(Buffer.concat([unencrypted, tag]))).equals(rtcpPacket)).toBe(true);
  });

  it('protects and unprotects in place, giving the same bytes as the copying calls', () => {
    const { sender, receiver } = pair(profile);
    const copying = pair(profile);
    for (let seq = 65_530; seq < 65_560; seq++) {
      const packet = rtpBytes({ sequenceNumber: seq & 0xffff, payload: Buffer.alloc(160, seq & 0xff) });
      const buffer = Buffer.alloc(packet.length + tagBytes + 7, 0xee);
      packet.copy(buffer);
      expect(sender.protectRtpInPlace(buffer, packet.length)).toBe(packet.length + tagBytes);
      const srtp = copying.sender.protectRtp(packet);
      expect(buffer.subarray(0, srtp.length).equals(srtp)).toBe(true);
      // The octets after the tag are left alone.
      expect(buffer.subarray(srtp.length).equals(Buffer.alloc(7, 0xee))).toBe(true);
      const received = Buffer.from(srtp);
      expect(receiver.unprotectRtpInPlace(received)).toBe(packet.length);
      expect(received.subarray(0, packet.length).equals(packet)).toBe(true);
      expect(receiver.unprotectRtpInPlace(Buffer.from(srtp))).toBe('replayed');
    }
    expect(receiver.drops.get('replayed')).toBe(30);
  });

  it('refuses to protect in place without room for the tag', () => {
    const { sender } = pair(profile);
    const packet = rtpBytes({});
    expect(() => sender.protectRtpInPlace(packet, packet.length)).toThrow(SrtpError);
  });

  it('throws an SrtpError when asked to protect something that is not RTP or RTCP', () => {
    const { sender } = pair(profile);
    expect(() => sender.protectRtp(Buffer.alloc(8))).toThrow(SrtpError);
    expect(() => sender.protectRtcp(Buffer.alloc(4))).toThrow(SrtpError);
  });
});

describe('SRTCP tag length with AES_CM_128_HMAC_SHA1_32', () => {
  it('sends 80-bit SRTCP tags, and accepts the 32-bit tags libre sends, then prefers them', () => {
    const masterKey = keyFor('AES_CM_128_HMAC_SHA1_32');
    const libreLike = new SrtpSession({ profile: 'AES_CM_128_HMAC_SHA1_32', masterKey, rtcpAuthTagBytes: 4 });
    const receiver = new SrtpSession({ profile: 'AES_CM_128_HMAC_SHA1_32', masterKey });
    const ours = new SrtpSession({ profile: 'AES_CM_128_HMAC_SHA1_32', masterKey });
    expect(ours.protectRtcp(rtcpPacket).length).toBe(rtcpPacket.length + 4 + 10);
    const short = libreLike.protectRtcp(rtcpPacket);
    expect(short.length).toBe(rtcpPacket.length + 4 + 4);
    expect(plain(receiver.unprotectRtcp(short)).equals(rtcpPacket)).toBe(true);
    expect(receiver.rtcpReceiveTagBytes).toBe(4);
    expect(plain(receiver.unprotectRtcp(libreLike.protectRtcp(rtcpPacket))).equals(rtcpPacket)).toBe(true);
  });

  it('refuses a 32-bit SRTCP tag for the _80 suite', () => {
    const masterKey = keyFor('AES_CM_128_HMAC_SHA1_80');
    const session = new SrtpSession({ profile: 'AES_CM_128_HMAC_SHA1_80', masterKey });
    expect(() => (session.rtcpSendTagBytes = 4)).toThrow(SrtpError);
  });
});
