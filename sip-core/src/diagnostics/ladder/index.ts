// Front door of diagnostics/ladder: the SIP ladder model, its builder and its text renderer.
export { buildLadder, type BuildLadderOptions } from './build-ladder.js';
export { ladderInputFromTrace, type LadderMessageInput } from './ladder-input.js';
export { renderLadder, type RenderLadderOptions } from './render-ladder.js';
export { formatSdpSummary, summarizeSdp, type SdpSummary } from './sdp-summary.js';
export {
  formatEndpoint,
  type LadderArrow,
  type LadderDialog,
  type LadderHangup,
  type LadderInviteSummary,
  type LadderOutcome,
  type LadderOutcomeKind,
  type LadderParticipant,
  type LadderResponseRef,
  type LadderTransaction,
  type SipLadder,
} from './sip-ladder.js';
