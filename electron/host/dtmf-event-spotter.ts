// Where DTMF digits start in a call, from its RTP as the packet tap sees it (sent before SRTP, received after):
// an RFC 4733 telephone-event packet with a timestamp not seen before in its direction starts a digit (§2.5.1.3:
// every packet of one event carries the event's start timestamp; retransmitted end packets repeat it).
//
//   RTP header (RFC 3550 §5.1)              telephone-event payload (RFC 4733 §2.3)
//   byte 1: M | payload type (7 bits)       byte 0: event code (0-9, 10 '*', 11 '#', 12-15 'A'-'D')
//   bytes 4-7: timestamp                    byte 1: E | R | volume   bytes 2-3: duration
//   CSRC count (byte 0, low 4 bits) and the X bit (byte 0, 0x10) move the payload.

const RTP_FIXED_HEADER_BYTES = 12;
const EVENT_SYMBOLS = '0123456789*#ABCD';

export interface DtmfStart {
  readonly direction: 'sent' | 'received';
  readonly digit: string;
}

export class DtmfEventSpotter {
  readonly #lastTimestamp = new Map<'sent' | 'received', number>();

  /**
   * The digit this packet starts, if any. `payloadType` is the negotiated telephone-event type (undefined while
   * none was negotiated: nothing is spotted).
   */
  push(
    direction: 'sent' | 'received',
    rtp: Uint8Array,
    payloadType: number | undefined,
  ): DtmfStart | undefined {
    if (payloadType === undefined || rtp.length < RTP_FIXED_HEADER_BYTES + 4) return undefined;
    if (rtp[0] >> 6 !== 2 || (rtp[1] & 0x7f) !== payloadType) return undefined;
    const view = new DataView(rtp.buffer, rtp.byteOffset, rtp.byteLength);
    const timestamp = view.getUint32(4);
    let payload = RTP_FIXED_HEADER_BYTES + (rtp[0] & 0x0f) * 4;
    if ((rtp[0] & 0x10) !== 0) {
      if (rtp.length < payload + 4) return undefined;
      payload += 4 + view.getUint16(payload + 2) * 4;
    }
    if (rtp.length < payload + 4) return undefined;
    const symbol = EVENT_SYMBOLS[rtp[payload]];
    if (symbol === undefined || this.#lastTimestamp.get(direction) === timestamp) return undefined;
    this.#lastTimestamp.set(direction, timestamp);
    return { direction, digit: symbol };
  }
}
