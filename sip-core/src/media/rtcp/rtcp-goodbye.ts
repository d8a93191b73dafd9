import {
  RTCP_HEADER_BYTES,
  RTCP_PACKET_TYPE,
  type RtcpDropReason,
  type RtcpHeader,
  writeRtcpHeader,
} from './rtcp-header.js';

// Goodbye (RFC 3550 §6.6): the sources that leave, and optionally why.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +---+-+---------+---------------+-------------------------------+
//  | V |P|   SC    |    PT=203     |            length             |  octets 0-3
//  +---+-+---------+---------------+-------------------------------+
//  |                        SSRC/CSRC (SC × 32 bits)               |
//  +---------------+-----------------------------------------------+
//  |    length     |  reason for leaving (UTF-8), zero-padded …    |  optional
//  +---------------+-----------------------------------------------+

export interface RtcpGoodbye {
  readonly kind: 'goodbye';
  readonly ssrcs: readonly number[];
  readonly reason?: string | undefined;
}

const textDecoder = new TextDecoder('utf-8', { fatal: false });

export function parseGoodbye(
  data: Uint8Array,
  offset: number,
  header: RtcpHeader,
  contentBytes: number,
): RtcpGoodbye | RtcpDropReason {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const listEnd = RTCP_HEADER_BYTES + 4 * header.count;
  if (contentBytes < listEnd) return 'malformed';
  const ssrcs: number[] = [];
  for (let i = 0; i < header.count; i++) ssrcs.push(view.getUint32(offset + RTCP_HEADER_BYTES + 4 * i));
  let reason: string | undefined;
  if (contentBytes > listEnd) {
    const length = data[offset + listEnd];
    if (listEnd + 1 + length > contentBytes) return 'malformed';
    reason = textDecoder.decode(data.subarray(offset + listEnd + 1, offset + listEnd + 1 + length));
  }
  return { kind: 'goodbye', ssrcs, reason };
}

function reasonBytes(packet: RtcpGoodbye): Buffer | undefined {
  if (packet.reason === undefined) return undefined;
  const bytes = Buffer.from(packet.reason, 'utf8');
  if (bytes.length > 255) throw new RangeError(`a BYE reason holds at most 255 octets, got ${bytes.length}`);
  return bytes;
}

export function goodbyeLength(packet: RtcpGoodbye): number {
  const reason = reasonBytes(packet);
  const reasonLength = reason ? 1 + reason.length : 0;
  return RTCP_HEADER_BYTES + 4 * packet.ssrcs.length + reasonLength + ((4 - (reasonLength % 4)) % 4);
}

export function writeGoodbye(out: Buffer, offset: number, packet: RtcpGoodbye): number {
  const length = goodbyeLength(packet);
  writeRtcpHeader(out, offset, packet.ssrcs.length, RTCP_PACKET_TYPE.GOODBYE, length);
  let at = offset + RTCP_HEADER_BYTES;
  for (const ssrc of packet.ssrcs) {
    out.writeUInt32BE(ssrc >>> 0, at);
    at += 4;
  }
  const reason = reasonBytes(packet);
  if (reason) {
    out[at] = reason.length;
    out.set(reason, at + 1);
    at += 1 + reason.length;
  }
  out.fill(0, at, offset + length);
  return length;
}
