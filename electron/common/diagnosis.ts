// The diagnosis of one call: its SIP ladder (participants, arrows, timing, each message's full text), the final
// and last responses, the hangup code with its meaning and remedy, the policy rule that fired, codec, SRTP and
// RTP statistics. These are plain data copies of sip-core's diagnostics model, so the renderer needs no Node code.

import type { CallSummary } from './history.js';

export interface LadderParticipantView {
  readonly id: number;
  readonly label: string;
  /** `127.0.0.1:5060` or `[::1]:5060`. */
  readonly endpoint: string;
  readonly local: boolean;
}

export interface SdpSummaryView {
  readonly direction: string;
  readonly codecs: readonly string[];
  readonly address: string | undefined;
  readonly port: number;
  readonly profile: string;
  readonly cryptoSuites: readonly string[];
}

export interface LadderArrowView {
  readonly index: number;
  readonly offsetMs: number;
  readonly from: number;
  readonly to: number;
  readonly transport: string;
  readonly kind: 'request' | 'response' | 'unparsed';
  readonly method: string;
  readonly status?: number;
  /** `INVITE`, `180 Ringing`. */
  readonly label: string;
  readonly retransmission: boolean;
  readonly transactionId?: string;
  readonly sdp?: SdpSummaryView;
  readonly hangupCode?: number;
  /** The whole message as sent or received, for "click an arrow"; SDES keys masked. */
  readonly text: string;
}

export interface CallLadderView {
  readonly callId: string | undefined;
  readonly participants: readonly LadderParticipantView[];
  readonly arrows: readonly LadderArrowView[];
  readonly outcome: { readonly kind: string; readonly summary: string };
  readonly finalResponse?: { readonly status: number; readonly reasonPhrase: string };
  readonly lastResponse?: { readonly status: number; readonly reasonPhrase: string; readonly method: string };
}

export interface CauseView {
  readonly code: number;
  readonly causeName: string;
  readonly sipStatus: number | undefined;
  readonly meaning: string;
  readonly remedy: string;
  readonly whatToCheck: string;
  /** True when guessed from a bare SIP status. */
  readonly inferred: boolean;
  readonly grade: string;
}

export interface HangupExplanationView {
  readonly headline: string;
  readonly hangupCode?: { readonly code: number; readonly origin: 'header' | 'inferred' | 'record' };
  readonly causes: readonly CauseView[];
  /** Values from the call's INVITE for the fields the causes point at. */
  readonly evidence: readonly { readonly label: string; readonly value: string }[];
  readonly note?: string;
}

export interface RtpDirectionStats {
  readonly packets?: number;
  readonly bytes?: number;
  readonly lost?: number;
  readonly jitterMs?: number;
}

export interface PolicyRuleView {
  readonly ruleId: string;
  readonly section: string | null;
  readonly grade: string | null;
}

export interface CallDiagnosis {
  readonly call: CallSummary;
  /** Every CDR field as stored (Zentrunk's names), for the details table. */
  readonly record: Readonly<Record<string, string | number | boolean | null>>;
  /** Undefined when the call has no stored SIP trace. */
  readonly ladder: CallLadderView | undefined;
  readonly explanation: HangupExplanationView;
  readonly policyRule: PolicyRuleView | undefined;
  readonly media: {
    readonly codec: string | null;
    readonly srtpSuite: string | null;
    readonly sent: RtpDirectionStats | undefined;
    readonly received: RtpDirectionStats | undefined;
  };
  /** Whether a local audio capture of the call exists (for the waveform; kept by the softphone). */
  readonly hasCapture: boolean;
}

/** A DTMF digit seen in a call's local capture, where it starts in the audio. */
export interface CaptureDtmfMarker {
  readonly direction: 'sent' | 'received';
  readonly digit: string;
  /** From the start of the capture's audio, in ms. */
  readonly offsetMs: number;
}

/** One track of a local capture: 8 kHz 16-bit mono WAV bytes, base64 (the command channel carries JSON). */
export interface CaptureTrack {
  readonly wavBase64: string;
  readonly sizeBytes: number;
}

/**
 * The softphone's local capture of one call, for the waveform: received and sent audio, DTMF markers, and whether
 * a PCAP of it exists. `none` is an honest empty state (an emulator-side call, or one placed before captures
 * were kept); `deleted` says who removed it (the user, or the size cap that deletes the oldest first).
 */
export type CallCaptureView =
  | { readonly state: 'none'; readonly callUuid: string }
  /** The call is still being recorded: ask again when it has ended. */
  | { readonly state: 'recording'; readonly callUuid: string }
  | {
      readonly state: 'deleted';
      readonly callUuid: string;
      readonly deletedAtMs: number;
      readonly reason: 'user' | 'size-cap' | 'unrecoverable';
    }
  | {
      readonly state: 'available';
      readonly callUuid: string;
      readonly startedAtMs: number;
      readonly durationMs: number;
      readonly sampleRateHz: number;
      /** Bytes on disk for this call's capture (audio, PCAP, sidecar). */
      readonly sizeBytes: number;
      /** Set when the per-call duration cap stopped the recording. */
      readonly truncated?: { readonly atMs: number; readonly reason: string };
      /** Set when the capture was cut by a crash and repaired at start. */
      readonly recovered?: string;
      readonly dtmf: readonly CaptureDtmfMarker[];
      readonly hasPcap: boolean;
      readonly received: CaptureTrack;
      readonly sent: CaptureTrack;
    };
