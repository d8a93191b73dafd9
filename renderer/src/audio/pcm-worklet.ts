// The AudioWorklet processor of a call (bundled on its own by Vite, `?worker&url`): its input is the microphone,
// cut into 8 kHz 20 ms frames posted to the page; its output plays the frames the page posts to it. Messages:
//
//   page → worklet  { type: 'play', samples: Int16Array }   a received frame
//                   { type: 'clear' }                         the call changed: forget queued audio
//   worklet → page  { type: 'frame', samples: Int16Array, atFrame: number }   a microphone frame
//                                                             (`atFrame`: the audio clock, in samples, when it
//                                                             was complete — for the latency benchmark)

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

type PageMessage = { type: 'play'; samples: Int16Array } | { type: 'clear' };

class PcmProcessor extends AudioWorkletProcessor {
  readonly #capture: Downsampler;
  readonly #playback = new PlaybackQueue(sampleRate, { maxFrames: 8, primeFrames: 2 });

  constructor() {
    super();
    this.#capture = new Downsampler(sampleRate, (frame) => {
      // The frame array is reused: post a copy, transferring its buffer.
      const samples = Int16Array.from(frame);
      this.port.postMessage({ type: 'frame', samples, atFrame: currentFrame }, [samples.buffer]);
    });
    this.port.onmessage = (event: MessageEvent<PageMessage>) => {
      if (event.data.type === 'play') this.#playback.write(event.data.samples);
      else this.#playback.clear();
    };
  }

  override process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const mic = inputs[0]?.[0];
    if (mic !== undefined) this.#capture.push(mic);
    const output = outputs[0];
    const first = output?.[0];
    if (output !== undefined && first !== undefined) {
      this.#playback.read(first);
      for (let c = 1; c < output.length; c++) output[c]?.set(first);
    }
    return true;
  }
}

registerProcessor('trunkline-pcm', PcmProcessor);
