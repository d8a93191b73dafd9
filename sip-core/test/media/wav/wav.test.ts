import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeAlawSample, encodeMulawSample } from '../../../src/media/codec/g711.js';
import { analyzeTone } from '../../../src/media/tone/tone-analysis.js';
import { WavDecoder } from '../../../src/media/wav/wav-decoder.js';
import { readWavFile, readWavFileFrames, WavFileWriter } from '../../../src/media/wav/wav-file.js';
import { readWav, WavReader } from '../../../src/media/wav/wav-reader.js';
import { createWavHeader, encodeWav } from '../../../src/media/wav/wav-writer.js';
import { tone } from '../../support/signals.js';
import { useTempDir } from '../../support/temp-dir.js';

/** A WAV file assembled by hand: RIFF header, then the given chunks (id, data), padded as RIFF requires. */
function riff(chunks: Array<[string, Uint8Array]>, form = 'WAVE'): Buffer {
  const parts = chunks.map(([id, data]) => {
    const header = Buffer.alloc(8);
    header.write(id, 0, 'latin1');
    header.writeUInt32LE(data.length, 4);
    return Buffer.concat([header, data, Buffer.alloc(data.length % 2)]);
  });
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length + 4, 4);
  head.write(form, 8, 'latin1');
  return Buffer.concat([head, body]);
}

function fmt(
  tag: number,
  channels: number,
  rate: number,
  bits: number,
  blockAlign = channels * Math.ceil(bits / 8),
) {
  const data = Buffer.alloc(16);
  data.writeUInt16LE(tag, 0);
  data.writeUInt16LE(channels, 2);
  data.writeUInt32LE(rate, 4);
  data.writeUInt32LE(rate * blockAlign, 8);
  data.writeUInt16LE(blockAlign, 12);
  data.writeUInt16LE(bits, 14);
  return data;
}

function extensibleFmt(subTag: number, channels: number, rate: number, bits: number) {
  const data = Buffer.alloc(40);
  fmt(0xfffe, channels, rate, bits).copy(data);
  data.writeUInt16LE(22, 16);
  data.writeUInt16LE(bits, 18);
  data.writeUInt32LE(channels === 1 ? 4 : 3, 20);
  data.writeUInt16LE(subTag, 24);
  Buffer.from('000000001000800000aa00389b71', 'hex').copy(data, 26);
  return data;
}

function int16Bytes(values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => out.writeInt16LE(v, i * 2));
  return out;
}

/** Decodes a whole file at its own rate (no resampling), for exact format checks. */
function decodeAll(bytes: Uint8Array): number[] {
  const decoder = new WavDecoder();
  const samples = Array.from(decoder.push(bytes));
  decoder.end();
  return samples;
}

describe('WAV writer', () => {
  it('writes the canonical 44-byte header (known bytes)', () => {
    expect(createWavHeader(320).toString('hex')).toBe(
      '52494646' +
        '64010000' +
        '57415645' +
        '666d7420' +
        '10000000' +
        '0100' +
        '0100' +
        '401f0000' +
        '803e0000' +
        '0200' +
        '1000' +
        '64617461' +
        '40010000',
    );
    expect(encodeWav(Int16Array.of(1, -2)).subarray(44).toString('hex')).toBe('0100feff');
  });

  it('marks the size unknown when asked, and refuses impossible options', () => {
    expect(createWavHeader(undefined).readUInt32LE(40)).toBe(0xffffffff);
    expect(() => createWavHeader(2 ** 32)).toThrowError(
      expect.objectContaining({ code: 'WAV_INVALID_OPTION' }) as Error,
    );
    expect(() => encodeWav(Int16Array.of(1, 2, 3), { channels: 2 })).toThrowError(
      /do not divide into 2 channels/,
    );
  });
});

describe('WAV reader', () => {
  it('round-trips 8 kHz mono samples exactly (padded to whole 20 ms frames)', () => {
    const samples = Int16Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 65536) - 32768);
    const { format, samples: read } = readWav(encodeWav(samples));
    expect(format).toEqual({
      encoding: 'pcm',
      channels: 1,
      sampleRateHz: 8000,
      bitsPerSample: 16,
      blockAlignBytes: 2,
    });
    expect(read.length).toBe(1120);
    expect(read.subarray(0, 1000)).toEqual(samples);
    expect(read.subarray(1000).every((s) => s === 0)).toBe(true);
  });

  it('reads a 48 kHz stereo 440 Hz file as 8 kHz mono 440 Hz', () => {
    const left = tone([{ frequencyHz: 440, levelDbfs: -6 }], 48000, 48000);
    const right = tone([{ frequencyHz: 440, levelDbfs: -12 }], 48000, 48000);
    const interleaved = new Int16Array(96000);
    for (let i = 0; i < 48000; i++) {
      interleaved[2 * i] = left[i] ?? 0;
      interleaved[2 * i + 1] = right[i] ?? 0;
    }
    const { format, samples } = readWav(encodeWav(interleaved, { sampleRateHz: 48000, channels: 2 }));
    expect(format).toMatchObject({ channels: 2, sampleRateHz: 48000 });
    expect(samples.length).toBe(8000);
    // The mix of two in-phase sines of amplitudes a and b is a sine of (a + b) / 2.
    const expectedDbfs = 20 * Math.log10((10 ** (-6 / 20) + 10 ** (-12 / 20)) / 2);
    const result = analyzeTone(samples.subarray(400, 7600), 440);
    expect(result.present).toBe(true);
    expect(result.levelDbfs).toBeCloseTo(expectedDbfs, 1);
    expect(result.snrDb).toBeGreaterThan(50);
    expect(analyzeTone(samples.subarray(400, 7600), 1000).present).toBe(false);
  });

  it.each([
    [
      '8-bit unsigned PCM',
      fmt(1, 1, 8000, 8),
      Buffer.from([0x80, 0xff, 0x00, 0x81]),
      [0, 32512, -32768, 256],
    ],
    ['16-bit PCM', fmt(1, 1, 8000, 16), int16Bytes([0, 32767, -32768, -1]), [0, 32767, -32768, -1]],
    [
      '24-bit PCM',
      fmt(1, 1, 8000, 24),
      Buffer.from('000001' + 'ffff7f' + '000080' + '80ffff', 'hex'),
      [256, 32767.99609375, -32768, -0.5],
    ],
    ['32-bit PCM', fmt(1, 1, 8000, 32), Buffer.from('00000100' + '0000ffff', 'hex'), [1, -1]],
    [
      '32-bit float',
      fmt(3, 1, 8000, 32),
      Buffer.from(Float32Array.of(0.5, -1, 0.25).buffer),
      [16384, -32768, 8192],
    ],
    [
      'µ-law',
      fmt(7, 1, 8000, 8),
      Buffer.from([0xff, 0x80, 0x00, encodeMulawSample(1000)]),
      [0, 32124, -32124, 988],
    ],
    [
      'A-law',
      fmt(6, 1, 8000, 8),
      Buffer.from([0xd5, 0xaa, 0x2a, encodeAlawSample(-1000)]),
      [8, 32256, -32256, -1008],
    ],
    ['extensible 16-bit PCM', extensibleFmt(1, 1, 8000, 16), int16Bytes([5, -5]), [5, -5]],
    ['stereo, mixed to mono', fmt(1, 2, 8000, 16), int16Bytes([100, 300, -100, -300]), [200, -200]],
  ])('decodes %s', (_, fmtChunk, data, expected) => {
    expect(
      decodeAll(
        riff([
          ['fmt ', fmtChunk],
          ['data', data],
        ]),
      ),
    ).toEqual(expected);
  });

  it('skips other chunks before and after the data, honouring the RIFF pad byte', () => {
    const file = riff([
      ['LIST', Buffer.from('INFOISFT\x03\x00\x00\x00ab\x00', 'latin1')],
      ['fmt ', fmt(1, 1, 8000, 8)],
      ['fact', Buffer.from([1, 0, 0, 0])],
      ['data', Buffer.from([0x81, 0x7f, 0x80])],
      ['id3 ', Buffer.from('tags')],
    ]);
    expect(decodeAll(file)).toEqual([256, -256, 0]);
  });

  it('reads to the end of the file when the data size is unknown (0xFFFFFFFF)', () => {
    const file = Buffer.concat([createWavHeader(undefined), int16Bytes([1, 2, 3])]);
    expect(decodeAll(file)).toEqual([1, 2, 3]);
  });

  it('gives the same frames whatever the byte chunking', () => {
    const bytes = encodeWav(tone([{ frequencyHz: 1000, levelDbfs: -3 }], 4410, 44100), {
      sampleRateHz: 44100,
    });
    const whole = readWav(bytes).samples;
    const reader = new WavReader();
    const frames: Int16Array[] = [];
    for (let offset = 0; offset < bytes.length; offset += 37)
      frames.push(...reader.push(bytes.subarray(offset, offset + 37)));
    frames.push(...reader.end());
    expect(frames.every((f) => f.length === 160)).toBe(true);
    expect(Int16Array.from(frames.flatMap((f) => Array.from(f)))).toEqual(whole);
  });

  const valid = riff([
    ['fmt ', fmt(1, 1, 8000, 16)],
    ['data', int16Bytes([1, 2, 3, 4])],
  ]);
  it.each([
    ['an empty file', Buffer.alloc(0), 'WAV_TRUNCATED', /empty/],
    ['a file cut inside the RIFF header', valid.subarray(0, 7), 'WAV_TRUNCATED', /inside its RIFF header/],
    [
      'an MP3 file',
      Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00', 'latin1'),
      'WAV_NOT_RIFF',
      /does not start with "RIFF"/,
    ],
    ['a RIFF AVI file', riff([['avih', Buffer.alloc(4)]], 'AVI '), 'WAV_NOT_WAVE', /"AVI ", not "WAVE"/],
    [
      'data before fmt',
      riff([
        ['data', Buffer.alloc(4)],
        ['fmt ', fmt(1, 1, 8000, 16)],
      ]),
      'WAV_MISSING_FMT',
      /before any "fmt "/,
    ],
    ['no fmt at all', riff([['LIST', Buffer.alloc(4)]]), 'WAV_MISSING_FMT', /no "fmt " chunk/],
    ['no data chunk', riff([['fmt ', fmt(1, 1, 8000, 16)]]), 'WAV_MISSING_DATA', /no "data" chunk/],
    ['a 12-byte fmt chunk', riff([['fmt ', Buffer.alloc(12)]]), 'WAV_BAD_FORMAT', /"fmt " chunk is 12 bytes/],
    ['a file cut inside fmt', valid.subarray(0, 30), 'WAV_TRUNCATED', /inside its "fmt " chunk/],
    [
      'ADPCM',
      riff([
        ['fmt ', fmt(2, 1, 8000, 4, 256)],
        ['data', Buffer.alloc(4)],
      ]),
      'WAV_UNSUPPORTED_FORMAT',
      /format tag 2 with 4-bit/,
    ],
    [
      'zero channels',
      riff([
        ['fmt ', fmt(1, 0, 8000, 16, 2)],
        ['data', Buffer.alloc(4)],
      ]),
      'WAV_BAD_FORMAT',
      /0 channels/,
    ],
    [
      'a zero sample rate',
      riff([
        ['fmt ', fmt(1, 1, 0, 16)],
        ['data', Buffer.alloc(4)],
      ]),
      'WAV_BAD_FORMAT',
      /sample rate of 0 Hz/,
    ],
    [
      'a wrong block align',
      riff([
        ['fmt ', fmt(1, 2, 8000, 16, 2)],
        ['data', Buffer.alloc(4)],
      ]),
      'WAV_BAD_FORMAT',
      /block align is 2 bytes/,
    ],
    ['truncated data', valid.subarray(0, valid.length - 3), 'WAV_TRUNCATED', /declares 8 bytes but only 5/],
    [
      'a partial frame at the end',
      Buffer.concat([createWavHeader(undefined), Buffer.alloc(5)]),
      'WAV_TRUNCATED',
      /middle of a sample frame/,
    ],
  ])('rejects %s with a WavError naming the problem', (_, bytes, code, message) => {
    let caught: unknown;
    try {
      readWav(bytes);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ name: 'WavError', code });
    expect((caught as Error).message).toMatch(message);
  });
});

describe('WAV files', () => {
  const tempDir = useTempDir('trunkline-wav-');

  it('writes frames, fixes the header on close, and reads them back whole or streamed', async () => {
    const path = join(tempDir(), 'recording.wav');
    const writer = await WavFileWriter.create(path);
    const frames = [0, 1, 2].map((k) => Int16Array.from({ length: 160 }, (_, i) => k * 1000 + i));
    for (const frame of frames) await writer.write(frame);
    expect(writer.samplesWritten).toBe(480);
    await writer.close();
    await writer.close();
    await expect(writer.write(frames[0] as Int16Array)).rejects.toThrowError(/already closed/);

    const { samples } = await readWavFile(path);
    expect(samples).toEqual(Int16Array.from(frames.flatMap((f) => Array.from(f))));
    const streamed: Int16Array[] = [];
    for await (const frame of readWavFileFrames(path, { chunkBytes: 100 })) streamed.push(frame);
    expect(streamed).toEqual(frames);
  });

  it('reads a recording whose writer never closed (size unknown) to its last frame', async () => {
    const path = join(tempDir(), 'crashed.wav');
    await writeFile(
      path,
      Buffer.concat([createWavHeader(undefined), int16Bytes(Array.from({ length: 160 }, () => 7))]),
    );
    expect((await readWavFile(path)).samples.every((s) => s === 7)).toBe(true);
  });

  it('names the file when it cannot be read, and reports malformed content while streaming', async () => {
    await expect(readWavFile(join(tempDir(), 'missing.wav'))).rejects.toMatchObject({
      code: 'WAV_IO',
      message: expect.stringMatching(/Cannot read the WAV file .*missing\.wav/) as string,
    });
    const path = join(tempDir(), 'bad.wav');
    await writeFile(path, 'not a wav file at all');
    const consume = async () => {
      for await (const _ of readWavFileFrames(path)) void _;
    };
    await expect(consume()).rejects.toMatchObject({ code: 'WAV_NOT_RIFF' });
  });
});
