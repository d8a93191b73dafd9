// Every behaviour the policy engine models rests on a source of a known quality. The grades are those of
// zentrunk/BEHAVIOUR.md §0, so that a user can tell a documented Zentrunk behaviour from a guess.

/**
 * How well a behaviour is known (BEHAVIOUR.md §0).
 *
 * - `D`: documented by Plivo today.
 * - `D-old`: documented on an older revision of a Plivo page.
 * - `P`: stated in Plivo-authored code or skill files.
 * - `O`: observed by Plivo staff, explicitly not a contract.
 * - `I`: inferred (RFC default or implied by the cause name); the emulator makes these configurable.
 */
export type EvidenceGrade = 'D' | 'D-old' | 'P' | 'O' | 'I';

export const EVIDENCE_GRADES: readonly EvidenceGrade[] = ['D', 'D-old', 'P', 'O', 'I'];

/** Who ended the call, as Zentrunk writes `hangup_source` in CDRs (BEHAVIOUR.md §13). */
export type HangupSource = 'customer' | 'carrier' | 'zentrunk';

/** A Zentrunk hangup cause as it appears on a decision and in a CDR. */
export interface HangupCause {
  /** The four-digit `hangup_cause_code`. */
  readonly code: number;
  /** The cause name of the current public table (or the §20 choice where sources differ). */
  readonly causeName: string;
  /** Who the CDR blames. */
  readonly source: HangupSource;
  /** The `hangup_cause_name` a CDR shows, when it differs from the table's name (`insufficient_credits`). */
  readonly cdrCauseName: string;
}
