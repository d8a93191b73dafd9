// Encodes capture files: pcapng (default, because packets can carry comments — "TLS, shown decrypted") and classic
// pcap (readable by every tool, comments dropped). Pure: header and packets in, bytes out; the file or memory sink
// is the caller's.
//
// Classic pcap (little-endian, microseconds):
//
//   global header, 24 bytes          record header, 16 bytes, then `captured length` bytes of packet
//   +--------------------+           +-------------------------+
//   | magic a1b2c3d4     |  0        | seconds                 |  0
//   | major 2 | minor 4  |  4        | microseconds            |  4
//   | thiszone (0)       |  8        | captured length         |  8
//   | sigfigs (0)        | 12        | original length         | 12
//   | snap length        | 16        +-------------------------+
//   | link type          | 20
//   +--------------------+
//
// pcapng (draft-ietf-opsawg-pcapng): every block is `type, total length, body, total length`, 32-bit aligned:
//
//   Section Header Block  0A0D0D0A | len | 1A2B3C4D | major 1 | minor 0 | section length -1 (8) | options | len
//   Interface Description 00000001 | len | link type (2) | reserved (2) | snap length | options | len
//   Enhanced Packet Block 00000006 | len | interface | ts high | ts low | captured | original | data, padded
//                                  | options (opt_comment) | len
//
// Timestamps are microseconds since the epoch, the default resolution of both formats (if_tsresol absent).

import { PcapError } from './pcap-error.js';

export type PcapFormat = 'pcapng' | 'pcap';

export interface PcapEncoderOptions {
  readonly format?: PcapFormat;
  /** A LINKTYPE_ value (the writer uses LINKTYPE_RAW). */
  readonly linkType: number;
  /** Largest packet the file declares; longer packets are cut to it (original length kept). Default 262144. */
  readonly snapLengthBytes?: number;
  /** pcapng only: shb_userappl, e.g. `Trunkline 0.1.0`. */
  readonly application?: string;
}

/** One packet to write. */
export interface PcapPacketInput {
  /** Milliseconds since the Unix epoch; fractions are kept to the microsecond. */
  readonly timestampMs: number;
  /** The link-layer frame (for LINKTYPE_RAW: the IP packet). */
  readonly data: Uint8Array;
  /** pcapng only: a UTF-8 comment shown by Wireshark (`frame.comment`). */
  readonly comment?: string;
}

const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
const PCAPNG_SECTION_HEADER = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const PCAPNG_INTERFACE_DESCRIPTION = 0x00000001;
const PCAPNG_ENHANCED_PACKET = 0x00000006;
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const DEFAULT_SNAP_LENGTH_BYTES = 262_144;

const pad4 = (n: number): number => (n + 3) & ~3;

/** Option TLVs (code, length, value padded to 4) followed by opt_endofopt; empty when there are none. */
function encodeOptions(options: ReadonlyArray<readonly [number, Uint8Array]>): Uint8Array {
  if (options.length === 0) return new Uint8Array(0);
  const size = options.reduce((total, [, value]) => total + 4 + pad4(value.length), 4);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const [code, value] of options) {
    view.setUint16(offset, code, true);
    view.setUint16(offset + 2, value.length, true);
    out.set(value, offset + 4);
    offset += 4 + pad4(value.length);
  }
  view.setUint16(offset, OPT_ENDOFOPT, true);
  return out;
}

/** A pcapng block: type, total length, the body padded to 4 bytes, total length again. */
function encodeBlock(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + pad4(body.length);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, total, true);
  out.set(body, 8);
  view.setUint32(total - 4, total, true);
  return out;
}

function microseconds(timestampMs: number): bigint {
  if (!Number.isFinite(timestampMs) || timestampMs < 0) {
    throw new PcapError(
      'PCAP_WRITE_FAILED',
      `A packet timestamp must be a time after 1970 (got ${timestampMs}).`,
    );
  }
  return BigInt(Math.round(timestampMs * 1000));
}

export class PcapEncoder {
  readonly format: PcapFormat;
  readonly linkType: number;
  readonly snapLengthBytes: number;
  readonly #application: string | undefined;
  readonly #utf8 = new TextEncoder();

  constructor(options: PcapEncoderOptions) {
    this.format = options.format ?? 'pcapng';
    this.linkType = options.linkType;
    this.snapLengthBytes = options.snapLengthBytes ?? DEFAULT_SNAP_LENGTH_BYTES;
    this.#application = options.application;
  }

  /** The bytes that start the file: the global header, or a section header and one interface. */
  header(): Uint8Array {
    if (this.format === 'pcap') {
      const out = new Uint8Array(24);
      const view = new DataView(out.buffer);
      view.setUint32(0, PCAP_MAGIC_MICROSECONDS, true);
      view.setUint16(4, 2, true);
      view.setUint16(6, 4, true);
      view.setUint32(16, this.snapLengthBytes, true);
      view.setUint32(20, this.linkType, true);
      return out;
    }
    const shbOptions = encodeOptions(
      this.#application !== undefined ? [[SHB_USERAPPL, this.#utf8.encode(this.#application)]] : [],
    );
    const shbBody = new Uint8Array(16 + shbOptions.length);
    const shbView = new DataView(shbBody.buffer);
    shbView.setUint32(0, PCAPNG_BYTE_ORDER_MAGIC, true);
    shbView.setUint16(4, 1, true);
    shbView.setUint16(6, 0, true);
    // Section length unknown: -1, as a streaming writer must (the reader then walks block by block).
    shbView.setBigInt64(8, -1n, true);
    shbBody.set(shbOptions, 16);
    const idbOptions = encodeOptions([[IF_NAME, this.#utf8.encode('trunkline')]]);
    const idbBody = new Uint8Array(8 + idbOptions.length);
    const idbView = new DataView(idbBody.buffer);
    idbView.setUint16(0, this.linkType, true);
    idbView.setUint32(4, this.snapLengthBytes, true);
    idbBody.set(idbOptions, 8);
    const shb = encodeBlock(PCAPNG_SECTION_HEADER, shbBody);
    const idb = encodeBlock(PCAPNG_INTERFACE_DESCRIPTION, idbBody);
    const out = new Uint8Array(shb.length + idb.length);
    out.set(shb, 0);
    out.set(idb, shb.length);
    return out;
  }

  /** One packet record (classic) or Enhanced Packet Block (pcapng, with its comment). */
  packet(packet: PcapPacketInput): Uint8Array {
    const micros = microseconds(packet.timestampMs);
    const data =
      packet.data.length > this.snapLengthBytes ? packet.data.subarray(0, this.snapLengthBytes) : packet.data;
    if (this.format === 'pcap') {
      const out = new Uint8Array(16 + data.length);
      const view = new DataView(out.buffer);
      view.setUint32(0, Number(micros / 1_000_000n), true);
      view.setUint32(4, Number(micros % 1_000_000n), true);
      view.setUint32(8, data.length, true);
      view.setUint32(12, packet.data.length, true);
      out.set(data, 16);
      return out;
    }
    const options = encodeOptions(
      packet.comment !== undefined ? [[OPT_COMMENT, this.#utf8.encode(packet.comment)]] : [],
    );
    const body = new Uint8Array(20 + pad4(data.length) + options.length);
    const view = new DataView(body.buffer);
    view.setUint32(0, 0, true);
    view.setUint32(4, Number(micros >> 32n), true);
    view.setUint32(8, Number(micros & 0xffff_ffffn), true);
    view.setUint32(12, data.length, true);
    view.setUint32(16, packet.data.length, true);
    body.set(data, 20);
    body.set(options, 20 + pad4(data.length));
    return encodeBlock(PCAPNG_ENHANCED_PACKET, body);
  }
}
