// Packet loss concealment for 8 kHz speech, in the spirit of ITU-T G.711 Appendix I (our own, simpler code):
// a lost frame is replaced by repeating the last pitch period of the good signal, found by autocorrelation,
// so voiced speech continues as a voice instead of a buzz of repeated 20 ms frames. The repetition plays at
// full level for 10 ms, then fades linearly to silence at `maxConcealMs` (60 ms by default: beyond that,
// invented audio is worse than a gap). The first good frame after a loss is cross-faded in over 5 ms so the
// seam does not click.

export interface PacketLossConcealerOptions {
  sampleRateHz?: number;
  /** Concealment fades to silence over this time. Default 60 ms. */
  maxConcealMs?: number;
}

/** Pitch periods searched: 2.5 … 15 ms (400 … 67 Hz), the range of voices. */
const MIN_PITCH_MS = 2.5;
const MAX_PITCH_MS = 15;
/** Full-level repetition before the fade starts. */
const HOLD_MS = 10;
/** The cross-fade into the first good frame after a loss. */
const CROSSFADE_MS = 5;
/** History kept: the longest period plus a correlation window. */
const HISTORY_MS = 40;

/** Conceals lost frames from the history of good ones. Pure: it only sees the frames it is given. */
export class PacketLossConcealer {
  /**
   * The latest good samples, as 16-bit samples like the frames they come from: a quarter of the memory of doubles,
   * which matters when hundreds of sessions take turns in the cache.
   */
  readonly #history: Int16Array;
  readonly #minPitch: number;
  readonly #maxPitch: number;
  readonly #holdSamples: number;
  readonly #fadeEndSamples: number;
  readonly #crossfadeSamples: number;
  /** Scratch for the cross-fade and for one frame of concealment (allocated once, grown if frames grow). */
  readonly #continuation: Float64Array;
  #synthesis = new Float64Array(0);
  #historyFill = 0;
  /** Samples of concealment produced in the current loss (0 when the last frame was good). */
  #concealed = 0;
  #pitch = 0;

  constructor(options: PacketLossConcealerOptions = {}) {
    const rate = options.sampleRateHz ?? 8000;
    const perMs = rate / 1000;
    this.#history = new Int16Array(Math.round(HISTORY_MS * perMs));
    this.#minPitch = Math.round(MIN_PITCH_MS * perMs);
    this.#maxPitch = Math.round(MAX_PITCH_MS * perMs);
    this.#holdSamples = Math.round(HOLD_MS * perMs);
    this.#fadeEndSamples = Math.max(this.#holdSamples + 1, Math.round((options.maxConcealMs ?? 60) * perMs));
    this.#crossfadeSamples = Math.round(CROSSFADE_MS * perMs);
    this.#continuation = new Float64Array(this.#crossfadeSamples);
  }

  /** True while the last output was concealment (the next good frame will be cross-faded in). */
  get concealing(): boolean {
    return this.#concealed > 0;
  }

  /**
   * Takes a good frame for output: records it as history and, after a loss, cross-fades its start from the
   * continued concealment (in place). Returns the same array.
   */
  good(frame: Int16Array): Int16Array {
    if (this.#concealed > 0 && this.#concealed < this.#fadeEndSamples && this.#historyFill > 0) {
      const fade = Math.min(this.#crossfadeSamples, frame.length);
      const continuation = this.#continuation;
      this.#synthesize(continuation, fade);
      for (let i = 0; i < fade; i++) {
        const weight = (i + 1) / (fade + 1);
        frame[i] = Math.round((frame[i] ?? 0) * weight + (continuation[i] ?? 0) * (1 - weight));
      }
    }
    this.#concealed = 0;
    this.#remember(frame);
    return frame;
  }

  /**
   * Fills `out` with concealment for a lost frame. Returns false (and fills silence) when there is nothing to
   * conceal from or the loss has lasted past `maxConcealMs`.
   */
  conceal(out: Int16Array): boolean {
    if (this.#historyFill < this.#history.length || this.#concealed >= this.#fadeEndSamples) {
      out.fill(0);
      this.#concealed = Math.max(this.#concealed, this.#fadeEndSamples);
      return false;
    }
    if (this.#concealed === 0) this.#pitch = this.#estimatePitch();
    if (this.#synthesis.length < out.length) this.#synthesis = new Float64Array(out.length);
    const samples = this.#synthesis;
    this.#synthesize(samples, out.length);
    for (let i = 0; i < out.length; i++)
      out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i] ?? 0)));
    return true;
  }

  /** Forgets everything (a new stream). */
  reset(): void {
    this.#historyFill = 0;
    this.#concealed = 0;
    this.#history.fill(0);
  }

  /** Continues the pitch repetition into `out[0, count)`, with the fade envelope, advancing the position. */
  #synthesize(out: Float64Array, count: number): void {
    const history = this.#history;
    const length = history.length;
    const pitch = this.#pitch || this.#minPitch;
    const span = this.#fadeEndSamples - this.#holdSamples;
    for (let i = 0; i < count; i++) {
      const position = this.#concealed;
      const gain = position < this.#holdSamples ? 1 : Math.max(0, 1 - (position - this.#holdSamples) / span);
      out[i] = gain * (history[length - pitch + (position % pitch)] ?? 0);
      this.#concealed++;
    }
  }

  /** The lag in [minPitch, maxPitch] that best matches the latest samples with earlier ones. */
  #estimatePitch(): number {
    const history = this.#history;
    const length = history.length;
    const window = length - this.#maxPitch;
    let bestLag = this.#maxPitch;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let lag = this.#minPitch; lag <= this.#maxPitch; lag++) {
      let cross = 0;
      let energy = 0;
      for (let i = length - window; i < length; i++) {
        const lagged = history[i - lag] ?? 0;
        cross += (history[i] ?? 0) * lagged;
        energy += lagged * lagged;
      }
      const score = energy > 0 ? cross / Math.sqrt(energy) : 0;
      if (score > bestScore) {
        bestScore = score;
        bestLag = lag;
      }
    }
    return bestLag;
  }

  #remember(frame: Int16Array): void {
    const history = this.#history;
    const length = history.length;
    // Native copies (`set` of a whole array, `copyWithin`), not a loop per sample: this runs on every good frame
    // of every session. Only a frame longer than the history needs a view of its end.
    if (frame.length >= length) {
      history.set(frame.length === length ? frame : frame.subarray(frame.length - length));
    } else {
      history.copyWithin(0, frame.length);
      history.set(frame, length - frame.length);
    }
    this.#historyFill = Math.min(length, this.#historyFill + frame.length);
  }
}
