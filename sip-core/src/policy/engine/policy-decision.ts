// What the engine decides, and the trace of how. A decision carries everything the emulator needs to answer
// (status, reason phrase, headers) and everything the UI needs to explain (hangup cause, rule, section and
// evidence grade).

import type { EvidenceGrade, HangupCause } from '../evidence.js';
import type { ClassifiedNumber } from '../numbers/number-intelligence.js';
import type { Trunk } from '../account/account-schema.js';

/** A header to add to the response, in order. */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

/** How a rule came out for this attempt. */
export type RuleOutcome =
  /** The check ran and the attempt passed it. */
  | 'pass'
  /** The check ran and the attempt failed it (reject, challenge, queue or drop). */
  | 'fail'
  /** The check does not apply to this attempt; `detail` says why. */
  | 'skipped'
  /** The check needs inputs that are unknown (pre-dial): not evaluated, never a failure. */
  | 'unknown';

export interface TraceEntry {
  readonly ruleId: string;
  readonly title: string;
  /** The BEHAVIOUR.md section the rule rests on, for example `§4.2 #12, §20`. */
  readonly section: string;
  readonly grade: EvidenceGrade;
  readonly outcome: RuleOutcome;
  /** One sentence about this attempt: why it passed, failed, or was skipped. */
  readonly detail: string;
}

interface DecisionBase {
  /** Every rule consulted, in order. */
  readonly trace: readonly TraceEntry[];
}

/** The rule that produced a non-allow decision. */
export interface DecidingRule {
  readonly ruleId: string;
  readonly section: string;
  /** The grade of the behaviour the rule models. */
  readonly grade: EvidenceGrade;
  /** The grade of the SIP status chosen (often `I` where Plivo documents only the cause). */
  readonly responseGrade: EvidenceGrade;
}

export interface RejectDecision extends DecisionBase, DecidingRule {
  readonly kind: 'reject';
  readonly status: number;
  readonly reasonPhrase: string;
  /** The hangup cause; undefined for refusals that create no call (405 to INFO, 420, out-of-dialog 481…). */
  readonly cause: HangupCause | undefined;
  readonly headers: readonly HeaderField[];
  /** One sentence for the user. */
  readonly explanation: string;
}

export interface ChallengeDecision extends DecisionBase, DecidingRule {
  readonly kind: 'challenge';
  readonly status: 401 | 407;
  readonly reasonPhrase: string;
  /** What the auth layer must put in the WWW-/Proxy-Authenticate header (it owns nonces). */
  readonly challenge: {
    readonly header: 'Proxy-Authenticate' | 'WWW-Authenticate';
    readonly realm: string;
    readonly qop: 'auth';
    readonly algorithms: readonly ('MD5' | 'SHA-256')[];
  };
  readonly headers: readonly HeaderField[];
  readonly explanation: string;
}

export interface QueueDecision extends DecisionBase, DecidingRule {
  readonly kind: 'queue';
  /** Hold the call at most this long for a free CPS slot, then send `onTimeout`. */
  readonly maxWaitMs: number;
  readonly onTimeout: RejectDecision;
  readonly explanation: string;
}

export interface DropDecision extends DecisionBase, DecidingRule {
  readonly kind: 'drop';
  /** Why nothing is sent (a visible event should say this). */
  readonly explanation: string;
}

export interface AnswerDecision extends DecisionBase {
  readonly kind: 'answer';
  readonly status: 200;
  readonly reasonPhrase: 'OK';
  readonly headers: readonly HeaderField[];
}

/** The STIR/SHAKEN result for the 200 OK (BEHAVIOUR.md §10). */
export interface StirResult {
  readonly verification: 'Verified' | 'Not Verified' | 'Not Applicable';
  readonly attestation: 'A' | 'B' | 'C' | null;
}

export interface AllowDecision extends DecisionBase {
  readonly kind: 'allow';
  readonly trunk: Trunk | undefined;
  /** The caller ID used (E.164) when known. */
  readonly callerId: ClassifiedNumber | undefined;
  readonly destination: ClassifiedNumber | undefined;
  /** `no-media`: the secure trunk accepted a plain RTP offer and sends no media (§20 alternative). */
  readonly media: 'normal' | 'no-media';
  readonly stir: StirResult;
  /** Headers for the 200 OK. */
  readonly headers: readonly HeaderField[];
}

export type PolicyDecision =
  AllowDecision | AnswerDecision | RejectDecision | ChallengeDecision | QueueDecision | DropDecision;
