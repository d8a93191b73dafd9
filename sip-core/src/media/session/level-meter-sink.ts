import { LevelMeter } from '../tone/level-meter.js';
import type { AudioSink } from './audio-source.js';

// Input and output levels for the UI's meters and the checks' "is there audio?" questions: what we send (input, the
// microphone side) and what we play (output, the speaker side), in dBFS (AES17) per frame and overall.

export interface AudioLevels {
  /** RMS of the last frame sent, dBFS. */
  readonly inputDbfs: number;
  /** RMS of the last frame played, dBFS. */
  readonly outputDbfs: number;
  readonly inputOverallDbfs: number;
  readonly outputOverallDbfs: number;
  readonly inputPeakDbfs: number;
  readonly outputPeakDbfs: number;
}

export class LevelMeterSink implements AudioSink {
  readonly #input = new LevelMeter();
  readonly #output = new LevelMeter();

  onReceived(frame: Int16Array): void {
    this.#output.push(frame);
  }

  onSent(frame: Int16Array): void {
    this.#input.push(frame);
  }

  get levels(): AudioLevels {
    return {
      inputDbfs: this.#input.lastDbfs,
      outputDbfs: this.#output.lastDbfs,
      inputOverallDbfs: this.#input.overallDbfs,
      outputOverallDbfs: this.#output.overallDbfs,
      inputPeakDbfs: this.#input.peakDbfs,
      outputPeakDbfs: this.#output.peakDbfs,
    };
  }

  reset(): void {
    this.#input.reset();
    this.#output.reset();
  }
}
