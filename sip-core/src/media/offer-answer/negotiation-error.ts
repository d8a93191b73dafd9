import { TrunklineError } from '../../common/errors.js';

// Why an offer/answer exchange failed. When we are answering, the caller rejects the offer with
// `sipStatusCode` (488 Not Acceptable Here, RFC 3261 §21.4.26) and may put `warning` in a Warning header (RFC 3261
// §20.43, code 304/305/399); the Zentrunk explainer maps `failure` to its hangup causes (4620
// codec_not_acceptable_here, 4110 secure_trunking_disabled…). When we are processing an answer to our own offer the
// session cannot go on as offered: the caller ends the call or makes a new offer (RFC 3264 §6).

export type NegotiationFailure =
  /** No audio m= line with a non-zero port in the offer. */
  | 'no-audio-stream'
  /** An audio stream, but none of its codecs is PCMU or PCMA. */
  | 'no-common-codec'
  /** SRTP is mandatory here and the offer is plain RTP. */
  | 'srtp-required'
  /** SRTP is off here and the offer is RTP/SAVP. */
  | 'srtp-refused'
  /** RTP/SAVP (or best-effort SRTP) with no a=crypto line we can use. */
  | 'no-acceptable-crypto'
  /** A transport we do not speak (DTLS-SRTP's UDP/TLS/RTP/SAVP, RTP/SAVPF…). */
  | 'unsupported-transport'
  /** The answer put our audio stream on port 0. */
  | 'stream-rejected'
  /** The answer does not match the offer (m= lines, protocol, payload types, crypto tags). */
  | 'answer-mismatch'
  /** An answer arrived while no offer of ours was pending. */
  | 'unexpected-answer';

export class NegotiationError extends TrunklineError {
  readonly failure: NegotiationFailure;
  /** The SIP status that rejects an offer for this reason. */
  readonly sipStatusCode = 488;
  /** A short explanation for a Warning header or a hangup report (never key material). */
  readonly warning: string;

  constructor(failure: NegotiationFailure, warning: string) {
    super(`SDP_${failure.toUpperCase().replace(/-/g, '_')}`, `SDP negotiation failed: ${warning}`);
    this.failure = failure;
    this.warning = warning;
  }
}
