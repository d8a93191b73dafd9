// The call checks' front door (README.md in this folder): the checks, their services, the shared call plumbing
// and the emulator setup of `trunkline check --emulator`.

export { CALL_CHECKS } from './call-checks.js';
export {
  CALL_SPACING_MS,
  CallPacer,
  createCallCheckEnvironment,
  type CallCheckEnvironment,
  type CallCheckEnvironmentOptions,
  type CallCheckServices,
  type EmulatorCheckAccess,
} from './call-check-services.js';
export {
  EMULATOR_NUMBERS,
  startCheckEmulator,
  type CheckEmulator,
  type CheckEmulatorOptions,
} from './check-emulator.js';
export { outboundCallCheck, outboundCallVerdict, type OutboundCallFacts } from './outbound-call-check.js';
export {
  twoWayAudioCheck,
  twoWayAudioVerdict,
  type AudioLegFacts,
  type TwoWayAudioFacts,
} from './two-way-audio-check.js';
export { ALL_DTMF_DIGITS, dtmfCheck, dtmfVerdict, type DtmfFacts } from './dtmf-check.js';
export {
  directionOf,
  holdResumeCheck,
  holdResumeVerdict,
  type HoldResumeFacts,
} from './hold-resume-check.js';
export { blindTransferCheck, blindTransferVerdict, type BlindTransferFacts } from './blind-transfer-check.js';
export { hangupCdrCheck, hangupCdrVerdict, type HangupCdrFacts } from './hangup-cdr-check.js';
export {
  inboundCallCheck,
  inboundFallbackCheck,
  inboundVerdict,
  type InboundFacts,
} from './inbound-check.js';
export { ProbeCall, PROBE_TONE_HZ, SipRecorder, WaveformCapture } from './probe-call.js';
export { targetFromProfile } from '../target/target-from-profile.js';
