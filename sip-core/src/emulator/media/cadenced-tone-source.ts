// A tone with an on/off cadence as an audio source: ringback (2 s on, 4 s off), a busy tone. media/session's
// ToneSource plays continuously; the far-end scenarios (far-end/media-source.ts) describe cadences, so this source
// counts frames and sends silence in the off part. The cadence runs on the frame count, not the clock: the
// session reads one frame per 20 ms, so frames are time, and a late tick that catches up keeps the rhythm.

import { FRAME_DURATION_MS } from '../../media/codec/pcm-frame.js';
import { type ToneSource, type AudioSource } from '../../media/session/index.js';

export interface ToneCadence {
  readonly onMs: number;
  readonly offMs: number;
}

export class CadencedToneSource implements AudioSource {
  readonly #tone: ToneSource;
  readonly #onFrames: number;
  readonly #periodFrames: number;
  #frame = 0;

  constructor(tone: ToneSource, cadence: ToneCadence) {
    this.#tone = tone;
    this.#onFrames = Math.max(1, Math.round(cadence.onMs / FRAME_DURATION_MS));
    this.#periodFrames = this.#onFrames + Math.max(0, Math.round(cadence.offMs / FRAME_DURATION_MS));
  }

  read(out: Int16Array): void {
    const inPeriod = this.#frame % this.#periodFrames;
    this.#frame++;
    if (inPeriod < this.#onFrames) this.#tone.read(out);
    else out.fill(0);
  }
}
