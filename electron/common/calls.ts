// Live calls of the softphone: what the Phone view shows while a call is set up, talking, on hold or being
// transferred. The host implements these once the softphone user agent (sip-core/src/ua) is wired.

/**
 * A call's state as the UI shows it:
 *
 *   dialling ──► ringing ──► connected ⇄ on-hold
 *       │           │            │
 *       └───────────┴────────────┴──► ended
 *   incoming ──(answer)──► connected        incoming ──(decline / cancelled)──► ended
 */
export type CallState = 'dialling' | 'ringing' | 'incoming' | 'connected' | 'on-hold' | 'ended';

export type TransferState = 'none' | 'in-progress' | 'succeeded' | 'failed';

export interface CallMediaInfo {
  readonly codec: 'PCMU' | 'PCMA' | undefined;
  /** The SRTP suite in use, e.g. `AES_CM_128_HMAC_SHA1_80`; undefined: plain RTP. */
  readonly srtpSuite: string | undefined;
}

export interface CallSnapshot {
  /** The host's id for the call (the CDR's `call_uuid` once it ends). */
  readonly callId: string;
  readonly direction: 'outbound' | 'inbound';
  readonly remoteNumber: string;
  readonly callerId: string | undefined;
  readonly profileId: string;
  readonly state: CallState;
  readonly startedAtMs: number;
  readonly answeredAtMs: number | undefined;
  readonly muted: boolean;
  readonly media: CallMediaInfo;
  readonly transfer: TransferState;
  /** The transfer's last status as the trunk reported it (sipfrag), e.g. `200 OK` or `486 Busy Here`. */
  readonly transferDetail?: string;
  /** Set once ended: the hangup code and its short explanation. */
  readonly hangup?: {
    readonly code: number | undefined;
    readonly causeName: string | undefined;
    readonly message: string;
  };
}

export interface DialRequest {
  readonly profileId: string;
  readonly destination: string;
  readonly callerId?: string;
}

export type DtmfDigit =
  '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

export interface TransferRequest {
  readonly callId: string;
  /** Blind: a number or SIP URI. */
  readonly target: string;
}

export interface AttendedTransferRequest {
  readonly callId: string;
  /** The consultation call to replace the transferred party with (RFC 3891 Replaces). */
  readonly consultationCallId: string;
}
