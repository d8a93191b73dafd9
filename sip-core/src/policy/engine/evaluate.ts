// The policy engine: runs the ordered rule table over an attempt and turns the first failing rule's verdict
// into a decision. Pure and synchronous: the account, the counters and the settings are inputs, the decision
// and its trace are the output. The emulator enforces the decision; the softphone predicts it
// (predict-outbound.ts) with the very same rules.

import type { Account } from '../account/account-schema.js';
import { causeOf } from '../catalogue/hangup-cause-lookup.js';
import { DEFAULT_POLICY_SETTINGS, type PolicySettings } from '../settings/policy-settings.js';
import { OUTBOUND_RULES } from '../rules/outbound-rules.js';
import type { CallAttempt, PartialCallAttempt, PolicyCounters } from './call-attempt.js';
import type {
  HeaderField,
  PolicyDecision,
  RejectDecision,
  StirResult,
  TraceEntry,
} from './policy-decision.js';
import { RuleContext, type PolicyRule, type RejectVerdict, type RuleResult } from './policy-rule.js';
import { viewOfAccount, type PolicyView } from './policy-view.js';

/** A rule that failed, with its result. */
export interface RuleFailure {
  readonly rule: PolicyRule;
  readonly result: RuleResult;
}

export interface RuleRun {
  readonly context: RuleContext;
  readonly trace: readonly TraceEntry[];
  /** Failures in order (enforce mode stops at the first terminal one). */
  readonly failures: readonly RuleFailure[];
  /** The OPTIONS answer, when the method rule produced one. */
  readonly answer: RuleFailure | undefined;
  readonly media: 'normal' | 'no-media';
}

/**
 * Runs the rules in order. `enforce` stops at the first terminal verdict (a queue verdict is held while later
 * rules run, so a call that would fail anyway is refused at once instead of queued); `predict` runs every rule
 * and collects every failure.
 */
export function runRules(
  attempt: PartialCallAttempt,
  view: PolicyView,
  counters: PolicyCounters | undefined,
  settings: PolicySettings,
  mode: 'enforce' | 'predict',
  rules: readonly PolicyRule[] = OUTBOUND_RULES,
): RuleRun {
  const context = new RuleContext(attempt, view, counters, settings);
  const trace: TraceEntry[] = [];
  const failures: RuleFailure[] = [];
  let media: 'normal' | 'no-media' = 'normal';
  let answer: RuleFailure | undefined;
  for (const rule of rules) {
    const result = rule.check(context);
    trace.push({
      ruleId: rule.id,
      title: rule.title,
      section: rule.section,
      grade: rule.grade,
      outcome: result.outcome,
      detail: result.detail,
    });
    if (result.media) media = result.media;
    if (result.verdict?.kind === 'answer') {
      answer = { rule, result };
      break;
    }
    if (result.outcome !== 'fail') continue;
    failures.push({ rule, result });
    if (mode === 'enforce' && result.verdict?.kind !== 'queue') break;
  }
  return { context, trace, failures, answer, media };
}

/**
 * Decides what Zentrunk does with an out-of-dialog request: allow the call, answer OPTIONS, reject, challenge,
 * queue (account CPS) or drop. `settings` defaults to the §20 defaults.
 */
export function evaluate(
  attempt: CallAttempt,
  account: Account,
  counters: PolicyCounters,
  settings: PolicySettings = DEFAULT_POLICY_SETTINGS,
): PolicyDecision {
  return decide(runRules(attempt, viewOfAccount(account, settings), counters, settings, 'enforce'), settings);
}

/** Turns a rule run into a decision (exported for the emulator's re-evaluation after a queue). */
export function decide(run: RuleRun, settings: PolicySettings): PolicyDecision {
  const { trace, failures, context } = run;
  if (run.answer?.result.verdict?.kind === 'answer') {
    return {
      kind: 'answer',
      status: 200,
      reasonPhrase: 'OK',
      headers: run.answer.result.verdict.headers,
      trace,
    };
  }
  const terminal = failures.find((f) => f.result.verdict?.kind !== 'queue');
  const queued = failures.find((f) => f.result.verdict?.kind === 'queue');
  const chosen = terminal ?? queued;
  if (chosen) {
    const { rule, result } = chosen;
    const verdict = result.verdict;
    const base = { trace, ruleId: rule.id, section: rule.section, grade: rule.grade };
    const explanation = `${result.detail}.`;
    switch (verdict?.kind) {
      case 'reject':
        return rejectDecision(verdict, base, explanation, settings);
      case 'challenge':
        return {
          ...base,
          kind: 'challenge',
          status: verdict.status,
          reasonPhrase: verdict.reasonPhrase,
          responseGrade: verdict.responseGrade,
          challenge: {
            header: verdict.status === 407 ? 'Proxy-Authenticate' : 'WWW-Authenticate',
            realm: verdict.realm,
            qop: 'auth',
            algorithms: verdict.algorithms,
          },
          headers: [],
          explanation,
        };
      case 'queue':
        return {
          ...base,
          kind: 'queue',
          maxWaitMs: verdict.maxWaitMs,
          responseGrade: verdict.responseGrade,
          onTimeout: rejectDecision(
            verdict.onTimeout,
            base,
            `${result.detail}; no slot came free in time.`,
            settings,
          ),
          explanation,
        };
      case 'drop':
        return { ...base, kind: 'drop', responseGrade: verdict.responseGrade, explanation };
      case 'answer':
      case undefined:
        throw new Error(`Rule ${rule.id} failed without a verdict`);
    }
  }
  const destination = context.destination?.ok ? context.destination : undefined;
  const callerId = context.callerId?.info.ok ? context.callerId.info : undefined;
  const stir = stirResult(context, destination?.country);
  return {
    kind: 'allow',
    trace,
    trunk: context.trunk,
    callerId,
    destination,
    media: run.media,
    stir,
    headers: [{ name: 'X-Plivo-Stir-Verification', value: stir.verification }],
  };
}

function rejectDecision(
  verdict: RejectVerdict,
  base: { trace: readonly TraceEntry[]; ruleId: string; section: string; grade: RejectDecision['grade'] },
  explanation: string,
  settings: PolicySettings,
): RejectDecision {
  const cause =
    verdict.code === undefined ? undefined : causeOf(verdict.code, verdict.source, verdict.causeName);
  const headers: HeaderField[] = [...(verdict.headers ?? [])];
  if (cause && settings.hangupCodeHeaders)
    headers.push(...hangupCodeHeaders(cause.code, verdict.status, cause.causeName));
  return {
    ...base,
    kind: 'reject',
    status: verdict.status,
    reasonPhrase: verdict.reasonPhrase,
    responseGrade: verdict.responseGrade,
    cause,
    headers,
    explanation,
  };
}

/**
 * `X-ZT-Hangup-Code` and `Reason` (§9, §20; RFC 3326) for final error responses and the emulator's BYEs. The
 * Reason text is the cause name, quoted; cause names never contain quotes.
 */
export function hangupCodeHeaders(code: number, sipStatus: number, causeName: string): HeaderField[] {
  return [
    { name: 'X-ZT-Hangup-Code', value: String(code) },
    { name: 'Reason', value: `SIP;cause=${sipStatus};text="${causeName}"` },
  ];
}

// §10: attestation A / Verified when the caller ID is the account's own number and the destination is US or CA;
// Not Applicable outside North America.
function stirResult(context: RuleContext, destinationCountry: string | undefined): StirResult {
  if (destinationCountry !== 'US' && destinationCountry !== 'CA') {
    return { verification: 'Not Applicable', attestation: null };
  }
  const callerId = context.callerId;
  const owned = callerId?.info.ok === true && context.view.ownedNumbers?.has(callerId.info.e164) === true;
  return owned
    ? { verification: 'Verified', attestation: 'A' }
    : { verification: 'Not Verified', attestation: 'B' };
}
