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

export { NETWORK_CHECKS } from './network/network-checks.js';
export { dnsCheck } from './network/dns-check.js';
export { EXPIRY_WARNING_DAYS, tlsCheck } from './network/tls-check.js';
export {
  CALL_METHODS,
  NOT_ZENTRUNK_METHODS,
  OPTIONS_MAX_ATTEMPTS,
  optionsCheck,
  ZENTRUNK_METHODS,
} from './network/options-check.js';
export { authCheck, PROBE_USER } from './network/auth-check.js';
export {
  createNetworkCheckServices,
  type NetworkCheckServices,
  type NetworkCheckServicesOptions,
} from './network/network-check-services.js';
export {
  createDnsResolver,
  hostResolverFor,
  isNoRecordsError,
  type DnsResolver,
  type NaptrRecord,
  type SrvRecord,
} from './network/dns-resolver.js';
export {
  MIN_OPTIONS_INTERVAL_MS,
  OptionsRateGuard,
  type OptionsRateGuardOptions,
} from './network/options-rate-guard.js';
export {
  CANCEL_AFTER_TRYING_MS,
  SipProbe,
  localAddressFacing,
  type ProbeResult,
  type SipProbeOptions,
} from './network/sip-probe.js';
export { describeTlsFailure, type TlsFailureWords } from './network/tls-failure.js';
export { hangupCodeOf, responseCause, type ResponseCause } from './network/response-cause.js';

export {
  CHECK_REPORT_SCHEMA_VERSION,
  checkReportSchema,
  CheckReportError,
  createCheckReport,
  parseCheckReport,
  renderJsonReport,
  type CheckReport,
} from './report/report-schema.js';
export { renderJunitReport } from './report/junit-report.js';
export { formatCause } from './report/format-cause.js';
export { renderHtmlReport } from './report/html-report.js';
export { exchangeLadder } from './report/exchange-ladder.js';
export { renderWaveformSvg, type WaveformSvgOptions } from './report/waveform-svg.js';
export { escapeMarkup } from './report/escape-markup.js';
export { storeCheckReport, toCheckRunRecord } from './report/check-run-record.js';

export {
  DEFAULT_CHECK_FAMILIES,
  DEFAULT_CHECKS,
  checkFamilyOf,
  createDefaultCheckRunner,
  type CheckFamily,
  type DefaultCheckRunnerOptions,
  type DefaultCheckServices,
} from './default-checks.js';
export {
  auCliPrefixProbe,
  barredCountryProbe,
  callerIdNotOwnedProbe,
  codecMismatchProbe,
  missingCountryCodeProbe,
  premiumNumberProbe,
  PROBE_CHECKS,
  require100relProbe,
  trunkCpsProbe,
  unsupportedMethodsProbe,
  wrongCredentialsProbe,
} from './probes/negative-probes.js';
export { emulatorAccountFacts, type ProbeCheckServices } from './probes/probe-check-services.js';
export {
  ALLOW_LISTS,
  AU_BLOCKED_CLI_PREFIXES,
  probeExpectations,
  type ExpectationSettings,
  type ExpectedHeader,
  type ProbeExpectation,
  type ProbeId,
} from './probes/probe-expectations.js';
export {
  MAX_BURST_SIZE,
  planProbe,
  UNSUPPORTED_METHODS,
  type EmulatorAccountFacts,
  type ProbeCall,
  type ProbePlan,
} from './probes/probe-plan.js';
export { compareResponse, type Comparison, type ObservedResponse } from './probes/compare-response.js';
export type { CheckCapture } from './capture/check-capture.js';
export { PcapCheckCapture, type PcapCheckCaptureOptions } from './capture/pcap-check-capture.js';
