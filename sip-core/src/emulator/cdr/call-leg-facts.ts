// The facts of a finished call leg, as the call-handling layer knows them: plain data gathered during the call.
// `buildCdr` turns them into the store's record with Zentrunk's fields; nothing here is computed yet.

import type { Clock } from '../../common/clock.js';
import type { RtpReceptionSnapshot, RtpSendSnapshot } from '../../media/rtp/index.js';
import type { MediaReceiveStats, MediaSendStats } from '../../media/session/index.js';
import type { EvidenceGrade, HangupCause, SipTransport, StirResult, Trunk } from '../../policy/index.js';
import type { JsonValue } from '../../store/index.js';

/** A moment of the call on both of the Clock's scales: wall time for the CDR, monotonic time for durations. */
export interface LegInstant {
  readonly wallMs: number;
  readonly monotonicMs: number;
}

/** Reads both scales of `clock` at once. */
export function instantNow(clock: Pick<Clock, 'now' | 'wallNow'>): LegInstant {
  return { wallMs: clock.wallNow(), monotonicMs: clock.now() };
}

/** The rule a call's end rests on: a policy rule (`decision.ruleId`…) or a far-end rule of the script. */
export interface DecidingRuleFacts {
  readonly ruleId: string;
  readonly section: string;
  readonly grade: EvidenceGrade;
}

export interface CallLegFacts {
  /** The leg's id, chosen when the call started (a transfer leg names its parent by it). */
  readonly callUuid: string;
  /** The SIP Call-ID; null for a request that had none. */
  readonly callId: string | null;
  readonly direction: 'inbound' | 'outbound';
  /** The caller as presented (the caller ID the policy read, or the From user part). */
  readonly from: string;
  /** The destination as dialled (outbound) or the DID (inbound). */
  readonly to: string;
  /** The account's trunk, when one was found (outbound trunk, or the DID's inbound trunk). */
  readonly trunk: Trunk | undefined;
  /** The Request-URI host, for the CDR's trunk_domain when no trunk was found (4070 trunk_not_found). */
  readonly requestHost: string;
  readonly transport: SipTransport;
  /** Where the INVITE came from (outbound) or went to (inbound). */
  readonly peer: { readonly address: string; readonly port: number } | null;
  readonly times: {
    /** The INVITE arrived (outbound) or was sent (inbound). */
    readonly initiated: LegInstant;
    /** The first 180 or 183, if any: the end of the post-dial delay. */
    readonly alerted?: LegInstant;
    readonly answered?: LegInstant;
    readonly ended: LegInstant;
  };
  /** The final response to the INVITE (200 when answered); null when there was none (a dropped request). */
  readonly finalResponse: { readonly status: number; readonly reasonPhrase: string } | null;
  readonly cause: HangupCause;
  readonly decidedBy?: DecidingRuleFacts;
  /** The negotiated codec (`PCMU`, `PCMA`), when media was set up. */
  readonly codec?: string | null;
  /** The SDES suite in use (`AES_CM_128_HMAC_SHA1_80`), or null for plain RTP. */
  readonly srtpSuite?: string | null;
  /** RTP statistics: media/rtp snapshots, or a media session's summary of both directions. */
  readonly rtp?: {
    readonly sent?: RtpSendSnapshot | MediaSendStats;
    readonly received?: RtpReceptionSnapshot | MediaReceiveStats;
  };
  /** How long the call waited in the account CPS queue. */
  readonly queueDelayMs?: number;
  /** The original leg of a transfer leg (§7, §20). */
  readonly parentCallUuid?: string;
  /** From the policy's allow decision; `Not Applicable` when absent. */
  readonly stir?: StirResult;
  /** The far-end scenario's name, for the CDR's extras. */
  readonly farEndScenario?: string;
  readonly extras?: Readonly<Record<string, JsonValue>>;
}
