// TCP stream reassembly for SIP in a capture: segments are put back in sequence order per direction of each
// connection, and the byte stream is framed into messages by Content-Length with the same StreamFramer the live
// transport uses (RFC 3261 §18.3), so a message split over segments, or several messages in one segment, come out
// whole. Bounded: few out-of-order segments are held per flow, flows are capped, and a stream that is not SIP (or
// loses its framing) is ignored until a segment starts with a SIP start line again.

import { StreamFramer } from '../../sip/transport/index.js';
import type { DecodedSegment, SegmentAddress } from './decode-packet.js';
import { looksLikeSipMessage } from './sip-sniffer.js';

export interface ReassembledSipMessage {
  readonly source: SegmentAddress;
  readonly destination: SegmentAddress;
  /** The time of the segment that completed the message. */
  readonly timestampMs: number;
  readonly bytes: Uint8Array;
}

/** A decoded TCP segment and when it was captured. */
export type TcpSegmentInput = Extract<DecodedSegment, { protocol: 'tcp' }> & { readonly timestampMs: number };

export interface TcpReassemblyCounters {
  /** Segments whose bytes had all been seen already (retransmissions). */
  retransmittedSegments: number;
  /** Times a gap could not be filled and the stream skipped ahead. */
  gaps: number;
  /** SIP streams whose framing failed (a missing or bad Content-Length). */
  framingErrors: number;
}

/** Out-of-order segments held per flow before a gap is declared. */
const MAX_HELD_SEGMENTS = 64;
/** Flows tracked at once; the oldest is forgotten beyond this. */
const MAX_FLOWS = 4096;

interface Flow {
  nextSequence: number | undefined;
  framer: StreamFramer | undefined;
  readonly held: Map<number, Uint8Array>;
}

/** `a - b` in 32-bit sequence space (RFC 9293 §3.4): negative when `a` is before `b`. */
const sequenceDelta = (a: number, b: number): number => (a - b) | 0;

export class TcpSipReassembler {
  readonly counters: TcpReassemblyCounters = { retransmittedSegments: 0, gaps: 0, framingErrors: 0 };
  readonly #flows = new Map<string, Flow>();

  /** Takes one segment and returns the SIP messages it completed, in stream order. */
  push(segment: TcpSegmentInput): ReassembledSipMessage[] {
    const key = `${segment.source.address}|${segment.source.port}|${segment.destination.address}|${segment.destination.port}`;
    if (segment.rst) {
      this.#flows.delete(key);
      return [];
    }
    let flow = this.#flows.get(key);
    if (flow === undefined) {
      if (this.#flows.size >= MAX_FLOWS) this.#flows.delete(this.#flows.keys().next().value!);
      flow = { nextSequence: undefined, framer: undefined, held: new Map() };
      this.#flows.set(key, flow);
    }
    const out: ReassembledSipMessage[] = [];
    if (segment.syn) flow.nextSequence = (segment.sequence + 1) >>> 0;
    else if (segment.payload.length > 0) this.#accept(flow, segment.sequence, segment.payload, segment, out);
    if (segment.fin) this.#flows.delete(key);
    return out;
  }

  #accept(
    flow: Flow,
    sequence: number,
    payload: Uint8Array,
    segment: TcpSegmentInput,
    out: ReassembledSipMessage[],
  ): void {
    // A capture that starts mid-connection begins wherever the first data is.
    flow.nextSequence ??= sequence;
    const delta = sequenceDelta(sequence, flow.nextSequence);
    if (delta > 0) {
      if (flow.held.size >= MAX_HELD_SEGMENTS) {
        // The missing bytes are not coming: resume at the earliest held segment, framing from a fresh start.
        this.counters.gaps++;
        flow.framer = undefined;
        flow.nextSequence = this.#earliestHeld(flow);
        this.#drain(flow, segment, out);
        this.#accept(flow, sequence, payload, segment, out);
        return;
      }
      flow.held.set(sequence, payload.slice());
      return;
    }
    if (delta + payload.length <= 0) {
      this.counters.retransmittedSegments++;
      return;
    }
    this.#deliver(flow, payload.subarray(-delta), segment, out);
    this.#drain(flow, segment, out);
  }

  #drain(flow: Flow, segment: TcpSegmentInput, out: ReassembledSipMessage[]): void {
    for (let progressed = true; progressed && flow.held.size > 0;) {
      progressed = false;
      for (const [sequence, payload] of flow.held) {
        const delta = sequenceDelta(sequence, flow.nextSequence!);
        if (delta > 0) continue;
        flow.held.delete(sequence);
        if (delta + payload.length > 0) this.#deliver(flow, payload.subarray(-delta), segment, out);
        progressed = true;
      }
    }
  }

  #earliestHeld(flow: Flow): number {
    let earliest: number | undefined;
    for (const sequence of flow.held.keys()) {
      if (earliest === undefined || sequenceDelta(sequence, earliest) < 0) earliest = sequence;
    }
    return earliest!;
  }

  #deliver(flow: Flow, bytes: Uint8Array, segment: TcpSegmentInput, out: ReassembledSipMessage[]): void {
    flow.nextSequence = (flow.nextSequence! + bytes.length) >>> 0;
    // Framing starts only where a SIP message starts: TLS, HTTP or a stream joined mid-message are skipped.
    if (flow.framer === undefined) {
      if (!looksLikeSipMessage(bytes)) return;
      flow.framer = new StreamFramer({ maxMessagesPerTurn: Number.MAX_SAFE_INTEGER });
    }
    for (const output of flow.framer.push(bytes)) {
      if (output.kind === 'message') {
        out.push({
          source: segment.source,
          destination: segment.destination,
          timestampMs: segment.timestampMs,
          bytes: output.bytes,
        });
      } else if (output.kind === 'error') {
        this.counters.framingErrors++;
        flow.framer = undefined;
        return;
      }
    }
  }
}
