// File adapters around the pure WAV reader and writer: the only part of this folder that touches the disk.
// Reading streams the file in chunks, so an hour-long prompt never sits in memory; writing appends frames and
// fixes the header's sizes on close. Until then the header carries the "unknown size" marker, so a recording
// cut short by a crash is still readable to its last frame (by `WavDecoder` and most tools).

import { createReadStream } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { describeError } from '../../common/errors.js';
import { WavError } from './wav-error.js';
import type { WavFormat } from './wav-format.js';
import { readWav, WavReader, type WavReaderOptions } from './wav-reader.js';
import { createWavHeader, pcm16ToBytes, WAV_HEADER_BYTES } from './wav-writer.js';

function ioError(action: string, path: string, error: unknown): WavError {
  return new WavError('WAV_IO', `Cannot ${action} the WAV file ${path}: ${describeError(error)}`, {
    cause: error,
  });
}

/** Reads a whole WAV file as 8 kHz mono samples. */
export async function readWavFile(
  path: string,
  options: WavReaderOptions = {},
): Promise<{ format: WavFormat; samples: Int16Array }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw ioError('read', path, error);
  }
  return readWav(bytes, options);
}

/** Streams a WAV file as 8 kHz mono frames of 20 ms (the last one padded with silence). */
export async function* readWavFileFrames(
  path: string,
  options: WavReaderOptions & { chunkBytes?: number } = {},
): AsyncGenerator<Int16Array, void, undefined> {
  const reader = new WavReader(options);
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 64 * 1024 });
  try {
    for await (const chunk of stream) yield* reader.push(chunk as Buffer);
  } catch (error) {
    if (error instanceof WavError) throw error;
    throw ioError('read', path, error);
  } finally {
    stream.destroy();
  }
  yield* reader.end();
}

/** Writes 16-bit PCM frames to a WAV file as they come; `close` fixes the header. */
export class WavFileWriter {
  readonly #file: FileHandle;
  readonly #path: string;
  readonly #sampleRateHz: number;
  #dataBytes = 0;
  #closed = false;

  private constructor(file: FileHandle, path: string, sampleRateHz: number) {
    this.#file = file;
    this.#path = path;
    this.#sampleRateHz = sampleRateHz;
  }

  /** Creates (or truncates) `path` and writes a provisional header. */
  static async create(path: string, options: { sampleRateHz?: number } = {}): Promise<WavFileWriter> {
    const sampleRateHz = options.sampleRateHz ?? 8000;
    const header = createWavHeader(undefined, { sampleRateHz });
    let file: FileHandle;
    try {
      file = await open(path, 'w');
      await file.write(header, 0, header.length, 0);
    } catch (error) {
      throw ioError('create', path, error);
    }
    return new WavFileWriter(file, path, sampleRateHz);
  }

  /** Samples written so far. */
  get samplesWritten(): number {
    return this.#dataBytes / 2;
  }

  /** Appends a frame of mono samples. */
  async write(frame: Int16Array): Promise<void> {
    if (this.#closed)
      throw new WavError('WAV_INVALID_OPTION', `The WAV file ${this.#path} is already closed.`);
    const bytes = pcm16ToBytes(frame);
    try {
      await this.#file.write(bytes, 0, bytes.length, WAV_HEADER_BYTES + this.#dataBytes);
    } catch (error) {
      throw ioError('write', this.#path, error);
    }
    this.#dataBytes += bytes.length;
  }

  /** Writes the final sizes into the header and closes the file; a second call does nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      const header = createWavHeader(this.#dataBytes, { sampleRateHz: this.#sampleRateHz });
      await this.#file.write(header, 0, header.length, 0);
    } catch (error) {
      throw ioError('finish', this.#path, error);
    } finally {
      await this.#file.close();
    }
  }
}
