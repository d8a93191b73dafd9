import { toError } from '../../common/errors.js';
import { WavFileWriter } from '../wav/wav-file.js';
import type { AudioSink } from './audio-source.js';
import type { PcmFrameDirection } from './pcm-frame-sink.js';

// Records what we heard (or what we sent) to a 16-bit 8 kHz WAV file. The tick must not wait for the disk, so each
// frame is copied and its write chained behind the previous one; `close` waits for the chain and fixes the header.
// Until then the file carries the "unknown size" marker (media/wav), so a recording cut short is still readable.
// A write error stops the recording and is reported by `close` (and `error`), never thrown into the tick.

export class WavRecorderSink implements AudioSink {
  readonly onReceived?: (frame: Int16Array) => void;
  readonly onSent?: (frame: Int16Array) => void;
  readonly #writer: WavFileWriter;
  #chain: Promise<void> = Promise.resolve();
  #error: Error | undefined;
  #closed = false;
  #frames = 0;

  private constructor(writer: WavFileWriter, direction: PcmFrameDirection) {
    this.#writer = writer;
    const record = (frame: Int16Array): void => this.#record(frame);
    if (direction === 'received') this.onReceived = record;
    else this.onSent = record;
  }

  /** Creates (or truncates) `path`; `direction` 'received' (default) records what we heard. */
  static async create(path: string, direction: PcmFrameDirection = 'received'): Promise<WavRecorderSink> {
    return new WavRecorderSink(await WavFileWriter.create(path), direction);
  }

  /** Frames queued for writing so far. */
  get frames(): number {
    return this.#frames;
  }

  /** The write error that stopped the recording, if any. */
  get error(): Error | undefined {
    return this.#error;
  }

  /** Waits for pending writes and finishes the file; rejects with the first write error. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#chain;
    await this.#writer.close();
    if (this.#error) throw this.#error;
  }

  #record(frame: Int16Array): void {
    if (this.#closed || this.#error) return;
    const copy = Int16Array.from(frame);
    this.#frames++;
    this.#chain = this.#chain.then(() =>
      this.#error
        ? undefined
        : this.#writer.write(copy).catch((error: unknown) => {
            this.#error = toError(error);
          }),
    );
  }
}
