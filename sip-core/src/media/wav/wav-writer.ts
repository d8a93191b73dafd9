// Writes canonical 44-byte-header PCM 16-bit WAV files: the format every tool reads. The media session
// records 8 kHz mono; the rate and channel count are parameters for tests and other callers.

import { NARROWBAND_SAMPLE_RATE_HZ } from '../codec/pcm-frame.js';
import { WavError } from './wav-error.js';
import { FORMAT_TAG_PCM, UNKNOWN_DATA_SIZE } from './wav-format.js';

export interface WavWriteOptions {
  /** Default 8000. */
  sampleRateHz?: number;
  /** Default 1; samples are interleaved when more. */
  channels?: number;
}

/** Bytes of the canonical header written before the samples. */
export const WAV_HEADER_BYTES = 44;
const BYTES_PER_SAMPLE = 2;
/** The largest data chunk whose RIFF size still fits in 32 bits. */
const MAX_DATA_BYTES = 0xffffffff - (WAV_HEADER_BYTES - 8);

/**
 * The 44-byte header of a PCM 16-bit WAV file holding `dataBytes` bytes of samples. `undefined` writes the
 * "unknown size" marker 0xFFFFFFFF, which readers take as "read to the end of the file".
 */
export function createWavHeader(dataBytes: number | undefined, options: WavWriteOptions = {}): Buffer {
  const sampleRateHz = options.sampleRateHz ?? NARROWBAND_SAMPLE_RATE_HZ;
  const channels = options.channels ?? 1;
  if (!Number.isInteger(sampleRateHz) || sampleRateHz < 1 || !Number.isInteger(channels) || channels < 1) {
    throw new WavError(
      'WAV_INVALID_OPTION',
      `Cannot write a WAV file at ${sampleRateHz} Hz with ${channels} channels.`,
    );
  }
  if (
    dataBytes !== undefined &&
    (!Number.isInteger(dataBytes) || dataBytes < 0 || dataBytes > MAX_DATA_BYTES)
  ) {
    throw new WavError(
      'WAV_INVALID_OPTION',
      `A WAV file cannot hold ${dataBytes} bytes of samples (4 GiB at most).`,
    );
  }
  const blockAlign = channels * BYTES_PER_SAMPLE;
  const header = Buffer.alloc(WAV_HEADER_BYTES);
  header.write('RIFF', 0, 'latin1');
  const riffBytes =
    dataBytes === undefined ? UNKNOWN_DATA_SIZE : WAV_HEADER_BYTES - 8 + dataBytes + (dataBytes % 2);
  header.writeUInt32LE(riffBytes, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(FORMAT_TAG_PCM, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRateHz, 24);
  header.writeUInt32LE(sampleRateHz * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(BYTES_PER_SAMPLE * 8, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(dataBytes ?? UNKNOWN_DATA_SIZE, 40);
  return header;
}

/** The little-endian bytes of 16-bit samples. */
export function pcm16ToBytes(samples: Int16Array): Buffer {
  const bytes = Buffer.alloc(samples.length * BYTES_PER_SAMPLE);
  for (let i = 0; i < samples.length; i++) bytes.writeInt16LE(samples[i] ?? 0, i * BYTES_PER_SAMPLE);
  return bytes;
}

/** A complete WAV file of `samples` (interleaved when `channels` > 1). */
export function encodeWav(samples: Int16Array, options: WavWriteOptions = {}): Buffer {
  const channels = options.channels ?? 1;
  if (samples.length % channels !== 0) {
    throw new WavError(
      'WAV_INVALID_OPTION',
      `${samples.length} samples do not divide into ${channels} channels.`,
    );
  }
  return Buffer.concat([createWavHeader(samples.length * BYTES_PER_SAMPLE, options), pcm16ToBytes(samples)]);
}
