// RIFF WAVE, as Microsoft's multimedia specification and the WAVE_FORMAT_EXTENSIBLE note define it. A file is
// a RIFF chunk holding sub-chunks; every chunk is an id, a little-endian size, and data padded to an even
// length (the pad byte is not counted in the size):
//
//   offset  size  field
//   0       4     "RIFF"
//   4       4     size of everything after this field (often wrong in the wild: not relied on)
//   8       4     "WAVE"
//   12      …     chunks: "fmt " (must come before "data"), "data", and any others (LIST, fact, …) to skip
//
//   "fmt " chunk data (16, 18 or 40 octets):
//   0   2  format tag: 1 PCM, 3 IEEE float, 6 A-law, 7 µ-law, 0xFFFE extensible
//   2   2  channels
//   4   4  samples per second
//   8   4  average bytes per second (not relied on)
//   12  2  block align: bytes per sample frame (all channels)
//   14  2  bits per sample
//   16  2  size of the extension (extensible: 22)
//   18  2  valid bits per sample   } extensible only
//   20  4  channel mask            }
//   24  16 sub-format GUID: its first 2 octets are the real format tag
//
//   "data" chunk: interleaved sample frames, little-endian; 8-bit PCM is unsigned (128 = silence).

/** How samples are encoded in a WAV file. */
export type WavEncoding = 'pcm' | 'float' | 'mulaw' | 'alaw';

export interface WavFormat {
  readonly encoding: WavEncoding;
  readonly channels: number;
  readonly sampleRateHz: number;
  readonly bitsPerSample: number;
  /** Octets per sample frame (one sample of every channel). */
  readonly blockAlignBytes: number;
}

export const RIFF_HEADER_BYTES = 12;
export const CHUNK_HEADER_BYTES = 8;
export const FMT_MIN_BYTES = 16;
export const FMT_EXTENSIBLE_BYTES = 40;

export const FORMAT_TAG_PCM = 1;
export const FORMAT_TAG_FLOAT = 3;
export const FORMAT_TAG_ALAW = 6;
export const FORMAT_TAG_MULAW = 7;
export const FORMAT_TAG_EXTENSIBLE = 0xfffe;

/** The data size some streaming writers leave when they cannot seek back: read to the end of the file. */
export const UNKNOWN_DATA_SIZE = 0xffffffff;
