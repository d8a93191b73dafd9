// The typed events of one call (mediasoup's habit: an event map per entity; a listener that throws never breaks
// the call). Plain data only, so the host can forward them over IPC as they are; nothing here carries key material
// or credentials.

import type { MediaDirection } from '../media/sdp/index.js';
import type { MediaSessionStats } from '../media/session/index.js';
import type { PredictionWarning } from '../policy/index.js';
import type { HangupExplanation } from './hangup-explanation.js';

/**
 * Where a call is. Outbound calls start in `dialling`, inbound calls in `incoming`:
 *
 *   dialling ──1xx──► ringing ──183+SDP──► early-media ──2xx──► answered ──BYE──► ending ──► ended
 *      │                 │                      │                  ▲
 *      └─────────────────┴──── final non-2xx, CANCEL, timeout ─────┼──────────────────────► ended
 *   incoming ──accept──────────────────────────────────────────────┘   (decline, caller's CANCEL ──► ended)
 */
export type CallState = 'dialling' | 'ringing' | 'early-media' | 'incoming' | 'answered' | 'ending' | 'ended';

export type CallDirection = 'outbound' | 'inbound';

/** A provisional response to our INVITE. */
export interface CallProgress {
  readonly statusCode: number;
  readonly reasonPhrase: string;
  /** The response carried an SDP answer: the far end plays early media (ringback, announcements). */
  readonly earlyMedia: boolean;
}

/** The media as negotiated: what a user sees next to the call (codec, SRTP, hold). */
export interface CallMediaState {
  readonly codec: 'PCMU' | 'PCMA';
  readonly payloadType: number;
  /** The SDES suite in use, or undefined for plain RTP. */
  readonly srtpSuite: string | undefined;
  /** What we do: sendrecv, sendonly (we hold), recvonly (we are held), inactive. */
  readonly direction: MediaDirection;
  readonly telephoneEvent: boolean;
  readonly remote: { readonly address: string; readonly port: number };
  readonly localPort: number | undefined;
}

/** Audio levels in dBFS (AES17) over the last second: what we send and what we hear. */
export interface CallAudioLevels {
  readonly sentDbfs: number | undefined;
  readonly receivedDbfs: number | undefined;
}

/** The statistics snapshot the media session takes every second, with the audio levels. */
export interface CallStats {
  readonly media: MediaSessionStats;
  readonly levels: CallAudioLevels;
}

/** A DTMF digit the far end sent by RFC 4733, reported when it ends. */
export interface ReceivedDtmf {
  readonly digit: string;
  readonly durationMs: number;
  /** When it ended, on the session clock (ms). */
  readonly atMs: number;
}

/** How a transfer we asked for (REFER) or that was asked of us goes (RFC 3515, BEHAVIOUR.md §7). */
export type TransferProgress =
  | { readonly kind: 'requested'; readonly mode: 'blind' | 'attended'; readonly referTo: string }
  /** The REFER was accepted (202): NOTIFYs follow. */
  | { readonly kind: 'accepted'; readonly statusCode: number }
  /** The REFER was refused (403: target outside the trunk domain, 400: malformed): the call goes on. */
  | { readonly kind: 'rejected'; readonly statusCode: number; readonly reasonPhrase: string }
  /** A NOTIFY with a provisional sipfrag (100 Trying, 180 Ringing). */
  | { readonly kind: 'progress'; readonly statusCode: number; readonly reasonPhrase: string }
  /** NOTIFY sipfrag 2xx: the target answered. Zentrunk now ends this leg with a BYE. */
  | { readonly kind: 'succeeded'; readonly statusCode: number; readonly reasonPhrase: string }
  /** NOTIFY sipfrag ≥ 300, or the subscription ended without a final status: the call goes on. */
  | { readonly kind: 'failed'; readonly statusCode: number | undefined; readonly reasonPhrase: string }
  /**
   * After success the transferor leg ended: by the trunk's BYE, or by ours when that BYE did not come within the
   * bounded wait (`detail` says so).
   */
  | { readonly kind: 'leg-ended'; readonly by: 'trunk' | 'local-timeout'; readonly detail: string }
  /** The far end asked us to transfer (an incoming REFER): we call `referTo` in a new call. */
  | { readonly kind: 'referred'; readonly referTo: string; readonly newCallId: string | undefined };

export type TransferOutcome =
  | { readonly ok: true; readonly statusCode: number; readonly reasonPhrase: string }
  | { readonly ok: false; readonly statusCode: number | undefined; readonly reasonPhrase: string };

export type CallWarning =
  /** The pre-dial check (policy engine) predicts a refusal; never blocking. */
  | { readonly kind: 'pre-dial'; readonly prediction: PredictionWarning }
  | { readonly kind: 'media'; readonly message: string }
  | { readonly kind: 'signalling'; readonly message: string };

export type CallOutcome =
  /** Answered, then ended by a BYE (either side). */
  | 'answered'
  /** Our INVITE got a final non-2xx (or no response). */
  | 'rejected'
  /** We cancelled before answer. */
  | 'cancelled'
  /** An inbound call we declined, or that the caller cancelled before we answered. */
  | 'declined'
  | 'missed'
  /** Ended after a successful transfer. */
  | 'transferred';

export interface CallTimings {
  /** When the call started (INVITE sent or received), Unix ms. */
  readonly startedAtMs: number;
  readonly answeredAtMs: number | undefined;
  readonly endedAtMs: number;
  /** INVITE sent → first 18x (or the final response when none came). Outbound only. */
  readonly postDialDelayMs: number | undefined;
  /** INVITE sent (or received) → answer. */
  readonly timeToAnswerMs: number | undefined;
  /** Answer → end. */
  readonly durationMs: number | undefined;
}

export interface CallEnd {
  readonly outcome: CallOutcome;
  readonly endedBy: 'local' | 'remote' | 'network';
  readonly hangup: HangupExplanation;
  readonly timings: CallTimings;
  /** The last media state and statistics, when media ran. */
  readonly media: CallMediaState | undefined;
  readonly stats: MediaSessionStats | undefined;
}

export interface CallEvents {
  state: (state: CallState, previous: CallState) => void;
  progress: (progress: CallProgress) => void;
  media: (media: CallMediaState) => void;
  stats: (stats: CallStats) => void;
  dtmf: (dtmf: ReceivedDtmf) => void;
  transfer: (progress: TransferProgress) => void;
  warning: (warning: CallWarning) => void;
  ended: (end: CallEnd) => void;
}
