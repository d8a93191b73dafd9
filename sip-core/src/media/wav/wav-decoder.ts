// A streaming WAV decoder: bytes in (any chunking, a file read piece by piece), mono samples at the file's
// own rate out, on the 16-bit scale (±32768) as floating point so that a resampler can follow without an
// extra rounding. Channels are averaged. Malformed or truncated input is a `WavError` naming the problem.
//
// Parser state:
//
//   riff-header ──► chunk-header ──► fmt ──────────► chunk-header ──► data ──► trailer
//                        │  ▲  (other chunks are skipped)                 │
//                        └──┘                                 end of data ┘  (later chunks are skipped)

import { decodeAlawSample, decodeMulawSample } from '../codec/g711.js';
import { WavError } from './wav-error.js';
import {
  CHUNK_HEADER_BYTES,
  FMT_EXTENSIBLE_BYTES,
  FMT_MIN_BYTES,
  FORMAT_TAG_ALAW,
  FORMAT_TAG_EXTENSIBLE,
  FORMAT_TAG_FLOAT,
  FORMAT_TAG_MULAW,
  FORMAT_TAG_PCM,
  RIFF_HEADER_BYTES,
  UNKNOWN_DATA_SIZE,
  type WavEncoding,
  type WavFormat,
} from './wav-format.js';

type State = 'riff-header' | 'chunk-header' | 'fmt' | 'skip' | 'data' | 'trailer';

/** The highest sample rate accepted; anything above is taken as a corrupt header. */
const MAX_SAMPLE_RATE_HZ = 768_000;
const MAX_CHANNELS = 32;
/** A "fmt " chunk larger than this is corrupt, not a format description. */
const MAX_FMT_BYTES = 1024;

type SampleReader = (bytes: Uint8Array, view: DataView, offset: number) => number;

const SAMPLE_READERS: Record<string, SampleReader> = {
  'pcm/8': (bytes, _view, offset) => ((bytes[offset] ?? 128) - 128) * 256,
  'pcm/16': (_bytes, view, offset) => view.getInt16(offset, true),
  'pcm/24': (bytes, _view, offset) =>
    ((((bytes[offset + 2] ?? 0) << 24) | ((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset] ?? 0) << 8)) >>
      8) /
    256,
  'pcm/32': (_bytes, view, offset) => view.getInt32(offset, true) / 65536,
  'float/32': (_bytes, view, offset) => view.getFloat32(offset, true) * 32768,
  'float/64': (_bytes, view, offset) => view.getFloat64(offset, true) * 32768,
  'mulaw/8': (bytes, _view, offset) => decodeMulawSample(bytes[offset] ?? 0xff),
  'alaw/8': (bytes, _view, offset) => decodeAlawSample(bytes[offset] ?? 0xd5),
};

function fourCc(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + 4));
}

function encodingOf(tag: number): WavEncoding | undefined {
  switch (tag) {
    case FORMAT_TAG_PCM:
      return 'pcm';
    case FORMAT_TAG_FLOAT:
      return 'float';
    case FORMAT_TAG_MULAW:
      return 'mulaw';
    case FORMAT_TAG_ALAW:
      return 'alaw';
    default:
      return undefined;
  }
}

/** Decodes a WAV byte stream to mono samples at the file's rate. */
export class WavDecoder {
  #state: State = 'riff-header';
  /** Bytes received but not yet consumed. */
  #pending: Uint8Array = new Uint8Array(0);
  #format: WavFormat | undefined;
  #reader: SampleReader | undefined;
  /** Bytes left in the chunk being skipped or the data chunk (Infinity when the size is unknown). */
  #remaining = 0;
  #chunkSize = 0;
  #offset = 0;
  #dataDeclaredBytes = 0;
  #dataReadBytes = 0;

  /** The file's format, once its "fmt " chunk has been read. */
  get format(): WavFormat | undefined {
    return this.#format;
  }

  /** Sample frames decoded so far. */
  get framesDecoded(): number {
    return this.#format ? Math.floor(this.#dataReadBytes / this.#format.blockAlignBytes) : 0;
  }

  /** Consumes the next bytes of the file; returns the mono samples they complete. */
  push(chunk: Uint8Array): Float64Array {
    this.#pending = this.#pending.length === 0 ? chunk : concatBytes(this.#pending, chunk);
    const out: Float64Array[] = [];
    let progressed = true;
    while (progressed) progressed = this.#step(out);
    return out.length === 1 ? out[0] : concatSamples(out);
  }

  /** Declares the end of the file; throws a `WavError` when it ended early or lacked a part. */
  end(): void {
    const where = `after ${this.#offset + this.#pending.length} bytes`;
    switch (this.#state) {
      case 'riff-header':
        if (this.#offset + this.#pending.length === 0) {
          throw new WavError('WAV_TRUNCATED', 'The WAV file is empty.');
        }
        throw new WavError('WAV_TRUNCATED', `The WAV file ends inside its RIFF header (${where}).`);
      case 'chunk-header':
      case 'skip':
        if (this.#format === undefined) {
          throw new WavError('WAV_MISSING_FMT', `The WAV file has no "fmt " chunk (it ends ${where}).`);
        }
        throw new WavError('WAV_MISSING_DATA', `The WAV file has no "data" chunk (it ends ${where}).`);
      case 'fmt':
        throw new WavError('WAV_TRUNCATED', `The WAV file ends inside its "fmt " chunk (${where}).`);
      case 'data':
        if (Number.isFinite(this.#remaining) && this.#remaining > 0) {
          throw new WavError(
            'WAV_TRUNCATED',
            `The WAV file is truncated: its "data" chunk declares ${this.#dataDeclaredBytes} bytes but only ` +
              `${this.#dataReadBytes + this.#pending.length} are present.`,
          );
        }
        if (this.#pending.length > 0) {
          throw new WavError(
            'WAV_TRUNCATED',
            `The WAV data ends in the middle of a sample frame (${this.#pending.length} stray bytes).`,
          );
        }
        return;
      case 'trailer':
        return;
    }
  }

  /** Does one unit of work; returns false when it needs more bytes. */
  #step(out: Float64Array[]): boolean {
    switch (this.#state) {
      case 'riff-header':
        if (!this.#has(RIFF_HEADER_BYTES)) return false;
        if (fourCc(this.#pending, 0) !== 'RIFF') {
          throw new WavError('WAV_NOT_RIFF', 'This is not a WAV file: it does not start with "RIFF".');
        }
        if (fourCc(this.#pending, 8) !== 'WAVE') {
          throw new WavError(
            'WAV_NOT_WAVE',
            `This RIFF file is "${fourCc(this.#pending, 8)}", not "WAVE" audio.`,
          );
        }
        this.#consume(RIFF_HEADER_BYTES);
        this.#state = 'chunk-header';
        return true;
      case 'chunk-header': {
        if (!this.#has(CHUNK_HEADER_BYTES)) return false;
        const id = fourCc(this.#pending, 0);
        const size = new DataView(this.#pending.buffer, this.#pending.byteOffset, 8).getUint32(4, true);
        this.#consume(CHUNK_HEADER_BYTES);
        this.#chunkSize = size;
        if (id === 'fmt ') {
          if (this.#format !== undefined)
            throw new WavError('WAV_BAD_FORMAT', 'The WAV file has two "fmt " chunks.');
          if (size < FMT_MIN_BYTES || size > MAX_FMT_BYTES) {
            throw new WavError(
              'WAV_BAD_FORMAT',
              `The "fmt " chunk is ${size} bytes; 16 to ${MAX_FMT_BYTES} expected.`,
            );
          }
          this.#state = 'fmt';
        } else if (id === 'data') {
          if (this.#format === undefined) {
            throw new WavError('WAV_MISSING_FMT', 'The WAV "data" chunk comes before any "fmt " chunk.');
          }
          this.#dataDeclaredBytes = size;
          this.#remaining = size === UNKNOWN_DATA_SIZE ? Number.POSITIVE_INFINITY : size;
          this.#state = 'data';
        } else {
          this.#remaining = size + (size % 2);
          this.#state = 'skip';
        }
        return true;
      }
      case 'fmt': {
        const padded = this.#chunkSize + (this.#chunkSize % 2);
        if (!this.#has(padded)) return false;
        this.#parseFormat(this.#pending.subarray(0, this.#chunkSize));
        this.#consume(padded);
        this.#state = 'chunk-header';
        return true;
      }
      case 'skip':
      case 'trailer': {
        const skip = Math.min(this.#remaining, this.#pending.length);
        this.#consume(skip);
        this.#remaining -= skip;
        if (this.#state === 'skip' && this.#remaining === 0) {
          this.#state = 'chunk-header';
          return true;
        }
        return false;
      }
      case 'data':
        return this.#decodeData(out);
    }
  }

  #parseFormat(fmt: Uint8Array): void {
    const view = new DataView(fmt.buffer, fmt.byteOffset, fmt.byteLength);
    let tag = view.getUint16(0, true);
    const channels = view.getUint16(2, true);
    const sampleRateHz = view.getUint32(4, true);
    const blockAlignBytes = view.getUint16(12, true);
    const bitsPerSample = view.getUint16(14, true);
    if (tag === FORMAT_TAG_EXTENSIBLE) {
      if (fmt.length < FMT_EXTENSIBLE_BYTES) {
        throw new WavError(
          'WAV_BAD_FORMAT',
          `An extensible "fmt " chunk needs 40 bytes; this one has ${fmt.length}.`,
        );
      }
      tag = view.getUint16(24, true);
    }
    const encoding = encodingOf(tag);
    const containerBits = Math.ceil(bitsPerSample / 8) * 8;
    if (channels < 1 || channels > MAX_CHANNELS) {
      throw new WavError(
        'WAV_BAD_FORMAT',
        `The WAV file declares ${channels} channels; 1 to ${MAX_CHANNELS} expected.`,
      );
    }
    if (sampleRateHz < 1000 || sampleRateHz > MAX_SAMPLE_RATE_HZ) {
      throw new WavError('WAV_BAD_FORMAT', `The WAV file declares a sample rate of ${sampleRateHz} Hz.`);
    }
    const reader = encoding === undefined ? undefined : SAMPLE_READERS[`${encoding}/${containerBits}`];
    if (encoding === undefined || reader === undefined) {
      throw new WavError(
        'WAV_UNSUPPORTED_FORMAT',
        `WAV format tag ${tag} with ${bitsPerSample}-bit samples is not supported; use PCM (8, 16, 24 or 32-bit), ` +
          '32/64-bit float, µ-law or A-law.',
      );
    }
    if (blockAlignBytes !== channels * (containerBits / 8)) {
      throw new WavError(
        'WAV_BAD_FORMAT',
        `The WAV block align is ${blockAlignBytes} bytes but ${channels} channel(s) of ${bitsPerSample}-bit ` +
          `samples need ${channels * (containerBits / 8)}.`,
      );
    }
    this.#format = Object.freeze({
      encoding,
      channels,
      sampleRateHz,
      bitsPerSample: containerBits,
      blockAlignBytes,
    });
    this.#reader = reader;
  }

  #decodeData(out: Float64Array[]): boolean {
    const format = this.#format as WavFormat;
    const reader = this.#reader as SampleReader;
    const usable = Math.min(this.#pending.length, this.#remaining);
    const frames = Math.floor(usable / format.blockAlignBytes);
    if (frames > 0) {
      const bytes = this.#pending;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const samples = new Float64Array(frames);
      const bytesPerSample = format.blockAlignBytes / format.channels;
      for (let frame = 0, offset = 0; frame < frames; frame++) {
        let sum = 0;
        for (let channel = 0; channel < format.channels; channel++, offset += bytesPerSample) {
          sum += reader(bytes, view, offset);
        }
        samples[frame] = sum / format.channels;
      }
      out.push(samples);
      const consumed = frames * format.blockAlignBytes;
      this.#consume(consumed);
      this.#remaining -= consumed;
      this.#dataReadBytes += consumed;
    }
    if (this.#remaining < format.blockAlignBytes && this.#pending.length >= this.#remaining) {
      // A data size that is not a whole number of frames: the incomplete last frame is not audio.
      this.#consume(this.#remaining);
      this.#remaining = 0;
    }
    if (this.#remaining === 0) {
      // Chunks after the data (LIST, id3 …) hold no audio; read no further.
      this.#remaining = Number.POSITIVE_INFINITY;
      this.#state = 'trailer';
      return true;
    }
    return false;
  }

  #has(bytes: number): boolean {
    return this.#pending.length >= bytes;
  }

  #consume(bytes: number): void {
    this.#pending = this.#pending.subarray(bytes);
    this.#offset += bytes;
  }
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function concatSamples(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
