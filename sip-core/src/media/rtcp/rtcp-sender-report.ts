import { RTCP_PACKET_TYPE, type RtcpDropReason, type RtcpHeader, writeRtcpHeader } from './rtcp-header.js';
import {
  type RtcpReportBlock,
  readReportBlocks,
  reportBlocksLength,
  writeReportBlocks,
} from './rtcp-report-block.js';

// Sender report (RFC 3550 §6.4.1): what a sender has sent, timestamped in both NTP and RTP time so that receivers
// can synchronise and measure the round trip, followed by its own reception report blocks.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +---+-+---------+---------------+-------------------------------+
//  | V |P|   RC    |    PT=200     |            length             |  octets 0-3
//  +---+-+---------+---------------+-------------------------------+
//  |                         SSRC of sender                        |  octets 4-7
//  +===============================================================+
//  |              NTP timestamp, most significant word             |  octets 8-11
//  |              NTP timestamp, least significant word            |  octets 12-15
//  |                         RTP timestamp                         |  octets 16-19
//  |                     sender's packet count                     |  octets 20-23
//  |                      sender's octet count                     |  octets 24-27
//  +===============================================================+
//  |                 report blocks (RC × 24 octets)                |
//  |              profile-specific extension (optional)            |
//  +---------------------------------------------------------------+

const OFFSET_SSRC = 4;
const OFFSET_NTP_SECONDS = 8;
const OFFSET_NTP_FRACTION = 12;
const OFFSET_RTP_TIMESTAMP = 16;
const OFFSET_PACKET_COUNT = 20;
const OFFSET_OCTET_COUNT = 24;
const OFFSET_REPORT_BLOCKS = 28;

export interface RtcpSenderInfo {
  readonly ntpSeconds: number;
  readonly ntpFraction: number;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  /** Payload octets sent (RFC 3550 §6.4.1: headers and padding are not counted). */
  readonly octetCount: number;
}

export interface RtcpSenderReport {
  readonly kind: 'sender-report';
  readonly ssrc: number;
  readonly sender: RtcpSenderInfo;
  readonly reportBlocks: readonly RtcpReportBlock[];
  /** Profile-specific extension octets after the report blocks, kept opaque. */
  readonly profileExtension?: Uint8Array | undefined;
}

export function parseSenderReport(
  data: Uint8Array,
  offset: number,
  header: RtcpHeader,
  contentBytes: number,
): RtcpSenderReport | RtcpDropReason {
  if (contentBytes < OFFSET_REPORT_BLOCKS) return 'malformed';
  const reports = readReportBlocks(data, offset + OFFSET_REPORT_BLOCKS, header.count, offset + contentBytes);
  if (reports === 'malformed') return reports;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return {
    kind: 'sender-report',
    ssrc: view.getUint32(offset + OFFSET_SSRC),
    sender: {
      ntpSeconds: view.getUint32(offset + OFFSET_NTP_SECONDS),
      ntpFraction: view.getUint32(offset + OFFSET_NTP_FRACTION),
      rtpTimestamp: view.getUint32(offset + OFFSET_RTP_TIMESTAMP),
      packetCount: view.getUint32(offset + OFFSET_PACKET_COUNT),
      octetCount: view.getUint32(offset + OFFSET_OCTET_COUNT),
    },
    reportBlocks: reports.blocks,
    profileExtension: reports.extension,
  };
}

export function senderReportLength(report: RtcpSenderReport): number {
  return OFFSET_REPORT_BLOCKS + reportBlocksLength(report.reportBlocks, report.profileExtension);
}

export function writeSenderReport(out: Buffer, offset: number, report: RtcpSenderReport): number {
  const length = senderReportLength(report);
  writeRtcpHeader(out, offset, report.reportBlocks.length, RTCP_PACKET_TYPE.SENDER_REPORT, length);
  out.writeUInt32BE(report.ssrc >>> 0, offset + OFFSET_SSRC);
  out.writeUInt32BE(report.sender.ntpSeconds >>> 0, offset + OFFSET_NTP_SECONDS);
  out.writeUInt32BE(report.sender.ntpFraction >>> 0, offset + OFFSET_NTP_FRACTION);
  out.writeUInt32BE(report.sender.rtpTimestamp >>> 0, offset + OFFSET_RTP_TIMESTAMP);
  out.writeUInt32BE(report.sender.packetCount >>> 0, offset + OFFSET_PACKET_COUNT);
  out.writeUInt32BE(report.sender.octetCount >>> 0, offset + OFFSET_OCTET_COUNT);
  writeReportBlocks(out, offset + OFFSET_REPORT_BLOCKS, report.reportBlocks, report.profileExtension);
  return length;
}
