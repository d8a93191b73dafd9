// The result of a whole run: what the reports (JSON, JUnit, HTML) and the store are made from.

import type { TargetSummary } from '../target/check-target.js';
import type { CheckResult, CheckStatus, SafetyClass } from './check-definition.js';

export interface RunPlanSummary {
  readonly runId: string;
  readonly target: TargetSummary;
  readonly checks: ReadonlyArray<{
    readonly id: string;
    readonly title: string;
    readonly safety: SafetyClass;
    readonly dependsOn: readonly string[];
  }>;
  readonly selection: RunSelection;
}

export interface RunSelection {
  readonly only: readonly string[];
  readonly skip: readonly string[];
  /** Not named in `only` but run because a selected check needs them. */
  readonly pulledIn: readonly string[];
}

export type StatusCounts = Readonly<Record<CheckStatus, number>> & { readonly total: number };

export interface CheckRunResult {
  readonly runId: string;
  readonly target: TargetSummary;
  /** Epoch milliseconds. */
  readonly startedMs: number;
  readonly finishedMs: number;
  readonly durationMs: number;
  readonly aborted: boolean;
  readonly selection: RunSelection;
  readonly results: readonly CheckResult[];
  readonly counts: StatusCounts;
  /** `failed` when any check failed or the run was aborted; warnings and skips alone pass (README: exit status). */
  readonly verdict: 'passed' | 'failed';
}

export function countStatuses(results: readonly CheckResult[]): StatusCounts {
  const counts = { pass: 0, fail: 0, warning: 0, skipped: 0, total: results.length };
  for (const result of results) counts[result.status]++;
  return counts;
}
