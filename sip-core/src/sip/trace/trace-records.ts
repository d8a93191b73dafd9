// The records the transport layer publishes. Each is self-contained plain data (times, addresses, the raw bytes):
// the SIP ladder, the PCAP writer and the logs are built from records alone, after the fact, without asking the
// transport anything.

import type {
  ConnectionCloseReason,
  ConnectionDirection,
  PeerCertificateInfo,
  SipTransportProtocol,
  SocketAddress,
} from '../transport/transport-types.js';

/** Fields every record carries. */
export interface TraceRecordBase {
  /** Increases by one per record of a `SipTrace`: the order of events, also when times are equal. */
  readonly sequence: number;
  /** Milliseconds since the Unix epoch: for PCAP timestamps and for people. */
  readonly wallTimeMs: number;
  /** Milliseconds on the clock's monotonic scale: for durations and ordering. */
  readonly monotonicTimeMs: number;
  readonly transport: SipTransportProtocol;
  readonly local: SocketAddress;
  readonly remote: SocketAddress;
  /** Streams only: the connection. */
  readonly connectionId?: string;
}

/** A SIP message that was written to a socket or received complete from one. */
export interface TraceMessageRecord extends TraceRecordBase {
  readonly kind: 'message';
  readonly direction: 'sent' | 'received';
  /** The exact bytes on the wire (one datagram, or one framed message on a stream). Never mutated. */
  readonly bytes: Uint8Array;
  /**
   * Sent only: a transaction or the TU sent these bytes again (Timers A, E, G, a re-sent response or ACK, a 2xx
   * retransmission of RFC 3261 §13.3.1.4), so that loss recovery shows in the ladder and can be counted.
   */
  readonly retransmission?: true;
}

/** Input the transport refused or discarded, and why. */
export interface TraceDropRecord extends TraceRecordBase {
  readonly kind: 'drop';
  readonly direction: 'sent' | 'received';
  readonly reason:
    | 'empty-datagram'
    | 'framing-error'
    | 'incomplete-message-timeout'
    | 'udp-too-large'
    | 'connection-limit'
    | 'tls-handshake-failed'
    // Published by the SIP stack (sip/stack) above the transport:
    | 'parse-error'
    | 'via-mismatch'
    | 'stray-response'
    | 'unanswerable-request';
  readonly detail: string;
  /** Up to the first `TRACE_SAMPLE_BYTES` bytes of what was dropped, when there were bytes, for diagnosis. */
  readonly sample?: Uint8Array;
}

/** A stream connection opened or closed. */
export interface TraceConnectionRecord extends TraceRecordBase {
  readonly kind: 'connection';
  readonly event: 'opened' | 'closed';
  readonly connectionId: string;
  readonly direction: ConnectionDirection;
  readonly serverName?: string;
  readonly peerCertificate?: PeerCertificateInfo;
  readonly tlsProtocol?: string;
  /** For `closed`: why. */
  readonly reason?: ConnectionCloseReason;
}

/** An RFC 5626 keep-alive on a stream connection. */
export interface TraceKeepAliveRecord extends TraceRecordBase {
  readonly kind: 'keep-alive';
  readonly connectionId: string;
  readonly event: 'ping-received' | 'pong-sent' | 'ping-sent' | 'pong-received' | 'pong-missing';
}

export type SipTraceRecord =
  TraceMessageRecord | TraceDropRecord | TraceConnectionRecord | TraceKeepAliveRecord;

/** What a publisher supplies; `SipTrace` adds the sequence number and both times. */
export type SipTraceRecordInput = SipTraceRecord extends infer R
  ? R extends SipTraceRecord
    ? Omit<R, 'sequence' | 'wallTimeMs' | 'monotonicTimeMs'>
    : never
  : never;

/** How many leading bytes of dropped input a drop record keeps. */
export const TRACE_SAMPLE_BYTES = 256;

/** The `sample` field of a drop record: a copy of the first bytes, so that the record outlives the buffer. */
export function traceSample(bytes: Uint8Array | undefined): { sample?: Uint8Array } {
  return bytes && bytes.length > 0 ? { sample: Buffer.from(bytes.subarray(0, TRACE_SAMPLE_BYTES)) } : {};
}
