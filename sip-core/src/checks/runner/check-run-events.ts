// The runner's progress events, as a typed map (the mediasoup habit): the CLI's progress display, the UI's
// progress bars and the store all listen to the same five events.

import type { CheckResult } from './check-definition.js';
import type { CheckRunResult, RunPlanSummary } from './check-run-result.js';

export interface CheckRunEvents {
  runStarted: (plan: RunPlanSummary) => void;
  checkStarted: (check: {
    readonly id: string;
    readonly title: string;
    readonly index: number;
    readonly total: number;
  }) => void;
  /** A running check reported progress: `fraction` in 0..1. */
  checkProgress: (progress: {
    readonly id: string;
    readonly fraction: number;
    readonly note?: string;
  }) => void;
  /** Every planned check finishes exactly once, including skipped ones. */
  checkFinished: (result: CheckResult, position: { readonly index: number; readonly total: number }) => void;
  runFinished: (result: CheckRunResult) => void;
}
