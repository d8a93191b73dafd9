import { FRAME_SAMPLES } from '../codec/pcm-frame.js';
import type { JitterBufferFrameKind } from '../jitter/jitter-buffer.js';
import type { AudioSink, AudioSource } from './audio-source.js';

// Sends back what the session plays out (the emulator's echo number, a loop-back check). It is a sink and a source
// at once: the session gives it each played frame and later asks it for one to send. The played frame of a tick is
// sent on the next tick, so the echo adds one frame (20 ms) to the jitter buffer's delay; a short queue absorbs the
// moment where a late tick plays and sends several frames at once.

const MAX_QUEUED_FRAMES = 5;

export class EchoSource implements AudioSource, AudioSink {
  // A ring of preallocated frames: an echo allocates nothing per frame (the emulator runs many of them).
  readonly #ring = Array.from({ length: MAX_QUEUED_FRAMES }, () => new Int16Array(FRAME_SAMPLES));
  #first = 0;
  #count = 0;

  onReceived(frame: Int16Array, _kind: JitterBufferFrameKind): void {
    if (this.#count === MAX_QUEUED_FRAMES) {
      // Full: the oldest frame is dropped.
      this.#first = (this.#first + 1) % MAX_QUEUED_FRAMES;
      this.#count--;
    }
    const slot = this.#ring[(this.#first + this.#count) % MAX_QUEUED_FRAMES];
    // A whole frame (what the session plays) is copied as it is; a view is made only for an odd length.
    if (frame.length === FRAME_SAMPLES) slot.set(frame);
    else {
      slot.set(frame.length > FRAME_SAMPLES ? frame.subarray(0, FRAME_SAMPLES) : frame);
      slot.fill(0, frame.length);
    }
    this.#count++;
  }

  read(out: Int16Array): void {
    if (this.#count === 0) {
      out.fill(0);
      return;
    }
    out.set(this.#ring[this.#first]);
    this.#first = (this.#first + 1) % MAX_QUEUED_FRAMES;
    this.#count--;
  }
}
