import { FRAME_SAMPLES } from '../codec/pcm-frame.js';
import type { AudioSource } from './audio-source.js';
import { MediaSessionError } from './media-session-error.js';

// Frames pushed by the app (the microphone, from the renderer's AudioWorklet over a MessagePort or WebSocket). The
// app and the session run on different clocks, so a small queue sits between them: when the app is late the session
// sends silence (an underrun), and when the queue is longer than `maxQueuedFrames` the oldest frames are dropped
// (an overrun) so that the mouth-to-ear delay cannot grow without bound.

export interface PcmPushSourceStats {
  readonly pushed: number;
  readonly played: number;
  readonly underruns: number;
  readonly overruns: number;
  readonly queued: number;
}

export class PcmPushSource implements AudioSource {
  readonly #maxQueuedFrames: number;
  #queue: Int16Array[] = [];
  #pushed = 0;
  #played = 0;
  #underruns = 0;
  #overruns = 0;

  /** `maxQueuedFrames` default 10 (200 ms). */
  constructor(options: { maxQueuedFrames?: number } = {}) {
    this.#maxQueuedFrames = options.maxQueuedFrames ?? 10;
  }

  /** Queues one 20 ms frame (copied). A frame of another length is a MediaSessionError. */
  push(frame: Int16Array): void {
    if (frame.length !== FRAME_SAMPLES) {
      throw new MediaSessionError(
        'MEDIA_INVALID_OPTION',
        `Pushed audio frames must hold ${FRAME_SAMPLES} samples (20 ms at 8 kHz), not ${frame.length}.`,
      );
    }
    this.#pushed++;
    this.#queue.push(Int16Array.from(frame));
    while (this.#queue.length > this.#maxQueuedFrames) {
      this.#queue.shift();
      this.#overruns++;
    }
  }

  get stats(): PcmPushSourceStats {
    return {
      pushed: this.#pushed,
      played: this.#played,
      underruns: this.#underruns,
      overruns: this.#overruns,
      queued: this.#queue.length,
    };
  }

  read(out: Int16Array): void {
    const frame = this.#queue.shift();
    if (frame === undefined) {
      this.#underruns++;
      out.fill(0);
      return;
    }
    this.#played++;
    out.set(frame);
  }
}
