// An adaptive jitter buffer for decoded audio, as a pure processor: the session `push`es each audio packet
// when it arrives and `pull`s one 20 ms frame on every tick; time is an argument, there are no timers.
// Telephone-events (RFC 4733) must not go through it: they bypass it to the DTMF receiver, which needs their
// arrival as it happens and must not have them concealed or dropped.
//
// Delay. A packet's relative transit is its arrival time minus its RTP timestamp in ms; the smallest recent
// one is the path's floor. The playout delay of the frame being played is how long after that floor it is
// played: now − (timestamp/rate + floor). The buffer aims that delay at a target, the spread of recent transit
// times (98th percentile − minimum over the last `windowPackets` packets, so 98 % arrive in time), clamped to
// [minDelayMs, maxDelayMs]. It follows the target by adding a concealed frame without advancing (delay up by
// one frame) when the delay is a frame short, and by skipping one frame (delay down) when it has been over the
// target by a frame for `shrinkAfterPulls` pulls. A delay beyond `maxDelayMs` (a burst after a stall) is cut
// back to the target at once, counted as an overflow. Because the floor is a moving minimum, the same
// mechanism absorbs drift between the sender's clock and ours.
//
// Loss. A missing frame is concealed. If later audio is buffered, or the delay is already at its target, the
// frame is given up as lost (a packet for it arriving afterwards is discarded as late) and playout moves on,
// keeping pace with the clock, so a pause in the stream (silence suppression) adds no delay. If nothing is
// buffered and the delay is below target, the buffer underran because packets are late: it conceals without
// moving on, which raises the delay by a frame. After `resyncAfterMs` without audio (hold, a stall) it starts
// over from the next packet that arrives.
//
// Concealment is `PacketLossConcealer`: pitch repetition fading to silence by `maxConcealMs`.
//
// Memory. `push` copies a packet's samples into a slot from the buffer's own pool and `pullInto` writes into the
// caller's frame, so a call allocates nothing per packet once the pool has grown to the packets in flight; the
// transit window is a ring and a sorted array of numbers, not arrays that are spliced (docs/adr/0057).
//
// Resets. A new SSRC, a sequence number jump of more than `maxSequenceJump`, or a timestamp that moves the
// relative transit by more than `maxTransitJumpMs` (a new source behind the same SSRC; not silence
// suppression, whose timestamps jump together with the arrival times) flushes the buffer and starts over.
//
// State:
//
//            first packet                   playout delay of the oldest packet ≥ target
//   empty ────────────────► prefetching ─────────────────────────────────────────────► playing
//                               ▲  ▲                                                      │
//                               │  └────────── underrun for resyncAfterMs ─────────────────┤
//                               └───────────── reset: new SSRC, sequence or timestamp jump ┘

import { FRAME_SAMPLES, NARROWBAND_SAMPLE_RATE_HZ } from '../codec/pcm-frame.js';
import { JitterBufferError } from './jitter-buffer-error.js';
import { PacketLossConcealer } from './packet-loss-concealer.js';
import { CounterUnwrapper } from './rtp-sequence.js';

/** One decoded audio packet as the session received it. */
export interface JitterBufferPacket {
  /** RTP sequence number (16-bit, wrapping). */
  readonly sequence: number;
  /** RTP timestamp (32-bit, wrapping), in samples. */
  readonly timestamp: number;
  /**
   * Decoded PCM at the buffer's rate (any whole number of samples; usually one 20 ms frame). The buffer copies
   * the samples, so the caller may decode every packet into the same array (and reuse the packet object).
   */
  readonly payload: Int16Array;
  /** When it arrived, on the session's clock. */
  readonly arrivalMs: number;
  /** The RTP SSRC; a change resets the buffer. */
  readonly ssrc?: number;
}

export type JitterBufferFrameKind = 'audio' | 'concealed' | 'silence';

export interface JitterBufferFrame {
  /** `frameSamples` samples, a new array the caller may keep (`pullInto` writes into the caller's instead). */
  readonly frame: Int16Array;
  /** Received audio, invented audio (loss, underrun, delay growth), or silence (nothing to play). */
  readonly kind: JitterBufferFrameKind;
}

export interface JitterBufferStats {
  /** Playout delay of the last received frame played, ms. */
  currentDelayMs: number;
  /** The delay the buffer is steering to, ms. */
  targetDelayMs: number;
  /** RFC 3550 §6.4.1 interarrival jitter, ms. */
  jitterMs: number;
  /** Valid packets pushed. */
  received: number;
  /** Packets whose audio was played (in whole or in part). */
  played: number;
  /** Packets that arrived after their time and were discarded. */
  late: number;
  /** Packets never received (RFC 3550 cumulative loss: expected minus received). */
  lost: number;
  /** Frames output as concealment. */
  concealed: number;
  /** Frames output as silence. */
  silence: number;
  /** Packets received twice (the copy is discarded). */
  duplicated: number;
  /** Packets that arrived after a packet with a higher sequence number. */
  reordered: number;
  /** Times the buffer ran dry while playing (a pause in the stream counts once). */
  underruns: number;
  /** Times the delay exceeded `maxDelayMs` and was cut back. */
  overflows: number;
  /** Frames skipped to lower the delay (adaptation and overflows). */
  framesDropped: number;
  /** Concealed frames added to raise the delay (adaptation). */
  framesInserted: number;
  /** Restarts on a new SSRC, a sequence jump or a timestamp jump. */
  resets: number;
  /** Packets refused as malformed (empty payload, non-numeric fields). */
  malformed: number;
}

export interface JitterBufferOptions {
  sampleRateHz?: number;
  frameSamples?: number;
  /** Lowest target delay. Default 20 ms. */
  minDelayMs?: number;
  /** Highest target delay; beyond it the delay is cut back at once. Default 200 ms. */
  maxDelayMs?: number;
  /** Packets in the delay estimation window. Default 250 (5 s of 20 ms packets). */
  windowPackets?: number;
  /** The share of packets that should arrive in time. Default 0.98. */
  inTimeQuantile?: number;
  /** Pulls over target before one frame is dropped. Default 25 (0.5 s). */
  shrinkAfterPulls?: number;
  /** Underrun time after which playout starts over. Default 200 ms. */
  resyncAfterMs?: number;
  /** Concealment length before silence. Default 60 ms. */
  maxConcealMs?: number;
  /** A sequence jump beyond this resets. Default 1000. */
  maxSequenceJump?: number;
  /** A relative-transit jump beyond this resets. Default 2000 ms. */
  maxTransitJumpMs?: number;
}

/** A buffered packet: a slot of the pool, holding a copy of the packet's samples. */
interface BufferedPacket {
  sequence: number;
  timestamp: number;
  /** Capacity; the packet's samples are `samples[0, length)`. */
  samples: Int16Array;
  length: number;
}

const DEFAULTS = {
  sampleRateHz: NARROWBAND_SAMPLE_RATE_HZ,
  frameSamples: FRAME_SAMPLES,
  minDelayMs: 20,
  maxDelayMs: 200,
  windowPackets: 250,
  inTimeQuantile: 0.98,
  shrinkAfterPulls: 25,
  resyncAfterMs: 200,
  maxConcealMs: 60,
  maxSequenceJump: 1000,
  maxTransitJumpMs: 2000,
} satisfies Required<JitterBufferOptions>;

/** How many recently played sequence numbers are remembered to tell duplicates from late packets. */
const PLAYED_MEMORY = 256;

/** Reorders, times and conceals decoded audio packets; see the top of this file. */
export class JitterBuffer {
  readonly #o: Required<JitterBufferOptions>;
  readonly #samplesPerMs: number;
  readonly #frameMs: number;
  readonly #plc: PacketLossConcealer;
  readonly #sequences = new CounterUnwrapper(16);
  readonly #timestamps = new CounterUnwrapper(32);

  /** Buffered packets, sorted by extended timestamp. */
  readonly #packets: BufferedPacket[] = [];
  /** Slots not in use, for the next packets. */
  readonly #freeSlots: BufferedPacket[] = [];
  #state: 'empty' | 'prefetching' | 'playing' = 'empty';
  #ssrc: number | undefined;
  /** Extended timestamp of the next sample to play. */
  #playTimestamp = 0;
  #firstSequence = 0;
  #highestSequence = -1;
  /** Whether a play position exists (packets behind it are late), from the first start to a reset. */
  #positioned = false;
  #uniqueReceived = 0;
  /** Recently played extended sequence numbers, each at its own value modulo PLAYED_MEMORY (−1: none). */
  readonly #played = new Float64Array(PLAYED_MEMORY).fill(-1);
  /**
   * Relative transit times of the window: a ring in arrival order (`#transitCount` of them, the oldest at
   * `#transitOldest`), and the same values sorted (kept in step, for O(n) updates without allocation).
   */
  readonly #transits: Float64Array;
  readonly #sortedTransits: Float64Array;
  #transitCount = 0;
  #transitOldest = 0;
  #hasLastArrival = false;
  #lastArrivalMs = 0;
  #lastArrivalTimestamp = 0;
  #jitterMs = 0;
  #targetDelayMs: number;
  /** Playout delay of the frame being played now (control input). */
  #liveDelayMs = 0;
  /** Playout delay of the last received frame played (reported). */
  #currentDelayMs = 0;
  #pullsOverTarget = 0;
  #underrunSinceMs: number | undefined;
  readonly #stats: Omit<JitterBufferStats, 'currentDelayMs' | 'targetDelayMs' | 'jitterMs'>;

  constructor(options: JitterBufferOptions = {}) {
    this.#o = { ...DEFAULTS, ...options };
    const o = this.#o;
    if (!(
      o.frameSamples > 0 &&
      o.sampleRateHz >= 1000 &&
      o.minDelayMs >= 0 &&
      o.maxDelayMs >= o.minDelayMs
    )) {
      throw new JitterBufferError(
        'The jitter buffer needs frameSamples > 0, a rate ≥ 1 kHz and 0 ≤ min ≤ max delay.',
      );
    }
    if (!(o.windowPackets >= 2 && o.inTimeQuantile > 0 && o.inTimeQuantile <= 1 && o.shrinkAfterPulls >= 1)) {
      throw new JitterBufferError(
        'The jitter buffer needs a window of ≥ 2 packets, a quantile in (0, 1] and ≥ 1 pull.',
      );
    }
    this.#transits = new Float64Array(o.windowPackets);
    this.#sortedTransits = new Float64Array(o.windowPackets);
    this.#samplesPerMs = o.sampleRateHz / 1000;
    this.#frameMs = o.frameSamples / this.#samplesPerMs;
    this.#plc = new PacketLossConcealer({ sampleRateHz: o.sampleRateHz, maxConcealMs: o.maxConcealMs });
    this.#targetDelayMs = o.minDelayMs;
    this.#stats = {
      received: 0,
      played: 0,
      late: 0,
      lost: 0,
      concealed: 0,
      silence: 0,
      duplicated: 0,
      reordered: 0,
      underruns: 0,
      overflows: 0,
      framesDropped: 0,
      framesInserted: 0,
      resets: 0,
      malformed: 0,
    };
  }

  /** A copy of the counters and delays. */
  get stats(): JitterBufferStats {
    return {
      ...this.#stats,
      currentDelayMs: this.#currentDelayMs,
      targetDelayMs: this.#targetDelayMs,
      jitterMs: this.#jitterMs,
      lost:
        this.#stats.lost +
        Math.max(0, this.#highestSequence - this.#firstSequence + 1 - this.#uniqueReceived),
    };
  }

  /** Packets buffered now. */
  get size(): number {
    return this.#packets.length;
  }

  /** Takes an arriving audio packet. Malformed packets are counted and dropped, never thrown. */
  push(packet: JitterBufferPacket): void {
    const { sequence, timestamp, payload, arrivalMs } = packet;
    if (
      !(payload instanceof Int16Array) ||
      payload.length === 0 ||
      !Number.isFinite(sequence) ||
      !Number.isFinite(timestamp) ||
      !Number.isFinite(arrivalMs)
    ) {
      this.#stats.malformed++;
      return;
    }
    if (this.#state !== 'empty' && packet.ssrc !== undefined && packet.ssrc !== this.#ssrc) this.#reset();
    let extSequence = this.#sequences.unwrap(sequence);
    let extTimestamp = this.#timestamps.unwrap(timestamp);
    if (this.#state !== 'empty' && this.#isDiscontinuity(extSequence, extTimestamp, arrivalMs)) {
      this.#reset();
      extSequence = this.#sequences.unwrap(sequence);
      extTimestamp = this.#timestamps.unwrap(timestamp);
    }
    if (this.#state === 'empty') {
      this.#state = 'prefetching';
      this.#ssrc = packet.ssrc;
      this.#firstSequence = extSequence;
      this.#highestSequence = extSequence - 1;
    }
    this.#stats.received++;

    if (this.#wasPlayed(extSequence) || this.#isBuffered(extSequence)) {
      this.#stats.duplicated++;
      return;
    }
    this.#uniqueReceived++;
    if (extSequence < this.#highestSequence) this.#stats.reordered++;
    this.#highestSequence = Math.max(this.#highestSequence, extSequence);
    this.#measure(extTimestamp, arrivalMs);

    if (this.#positioned && extTimestamp + payload.length <= this.#playTimestamp) {
      this.#stats.late++;
      return;
    }
    const entry = this.#slotFor(payload.length);
    entry.sequence = extSequence;
    entry.timestamp = extTimestamp;
    entry.samples.set(payload);
    entry.length = payload.length;
    // Insertion into the sorted list by hand: `splice` would allocate the (empty) array of removed elements.
    const packets = this.#packets;
    let index = packets.length;
    packets.push(entry);
    while (index > 0 && packets[index - 1].timestamp > extTimestamp) {
      packets[index] = packets[index - 1];
      index--;
    }
    packets[index] = entry;
  }

  /** Returns the frame to play at `nowMs` in a new array; call it once per frame time. */
  pull(nowMs: number): JitterBufferFrame {
    const frame = new Int16Array(this.#o.frameSamples);
    return { frame, kind: this.pullInto(nowMs, frame) };
  }

  /**
   * Writes the frame to play at `nowMs` into `out` (exactly `frameSamples` long) and says what it is; call it once
   * per frame time. Allocates nothing: the media session plays every frame through one array.
   */
  pullInto(nowMs: number, out: Int16Array): JitterBufferFrameKind {
    if (out.length !== this.#o.frameSamples) {
      throw new JitterBufferError(
        `pullInto needs a frame of ${this.#o.frameSamples} samples, got ${out.length}.`,
      );
    }
    if (this.#state === 'prefetching') this.#tryStart(nowMs);
    if (this.#state !== 'playing') return this.#silence(out);

    const floorMs = this.#floorMs();
    this.#liveDelayMs = nowMs - (this.#playTimestamp / this.#samplesPerMs + floorMs);
    if (this.#liveDelayMs > this.#o.maxDelayMs + this.#frameMs && this.#packets.length > 0) {
      this.#stats.overflows++;
      this.#skipFrames(Math.floor((this.#liveDelayMs - this.#targetDelayMs) / this.#frameMs));
      this.#liveDelayMs = nowMs - (this.#playTimestamp / this.#samplesPerMs + floorMs);
    }

    out.fill(0);
    const covered = this.#copyFrame(out);
    const missing = covered < out.length;
    if (missing && this.#packets.length === 0) {
      if (this.#underrun(nowMs)) return this.#concealed(out);
    } else {
      this.#underrunSinceMs = undefined;
    }
    // Below target, missing audio may still arrive in time, and complete audio came too early for the jitter
    // seen: either way play a concealed frame and keep this position for the next pull (delay +1 frame).
    if (
      missing
        ? this.#liveDelayMs < this.#targetDelayMs
        : this.#liveDelayMs < this.#targetDelayMs - this.#frameMs
    ) {
      this.#stats.framesInserted++;
      return this.#concealed(out);
    }
    if (this.#adaptDown()) {
      this.#skipFrames(1);
      return this.pullInto(nowMs, out);
    }
    if (covered === out.length) {
      this.#advance(true);
      this.#plc.good(out);
      this.#currentDelayMs = this.#liveDelayMs;
      return 'audio';
    }
    // Lost (or late) audio with later audio waiting: conceal the missing part and move on. Audio that did
    // arrive for part of the frame (packets shorter than a frame) is kept over the concealment.
    const invented = this.#plc.conceal(out);
    if (covered > 0) this.#copyFrame(out);
    this.#advance(true);
    const kind = invented || covered > 0 ? 'concealed' : 'silence';
    this.#countKind(kind);
    return kind;
  }

  /** Empties the buffer and forgets the stream (the counters are kept). */
  reset(): void {
    this.#reset();
  }

  #reset(): void {
    if (this.#state !== 'empty') this.#stats.resets++;
    for (const packet of this.#packets) this.#freeSlots.push(packet);
    this.#packets.length = 0;
    this.#state = 'empty';
    this.#positioned = false;
    this.#ssrc = undefined;
    this.#sequences.reset();
    this.#timestamps.reset();
    this.#played.fill(-1);
    this.#transitCount = 0;
    this.#transitOldest = 0;
    this.#hasLastArrival = false;
    this.#underrunSinceMs = undefined;
    this.#pullsOverTarget = 0;
    this.#plc.reset();
    // The loss count restarts with the new stream's sequence numbers; earlier losses are folded in.
    this.#stats.lost += Math.max(0, this.#highestSequence - this.#firstSequence + 1 - this.#uniqueReceived);
    this.#firstSequence = 0;
    this.#highestSequence = -1;
    this.#uniqueReceived = 0;
  }

  #isDiscontinuity(extSequence: number, extTimestamp: number, arrivalMs: number): boolean {
    if (Math.abs(extSequence - this.#highestSequence) > this.#o.maxSequenceJump) return true;
    if (this.#transitCount === 0) return false;
    const transit = arrivalMs - extTimestamp / this.#samplesPerMs;
    return Math.abs(transit - this.#floorMs()) > this.#o.maxTransitJumpMs;
  }

  /** Updates the transit window, the target delay and the RFC 3550 jitter. */
  #measure(extTimestamp: number, arrivalMs: number): void {
    const transit = arrivalMs - extTimestamp / this.#samplesPerMs;
    const window = this.#o.windowPackets;
    const sorted = this.#sortedTransits;
    if (this.#transitCount === window) {
      // The window is full: the oldest value leaves and the new one takes its place in one move. Only the values
      // between the two positions shift (a third of the window on average, none when the transit is steady),
      // where removing and then inserting shifted everything above each position: with hundreds of sessions, each
      // one's window is cold in the cache when its packet comes, and the octets moved are what it costs.
      const oldest = this.#transits[this.#transitOldest];
      this.#transits[this.#transitOldest] = transit;
      this.#transitOldest = (this.#transitOldest + 1) % window;
      const count = this.#transitCount;
      const leaving = sortedIndex(sorted, count, oldest);
      const entering = sortedIndex(sorted, count, transit);
      if (entering <= leaving) {
        sorted.copyWithin(entering + 1, entering, leaving);
        sorted[entering] = transit;
      } else {
        sorted.copyWithin(leaving, leaving + 1, entering);
        sorted[entering - 1] = transit;
      }
    } else {
      this.#transits[(this.#transitOldest + this.#transitCount) % window] = transit;
      const at = sortedIndex(sorted, this.#transitCount, transit);
      sorted.copyWithin(at + 1, at, this.#transitCount);
      sorted[at] = transit;
      this.#transitCount++;
    }
    if (this.#hasLastArrival) {
      const difference =
        arrivalMs - this.#lastArrivalMs - (extTimestamp - this.#lastArrivalTimestamp) / this.#samplesPerMs;
      this.#jitterMs += (Math.abs(difference) - this.#jitterMs) / 16;
    }
    this.#hasLastArrival = true;
    this.#lastArrivalMs = arrivalMs;
    this.#lastArrivalTimestamp = extTimestamp;
    const count = this.#transitCount;
    const quantile = sorted[Math.min(count - 1, Math.ceil(this.#o.inTimeQuantile * count) - 1)];
    const spread = quantile - sorted[0];
    this.#targetDelayMs = Math.min(this.#o.maxDelayMs, Math.max(this.#o.minDelayMs, spread));
  }

  #floorMs(): number {
    return this.#transitCount > 0 ? this.#sortedTransits[0] : 0;
  }

  #tryStart(nowMs: number): void {
    const oldest = this.#packets[0];
    if (oldest === undefined) return;
    const delayMs = nowMs - (oldest.timestamp / this.#samplesPerMs + this.#floorMs());
    if (delayMs + 1e-9 < this.#targetDelayMs) return;
    this.#state = 'playing';
    // After a resync the oldest packet may still be behind the old position if it was never played.
    this.#playTimestamp = oldest.timestamp;
    this.#positioned = true;
    this.#pullsOverTarget = 0;
  }

  /** Copies the audio for [playTimestamp, +frameSamples) into `frame`; returns the samples covered. */
  #copyFrame(frame: Int16Array): number {
    const start = this.#playTimestamp;
    const end = start + frame.length;
    let covered = 0;
    const packets = this.#packets;
    for (let p = 0; p < packets.length; p++) {
      const packet = packets[p];
      if (packet.timestamp >= end) break;
      const from = Math.max(start, packet.timestamp);
      const to = Math.min(end, packet.timestamp + packet.length);
      if (to <= from) continue;
      const samples = packet.samples;
      // The usual case, a packet that is exactly the frame being played, is one native copy.
      if (from === start && to === end && packet.timestamp === start && samples.length === frame.length) {
        frame.set(samples);
        return frame.length;
      }
      for (let t = from; t < to; t++) frame[t - start] = samples[t - packet.timestamp];
      covered += to - from;
    }
    return covered;
  }

  /** Moves the play position one frame on and releases the packets now behind it. */
  #advance(played: boolean): void {
    this.#playTimestamp += this.#o.frameSamples;
    while (this.#packets.length > 0) {
      const first = this.#packets[0];
      if (first.timestamp + first.length > this.#playTimestamp) break;
      this.#packets.shift();
      if (played) this.#stats.played++;
      this.#remember(first.sequence);
      this.#freeSlots.push(first);
    }
  }

  /** A free slot that holds `samples` samples (a new one when none is free, or none is large enough). */
  #slotFor(samples: number): BufferedPacket {
    const free = this.#freeSlots;
    for (let i = free.length - 1; i >= 0; i--) {
      const slot = free[i];
      if (slot.samples.length < samples) continue;
      free[i] = free[free.length - 1];
      free.pop();
      return slot;
    }
    const capacity = Math.max(samples, this.#o.frameSamples);
    return { sequence: 0, timestamp: 0, samples: new Int16Array(capacity), length: 0 };
  }

  #isBuffered(sequence: number): boolean {
    const packets = this.#packets;
    for (let p = 0; p < packets.length; p++) if (packets[p].sequence === sequence) return true;
    return false;
  }

  #skipFrames(count: number): void {
    for (let i = 0; i < count && this.#packets.length > 0; i++) {
      this.#advance(false);
      this.#stats.framesDropped++;
    }
    this.#pullsOverTarget = 0;
  }

  /** Whether the delay has stayed a frame over target long enough to drop one frame. */
  #adaptDown(): boolean {
    if (this.#liveDelayMs > this.#targetDelayMs + this.#frameMs && this.#packets.length > 1) {
      return ++this.#pullsOverTarget >= this.#o.shrinkAfterPulls;
    }
    this.#pullsOverTarget = 0;
    return false;
  }

  /** Notes an underrun at `nowMs`; returns true when it has lasted so long that playout starts over. */
  #underrun(nowMs: number): boolean {
    if (this.#underrunSinceMs === undefined) {
      this.#underrunSinceMs = nowMs;
      this.#stats.underruns++;
      return false;
    }
    if (nowMs - this.#underrunSinceMs < this.#o.resyncAfterMs) return false;
    // A long pause (hold, a stall): start over from whatever comes next, at the target delay.
    this.#state = 'prefetching';
    this.#underrunSinceMs = undefined;
    return true;
  }

  #concealed(frame: Int16Array): JitterBufferFrameKind {
    const invented = this.#plc.conceal(frame);
    const kind = invented ? 'concealed' : 'silence';
    this.#countKind(kind);
    return kind;
  }

  #silence(frame: Int16Array): JitterBufferFrameKind {
    frame.fill(0);
    this.#countKind('silence');
    return 'silence';
  }

  #countKind(kind: 'concealed' | 'silence'): void {
    if (kind === 'concealed') this.#stats.concealed++;
    else this.#stats.silence++;
  }

  // Played sequence numbers are remembered at their value modulo PLAYED_MEMORY: playout runs in sequence order,
  // so the slots hold the last PLAYED_MEMORY numbers played, and a lookup is one comparison.
  #remember(sequence: number): void {
    this.#played[playedSlot(sequence)] = sequence;
  }

  #wasPlayed(sequence: number): boolean {
    return this.#played[playedSlot(sequence)] === sequence;
  }
}

function playedSlot(sequence: number): number {
  return ((sequence % PLAYED_MEMORY) + PLAYED_MEMORY) % PLAYED_MEMORY;
}

/** The first index of `sorted[0, count)` whose value is not below `value` (binary search). */
function sortedIndex(sorted: Float64Array, count: number, value: number): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
