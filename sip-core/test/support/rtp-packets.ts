import { type RtpPacket, serializeRtpPacket } from '../../src/media/rtp/rtp-packet.js';

/** A G.711-shaped RTP packet (PT 0, 160 payload octets) with any field overridden. */
export function makeRtpPacket(fields: Partial<RtpPacket> = {}): RtpPacket {
  return {
    marker: false,
    payloadType: 0,
    sequenceNumber: 1,
    timestamp: 160,
    ssrc: 0x1234_5678,
    csrcs: [],
    payload: Buffer.alloc(160, 0xd5),
    paddingBytes: 0,
    ...fields,
  };
}

/** The serialized form of `makeRtpPacket(fields)`. */
export function rtpBytes(fields: Partial<RtpPacket> = {}): Buffer {
  return serializeRtpPacket(makeRtpPacket(fields));
}
