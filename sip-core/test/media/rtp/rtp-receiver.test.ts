import { describe, expect, it } from 'vitest';
import {
  RtpReceiver,
  type RtpReceiverOptions,
  type RtpReceiveResult,
} from '../../../src/media/rtp/rtp-receiver.js';
import { emptyRtpHeaderFields } from '../../../src/media/rtp/rtp-packet.js';
import { hex } from '../../support/hex.js';
import { rtpBytes } from '../../support/rtp-packets.js';

const PEER = { address: '192.0.2.9', port: 4000 };
const NAT = { address: '198.51.100.3', port: 61000 };

function receiver(options: Partial<RtpReceiverOptions> = {}): RtpReceiver {
  return new RtpReceiver({ clockRateHz: 8000, minSequential: 1, ...options });
}

function accepted(result: RtpReceiveResult): Extract<RtpReceiveResult, { accepted: true }> {
  if (!result.accepted) throw new Error(`dropped: ${result.reason}`);
  return result;
}

describe('RtpReceiver', () => {
  it('accepts packets, reports the first as a new source, and keeps statistics', () => {
    const r = receiver();
    const first = accepted(r.receive(rtpBytes({ sequenceNumber: 10 }), PEER, 0));
    expect(first).toMatchObject({ newSource: true, valid: true, remoteChanged: undefined });
    expect(first.packet.sequenceNumber).toBe(10);
    expect(accepted(r.receive(rtpBytes({ sequenceNumber: 12 }), PEER, 40)).newSource).toBe(false);
    expect(r.source?.snapshot()).toMatchObject({
      ssrc: 0x1234_5678,
      expected: 3,
      lost: 1,
      packetsReceived: 2,
    });
  });

  // [what, datagram, options, reason]
  const bad: Array<[string, Buffer, Partial<RtpReceiverOptions>, string]> = [
    ['a truncated datagram', hex('8000'), {}, 'truncated'],
    ['the wrong RTP version', hex('40000001000000000000000100'), {}, 'wrong-version'],
    ['an oversized datagram', rtpBytes({ payload: Buffer.alloc(400) }), { maxPacketBytes: 300 }, 'oversized'],
    ['bad padding', hex('a0000001000000000000000100'), {}, 'bad-padding'],
    ['an SSRC other than the signalled one', rtpBytes({ ssrc: 99 }), { expectedSsrc: 5 }, 'wrong-ssrc'],
    [
      'a payload type that was not negotiated',
      rtpBytes({ payloadType: 8 }),
      { payloadTypes: [0, 101] },
      'unknown-payload-type',
    ],
  ];
  it.each(bad)('drops %s, counts it, and never throws', (_what, datagram, options, reason) => {
    const r = receiver(options);
    expect(r.receive(datagram, PEER, 0)).toEqual({ accepted: false, reason });
    expect(r.drops.get(reason as never)).toBe(1);
    expect(r.drops.total).toBe(1);
    expect(r.source).toBeUndefined();
  });

  it.each(bad)(
    'receiveInto drops %s with the same reason, without a packet object',
    (_w, datagram, options, reason) => {
      const r = receiver(options);
      expect(r.receiveInto(datagram, PEER, 0, emptyRtpHeaderFields())).toBe(reason);
      expect(r.drops.get(reason as never)).toBe(1);
      expect(r.source).toBeUndefined();
    },
  );

  it('receiveInto reads the header fields and the payload bounds that receive puts in its packet', () => {
    const viaPacket = receiver();
    const viaFields = receiver();
    const fields = emptyRtpHeaderFields();
    for (const datagram of [
      rtpBytes({ sequenceNumber: 7, marker: true, payload: Buffer.alloc(160, 3) }),
      rtpBytes({
        sequenceNumber: 8,
        csrcs: [1, 2],
        extension: { profile: 0xbede, data: Buffer.alloc(4, 9) },
      }),
      rtpBytes({ sequenceNumber: 9, payload: Buffer.alloc(20, 5), paddingBytes: 4 }),
    ]) {
      const { packet } = accepted(viaPacket.receive(datagram, PEER, 0));
      expect(viaFields.receiveInto(datagram, PEER, 0, fields)).toBeUndefined();
      expect(fields).toMatchObject({
        marker: packet.marker,
        payloadType: packet.payloadType,
        sequenceNumber: packet.sequenceNumber,
        timestamp: packet.timestamp,
        ssrc: packet.ssrc,
      });
      expect(datagram.subarray(fields.payloadStart, fields.payloadEnd).equals(packet.payload)).toBe(true);
    }
    expect(viaFields.source?.snapshot()).toEqual(viaPacket.source?.snapshot());
  });

  it('drops a packet carrying our own SSRC as a collision or loop (RFC 3550 §8.2)', () => {
    const r = receiver();
    r.setLocalSsrc(0x1234_5678);
    expect(r.receive(rtpBytes(), PEER, 0)).toEqual({ accepted: false, reason: 'ssrc-collision' });
    r.setLocalSsrc(1);
    expect(r.receive(rtpBytes(), PEER, 0).accepted).toBe(true);
  });

  it("follows a new SSRC by default (a B2BUA switching streams) and keeps the old source's statistics", () => {
    const r = receiver();
    for (let seq = 0; seq < 5; seq++) r.receive(rtpBytes({ sequenceNumber: seq }), PEER, seq * 20);
    const switched = accepted(r.receive(rtpBytes({ ssrc: 0xbeef, sequenceNumber: 9000 }), PEER, 100));
    expect(switched.newSource).toBe(true);
    expect(r.source?.ssrc).toBe(0xbeef);
    expect(r.previousSources().map((s) => [s.ssrc, s.packetsReceived])).toEqual([[0x1234_5678, 5]]);
  });

  it("locks to the first SSRC under 'lock'", () => {
    const r = receiver({ ssrcChange: 'lock' });
    r.receive(rtpBytes(), PEER, 0);
    expect(r.receive(rtpBytes({ ssrc: 0xbeef }), PEER, 20)).toEqual({
      accepted: false,
      reason: 'wrong-ssrc',
    });
  });

  it('keeps telephone-event packets out of the jitter', () => {
    const r = receiver({ eventPayloadTypes: [101] });
    r.receive(rtpBytes({ sequenceNumber: 1, timestamp: 0 }), PEER, 0);
    for (let i = 2; i < 6; i++)
      r.receive(rtpBytes({ sequenceNumber: i, timestamp: 160, payloadType: 101 }), PEER, i * 20);
    r.receive(rtpBytes({ sequenceNumber: 6, timestamp: 800 }), PEER, 100);
    expect(r.source?.snapshot().jitter).toBe(0);
  });

  it('latches the remote address from the first accepted packet, never from a dropped one', () => {
    const r = receiver({ latch: { mode: 'once', signalled: PEER }, payloadTypes: [0] });
    expect(r.receive(rtpBytes({ payloadType: 8 }), NAT, 0).accepted).toBe(false);
    expect(r.latch?.remote).toEqual(PEER);
    expect(accepted(r.receive(rtpBytes(), NAT, 20)).remoteChanged).toEqual(NAT);
    expect(accepted(r.receive(rtpBytes({ sequenceNumber: 2 }), PEER, 40)).remoteChanged).toBeUndefined();
    expect(r.latch?.remote).toEqual(NAT);
  });
});
