// The conversions between the sound card's rate (usually 48 kHz, float samples) and the host's frames (8 kHz mono
// Int16, 20 ms: electron/common/audio.ts). They run inside the AudioWorklet (pcm-worklet.ts) on the audio thread,
// so they allocate nothing per render quantum and never block; they are plain classes so unit tests can feed them
// known signals (ADR 0142: resampling happens here, not in the host).

/** 8 kHz, 20 ms: the frame the host and G.711 use. */
export const FRAME_RATE_HZ = 8000;
export const FRAME_SAMPLES = 160;

const INT16_SCALE = 32767;

function toInt16(sample: number): number {
  const clipped = sample > 1 ? 1 : sample < -1 ? -1 : sample;
  return Math.round(clipped * INT16_SCALE);
}

/**
 * Sound card → 8 kHz frames. Each output sample is the mean of the input samples in its interval (a box filter,
 * which attenuates what would alias above 4 kHz enough for speech), with a fractional phase so any input rate
 * works (44.1 kHz too). Full frames are handed to `onFrame` in a reused array: copy it to keep it.
 */
export class Downsampler {
  readonly #step: number;
  readonly #frame = new Int16Array(FRAME_SAMPLES);
  readonly #onFrame: (frame: Int16Array) => void;
  #filled = 0;
  #sum = 0;
  #count = 0;
  /** Input samples still to take for the current output sample (fractional). */
  #remaining: number;

  constructor(inputRateHz: number, onFrame: (frame: Int16Array) => void) {
    if (!(inputRateHz >= FRAME_RATE_HZ)) throw new RangeError(`Input rate ${inputRateHz} Hz is below 8 kHz.`);
    this.#step = inputRateHz / FRAME_RATE_HZ;
    this.#remaining = this.#step;
    this.#onFrame = onFrame;
  }

  push(input: Float32Array): void {
    for (let i = 0; i < input.length; i++) {
      this.#sum += input[i] ?? 0;
      this.#count++;
      this.#remaining -= 1;
      if (this.#remaining > 0) continue;
      this.#frame[this.#filled++] = toInt16(this.#sum / this.#count);
      this.#sum = 0;
      this.#count = 0;
      this.#remaining += this.#step;
      if (this.#filled === FRAME_SAMPLES) {
        this.#filled = 0;
        this.#onFrame(this.#frame);
      }
    }
  }
}

/** How far the drift compensation may speed playback up or slow it down: ±2 % (a pitch change no one hears). */
export const MAX_RATE_ADJUSTMENT = 0.02;
/**
 * The correction per window for a low level this many samples (10 ms) off the target: 1 % at once (proportional)
 * and 0.25 % kept for good (integral — what holds a steady drift without a standing error).
 */
const RATE_GAIN_SAMPLES = 80;
const PROPORTIONAL_GAIN = 0.01;
const INTEGRAL_GAIN = 0.0025;

export interface PlaybackQueueOptions {
  /** Hard bound of the ring, in frames; a write beyond it drops the oldest samples (an overrun). Default 8. */
  readonly maxFrames?: number;
  /** Frames queued (plus `targetSamples`) before playback starts, and starts again after an underrun. Default 2. */
  readonly primeFrames?: number;
  /**
   * Drift compensation: the lowest level, in 8 kHz samples, the queue should keep between two frames (the
   * cushion against late frames). Undefined: none (the queue drops only when full and settles at its maximum).
   */
  readonly targetSamples?: number;
  /** Each underrun raises the target by a quarter frame, up to this. Default: the target plus a frame. */
  readonly maxTargetSamples?: number;
  /** How long the lowest level is watched before the rate is corrected, seconds. Default 0.5. */
  readonly windowSeconds?: number;
}

/**
 * 8 kHz frames → the sound card: a bounded ring of received samples, read out with linear interpolation at the
 * output rate. Playback starts once `primeFrames` are queued (so a late frame does not click at once), an underrun
 * plays silence and primes again, and an overflow drops the oldest samples so the delay stays bounded.
 *
 * With `targetSamples`, the queue also holds its level (docs/adr/0147). The host sends on its clock and the sound
 * card plays on its own; at the same nominal rate a queue keeps whatever level it reached, so the lowest level seen
 * over each window — the part of the queue that never drains, a standing delay — is steered to the target: the
 * read rate moves by up to ±MAX_RATE_ADJUSTMENT in proportion to the error (faster when too full, slower when
 * nearly empty, so drift either way is absorbed without a gap), and a standing level more than a frame above the
 * target (a burst after a stall) is dropped at once (`adjustments`). Each underrun says the cushion was too thin
 * for the jitter of this call: the target grows by a quarter frame (up to `maxTargetSamples`) and the learnt drift
 * moves towards reading slower.
 */
export class PlaybackQueue {
  readonly #ring: Float32Array;
  readonly #step: number;
  readonly #primeFrameSamples: number;
  #primeSamples: number;
  readonly #initialTargetSamples: number | undefined;
  readonly #maxTargetSamples: number;
  #targetSamples: number | undefined;
  readonly #windowOutputSamples: number;
  #read = 0;
  #size = 0;
  #phase = 0;
  #playing = false;
  #rate = 1;
  /** The integral part of the rate correction: the drift learnt so far. */
  #drift = 0;
  #windowLeft: number;
  #windowMin = Number.POSITIVE_INFINITY;
  underruns = 0;
  overruns = 0;
  /** Times a standing level was dropped at once to get back to the target. */
  adjustments = 0;

  constructor(outputRateHz: number, options: PlaybackQueueOptions = {}) {
    this.#ring = new Float32Array((options.maxFrames ?? 8) * FRAME_SAMPLES);
    this.#step = FRAME_RATE_HZ / outputRateHz;
    // With a target, playback starts with the cushion on top of the frames, so the level's low point starts there.
    this.#primeFrameSamples = (options.primeFrames ?? 2) * FRAME_SAMPLES;
    this.#primeSamples = this.#primeFrameSamples + (options.targetSamples ?? 0);
    this.#initialTargetSamples = options.targetSamples;
    this.#targetSamples = options.targetSamples;
    this.#maxTargetSamples = options.maxTargetSamples ?? (options.targetSamples ?? 0) + FRAME_SAMPLES;
    this.#windowOutputSamples = Math.max(1, Math.round((options.windowSeconds ?? 0.5) * outputRateHz));
    this.#windowLeft = this.#windowOutputSamples;
  }

  /** Queued 8 kHz samples. */
  get size(): number {
    return this.#size;
  }

  /** The low level the queue steers to now, 8 kHz samples (undefined without drift compensation). */
  get targetSamples(): number | undefined {
    return this.#targetSamples;
  }

  /** The read rate relative to nominal (1 without drift compensation). */
  get rate(): number {
    return this.#rate;
  }

  write(frame: Int16Array): void {
    const capacity = this.#ring.length;
    for (let i = 0; i < frame.length; i++) {
      if (this.#size === capacity) {
        this.#read = (this.#read + 1) % capacity;
        this.#size--;
        this.overruns++;
      }
      this.#ring[(this.#read + this.#size) % capacity] = (frame[i] ?? 0) / INT16_SCALE;
      this.#size++;
    }
  }

  /** Fills `out` at the output rate. */
  read(out: Float32Array): void {
    if (!this.#playing && this.#size >= this.#primeSamples) this.#start();
    const steering = this.#playing && this.#targetSamples !== undefined;
    const capacity = this.#ring.length;
    const step = this.#step * this.#rate;
    for (let i = 0; i < out.length; i++) {
      // Two samples are needed to interpolate between them.
      if (!this.#playing || this.#size < 2) {
        if (this.#playing) {
          this.#playing = false;
          this.underruns++;
          if (this.#targetSamples !== undefined) this.#onUnderrun();
        }
        out[i] = 0;
        continue;
      }
      const a = this.#ring[this.#read] ?? 0;
      const b = this.#ring[(this.#read + 1) % capacity] ?? 0;
      out[i] = a + (b - a) * this.#phase;
      this.#phase += step;
      while (this.#phase >= 1) {
        this.#phase -= 1;
        this.#read = (this.#read + 1) % capacity;
        this.#size--;
      }
    }
    // The level left after a read is the low point the next frame must arrive before.
    if (steering && this.#playing) this.#steer(out.length);
  }

  clear(): void {
    this.#read = 0;
    this.#size = 0;
    this.#phase = 0;
    this.#playing = false;
    this.#rate = 1;
    this.#drift = 0;
    this.#targetSamples = this.#initialTargetSamples;
    this.#primeSamples = this.#primeFrameSamples + (this.#targetSamples ?? 0);
    this.#startWindow();
  }

  /** Notes the level after a read; at a window's end, corrects the rate (or drops a standing surplus). */
  #steer(outputSamples: number): void {
    if (this.#size < this.#windowMin) this.#windowMin = this.#size;
    this.#windowLeft -= outputSamples;
    if (this.#windowLeft > 0) return;
    const error = this.#windowMin - this.#targetSamples!;
    this.#startWindow();
    if (error > FRAME_SAMPLES) {
      // More than a frame standing (a burst after a stall): steering at 2 % would take seconds; drop it now.
      this.#read = (this.#read + error) % this.#ring.length;
      this.#size -= error;
      this.adjustments++;
      this.#rate = 1 + this.#drift;
      return;
    }
    const relative = error / RATE_GAIN_SAMPLES;
    this.#drift = clampAdjustment(this.#drift + INTEGRAL_GAIN * relative);
    this.#rate = 1 + clampAdjustment(this.#drift + PROPORTIONAL_GAIN * relative);
  }

  #start(): void {
    this.#playing = true;
    if (this.#targetSamples === undefined) return;
    // Frames come 160 samples at a time, so the level that crossed the prime may be most of a frame above it:
    // starting there would start with a standing surplus. The start (of the call, or after an underrun) is the one
    // moment audio can be skipped unheard.
    const surplus = this.#size - this.#primeSamples;
    if (surplus > 0) {
      this.#read = (this.#read + surplus) % this.#ring.length;
      this.#size -= surplus;
    }
    this.#startWindow();
  }

  /** The level hit zero: the cushion was too thin for the jitter, or the drift learnt so far too small. */
  #onUnderrun(): void {
    this.#targetSamples = Math.min(this.#maxTargetSamples, this.#targetSamples! + FRAME_SAMPLES / 4);
    this.#primeSamples = this.#primeFrameSamples + this.#targetSamples;
    this.#drift = clampAdjustment(this.#drift - (INTEGRAL_GAIN * this.#targetSamples) / RATE_GAIN_SAMPLES);
    this.#rate = 1 + this.#drift;
  }

  #startWindow(): void {
    this.#windowLeft = this.#windowOutputSamples;
    this.#windowMin = Number.POSITIVE_INFINITY;
  }
}

function clampAdjustment(value: number): number {
  return Math.max(-MAX_RATE_ADJUSTMENT, Math.min(MAX_RATE_ADJUSTMENT, value));
}

/** The level of a frame in dBFS (RMS re full scale; AES17 would add 3 dB for a sine), -100 for silence. */
export function frameDbfs(frame: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < frame.length; i++) {
    const x = (frame[i] ?? 0) / INT16_SCALE;
    sum += x * x;
  }
  if (sum === 0 || frame.length === 0) return -100;
  return Math.max(-100, 10 * Math.log10(sum / frame.length));
}
