import type { DtmfReceiverStats } from '../dtmf/dtmf-receiver.js';
import type { ImpairedTransportStats } from '../impairment/impaired-rtp-transport.js';
import type { JitterBufferStats } from '../jitter/jitter-buffer.js';
import type { TransportAddress } from '../rtp/transport-address.js';
import type { MediaDirection } from '../sdp/session-description.js';
import type { SrtpProfileName } from '../srtp/srtp-profile.js';
import type { PacingStats } from './frame-pacer.js';

// The statistics snapshot a media session emits every second ('stats') and returns from `stats()`: what the call
// diagnostics, the hangup explanation and the checks show next to the SIP ladder. Plain data (JSON-safe), no keys.

export interface MediaSendStats {
  /** RTP packets sent (audio and telephone-events). */
  readonly packets: number;
  /** RTP payload octets sent. */
  readonly octets: number;
  readonly audioPackets: number;
  readonly dtmfPackets: number;
  /** DTMF digits whose sending has started. */
  readonly dtmfDigits: number;
  readonly rtcpPackets: number;
}

export interface MediaReceiveStats {
  /** RTP packets accepted (after SRTP, parsing and the SSRC policy). */
  readonly packets: number;
  readonly octets: number;
  /** RFC 3550 A.3 cumulative loss of the current source (negative when duplicates outnumber losses). */
  readonly lost: number;
  readonly expected: number;
  /** RFC 3550 A.8 interarrival jitter of the current source, ms. */
  readonly jitterMs: number;
  readonly ssrc: number | undefined;
  readonly dtmfPackets: number;
  readonly rtcpPackets: number;
  /** When the last RTP packet arrived (session clock), if any. */
  readonly lastPacketMs: number | undefined;
}

export interface MediaSessionStats {
  /** When the snapshot was taken (session clock, ms). */
  readonly atMs: number;
  readonly state: 'idle' | 'running' | 'closed';
  /** What we do: sendrecv, sendonly (we hold), recvonly (we are held), inactive. */
  readonly direction: MediaDirection | undefined;
  readonly codec: { readonly name: string; readonly payloadType: number } | undefined;
  readonly telephoneEventPayloadType: number | undefined;
  readonly srtpProfile: SrtpProfileName | undefined;
  readonly localSsrc: number;
  /** Where we send RTP now (after symmetric-RTP latching). */
  readonly remote: TransportAddress | undefined;
  readonly sent: MediaSendStats;
  readonly received: MediaReceiveStats;
  /** Round-trip time from the peer's last report block about our stream (RFC 3550 §6.4.1), ms. */
  readonly rttMs: number | undefined;
  readonly jitterBuffer: JitterBufferStats;
  readonly srtp: { readonly authFailures: number; readonly replays: number } | undefined;
  /**
   * Every dropped inbound datagram, by stage and reason: `srtp:auth-failed`, `srtp:replayed`, `srtcp:…`,
   * `rtp:truncated`, `rtp:wrong-version`, `rtp:oversized`, `rtp:unknown-payload-type`, `rtp:ssrc-collision`,
   * `session:wrong-ssrc`, `session:loop`, `rtcp:malformed` …
   */
  readonly drops: Readonly<Record<string, number>>;
  readonly dropsTotal: number;
  readonly pacing: PacingStats;
  readonly dtmfReceiver: DtmfReceiverStats;
  readonly impairment: ImpairedTransportStats | undefined;
}
