import { FRAME_SAMPLES } from '../codec/pcm-frame.js';
import type { AudioSink, AudioSource } from './audio-source.js';
import { StandingQueueTrimmer } from './standing-queue-trimmer.js';

// Sends back what the session receives (the emulator's echo number, a loop-back check). An echo test's far end is
// a loop, not a listener: it takes each audio packet as it arrives (`onArrived`, before the jitter buffer) and
// sends it on the session's next pacing tick, so the echo adds only the wait for that tick (docs/adr/0148). The
// jitter buffer would add its target delay on top (20 ms at least), and sending what it played would add a tick.
//
// The queue between arrival and the tick stays correct and bounded on a bad network:
//   - reordered packets are put back in timestamp order while they wait; a duplicate, or a packet older than the
//     last frame sent, is dropped (`late`);
//   - a lost packet is a tick with nothing queued, which sends silence (`underruns`): the gap is heard as a gap;
//   - at most MAX_QUEUED_FRAMES wait (a burst beyond drops the oldest, `overruns`), and a level that stays above
//     one frame for half a second (jitter left it there) is trimmed (`trimmed`, StandingQueueTrimmer);
//   - a timestamp jump of more than a second (a new stream behind the SSRC) starts the queue over.
// A packet of several frames (ptime 40) is queued as its frames; a short one is padded with silence.

const MAX_QUEUED_FRAMES = 5;
/** A timestamp this far (samples) from the last frame sent, either way, is a new stream: one second at 8 kHz. */
const RESTART_SAMPLES = 8000;

export interface EchoSourceStats {
  /** Frames sent back. */
  readonly echoed: number;
  /** Ticks with nothing to send (silence went instead). */
  readonly underruns: number;
  /** Frames dropped as duplicates or older than what was already sent. */
  readonly late: number;
  /** Frames dropped because the queue was full. */
  readonly overruns: number;
  /** Frames dropped because the level stayed above its target. */
  readonly trimmed: number;
  /** Frames waiting now. */
  readonly queued: number;
}

interface Slot {
  readonly samples: Int16Array;
  /** RTP timestamp of the frame's first sample (uint32). */
  timestamp: number;
}

/** The signed distance from RTP timestamp `b` to `a`, across the 32-bit wrap. */
function timestampDelta(a: number, b: number): number {
  return (a - b) | 0;
}

export class EchoSource implements AudioSource, AudioSink {
  // Preallocated slots: an echo allocates nothing per frame (the emulator runs many of them).
  readonly #free: Slot[] = Array.from({ length: MAX_QUEUED_FRAMES + 1 }, () => ({
    samples: new Int16Array(FRAME_SAMPLES),
    timestamp: 0,
  }));
  /** Waiting frames, oldest (lowest timestamp) first. */
  readonly #queue: Slot[] = [];
  readonly #trimmer = new StandingQueueTrimmer({ targetFrames: 1 });
  #lastSent: number | undefined;
  #echoed = 0;
  #underruns = 0;
  #late = 0;
  #overruns = 0;
  #trimmed = 0;

  get stats(): EchoSourceStats {
    return {
      echoed: this.#echoed,
      underruns: this.#underruns,
      late: this.#late,
      overruns: this.#overruns,
      trimmed: this.#trimmed,
      queued: this.#queue.length,
    };
  }

  onArrived(samples: Int16Array, timestamp: number): void {
    for (let offset = 0; offset < samples.length; offset += FRAME_SAMPLES) {
      this.#enqueue(samples, offset, (timestamp + offset) >>> 0);
    }
  }

  read(out: Int16Array): void {
    const queue = this.#queue;
    const excess = this.#trimmer.beforeRead(queue.length);
    for (let i = 0; i < excess; i++) {
      this.#free.push(queue.shift()!);
      this.#trimmed++;
    }
    const slot = queue.shift();
    if (slot === undefined) {
      // Nothing arrived since the last tick: silence (a loss, or a late packet that is sent next tick).
      if (this.#lastSent !== undefined) this.#underruns++;
      out.fill(0);
      return;
    }
    out.set(slot.samples);
    this.#lastSent = slot.timestamp;
    this.#echoed++;
    this.#free.push(slot);
  }

  #enqueue(samples: Int16Array, offset: number, timestamp: number): void {
    const queue = this.#queue;
    if (this.#lastSent !== undefined) {
      const ahead = timestampDelta(timestamp, this.#lastSent);
      if (Math.abs(ahead) > RESTART_SAMPLES) this.#restart();
      else if (ahead <= 0) {
        this.#late++;
        return;
      }
    }
    // Timestamp order: find the place from the back (arrivals are almost always in order).
    let position = queue.length;
    while (position > 0) {
      const delta = timestampDelta(timestamp, queue[position - 1].timestamp);
      if (delta === 0) {
        this.#late++;
        return;
      }
      if (delta > 0) break;
      position--;
    }
    if (queue.length === MAX_QUEUED_FRAMES) {
      this.#overruns++;
      // Full: the oldest frame goes, which may be this one.
      if (position === 0) return;
      this.#free.push(queue.shift()!);
      position--;
    }
    const slot = this.#free.pop()!;
    if (offset === 0 && samples.length === FRAME_SAMPLES) slot.samples.set(samples);
    else {
      // By hand: a subarray view would allocate (packets of other sizes are rare: ptime 20 is the norm).
      const copied = Math.min(FRAME_SAMPLES, samples.length - offset);
      for (let i = 0; i < copied; i++) slot.samples[i] = samples[offset + i]!;
      slot.samples.fill(0, copied);
    }
    slot.timestamp = timestamp;
    queue.push(slot);
    for (let i = queue.length - 1; i > position; i--) queue[i] = queue[i - 1]!;
    queue[position] = slot;
  }

  #restart(): void {
    while (this.#queue.length > 0) this.#free.push(this.#queue.pop()!);
    this.#lastSent = undefined;
    this.#trimmer.reset();
  }
}
