// A reception report block (RFC 3550 §6.4.1), carried in sender and receiver reports: what one receiver saw of
// one source since the previous report.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +---------------------------------------------------------------+
//  |                     SSRC of the source                        |  octets 0-3
//  +---------------+-----------------------------------------------+
//  | fraction lost |   cumulative number of packets lost (signed)  |  octets 4-7
//  +---------------+-----------------------------------------------+
//  |           extended highest sequence number received           |  octets 8-11
//  +---------------------------------------------------------------+
//  |                     interarrival jitter                       |  octets 12-15
//  +---------------------------------------------------------------+
//  |                   last SR (LSR, compact NTP)                  |  octets 16-19
//  +---------------------------------------------------------------+
//  |            delay since last SR (DLSR, 1/65536 s)              |  octets 20-23
//  +---------------------------------------------------------------+

export const RTCP_REPORT_BLOCK_BYTES = 24;
const OFFSET_SSRC = 0;
/** The fraction (one octet) and the 24-bit cumulative count share the word at octet 4. */
const OFFSET_FRACTION_LOST = 4;
const OFFSET_EXTENDED_HIGHEST_SEQUENCE = 8;
const OFFSET_JITTER = 12;
const OFFSET_LAST_SENDER_REPORT = 16;
const OFFSET_DELAY_SINCE_LAST_SENDER_REPORT = 20;

/** The 24-bit signed range of the cumulative-lost field (RFC 3550 §6.4.1, A.3 clamps to it). */
export const CUMULATIVE_LOST_MAX = 0x7f_ffff;
export const CUMULATIVE_LOST_MIN = -0x80_0000;

export interface RtcpReportBlock {
  readonly ssrc: number;
  /** Lost fraction since the previous report, as a fixed-point number with the binary point at the left (0-255). */
  readonly fractionLost: number;
  /** Packets lost since reception began; negative when duplicates outnumber losses. */
  readonly cumulativeLost: number;
  readonly extendedHighestSequence: number;
  /** Interarrival jitter in RTP timestamp units. */
  readonly jitter: number;
  readonly lastSenderReport: number;
  readonly delaySinceLastSenderReport: number;
}

export function readReportBlock(view: DataView, offset: number): RtcpReportBlock {
  // The cumulative count is a 24-bit two's-complement number: shift it to the top of an int32 and back.
  const cumulativeRaw = view.getUint32(offset + OFFSET_FRACTION_LOST) & 0xff_ffff;
  return {
    ssrc: view.getUint32(offset + OFFSET_SSRC),
    fractionLost: view.getUint8(offset + OFFSET_FRACTION_LOST),
    cumulativeLost: (cumulativeRaw << 8) >> 8,
    extendedHighestSequence: view.getUint32(offset + OFFSET_EXTENDED_HIGHEST_SEQUENCE),
    jitter: view.getUint32(offset + OFFSET_JITTER),
    lastSenderReport: view.getUint32(offset + OFFSET_LAST_SENDER_REPORT),
    delaySinceLastSenderReport: view.getUint32(offset + OFFSET_DELAY_SINCE_LAST_SENDER_REPORT),
  };
}

export function writeReportBlock(out: Buffer, offset: number, block: RtcpReportBlock): void {
  const cumulative = Math.max(CUMULATIVE_LOST_MIN, Math.min(CUMULATIVE_LOST_MAX, block.cumulativeLost));
  out.writeUInt32BE(block.ssrc >>> 0, offset + OFFSET_SSRC);
  out.writeUInt32BE(
    (((block.fractionLost & 0xff) << 24) | (cumulative & 0xff_ffff)) >>> 0,
    offset + OFFSET_FRACTION_LOST,
  );
  out.writeUInt32BE(block.extendedHighestSequence >>> 0, offset + OFFSET_EXTENDED_HIGHEST_SEQUENCE);
  out.writeUInt32BE(block.jitter >>> 0, offset + OFFSET_JITTER);
  out.writeUInt32BE(block.lastSenderReport >>> 0, offset + OFFSET_LAST_SENDER_REPORT);
  out.writeUInt32BE(block.delaySinceLastSenderReport >>> 0, offset + OFFSET_DELAY_SINCE_LAST_SENDER_REPORT);
}

/**
 * The report blocks of an SR or RR starting at `offset`, and the opaque profile-specific extension between them and
 * `end` (RFC 3550 §6.4.1); 'malformed' when the count does not fit.
 */
export function readReportBlocks(
  data: Uint8Array,
  offset: number,
  count: number,
  end: number,
): { blocks: RtcpReportBlock[]; extension: Uint8Array | undefined } | 'malformed' {
  const blocksEnd = offset + count * RTCP_REPORT_BLOCK_BYTES;
  if (blocksEnd > end) return 'malformed';
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const blocks: RtcpReportBlock[] = [];
  for (let i = 0; i < count; i++) blocks.push(readReportBlock(view, offset + i * RTCP_REPORT_BLOCK_BYTES));
  return { blocks, extension: end > blocksEnd ? data.subarray(blocksEnd, end) : undefined };
}

/** Octets of report blocks and extension together. */
export function reportBlocksLength(
  blocks: readonly RtcpReportBlock[],
  extension: Uint8Array | undefined,
): number {
  return blocks.length * RTCP_REPORT_BLOCK_BYTES + (extension?.length ?? 0);
}

/** Writes report blocks and then the extension at `offset`. */
export function writeReportBlocks(
  out: Buffer,
  offset: number,
  blocks: readonly RtcpReportBlock[],
  extension: Uint8Array | undefined,
): void {
  blocks.forEach((block, i) => writeReportBlock(out, offset + i * RTCP_REPORT_BLOCK_BYTES, block));
  if (extension) out.set(extension, offset + blocks.length * RTCP_REPORT_BLOCK_BYTES);
}
