import type { JitterBufferFrameKind } from '../jitter/jitter-buffer.js';
import type { AudioSink, AudioSource } from './audio-source.js';

// Sends back what the session plays out (the emulator's echo number, a loop-back check). It is a sink and a source
// at once: the session gives it each played frame and later asks it for one to send. The played frame of a tick is
// sent on the next tick, so the echo adds one frame (20 ms) to the jitter buffer's delay; a short queue absorbs the
// moment where a late tick plays and sends several frames at once.

const MAX_QUEUED_FRAMES = 5;

export class EchoSource implements AudioSource, AudioSink {
  #queue: Int16Array[] = [];

  onReceived(frame: Int16Array, _kind: JitterBufferFrameKind): void {
    this.#queue.push(Int16Array.from(frame));
    if (this.#queue.length > MAX_QUEUED_FRAMES) this.#queue.shift();
  }

  read(out: Int16Array): void {
    const frame = this.#queue.shift();
    if (frame === undefined) out.fill(0);
    else out.set(frame);
  }
}
