import { readWavFile } from '../wav/wav-file.js';
import type { AudioSource } from './audio-source.js';

// A WAV file as the source (announcements, hold music, the headless `trunkline call --play file.wav`). The file is
// decoded once when the source is opened — any rate and channel count media/wav reads, resampled to 8 kHz mono —
// so the pacing tick never waits for the disk. At 8 kHz, 16-bit, that is 16 KB per second of audio: fine for
// prompts and test signals; an hour-long file would take 58 MB. After the end the source sends silence, or starts
// over when `loop` is set.

export class WavSource implements AudioSource {
  readonly #samples: Int16Array;
  readonly #loop: boolean;
  #position = 0;

  constructor(samples: Int16Array, options: { loop?: boolean } = {}) {
    this.#samples = samples;
    this.#loop = options.loop ?? false;
  }

  /** Decodes `path` (WavError with a stable code when it cannot). */
  static async open(path: string, options: { loop?: boolean } = {}): Promise<WavSource> {
    const { samples } = await readWavFile(path);
    return new WavSource(samples, options);
  }

  /** Whether a non-looping file has played to its end. */
  get ended(): boolean {
    return !this.#loop && this.#position >= this.#samples.length;
  }

  /** Samples of the file (8 kHz). */
  get length(): number {
    return this.#samples.length;
  }

  read(out: Int16Array): void {
    let written = 0;
    while (written < out.length) {
      if (this.#position >= this.#samples.length) {
        if (!this.#loop || this.#samples.length === 0) break;
        this.#position = 0;
      }
      const take = Math.min(out.length - written, this.#samples.length - this.#position);
      out.set(this.#samples.subarray(this.#position, this.#position + take), written);
      this.#position += take;
      written += take;
    }
    out.fill(0, written);
  }
}
