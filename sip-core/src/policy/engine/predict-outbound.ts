// The softphone's pre-dial check: the same rules as the emulator, run over what the user entered. A rule whose
// inputs are unknown is "not evaluated" and produces no warning; a rule that fails produces a warning with
// the hangup code Zentrunk would end the call with. Warnings never block dialling.

import type { Account } from '../account/account-schema.js';
import type { EvidenceGrade } from '../evidence.js';
import { DEFAULT_POLICY_SETTINGS, type PolicySettings } from '../settings/policy-settings.js';
import type { PartialCallAttempt } from './call-attempt.js';
import { runRules } from './evaluate.js';
import { causeOf } from '../catalogue/hangup-cause-lookup.js';
import type { TraceEntry } from './policy-decision.js';
import { viewOfAccount, viewOfKnowledge, type PreDialKnowledge } from './policy-view.js';

export interface DialIntent {
  /** What the user dialled. */
  readonly destination: string;
  /** The caller ID the phone will send (From user), when set. */
  readonly callerId?: string;
  /** The trunk domain the phone dials, when known (only useful with a full account). */
  readonly trunkDomain?: string;
  /** Anything else the phone knows about the request it will send. */
  readonly attempt?: PartialCallAttempt;
}

export interface PredictionWarning {
  /** The Zentrunk hangup code the call would end with, when the refusal has one. */
  readonly code: number | undefined;
  readonly causeName: string | undefined;
  readonly status: number | undefined;
  readonly ruleId: string;
  readonly section: string;
  readonly grade: EvidenceGrade;
  /** A sentence the user can act on. */
  readonly message: string;
}

export interface Prediction {
  readonly warnings: readonly PredictionWarning[];
  /** Every rule, including those not evaluated for lack of knowledge. */
  readonly trace: readonly TraceEntry[];
}

/**
 * Predicts Zentrunk's verdict on an outbound call. `knowledge` is what the user entered, or a full account
 * (the embedded emulator's) — then everything but the live counters and authentication is known.
 */
export function predictOutbound(
  intent: DialIntent,
  knowledge: PreDialKnowledge | { readonly account: Account },
  settings: PolicySettings = DEFAULT_POLICY_SETTINGS,
): Prediction {
  const view =
    'account' in knowledge ? viewOfAccount(knowledge.account, settings) : viewOfKnowledge(knowledge);
  const attempt: PartialCallAttempt = {
    method: 'INVITE',
    ...intent.attempt,
    requestUri: {
      scheme: 'sip',
      user: intent.destination,
      host: intent.trunkDomain,
      ...intent.attempt?.requestUri,
    },
    ...(intent.callerId === undefined ? {} : { fromUser: intent.callerId }),
  };
  const run = runRules(attempt, view, undefined, settings, 'predict');
  const warnings = run.failures.map(({ rule, result }): PredictionWarning => {
    const verdict = result.verdict;
    const reject =
      verdict?.kind === 'reject' ? verdict : verdict?.kind === 'queue' ? verdict.onTimeout : undefined;
    const cause =
      reject?.code === undefined ? undefined : causeOf(reject.code, reject.source, reject.causeName);
    const consequence = cause
      ? verdict?.kind === 'queue'
        ? `: Zentrunk will hold the call, and end it with ${cause.code} ${cause.causeName} if no slot frees up`
        : `: Zentrunk will end this call with ${cause.code} ${cause.causeName}`
      : reject
        ? `: Zentrunk will answer ${reject.status} ${reject.reasonPhrase}`
        : '';
    return {
      code: cause?.code,
      causeName: cause?.causeName,
      status: reject?.status,
      ruleId: rule.id,
      section: rule.section,
      grade: rule.grade,
      message: `${result.detail}${consequence}.`,
    };
  });
  return { warnings, trace: run.trace };
}
