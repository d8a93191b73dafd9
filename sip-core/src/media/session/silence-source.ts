import type { AudioSource } from './audio-source.js';

/** Sends digital silence (the session's default source). */
export class SilenceSource implements AudioSource {
  read(out: Int16Array): void {
    out.fill(0);
  }
}
