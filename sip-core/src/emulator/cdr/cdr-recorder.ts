// Writes finished legs' CDRs and SIP traces through the store, and turns every failure into an event: a full disk
// or a locked database must cost the user a record, never a call or the emulator. `record` and `recordAll` never
// throw, and their promises never reject.
//
// The store is a `CdrSink`: the store itself (commits before it returns; tests and a store the caller shares) or
// the CDR writer thread (answers once committed on the other core, docs/adr/0158). A synchronous sink keeps
// `recordAll` synchronous, so that a test on a ManualClock sees the record and its events in the same turn.

import type { Clock } from '../../common/clock.js';
import type {
  CallEnd,
  NewCallDetailRecord,
  RecordCallEndsOptions,
  RecordedCdr,
  RecordResult,
  StoredSipMessage,
} from '../../store/index.js';
import { errorEvent, stamped, type EmulatorEventSink } from '../emulator-events.js';
import { buildCdr, type CdrContext } from './build-cdr.js';
import type { CallLegFacts } from './call-leg-facts.js';
import type { SipTraceCollector } from './sip-trace-collector.js';

/** Where the records go: `TrunklineStore` itself, or `CdrWriteThread` (same contract, answered later). */
export interface CdrSink {
  recordCallEnds(
    calls: readonly CallEnd[],
    options: RecordCallEndsOptions,
  ): RecordResult[] | Promise<RecordResult[]>;
}

/** A value now, or later from an asynchronous sink. */
export type Eventually<T> = T | Promise<T>;

export interface CdrRecorderOptions {
  readonly store: CdrSink;
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
  record(facts: CallLegFacts, options: RecordOptions = {}): Eventually<RecordedCdr | undefined> {
    const results = this.recordAll([{ facts, options }]);
    return results instanceof Promise ? results.then((all) => all[0]) : results[0];
  }

  /**
   * `record` for several legs in one store transaction (docs/adr/0085): one commit for the batch instead of one
   * per call. Every leg gets its own result and its own `cdrWritten` or `error` event; a leg that fails costs
   * only itself. All results are committed when this returns (a synchronous sink) or resolves.
   */
  recordAll(legs: readonly LegToRecord[]): Eventually<Array<RecordedCdr | undefined>> {
    const { store, events, clock } = this.#options;
    const results: Array<RecordedCdr | undefined> = Array.from({ length: legs.length });
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
    // A closed store (or a stopped writer thread) refuses the whole batch.
    const refused = (error: unknown): Array<RecordedCdr | undefined> => {
      for (const { index } of batch) {
        events.emit('error', errorEvent(clock, 'cdr-write-failed', error, legs[index]?.facts.callUuid));
      }
      return results;
    };
    const settle = (written: RecordResult[]): Array<RecordedCdr | undefined> =>
      this.#settle(legs, batch, written, results);
    let written: RecordResult[] | Promise<RecordResult[]>;
    try {
      // buildCdr made these records: the store checks them with its hand-written rules, zod only on a refusal.
      written = store.recordCallEnds(batch, { builtInternally: true });
    } catch (error) {
      return refused(error);
    }
    return written instanceof Promise ? written.then(settle, refused) : settle(written);
  }

  /** One `cdrWritten` or `error` event per leg of a committed batch; fills `results`. */
  #settle(
    legs: readonly LegToRecord[],
    batch: ReadonlyArray<{ index: number; trace: StoredSipMessage[] }>,
    written: readonly RecordResult[],
    results: Array<RecordedCdr | undefined>,
  ): Array<RecordedCdr | undefined> {
    const { events, clock } = this.#options;
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
