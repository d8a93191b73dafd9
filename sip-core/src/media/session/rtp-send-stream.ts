import { RTP_FIXED_HEADER_BYTES, writeRtpPacket } from '../rtp/rtp-packet.js';
import { RtpSendStatistics } from '../rtp/rtp-send-statistics.js';

// One outgoing RTP stream's identity and counters (RFC 3550 §5.1): the SSRC, the sequence number and the
// timestamp, all starting at random values (§5.1: "the initial value … SHOULD be random" for sequence numbers and
// timestamps, §8 for the SSRC). Audio and telephone-events share all three (RFC 4733 §2.1: events are another
// payload type of the same stream, on the audio clock).
//
// The timestamp is derived from the frame index of the session's pacer, not counted per packet: frame n is
// sampled at initialTimestamp + n · samplesPerFrame whether or not a packet was sent for it, so hold, DTMF and
// skipped frames keep the timestamp on the sampling clock (§5.1: "the timestamp … reflects the sampling
// instant"), and the far end's jitter computation stays right across them.

export interface RtpSendStreamOptions {
  readonly ssrc: number;
  readonly initialSequence: number;
  readonly initialTimestamp: number;
  readonly clockRateHz: number;
  readonly samplesPerFrame: number;
}

export class RtpSendStream {
  readonly statistics: RtpSendStatistics;
  readonly #samplesPerFrame: number;
  readonly #initialTimestamp: number;
  #ssrc: number;
  #sequence: number;

  constructor(options: RtpSendStreamOptions) {
    this.#ssrc = options.ssrc >>> 0;
    this.#sequence = options.initialSequence & 0xffff;
    this.#initialTimestamp = options.initialTimestamp >>> 0;
    this.#samplesPerFrame = options.samplesPerFrame;
    this.statistics = new RtpSendStatistics(options.clockRateHz);
  }

  get ssrc(): number {
    return this.#ssrc;
  }

  /** A new SSRC after a collision (RFC 3550 §8.2); sequence and timestamp continue. */
  changeSsrc(ssrc: number): void {
    this.#ssrc = ssrc >>> 0;
  }

  /** The RTP timestamp of the sampling instant of frame `frameIndex`. */
  timestampOf(frameIndex: number): number {
    return (this.#initialTimestamp + frameIndex * this.#samplesPerFrame) >>> 0;
  }

  /**
   * Builds the next packet (taking a sequence number) in a new buffer and accounts it as sent at `sentMs`. A new
   * buffer because a transport may keep what it is given (node:dgram may queue a send; the impairment stage delays
   * packets): a reused buffer would be overwritten by the next packet before the first left.
   */
  packet(
    fields: { payloadType: number; marker: boolean; timestamp: number; payload: Uint8Array },
    sentMs: number,
  ): Buffer {
    const bytes = Buffer.allocUnsafe(RTP_FIXED_HEADER_BYTES + fields.payload.length);
    this.writePacket(bytes, fields.payloadType, fields.marker, fields.timestamp, fields.payload, sentMs);
    return bytes;
  }

  /**
   * `packet` into `target` (which must hold 12 + payload octets); returns the packet's length. For a caller that
   * knows the transport copies what it sends (SrtpTransport protects into a new buffer), so one buffer serves every
   * packet.
   */
  writePacket(
    target: Uint8Array,
    payloadType: number,
    marker: boolean,
    timestamp: number,
    payload: Uint8Array,
    sentMs: number,
  ): number {
    const length = writeRtpPacket(
      target,
      marker,
      payloadType,
      this.#sequence,
      timestamp,
      this.#ssrc,
      payload,
    );
    this.#sequence = (this.#sequence + 1) & 0xffff;
    this.statistics.onPacketSent(timestamp, payload.length, sentMs);
    return length;
  }
}
