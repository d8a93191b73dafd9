// Levels in the media path. A level in dBFS follows AES17: 0 dBFS is the RMS of a full-scale sine, so a sine
// generated at -10 dBFS also measures -10 dBFS RMS (a full-scale square wave measures +3 dBFS). Telephony
// levels are in dBm0: in G.711 a full-scale sine is +3.17 dBm0 (µ-law; +3.14 for A-law, ITU-T G.711 §4), so
// dBm0 = dBFS + 3.17 for both, the 0.03 dB difference being far below what any check here can resolve.

import { PCM16_FULL_SCALE } from '../codec/pcm-frame.js';

/** The level in dBm0 of a full-scale sine in G.711. */
export const FULL_SCALE_SINE_DBM0 = 3.17;

/** The level reported for digital silence instead of -Infinity. */
export const MIN_LEVEL_DBFS = -120;

/** The mean square of a full-scale sine, the 0 dBFS reference. */
const FULL_SCALE_SINE_MEAN_SQUARE = (PCM16_FULL_SCALE * PCM16_FULL_SCALE) / 2;

/** Converts dBm0 to dBFS. */
export function dbm0ToDbfs(dbm0: number): number {
  return dbm0 - FULL_SCALE_SINE_DBM0;
}

/** Converts dBFS to dBm0. */
export function dbfsToDbm0(dbfs: number): number {
  return dbfs + FULL_SCALE_SINE_DBM0;
}

/** The peak amplitude (in 16-bit units) of a sine whose level is `dbfs`. */
export function sineAmplitudeForDbfs(dbfs: number): number {
  return PCM16_FULL_SCALE * 10 ** (dbfs / 20);
}

/** The level in dBFS of a signal with this mean square (a power, in 16-bit units squared). */
export function meanSquareToDbfs(meanSquare: number): number {
  if (!(meanSquare > 0)) return MIN_LEVEL_DBFS;
  return Math.max(MIN_LEVEL_DBFS, 10 * Math.log10(meanSquare / FULL_SCALE_SINE_MEAN_SQUARE));
}

/** The mean square (16-bit units squared) of a signal at `dbfs`. */
export function dbfsToMeanSquare(dbfs: number): number {
  return FULL_SCALE_SINE_MEAN_SQUARE * 10 ** (dbfs / 10);
}
