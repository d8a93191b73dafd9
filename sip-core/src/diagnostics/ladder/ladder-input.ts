// What a ladder is built from: SIP messages with when, between which addresses and over which transport they
// travelled. The SIP trace (live), the store (a past call) and a PCAP all convert to this one shape.

import type { TraceMessageRecord } from '../../sip/trace/index.js';
import type { SipTransportProtocol, SocketAddress } from '../../sip/transport/index.js';
import type { StoredSipMessage } from '../../store/index.js';

export interface LadderMessageInput {
  /** Milliseconds since the Unix epoch. */
  readonly timestampMs: number;
  /** A monotonic time, when the source has one: offsets are computed from it (wall clocks can step). */
  readonly monotonicTimeMs?: number;
  readonly source: SocketAddress;
  readonly destination: SocketAddress;
  readonly transport: SipTransportProtocol;
  /** The exact bytes of the message. */
  readonly bytes: Uint8Array;
  /** Known to be a retransmission (the trace marks what our transactions re-sent). */
  readonly retransmission?: boolean;
  /** Which end is this process (trace inputs): lets the caller label "us" and "them". */
  readonly localEnd?: 'source' | 'destination';
}

/** A trace record or a stored message, oriented from sender to receiver. */
export function ladderInputFromTrace(record: TraceMessageRecord | StoredSipMessage): LadderMessageInput {
  const sent = record.direction === 'sent';
  return {
    timestampMs: record.wallTimeMs,
    monotonicTimeMs: record.monotonicTimeMs,
    source: sent ? record.local : record.remote,
    destination: sent ? record.remote : record.local,
    transport: record.transport,
    bytes: record.bytes,
    ...('retransmission' in record && record.retransmission === true ? { retransmission: true } : {}),
    localEnd: sent ? 'source' : 'destination',
  };
}
