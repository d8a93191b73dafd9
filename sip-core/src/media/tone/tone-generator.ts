// A tone generator for the media path: sums of sines at given frequencies and levels, phase-continuous
// across frames, so a tone generated frame by frame is the same signal as one generated in one piece and
// frame boundaries never click. Changing the tones keeps each component's phase running (a frequency change
// is a phase-continuous step), and silence is no components.

import { PCM16_FULL_SCALE, NARROWBAND_SAMPLE_RATE_HZ, FRAME_SAMPLES } from '../codec/pcm-frame.js';
import { dtmfFrequencies } from './dtmf-frequencies.js';
import { dbm0ToDbfs, sineAmplitudeForDbfs } from './levels.js';
import { ToneError } from './tone-error.js';

/** One sine: its frequency and its level in dBFS (AES17: a full-scale sine is 0 dBFS). */
export interface ToneComponent {
  readonly frequencyHz: number;
  readonly levelDbfs: number;
}

const TWO_PI = 2 * Math.PI;

/** Generates tones frame by frame. Pure: it only advances when asked for samples. */
export class ToneGenerator {
  readonly #sampleRateHz: number;
  #components: ToneComponent[] = [];
  #increments: number[] = [];
  #amplitudes: number[] = [];
  #phases: number[] = [];

  constructor(options: { sampleRateHz?: number; tones?: ToneComponent[] } = {}) {
    this.#sampleRateHz = options.sampleRateHz ?? NARROWBAND_SAMPLE_RATE_HZ;
    if (options.tones) this.setTones(options.tones);
  }

  /** The components now playing. */
  get tones(): readonly ToneComponent[] {
    return this.#components;
  }

  /** Replaces the components; frequencies must be below Nyquist. An empty list is silence. */
  setTones(components: readonly ToneComponent[]): void {
    for (const c of components) {
      if (!(c.frequencyHz >= 0 && c.frequencyHz < this.#sampleRateHz / 2) || !Number.isFinite(c.levelDbfs)) {
        throw new ToneError(
          'TONE_INVALID',
          `A tone needs a frequency from 0 to ${this.#sampleRateHz / 2} Hz (exclusive) and a finite level; ` +
            `got ${c.frequencyHz} Hz at ${c.levelDbfs} dBFS.`,
        );
      }
    }
    this.#components = [...components];
    this.#increments = components.map((c) => (TWO_PI * c.frequencyHz) / this.#sampleRateHz);
    this.#amplitudes = components.map((c) => sineAmplitudeForDbfs(c.levelDbfs));
    // Components keep the phase of the one at the same position, so replacing a tone does not click.
    this.#phases = components.map((_, i) => this.#phases[i] ?? 0);
  }

  /** Fills `out` with the next `out.length` samples (clipped to 16 bits) and returns it. */
  fill(out: Int16Array): Int16Array {
    const count = this.#components.length;
    if (count === 0) return out.fill(0);
    for (let i = 0; i < out.length; i++) {
      let sum = 0;
      for (let c = 0; c < count; c++) {
        const phase = this.#phases[c] ?? 0;
        sum += (this.#amplitudes[c] ?? 0) * Math.sin(phase);
        const next = phase + (this.#increments[c] ?? 0);
        this.#phases[c] = next >= TWO_PI ? next - TWO_PI : next;
      }
      out[i] = Math.max(-PCM16_FULL_SCALE, Math.min(PCM16_FULL_SCALE - 1, Math.round(sum)));
    }
    return out;
  }

  /** The next `samples` samples (default one 20 ms frame) in a new array. */
  next(samples = FRAME_SAMPLES): Int16Array {
    return this.fill(new Int16Array(samples));
  }
}

/**
 * The two components of a DTMF key (ITU-T Q.23). `levelDbm0` is the level of the low-group tone (default
 * -7 dBm0, within Q.24's usual sending range); `twistDb` is the high-group level minus the low-group level
 * (default +2 dB: the high group slightly stronger, as telephones send it).
 */
export function dtmfTones(
  symbol: string,
  options: { levelDbm0?: number; twistDb?: number } = {},
): ToneComponent[] {
  const pair = dtmfFrequencies(symbol);
  if (pair === undefined) {
    throw new ToneError('TONE_INVALID', `'${symbol}' is not a DTMF key; use 0-9, *, # or A-D.`);
  }
  const lowDbfs = dbm0ToDbfs(options.levelDbm0 ?? -7);
  return [
    { frequencyHz: pair.lowHz, levelDbfs: lowDbfs },
    { frequencyHz: pair.highHz, levelDbfs: lowDbfs + (options.twistDb ?? 2) },
  ];
}
