// What crosses the thread boundary between `CdrWriteThread` and its worker (docs/adr/0158), and how.
//
// A batch goes as ONE JSON text and ONE ArrayBuffer (transferred, not copied): the records and every trace
// message's metadata in the text, the messages' bytes back to back in the buffer. postMessage's structured clone
// of the same batch as objects — forty-odd fields per record, an object, two address objects and an ArrayBuffer
// per message — cost the main thread about as much as the SQLite work it was moving away; JSON.stringify and a
// single copy of the bytes cost a fraction of it.
//
//   text:  [[cdr, [[wallTimeMs, monotonicTimeMs, direction, transport, localAddress, localPort,
//                   remoteAddress, remotePort, connectionId | null, byteLength], …]], …]
//   bytes: message 1 | message 2 | … (in the order of the text)
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
  | { readonly kind: 'ready' }
  | { readonly kind: 'open-failed'; readonly error: SerializedStoreError }
  | { readonly kind: 'results'; readonly id: number; readonly results: readonly SerializedRecordResult[] }
  | { readonly kind: 'batch-failed'; readonly id: number; readonly error: SerializedStoreError };

type EncodedMessage = [
  wallTimeMs: number,
  monotonicTimeMs: number,
  direction: StoredSipMessage['direction'],
  transport: StoredSipMessage['transport'],
  localAddress: string,
  localPort: number,
  remoteAddress: string,
  remotePort: number,
  connectionId: string | null,
  byteLength: number,
];

type EncodedCall = [cdr: CallEnd['cdr'], trace: EncodedMessage[]];

export function encodeCallEnds(calls: readonly CallEnd[]): EncodedCallEnds {
  let total = 0;
  for (const call of calls) for (const message of call.trace ?? []) total += message.bytes.byteLength;
  const bytes = new Uint8Array(total);
  let offset = 0;
  const encoded = calls.map((call): EncodedCall => {
    const trace = (call.trace ?? []).map((message): EncodedMessage => {
      bytes.set(message.bytes, offset);
      offset += message.bytes.byteLength;
      return [
        message.wallTimeMs,
        message.monotonicTimeMs,
        message.direction,
        message.transport,
        message.local.address,
        message.local.port,
        message.remote.address,
        message.remote.port,
        message.connectionId ?? null,
        message.bytes.byteLength,
      ];
    });
    return [call.cdr, trace];
  });
  return { text: JSON.stringify(encoded), bytes: bytes.buffer };
}

/**
 * The batch again; each message's bytes are a view of the one buffer. Throws on a text that is not an encoded
 * batch or lengths past the buffer's end: only `encodeCallEnds` writes these.
 */
export function decodeCallEnds(batch: EncodedCallEnds): CallEnd[] {
  const calls = JSON.parse(batch.text) as EncodedCall[];
  let offset = 0;
  return calls.map(([cdr, trace]): CallEnd => {
    const messages = trace.map(
      ([wall, monotonic, direction, transport, la, lp, ra, rp, connectionId, length]): StoredSipMessage => {
        if (offset + length > batch.bytes.byteLength)
          throw new RangeError('trace bytes past the batch’s end');
        const bytes = new Uint8Array(batch.bytes, offset, length);
        offset += length;
        return {
          wallTimeMs: wall,
          monotonicTimeMs: monotonic,
          direction,
          transport,
          local: { address: la, port: lp },
          remote: { address: ra, port: rp },
          ...(connectionId === null ? {} : { connectionId }),
          bytes,
        };
      },
    );
    return { cdr, trace: messages };
  });
}
