// A streaming sample-rate converter for any pair of integer rates: a polyphase windowed-sinc (Kaiser) filter,
// the textbook rational resampler (upsample by L, low-pass, downsample by M, computing only the outputs that
// are kept). It exists so that a 44.1 or 48 kHz WAV becomes 8 kHz telephone audio without aliasing: naive
// decimation would fold a 5 kHz component of the source onto 3 kHz.
//
// The low-pass passes up to `passbandFraction` of the lower Nyquist frequency and attenuates by
// `stopbandAttenuationDb` from that Nyquist frequency on. For 48 kHz → 8 kHz with the defaults: flat to
// 3.4 kHz, -80 dB from 4 kHz, about 400 taps per output sample. Each phase of the filter is normalised to unit
// DC gain, so a constant stays exactly constant. The filter is centred on each output instant, so the output
// is not delayed: output n is the signal at input time n·M/L (look-ahead is buffered, and `flush` supplies the
// trailing zeros).

import { ResampleError } from './resample-error.js';

export interface PolyphaseResamplerOptions {
  inputRateHz: number;
  outputRateHz: number;
  /** The end of the flat passband as a fraction of the lower Nyquist frequency. Default 0.85. */
  passbandFraction?: number;
  /** Attenuation from the lower Nyquist frequency on. Default 80 dB. */
  stopbandAttenuationDb?: number;
}

/** Beyond this many filter phases, output instants are rounded to the nearest of this many (< 0.05 % jitter). */
const MAX_PHASES = 1024;

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The zeroth-order modified Bessel function of the first kind, by its power series (for the Kaiser window). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const quarterSquare = (x * x) / 4;
  for (let k = 1; k < 50 && term > sum * 1e-16; k++) {
    term *= quarterSquare / (k * k);
    sum += term;
  }
  return sum;
}

/** Kaiser's β for a given stopband attenuation (Kaiser's empirical formula, as in Oppenheim & Schafer §7.5). */
function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  return 0;
}

/** Converts a stream of samples from one rate to another. Pure: no I/O, state is the filter history. */
export class PolyphaseResampler {
  readonly inputRateHz: number;
  readonly outputRateHz: number;
  /** The rate ratio in lowest terms: L outputs for every M inputs. */
  readonly #interpolation: number;
  readonly #decimation: number;
  readonly #phases: number;
  readonly #taps: number;
  /** Phase-major coefficients: phase p's taps are at [p·taps, (p+1)·taps); phases + 1 rows. */
  readonly #coefficients: Float64Array;
  readonly #passthrough: boolean;

  /** Input history; #history[k] is input sample number #historyStart + k. */
  #history = new Float64Array(0);
  #historyLength = 0;
  #historyStart = 0;
  #inputCount = 0;
  #outputCount = 0;
  #flushed = false;

  constructor(options: PolyphaseResamplerOptions) {
    const { inputRateHz, outputRateHz } = options;
    const passbandFraction = options.passbandFraction ?? 0.85;
    const attenuationDb = options.stopbandAttenuationDb ?? 80;
    if (
      !Number.isInteger(inputRateHz) ||
      !Number.isInteger(outputRateHz) ||
      inputRateHz <= 0 ||
      outputRateHz <= 0
    ) {
      throw new ResampleError(
        `Sample rates must be positive integers; got ${inputRateHz} Hz → ${outputRateHz} Hz.`,
      );
    }
    if (!(passbandFraction > 0 && passbandFraction < 1) || !(attenuationDb >= 20 && attenuationDb <= 150)) {
      throw new ResampleError('The passband fraction must be in (0, 1) and the attenuation in [20, 150] dB.');
    }
    this.inputRateHz = inputRateHz;
    this.outputRateHz = outputRateHz;
    const divisor = greatestCommonDivisor(inputRateHz, outputRateHz);
    this.#interpolation = outputRateHz / divisor;
    this.#decimation = inputRateHz / divisor;
    this.#passthrough = this.#interpolation === 1 && this.#decimation === 1;
    this.#phases = Math.min(this.#interpolation, MAX_PHASES);

    const nyquistHz = Math.min(inputRateHz, outputRateHz) / 2;
    const transitionHz = nyquistHz * (1 - passbandFraction);
    const cutoff = (nyquistHz * (1 + passbandFraction)) / 2 / inputRateHz; // Cycles per input sample.
    // Kaiser's length estimate, in input samples: N ≈ (A − 8) / (2.285 · Δω).
    const length = (attenuationDb - 8) / (2.285 * 2 * Math.PI * (transitionHz / inputRateHz));
    this.#taps = this.#passthrough ? 1 : 2 * Math.ceil(length / 2);
    this.#coefficients = this.#design(cutoff, kaiserBeta(attenuationDb));
  }

  /** Filter taps per output sample (the cost of one output, and the look-ahead in input samples ×½). */
  get tapsPerOutput(): number {
    return this.#taps;
  }

  /** Converts the next block of input; returns the outputs that are complete (possibly none). */
  process(input: ArrayLike<number>): Float64Array {
    if (this.#flushed)
      throw new ResampleError('This resampler was flushed; create a new one for a new stream.');
    if (this.#passthrough) {
      this.#inputCount += input.length;
      this.#outputCount += input.length;
      return Float64Array.from(input);
    }
    this.#append(input);
    this.#inputCount += input.length;
    return this.#run();
  }

  /** Ends the stream: returns the remaining outputs, so that the total is ⌈inputs · out/in⌉. */
  flush(): Float64Array {
    if (this.#flushed || this.#passthrough) {
      this.#flushed = true;
      return new Float64Array(0);
    }
    this.#flushed = true;
    const total = Math.ceil((this.#inputCount * this.#interpolation) / this.#decimation);
    this.#append(new Float64Array(this.#taps));
    return this.#run(total);
  }

  #design(cutoff: number, beta: number): Float64Array {
    const taps = this.#taps;
    const phases = this.#phases;
    const coefficients = new Float64Array((phases + 1) * taps);
    if (this.#passthrough) {
      coefficients.fill(1);
      return coefficients;
    }
    const half = taps / 2;
    const windowNorm = besselI0(beta);
    for (let phase = 0; phase <= phases; phase++) {
      const fraction = phase / phases;
      let sum = 0;
      for (let tap = 0; tap < taps; tap++) {
        // Distance from the output instant to input sample (i - half + 1 + tap), in input samples.
        const distance = half - 1 - tap + fraction;
        const x = 2 * cutoff * distance;
        const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        const ratio = distance / half;
        const window = Math.abs(ratio) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - ratio * ratio)) / windowNorm;
        const value = sinc * window;
        coefficients[phase * taps + tap] = value;
        sum += value;
      }
      for (let tap = 0; tap < taps; tap++) coefficients[phase * taps + tap] /= sum;
    }
    return coefficients;
  }

  #append(input: ArrayLike<number>): void {
    const needed = this.#historyLength + input.length;
    if (needed > this.#history.length) {
      const grown = new Float64Array(Math.max(needed, this.#history.length * 2, 4 * this.#taps));
      grown.set(this.#history.subarray(0, this.#historyLength));
      this.#history = grown;
    }
    for (let i = 0; i < input.length; i++) this.#history[this.#historyLength + i] = input[i] ?? 0;
    this.#historyLength += input.length;
  }

  /** Computes every output whose look-ahead is buffered, up to `limit` outputs in all. */
  #run(limit = Number.POSITIVE_INFINITY): Float64Array {
    const taps = this.#taps;
    const half = taps / 2;
    const L = this.#interpolation;
    const M = this.#decimation;
    const history = this.#history;
    const coefficients = this.#coefficients;
    const historyStart = this.#historyStart;
    const historyEnd = historyStart + this.#historyLength;
    const exactPhases = this.#phases === L;
    const outputs: number[] = [];
    for (let n = this.#outputCount; n < limit; n++) {
      const position = n * M;
      const base = Math.floor(position / L);
      if (base + half >= historyEnd) break;
      const remainder = position - base * L;
      const phase = exactPhases ? remainder : Math.round((remainder * this.#phases) / L);
      const offset = phase * taps;
      let index = base - half + 1 - historyStart;
      let tap = 0;
      // Inputs before the start of the stream are zero.
      if (index < 0) {
        tap = -index;
        index = 0;
      }
      let acc = 0;
      for (; tap < taps; tap++, index++) acc += coefficients[offset + tap] * history[index];
      outputs.push(acc);
    }
    this.#outputCount += outputs.length;
    this.#discardHistory();
    return Float64Array.from(outputs);
  }

  /** Drops input no future output can reach. */
  #discardHistory(): void {
    const nextBase = Math.floor((this.#outputCount * this.#decimation) / this.#interpolation);
    const keepFrom = nextBase - this.#taps / 2 + 1;
    const drop = Math.min(this.#historyLength, keepFrom - this.#historyStart);
    if (drop <= 0) return;
    this.#history.copyWithin(0, drop, this.#historyLength);
    this.#historyLength -= drop;
    this.#historyStart += drop;
  }
}
