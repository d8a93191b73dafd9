import {
  RTCP_HEADER_BYTES,
  RTCP_PACKET_TYPE,
  type RtcpDropReason,
  type RtcpHeader,
  writeRtcpHeader,
} from './rtcp-header.js';

// Source description (RFC 3550 §6.5): per source, a list of items ending with a null octet, padded to a 32-bit
// boundary. CNAME is the one item every compound packet must carry (§6.1).
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +---+-+---------+---------------+-------------------------------+
//  | V |P|   SC    |    PT=202     |            length             |  octets 0-3
//  +---+-+---------+---------------+-------------------------------+
//  |                          SSRC/CSRC_1                          |  chunk 1
//  +---------------+---------------+-------------------------------+
//  |  item type    |  item length  |  item text (UTF-8) …          |
//  +---------------+---------------+-------------------------------+
//  |  … more items, then 0 (end) and zero padding to 32 bits       |
//  +===============================================================+
//  |                          SSRC/CSRC_2 …                        |  chunk 2 …

/** SDES item types (RFC 3550 §12.2). */
export const SDES_ITEM_TYPE = {
  END: 0,
  CNAME: 1,
  NAME: 2,
  EMAIL: 3,
  PHONE: 4,
  LOC: 5,
  TOOL: 6,
  NOTE: 7,
  PRIV: 8,
} as const;

export interface RtcpSdesItem {
  readonly type: number;
  readonly text: string;
}

export interface RtcpSdesChunk {
  readonly ssrc: number;
  readonly items: readonly RtcpSdesItem[];
}

export interface RtcpSourceDescription {
  readonly kind: 'source-description';
  readonly chunks: readonly RtcpSdesChunk[];
}

const textDecoder = new TextDecoder('utf-8', { fatal: false });

export function parseSourceDescription(
  data: Uint8Array,
  offset: number,
  header: RtcpHeader,
  contentBytes: number,
): RtcpSourceDescription | RtcpDropReason {
  const end = offset + contentBytes;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = offset + RTCP_HEADER_BYTES;
  const chunks: RtcpSdesChunk[] = [];
  for (let c = 0; c < header.count; c++) {
    if (at + 4 > end) return 'malformed';
    const ssrc = view.getUint32(at);
    at += 4;
    const items: RtcpSdesItem[] = [];
    for (;;) {
      if (at >= end) return 'malformed';
      const type = data[at];
      if (type === SDES_ITEM_TYPE.END) break;
      if (at + 2 > end) return 'malformed';
      const length = data[at + 1];
      if (at + 2 + length > end) return 'malformed';
      items.push({ type, text: textDecoder.decode(data.subarray(at + 2, at + 2 + length)) });
      at += 2 + length;
    }
    // The end octet, then zeros up to the next 32-bit boundary (relative to the packet start).
    at += 1;
    at += (4 - ((at - offset) % 4)) % 4;
    chunks.push({ ssrc, items });
  }
  return { kind: 'source-description', chunks };
}

function chunkLength(chunk: RtcpSdesChunk): number {
  let length = 4;
  for (const item of chunk.items) length += 2 + itemBytes(item).length;
  length += 1;
  return length + ((4 - (length % 4)) % 4);
}

function itemBytes(item: RtcpSdesItem): Buffer {
  const bytes = Buffer.from(item.text, 'utf8');
  if (bytes.length > 255) throw new RangeError(`an SDES item holds at most 255 octets, got ${bytes.length}`);
  if (item.type === SDES_ITEM_TYPE.END || item.type > 255) {
    throw new RangeError(`invalid SDES item type ${item.type}`);
  }
  return bytes;
}

export function sourceDescriptionLength(packet: RtcpSourceDescription): number {
  return packet.chunks.reduce((sum, chunk) => sum + chunkLength(chunk), RTCP_HEADER_BYTES);
}

export function writeSourceDescription(out: Buffer, offset: number, packet: RtcpSourceDescription): number {
  const length = sourceDescriptionLength(packet);
  writeRtcpHeader(out, offset, packet.chunks.length, RTCP_PACKET_TYPE.SOURCE_DESCRIPTION, length);
  let at = offset + RTCP_HEADER_BYTES;
  for (const chunk of packet.chunks) {
    const chunkEnd = at + chunkLength(chunk);
    out.writeUInt32BE(chunk.ssrc >>> 0, at);
    at += 4;
    for (const item of chunk.items) {
      const bytes = itemBytes(item);
      out[at] = item.type;
      out[at + 1] = bytes.length;
      out.set(bytes, at + 2);
      at += 2 + bytes.length;
    }
    out.fill(0, at, chunkEnd);
    at = chunkEnd;
  }
  return length;
}

/** The CNAME of `ssrc` in an SDES packet, if it carries one. */
export function cnameOf(packet: RtcpSourceDescription, ssrc: number): string | undefined {
  return packet.chunks.find((c) => c.ssrc === ssrc)?.items.find((i) => i.type === SDES_ITEM_TYPE.CNAME)?.text;
}
