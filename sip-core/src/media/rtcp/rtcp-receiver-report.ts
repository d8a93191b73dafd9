import { RTCP_PACKET_TYPE, type RtcpDropReason, type RtcpHeader, writeRtcpHeader } from './rtcp-header.js';
import {
  type RtcpReportBlock,
  readReportBlocks,
  reportBlocksLength,
  writeReportBlocks,
} from './rtcp-report-block.js';

// Receiver report (RFC 3550 §6.4.2): the reception report blocks of a participant that has not sent RTP since the
// last report.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +---+-+---------+---------------+-------------------------------+
//  | V |P|   RC    |    PT=201     |            length             |  octets 0-3
//  +---+-+---------+---------------+-------------------------------+
//  |                     SSRC of packet sender                     |  octets 4-7
//  +===============================================================+
//  |                 report blocks (RC × 24 octets)                |
//  |              profile-specific extension (optional)            |
//  +---------------------------------------------------------------+

const OFFSET_SSRC = 4;
const OFFSET_REPORT_BLOCKS = 8;

export interface RtcpReceiverReport {
  readonly kind: 'receiver-report';
  readonly ssrc: number;
  readonly reportBlocks: readonly RtcpReportBlock[];
  readonly profileExtension?: Uint8Array | undefined;
}

export function parseReceiverReport(
  data: Uint8Array,
  offset: number,
  header: RtcpHeader,
  contentBytes: number,
): RtcpReceiverReport | RtcpDropReason {
  if (contentBytes < OFFSET_REPORT_BLOCKS) return 'malformed';
  const reports = readReportBlocks(data, offset + OFFSET_REPORT_BLOCKS, header.count, offset + contentBytes);
  if (reports === 'malformed') return reports;
  return {
    kind: 'receiver-report',
    ssrc: new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(offset + OFFSET_SSRC),
    reportBlocks: reports.blocks,
    profileExtension: reports.extension,
  };
}

export function receiverReportLength(report: RtcpReceiverReport): number {
  return OFFSET_REPORT_BLOCKS + reportBlocksLength(report.reportBlocks, report.profileExtension);
}

export function writeReceiverReport(out: Buffer, offset: number, report: RtcpReceiverReport): number {
  const length = receiverReportLength(report);
  writeRtcpHeader(out, offset, report.reportBlocks.length, RTCP_PACKET_TYPE.RECEIVER_REPORT, length);
  out.writeUInt32BE(report.ssrc >>> 0, offset + OFFSET_SSRC);
  writeReportBlocks(out, offset + OFFSET_REPORT_BLOCKS, report.reportBlocks, report.profileExtension);
  return length;
}
