// A call's SIP messages packed into one BLOB: one row per call instead of one per message keeps a call's
// trace a single B-tree insert at call end and a single read for the ladder (measured in
// docs/adr/0071-sip-traces-packed-per-call.md). The format is ours, versioned, and bounds-checked on read: a
// damaged blob is a typed error, never an out-of-range read.

import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { StoreError } from './store-error.js';

/** One SIP message as it crossed the wire. `sip/trace`'s message records have this shape. */
export interface StoredSipMessage {
  /** Milliseconds since the Unix epoch. */
  readonly wallTimeMs: number;
  /** Milliseconds on the recorder's monotonic clock: durations between messages. */
  readonly monotonicTimeMs: number;
  readonly direction: 'sent' | 'received';
  readonly transport: 'udp' | 'tcp' | 'tls';
  readonly local: { readonly address: string; readonly port: number };
  readonly remote: { readonly address: string; readonly port: number };
  /** Streams only: the connection the message travelled on. */
  readonly connectionId?: string;
  /** The exact bytes on the wire. */
  readonly bytes: Uint8Array;
}

export type TraceEncoding = 'raw' | 'deflate';

/*
 * Packed trace:
 *
 *   0      4         5          6               10
 *   +------+---------+----------+---------------+------------------------------+
 *   | TLTR | version | encoding | message count | body: messages back to back  |
 *   +------+---------+----------+---------------+ (encoding 0: as is; 1: raw   |
 *                                                  DEFLATE)
 *
 *   The count makes a blob cut at a message boundary detectable.
 *
 * One message in the body (multi-byte integers big-endian):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------------------------------------------------------+
 *   |                wall time ms (IEEE 754 float64)                |  0
 *   |                                                               |
 *   +---------------------------------------------------------------+
 *   |             monotonic time ms (IEEE 754 float64)              |  8
 *   |                                                               |
 *   +---------------+---------------+-------------------------------+
 *   |     flags     | local addr len|          local port           | 16
 *   +---------------+---------------+-------------------------------+
 *   |remote addr len|  conn id len  |          remote port          | 20
 *   +---------------+---------------+-------------------------------+
 *   |                        payload length                         | 24
 *   +---------------------------------------------------------------+
 *   | local address | remote address | connection id | payload ...  | 28
 *   +---------------------------------------------------------------+
 *
 *   flags: bit 0 = received (0: sent); bits 1–2 = transport (0 udp, 1 tcp, 2 tls); other bits 0.
 *   Addresses and the connection id are UTF-8; a connection id of length 0 means none.
 */
const MAGIC = Buffer.from('TLTR', 'latin1');
const FORMAT_VERSION = 1;
const OFFSET_VERSION = 4;
const OFFSET_ENCODING = 5;
const OFFSET_MESSAGE_COUNT = 6;
const PREAMBLE_BYTES = 10;

const WALL_TIME = 0;
const MONOTONIC_TIME = 8;
const FLAGS = 16;
const LOCAL_ADDRESS_LENGTH = 17;
const LOCAL_PORT = 18;
const REMOTE_ADDRESS_LENGTH = 20;
const CONNECTION_ID_LENGTH = 21;
const REMOTE_PORT = 22;
const PAYLOAD_LENGTH = 24;
const MESSAGE_HEADER_BYTES = 28;

const FLAG_RECEIVED = 0b1;
const TRANSPORT_SHIFT = 1;
const TRANSPORT_MASK = 0b11;
const TRANSPORTS = ['udp', 'tcp', 'tls'] as const;
const ENCODINGS: readonly TraceEncoding[] = ['raw', 'deflate'];

/*
 * A short call's trace is 2–5 KB, and every message repeats the headers of the one before it, a few hundred bytes
 * back: an 8 KB window (windowBits 13) finds the same matches as zlib's 32 KB default, and memLevel 6 keeps the
 * hash table at 16 K entries instead of 64 K. Setting up those tables dominated each call's deflate (zlib clears
 * them per stream): 29 → 11 µs per trace, the same bytes out for a short call (docs/adr/0153). `inflateRawSync`'s
 * default 32 KB window reads blobs written with any smaller one, so old and new blobs read alike.
 */
const TRACE_DEFLATE = { level: 1, windowBits: 13, memLevel: 6 } as const;

const MAX_FIELD_BYTES = 255;
const MAX_PORT = 65_535;

function invalid(index: number, what: string): StoreError {
  return new StoreError(
    'STORE_INVALID_RECORD',
    `SIP trace message ${index} is invalid: ${what}. Nothing was written.`,
  );
}

function checkedField(index: number, name: string, value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > MAX_FIELD_BYTES) throw invalid(index, `${name} is longer than ${MAX_FIELD_BYTES} bytes`);
  return bytes;
}

function checkedPort(index: number, name: string, port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > MAX_PORT) throw invalid(index, `${name} is not a port`);
  return port;
}

/** Packs messages in order; throws `STORE_INVALID_RECORD` for a message that cannot be stored faithfully. */
export function packSipTrace(messages: readonly StoredSipMessage[], encoding: TraceEncoding = 'raw'): Buffer {
  // Checked and measured first, then written into one buffer: this runs for every call at call end.
  const texts: [Buffer, Buffer, Buffer][] = [];
  let bodyBytes = 0;
  messages.forEach((m, index) => {
    if (!Number.isFinite(m.wallTimeMs) || !Number.isFinite(m.monotonicTimeMs)) {
      throw invalid(index, 'a time is not a finite number');
    }
    if (!(m.bytes instanceof Uint8Array)) throw invalid(index, 'bytes is not a Uint8Array');
    if (!TRANSPORTS.includes(m.transport)) throw invalid(index, 'transport is not udp, tcp or tls');
    if (m.direction !== 'sent' && m.direction !== 'received') {
      throw invalid(index, 'direction is not sent or received');
    }
    checkedPort(index, 'local port', m.local.port);
    checkedPort(index, 'remote port', m.remote.port);
    const fields: [Buffer, Buffer, Buffer] = [
      checkedField(index, 'local address', m.local.address),
      checkedField(index, 'remote address', m.remote.address),
      checkedField(index, 'connection id', m.connectionId ?? ''),
    ];
    texts.push(fields);
    bodyBytes +=
      MESSAGE_HEADER_BYTES + fields[0].length + fields[1].length + fields[2].length + m.bytes.length;
  });
  const raw = encoding === 'raw';
  const out = Buffer.allocUnsafe(raw ? PREAMBLE_BYTES + bodyBytes : bodyBytes);
  let offset = raw ? PREAMBLE_BYTES : 0;
  messages.forEach((m, index) => {
    const [local, remote, connection] = texts[index];
    const transport = TRANSPORTS.indexOf(m.transport);
    out.writeDoubleBE(m.wallTimeMs, offset + WALL_TIME);
    out.writeDoubleBE(m.monotonicTimeMs, offset + MONOTONIC_TIME);
    out.writeUInt8(
      (m.direction === 'received' ? FLAG_RECEIVED : 0) | (transport << TRANSPORT_SHIFT),
      offset + FLAGS,
    );
    out.writeUInt8(local.length, offset + LOCAL_ADDRESS_LENGTH);
    out.writeUInt16BE(m.local.port, offset + LOCAL_PORT);
    out.writeUInt8(remote.length, offset + REMOTE_ADDRESS_LENGTH);
    out.writeUInt8(connection.length, offset + CONNECTION_ID_LENGTH);
    out.writeUInt16BE(m.remote.port, offset + REMOTE_PORT);
    out.writeUInt32BE(m.bytes.length, offset + PAYLOAD_LENGTH);
    offset += MESSAGE_HEADER_BYTES;
    offset += local.copy(out, offset);
    offset += remote.copy(out, offset);
    offset += connection.copy(out, offset);
    out.set(m.bytes, offset);
    offset += m.bytes.length;
  });
  const preamble = raw ? out : Buffer.allocUnsafe(PREAMBLE_BYTES);
  MAGIC.copy(preamble, 0);
  preamble.writeUInt8(FORMAT_VERSION, OFFSET_VERSION);
  preamble.writeUInt8(ENCODINGS.indexOf(encoding), OFFSET_ENCODING);
  preamble.writeUInt32BE(messages.length, OFFSET_MESSAGE_COUNT);
  return raw ? out : Buffer.concat([preamble, deflateRawSync(out, TRACE_DEFLATE)]);
}

function corrupt(what: string): StoreError {
  return new StoreError('STORE_CORRUPT', `A stored SIP trace is damaged (${what}); it cannot be shown.`);
}

/** Unpacks a trace written by `packSipTrace`; throws `STORE_CORRUPT` when the blob is damaged. */
export function unpackSipTrace(packed: Uint8Array): StoredSipMessage[] {
  const blob = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  if (blob.length < PREAMBLE_BYTES || !blob.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw corrupt('no trace header');
  }
  if (blob.readUInt8(OFFSET_VERSION) !== FORMAT_VERSION) throw corrupt('unknown format version');
  const encoding = ENCODINGS[blob.readUInt8(OFFSET_ENCODING)];
  if (encoding === undefined) throw corrupt('unknown encoding');
  let body: Buffer;
  try {
    body =
      encoding === 'deflate' ? inflateRawSync(blob.subarray(PREAMBLE_BYTES)) : blob.subarray(PREAMBLE_BYTES);
  } catch {
    throw corrupt('the compressed body does not inflate');
  }
  const messages: StoredSipMessage[] = [];
  let offset = 0;
  while (offset < body.length) {
    if (body.length - offset < MESSAGE_HEADER_BYTES) throw corrupt('a message header is cut short');
    const flags = body.readUInt8(offset + FLAGS);
    const transport = TRANSPORTS[(flags >> TRANSPORT_SHIFT) & TRANSPORT_MASK];
    if (transport === undefined || flags >> 3 !== 0) throw corrupt('unknown message flags');
    const localLength = body.readUInt8(offset + LOCAL_ADDRESS_LENGTH);
    const remoteLength = body.readUInt8(offset + REMOTE_ADDRESS_LENGTH);
    const connectionLength = body.readUInt8(offset + CONNECTION_ID_LENGTH);
    const payloadLength = body.readUInt32BE(offset + PAYLOAD_LENGTH);
    let cursor = offset + MESSAGE_HEADER_BYTES;
    const end = cursor + localLength + remoteLength + connectionLength + payloadLength;
    if (end > body.length) throw corrupt('a message is cut short');
    const take = (length: number): Buffer => body.subarray(cursor, (cursor += length));
    const local = take(localLength).toString('utf8');
    const remote = take(remoteLength).toString('utf8');
    const connectionId = take(connectionLength).toString('utf8');
    messages.push({
      wallTimeMs: body.readDoubleBE(offset + WALL_TIME),
      monotonicTimeMs: body.readDoubleBE(offset + MONOTONIC_TIME),
      direction: flags & FLAG_RECEIVED ? 'received' : 'sent',
      transport,
      local: { address: local, port: body.readUInt16BE(offset + LOCAL_PORT) },
      remote: { address: remote, port: body.readUInt16BE(offset + REMOTE_PORT) },
      ...(connectionLength > 0 ? { connectionId } : {}),
      bytes: take(payloadLength),
    });
    offset = end;
  }
  if (messages.length !== blob.readUInt32BE(OFFSET_MESSAGE_COUNT)) throw corrupt('messages are missing');
  return messages;
}
