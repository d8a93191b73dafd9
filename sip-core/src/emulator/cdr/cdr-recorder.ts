// Writes finished legs' CDRs and SIP traces through the store, and turns every failure into an event: a full disk
// or a locked database must cost the user a record, never a call or the emulator. `record` and `recordAll` never
// throw.

import type { Clock } from '../../common/clock.js';
import type {
  CallDetailRecord,
  CallEndResult,
  NewCallDetailRecord,
  StoredSipMessage,
  TrunklineStore,
} from '../../store/index.js';
import { errorEvent, stamped, type EmulatorEventSink } from '../emulator-events.js';
import { buildCdr, type CdrContext } from './build-cdr.js';
import type { CallLegFacts } from './call-leg-facts.js';
import type { SipTraceCollector } from './sip-trace-collector.js';

export interface CdrRecorderOptions {
  readonly store: Pick<TrunklineStore, 'recordCallEnds'>;
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

/** One ended leg and how to gather its trace. */
export interface LegToRecord {
  readonly facts: CallLegFacts;
  readonly options?: RecordOptions;
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
    return this.recordAll([{ facts, options }])[0];
  }

  /**
   * `record` for several legs in one store transaction (docs/adr/0085): one commit for the batch instead of one
   * per call. Every leg gets its own result and its own `cdrWritten` or `error` event; a leg that fails costs
   * only itself. All results are committed when this returns.
   */
  recordAll(legs: readonly LegToRecord[]): Array<CallDetailRecord | undefined> {
    const { store, events, clock } = this.#options;
    const results: Array<CallDetailRecord | undefined> = Array.from({ length: legs.length });
    const batch: Array<{ index: number; cdr: NewCallDetailRecord; trace: StoredSipMessage[] }> = [];
    legs.forEach(({ facts, options = {} }, index) => {
      try {
        const { messages, omitted } = this.#trace(facts, options);
        const cdr = buildCdr(facts, this.#context);
        if (omitted > 0) cdr.extras = { ...cdr.extras, trace_omitted_messages: omitted };
        batch.push({ index, cdr, trace: messages });
      } catch (error) {
        events.emit('error', errorEvent(clock, 'cdr-write-failed', error, facts.callUuid));
      }
    });
    if (batch.length === 0) return results;
    let written: CallEndResult[];
    try {
      // buildCdr made these records: the store checks them with its hand-written rules, zod only on a refusal.
      written = store.recordCallEnds(batch, { builtInternally: true });
    } catch (error) {
      // A closed store refuses the whole batch.
      for (const { index } of batch) {
        events.emit('error', errorEvent(clock, 'cdr-write-failed', error, legs[index]?.facts.callUuid));
      }
      return results;
    }
    written.forEach((result, position) => {
      const { index, trace } = batch[position];
      if (!result.ok) {
        events.emit(
          'error',
          errorEvent(clock, 'cdr-write-failed', result.error, legs[index]?.facts.callUuid),
        );
        return;
      }
      const stored = result.cdr;
      results[index] = stored;
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
          traceMessages: trace.length,
        }),
      );
    });
    return results;
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
