// Front door of media/rtcp: compound RTCP packets (SR, RR, SDES, BYE, others kept whole), NTP time and round-trip time.
export {
  type RtcpOtherPacket,
  type RtcpPacket,
  type RtcpParseResult,
  parseRtcpCompound,
  serializeRtcpCompound,
} from './rtcp-compound.js';
export { RTCP_PACKET_TYPE, type RtcpDropReason } from './rtcp-header.js';
export { CUMULATIVE_LOST_MAX, CUMULATIVE_LOST_MIN, type RtcpReportBlock } from './rtcp-report-block.js';
export { type RtcpSenderInfo, type RtcpSenderReport } from './rtcp-sender-report.js';
export { type RtcpReceiverReport } from './rtcp-receiver-report.js';
export {
  type RtcpSdesChunk,
  type RtcpSdesItem,
  type RtcpSourceDescription,
  SDES_ITEM_TYPE,
  cnameOf,
} from './rtcp-source-description.js';
export { type RtcpGoodbye } from './rtcp-goodbye.js';
export {
  COMPACT_NTP_UNITS_PER_SECOND,
  NTP_UNIX_EPOCH_OFFSET_SECONDS,
  type NtpTimestamp,
  compactNtp,
  compactNtpFromUnixMs,
  compactNtpToMs,
  durationMsToCompactNtp,
  ntpFromUnixMs,
  unixMsFromNtp,
} from './ntp-timestamp.js';
export { roundTripTimeMs } from './round-trip-time.js';
