import type { MediaDirection } from '../sdp/session-description.js';
import type { SrtpMasterKey } from '../srtp/srtp-master-key.js';
import type { SrtpProfileName } from '../srtp/srtp-profile.js';

// The outcome of one offer/answer exchange for the audio stream: everything the media session needs to send and
// receive, and nothing about SDP. Keys are SrtpMasterKey objects, which never print their bytes.

export interface NegotiatedCodec {
  readonly payloadType: number;
  readonly encodingName: 'PCMU' | 'PCMA';
  readonly clockRateHz: number;
}

export interface NegotiatedTelephoneEvent {
  readonly payloadType: number;
  /** The events the peer accepts (RFC 4733 §2.4.1 fmtp), e.g. "0-16"; undefined when it did not say. */
  readonly events: string | undefined;
}

/** SRTP for the call; the shape SrtpTransport takes. */
export interface NegotiatedSrtp {
  readonly profile: SrtpProfileName;
  /** Our key (our a=crypto): we protect with it. */
  readonly sendKey: SrtpMasterKey;
  /** The peer's key (its a=crypto): we unprotect with it. */
  readonly receiveKey: SrtpMasterKey;
  /** The replay window to keep: the peer's WSH hint when it is larger than our default. */
  readonly replayWindowSize: number | undefined;
  /** The lifetime the peer put on its key, in packets. */
  readonly receiveKeyLifetimePackets: number | undefined;
}

export interface NegotiatedMedia {
  /** Index of the audio m= line in the description. */
  readonly mediaIndex: number;
  readonly remoteAddress: string;
  readonly remoteRtpPort: number;
  readonly remoteRtcpAddress: string;
  /** Equal to the RTP port under rtcp-mux. */
  readonly remoteRtcpPort: number;
  readonly rtcpMux: boolean;
  readonly codec: NegotiatedCodec;
  readonly telephoneEvent: NegotiatedTelephoneEvent | undefined;
  /** The packetisation the peer wants to receive (its a=ptime, bounded by its a=maxptime), in milliseconds. */
  readonly ptimeMs: number;
  /** What we do: sendrecv, sendonly (we hold or are held with music), recvonly (we are held), inactive. */
  readonly direction: MediaDirection;
  readonly srtp: NegotiatedSrtp | undefined;
}
