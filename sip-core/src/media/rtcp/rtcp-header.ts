// The header every RTCP packet starts with (RFC 3550 §6.4.1). Several packets are stacked in one datagram (a
// compound packet, §6.1); the length field says where the next one starts.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +---+-+---------+---------------+-------------------------------+
//  | V |P|   RC    |      PT       |  length (32-bit words − 1)    |  octets 0-3
//  +---+-+---------+---------------+-------------------------------+
//
// RC is the report count (SR, RR), source count (SDES, BYE) or subtype (APP).

/** RTCP packet types (RFC 3550 §12.1). */
export const RTCP_PACKET_TYPE = {
  SENDER_REPORT: 200,
  RECEIVER_REPORT: 201,
  SOURCE_DESCRIPTION: 202,
  GOODBYE: 203,
  APPLICATION: 204,
} as const;

export const RTCP_HEADER_BYTES = 4;
const RTCP_VERSION = 2;
const VERSION_SHIFT = 6;
const PADDING_BIT = 0x20;
const COUNT_MASK = 0x1f;
const OFFSET_PACKET_TYPE = 1;
const OFFSET_LENGTH = 2;

/** Why an RTCP datagram was dropped. */
export type RtcpDropReason = 'truncated' | 'wrong-version' | 'bad-length' | 'bad-padding' | 'malformed';

export interface RtcpHeader {
  readonly padding: boolean;
  readonly count: number;
  readonly packetType: number;
  /** Octets of the whole packet, header and padding included. */
  readonly totalBytes: number;
}

/** Reads the header at `offset`; never throws. */
export function readRtcpHeader(data: Uint8Array, offset: number): RtcpHeader | RtcpDropReason {
  if (data.length - offset < RTCP_HEADER_BYTES) return 'truncated';
  const first = data[offset];
  if (first >> VERSION_SHIFT !== RTCP_VERSION) return 'wrong-version';
  const lengthWords = (data[offset + OFFSET_LENGTH] << 8) | data[offset + OFFSET_LENGTH + 1];
  const totalBytes = (lengthWords + 1) * 4;
  if (offset + totalBytes > data.length) return 'bad-length';
  return {
    padding: (first & PADDING_BIT) !== 0,
    count: first & COUNT_MASK,
    packetType: data[offset + OFFSET_PACKET_TYPE],
    totalBytes,
  };
}

/** Writes a header for a packet of `totalBytes` octets (a multiple of 4) at `offset`. */
export function writeRtcpHeader(
  out: Buffer,
  offset: number,
  count: number,
  packetType: number,
  totalBytes: number,
): void {
  if (count > COUNT_MASK) throw new RangeError(`an RTCP packet counts at most 31 items, got ${count}`);
  if (totalBytes % 4 !== 0) throw new RangeError('an RTCP packet is a whole number of 32-bit words');
  out[offset] = (RTCP_VERSION << VERSION_SHIFT) | count;
  out[offset + OFFSET_PACKET_TYPE] = packetType;
  out.writeUInt16BE(totalBytes / 4 - 1, offset + OFFSET_LENGTH);
}
