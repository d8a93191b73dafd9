// Turns the far end's declarative media (far-end/media-source.ts: echo, tone, WAV, silence) into media/session
// sources. WAV files are decoded once, when the emulator starts (or when an inbound call first names one), and
// shared by every call that plays them: a call never waits for the disk, and a thousand calls playing the same
// prompt hold one copy of its samples.

import { readWavFile } from '../../media/wav/wav-file.js';
import {
  EchoSource,
  SilenceSource,
  ToneSource,
  WavSource,
  type AudioSource,
} from '../../media/session/index.js';
import type { MediaSource } from '../far-end/index.js';
import { CadencedToneSource } from './cadenced-tone-source.js';

/** A source for one call; `echo` is set when the source must also see the frames the session plays. */
export interface CallAudioSource {
  readonly source: AudioSource;
  readonly echo: EchoSource | undefined;
}

export class AudioSources {
  readonly #wavs = new Map<string, Int16Array>();

  /** Decodes every WAV `sources` name that is not decoded yet (WavError with a stable code when one cannot be). */
  async load(sources: Iterable<MediaSource>): Promise<void> {
    for (const source of sources) {
      if (source.kind !== 'wav' || this.#wavs.has(source.file)) continue;
      const { samples } = await readWavFile(source.file);
      this.#wavs.set(source.file, samples);
    }
  }

  /** Whether `source` can be created now (a WAV must have been loaded). */
  ready(source: MediaSource): boolean {
    return source.kind !== 'wav' || this.#wavs.has(source.file);
  }

  create(source: MediaSource): CallAudioSource {
    switch (source.kind) {
      case 'echo': {
        const echo = new EchoSource();
        return { source: echo, echo };
      }
      case 'silence':
        return { source: new SilenceSource(), echo: undefined };
      case 'tone': {
        const tone = new ToneSource(source.tones);
        return {
          source: source.cadence === null ? tone : new CadencedToneSource(tone, source.cadence),
          echo: undefined,
        };
      }
      case 'wav': {
        const samples = this.#wavs.get(source.file);
        // Not loaded (a bug in the caller): silence rather than a failed call.
        return {
          source: samples === undefined ? new SilenceSource() : new WavSource(samples, { loop: source.loop }),
          echo: undefined,
        };
      }
    }
  }
}
