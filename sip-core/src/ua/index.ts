// The front door of the softphone user agent: what the CLI, the checks and the desktop host use. Nothing outside
// ua/ imports its files directly.

export {
  SoftphoneUserAgent,
  type CallOptions,
  type SoftphoneEvents,
  type SoftphoneOptions,
  type UaLogEntry,
} from './softphone-user-agent.js';
export { Call, type CallAudioOptions, type TransferTarget } from './call.js';
export type {
  CallAudioLevels,
  CallDirection,
  CallEnd,
  CallEvents,
  CallMediaState,
  CallOutcome,
  CallProgress,
  CallState,
  CallStats,
  CallTimings,
  CallWarning,
  ReceivedDtmf,
  TransferOutcome,
  TransferProgress,
} from './call-events.js';
export {
  explainHangup,
  type CallEnding,
  type HangupBasis,
  type HangupEvidence,
  type HangupExplanation,
} from './hangup-explanation.js';
export {
  formatHostPort,
  loadTrunkProfile,
  MIN_OPTIONS_INTERVAL_S,
  parseHostPort,
  parseTrunkProfile,
  readTrunkProfileFile,
  type HostPort,
  type SignallingTransport,
  type SrtpMode,
  type TrunkProfile,
  type TrunkProfileInput,
  type TrunkProfileResult,
} from './trunk-profile.js';
export { ZENTRUNK_SIGNALLING_CIDRS } from './zentrunk-signalling-ranges.js';
export { InboundSourceGuard } from './inbound-source-guard.js';
export { MIN_OPTIONS_INTERVAL_MS, OptionsRateGuard, type OptionsPermit } from './options-rate-guard.js';
export { OptionsKeepAlive, type OptionsStatus } from './options-keep-alive.js';
export type { InboundRejection } from './sip-stack-bridge.js';
export { parseSipfragStatus, parseSubscriptionState, type SipfragStatus } from './refer-notify.js';
export { TrunkProfileError, UaError, type ProfileIssue, type UaErrorCode } from './ua-error.js';
