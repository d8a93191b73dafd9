// The RTP payload of RFC 4733 §2.3 ("telephone-event"): one named event per 4-octet block.
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |     event     |E|R|  volume   |           duration            |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
//   event     octet 0       the event code (RFC 4733 §3.2: 0-9, * = 10, # = 11, A-D = 12-15, flash = 16)
//   E         octet 1 bit 7 the end of the event (this packet reports the final duration)
//   R         octet 1 bit 6 reserved: sent as zero, ignored on receipt (§2.3.3)
//   volume    octet 1 bits 0-5  power level of the tone in -dBm0, 0 … 63 (§2.3.4)
//   duration  octets 2-3    unsigned, in RTP timestamp units since the event's timestamp (§2.3.5)
//
// RFC 4733 §2.5.1.5 lets a packet carry several blocks; for DTMF they do not occur in practice, so the parser
// reads the first block and ignores the rest (the receiver counts nothing lost by this).

import { DtmfError } from './dtmf-error.js';

const EVENT_OFFSET = 0;
const FLAGS_OFFSET = 1;
const DURATION_OFFSET = 2;
const END_BIT = 0x80;
const RESERVED_BIT = 0x40;
const VOLUME_MASK = 0x3f;

/** Octets in one telephone-event block. */
export const TELEPHONE_EVENT_BYTES = 4;
/** The largest duration one event segment can report (RFC 4733 §2.5.1.3). */
export const MAX_EVENT_DURATION = 0xffff;
/** The largest volume (the quietest level, -63 dBm0). */
export const MAX_EVENT_VOLUME = 63;

/** One decoded telephone-event block. */
export interface TelephoneEvent {
  /** The event code, 0 … 255. */
  readonly event: number;
  /** The E bit: the final packet(s) of the event. */
  readonly end: boolean;
  /** The R bit as received; always sent as false. */
  readonly reserved: boolean;
  /** Tone power in -dBm0, 0 … 63. */
  readonly volume: number;
  /** Duration in RTP timestamp units, 0 … 65535. */
  readonly duration: number;
}

/** Decodes the first event block of a telephone-event payload; a payload under 4 octets is a `DtmfError`. */
export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent {
  if (payload.length < TELEPHONE_EVENT_BYTES) {
    throw new DtmfError(
      'DTMF_PAYLOAD_TOO_SHORT',
      `A telephone-event payload needs ${TELEPHONE_EVENT_BYTES} octets; this one has ${payload.length}.`,
    );
  }
  const flags = payload[FLAGS_OFFSET] ?? 0;
  return {
    event: payload[EVENT_OFFSET] ?? 0,
    end: (flags & END_BIT) !== 0,
    reserved: (flags & RESERVED_BIT) !== 0,
    volume: flags & VOLUME_MASK,
    duration: ((payload[DURATION_OFFSET] ?? 0) << 8) | (payload[DURATION_OFFSET + 1] ?? 0),
  };
}

function checkField(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new DtmfError(
      'DTMF_INVALID_FIELD',
      `The telephone-event ${name} must be an integer 0 … ${max}, not ${value}.`,
    );
  }
}

/** Encodes one event block; the R bit is sent as zero unless `reserved` is true (for tests of receivers). */
export function serializeTelephoneEvent(
  event: Omit<TelephoneEvent, 'reserved'> & { reserved?: boolean },
  out: Uint8Array = Buffer.alloc(TELEPHONE_EVENT_BYTES),
): Uint8Array {
  checkField('event', event.event, 0xff);
  checkField('volume', event.volume, MAX_EVENT_VOLUME);
  checkField('duration', event.duration, MAX_EVENT_DURATION);
  if (out.length < TELEPHONE_EVENT_BYTES) {
    throw new DtmfError('DTMF_INVALID_FIELD', `The output buffer needs ${TELEPHONE_EVENT_BYTES} octets.`);
  }
  out[EVENT_OFFSET] = event.event;
  out[FLAGS_OFFSET] = (event.end ? END_BIT : 0) | (event.reserved === true ? RESERVED_BIT : 0) | event.volume;
  out[DURATION_OFFSET] = event.duration >> 8;
  out[DURATION_OFFSET + 1] = event.duration & 0xff;
  return out;
}
