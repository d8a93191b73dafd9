// Test signals built from the production tone generator and a seeded PRNG: DTMF key sequences with gaps, white
// noise at a given level, and a synthetic voiced "speech-like" signal (a glottal pulse train through formant
// resonators) for the false-alarm tests of the DTMF detector.

import { sineAmplitudeForDbfs } from '../../src/media/tone/levels.js';
import { dtmfTones, ToneGenerator, type ToneComponent } from '../../src/media/tone/tone-generator.js';
import { gaussian } from './seeded-random.js';

/** Joins arrays of samples into one Float64Array (so noise can be added before rounding). */
export function concat(parts: ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(Array.from(part), offset);
    offset += part.length;
  }
  return out;
}

/** Rounds and clips to 16-bit PCM. */
export function toPcm16(samples: ArrayLike<number>): Int16Array {
  return Int16Array.from(Array.from(samples), (s) => Math.max(-32768, Math.min(32767, Math.round(s))));
}

/** `count` samples of tones from a fresh generator. */
export function tone(components: ToneComponent[], count: number, sampleRateHz = 8000): Int16Array {
  return new ToneGenerator({ sampleRateHz, tones: components }).next(count);
}

/** Adds white Gaussian noise of RMS level `levelDbfs` (AES17 scale) to `samples`, in place. */
export function addNoise(samples: Float64Array, random: () => number, levelDbfs: number): Float64Array {
  // A sine of peak A has RMS A/√2, so noise of the same level has deviation A/√2.
  const deviation = sineAmplitudeForDbfs(levelDbfs) / Math.SQRT2;
  for (let i = 0; i < samples.length; i++) samples[i] = (samples[i] ?? 0) + gaussian(random, 0, deviation);
  return samples;
}

export interface DtmfSequenceOptions {
  toneMs?: number;
  gapMs?: number;
  levelDbm0?: number;
  twistDb?: number;
  /** Silence before the first key, so keys fall at arbitrary block alignments. */
  leadInSamples?: number;
}

/** Keys as tones separated by silence, at 8 kHz. */
export function dtmfSequence(keys: string, options: DtmfSequenceOptions = {}): Float64Array {
  const toneSamples = Math.round(((options.toneMs ?? 100) * 8000) / 1000);
  const gapSamples = Math.round(((options.gapMs ?? 100) * 8000) / 1000);
  const parts: ArrayLike<number>[] = [new Float64Array(options.leadInSamples ?? 0)];
  for (const key of keys) {
    parts.push(tone(dtmfTones(key, { levelDbm0: options.levelDbm0, twistDb: options.twistDb }), toneSamples));
    parts.push(new Float64Array(gapSamples));
  }
  return concat(parts);
}

/**
 * A voiced, speech-like signal: pulses at a wandering pitch through two formant resonators that move between
 * vowels — including one with formants right on 697 Hz and 1209 Hz, the worst case for a DTMF detector.
 */
export function speechLike(random: () => number, durationMs: number, levelDbfs = -15): Float64Array {
  const sampleRateHz = 8000;
  const vowels = [
    [730, 1090],
    [270, 2290],
    [700, 1210],
    [530, 1840],
    [300, 870],
    [640, 1190],
  ];
  const out = new Float64Array(Math.round((durationMs * sampleRateHz) / 1000));
  const resonator = () => ({ y1: 0, y2: 0 });
  const f1 = resonator();
  const f2 = resonator();
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / sampleRateHz;
    const vowel = vowels[Math.floor(t / 0.25) % vowels.length] ?? [500, 1500];
    const pitchHz = 110 + 40 * Math.sin(2 * Math.PI * 0.7 * t) + 5 * (random() - 0.5);
    phase += pitchHz / sampleRateHz;
    let excitation = 0;
    if (phase >= 1) {
      phase -= 1;
      excitation = 1000;
    }
    let signal = excitation;
    for (const [state, formantHz] of [
      [f1, vowel[0] ?? 500],
      [f2, vowel[1] ?? 1500],
    ] as const) {
      const r = Math.exp((-Math.PI * 90) / sampleRateHz);
      const y =
        signal + 2 * r * Math.cos((2 * Math.PI * formantHz) / sampleRateHz) * state.y1 - r * r * state.y2;
      state.y2 = state.y1;
      state.y1 = y;
      signal = y;
    }
    out[i] = signal;
  }
  let sum = 0;
  for (const s of out) sum += s * s;
  const gain = sineAmplitudeForDbfs(levelDbfs) / Math.SQRT2 / Math.sqrt(sum / out.length);
  return out.map((s) => s * gain);
}
