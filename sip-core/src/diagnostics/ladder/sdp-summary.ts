// What a ladder shows of an SDP body: the audio stream's direction, codecs, address and port, and whether SRTP keys
// were offered — the suites only, never the keys (RFC 4568 §6.1: the inline key is the master key).

import {
  effectiveConnection,
  effectiveDirection,
  effectiveRtcp,
  type MediaDirection,
  parseSdp,
  payloadFormatsOf,
} from '../../media/sdp/index.js';

export interface SdpSummary {
  readonly direction: MediaDirection;
  /** Encoding names in offer order, e.g. `PCMU`, `PCMA`, `telephone-event`. */
  readonly codecs: readonly string[];
  /** The connection address and RTP port of the audio stream (port 0: the stream is refused). */
  readonly address: string | undefined;
  readonly port: number;
  /** Where RTCP goes: a=rtcp or the RTP port + 1; the RTP port itself under rtcp-mux. */
  readonly rtcpPort: number;
  /** The transport profile, e.g. `RTP/AVP` or `RTP/SAVP`. */
  readonly profile: string;
  /** Whether a=crypto lines were present. */
  readonly crypto: boolean;
  /** Their suites, e.g. `AES_CM_128_HMAC_SHA1_80`. */
  readonly cryptoSuites: readonly string[];
}

/** The summary of the first audio stream of `body`, or undefined when it is not SDP or has no audio. */
export function summarizeSdp(body: string): SdpSummary | undefined {
  let session;
  try {
    session = parseSdp(body);
  } catch {
    // Not SDP we can read: the ladder shows the message without a summary rather than failing.
    return undefined;
  }
  const media = session.media.find((m) => m.media === 'audio') ?? session.media[0];
  if (media === undefined) return undefined;
  return {
    direction: effectiveDirection(session, media),
    codecs: payloadFormatsOf(media).map((format) => format.encodingName),
    address: effectiveConnection(session, media)?.address,
    port: media.port,
    rtcpPort: media.rtcpMux ? media.port : effectiveRtcp(session, media).port,
    profile: media.proto,
    crypto: media.cryptos.length > 0,
    cryptoSuites: media.cryptos.map((crypto) => crypto.suite),
  };
}

/** `sendrecv PCMU,telephone-event SRTP(AES_CM_128_HMAC_SHA1_80) 127.0.0.1:40000` — one line for the ladder. */
export function formatSdpSummary(sdp: SdpSummary): string {
  const srtp = sdp.crypto ? ` SRTP(${sdp.cryptoSuites.join(',')})` : '';
  const where = sdp.address !== undefined ? ` ${sdp.address}:${sdp.port}` : ` port ${sdp.port}`;
  return `${sdp.direction} ${sdp.codecs.join(',') || 'no codec'}${srtp}${where}`;
}
