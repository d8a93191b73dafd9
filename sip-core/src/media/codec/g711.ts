// ITU-T G.711 µ-law and A-law, bit-exact with the ITU-T G.191 Software Tool Library reference.
//
// G.711 is defined on 14-bit (µ-law) and 13-bit (A-law) uniform PCM. Trunkline's PCM is 16-bit, so the
// encoders first reduce a 16-bit sample to the standard's magnitude the way G.191 does:
//
//   magnitude = (x >= 0 ? x : ~x) >> 2    µ-law, 0 … 8191 (14-bit sign-magnitude)
//   magnitude = (x >= 0 ? x : ~x) >> 4    A-law, 0 … 2047 (13-bit sign-magnitude, in steps of 2)
//
// `~x` is `-x - 1`: a negative sample is taken as its one's complement, so x and -x-1 always get codes that
// differ only in the sign bit and the quantizer is symmetric on the 16-bit grid. (Sun's widely copied g711.c
// negates instead, which moves some negative inputs at decision boundaries into the neighbouring interval;
// ADR 0040 explains the choice.) The low 2 (µ-law) or 4 (A-law) bits are below the standard's resolution
// and are dropped. The decoders return the standard's reconstruction value (the middle of the decision
// interval, G.711 Tables 1 and 2) scaled back to 16 bits: ×4 for µ-law, ×8 for A-law.
//
// Code word layout (G.711 §2 and §3), one octet per sample:
//
//     7   6   5   4   3   2   1   0
//   +---+---+---+---+---+---+---+---+
//   | P |  segment  |   interval    |   P: polarity, 1 = positive
//   +---+---+---+---+---+---+---+---+   segment (exponent) 0-7, interval (mantissa) 0-15
//
//   µ-law: the whole octet is inverted on the line (0 → 0xFF).
//   A-law: the even bits (6, 4, 2, 0) are inverted on the line, i.e. XOR 0x55 (0 → 0xD5).
//
// Encoding is a lookup in a 64 Ki-entry table per law (64 KiB each), filled once at module load from the
// segment arithmetic below; decoding is a 256-entry table. `npm run bench:media` style numbers for both
// strategies are in sip-core/bench/media/g711-bench.ts.

import { CodecError, assertOutputFits } from './codec-error.js';

/** µ-law adds this bias to the 14-bit magnitude so that segment boundaries fall on powers of two. */
const MULAW_BIAS = 33;
/** The largest biased µ-law magnitude; larger inputs clip to the top of segment 7 (G.711 Table 2). */
const MULAW_BIASED_MAX = 0x1fff;
/** The sign (polarity) bit of a code word. */
const POLARITY_BIT = 0x80;
/** The bits of a µ-law code word that carry segment and interval. */
const MAGNITUDE_BITS = 0x7f;
/** A-law inverts the even bits of every code word on the line. */
const ALAW_EVEN_BIT_INVERSION = 0x55;

/** The position of the highest set bit of a positive integer (0 for 1, 5 for 32 … 63). */
function highestBit(value: number): number {
  return 31 - Math.clz32(value);
}

/** Encodes one 16-bit sample to a µ-law code by segment arithmetic (used to build the table). */
export function mulawFromLinear(sample: number): number {
  const negative = sample < 0;
  const magnitude = (negative ? ~sample : sample) >> 2;
  const biased = Math.min(magnitude + MULAW_BIAS, MULAW_BIASED_MAX);
  // Segment s holds biased magnitudes 2^(s+5) … 2^(s+6)-1 in 16 intervals of 2^(s+1).
  const segment = highestBit(biased) - 5;
  const interval = (biased >> (segment + 1)) & 0x0f;
  const code = MAGNITUDE_BITS - ((segment << 4) | interval);
  return negative ? code : code | POLARITY_BIT;
}

/** Decodes one µ-law code to the 16-bit reconstruction value. */
export function linearFromMulaw(code: number): number {
  const inverted = ~code & 0xff;
  const segment = (inverted >> 4) & 0x07;
  const interval = inverted & 0x0f;
  // The middle of interval `interval` of segment `segment`, in biased 14-bit units, then ×4 and unbiased.
  const magnitude = ((2 * interval + MULAW_BIAS) << (segment + 2)) - 4 * MULAW_BIAS;
  return (code & POLARITY_BIT) !== 0 ? magnitude : -magnitude;
}

/** Encodes one 16-bit sample to an A-law code by segment arithmetic (used to build the table). */
export function alawFromLinear(sample: number): number {
  const negative = sample < 0;
  const magnitude = (negative ? ~sample : sample) >> 4;
  let code: number;
  if (magnitude < 16) {
    // Segment 0 is linear: same step as segment 1, no implicit leading one.
    code = magnitude;
  } else {
    // Segment s ≥ 1 holds magnitudes 2^(s+3) … 2^(s+4)-1 in 16 intervals of 2^(s-1).
    const segment = highestBit(magnitude) - 3;
    code = (segment << 4) | ((magnitude >> (segment - 1)) & 0x0f);
  }
  return (negative ? code : code | POLARITY_BIT) ^ ALAW_EVEN_BIT_INVERSION;
}

/** Decodes one A-law code to the 16-bit reconstruction value. */
export function linearFromAlaw(code: number): number {
  const line = code ^ ALAW_EVEN_BIT_INVERSION;
  const segment = (line >> 4) & 0x07;
  const interval = line & 0x0f;
  const magnitude = segment === 0 ? (2 * interval + 1) << 3 : (2 * interval + 33) << (segment + 2);
  return (line & POLARITY_BIT) !== 0 ? magnitude : -magnitude;
}

function buildEncodeTable(encode: (sample: number) => number): Uint8Array {
  const table = new Uint8Array(65536);
  for (let index = 0; index < 65536; index++) table[index] = encode((index << 16) >> 16);
  return table;
}

function buildDecodeTable(decode: (code: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let code = 0; code < 256; code++) table[code] = decode(code);
  return table;
}

const MULAW_ENCODE_TABLE = buildEncodeTable(mulawFromLinear);
const ALAW_ENCODE_TABLE = buildEncodeTable(alawFromLinear);
const MULAW_DECODE_TABLE = buildDecodeTable(linearFromMulaw);
const ALAW_DECODE_TABLE = buildDecodeTable(linearFromAlaw);

function encodeWith(table: Uint8Array, pcm: Int16Array, out: Uint8Array | undefined): Uint8Array {
  const target = out ?? new Uint8Array(pcm.length);
  assertOutputFits('G.711 encoding', target.length, pcm.length);
  for (let i = 0; i < pcm.length; i++) target[i] = table[pcm[i] & 0xffff];
  return target;
}

function decodeWith(table: Int16Array, payload: Uint8Array, out: Int16Array | undefined): Int16Array {
  const target = out ?? new Int16Array(payload.length);
  decodeRangeWith(table, payload, 0, payload.length, target);
  return target;
}

function decodeRangeWith(
  table: Int16Array,
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Int16Array,
): number {
  if (!(start >= 0 && start <= end && end <= bytes.length)) {
    throw new CodecError(
      'CODEC_INVALID_RANGE',
      `G.711 decoding: range ${start}..${end} is outside the ${bytes.length} octets given.`,
    );
  }
  const samples = end - start;
  assertOutputFits('G.711 decoding', out.length, samples);
  for (let i = 0; i < samples; i++) out[i] = table[bytes[start + i]];
  return samples;
}

/**
 * Encodes 16-bit PCM to µ-law, one octet per sample. Writes into `out` when given (no allocation; it must
 * hold `pcm.length` octets) and returns the octets written to, which may be longer than `pcm`.
 */
export function encodeMulaw(pcm: Int16Array, out?: Uint8Array): Uint8Array {
  return encodeWith(MULAW_ENCODE_TABLE, pcm, out);
}

/** Decodes µ-law octets (a Buffer works) to 16-bit PCM; writes into `out` when given. */
export function decodeMulaw(payload: Uint8Array, out?: Int16Array): Int16Array {
  return decodeWith(MULAW_DECODE_TABLE, payload, out);
}

/** Decodes the µ-law octets at `bytes[start..end)` into `out`; returns the samples written. */
export function decodeMulawRange(bytes: Uint8Array, start: number, end: number, out: Int16Array): number {
  return decodeRangeWith(MULAW_DECODE_TABLE, bytes, start, end, out);
}

/** Encodes 16-bit PCM to A-law, one octet per sample; writes into `out` when given. */
export function encodeAlaw(pcm: Int16Array, out?: Uint8Array): Uint8Array {
  return encodeWith(ALAW_ENCODE_TABLE, pcm, out);
}

/** Decodes A-law octets (a Buffer works) to 16-bit PCM; writes into `out` when given. */
export function decodeAlaw(payload: Uint8Array, out?: Int16Array): Int16Array {
  return decodeWith(ALAW_DECODE_TABLE, payload, out);
}

/** Decodes the A-law octets at `bytes[start..end)` into `out`; returns the samples written. */
export function decodeAlawRange(bytes: Uint8Array, start: number, end: number, out: Int16Array): number {
  return decodeRangeWith(ALAW_DECODE_TABLE, bytes, start, end, out);
}

/** The µ-law code of one 16-bit sample (table lookup). */
export function encodeMulawSample(sample: number): number {
  return MULAW_ENCODE_TABLE[sample & 0xffff];
}

/** The 16-bit value of one µ-law code. */
export function decodeMulawSample(code: number): number {
  return MULAW_DECODE_TABLE[code & 0xff];
}

/** The A-law code of one 16-bit sample (table lookup). */
export function encodeAlawSample(sample: number): number {
  return ALAW_ENCODE_TABLE[sample & 0xffff];
}

/** The 16-bit value of one A-law code. */
export function decodeAlawSample(code: number): number {
  return ALAW_DECODE_TABLE[code & 0xff];
}
