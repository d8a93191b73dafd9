import { type ToneComponent, ToneGenerator } from '../tone/tone-generator.js';
import type { AudioSource } from './audio-source.js';
import { MediaSessionError } from './media-session-error.js';

// Tones as a source: one or more sines from media/tone's generator, phase-continuous across frames. A spec string
// names them the way the CLI and checks do: `tone:440`, `tone:350+440` (dial tone), optionally with a level,
// `tone:1000@-6` (dBFS, AES17).

/** The default level of a tone source: loud and clear, with headroom for G.711. */
export const DEFAULT_TONE_LEVEL_DBFS = -10;

export class ToneSource implements AudioSource {
  readonly #generator: ToneGenerator;

  constructor(components: readonly ToneComponent[]) {
    this.#generator = new ToneGenerator({ tones: [...components] });
  }

  /** One sine at `frequencyHz`. */
  static sine(frequencyHz: number, levelDbfs = DEFAULT_TONE_LEVEL_DBFS): ToneSource {
    return new ToneSource([{ frequencyHz, levelDbfs }]);
  }

  /** Parses `tone:F[+F…][@LEVEL_DBFS]`; a MediaSessionError names what is wrong. */
  static parse(spec: string): ToneSource {
    const match = /^tone:([\d.]+(?:\+[\d.]+)*)(?:@(-?[\d.]+))?$/.exec(spec.trim());
    if (!match) {
      throw new MediaSessionError(
        'MEDIA_INVALID_OPTION',
        `"${spec}" is not a tone; write tone:440, tone:350+440 or tone:1000@-6 (level in dBFS).`,
      );
    }
    const levelDbfs = match[2] === undefined ? DEFAULT_TONE_LEVEL_DBFS : Number(match[2]);
    return new ToneSource(match[1].split('+').map((f) => ({ frequencyHz: Number(f), levelDbfs })));
  }

  get tones(): readonly ToneComponent[] {
    return this.#generator.tones;
  }

  read(out: Int16Array): void {
    this.#generator.fill(out);
  }
}
