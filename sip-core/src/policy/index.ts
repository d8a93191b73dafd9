// The policy layer's front door: the engine, the catalogue, number intelligence, the account model and the
// pure helpers the emulator and the softphone need. Other layers import from here, never from deeper files.

export type { EvidenceGrade, HangupCause, HangupSource } from './evidence.js';
export { EVIDENCE_GRADES } from './evidence.js';

export { HANGUP_CAUSES, type HangupCauseEntry } from './catalogue/hangup-cause-catalogue.js';
export { VOICE_API_CAUSES, type VoiceApiCause } from './catalogue/voice-api-causes.js';
export {
  candidatesForSipStatus,
  causeOf,
  explainHangupCode,
  lookupHangupCauseName,
  lookupHangupCode,
  type CodeExplanation,
  type StatusCandidate,
} from './catalogue/hangup-cause-lookup.js';

export * from './account/account-schema.js';
export { DEFAULT_TRUNK_CPS, loadAccountConfig, parseAccountConfig } from './account/account-config.js';
export {
  DEMO_ACCOUNT_CONFIG,
  DEMO_CREDENTIALS,
  DEMO_TRUNK_IDS,
  demoAccount,
} from './account/demo-account.js';
export {
  PolicyConfigError,
  formatPath,
  fromZodIssues,
  type ConfigIssue,
  type ConfigResult,
} from './config-issues.js';
export { SecretString } from './secret.js';

export {
  DEFAULT_POLICY_SETTINGS,
  parsePolicySettings,
  policySettings,
  policySettingsSchema,
  type PolicySettings,
  type PolicySettingsInput,
} from './settings/policy-settings.js';

export { networkContains, parseIpAddress, parseIpNetwork, type IpNetwork } from './net/ip-address.js';

export {
  classifyNumber,
  toE164,
  type ClassifiedNumber,
  type NumberInfo,
  type NumberType,
} from './numbers/number-intelligence.js';

export type {
  AuthenticationState,
  CallAttempt,
  PartialCallAttempt,
  PolicyCounters,
  SdpOfferSummary,
  SipTransport,
} from './engine/call-attempt.js';
export type * from './engine/policy-decision.js';
export { decide, evaluate, hangupCodeHeaders, runRules } from './engine/evaluate.js';
export {
  predictOutbound,
  type DialIntent,
  type Prediction,
  type PredictionWarning,
} from './engine/predict-outbound.js';
export {
  trunkDomain,
  trunkIdOfHost,
  viewOfAccount,
  type PolicyView,
  type PreDialKnowledge,
} from './engine/policy-view.js';
export { allowHeaderValue } from './rules/reject.js';
export { SUPPORTED_OPTION_TAGS } from './rules/media-rules.js';
export type { PolicyRule } from './engine/policy-rule.js';
export { OUTBOUND_RULES } from './rules/outbound-rules.js';

export {
  evaluateRefer,
  parseReferTo,
  type ReferContext,
  type ReferDecision,
  type ReferTarget,
} from './refer/evaluate-refer.js';
export {
  parseOriginationUri,
  type OriginationTarget,
  type SignallingTransport,
} from './inbound/origination-uri.js';
export {
  originationRequestUri,
  routeInbound,
  shouldTryFallback,
  type InboundRoute,
  type OriginationLeg,
  type OriginationOutcome,
} from './inbound/route-inbound.js';
export {
  mapCarrierOutcome,
  mapInDialogFailure,
  mapPbxOutcome,
  timerExpiry,
  type CarrierMapping,
  type TimerExpiry,
  type LegOutcome,
  type MappedCause,
} from './inbound/response-mapping.js';
export {
  assessOptionsRate,
  pruneOptionsHistory,
  type OptionsRateAssessment,
} from './options/options-rate.js';
export {
  billedSeconds,
  defaultIncrements,
  rateCall,
  type CallCharges,
  type CallToRate,
} from './billing/rate-call.js';
export {
  DEFAULT_SURCHARGE_PARAMETERS,
  monthlySurcharges,
  surchargesFromCounts,
  type CallForSurcharge,
  type MonthlyCallCounts,
  type MonthlySummary,
  type SurchargeLine,
  type SurchargeParameters,
} from './billing/monthly-surcharges.js';

export {
  ZENTRUNK_REGIONS,
  zentrunkRegion,
  zentrunkRegionOfAddress,
  zentrunkRegionOfDomain,
  type ZentrunkRegion,
} from './net/zentrunk-signalling-ranges.js';
