export { SipTrace } from './sip-trace.js';
export type {
  SipTraceRecord,
  SipTraceRecordInput,
  TraceConnectionRecord,
  TraceDropRecord,
  TraceKeepAliveRecord,
  TraceMessageRecord,
  TraceRecordBase,
} from './trace-records.js';
export { TRACE_SAMPLE_BYTES, traceSample } from './trace-records.js';
