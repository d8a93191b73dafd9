// RTP data packets (RFC 3550 §5.1, header extension §5.3.1). Parsing never throws: a datagram off the wire is
// either a packet or a named drop reason, so a receive handler can count it and move on.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +---+-+-+-------+-+-------------+-------------------------------+
//  | V |P|X|  CC   |M|     PT      |        sequence number        |  octets 0-3
//  +---+-+-+-------+-+-------------+-------------------------------+
//  |                           timestamp                           |  octets 4-7
//  +---------------------------------------------------------------+
//  |                             SSRC                              |  octets 8-11
//  +===============================================================+
//  |                  CSRC list (CC entries of 32 bits)            |  octets 12 … 12+4·CC-1
//  +---------------------------------------------------------------+
//  |  extension profile (16 bits)  |  extension length (32-bit words) |  present when X = 1
//  |                 extension data (length × 32 bits)             |
//  +---------------------------------------------------------------+
//  |                            payload                            |
//  |                               +-------------------------------+
//  |                               | padding …     | padding count |  present when P = 1
//  +-------------------------------+-------------------------------+

/** The only RTP version in use (RFC 3550 §5.1). */
export const RTP_VERSION = 2;
/** Octets of the fixed header, before any CSRC or extension. */
export const RTP_FIXED_HEADER_BYTES = 12;
/** A generous default bound for one datagram: an Ethernet MTU. G.711 at 120 ms ptime is 972 octets. */
export const DEFAULT_MAX_RTP_PACKET_BYTES = 1500;

const OFFSET_FLAGS = 0;
const OFFSET_MARKER_PT = 1;
const OFFSET_SEQUENCE = 2;
const OFFSET_TIMESTAMP = 4;
const OFFSET_SSRC = 8;
const OFFSET_CSRC = 12;

const VERSION_SHIFT = 6;
const PADDING_BIT = 0x20;
const EXTENSION_BIT = 0x10;
const CSRC_COUNT_MASK = 0x0f;
const MARKER_BIT = 0x80;
const PAYLOAD_TYPE_MASK = 0x7f;

/** Why a datagram was not accepted as an RTP packet. */
export type RtpParseDropReason = 'truncated' | 'wrong-version' | 'oversized' | 'bad-padding';

/** A header extension (RFC 3550 §5.3.1); its data is opaque to us. */
export interface RtpHeaderExtension {
  readonly profile: number;
  readonly data: Uint8Array;
}

/** One RTP packet. Parsed packets share memory with the datagram they came from. */
export interface RtpPacket {
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  readonly extension?: RtpHeaderExtension | undefined;
  readonly payload: Uint8Array;
  /** Padding octets after the payload, the count octet included (0 when the P bit is clear). */
  readonly paddingBytes: number;
}

export type RtpParseResult =
  | { readonly ok: true; readonly packet: RtpPacket }
  | { readonly ok: false; readonly reason: RtpParseDropReason };

export interface RtpParseOptions {
  /** Larger datagrams are dropped as 'oversized'. */
  maxPacketBytes?: number;
}

const NO_CSRCS: readonly number[] = Object.freeze([]);

/**
 * The length of the header (fixed part, CSRC list and extension) of the RTP packet in `data`, or the reason it is
 * not one. SRTP needs only this much to find the payload, so it does not build a packet object.
 */
export function rtpHeaderLength(data: Uint8Array, length = data.length): number | RtpParseDropReason {
  if (length < RTP_FIXED_HEADER_BYTES) return 'truncated';
  const flags = data[OFFSET_FLAGS];
  if (flags >> VERSION_SHIFT !== RTP_VERSION) return 'wrong-version';
  let headerBytes = RTP_FIXED_HEADER_BYTES + 4 * (flags & CSRC_COUNT_MASK);
  if (flags & EXTENSION_BIT) {
    if (length < headerBytes + 4) return 'truncated';
    const words = (data[headerBytes + 2] << 8) | data[headerBytes + 3];
    headerBytes += 4 + 4 * words;
  }
  return headerBytes > length ? 'truncated' : headerBytes;
}

/**
 * The fixed-header fields of an RTP packet and where its payload lies in the datagram: what the receive path needs,
 * read by `readRtpHeader` into an object the caller reuses, so that a packet costs no allocation.
 */
export interface RtpHeaderFields {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  /** The payload is `data[payloadStart, payloadEnd)` (after CSRCs and extension, before padding). */
  payloadStart: number;
  payloadEnd: number;
}

/** A fresh `RtpHeaderFields` to pass to `readRtpHeader`. */
export function emptyRtpHeaderFields(): RtpHeaderFields {
  return {
    marker: false,
    payloadType: 0,
    sequenceNumber: 0,
    timestamp: 0,
    ssrc: 0,
    payloadStart: 0,
    payloadEnd: 0,
  };
}

/**
 * Reads the RTP packet in `data[0, length)` into `fields` and returns undefined, or returns why it is not one (then
 * `fields` is unspecified). The same checks as `parseRtpPacket`, without building a packet; never throws. `length`
 * lets a packet decrypted in place be read without a view that leaves its SRTP tag out.
 */
export function readRtpHeader(
  data: Uint8Array,
  fields: RtpHeaderFields,
  maxPacketBytes = DEFAULT_MAX_RTP_PACKET_BYTES,
  length = data.length,
): RtpParseDropReason | undefined {
  if (length > maxPacketBytes) return 'oversized';
  const headerBytes = rtpHeaderLength(data, length);
  if (typeof headerBytes === 'string') return headerBytes;
  let paddingBytes = 0;
  if (data[OFFSET_FLAGS] & PADDING_BIT) {
    // RFC 3550 §5.1: the last octet counts the padding, itself included, so it can be neither 0 nor reach into
    // the header.
    paddingBytes = data[length - 1];
    if (paddingBytes === 0 || paddingBytes > length - headerBytes) return 'bad-padding';
  }
  const markerPt = data[OFFSET_MARKER_PT];
  fields.marker = (markerPt & MARKER_BIT) !== 0;
  fields.payloadType = markerPt & PAYLOAD_TYPE_MASK;
  fields.sequenceNumber = (data[OFFSET_SEQUENCE] << 8) | data[OFFSET_SEQUENCE + 1];
  fields.timestamp = readUint32(data, OFFSET_TIMESTAMP);
  fields.ssrc = readUint32(data, OFFSET_SSRC);
  fields.payloadStart = headerBytes;
  fields.payloadEnd = length - paddingBytes;
  return undefined;
}

function readUint32(data: Uint8Array, offset: number): number {
  return ((data[offset] << 24) | (data[offset + 1] << 16) | (data[offset + 2] << 8) | data[offset + 3]) >>> 0;
}

/** Parses one RTP packet; never throws. The packet's payload and extension are views into `data`. */
export function parseRtpPacket(data: Uint8Array, options: RtpParseOptions = {}): RtpParseResult {
  const fields = emptyRtpHeaderFields();
  const reason = readRtpHeader(data, fields, options.maxPacketBytes);
  if (reason !== undefined) return { ok: false, reason };
  const headerBytes = fields.payloadStart;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const flags = data[OFFSET_FLAGS];
  const paddingBytes = data.length - fields.payloadEnd;

  const csrcCount = flags & CSRC_COUNT_MASK;
  let csrcs = NO_CSRCS;
  if (csrcCount > 0) {
    const list: number[] = [];
    for (let i = 0; i < csrcCount; i++) list.push(view.getUint32(OFFSET_CSRC + 4 * i));
    csrcs = list;
  }

  let extension: RtpHeaderExtension | undefined;
  if (flags & EXTENSION_BIT) {
    const at = OFFSET_CSRC + 4 * csrcCount;
    extension = { profile: view.getUint16(at), data: data.subarray(at + 4, headerBytes) };
  }

  return {
    ok: true,
    packet: {
      marker: fields.marker,
      payloadType: fields.payloadType,
      sequenceNumber: fields.sequenceNumber,
      timestamp: fields.timestamp,
      ssrc: fields.ssrc,
      csrcs,
      extension,
      payload: data.subarray(fields.payloadStart, fields.payloadEnd),
      paddingBytes,
    },
  };
}

/** The number of octets `serializeRtpPacket` writes for `packet`. */
export function rtpPacketLength(packet: RtpPacket): number {
  const extensionBytes = packet.extension ? 4 + packet.extension.data.length : 0;
  return (
    RTP_FIXED_HEADER_BYTES +
    4 * packet.csrcs.length +
    extensionBytes +
    packet.payload.length +
    packet.paddingBytes
  );
}

/**
 * Writes `packet` in network byte order, into `target` when given (the send path reuses one buffer) or into a new
 * buffer; returns the octets written. Throws a RangeError for values a packet cannot carry: that is a bug in the
 * caller, not bad input from the network.
 */
export function serializeRtpPacket(packet: RtpPacket, target?: Uint8Array): Buffer {
  const length = rtpPacketLength(packet);
  checkPacketFields(packet, length, target);
  const out = target ? Buffer.from(target.buffer, target.byteOffset, length) : Buffer.allocUnsafe(length);

  out[OFFSET_FLAGS] =
    (RTP_VERSION << VERSION_SHIFT) |
    (packet.paddingBytes > 0 ? PADDING_BIT : 0) |
    (packet.extension ? EXTENSION_BIT : 0) |
    packet.csrcs.length;
  out[OFFSET_MARKER_PT] = (packet.marker ? MARKER_BIT : 0) | packet.payloadType;
  out.writeUInt16BE(packet.sequenceNumber, OFFSET_SEQUENCE);
  out.writeUInt32BE(packet.timestamp, OFFSET_TIMESTAMP);
  out.writeUInt32BE(packet.ssrc, OFFSET_SSRC);
  let at = OFFSET_CSRC;
  for (const csrc of packet.csrcs) {
    out.writeUInt32BE(csrc, at);
    at += 4;
  }
  if (packet.extension) {
    out.writeUInt16BE(packet.extension.profile, at);
    out.writeUInt16BE(packet.extension.data.length / 4, at + 2);
    out.set(packet.extension.data, at + 4);
    at += 4 + packet.extension.data.length;
  }
  out.set(packet.payload, at);
  at += packet.payload.length;
  if (packet.paddingBytes > 0) {
    out.fill(0, at, at + packet.paddingBytes - 1);
    out[at + packet.paddingBytes - 1] = packet.paddingBytes;
  }
  return out;
}

/**
 * Writes a packet with the fixed header only (no CSRC, extension or padding: what a media session sends) into
 * `target[0, 12 + payload.length)` and returns that length. Throws a RangeError when `target` is too small or the
 * payload type does not fit: a bug in the caller.
 */
export function writeRtpPacket(
  target: Uint8Array,
  marker: boolean,
  payloadType: number,
  sequenceNumber: number,
  timestamp: number,
  ssrc: number,
  payload: Uint8Array,
): number {
  const length = RTP_FIXED_HEADER_BYTES + payload.length;
  if (target.length < length) {
    throw new RangeError(`the target buffer holds ${target.length} octets, the packet needs ${length}`);
  }
  if (!(payloadType >= 0 && payloadType <= PAYLOAD_TYPE_MASK && Number.isInteger(payloadType))) {
    throw new RangeError(`RTP payload type must be an integer 0-127, got ${payloadType}`);
  }
  target[OFFSET_FLAGS] = RTP_VERSION << VERSION_SHIFT;
  target[OFFSET_MARKER_PT] = (marker ? MARKER_BIT : 0) | payloadType;
  target[OFFSET_SEQUENCE] = (sequenceNumber >>> 8) & 0xff;
  target[OFFSET_SEQUENCE + 1] = sequenceNumber & 0xff;
  writeUint32(target, OFFSET_TIMESTAMP, timestamp);
  writeUint32(target, OFFSET_SSRC, ssrc);
  target.set(payload, RTP_FIXED_HEADER_BYTES);
  return length;
}

function writeUint32(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value >>> 24;
  target[offset + 1] = (value >>> 16) & 0xff;
  target[offset + 2] = (value >>> 8) & 0xff;
  target[offset + 3] = value & 0xff;
}

function checkPacketFields(packet: RtpPacket, length: number, target: Uint8Array | undefined): void {
  if (
    packet.payloadType < 0 ||
    packet.payloadType > PAYLOAD_TYPE_MASK ||
    !Number.isInteger(packet.payloadType)
  ) {
    throw new RangeError(`RTP payload type must be an integer 0-127, got ${packet.payloadType}`);
  }
  if (packet.csrcs.length > CSRC_COUNT_MASK) throw new RangeError('an RTP packet carries at most 15 CSRCs');
  if (packet.extension && packet.extension.data.length % 4 !== 0) {
    throw new RangeError('RTP header extension data must be a whole number of 32-bit words');
  }
  if (packet.paddingBytes < 0 || packet.paddingBytes > 255) {
    throw new RangeError('RTP padding must be 0-255 octets');
  }
  if (target && target.length < length) {
    throw new RangeError(`the target buffer holds ${target.length} octets, the packet needs ${length}`);
  }
}
