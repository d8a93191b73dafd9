// Writes a finished leg's CDR and SIP trace through the store, and turns every failure into an event: a full disk
// or a locked database must cost the user a record, never a call or the emulator. `record` never throws.

import type { Clock } from '../../common/clock.js';
import type { CallDetailRecord, StoredSipMessage, TrunklineStore } from '../../store/index.js';
import { errorEvent, stamped, type EmulatorEventSink } from '../emulator-events.js';
import { buildCdr, type CdrContext } from './build-cdr.js';
import type { CallLegFacts } from './call-leg-facts.js';
import type { SipTraceCollector } from './sip-trace-collector.js';

export interface CdrRecorderOptions {
  readonly store: Pick<TrunklineStore, 'recordCallEnd'>;
  readonly events: EmulatorEventSink;
  readonly clock: Pick<Clock, 'wallNow'>;
  readonly context: CdrContext;
  /** Where the calls' messages are collected; without one, CDRs are written without a trace. */
  readonly collector?: SipTraceCollector;
}

export interface RecordOptions {
  /** The Call-IDs whose messages belong to this leg (default: the leg's own; [] for none). */
  readonly traceCallIds?: readonly string[];
  /** Leave the messages in the collector for a later leg of the same dialog (a transfer's original leg). */
  readonly keepTrace?: boolean;
}

export class CdrRecorder {
  readonly #options: CdrRecorderOptions;
  #context: CdrContext;

  constructor(options: CdrRecorderOptions) {
    this.#options = options;
    this.#context = options.context;
  }

  /** Uses a changed account or settings for the CDRs written from now on. */
  setContext(context: CdrContext): void {
    this.#context = context;
  }

  /**
   * Builds the leg's CDR, gathers its trace and commits both. Returns the stored record, or undefined when it
   * could not be written (an `error` event says why, with the store's error code).
   */
  record(facts: CallLegFacts, options: RecordOptions = {}): CallDetailRecord | undefined {
    const { store, events, clock } = this.#options;
    try {
      const { messages, omitted } = this.#trace(facts, options);
      const cdr = buildCdr(facts, this.#context);
      if (omitted > 0) cdr.extras = { ...cdr.extras, trace_omitted_messages: omitted };
      const stored = store.recordCallEnd(cdr, messages);
      events.emit(
        'cdrWritten',
        stamped(clock, {
          callUuid: stored.call_uuid,
          callId: stored.call_id,
          direction: stored.call_direction,
          hangupCauseCode: stored.hangup_cause_code,
          hangupCauseName: stored.hangup_cause_name,
          hangupSource: stored.hangup_source,
          billDurationS: stored.bill_duration,
          traceMessages: messages.length,
        }),
      );
      return stored;
    } catch (error) {
      events.emit('error', errorEvent(clock, 'cdr-write-failed', error, facts.callUuid));
      return undefined;
    }
  }

  #trace(facts: CallLegFacts, options: RecordOptions): { messages: StoredSipMessage[]; omitted: number } {
    const collector = this.#options.collector;
    const callIds = options.traceCallIds ?? (facts.callId === null ? [] : [facts.callId]);
    if (!collector || callIds.length === 0) return { messages: [], omitted: 0 };
    let omitted = 0;
    const messages: StoredSipMessage[] = [];
    for (const callId of callIds) {
      const trace = options.keepTrace ? collector.peek(callId) : collector.take(callId);
      messages.push(...trace.messages);
      omitted += trace.omitted;
    }
    // Several Call-IDs (an inbound call's primary and fallback attempts) interleave in time; sort is stable.
    if (callIds.length > 1) messages.sort((a, b) => a.monotonicTimeMs - b.monotonicTimeMs);
    return { messages, omitted };
  }
}
