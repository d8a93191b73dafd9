import { NARROWBAND_SAMPLE_RATE_HZ } from '../codec/pcm-frame.js';
import { DtmfDetector, type InBandDtmfEvent } from '../tone/dtmf-detector.js';
import { type ToneAnalysis, type ToneAnalysisOptions, analyzeTone } from '../tone/tone-analysis.js';
import type { AudioSink } from './audio-source.js';
import type { PcmFrameDirection } from './pcm-frame-sink.js';

// A tap on the audio we hear (or send) that answers the checks' questions: "which in-band DTMF keys are in it?"
// (media/tone's Goertzel detector, streaming) and "is the far end's 440 Hz tone in it?" (tone analysis over the
// last `windowMs` of audio). Only received audio counts: concealment and silence frames from the jitter buffer are
// skipped for the tone window (they would dilute it) but still reach the DTMF detector, whose timing needs every
// sample.

export interface ToneDetectorSinkOptions {
  /** Which audio to watch. Default 'received'. */
  readonly direction?: PcmFrameDirection;
  /** How much recent audio `analyze` looks at. Default 2000 ms. */
  readonly windowMs?: number;
  /** Called for each in-band DTMF report as it is detected. */
  readonly onDigit?: (event: InBandDtmfEvent) => void;
}

export class ToneDetectorSink implements AudioSink {
  readonly onReceived?: (frame: Int16Array, kind: string) => void;
  readonly onSent?: (frame: Int16Array) => void;
  /** Every in-band DTMF report so far. */
  readonly digits: InBandDtmfEvent[] = [];
  readonly #detector = new DtmfDetector();
  readonly #onDigit: ((event: InBandDtmfEvent) => void) | undefined;
  /** The window as a ring of samples. */
  readonly #window: Int16Array;
  #written = 0;

  constructor(options: ToneDetectorSinkOptions = {}) {
    this.#onDigit = options.onDigit;
    this.#window = new Int16Array(
      Math.round(((options.windowMs ?? 2000) * NARROWBAND_SAMPLE_RATE_HZ) / 1000),
    );
    if ((options.direction ?? 'received') === 'received') {
      this.onReceived = (frame, kind) => this.#take(frame, kind === 'audio');
    } else {
      this.onSent = (frame) => this.#take(frame, true);
    }
  }

  /** The DTMF keys whose end has been detected, in order (e.g. "123#"). */
  get keys(): string {
    return this.digits
      .filter((d) => d.type === 'digit-end')
      .map((d) => d.symbol)
      .join('');
  }

  /** Measures `frequencyHz` in the recent audio (undefined until one analysis block has been received). */
  analyze(frequencyHz: number, options: ToneAnalysisOptions = {}): ToneAnalysis | undefined {
    const samples = this.recent();
    try {
      return analyzeTone(samples, frequencyHz, options);
    } catch {
      return undefined;
    }
  }

  /** The recent received audio, oldest first. */
  recent(): Int16Array {
    const size = this.#window.length;
    if (this.#written < size) return this.#window.slice(0, this.#written);
    const start = this.#written % size;
    const out = new Int16Array(size);
    out.set(this.#window.subarray(start));
    out.set(this.#window.subarray(0, start), size - start);
    return out;
  }

  #take(frame: Int16Array, isAudio: boolean): void {
    for (const event of this.#detector.push(frame)) {
      this.digits.push(event);
      this.#onDigit?.(event);
    }
    if (!isAudio) return;
    const size = this.#window.length;
    for (let i = 0; i < frame.length; i++) this.#window[(this.#written + i) % size] = frame[i]!;
    this.#written += frame.length;
  }
}
