// An incremental reader of capture files: bytes in (any chunking), packets out. It holds at most one partial
// record or block, bounded by MAX_BLOCK_BYTES, so a multi-gigabyte capture streams through in constant memory.
// Classic pcap in both byte orders with micro- or nanosecond timestamps, and pcapng with any number of sections
// and interfaces (if_tsresol, if_tsoffset), Enhanced, Simple and obsolete Packet Blocks. Anything impossible in
// the file is a PcapError naming the problem and its byte offset; nothing else is ever thrown.
//
// Classic pcap global header, 24 bytes, in the byte order the magic reveals:
//
//   0 magic (a1b2c3d4 µs | a1b23c4d ns)   4 major | minor   8 thiszone   12 sigfigs   16 snaplen   20 link type
//
// Record header, 16 bytes:   0 seconds   4 fraction (µs or ns)   8 captured length   12 original length
//
// pcapng: blocks `type (4), total length (4), body, total length (4)`; the Section Header Block carries the byte
// order magic 1A2B3C4D at offset 8, before which its own length cannot be trusted.

import { PcapError } from './pcap-error.js';

/** One packet as the file recorded it. */
export interface CapturedPacket {
  /** Milliseconds since the Unix epoch, with the file's sub-millisecond precision as a fraction. */
  readonly timestampMs: number;
  /** The LINKTYPE_ of the interface the packet was captured on. */
  readonly linkType: number;
  /** The bytes captured (possibly fewer than `originalLength`). */
  readonly data: Uint8Array;
  readonly originalLength: number;
  /** pcapng opt_comment, when the packet has one. */
  readonly comment?: string;
}

export type CaptureFileFormat = 'pcap' | 'pcapng';

/** The largest record or block the reader accepts: bounds memory against a length field that lies. */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024;

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAP_GLOBAL_HEADER_BYTES = 24;
const PCAP_RECORD_HEADER_BYTES = 16;

const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const PCAPNG_IDB = 0x00000001;
const PCAPNG_OBSOLETE_PB = 0x00000002;
const PCAPNG_SPB = 0x00000003;
const PCAPNG_EPB = 0x00000006;
const PCAPNG_MIN_BLOCK_BYTES = 12;
const OPT_COMMENT = 1;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

interface PcapngInterface {
  readonly linkType: number;
  readonly snapLength: number;
  /** Timestamp units per second. */
  readonly unitsPerSecond: bigint;
  readonly offsetSeconds: bigint;
}

type ParserState =
  | { readonly kind: 'start' }
  | {
      readonly kind: 'pcap';
      readonly littleEndian: boolean;
      readonly nanoseconds: boolean;
      readonly linkType: number;
    }
  | { readonly kind: 'pcapng'; readonly littleEndian: boolean; readonly interfaces: PcapngInterface[] };

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class CaptureFileParser {
  #state: ParserState = { kind: 'start' };
  /** Bytes received but not yet consumed: at most one partial header, record or block. */
  #pending: Uint8Array = new Uint8Array(0);
  /** Chunks received since the last step, not yet joined to `#pending`. */
  #chunks: Uint8Array[] = [];
  #chunkBytes = 0;
  /** How many bytes `#pending` must hold before the next unit can be read. */
  #neededBytes = 0;
  /** File offset of `#pending[0]`. */
  #offset = 0;
  #lastTimestampMs = 0;

  get format(): CaptureFileFormat | undefined {
    return this.#state.kind === 'start' ? undefined : this.#state.kind;
  }

  /** Consumes `chunk` and returns the packets it completed. */
  push(chunk: Uint8Array): CapturedPacket[] {
    if (chunk.length === 0) return [];
    // A large block arrives in many chunks: they are kept (copied: the caller may reuse its buffer) and joined
    // once, when the block is complete, not once per chunk.
    if (this.#pending.length + this.#chunkBytes + chunk.length < this.#neededBytes) {
      this.#chunks.push(chunk.slice());
      this.#chunkBytes += chunk.length;
      return [];
    }
    this.#chunks.push(chunk);
    this.#chunkBytes += chunk.length;
    const joined = concat([this.#pending, ...this.#chunks], this.#pending.length + this.#chunkBytes);
    this.#chunks = [];
    this.#chunkBytes = 0;
    const packets: CapturedPacket[] = [];
    let position = 0;
    for (;;) {
      const available = joined.subarray(position);
      const consumed = this.#step(available, packets);
      if (consumed <= 0) {
        // A negative result is how many bytes the unit needs; wait until they are all there.
        this.#neededBytes = Math.max(-consumed, available.length + 1);
        break;
      }
      position += consumed;
      this.#offset += consumed;
    }
    // Keep only the unconsumed tail, copied, so that the caller may reuse its chunk buffer.
    this.#pending = joined.slice(position);
    return packets;
  }

  /** Checks that the file ended on a boundary: trailing partial data is a truncation. */
  end(): void {
    if (this.#state.kind === 'start') {
      throw new PcapError(
        'PCAP_NOT_A_CAPTURE',
        this.#pending.length + this.#chunkBytes === 0
          ? 'The file is empty; a capture starts with a pcap or pcapng header.'
          : 'The file is too short to be a capture (fewer than 24 bytes).',
        { offset: 0 },
      );
    }
    const left = this.#pending.length + this.#chunkBytes;
    if (left > 0) {
      throw new PcapError(
        'PCAP_TRUNCATED',
        `The capture ends in the middle of a ${this.#state.kind === 'pcap' ? 'packet record' : 'block'} ` +
          `(${left} bytes left at offset ${this.#offset}); the packets before it were read.`,
        { offset: this.#offset },
      );
    }
  }

  /**
   * Consumes one unit from the start of `bytes` and returns how many bytes it took; when the unit is incomplete,
   * returns minus the number of bytes it needs (or 0 when that is not known yet).
   */
  #step(bytes: Uint8Array, out: CapturedPacket[]): number {
    switch (this.#state.kind) {
      case 'start':
        return this.#readStart(bytes, out);
      case 'pcap':
        return this.#readPcapRecord(bytes, out);
      case 'pcapng':
        return this.#readPcapngBlock(bytes, out, this.#state.littleEndian);
    }
  }

  #readStart(bytes: Uint8Array, out: CapturedPacket[]): number {
    if (bytes.length < 4) return -4;
    const view = viewOf(bytes);
    if (view.getUint32(0, false) === PCAPNG_SHB) return this.#readPcapngBlock(bytes, out, true);
    if (bytes.length < PCAP_GLOBAL_HEADER_BYTES) return -PCAP_GLOBAL_HEADER_BYTES;
    const big = view.getUint32(0, false);
    const little = view.getUint32(0, true);
    const magic = big === PCAP_MAGIC_US || big === PCAP_MAGIC_NS ? big : little;
    if (magic !== PCAP_MAGIC_US && magic !== PCAP_MAGIC_NS) {
      throw new PcapError(
        'PCAP_NOT_A_CAPTURE',
        `The file is not a pcap or pcapng capture (it starts with 0x${big.toString(16).padStart(8, '0')}).`,
        { offset: 0 },
      );
    }
    const littleEndian = magic === little;
    this.#state = {
      kind: 'pcap',
      littleEndian,
      nanoseconds: magic === PCAP_MAGIC_NS,
      // The upper bits may carry the FCS length (LINKTYPE_ETHERNET with FCS): the type is the low 16 bits.
      linkType: view.getUint32(20, littleEndian) & 0xffff,
    };
    return PCAP_GLOBAL_HEADER_BYTES;
  }

  #readPcapRecord(bytes: Uint8Array, out: CapturedPacket[]): number {
    if (bytes.length < PCAP_RECORD_HEADER_BYTES) return -PCAP_RECORD_HEADER_BYTES;
    const state = this.#state as Extract<ParserState, { kind: 'pcap' }>;
    const view = viewOf(bytes);
    const le = state.littleEndian;
    const capturedLength = view.getUint32(8, le);
    if (capturedLength > MAX_BLOCK_BYTES) {
      throw new PcapError(
        'PCAP_BAD_LENGTH',
        `A packet record at offset ${this.#offset} claims ${capturedLength} bytes, more than any capture ` +
          'holds; the file is damaged.',
        { offset: this.#offset },
      );
    }
    const total = PCAP_RECORD_HEADER_BYTES + capturedLength;
    if (bytes.length < total) return -total;
    const seconds = view.getUint32(0, le);
    const fraction = view.getUint32(4, le);
    const timestampMs = seconds * 1000 + (state.nanoseconds ? fraction / 1e6 : fraction / 1e3);
    out.push({
      timestampMs,
      linkType: state.linkType,
      data: bytes.slice(PCAP_RECORD_HEADER_BYTES, total),
      originalLength: Math.max(view.getUint32(12, le), capturedLength),
    });
    return total;
  }

  #readPcapngBlock(bytes: Uint8Array, out: CapturedPacket[], currentLittleEndian: boolean): number {
    if (bytes.length < PCAPNG_MIN_BLOCK_BYTES) return -PCAPNG_MIN_BLOCK_BYTES;
    const view = viewOf(bytes);
    const type = view.getUint32(0, currentLittleEndian);
    let le = currentLittleEndian;
    if (view.getUint32(0, false) === PCAPNG_SHB) {
      // A new section may switch byte order: its magic, not the previous section, decides.
      const magicLe = view.getUint32(8, true);
      if (magicLe === PCAPNG_BYTE_ORDER_MAGIC) le = true;
      else if (view.getUint32(8, false) === PCAPNG_BYTE_ORDER_MAGIC) le = false;
      else {
        throw new PcapError(
          'PCAP_MALFORMED',
          `The pcapng section header at offset ${this.#offset} has no valid byte-order magic.`,
          { offset: this.#offset },
        );
      }
    }
    const total = view.getUint32(4, le);
    if (total < PCAPNG_MIN_BLOCK_BYTES || total % 4 !== 0 || total > MAX_BLOCK_BYTES) {
      throw new PcapError(
        'PCAP_BAD_LENGTH',
        `The pcapng block at offset ${this.#offset} has an impossible length (${total} bytes).`,
        { offset: this.#offset },
      );
    }
    if (bytes.length < total) return -total;
    if (view.getUint32(total - 4, le) !== total) {
      throw new PcapError(
        'PCAP_MALFORMED',
        `The pcapng block at offset ${this.#offset} does not end with its own length; the file is damaged.`,
        { offset: this.#offset },
      );
    }
    const body = bytes.subarray(8, total - 4);
    if (view.getUint32(0, false) === PCAPNG_SHB) this.#startSection(body, le);
    else if (type === PCAPNG_IDB) this.#addInterface(body, le);
    else if (type === PCAPNG_EPB || type === PCAPNG_OBSOLETE_PB)
      this.#readEnhancedPacket(body, le, type, out);
    else if (type === PCAPNG_SPB) this.#readSimplePacket(body, le, out);
    // Every other block (name resolution, statistics, decryption secrets, custom) carries no packet: skipped.
    return total;
  }

  #startSection(body: Uint8Array, le: boolean): void {
    if (body.length < 16) this.#malformed('section header block is too short');
    const major = viewOf(body).getUint16(4, le);
    if (major !== 1) this.#malformed(`section header has version ${major}.x; only pcapng 1.x is defined`);
    this.#state = { kind: 'pcapng', littleEndian: le, interfaces: [] };
  }

  #addInterface(body: Uint8Array, le: boolean): void {
    const state = this.#state as Extract<ParserState, { kind: 'pcapng' }>;
    if (body.length < 8) this.#malformed('interface description block is too short');
    const view = viewOf(body);
    let unitsPerSecond = 1_000_000n;
    let offsetSeconds = 0n;
    for (const [code, value] of readOptions(body.subarray(8), le)) {
      if (code === IF_TSRESOL && value.length >= 1) {
        const resolution = value[0];
        const exponent = BigInt(resolution & 0x7f);
        // Bit 7 set: a negative power of 2; clear: a negative power of 10. Beyond 10^-18 / 2^-63 nothing is real.
        if ((resolution & 0x80) !== 0 ? exponent > 63n : exponent > 18n) {
          this.#malformed(`interface has an impossible timestamp resolution (${resolution})`);
        }
        unitsPerSecond = (resolution & 0x80) !== 0 ? 1n << exponent : 10n ** exponent;
      } else if (code === IF_TSOFFSET && value.length >= 8) {
        offsetSeconds = viewOf(value).getBigInt64(0, le);
      }
    }
    state.interfaces.push({
      linkType: view.getUint16(0, le),
      snapLength: view.getUint32(4, le),
      unitsPerSecond,
      offsetSeconds,
    });
  }

  #readEnhancedPacket(body: Uint8Array, le: boolean, type: number, out: CapturedPacket[]): void {
    if (body.length < 20) this.#malformed('packet block is too short');
    const view = viewOf(body);
    // The obsolete Packet Block has a 16-bit interface id followed by a 16-bit drop count.
    const interfaceId = type === PCAPNG_OBSOLETE_PB ? view.getUint16(0, le) : view.getUint32(0, le);
    const iface = this.#interface(interfaceId);
    const capturedLength = view.getUint32(12, le);
    if (20 + capturedLength > body.length) {
      this.#malformed(`packet claims ${capturedLength} bytes but its block holds ${body.length - 20}`);
    }
    const ticks = (BigInt(view.getUint32(4, le)) << 32n) | BigInt(view.getUint32(8, le));
    let comment: string | undefined;
    for (const [code, value] of readOptions(body.subarray(20 + pad4(capturedLength)), le)) {
      if (code === OPT_COMMENT) comment = utf8.decode(value);
    }
    const timestampMs = toMilliseconds(ticks, iface);
    this.#lastTimestampMs = timestampMs;
    out.push({
      timestampMs,
      linkType: iface.linkType,
      data: body.slice(20, 20 + capturedLength),
      originalLength: Math.max(view.getUint32(16, le), capturedLength),
      ...(comment !== undefined ? { comment } : {}),
    });
  }

  #readSimplePacket(body: Uint8Array, le: boolean, out: CapturedPacket[]): void {
    if (body.length < 4) this.#malformed('simple packet block is too short');
    const iface = this.#interface(0);
    const originalLength = viewOf(body).getUint32(0, le);
    const limit = iface.snapLength > 0 ? Math.min(originalLength, iface.snapLength) : originalLength;
    const capturedLength = Math.min(limit, body.length - 4);
    // A Simple Packet Block has no timestamp: the previous packet's time keeps the ladder in order.
    out.push({
      timestampMs: this.#lastTimestampMs,
      linkType: iface.linkType,
      data: body.slice(4, 4 + capturedLength),
      originalLength,
    });
  }

  #interface(id: number): PcapngInterface {
    const state = this.#state as Extract<ParserState, { kind: 'pcapng' }>;
    const iface = state.interfaces[id];
    if (iface === undefined) this.#malformed(`a packet names interface ${id}, which was never described`);
    return iface;
  }

  #malformed(problem: string): never {
    throw new PcapError(
      'PCAP_MALFORMED',
      `The pcapng block at offset ${this.#offset} is damaged: ${problem}.`,
      {
        offset: this.#offset,
      },
    );
  }
}

function toMilliseconds(ticks: bigint, iface: PcapngInterface): number {
  const seconds = ticks / iface.unitsPerSecond + iface.offsetSeconds;
  const remainder = ticks % iface.unitsPerSecond;
  return Number(seconds) * 1000 + (Number(remainder) * 1000) / Number(iface.unitsPerSecond);
}

/** pcapng options: code (2), length (2), value padded to 4; stops at opt_endofopt or where the bytes end. */
function* readOptions(bytes: Uint8Array, le: boolean): Generator<readonly [number, Uint8Array]> {
  const view = viewOf(bytes);
  let offset = 0;
  while (offset + 4 <= bytes.length) {
    const code = view.getUint16(offset, le);
    const length = view.getUint16(offset + 2, le);
    if (code === 0) return;
    // An option running past its block is ignored rather than trusted.
    if (offset + 4 + length > bytes.length) return;
    yield [code, bytes.subarray(offset + 4, offset + 4 + length)];
    offset += 4 + pad4(length);
  }
}

const pad4 = (n: number): number => (n + 3) & ~3;

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 2 && parts[0].length === 0) return parts[1];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
