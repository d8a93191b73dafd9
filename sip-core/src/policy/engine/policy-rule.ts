// The shape of a rule and of the context it reads. A rule is a small object: an id, the BEHAVIOUR.md section
// and evidence grade it rests on, and a pure `check`. The engine runs the ordered table in
// rules/outbound-rules.ts and records every outcome in the trace.

import type { Trunk } from '../account/account-schema.js';
import type { EvidenceGrade, HangupSource } from '../evidence.js';
import { classifyNumber, type NumberInfo } from '../numbers/number-intelligence.js';
import type { PolicySettings } from '../settings/policy-settings.js';
import type { PartialCallAttempt, PolicyCounters } from './call-attempt.js';
import type { HeaderField, RuleOutcome } from './policy-decision.js';
import type { PolicyView } from './policy-view.js';

/** A refusal as a rule states it; the engine adds the hangup headers and the trace. */
export interface RejectVerdict {
  readonly kind: 'reject';
  readonly status: number;
  readonly reasonPhrase: string;
  /** The Zentrunk hangup code, when the refusal is a call failure with a code. */
  readonly code?: number;
  /** Overrides the catalogue's first source (for codes with several). */
  readonly source?: HangupSource;
  /** Overrides the catalogue's name (the §20 name switches). */
  readonly causeName?: string;
  readonly headers?: readonly HeaderField[];
  readonly responseGrade: EvidenceGrade;
}

export type Verdict =
  | RejectVerdict
  | {
      readonly kind: 'challenge';
      readonly status: 401 | 407;
      readonly reasonPhrase: string;
      readonly realm: string;
      readonly algorithms: readonly ('MD5' | 'SHA-256')[];
      readonly responseGrade: EvidenceGrade;
    }
  | {
      readonly kind: 'queue';
      readonly maxWaitMs: number;
      readonly onTimeout: RejectVerdict;
      readonly responseGrade: EvidenceGrade;
    }
  | { readonly kind: 'drop'; readonly responseGrade: EvidenceGrade }
  | { readonly kind: 'answer'; readonly headers: readonly HeaderField[] };

export interface RuleResult {
  readonly outcome: RuleOutcome;
  /** One sentence about this attempt, written for the user. */
  readonly detail: string;
  /** Present on 'fail' (and on the OPTIONS answer, which ends evaluation with a 'pass'). */
  readonly verdict?: Verdict;
  /** Set by the secure-trunk rule when a plain offer is accepted without media (§20 alternative). */
  readonly media?: 'no-media';
}

export interface PolicyRule {
  /** Stable id, `area.check` (for example `caller-id.owned`); tests and the UI refer to it. */
  readonly id: string;
  readonly title: string;
  /** BEHAVIOUR.md section(s). */
  readonly section: string;
  /** The grade of the behaviour modelled (the status chosen may be graded separately on the verdict). */
  readonly grade: EvidenceGrade;
  /** Rules run for INVITE only unless they say `any-method`. */
  readonly scope?: 'any-method';
  check(context: RuleContext): RuleResult;
}

export const pass = (detail: string): RuleResult => ({ outcome: 'pass', detail });
export const skipped = (detail: string): RuleResult => ({ outcome: 'skipped', detail });
export const unknown = (detail: string): RuleResult => ({ outcome: 'unknown', detail });
export const fail = (detail: string, verdict: Verdict): RuleResult => ({ outcome: 'fail', detail, verdict });

/** Everything a rule may read. Number classification is lazy and shared between rules. */
export class RuleContext {
  readonly attempt: PartialCallAttempt;
  readonly view: PolicyView;
  readonly counters: PolicyCounters | undefined;
  readonly settings: PolicySettings;
  /** The trunk the lookup rule found; undefined before it runs or when unknown. */
  trunk: Trunk | undefined;
  #destination: NumberInfo | null | undefined;
  #callerId: { raw: string; info: NumberInfo } | null | undefined;

  constructor(
    attempt: PartialCallAttempt,
    view: PolicyView,
    counters: PolicyCounters | undefined,
    settings: PolicySettings,
  ) {
    this.attempt = attempt;
    this.view = view;
    this.counters = counters;
    this.settings = settings;
  }

  /** The dialled number: undefined when unknown, null when the Request-URI has no user part. */
  get destination(): NumberInfo | null | undefined {
    if (this.#destination === undefined) {
      const user = this.attempt.requestUri?.user;
      if (user === undefined) return undefined;
      this.#destination = user === null ? null : classifyNumber(stripUserParameters(user));
    }
    return this.#destination;
  }

  /**
   * The caller ID: P-Asserted-Identity, else From (or From only, per settings). Undefined when unknown, null
   * when the request carries none.
   */
  get callerId(): { raw: string; info: NumberInfo } | null | undefined {
    if (this.#callerId === undefined) {
      // P-Asserted-Identity wins when present (§20); an absent or unknown PAI falls back to the From user.
      const pai = this.settings.callerIdSource === 'pai-then-from' ? this.attempt.paiUser : null;
      const raw = pai ?? this.attempt.fromUser;
      if (raw === undefined) return undefined;
      this.#callerId = raw === null ? null : { raw, info: classifyNumber(stripUserParameters(raw)) };
    }
    return this.#callerId;
  }
}

/** Drops `;param` suffixes a user part may carry (`+14155550100;npdi`, RFC 4694). */
function stripUserParameters(user: string): string {
  const semicolon = user.indexOf(';');
  return semicolon < 0 ? user : user.slice(0, semicolon);
}
