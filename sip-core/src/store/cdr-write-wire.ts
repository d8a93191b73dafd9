// What crosses the thread boundary between `CdrWriteThread` and its worker (docs/adr/0158), and how.
//
// A batch goes as ONE JSON text and ONE ArrayBuffer (transferred, not copied). postMessage's structured clone
// of the same batch as objects — forty-odd fields per record, an object, two address objects and an ArrayBuffer
// per message — cost the main thread about as much as the SQLite work it was moving away; JSON.stringify and a
// single copy of the bytes cost a fraction of it. The messages' metadata is numbers in the buffer, not JSON: a
// short call has seven messages of ten fields each, and stringifying them was half the encoding (docs/adr/0164).
//
//   text:    [strings, [[cdr, messageCount], …]]   strings: every direction, transport, address and connection
//                                                  id of the batch, once each
//   buffer:  metadata (Float64, FIELDS per message) | message 1 | message 2 | … (in the order of the calls)
//            metadata per message: wallTimeMs, monotonicTimeMs, direction, transport, localAddress, localPort,
//            remoteAddress, remotePort, connectionId (−1: none), byteLength — strings as indexes into `strings`
//
// Every value crosses as it is (a NaN time, a transport the store does not know): the store's own checks refuse
// them on the other side, as they would have on this one.
//
// The answer is small: per call, the few fields of the stored record that the emulator reports (`RecordedCdr`),
// or the error that kept the record out.

import type { CallDetailRecord } from './call-detail-record.js';
import type { StoredSipMessage } from './sip-trace-codec.js';
import { StoreError, type StoreErrorCode } from './store-error.js';
import type { CallEnd, RecordCallEndsOptions } from './trunkline-store.js';

/** What a CDR writer reports of each record it committed: what the emulator's events and credit need. */
export type RecordedCdr = Pick<
  CallDetailRecord,
  | 'call_uuid'
  | 'call_id'
  | 'call_direction'
  | 'hangup_cause_code'
  | 'hangup_cause_name'
  | 'hangup_source'
  | 'bill_duration'
  | 'total_amount'
>;

/** One call's outcome as a CDR writer reports it; `TrunklineStore`'s `CallEndResult` is one too. */
export type RecordResult =
  { readonly ok: true; readonly cdr: RecordedCdr } | { readonly ok: false; readonly error: StoreError };

export function recordedCdr(cdr: CallDetailRecord): RecordedCdr {
  return {
    call_uuid: cdr.call_uuid,
    call_id: cdr.call_id,
    call_direction: cdr.call_direction,
    hangup_cause_code: cdr.hangup_cause_code,
    hangup_cause_name: cdr.hangup_cause_name,
    hangup_source: cdr.hangup_source,
    bill_duration: cdr.bill_duration,
    total_amount: cdr.total_amount,
  };
}

/** A StoreError as it crosses the boundary (structured clone keeps only an Error's message). */
export interface SerializedStoreError {
  readonly code: StoreErrorCode;
  readonly message: string;
}

export function serializeStoreError(error: unknown): SerializedStoreError {
  if (error instanceof StoreError) return { code: error.code, message: error.message };
  return { code: 'STORE_FAILED', message: error instanceof Error ? error.message : String(error) };
}

export function deserializeStoreError(error: SerializedStoreError): StoreError {
  return new StoreError(error.code, error.message);
}

export type SerializedRecordResult =
  | { readonly ok: true; readonly cdr: RecordedCdr }
  | { readonly ok: false; readonly error: SerializedStoreError };

export interface EncodedCallEnds {
  readonly text: string;
  readonly bytes: ArrayBuffer;
}

export type ToCdrWriter =
  | {
      readonly kind: 'batch';
      readonly id: number;
      readonly batch: EncodedCallEnds;
      readonly options: RecordCallEndsOptions;
    }
  | { readonly kind: 'close' };

export type FromCdrWriter =
  | {
      readonly kind: 'ready';
      /** The operating system's id of the worker's thread (Linux), so that its scheduling can be told apart. */
      readonly osThreadId: number | null;
    }
  | { readonly kind: 'open-failed'; readonly error: SerializedStoreError }
  | { readonly kind: 'results'; readonly id: number; readonly results: readonly SerializedRecordResult[] }
  | { readonly kind: 'batch-failed'; readonly id: number; readonly error: SerializedStoreError };

/** Numbers per message in the metadata part of the buffer. */
const FIELDS = 10;
const NO_CONNECTION = -1;

type EncodedCall = [cdr: CallEnd['cdr'], messageCount: number];
type EncodedText = [strings: string[], calls: EncodedCall[]];

export function encodeCallEnds(calls: readonly CallEnd[]): EncodedCallEnds {
  let messages = 0;
  let total = 0;
  for (const call of calls) {
    const trace = call.trace;
    if (trace === undefined) continue;
    messages += trace.length;
    for (const message of trace) total += message.bytes.byteLength;
  }
  const metaBytes = messages * FIELDS * Float64Array.BYTES_PER_ELEMENT;
  const buffer = new ArrayBuffer(metaBytes + total);
  const meta = new Float64Array(buffer, 0, messages * FIELDS);
  const bytes = new Uint8Array(buffer, metaBytes);
  const strings: string[] = [];
  const indexes = new Map<string, number>();
  const indexOf = (text: string): number => {
    let index = indexes.get(text);
    if (index === undefined) {
      index = strings.push(text) - 1;
      indexes.set(text, index);
    }
    return index;
  };
  let m = 0;
  let offset = 0;
  const encoded: EncodedCall[] = [];
  for (const call of calls) {
    const trace = call.trace ?? [];
    for (const message of trace) {
      meta[m] = message.wallTimeMs;
      meta[m + 1] = message.monotonicTimeMs;
      meta[m + 2] = indexOf(message.direction);
      meta[m + 3] = indexOf(message.transport);
      meta[m + 4] = indexOf(message.local.address);
      meta[m + 5] = message.local.port;
      meta[m + 6] = indexOf(message.remote.address);
      meta[m + 7] = message.remote.port;
      meta[m + 8] = message.connectionId === undefined ? NO_CONNECTION : indexOf(message.connectionId);
      meta[m + 9] = message.bytes.byteLength;
      m += FIELDS;
      bytes.set(message.bytes, offset);
      offset += message.bytes.byteLength;
    }
    encoded.push([call.cdr, trace.length]);
  }
  return { text: JSON.stringify([strings, encoded] satisfies EncodedText), bytes: buffer };
}

/**
 * The batch again; each message's bytes are a view of the one buffer. Throws RangeError on a text that is not an
 * encoded batch, a string index out of the table, or metadata and lengths past the buffer's end: only
 * `encodeCallEnds` writes these.
 */
export function decodeCallEnds(batch: EncodedCallEnds): CallEnd[] {
  const [strings, calls] = JSON.parse(batch.text) as EncodedText;
  if (!Array.isArray(strings) || !Array.isArray(calls)) throw new RangeError('not an encoded batch of calls');
  let messages = 0;
  for (const [, count] of calls) messages += count;
  const metaBytes = messages * FIELDS * Float64Array.BYTES_PER_ELEMENT;
  if (!Number.isSafeInteger(metaBytes) || metaBytes > batch.bytes.byteLength) {
    throw new RangeError('trace metadata past the batch’s end');
  }
  const meta = new Float64Array(batch.bytes, 0, messages * FIELDS);
  const string = (index: number): string => {
    const text = strings[index];
    if (text === undefined) throw new RangeError(`string ${index} is not in the batch’s table`);
    return text;
  };
  let m = 0;
  let offset = metaBytes;
  return calls.map(([cdr, count]): CallEnd => {
    const trace: StoredSipMessage[] = [];
    for (let i = 0; i < count; i++, m += FIELDS) {
      const length = meta[m + 9];
      if (offset + length > batch.bytes.byteLength) throw new RangeError('trace bytes past the batch’s end');
      const connection = meta[m + 8];
      trace.push({
        wallTimeMs: meta[m],
        monotonicTimeMs: meta[m + 1],
        direction: string(meta[m + 2]) as StoredSipMessage['direction'],
        transport: string(meta[m + 3]) as StoredSipMessage['transport'],
        local: { address: string(meta[m + 4]), port: meta[m + 5] },
        remote: { address: string(meta[m + 6]), port: meta[m + 7] },
        ...(connection === NO_CONNECTION ? {} : { connectionId: string(connection) }),
        bytes: new Uint8Array(batch.bytes, offset, length),
      });
      offset += length;
    }
    return { cdr, trace };
  });
}
