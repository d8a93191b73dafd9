// "Is the far end's 440 Hz tone in what we received?" — a single-tone measurement for tests and trunk checks.
// The signal is measured in blocks (default 50 ms: 20 Hz Goertzel bins, so a tone a few hertz off after
// resampling or a far end's clock drift loses well under 1 dB) and the powers are averaged over all blocks.

import { NARROWBAND_SAMPLE_RATE_HZ } from '../codec/pcm-frame.js';
import { goertzelMeanSquare } from './goertzel.js';
import { meanSquare } from './level-meter.js';
import { meanSquareToDbfs } from './levels.js';
import { ToneError } from './tone-error.js';

export interface ToneAnalysisOptions {
  sampleRateHz?: number;
  /** Block length for the measurement. Default 50 ms. */
  blockMs?: number;
  /** The weakest level that counts as present. Default -50 dBFS. */
  minLevelDbfs?: number;
  /** The smallest tone-to-rest ratio that counts as present. Default 10 dB. */
  minSnrDb?: number;
}

export interface ToneAnalysis {
  readonly frequencyHz: number;
  /** The level of the component at `frequencyHz`, in dBFS (AES17). */
  readonly levelDbfs: number;
  /** The level of everything else (noise, other tones, distortion), in dBFS. */
  readonly residualDbfs: number;
  /** Tone power over the power of everything else, in dB (an SNR-like measure). */
  readonly snrDb: number;
  /** Whether the tone is there by `minLevelDbfs` and `minSnrDb`. */
  readonly present: boolean;
}

/** Measures the tone at `frequencyHz` in `samples` (which must hold at least one block). */
export function analyzeTone(
  samples: ArrayLike<number>,
  frequencyHz: number,
  options: ToneAnalysisOptions = {},
): ToneAnalysis {
  const sampleRateHz = options.sampleRateHz ?? NARROWBAND_SAMPLE_RATE_HZ;
  const blockSamples = Math.round(((options.blockMs ?? 50) * sampleRateHz) / 1000);
  const blocks = Math.floor(samples.length / blockSamples);
  if (blocks === 0 || !(frequencyHz > 0 && frequencyHz < sampleRateHz / 2)) {
    throw new ToneError(
      'TONE_INVALID_OPTION',
      `Tone analysis needs at least ${blockSamples} samples (got ${samples.length}) and a frequency ` +
        `between 0 and ${sampleRateHz / 2} Hz (got ${frequencyHz}).`,
    );
  }
  let tonePower = 0;
  for (let b = 0; b < blocks; b++) {
    tonePower += goertzelMeanSquare(samples, b * blockSamples, blockSamples, frequencyHz, sampleRateHz);
  }
  tonePower /= blocks;
  const totalPower = meanSquare(samples, 0, blocks * blockSamples);
  const residualPower = Math.max(totalPower - tonePower, totalPower * 1e-12, 1e-9);
  const levelDbfs = meanSquareToDbfs(tonePower);
  const snrDb = 10 * Math.log10(Math.max(tonePower, 1e-9) / residualPower);
  return {
    frequencyHz,
    levelDbfs,
    residualDbfs: meanSquareToDbfs(residualPower),
    snrDb,
    present: levelDbfs >= (options.minLevelDbfs ?? -50) && snrDb >= (options.minSnrDb ?? 10),
  };
}
