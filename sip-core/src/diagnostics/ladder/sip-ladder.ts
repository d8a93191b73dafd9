// The SIP ladder of one call as data: who took part, every message in order with its time offset, how messages
// group into transactions (RFC 3261 §17.1.3 matching: top Via branch + CSeq method) and dialogs (§12: Call-ID and
// both tags), which were retransmissions, what the SDP said, and how the call ended. The text renderer, the UI and
// the check reports all draw this same model.

import type { MediaDirection } from '../../media/sdp/index.js';
import type { SipTransportProtocol, SocketAddress } from '../../sip/transport/index.js';
import type { SdpSummary } from './sdp-summary.js';
import { hostAndPort } from '../../common/host-port.js';

export interface LadderParticipant {
  /** Index in `participants`; arrows refer to it. */
  readonly id: number;
  readonly address: string;
  readonly port: number;
  /** Who it is, e.g. `Zentrunk`, `PBX`, `Caller`. */
  readonly label: string;
  /** Whether this end is the process that recorded the trace. */
  readonly local: boolean;
}

export interface LadderArrow {
  readonly index: number;
  /** Milliseconds since the first message. */
  readonly offsetMs: number;
  readonly timestampMs: number;
  readonly from: number;
  readonly to: number;
  readonly transport: SipTransportProtocol;
  readonly kind: 'request' | 'response' | 'unparsed';
  /** The request method, or the method of the request a response answers (from CSeq). */
  readonly method: string;
  readonly status?: number;
  readonly reasonPhrase?: string;
  /** `INVITE`, `180 Ringing`, or for an unparsed message what was wrong. */
  readonly label: string;
  readonly cseq?: number;
  /** `T1`, `T2`… in order of first appearance. */
  readonly transactionId?: string;
  /** `D1`, `D2`… for messages that carry both tags. */
  readonly dialogId?: string;
  /** The same bytes were sent before between the same ends, or the recorder marked it as re-sent. */
  readonly retransmission: boolean;
  readonly sdp?: SdpSummary;
  /** `X-ZT-Hangup-Code` when the message carries it. */
  readonly hangupCode?: number;
  /** The Reason header (RFC 3326) as written. */
  readonly reasonHeader?: string;
  /** The Request-URI of a request (its password, if any, masked). */
  readonly requestUri?: string;
}

export interface LadderTransaction {
  readonly id: string;
  readonly method: string;
  readonly branch: string | undefined;
  readonly arrows: readonly number[];
  /** The first final response (≥ 200), when there was one. */
  readonly finalStatus?: number;
}

export interface LadderDialog {
  readonly id: string;
  readonly callId: string;
  readonly tags: readonly [string, string];
  readonly arrows: readonly number[];
}

export interface LadderResponseRef {
  readonly arrow: number;
  readonly status: number;
  readonly reasonPhrase: string;
  readonly method: string;
}

/**
 * How the call ended:
 *
 *   INVITE ─┬─ 2xx ──► answered ──► (BYE from endedBy)
 *           ├─ 487 after CANCEL ──► cancelled (endedBy: who sent the CANCEL)
 *           ├─ 3xx–6xx ──► rejected (endedBy: who sent the response)
 *           └─ nothing final ──► no-final-response
 *   no INVITE ──► no-invite (e.g. OPTIONS or REGISTER only)
 */
export type LadderOutcomeKind = 'answered' | 'rejected' | 'cancelled' | 'no-final-response' | 'no-invite';

export interface LadderOutcome {
  readonly kind: LadderOutcomeKind;
  /** The participant that ended the call (sent the BYE, the CANCEL or the rejection). */
  readonly endedBy?: number;
  /** The status that decided it: the INVITE's final response. */
  readonly status?: number;
  readonly summary: string;
}

export interface LadderHangup {
  /** `X-ZT-Hangup-Code`, when a message carried it. */
  readonly code?: number;
  /** The Reason header value (e.g. `SIP;cause=403;text="unknown_caller_id"`). */
  readonly reason?: string;
  /** The arrow that carried them. */
  readonly arrow: number;
}

/** What the call's initial INVITE asked for: the fields a hangup explanation points at. */
export interface LadderInviteSummary {
  readonly arrow: number;
  /** The Request-URI (a password in it masked). */
  readonly requestUri: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly pAssertedIdentity: string | undefined;
  /** Whether the INVITE (or a re-sent one) carried Authorization or Proxy-Authorization (never their values). */
  readonly credentials: boolean;
  readonly sdp?: SdpSummary;
}

export interface SipLadder {
  readonly callId: string | undefined;
  readonly startedAtMs: number;
  readonly participants: readonly LadderParticipant[];
  readonly arrows: readonly LadderArrow[];
  readonly transactions: readonly LadderTransaction[];
  readonly dialogs: readonly LadderDialog[];
  /** The call's initial INVITE (the first INVITE without a To tag). */
  readonly invite?: LadderInviteSummary;
  /** The final response to the call's initial INVITE. */
  readonly finalResponse?: LadderResponseRef;
  /** The last response of the whole ladder (for an answered call usually the 200 to BYE). */
  readonly lastResponse?: LadderResponseRef;
  readonly outcome: LadderOutcome;
  readonly hangup?: LadderHangup;
  /** The negotiated direction of the last answer, for one-glance hold state. */
  readonly lastDirection?: MediaDirection;
}

/** `127.0.0.1:5060` or `[::1]:5060`. */
export function formatEndpoint(endpoint: SocketAddress): string {
  return hostAndPort(endpoint.address, endpoint.port);
}
