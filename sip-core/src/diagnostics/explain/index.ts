// Front door of diagnostics/explain: why a call ended, for a code, a name, a status, a ladder or a capture.
export { explainCall, type CallEvidence, type CallExplanation } from './call-explanation.js';
export {
  explainCapture,
  type CaptureExplanation,
  type CapturedCallExplanation,
} from './capture-explanation.js';
export {
  type CauseExplanation,
  describeCause,
  explainHangup,
  type ExplainQuery,
  type HangupExplanation,
  parseExplainQuery,
} from './hangup-explanation.js';
export {
  renderCallExplanation,
  renderCaptureExplanation,
  renderHangupExplanation,
} from './render-explanation.js';
export { type EvidenceField, whatToCheck } from './what-to-check.js';
