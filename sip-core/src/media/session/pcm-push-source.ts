import { FRAME_SAMPLES } from '../codec/pcm-frame.js';
import type { AudioSource } from './audio-source.js';
import { MediaSessionError } from './media-session-error.js';
import { StandingQueueTrimmer } from './standing-queue-trimmer.js';

// Frames pushed by the app (the microphone, from the renderer's AudioWorklet over a MessagePort or WebSocket). The
// app and the session run on different clocks, so a small queue sits between them: when the app is late the session
// sends silence (an underrun); a burst beyond `maxQueuedFrames` drops the oldest frames (an overrun), so the delay
// has a hard bound; and a level that stays above `targetFrames` for a while (a standing queue, left behind by a
// burst or by the app's clock running fast) is trimmed by dropping the oldest frames (`trimmed`), so the queue's
// share of the mouth-to-ear delay settles at the phase between the two clocks instead of at its maximum
// (docs/adr/0147).

export interface PcmPushSourceStats {
  readonly pushed: number;
  readonly played: number;
  readonly underruns: number;
  readonly overruns: number;
  /** Frames dropped because the level stayed above the target (drift compensation). */
  readonly trimmed: number;
  readonly queued: number;
}

export interface PcmPushSourceOptions {
  /** Hard bound: a push beyond it drops the oldest frame. Default 10 (200 ms). */
  readonly maxQueuedFrames?: number;
  /**
   * Frames the session should find queued when it reads; more than that for `trimWindowReads` reads in a row is
   * trimmed. Default: no trimming (drop only when full), as before this option existed.
   */
  readonly targetFrames?: number;
  /** Reads per trimming window. Default 25 (0.5 s). */
  readonly trimWindowReads?: number;
}

export class PcmPushSource implements AudioSource {
  readonly #maxQueuedFrames: number;
  readonly #trimmer: StandingQueueTrimmer | undefined;
  #queue: Int16Array[] = [];
  #pushed = 0;
  #played = 0;
  #underruns = 0;
  #overruns = 0;
  #trimmed = 0;

  constructor(options: PcmPushSourceOptions = {}) {
    this.#maxQueuedFrames = options.maxQueuedFrames ?? 10;
    this.#trimmer =
      options.targetFrames === undefined
        ? undefined
        : new StandingQueueTrimmer({
            targetFrames: options.targetFrames,
            windowReads: options.trimWindowReads,
          });
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
      trimmed: this.#trimmed,
      queued: this.#queue.length,
    };
  }

  read(out: Int16Array): void {
    const excess = this.#trimmer?.beforeRead(this.#queue.length) ?? 0;
    for (let i = 0; i < excess; i++) {
      this.#queue.shift();
      this.#trimmed++;
    }
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
