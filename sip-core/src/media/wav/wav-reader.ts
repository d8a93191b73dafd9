// WAV bytes → 8 kHz mono 16-bit frames of 20 ms: the shape the media session sends. Decoding, channel mixing,
// anti-aliased resampling and framing are chained here so that a long file streams through in constant
// memory; `readWav` is the whole-file convenience.

import { FRAME_SAMPLES, NARROWBAND_SAMPLE_RATE_HZ } from '../codec/pcm-frame.js';
import { PolyphaseResampler } from '../resample/polyphase-resampler.js';
import { WavDecoder } from './wav-decoder.js';
import type { WavFormat } from './wav-format.js';

export interface WavReaderOptions {
  /** Default 8000. */
  outputRateHz?: number;
  /** Samples per frame returned. Default 160 (20 ms at 8 kHz). */
  frameSamples?: number;
}

/** Streams a WAV file of any supported format and rate as fixed-size mono frames at `outputRateHz`. */
export class WavReader {
  readonly #decoder = new WavDecoder();
  readonly #outputRateHz: number;
  readonly #frameSamples: number;
  #resampler: PolyphaseResampler | undefined;
  #frame: Int16Array;
  #fill = 0;

  constructor(options: WavReaderOptions = {}) {
    this.#outputRateHz = options.outputRateHz ?? NARROWBAND_SAMPLE_RATE_HZ;
    this.#frameSamples = options.frameSamples ?? FRAME_SAMPLES;
    this.#frame = new Int16Array(this.#frameSamples);
  }

  /** The source file's format, once its header has been read. */
  get format(): WavFormat | undefined {
    return this.#decoder.format;
  }

  /** Consumes the next bytes of the file; returns the frames they complete. Throws `WavError` on bad input. */
  push(chunk: Uint8Array): Int16Array[] {
    const samples = this.#decoder.push(chunk);
    const format = this.#decoder.format;
    if (format === undefined) return [];
    this.#resampler ??= new PolyphaseResampler({
      inputRateHz: format.sampleRateHz,
      outputRateHz: this.#outputRateHz,
    });
    return this.#frames(this.#resampler.process(samples));
  }

  /** Ends the file: returns the last frames, the final one padded with silence. Throws if the file was cut short. */
  end(): Int16Array[] {
    this.#decoder.end();
    const frames = this.#resampler ? this.#frames(this.#resampler.flush()) : [];
    if (this.#fill > 0) {
      frames.push(this.#frame.fill(0, this.#fill));
      this.#fill = 0;
    }
    return frames;
  }

  #frames(samples: Float64Array): Int16Array[] {
    const frames: Int16Array[] = [];
    for (let i = 0; i < samples.length; i++) {
      const rounded = Math.round(samples[i] ?? 0);
      this.#frame[this.#fill++] = rounded > 32767 ? 32767 : rounded < -32768 ? -32768 : rounded;
      if (this.#fill === this.#frameSamples) {
        frames.push(this.#frame);
        this.#frame = new Int16Array(this.#frameSamples);
        this.#fill = 0;
      }
    }
    return frames;
  }
}

/** Reads a whole WAV file held in memory as 8 kHz mono samples (a multiple of 160, the tail zero-padded). */
export function readWav(
  bytes: Uint8Array,
  options: WavReaderOptions = {},
): { format: WavFormat; samples: Int16Array } {
  const reader = new WavReader(options);
  const frames = [...reader.push(bytes), ...reader.end()];
  const frameSamples = options.frameSamples ?? FRAME_SAMPLES;
  const samples = new Int16Array(frames.length * frameSamples);
  frames.forEach((frame, i) => samples.set(frame, i * frameSamples));
  return { format: reader.format as WavFormat, samples };
}
