// RTP and RTCP on one port (RFC 5761 §4): RTCP packet types 192-223 occupy the RTP marker+payload-type octet values
// that RTP must not use with rtcp-mux, so the second octet alone tells them apart.

const RTCP_TYPE_FIRST = 192;
const RTCP_TYPE_LAST = 223;
const MIN_PACKET_BYTES = 2;

/** Whether a datagram received on a multiplexed port is RTCP (true) or RTP (false). */
export function isRtcpPacket(data: Uint8Array): boolean {
  if (data.length < MIN_PACKET_BYTES) return false;
  const second = data[1];
  return second >= RTCP_TYPE_FIRST && second <= RTCP_TYPE_LAST;
}
