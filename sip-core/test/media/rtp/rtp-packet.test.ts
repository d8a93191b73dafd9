import { describe, expect, it } from 'vitest';
import {
  type RtpPacket,
  emptyRtpHeaderFields,
  parseRtpPacket,
  readRtpHeader,
  rtpHeaderLength,
  rtpPacketLength,
  serializeRtpPacket,
} from '../../../src/media/rtp/rtp-packet.js';
import { hex } from '../../support/hex.js';
import { makeRtpPacket } from '../../support/rtp-packets.js';

// Known bytes: every field at a recognisable value.
const SIMPLE = hex('80 80 1234 decafbad cafebabe d5d5d5d5');
const SIMPLE_PACKET: RtpPacket = {
  marker: true,
  payloadType: 0,
  sequenceNumber: 0x1234,
  timestamp: 0xdecafbad,
  ssrc: 0xcafebabe,
  csrcs: [],
  extension: undefined,
  payload: hex('d5d5d5d5'),
  paddingBytes: 0,
};

// V=2, P=1, X=1, CC=2; M=0, PT=101; two CSRCs; a one-word extension (profile 0xbede); payload; 3 octets of padding.
const FULL = hex('b2 65 0001 00000140 00000001 00000002 00000003 bede0001 10ff0000 0a0b0c 0000 03');
const FULL_PACKET: RtpPacket = {
  marker: false,
  payloadType: 101,
  sequenceNumber: 1,
  timestamp: 320,
  ssrc: 1,
  csrcs: [2, 3],
  extension: { profile: 0xbede, data: hex('10ff0000') },
  payload: hex('0a0b0c'),
  paddingBytes: 3,
};

function parsed(data: Uint8Array): RtpPacket {
  const result = parseRtpPacket(data);
  if (!result.ok) throw new Error(result.reason);
  return result.packet;
}

function normalised(packet: RtpPacket): unknown {
  return {
    ...packet,
    csrcs: [...packet.csrcs],
    payload: Buffer.from(packet.payload),
    extension: packet.extension && { ...packet.extension, data: Buffer.from(packet.extension.data) },
  };
}

describe('RTP packet (RFC 3550 §5.1)', () => {
  it.each([
    ['the fixed header', SIMPLE, SIMPLE_PACKET],
    ['CSRCs, an extension and padding', FULL, FULL_PACKET],
  ])('parses and serializes %s (known bytes)', (_what, bytes, packet) => {
    expect(normalised(parsed(bytes))).toEqual(normalised(packet));
    expect(serializeRtpPacket(packet).equals(bytes)).toBe(true);
    expect(rtpPacketLength(packet)).toBe(bytes.length);
    expect(serializeRtpPacket(parsed(bytes)).equals(bytes)).toBe(true);
  });

  it('gives views into the datagram, not copies', () => {
    const packet = parsed(SIMPLE);
    expect(packet.payload.buffer).toBe(SIMPLE.buffer);
  });

  it('serializes into a caller buffer and returns the written part', () => {
    const target = Buffer.alloc(100, 0xee);
    const written = serializeRtpPacket(SIMPLE_PACKET, target);
    expect(written.length).toBe(SIMPLE.length);
    expect(written.equals(SIMPLE)).toBe(true);
    expect(target.subarray(0, SIMPLE.length).equals(SIMPLE)).toBe(true);
    expect(target[SIMPLE.length]).toBe(0xee);
  });

  it('finds the header length without building a packet', () => {
    expect(rtpHeaderLength(SIMPLE)).toBe(12);
    expect(rtpHeaderLength(FULL)).toBe(12 + 8 + 8);
  });

  it('reads a packet that ends before its datagram does (decrypted in place, the SRTP tag after it)', () => {
    const packet = serializeRtpPacket(makeRtpPacket({ paddingBytes: 4, payload: Buffer.alloc(160, 0x7f) }));
    // Ten octets of tag whose last one would be a nonsense padding count if it were read as the packet's end.
    const datagram = Buffer.concat([packet, Buffer.alloc(10, 0xee)]);
    const fields = emptyRtpHeaderFields();
    expect(readRtpHeader(datagram, fields, undefined, packet.length)).toBeUndefined();
    expect(fields).toMatchObject({ payloadStart: 12, payloadEnd: 12 + 160, sequenceNumber: 1 });
    expect(readRtpHeader(datagram, fields)).toBe('bad-padding');
    expect(readRtpHeader(datagram, fields, undefined, 11)).toBe('truncated');
  });

  // [what, datagram, reason]
  const bad: Array<[string, Buffer, string]> = [
    ['shorter than the fixed header', hex('80 00 0001 00000000 000000'), 'truncated'],
    ['empty', Buffer.alloc(0), 'truncated'],
    ['version 1', hex('40 00 0001 00000000 00000001 00'), 'wrong-version'],
    ['version 0 (a STUN packet)', hex('00 01 0000 2112a442 00000000 00000000'), 'wrong-version'],
    ['a CSRC list longer than the packet', hex('83 00 0001 00000000 00000001 00000002'), 'truncated'],
    ['an extension header cut short', hex('90 00 0001 00000000 00000001 bede'), 'truncated'],
    [
      'an extension longer than the packet',
      hex('90 00 0001 00000000 00000001 bede0002 00000000'),
      'truncated',
    ],
    ['a padding count of 0', hex('a0 00 0001 00000000 00000001 aabb00'), 'bad-padding'],
    ['a padding count reaching into the header', hex('a0 00 0001 00000000 00000001 aabb10'), 'bad-padding'],
    ['larger than the limit', Buffer.concat([SIMPLE, Buffer.alloc(1500)]), 'oversized'],
  ];
  it.each(bad)('drops a datagram that is %s as %s, without throwing', (_what, datagram, reason) => {
    expect(parseRtpPacket(datagram)).toEqual({ ok: false, reason });
  });

  it('lets the size limit be set', () => {
    expect(parseRtpPacket(SIMPLE, { maxPacketBytes: SIMPLE.length - 1 })).toEqual({
      ok: false,
      reason: 'oversized',
    });
    expect(parseRtpPacket(Buffer.concat([SIMPLE, Buffer.alloc(1500)]), { maxPacketBytes: 2000 }).ok).toBe(
      true,
    );
  });

  it.each([
    ['payload type 128', { payloadType: 128 }],
    ['16 CSRCs', { csrcs: Array.from({ length: 16 }, (_, i) => i) }],
    ['extension data that is not whole words', { extension: { profile: 1, data: Buffer.alloc(3) } }],
    ['256 octets of padding', { paddingBytes: 256 }],
  ])('refuses to serialize %s', (_what, fields) => {
    expect(() => serializeRtpPacket(makeRtpPacket(fields))).toThrow(RangeError);
  });

  it('refuses a target buffer that is too small', () => {
    expect(() => serializeRtpPacket(SIMPLE_PACKET, Buffer.alloc(4))).toThrow(RangeError);
  });
});
