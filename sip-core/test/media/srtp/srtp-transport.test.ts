import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { LoopbackRtpTransport } from '../../../src/media/rtp/loopback-rtp-transport.js';
import { UdpRtpTransport } from '../../../src/media/rtp/udp-rtp-transport.js';
import { SrtpMasterKey } from '../../../src/media/srtp/srtp-master-key.js';
import { SRTP_PROFILES } from '../../../src/media/srtp/srtp-profile.js';
import { SrtpSession } from '../../../src/media/srtp/srtp-session.js';
import { SrtpTransport } from '../../../src/media/srtp/srtp-transport.js';
import { collect, nextEvent } from '../../support/transport-events.js';
import { rtpBytes } from '../../support/rtp-packets.js';

const PROFILE = 'AES_CM_128_HMAC_SHA1_80';
const RTCP_RR = Buffer.from('80c9000111223344', 'hex');
const owned: Array<{ dispose(): void }> = [];
afterEach(() => {
  for (const item of owned.splice(0)) item.dispose();
});

function keys(): [SrtpMasterKey, SrtpMasterKey] {
  return [SrtpMasterKey.generate(SRTP_PROFILES[PROFILE]), SrtpMasterKey.generate(SRTP_PROFILES[PROFILE])];
}

describe('SrtpTransport over UDP', () => {
  it('looks like a plain transport to the stream: RTP and RTCP arrive decrypted, and SRTP is on the wire', async () => {
    const clock = new ManualClock();
    const [aliceKey, bobKey] = keys();
    const aliceUdp = await UdpRtpTransport.open({ clock });
    const bobUdp = await UdpRtpTransport.open({ clock });
    aliceUdp.setRemote({ rtp: bobUdp.localRtp, rtcp: bobUdp.localRtcp });
    bobUdp.setRemote({ rtp: aliceUdp.localRtp, rtcp: aliceUdp.localRtcp });
    const wire = collect(bobUdp, 'rtp');
    const alice = new SrtpTransport(aliceUdp, { profile: PROFILE, sendKey: aliceKey, receiveKey: bobKey });
    const bob = new SrtpTransport(bobUdp, { profile: PROFILE, sendKey: bobKey, receiveKey: aliceKey });
    owned.push(alice, bob);
    expect(bob.remote).toEqual(bobUdp.remote);

    const rtp = nextEvent(bob, 'rtp');
    alice.sendRtp(rtpBytes());
    const [packet, from] = await rtp;
    expect(packet.equals(rtpBytes())).toBe(true);
    expect(from).toMatchObject(aliceUdp.localRtp);
    expect(wire[0].length).toBe(rtpBytes().length + 10);

    const rtcp = nextEvent(alice, 'rtcp');
    bob.sendRtcp(RTCP_RR);
    expect((await rtcp)[0].equals(RTCP_RR)).toBe(true);
  });

  it('counts and drops forged and replayed datagrams from a third party; they never reach the stream', async () => {
    const clock = new ManualClock();
    const [aliceKey, bobKey] = keys();
    const bobUdp = await UdpRtpTransport.open({ clock });
    const bob = new SrtpTransport(bobUdp, { profile: PROFILE, sendKey: bobKey, receiveKey: aliceKey });
    owned.push(bob);
    const delivered = collect(bob, 'rtp');
    const attacker = createSocket('udp4');
    const send = (data: Buffer): Promise<void> =>
      new Promise((resolve) => attacker.send(data, bobUdp.localRtp.port, '127.0.0.1', () => resolve()));

    // A packet protected with a key that is not Alice's, then plain RTP, then garbage, then a genuine packet twice.
    const forged = new SrtpSession({
      profile: PROFILE,
      masterKey: SrtpMasterKey.generate(SRTP_PROFILES[PROFILE]),
    }).protectRtp(rtpBytes());
    const genuine = new SrtpSession({ profile: PROFILE, masterKey: aliceKey }).protectRtp(
      rtpBytes({ sequenceNumber: 7 }),
    );
    const arrivals = collect(bobUdp, 'rtp');
    for (const datagram of [forged, rtpBytes(), Buffer.from('hello'), genuine, Buffer.from(genuine)])
      await send(datagram);
    while (arrivals.length < 5) await nextEvent(bobUdp, 'rtp');
    attacker.close();

    expect(delivered).toHaveLength(1);
    expect(delivered[0].readUInt16BE(2)).toBe(7);
    expect(bob.rtpDrops.snapshot()).toEqual({ 'auth-failed': 2, truncated: 1, replayed: 1 });
    expect(bob.rtcpDrops.total).toBe(0);
  });
});

describe('SrtpTransport over the loopback transport', () => {
  it('aligns the SRTCP tag it sends with the one the peer sends (libre cuts it to 32 bits with _32)', async () => {
    const clock = new ManualClock();
    const profile = 'AES_CM_128_HMAC_SHA1_32';
    const [aKey, bKey] = [
      SrtpMasterKey.generate(SRTP_PROFILES[profile]),
      SrtpMasterKey.generate(SRTP_PROFILES[profile]),
    ];
    const [x, y] = LoopbackRtpTransport.createPair(clock);
    const ours = new SrtpTransport(x, { profile, sendKey: aKey, receiveKey: bKey });
    owned.push(ours, y);
    const wire = collect(y, 'rtcp');
    ours.sendRtcp(RTCP_RR);
    await Promise.resolve();
    expect(wire[0].length).toBe(RTCP_RR.length + 4 + 10);

    // The peer sends SRTCP with a 4-octet tag.
    const libre = new SrtpSession({ profile, masterKey: bKey, rtcpAuthTagBytes: 4 });
    const received = nextEvent(ours, 'rtcp');
    y.sendRtcp(libre.protectRtcp(RTCP_RR));
    expect((await received)[0].equals(RTCP_RR)).toBe(true);
    expect(ours.srtcpTagBytes).toEqual({ received: 4, sent: 4 });
    ours.sendRtcp(RTCP_RR);
    await Promise.resolve();
    expect(wire[1].length).toBe(RTCP_RR.length + 4 + 4);
  });

  it('hands the stream each authentic packet where it was decrypted, with its length; forgeries reach nobody', async () => {
    const clock = new ManualClock();
    const [aKey, bKey] = keys();
    const [x, y] = LoopbackRtpTransport.createPair(clock);
    const ours = new SrtpTransport(x, { profile: PROFILE, sendKey: aKey, receiveKey: bKey });
    owned.push(ours, y);
    const inPlace: Array<{ datagram: Buffer; length: number }> = [];
    const subscription = ours.onUnprotectedRtp((datagram, length) =>
      inPlace.push({ datagram: Buffer.from(datagram), length }),
    );
    const viewed = collect(ours, 'rtp');
    const peer = new SrtpSession({ profile: PROFILE, masterKey: bKey });
    const padded = rtpBytes({ sequenceNumber: 9, paddingBytes: 3 });
    y.sendRtp(peer.protectRtp(padded));
    y.sendRtp(new SrtpSession({ profile: PROFILE, masterKey: aKey }).protectRtp(rtpBytes()));
    await Promise.resolve();

    expect(inPlace).toHaveLength(1);
    const [{ datagram, length }] = inPlace;
    expect(length).toBe(padded.length);
    expect(datagram.length).toBe(padded.length + 10);
    expect(datagram.subarray(0, length).equals(padded)).toBe(true);
    // The 'rtp' event still carries the packet as a view, to whoever listens to it.
    expect(viewed.map((packet) => packet.equals(padded))).toEqual([true]);
    expect(ours.rtpDrops.snapshot()).toEqual({ 'auth-failed': 1 });

    subscription.dispose();
    y.sendRtp(peer.protectRtp(rtpBytes({ sequenceNumber: 10 })));
    await Promise.resolve();
    expect(inPlace).toHaveLength(1);
    expect(viewed).toHaveLength(2);
  });

  it('reports a packet it cannot protect as an error event instead of throwing', () => {
    const clock = new ManualClock();
    const [aKey, bKey] = keys();
    const [x] = LoopbackRtpTransport.createPair(clock);
    const transport = new SrtpTransport(x, { profile: PROFILE, sendKey: aKey, receiveKey: bKey });
    owned.push(transport);
    const errors = collect(transport, 'error');
    expect(() => transport.sendRtp(Buffer.alloc(3))).not.toThrow();
    expect(errors[0].message).toMatch(/cannot protect/);
  });

  it('rekeys: packets under the new keys pass, packets under the old keys are dropped', async () => {
    const clock = new ManualClock();
    const [aKey, bKey] = keys();
    const [x, y] = LoopbackRtpTransport.createPair(clock);
    const alice = new SrtpTransport(x, { profile: PROFILE, sendKey: aKey, receiveKey: bKey });
    const bob = new SrtpTransport(y, { profile: PROFILE, sendKey: bKey, receiveKey: aKey });
    owned.push(alice, bob);
    const delivered = collect(bob, 'rtp');
    const [aKey2, bKey2] = keys();
    bob.rekey({ profile: PROFILE, sendKey: bKey2, receiveKey: aKey2 });
    alice.sendRtp(rtpBytes({ sequenceNumber: 1 }));
    alice.rekey({ profile: PROFILE, sendKey: aKey2, receiveKey: bKey2 });
    alice.sendRtp(rtpBytes({ sequenceNumber: 2 }));
    await Promise.resolve();
    await Promise.resolve();
    expect(delivered.map((p) => p.readUInt16BE(2))).toEqual([2]);
    expect(bob.rtpDrops.get('auth-failed')).toBe(1);
  });

  it('disposes the transport it wraps unless told not to', () => {
    const clock = new ManualClock();
    const [aKey, bKey] = keys();
    const [x, y] = LoopbackRtpTransport.createPair(clock);
    let disposed = 0;
    const counting = Object.assign(x, { dispose: () => disposed++ });
    new SrtpTransport(counting, { profile: PROFILE, sendKey: aKey, receiveKey: bKey }).dispose();
    new SrtpTransport(counting, {
      profile: PROFILE,
      sendKey: aKey,
      receiveKey: bKey,
      disposeInner: false,
    }).dispose();
    expect(disposed).toBe(1);
    y.dispose();
  });
});
