import { describe, expect, it } from 'vitest';
import { CodecError } from '../../../src/media/codec/codec-error.js';
import {
  decodeAlaw,
  decodeAlawRange,
  decodeAlawSample,
  decodeMulaw,
  decodeMulawRange,
  decodeMulawSample,
  encodeAlaw,
  encodeAlawSample,
  encodeMulaw,
  encodeMulawSample,
} from '../../../src/media/codec/g711.js';

// An independent model of G.711 written from the standard's tables, not from the production code: each law
// is a list of decision intervals on the standard's uniform scale (G.711 Table 1 for A-law, Table 2 for
// µ-law), searched by bisection, with the reconstruction value in the middle of each interval. The 16-bit
// input is reduced to that scale with the G.191 rule: a negative sample x counts as magnitude -x-1.

interface Interval {
  readonly lower: number;
  readonly upper: number;
  readonly segment: number;
  readonly index: number;
  readonly value: number;
}

interface LawModel {
  readonly intervals: Interval[];
  /** 16-bit units per unit of the law's uniform scale. */
  readonly scale: number;
  readonly codeOf: (positive: boolean, segment: number, index: number) => number;
}

function intervalsFrom(ends: number[], steps: number[]): Interval[] {
  const intervals: Interval[] = [];
  for (let segment = 0; segment < steps.length; segment++) {
    const step = steps[segment] ?? 0;
    for (let index = 0; index < 16; index++) {
      let lower = (ends[segment] ?? 0) + index * step;
      const upper = lower + step;
      // µ-law segment 0 starts at -1: its first interval is only the value 0, reconstructed as 0.
      if (lower < 0) lower = 0;
      intervals.push({
        lower,
        upper,
        segment,
        index,
        value: index === 0 && upper === 1 ? 0 : upper - step / 2,
      });
    }
  }
  return intervals;
}

// µ-law, 14-bit magnitudes 0 … 8159: segment s starts at 2^(s+5) - 33 and has steps of 2^(s+1).
const MULAW: LawModel = {
  intervals: intervalsFrom([-1, 31, 95, 223, 479, 991, 2015, 4063], [2, 4, 8, 16, 32, 64, 128, 256]),
  scale: 4,
  // Codes count down from 0x7F as the magnitude rises; bit 7 marks a positive sample (all bits inverted).
  codeOf: (positive, segment, index) => (positive ? 0x80 : 0) | (0x7f - (segment * 16 + index)),
};

// A-law, 13-bit magnitudes 0 … 4095: segments 0 and 1 have steps of 2, then each segment doubles.
const ALAW: LawModel = {
  intervals: intervalsFrom([0, 32, 64, 128, 256, 512, 1024, 2048], [2, 2, 4, 8, 16, 32, 64, 128]),
  scale: 8,
  // Bit 7 marks a positive sample and the even bits are inverted on the line.
  codeOf: (positive, segment, index) => ((positive ? 0x80 : 0) | (segment * 16 + index)) ^ 0x55,
};

function findInterval(law: LawModel, magnitude: number): Interval {
  const { intervals } = law;
  let low = 0;
  let high = intervals.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((intervals[middle]?.lower ?? 0) <= magnitude) low = middle;
    else high = middle - 1;
  }
  return intervals[low];
}

function modelEncode(law: LawModel, sample: number): { code: number; interval: Interval; clipped: boolean } {
  const positive = sample >= 0;
  const magnitude = Math.floor((positive ? sample : -sample - 1) / law.scale);
  const interval = findInterval(law, magnitude);
  return {
    code: law.codeOf(positive, interval.segment, interval.index),
    interval,
    clipped: magnitude >= interval.upper,
  };
}

function modelDecode(law: LawModel, code: number): number {
  const interval = law.intervals.find((i) => law.codeOf(true, i.segment, i.index) === code);
  if (interval) return interval.value * law.scale;
  const negative = law.intervals.find((i) => law.codeOf(false, i.segment, i.index) === code) as Interval;
  // Adding 0 turns the negative zero of µ-law's 0x7F into the 0 an Int16Array holds.
  return -negative.value * law.scale + 0;
}

const ALL_SAMPLES = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
const ALL_CODES = Uint8Array.from({ length: 256 }, (_, i) => i);

const LAWS = [
  { name: 'µ-law', law: MULAW, encode: encodeMulaw, decode: decodeMulaw },
  { name: 'A-law', law: ALAW, encode: encodeAlaw, decode: decodeAlaw },
] as const;

describe.each(LAWS)('G.711 $name against a model of the standard', ({ law, encode, decode }) => {
  it('encodes all 65,536 linear inputs to the code of their decision interval', () => {
    const codes = encode(ALL_SAMPLES);
    const mismatches: string[] = [];
    for (let i = 0; i < ALL_SAMPLES.length; i++) {
      const sample = ALL_SAMPLES[i] ?? 0;
      const expected = modelEncode(law, sample).code;
      if (codes[i] !== expected && mismatches.length < 5)
        mismatches.push(`${sample} → ${codes[i]} ≠ ${expected}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('decodes all 256 codes to the middle of their decision interval', () => {
    const values = decode(ALL_CODES);
    expect(Array.from(values)).toEqual(Array.from(ALL_CODES, (code) => modelDecode(law, code)));
  });

  it('keeps decode(encode(x)) within half a step of x in every segment, and reaches that bound', () => {
    const decoded = decode(encode(ALL_SAMPLES));
    const worstPerSegment = new Array<number>(8).fill(0);
    for (let i = 0; i < ALL_SAMPLES.length; i++) {
      const sample = ALL_SAMPLES[i] ?? 0;
      const { interval, clipped } = modelEncode(law, sample);
      if (clipped) continue;
      const error = Math.abs((decoded[i] ?? 0) - sample);
      const halfStep = ((interval.upper - interval.lower) * law.scale) / 2;
      expect(error, `sample ${sample}`).toBeLessThanOrEqual(Math.max(halfStep, law.scale));
      worstPerSegment[interval.segment] = Math.max(worstPerSegment[interval.segment] ?? 0, error);
    }
    const steps = law === MULAW ? [2, 4, 8, 16, 32, 64, 128, 256] : [2, 2, 4, 8, 16, 32, 64, 128];
    expect(worstPerSegment).toEqual(steps.map((step) => (step * law.scale) / 2));
  });

  it('is symmetric: x and -x-1 differ only in the polarity bit', () => {
    for (let x = 0; x < 32768; x += 7) {
      const positive = encode(Int16Array.of(x))[0] ?? 0;
      const negative = encode(Int16Array.of(-x - 1))[0] ?? 0;
      expect(positive ^ negative).toBe(0x80);
    }
  });

  it('is its own fixpoint after one pass: encode(decode(c)) = c for every code except negative zero', () => {
    const again = encode(decode(ALL_CODES));
    for (let code = 0; code < 256; code++) {
      // µ-law has two zeros (0xFF and 0x7F) and both decode to 0, which encodes as positive zero.
      if (law === MULAW && code === 0x7f) expect(again[code]).toBe(0xff);
      else expect(again[code], `code ${code}`).toBe(code);
    }
  });
});

describe('G.711 published reference points', () => {
  it.each([
    // [sample, µ-law code, A-law code]
    [0, 0xff, 0xd5],
    [-1, 0x7f, 0x55],
    [32767, 0x80, 0xaa],
    [-32768, 0x00, 0x2a],
    [8, 0xfe, 0xd5],
    [16, 0xfd, 0xd4],
  ])('encodes %i to the µ-law and A-law codes of the standard', (sample, mulaw, alaw) => {
    expect(encodeMulawSample(sample)).toBe(mulaw);
    expect(encodeAlawSample(sample)).toBe(alaw);
  });

  it.each([
    [0xff, 0],
    [0x7f, 0],
    [0x80, 32124],
    [0x00, -32124],
    [0xfe, 8],
  ])('decodes µ-law code %i', (code, value) => {
    expect(decodeMulawSample(code)).toBe(value);
  });

  it.each([
    [0xd5, 8],
    [0x55, -8],
    [0xaa, 32256],
    [0x2a, -32256],
  ])('decodes A-law code %i', (code, value) => {
    expect(decodeAlawSample(code)).toBe(value);
  });

  it('inverts the even bits of A-law on the line: the plain word of +0 is 0x80, of the top 0xFF', () => {
    expect(encodeAlawSample(0) ^ 0x55).toBe(0x80);
    expect(encodeAlawSample(32767) ^ 0x55).toBe(0xff);
    expect(encodeAlawSample(-32768) ^ 0x55).toBe(0x7f);
  });

  it('silence encodes to the idle codes 0xFF (µ-law) and 0xD5 (A-law)', () => {
    expect(Array.from(encodeMulaw(new Int16Array(4)))).toEqual([0xff, 0xff, 0xff, 0xff]);
    expect(Array.from(encodeAlaw(new Int16Array(4)))).toEqual([0xd5, 0xd5, 0xd5, 0xd5]);
  });
});

describe('G.711 frame functions', () => {
  it('write into a caller buffer without allocating and accept Buffers as payload', () => {
    const pcm = Int16Array.of(0, 1000, -1000, 32767);
    const out = new Uint8Array(8);
    expect(encodeMulaw(pcm, out)).toBe(out);
    const decoded = new Int16Array(4);
    expect(decodeMulaw(Buffer.from(out.subarray(0, 4)), decoded)).toBe(decoded);
    expect(Array.from(decoded)).toEqual([0, 988, -988, 32124]);
  });

  it.each([
    { name: 'µ-law', decode: decodeMulaw, decodeRange: decodeMulawRange },
    { name: 'A-law', decode: decodeAlaw, decodeRange: decodeAlawRange },
  ])(
    'decode a range of a larger buffer ($name) exactly as the same octets on their own',
    ({ decode, decodeRange }) => {
      const datagram = Uint8Array.from({ length: 172 }, (_, i) => (i * 37 + 11) & 0xff);
      const out = new Int16Array(200).fill(7);
      expect(decodeRange(datagram, 12, 172, out)).toBe(160);
      expect(Array.from(out.subarray(0, 160))).toEqual(Array.from(decode(datagram.subarray(12, 172))));
      expect(out[160]).toBe(7);
      expect(decodeRange(datagram, 5, 5, out)).toBe(0);
      for (const [start, end] of [
        [-1, 10],
        [20, 10],
        [0, 173],
      ]) {
        expect(() => decodeRange(datagram, start, end, out)).toThrowError(
          expect.objectContaining({ code: 'CODEC_INVALID_RANGE' }) as Error,
        );
      }
      expect(() => decodeRange(datagram, 0, 172, new Int16Array(10))).toThrowError(
        expect.objectContaining({ code: 'CODEC_OUTPUT_TOO_SMALL' }) as Error,
      );
    },
  );

  it('reject an output buffer that is too small with a CodecError', () => {
    expect(() => encodeAlaw(new Int16Array(160), new Uint8Array(80))).toThrow(CodecError);
    expect(() => decodeAlaw(new Uint8Array(160), new Int16Array(10))).toThrowError(
      expect.objectContaining({ code: 'CODEC_OUTPUT_TOO_SMALL' }) as Error,
    );
  });
});
