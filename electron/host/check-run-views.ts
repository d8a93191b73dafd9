// Check results and runs in the contract's plain shapes: the runner's statuses as the view's outcomes, each SIP
// exchange of the evidence as a ladder (diagnostics' model, the same one History's diagnosis draws), the skip
// reason as a sentence. Pure functions: the checks service feeds them live results and stored reports alike.

import { exchangeLadder, type CheckReport, type CheckResult } from '../../sip-core/src/index.js';
import type {
  CheckEvidenceView,
  CheckOutcome,
  CheckResultView,
  CheckRunView,
  CheckSipEvidenceView,
} from '../common/index.js';
import { ladderView } from './call-diagnosis.js';

/** A finished result, live (`CheckResult`) or read back from a stored report: the fields both share. */
type ResultLike = CheckResult | CheckReport['run']['results'][number];

const OUTCOMES: Record<CheckResult['status'], CheckOutcome> = {
  pass: 'passed',
  fail: 'failed',
  warning: 'warning',
  skipped: 'skipped',
};

export function resultView(result: ResultLike): CheckResultView {
  return {
    id: result.id,
    title: result.title,
    safety: result.safety,
    outcome: OUTCOMES[result.status],
    message: result.summary,
    durationMs: result.durationMs,
    measurements: result.measurements.map((m) => ({
      name: m.name,
      value: m.value,
      ...(m.unit !== undefined ? { unit: m.unit } : {}),
    })),
    evidence: evidenceView(result.evidence),
    ...(result.cause !== undefined ? { cause: { ...result.cause } } : {}),
    ...(result.remedy !== undefined ? { remedy: result.remedy } : {}),
    ...(result.status === 'skipped' ? { skipReason: result.summary } : {}),
    ...(result.skipReason !== undefined ? { skipKind: result.skipReason.kind } : {}),
    ...(result.error !== undefined ? { error: { ...result.error } } : {}),
  };
}

function evidenceView(evidence: ResultLike['evidence']): CheckEvidenceView {
  return {
    sip: evidence.sip.filter((e) => e.messages.length > 0).map(sipExchangeView),
    lines: [...evidence.lines],
    waveformCount: evidence.waveforms.length,
  };
}

function sipExchangeView(exchange: ResultLike['evidence']['sip'][number]): CheckSipEvidenceView {
  const ladder = exchangeLadder(exchange);
  // The evidence's text is already masked (digest responses) by the check that recorded it.
  return { label: exchange.label, ladder: ladderView(ladder, (i) => exchange.messages[i]?.text ?? '') };
}

/** A stored or just finished run, with every result. */
export function runView(report: CheckReport, profileName?: string): CheckRunView {
  const run = report.run;
  return {
    ...runSummary(report),
    results: run.results.map(resultView),
    ...(profileName !== undefined ? { profileName } : {}),
  };
}

/** A run for the history list: counts and verdict, no results. */
export function runSummary(report: CheckReport): CheckRunView {
  const run = report.run;
  return {
    runId: run.runId,
    startedMs: run.startedMs,
    finishedMs: Math.max(run.finishedMs, run.startedMs),
    target: targetLabel(report),
    passed: run.counts.pass,
    warnings: run.counts.warning,
    failed: run.counts.fail,
    skipped: run.counts.skipped,
    verdict: run.verdict,
    aborted: run.aborted,
    durationMs: run.durationMs,
  };
}

export function targetLabel(report: CheckReport): string {
  const target = report.run.target;
  return target.isEmulator ? `emulator (${target.terminationDomain})` : target.terminationDomain;
}
