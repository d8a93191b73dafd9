import { ntpFromUnixMs } from '../rtcp/ntp-timestamp.js';
import type { RtcpSenderInfo } from '../rtcp/rtcp-sender-report.js';

// What a sender reports about itself in the sender info of an SR (RFC 3550 §6.4.1): packets and payload octets
// sent, and an (NTP, RTP) timestamp pair for the same instant. The RTP timestamp of "now" is extrapolated from the
// last packet sent, because reports are not sent at packet instants.

export interface RtpSendSnapshot {
  readonly packetsSent: number;
  readonly payloadOctetsSent: number;
  readonly lastSentMs: number | undefined;
}

export class RtpSendStatistics {
  readonly #clockRateHz: number;
  #packets = 0;
  #octets = 0;
  #lastTimestamp = 0;
  #lastSentMs: number | undefined;
  #sentSinceReport = false;

  constructor(clockRateHz: number) {
    this.#clockRateHz = clockRateHz;
  }

  /** Accounts one packet handed to the transport at `sentMs` (monotonic clock). */
  onPacketSent(timestamp: number, payloadBytes: number, sentMs: number): void {
    this.#packets++;
    this.#octets += payloadBytes;
    this.#lastTimestamp = timestamp;
    this.#lastSentMs = sentMs;
    this.#sentSinceReport = true;
  }

  /**
   * Whether an SR (rather than an RR) is due: RFC 3550 §6.4 sends an SR when we sent data since the previous report.
   * Reading it closes the interval.
   */
  takeSentSinceReport(): boolean {
    const sent = this.#sentSinceReport;
    this.#sentSinceReport = false;
    return sent;
  }

  /** Sender info for an SR built at `nowMs` (monotonic) / `nowWallMs` (Unix epoch). */
  senderInfo(nowMs: number, nowWallMs: number): RtcpSenderInfo {
    const ntp = ntpFromUnixMs(nowWallMs);
    const elapsedUnits =
      this.#lastSentMs === undefined ? 0 : ((nowMs - this.#lastSentMs) * this.#clockRateHz) / 1000;
    return {
      ntpSeconds: ntp.seconds,
      ntpFraction: ntp.fraction,
      rtpTimestamp: (this.#lastTimestamp + Math.round(elapsedUnits)) >>> 0,
      packetCount: this.#packets >>> 0,
      octetCount: this.#octets >>> 0,
    };
  }

  snapshot(): RtpSendSnapshot {
    return { packetsSent: this.#packets, payloadOctetsSent: this.#octets, lastSentMs: this.#lastSentMs };
  }
}
