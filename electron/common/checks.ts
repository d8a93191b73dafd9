// Pre-deployment checks as the Checks view runs them (issue 7, "UI"): the registry for a profile, one run at a
// time with live progress, stored runs with their full results, and report export. The host maps sip-core's
// check runner onto these plain shapes (electron/host/checks-service.ts).

import type { CallLadderView } from './diagnosis.js';

/** `safe` may run against a real trunk; `emulator-only` probes run only against the embedded emulator. */
export type CheckSafety = 'safe' | 'emulator-only';

export interface CheckDescription {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The family the view groups it under (`network`, `calls`, `probes`…) and that family's title. */
  readonly family: string;
  readonly familyTitle: string;
  readonly safety: CheckSafety;
  /** Ids of the checks it needs; a failed dependency skips it. */
  readonly dependsOn: readonly string[];
  /** False when it cannot run against the profile's target (an emulator-only probe on a real trunk). */
  readonly applicable: boolean;
  /** Why it does not apply, for the user. */
  readonly notApplicableReason?: string;
}

/**
 * A check's state in a run. `pending` (planned, not started) and `running` exist only while a run is live;
 * stored runs hold the four final ones.
 */
export type CheckOutcome = 'passed' | 'failed' | 'skipped' | 'running' | 'warning' | 'pending';

export interface CheckMeasurementView {
  readonly name: string;
  readonly value: number | string | boolean;
  readonly unit?: string;
}

/** One SIP exchange a check recorded: its ladder (with each message's text) for the view. */
export interface CheckSipEvidenceView {
  readonly label: string;
  readonly ladder: CallLadderView;
}

export interface CheckEvidenceView {
  readonly sip: readonly CheckSipEvidenceView[];
  /** Facts the check noted, one per line. */
  readonly lines: readonly string[];
  /** How many waveforms the HTML report draws for this check. */
  readonly waveformCount: number;
}

export interface CheckCauseView {
  readonly summary: string;
  readonly hangupCode?: number;
  readonly hangupCauseName?: string;
  readonly sipStatus?: number;
  readonly errorCode?: string;
}

export interface CheckResultView {
  readonly id: string;
  readonly outcome: CheckOutcome;
  /** One line: what was found (or the skip reason). */
  readonly message: string;
  readonly durationMs?: number;
  /** The call a check placed, for its diagnosis. */
  readonly callUuid?: string;
  readonly title?: string;
  readonly safety?: CheckSafety;
  /** 0..1 while running. */
  readonly progress?: number;
  /** What the check is doing now (`INVITE without credentials`). */
  readonly progressNote?: string;
  readonly measurements?: readonly CheckMeasurementView[];
  readonly evidence?: CheckEvidenceView;
  readonly cause?: CheckCauseView;
  readonly remedy?: string;
  /** Why it was skipped, as a sentence; `skipKind` is the runner's reason (`dependency`, `not-applicable`…). */
  readonly skipReason?: string;
  readonly skipKind?: string;
  readonly error?: { readonly code?: string; readonly message: string };
}

export type CheckVerdict = 'passed' | 'failed';

export interface CheckRunView {
  readonly runId: string;
  readonly startedMs: number;
  readonly finishedMs: number | null;
  readonly target: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly results?: readonly CheckResultView[];
  /** Absent while the run is live. */
  readonly verdict?: CheckVerdict;
  readonly aborted?: boolean;
  readonly warnings?: number;
  readonly durationMs?: number;
  /** The profile it ran against, when the app started it. */
  readonly profileName?: string;
}

export interface CheckRunRequest {
  readonly profileId: string;
  /** Check ids; empty or absent: all. Dependencies are pulled in. */
  readonly checks?: readonly string[];
  /** The number the call checks dial, E.164 (`+14155550100`). */
  readonly testNumber?: string;
}

/** `checks.progress`: one per check as it starts, reports progress and finishes. */
export interface CheckProgressEvent {
  readonly runId: string;
  readonly stage: 'started' | 'progress' | 'finished';
  /** Position in the run's order, from 0, and the number of checks in it. */
  readonly index: number;
  readonly total: number;
  readonly result: CheckResultView;
}

/** `checks.started`: the plan, so the view can draw every row before the first check starts. */
export interface CheckRunStartedEvent {
  readonly runId: string;
  readonly target: string;
  readonly profileName: string;
  readonly checks: readonly { readonly id: string; readonly title: string; readonly safety: CheckSafety }[];
}

export type CheckReportFormat = 'json' | 'junit' | 'html';
