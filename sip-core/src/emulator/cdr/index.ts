// The cdr folder's front door: CDR assembly, the per-call SIP trace collector, the recorder and monthly billing.

export { instantNow, type CallLegFacts, type DecidingRuleFacts, type LegInstant } from './call-leg-facts.js';
export { buildCdr, type CdrContext } from './build-cdr.js';
export {
  SipTraceCollector,
  callIdOf,
  type CollectedTrace,
  type QueuedMessageRecord,
  type SipTraceCollectorOptions,
  type SipTraceCollectorStats,
} from './sip-trace-collector.js';
export {
  CdrRecorder,
  type CdrRecorderOptions,
  type CdrSink,
  type LegToRecord,
  type RecordOptions,
} from './cdr-recorder.js';
export { monthlyBilling, type MonthlyBilling } from './monthly-billing.js';
