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

/**
 * 8 kHz frames → the sound card: a bounded ring of received samples, read out with linear interpolation at the
 * output rate. Playback starts once `primeFrames` are queued (so a late frame does not click at once), an underrun
 * plays silence and primes again, and an overflow drops the oldest samples so the delay stays bounded.
 */
export class PlaybackQueue {
  readonly #ring: Float32Array;
  readonly #step: number;
  readonly #primeSamples: number;
  #read = 0;
  #size = 0;
  #phase = 0;
  #playing = false;
  underruns = 0;
  overruns = 0;
  adjustments = 0;

  constructor(outputRateHz: number, options: { maxFrames?: number; primeFrames?: number } = {}) {
    this.#ring = new Float32Array((options.maxFrames ?? 8) * FRAME_SAMPLES);
    this.#step = FRAME_RATE_HZ / outputRateHz;
    this.#primeSamples = (options.primeFrames ?? 2) * FRAME_SAMPLES;
  }

  /** Queued 8 kHz samples. */
  get size(): number {
    return this.#size;
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
    if (!this.#playing && this.#size >= this.#primeSamples) this.#playing = true;
    const capacity = this.#ring.length;
    for (let i = 0; i < out.length; i++) {
      // Two samples are needed to interpolate between them.
      if (!this.#playing || this.#size < 2) {
        if (this.#playing) {
          this.#playing = false;
          this.underruns++;
        }
        out[i] = 0;
        continue;
      }
      const a = this.#ring[this.#read] ?? 0;
      const b = this.#ring[(this.#read + 1) % capacity] ?? 0;
      out[i] = a + (b - a) * this.#phase;
      this.#phase += this.#step;
      while (this.#phase >= 1) {
        this.#phase -= 1;
        this.#read = (this.#read + 1) % capacity;
        this.#size--;
      }
    }
  }

  clear(): void {
    this.#read = 0;
    this.#size = 0;
    this.#phase = 0;
    this.#playing = false;
  }
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
