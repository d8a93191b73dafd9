// Front door of media/rtp: RTP packets, reception and sending statistics, the receive pipeline, symmetric RTP,
// inactivity, and the RtpTransport seam with its UDP and loopback implementations.
export { DropCounters } from './drop-counters.js';
export {
  DEFAULT_MAX_RTP_PACKET_BYTES,
  RTP_FIXED_HEADER_BYTES,
  RTP_VERSION,
  type RtpHeaderExtension,
  type RtpHeaderFields,
  type RtpPacket,
  type RtpParseDropReason,
  type RtpParseOptions,
  type RtpParseResult,
  emptyRtpHeaderFields,
  parseRtpPacket,
  readRtpHeader,
  rtpHeaderLength,
  rtpPacketLength,
  serializeRtpPacket,
  writeRtpPacket,
} from './rtp-packet.js';
export {
  MAX_DROPOUT,
  MAX_MISORDER,
  MIN_SEQUENTIAL,
  RtpReceptionStatistics,
  type RtpReceptionStatisticsOptions,
  type RtpReceptionSnapshot,
} from './rtp-reception-statistics.js';
export { RtpSendStatistics, type RtpSendSnapshot } from './rtp-send-statistics.js';
export {
  RtpReceiver,
  type RtpReceiveDropReason,
  type RtpReceiveResult,
  type RtpReceiverOptions,
  type SsrcChangePolicy,
} from './rtp-receiver.js';
export { type LatchMode, SymmetricRtpLatch, type SymmetricRtpLatchOptions } from './symmetric-rtp-latch.js';
export { RtpInactivityMonitor } from './rtp-inactivity-monitor.js';
export { isRtcpPacket } from './rtp-rtcp-demux.js';
export { type RtpRemote, type RtpTransport, type RtpTransportEvents } from './rtp-transport.js';
export { UdpRtpTransport, type UdpRtpTransportOptions, type UdpSocketKeeper } from './udp-rtp-transport.js';
export { type LoopbackTap, LoopbackRtpTransport } from './loopback-rtp-transport.js';
export { type TransportAddress, formatTransportAddress, sameTransportAddress } from './transport-address.js';
