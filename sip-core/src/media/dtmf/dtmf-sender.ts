// The sending side of RFC 4733 DTMF as a pure state machine: the media session tells it the time and the RTP
// timestamp of its audio clock, and it answers with the telephone-event packets to send. It owns no socket, no
// timer, no sequence number and no SSRC — those belong to the session's RTP stream, which also mutes its own
// audio while `isSending` is true (RFC 4733 §2.6: a tone should not be carried twice).
//
// One event, with packet interval I, duration D, end repetitions n spaced s apart (RFC 4733 §2.5.1):
//
//   time   t0            t0+I        t0+2I   …    t0+D        t0+D+s      t0+D+(n-1)s
//   packet (anchor)      update M=1  update       end E=1     end E=1     end E=1
//   dur.                 I           2I           D           D           D          (timestamp = T for all)
//
// t0 is the poll at which the event starts and T the RTP timestamp the session gave at that poll; each
// update reports the time elapsed since t0 (the example of RFC 4733 §5), the first one carries the marker
// bit (§2.5.1.1), and the final duration is sent n times with the same timestamp (§2.5.1.4). A next event
// starts no earlier than t0+D+gap, and never before the last end packet of the previous one.
//
// Events longer than 65535 timestamp units (8.19 s at 8 kHz) are split into segments (§2.5.1.3): a segment
// ends with a packet of duration 65535 and no E bit, and the next one starts at timestamp T+65535 without a
// marker; only the last segment carries the E bit.
//
// State of the sender:
//
//           enqueue                   poll ≥ start time               poll ≥ last end packet
//   idle ─────────────► waiting ────────────────────────► sending ─────────────────────────► idle
//     ▲                    ▲                                  │        (or waiting, if queued)
//     └──── cancel ────────┴──────────────────────────────────┘  (cancel ends the event now)

import { DtmfError } from './dtmf-error.js';
import { eventsForDigits } from './dtmf-symbols.js';
import {
  MAX_EVENT_DURATION,
  MAX_EVENT_VOLUME,
  serializeTelephoneEvent,
  type TelephoneEvent,
} from './telephone-event.js';

export interface DtmfSenderOptions {
  /** The RTP clock rate of the telephone-event payload type (the audio codec's, RFC 4733 §2.3.1). */
  clockRateHz?: number;
  /** Time between update packets of one event. Default 50 ms. */
  packetIntervalMs?: number;
  /** Duration of each event. Default 100 ms; at least 40 ms (ITU-T Q.24 recognition minimum). */
  durationMs?: number;
  /** Tone power in -dBm0, 0 … 63. Default 10. */
  volume?: number;
  /** Silence between the end of one event and the start of the next. Default 100 ms. */
  interDigitGapMs?: number;
  /** How many times the final packet is sent. Default 3 (RFC 4733 §2.5.1.4). */
  endPacketCount?: number;
  /** Spacing of the repeated final packets, so one short burst of loss does not take all of them. Default 20. */
  endPacketSpacingMs?: number;
}

/** One telephone-event RTP packet for the session to send with its own sequence number and SSRC. */
export interface TelephoneEventPacket {
  /** When the packet is due on the session's clock (it may be sent later if the session polls late). */
  readonly sendAtMs: number;
  /** The RTP marker bit: set on the first packet of an event. */
  readonly marker: boolean;
  /** The RTP timestamp: the start of the event (segment), the same in every packet of it. */
  readonly timestamp: number;
  /** The 4-octet RTP payload. */
  readonly payload: Uint8Array;
  /** The payload, decoded. */
  readonly event: TelephoneEvent;
}

interface QueuedEvent {
  readonly event: number;
  readonly durationMs: number;
  readonly volume: number;
}

interface ActiveEvent extends QueuedEvent {
  readonly startMs: number;
  readonly timestamp: number;
  /** Updates sent so far (the next update is number `updatesSent + 1`, at startMs + that × interval). */
  updatesSent: number;
  /** End packets sent so far. */
  endsSent: number;
  /** The segment of the last packet sent, to close it when the event crosses into the next one. */
  segment: number;
  /** Effective duration; shortened by `cancel`. */
  plannedDurationMs: number;
}

const DEFAULTS = {
  clockRateHz: 8000,
  packetIntervalMs: 50,
  durationMs: 100,
  volume: 10,
  interDigitGapMs: 100,
  endPacketCount: 3,
  endPacketSpacingMs: 20,
} satisfies Required<DtmfSenderOptions>;

/** The shortest DTMF digit a receiver must recognise (ITU-T Q.24); shorter ones may be ignored. */
export const MIN_DTMF_DURATION_MS = 40;

function checkOption(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new DtmfError(
      'DTMF_INVALID_OPTION',
      `The DTMF ${name} must be between ${min} and ${max}, not ${value}.`,
    );
  }
}

/** Sends RFC 4733 DTMF digits: `enqueue` them, then `poll` on every media tick. */
export class DtmfSender {
  readonly #options: Required<DtmfSenderOptions>;
  readonly #queue: Array<QueuedEvent & { readonly notBeforeMs: number }> = [];
  #active: ActiveEvent | undefined;
  #nextStartMs = Number.NEGATIVE_INFINITY;

  constructor(options: DtmfSenderOptions = {}) {
    this.#options = { ...DEFAULTS, ...options };
    const o = this.#options;
    checkOption('clock rate (Hz)', o.clockRateHz, 1000, 192_000);
    checkOption('packet interval (ms)', o.packetIntervalMs, 5, 1000);
    checkOption('duration (ms)', o.durationMs, MIN_DTMF_DURATION_MS);
    checkOption('volume (-dBm0)', o.volume, 0, MAX_EVENT_VOLUME);
    checkOption('inter-digit gap (ms)', o.interDigitGapMs, 0);
    checkOption('end packet count', o.endPacketCount, 1, 10);
    checkOption('end packet spacing (ms)', o.endPacketSpacingMs, 0, 1000);
  }

  /**
   * Queues digits ('0'-'9', '*', '#', 'A'-'D', '!' for flash) to start no earlier than `nowMs`. An invalid
   * character rejects the whole string with a `DtmfError` naming it, and nothing is queued.
   */
  enqueue(digits: string, nowMs: number, options: { durationMs?: number; volume?: number } = {}): void {
    const durationMs = options.durationMs ?? this.#options.durationMs;
    const volume = options.volume ?? this.#options.volume;
    checkOption('duration (ms)', durationMs, MIN_DTMF_DURATION_MS);
    checkOption('volume (-dBm0)', volume, 0, MAX_EVENT_VOLUME);
    for (const event of eventsForDigits(digits))
      this.#queue.push({ event, durationMs, volume, notBeforeMs: nowMs });
  }

  /** True while an event is being sent (from its start to its last end packet): the session mutes audio. */
  get isSending(): boolean {
    return this.#active !== undefined;
  }

  /** Events queued and not yet started. */
  get pendingCount(): number {
    return this.#queue.length;
  }

  /** When `poll` next has work (a packet or the start of an event), or undefined when idle. */
  nextDueMs(): number | undefined {
    if (this.#active) return this.#nextPacketMs(this.#active);
    const next = this.#queue[0];
    return next === undefined ? undefined : Math.max(next.notBeforeMs, this.#nextStartMs);
  }

  /**
   * Returns the packets due at `nowMs`, in order. `rtpTimestamp` is the session's RTP timestamp for `nowMs`;
   * it becomes the timestamp of an event that starts at this poll.
   */
  poll(nowMs: number, rtpTimestamp: number): TelephoneEventPacket[] {
    const packets: TelephoneEventPacket[] = [];
    for (;;) {
      if (this.#active === undefined) {
        const next = this.#queue[0];
        if (next === undefined || nowMs < Math.max(next.notBeforeMs, this.#nextStartMs)) break;
        this.#queue.shift();
        this.#active = {
          event: next.event,
          durationMs: next.durationMs,
          volume: next.volume,
          plannedDurationMs: next.durationMs,
          startMs: nowMs,
          timestamp: rtpTimestamp >>> 0,
          updatesSent: 0,
          endsSent: 0,
          segment: 0,
        };
      }
      const active = this.#active;
      const dueMs = this.#nextPacketMs(active);
      if (dueMs > nowMs) break;
      this.#emitNext(active, dueMs, packets);
    }
    return packets;
  }

  /**
   * Stops sending: an event in progress ends at `nowMs` (its end packets become due; at least one packet
   * interval of tone is reported) and queued digits are dropped.
   */
  cancel(nowMs: number): void {
    this.#queue.length = 0;
    const active = this.#active;
    if (active && active.endsSent === 0) {
      const elapsedMs = Math.max(nowMs - active.startMs, this.#options.packetIntervalMs);
      active.plannedDurationMs = Math.min(active.plannedDurationMs, elapsedMs);
    }
  }

  #nextPacketMs(active: ActiveEvent): number {
    const { packetIntervalMs, endPacketSpacingMs } = this.#options;
    const nextUpdateMs = (active.updatesSent + 1) * packetIntervalMs;
    if (active.endsSent === 0 && nextUpdateMs < active.plannedDurationMs)
      return active.startMs + nextUpdateMs;
    return active.startMs + active.plannedDurationMs + active.endsSent * endPacketSpacingMs;
  }

  #emitNext(active: ActiveEvent, dueMs: number, packets: TelephoneEventPacket[]): void {
    const { packetIntervalMs, endPacketCount, interDigitGapMs } = this.#options;
    const isEnd =
      active.endsSent > 0 || (active.updatesSent + 1) * packetIntervalMs >= active.plannedDurationMs;
    const elapsedMs = isEnd ? active.plannedDurationMs : (active.updatesSent + 1) * packetIntervalMs;
    const elapsed = this.#samples(elapsedMs);
    // Segment j covers (j·65535, (j+1)·65535]: a duration of exactly 65535 still belongs to segment 0.
    const segment = Math.max(0, Math.floor((elapsed - 1) / MAX_EVENT_DURATION));
    if (segment > active.segment) {
      packets.push(this.#packet(active, dueMs, active.segment, MAX_EVENT_DURATION, false));
      active.segment = segment;
    }
    const first = active.updatesSent === 0 && active.endsSent === 0;
    packets.push(this.#packet(active, dueMs, segment, elapsed - segment * MAX_EVENT_DURATION, isEnd, first));
    if (!isEnd) {
      active.updatesSent++;
      return;
    }
    active.endsSent++;
    if (active.endsSent >= endPacketCount) {
      this.#nextStartMs = Math.max(active.startMs + active.plannedDurationMs + interDigitGapMs, dueMs);
      this.#active = undefined;
    }
  }

  #packet(
    active: ActiveEvent,
    sendAtMs: number,
    segment: number,
    duration: number,
    end: boolean,
    marker = false,
  ): TelephoneEventPacket {
    const event: TelephoneEvent = {
      event: active.event,
      end,
      reserved: false,
      volume: active.volume,
      duration,
    };
    return {
      sendAtMs,
      // Only the first packet of the whole event carries the marker; later segments do not (§2.5.1.3).
      marker: marker && segment === 0,
      timestamp: (active.timestamp + segment * MAX_EVENT_DURATION) >>> 0,
      payload: serializeTelephoneEvent(event),
      event,
    };
  }

  #samples(ms: number): number {
    return Math.round((ms * this.#options.clockRateHz) / 1000);
  }
}
