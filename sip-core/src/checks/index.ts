// The checks layer's front door: the runner, the target, the network checks and the reports. The CLI, the
// desktop host and (later) the call checks import from here, never from deeper files.

export * from './runner/check-definition.js';
export { CheckRunner, skipSummary, type CheckRunnerOptions, type RunOptions } from './runner/check-runner.js';
export {
  orderChecks,
  planChecks,
  type CheckPlan,
  type CheckSelection,
  type PlannedCheck,
} from './runner/check-plan.js';
export type { CheckRunEvents } from './runner/check-run-events.js';
export {
  countStatuses,
  type CheckRunResult,
  type RunPlanSummary,
  type RunSelection,
  type StatusCounts,
} from './runner/check-run-result.js';
export { CheckRunnerError, type CheckRunnerErrorCode } from './runner/check-runner-error.js';
export { abortableDelay } from './runner/abortable-delay.js';
export {
  CheckTargetError,
  createCheckTarget,
  formatHostAndPort,
  signallingAddress,
  summarizeTarget,
  type CheckTarget,
  type CheckTargetInput,
  type HostAndPort,
  type TargetSummary,
} from './target/check-target.js';
