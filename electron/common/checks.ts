// Pre-deployment checks as the Checks view runs them. The host implements these once the check runner
// (sip-core/src/checks) lands.

export interface CheckDescription {
  readonly id: string;
  readonly title: string;
  readonly description: string;
}

export type CheckOutcome = 'passed' | 'failed' | 'skipped' | 'running';

export interface CheckResultView {
  readonly id: string;
  readonly outcome: CheckOutcome;
  readonly message: string;
  readonly durationMs?: number;
  /** The call a check placed, for its diagnosis. */
  readonly callUuid?: string;
}

export interface CheckRunView {
  readonly runId: string;
  readonly startedMs: number;
  readonly finishedMs: number | null;
  readonly target: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly results?: readonly CheckResultView[];
}

export interface CheckRunRequest {
  readonly profileId: string;
  /** Check ids; empty or absent: all. */
  readonly checks?: readonly string[];
}
