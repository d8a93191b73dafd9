import { MIN_LEVEL_DBFS, meanSquareToDbfs } from './levels.js';

/** The mean square of `samples[start … start+length)` (0 for none). */
export function meanSquare(samples: ArrayLike<number>, start = 0, length = samples.length - start): number {
  if (length <= 0) return 0;
  let sum = 0;
  for (let i = start; i < start + length; i++) {
    const s = samples[i] ?? 0;
    sum += s * s;
  }
  return sum / length;
}

/** The RMS level of `samples` in dBFS (AES17: a full-scale sine reads 0); silence reads `MIN_LEVEL_DBFS`. */
export function rmsDbfs(samples: ArrayLike<number>): number {
  return meanSquareToDbfs(meanSquare(samples));
}

/** The peak level of `samples` in dBFS relative to the largest 16-bit magnitude. */
export function peakDbfs(samples: ArrayLike<number>): number {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i] ?? 0));
  return peak === 0 ? MIN_LEVEL_DBFS : Math.max(MIN_LEVEL_DBFS, 20 * Math.log10(peak / 32768));
}

/** A running level meter for a stream of frames: the level of the last frame, and of everything so far. */
export class LevelMeter {
  #sumOfSquares = 0;
  #samples = 0;
  #lastDbfs = MIN_LEVEL_DBFS;
  #peak = 0;

  /** Adds a frame and returns its RMS level in dBFS. */
  push(frame: ArrayLike<number>): number {
    const frameMeanSquare = meanSquare(frame);
    this.#sumOfSquares += frameMeanSquare * frame.length;
    this.#samples += frame.length;
    for (let i = 0; i < frame.length; i++) this.#peak = Math.max(this.#peak, Math.abs(frame[i] ?? 0));
    this.#lastDbfs = meanSquareToDbfs(frameMeanSquare);
    return this.#lastDbfs;
  }

  /** The RMS level of the last frame. */
  get lastDbfs(): number {
    return this.#lastDbfs;
  }

  /** The RMS level of everything pushed since creation or `reset`. */
  get overallDbfs(): number {
    return this.#samples === 0 ? MIN_LEVEL_DBFS : meanSquareToDbfs(this.#sumOfSquares / this.#samples);
  }

  /** The largest magnitude seen, in dBFS. */
  get peakDbfs(): number {
    return peakDbfs([this.#peak]);
  }

  reset(): void {
    this.#sumOfSquares = 0;
    this.#samples = 0;
    this.#lastDbfs = MIN_LEVEL_DBFS;
    this.#peak = 0;
  }
}
