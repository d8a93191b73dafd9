// The AudioWorklet processor of a call (bundled on its own by Vite, `?worker&url`): its input is the microphone,
// cut into 8 kHz 20 ms frames posted to the page; its output plays the frames the page posts to it. Messages:
//
//   page → worklet  { type: 'play', samples: Int16Array }   a received frame
//                   { type: 'clear' }                         the call changed: forget queued audio
//                   { type: 'measure' }                       report loud edges (bench:app's latency probe)
//   worklet → page  { type: 'frame', samples: Int16Array, atFrame: number }   a microphone frame
//                                                             (`atFrame`: the audio clock, in samples, when it
//                                                             was complete — for the latency benchmark)
//                   { type: 'edge', edge: 'in' | 'out', atFrame }   a loud onset entering from the microphone or
//                                                             leaving to the speaker, on the audio clock
//                   { type: 'queue', queue }                  the playback queue's counters, about once a
//                                                             second while measuring

import { CLICK_HOLD_OFF_MS, CLICK_THRESHOLD } from './latency-click.js';
import { Downsampler, PlaybackQueue } from './pcm-resampler.js';

// The AudioWorkletGlobalScope is not in TypeScript's DOM lib.
declare const sampleRate: number;
declare const currentFrame: number;
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessorBase): void;
declare class AudioWorkletProcessorBase {
  readonly port: MessagePort;
  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean;
}
declare const AudioWorkletProcessor: typeof AudioWorkletProcessorBase;

type PageMessage = { type: 'play'; samples: Int16Array } | { type: 'clear' } | { type: 'measure' };

/** While measuring, the playback queue's counters go to the page every this many render quanta (~1 s). */
const QUEUE_REPORT_QUANTA = 375;

function peak(samples: Float32Array): number {
  let max = 0;
  for (let i = 0; i < samples.length; i++) max = Math.max(max, Math.abs(samples[i] ?? 0));
  return max;
}

class PcmProcessor extends AudioWorkletProcessor {
  readonly #capture: Downsampler;
  // ADR 0147: a 10 ms cushion steered by rate (±2 %), grown by underruns; 160 ms only bounds a burst.
  readonly #playback = new PlaybackQueue(sampleRate, { maxFrames: 8, primeFrames: 1, targetSamples: 80 });
  #measuring = false;
  #quantaToReport = 0;
  /** The audio clock of the last edge each way; edges closer than half a second are one click. */
  readonly #lastEdge = { in: -Infinity, out: -Infinity };

  constructor() {
    super();
    this.#capture = new Downsampler(sampleRate, (frame) => {
      // The frame array is reused: post a copy, transferring its buffer.
      const samples = Int16Array.from(frame);
      this.port.postMessage({ type: 'frame', samples, atFrame: currentFrame }, [samples.buffer]);
    });
    this.port.onmessage = (event: MessageEvent<PageMessage>) => {
      if (event.data.type === 'play') this.#playback.write(event.data.samples);
      else if (event.data.type === 'clear') this.#playback.clear();
      else this.#measuring = true;
    };
  }

  override process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const mic = inputs[0]?.[0];
    if (mic !== undefined) {
      this.#capture.push(mic);
      if (this.#measuring) this.#edge('in', mic);
    }
    const output = outputs[0];
    const first = output?.[0];
    if (output !== undefined && first !== undefined) {
      this.#playback.read(first);
      for (let c = 1; c < output.length; c++) output[c]?.set(first);
      if (this.#measuring) this.#edge('out', first);
    }
    if (this.#measuring && --this.#quantaToReport <= 0) {
      this.#quantaToReport = QUEUE_REPORT_QUANTA;
      const q = this.#playback;
      this.port.postMessage({
        type: 'queue',
        queue: {
          underruns: q.underruns,
          overruns: q.overruns,
          adjustments: q.adjustments,
          queuedSamples: q.size,
        },
      });
    }
    return true;
  }

  #edge(edge: 'in' | 'out', samples: Float32Array): void {
    const holdOffFrames = (sampleRate * CLICK_HOLD_OFF_MS) / 1000;
    if (peak(samples) < CLICK_THRESHOLD || currentFrame - this.#lastEdge[edge] < holdOffFrames) return;
    this.#lastEdge[edge] = currentFrame;
    this.port.postMessage({ type: 'edge', edge, atFrame: currentFrame });
  }
}

registerProcessor('trunkline-pcm', PcmProcessor);
