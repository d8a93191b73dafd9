import { type RtcpGoodbye, goodbyeLength, parseGoodbye, writeGoodbye } from './rtcp-goodbye.js';
import {
  RTCP_HEADER_BYTES,
  RTCP_PACKET_TYPE,
  type RtcpDropReason,
  type RtcpHeader,
  readRtcpHeader,
  writeRtcpHeader,
} from './rtcp-header.js';
import {
  type RtcpReceiverReport,
  parseReceiverReport,
  receiverReportLength,
  writeReceiverReport,
} from './rtcp-receiver-report.js';
import {
  type RtcpSenderReport,
  parseSenderReport,
  senderReportLength,
  writeSenderReport,
} from './rtcp-sender-report.js';
import {
  type RtcpSourceDescription,
  parseSourceDescription,
  sourceDescriptionLength,
  writeSourceDescription,
} from './rtcp-source-description.js';

// Compound RTCP packets (RFC 3550 §6.1): several RTCP packets stacked in one datagram, each announcing its own
// length. The validity checks follow §A.2, relaxed where RFC 5506 (reduced-size RTCP) allows a single packet of any
// type: the version of every packet, lengths that add up to the datagram exactly, and sane padding.

/** A packet type we do not interpret (APP, feedback, XR…), kept whole so that it can be passed on. */
export interface RtcpOtherPacket {
  readonly kind: 'other';
  readonly packetType: number;
  readonly count: number;
  /** The octets after the 4-octet header, padding removed. */
  readonly body: Uint8Array;
}

export type RtcpPacket =
  RtcpSenderReport | RtcpReceiverReport | RtcpSourceDescription | RtcpGoodbye | RtcpOtherPacket;

export type RtcpParseResult =
  | { readonly ok: true; readonly packets: readonly RtcpPacket[] }
  | { readonly ok: false; readonly reason: RtcpDropReason };

/** Parses a compound RTCP packet; never throws. Variable-length parts are views into `data`. */
export function parseRtcpCompound(data: Uint8Array): RtcpParseResult {
  const packets: RtcpPacket[] = [];
  let offset = 0;
  if (data.length === 0) return { ok: false, reason: 'truncated' };
  while (offset < data.length) {
    const header = readRtcpHeader(data, offset);
    if (typeof header === 'string') return { ok: false, reason: header };
    let contentBytes = header.totalBytes;
    if (header.padding) {
      const padding = data[offset + header.totalBytes - 1];
      if (padding === 0 || padding > header.totalBytes - RTCP_HEADER_BYTES) {
        return { ok: false, reason: 'bad-padding' };
      }
      contentBytes -= padding;
    }
    const packet = parsePacket(data, offset, header, contentBytes);
    if (typeof packet === 'string') return { ok: false, reason: packet };
    packets.push(packet);
    offset += header.totalBytes;
  }
  return { ok: true, packets };
}

function parsePacket(
  data: Uint8Array,
  offset: number,
  header: RtcpHeader,
  contentBytes: number,
): RtcpPacket | RtcpDropReason {
  switch (header.packetType) {
    case RTCP_PACKET_TYPE.SENDER_REPORT:
      return parseSenderReport(data, offset, header, contentBytes);
    case RTCP_PACKET_TYPE.RECEIVER_REPORT:
      return parseReceiverReport(data, offset, header, contentBytes);
    case RTCP_PACKET_TYPE.SOURCE_DESCRIPTION:
      return parseSourceDescription(data, offset, header, contentBytes);
    case RTCP_PACKET_TYPE.GOODBYE:
      return parseGoodbye(data, offset, header, contentBytes);
    default:
      return {
        kind: 'other',
        packetType: header.packetType,
        count: header.count,
        body: data.subarray(offset + RTCP_HEADER_BYTES, offset + contentBytes),
      };
  }
}

function packetLength(packet: RtcpPacket): number {
  switch (packet.kind) {
    case 'sender-report':
      return senderReportLength(packet);
    case 'receiver-report':
      return receiverReportLength(packet);
    case 'source-description':
      return sourceDescriptionLength(packet);
    case 'goodbye':
      return goodbyeLength(packet);
    case 'other':
      return RTCP_HEADER_BYTES + roundUpToWord(packet.body.length);
  }
}

function writePacket(out: Buffer, offset: number, packet: RtcpPacket): void {
  switch (packet.kind) {
    case 'sender-report':
      writeSenderReport(out, offset, packet);
      return;
    case 'receiver-report':
      writeReceiverReport(out, offset, packet);
      return;
    case 'source-description':
      writeSourceDescription(out, offset, packet);
      return;
    case 'goodbye':
      writeGoodbye(out, offset, packet);
      return;
    case 'other':
      // A body whose padding was stripped on parsing is zero-filled back to a whole word (`out` starts zeroed).
      writeRtcpHeader(out, offset, packet.count, packet.packetType, packetLength(packet));
      out.set(packet.body, offset + RTCP_HEADER_BYTES);
      return;
  }
}

function roundUpToWord(bytes: number): number {
  return Math.ceil(bytes / 4) * 4;
}

/**
 * Writes packets back to back into one compound packet. RFC 3550 §6.1 wants an SR or RR first and an SDES with a
 * CNAME in every compound packet; building that is the reporter's job, this function writes what it is given.
 */
export function serializeRtcpCompound(packets: readonly RtcpPacket[]): Buffer {
  const lengths = packets.map(packetLength);
  const out = Buffer.alloc(lengths.reduce((a, b) => a + b, 0));
  let offset = 0;
  packets.forEach((packet, i) => {
    writePacket(out, offset, packet);
    offset += lengths[i];
  });
  return out;
}
