// The receiving side of RFC 4733 DTMF as a pure processor: telephone-event RTP packets in, digit start and
// end reports out. It is written for the network as it is (RFC 4733 §2.5.2):
//
// - An event is identified by its RTP timestamp (§2.5.2.1): a packet with a new timestamp starts a new
//   event even when the marker bit was lost; a packet of the current event only updates its duration.
// - Duplicates, reordered updates and the repeated end packets (§2.5.1.4) of an event already ended are
//   counted and ignored; packets of an event older than the current one are stale and ignored.
// - An event whose start packets were lost is reported from the first packet that arrives, even if that is an
//   end packet (start and end are then reported together).
// - An event whose end packets were all lost ends when the next event starts ('superseded') or after
//   `endTimeoutMs` without packets ('timeout', reported by `poll`).
// - A long event split into segments (§2.5.1.3: the next segment's timestamp is the previous one + 65535,
//   same event, no E bit seen yet) continues the same digit; its duration is the sum of the segments.
//
// Per-event state:
//
//              packet with a new timestamp                   E bit (or timeout, or a newer event)
//   (none) ───────────────────────────────► in progress ─────────────────────────────────────────► ended
//                                                │  ▲  same timestamp: duration grows                 │
//                                                └──┘  next segment (timestamp + 65535): continues   │
//                                                               same timestamp again: duplicate ◄────┘

import { symbolForEvent, type DtmfSymbol } from './dtmf-symbols.js';
import { MAX_EVENT_DURATION, parseTelephoneEvent, type TelephoneEvent } from './telephone-event.js';

/** What the receiver needs of a telephone-event RTP packet. */
export interface TelephoneEventRtpPacket {
  readonly timestamp: number;
  readonly marker: boolean;
  readonly payload: Uint8Array;
}

export interface DtmfDigitStart {
  readonly type: 'digit-start';
  readonly symbol: DtmfSymbol;
  readonly event: number;
  /** The RTP timestamp of the event (of its first segment). */
  readonly timestamp: number;
  readonly volume: number;
  /** False when the packet that started the event had no marker bit (its first packets were lost). */
  readonly markerSeen: boolean;
}

export interface DtmfDigitEnd {
  readonly type: 'digit-end';
  readonly symbol: DtmfSymbol;
  readonly event: number;
  readonly timestamp: number;
  readonly volume: number;
  /** The duration of the event in RTP timestamp units (all segments). */
  readonly durationSamples: number;
  readonly durationMs: number;
  /** How the end was learnt: the E bit, silence for `endTimeoutMs`, or a newer event. */
  readonly reason: 'end-bit' | 'timeout' | 'superseded';
}

export type DtmfReceiverEvent = DtmfDigitStart | DtmfDigitEnd;

export interface DtmfReceiverStats {
  /** Packets given to `receive`. */
  packets: number;
  /** Payloads too short to hold an event block (dropped). */
  malformed: number;
  /** Events that are not DTMF (codes above 16: tones, modem events), ignored as RFC 4733 §2.5.2 asks. */
  ignoredEvents: number;
  /** Packets of an event that had already ended (repeated end packets, duplicates, late updates). */
  duplicates: number;
  /** Packets of an event older than the current one. */
  stale: number;
  /** Events whose first packet seen had no marker bit. */
  startsWithoutMarker: number;
  /** Events ended by silence instead of an E bit. */
  timeouts: number;
  /** Events ended by a newer event instead of an E bit. */
  superseded: number;
}

export interface DtmfReceiverOptions {
  /** The RTP clock rate of the telephone-event payload type. Default 8000. */
  clockRateHz?: number;
  /** An event with no packet for this long is ended by `poll`. Default 500 ms. */
  endTimeoutMs?: number;
}

interface CurrentEvent {
  readonly event: number;
  readonly symbol: DtmfSymbol;
  readonly firstTimestamp: number;
  /** The timestamp of the current segment. */
  segmentTimestamp: number;
  /** Duration of the segments before the current one. */
  previousSegmentsSamples: number;
  /** Largest duration seen in the current segment. */
  segmentDuration: number;
  volume: number;
  ended: boolean;
  lastPacketMs: number;
}

/** The signed distance b − a between two 32-bit RTP timestamps (RFC 3550 §5.1 modular arithmetic). */
function timestampDistance(a: number, b: number): number {
  return (b - a) | 0;
}

/** Turns telephone-event packets into digit start/end reports. Malformed input is counted, never thrown. */
export class DtmfReceiver {
  readonly #clockRateHz: number;
  readonly #endTimeoutMs: number;
  #current: CurrentEvent | undefined;
  readonly #stats: DtmfReceiverStats = {
    packets: 0,
    malformed: 0,
    ignoredEvents: 0,
    duplicates: 0,
    stale: 0,
    startsWithoutMarker: 0,
    timeouts: 0,
    superseded: 0,
  };

  constructor(options: DtmfReceiverOptions = {}) {
    this.#clockRateHz = options.clockRateHz ?? 8000;
    this.#endTimeoutMs = options.endTimeoutMs ?? 500;
  }

  /** A copy of the counters. */
  get stats(): DtmfReceiverStats {
    return { ...this.#stats };
  }

  /** True while a digit has started and not ended. */
  get inProgress(): boolean {
    return this.#current !== undefined && !this.#current.ended;
  }

  /** Processes one packet received at `nowMs`; returns the reports it causes (often none). */
  receive(packet: TelephoneEventRtpPacket, nowMs: number): DtmfReceiverEvent[] {
    this.#stats.packets++;
    let block: TelephoneEvent;
    try {
      block = parseTelephoneEvent(packet.payload);
    } catch {
      this.#stats.malformed++;
      return [];
    }
    const symbol = symbolForEvent(block.event);
    if (symbol === undefined) {
      this.#stats.ignoredEvents++;
      return [];
    }
    const timestamp = packet.timestamp >>> 0;
    const current = this.#current;
    if (current !== undefined) {
      if (timestamp === current.segmentTimestamp && block.event === current.event) {
        return this.#update(current, block, nowMs);
      }
      const distance = timestampDistance(current.segmentTimestamp, timestamp);
      if (distance < 0) {
        this.#stats.stale++;
        return [];
      }
      if (!current.ended && block.event === current.event && distance === MAX_EVENT_DURATION) {
        current.previousSegmentsSamples += distance;
        current.segmentTimestamp = timestamp;
        current.segmentDuration = 0;
        return this.#update(current, block, nowMs);
      }
    }
    const reports: DtmfReceiverEvent[] = [];
    if (current !== undefined && !current.ended) {
      this.#stats.superseded++;
      reports.push(this.#end(current, 'superseded'));
    }
    if (!packet.marker) this.#stats.startsWithoutMarker++;
    const started: CurrentEvent = {
      event: block.event,
      symbol,
      firstTimestamp: timestamp,
      segmentTimestamp: timestamp,
      previousSegmentsSamples: 0,
      segmentDuration: 0,
      volume: block.volume,
      ended: false,
      lastPacketMs: nowMs,
    };
    this.#current = started;
    reports.push({
      type: 'digit-start',
      symbol,
      event: block.event,
      timestamp,
      volume: block.volume,
      markerSeen: packet.marker,
    });
    reports.push(...this.#update(started, block, nowMs));
    return reports;
  }

  /** Ends an event that has been silent for `endTimeoutMs`; call it on the media tick. */
  poll(nowMs: number): DtmfReceiverEvent[] {
    const current = this.#current;
    if (current === undefined || current.ended || nowMs - current.lastPacketMs < this.#endTimeoutMs)
      return [];
    this.#stats.timeouts++;
    return [this.#end(current, 'timeout')];
  }

  #update(current: CurrentEvent, block: TelephoneEvent, nowMs: number): DtmfReceiverEvent[] {
    if (current.ended) {
      this.#stats.duplicates++;
      return [];
    }
    current.lastPacketMs = nowMs;
    current.volume = block.volume;
    // Reordered updates carry a smaller duration than one already seen; the largest one is the truth.
    current.segmentDuration = Math.max(current.segmentDuration, block.duration);
    return block.end ? [this.#end(current, 'end-bit')] : [];
  }

  #end(current: CurrentEvent, reason: DtmfDigitEnd['reason']): DtmfDigitEnd {
    current.ended = true;
    const durationSamples = current.previousSegmentsSamples + current.segmentDuration;
    return {
      type: 'digit-end',
      symbol: current.symbol,
      event: current.event,
      timestamp: current.firstTimestamp,
      volume: current.volume,
      durationSamples,
      durationMs: (durationSamples * 1000) / this.#clockRateHz,
      reason,
    };
  }
}
