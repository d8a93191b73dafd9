// WAV files from and to an independent tool: sox writes files in many formats and rates that our reader must
// turn into 8 kHz mono with the right tone at the right level; sox reads the files our writer makes.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rmsDbfs } from '../../../src/media/tone/level-meter.js';
import { analyzeTone } from '../../../src/media/tone/tone-analysis.js';
import { readWavFile, readWavFileFrames } from '../../../src/media/wav/wav-file.js';
import { encodeWav } from '../../../src/media/wav/wav-writer.js';
import { requirePeer } from '../../support/peer-binary.js';
import { runPeer } from '../../support/run-peer.js';
import { useTempDir } from '../../support/temp-dir.js';
import { tone } from '../../support/signals.js';

const hasSox = requirePeer('sox');

describe.skipIf(!hasSox)('WAV interop with sox', () => {
  const tempDir = useTempDir('trunkline-sox-');

  // `vol 0.5` makes a sine of half full scale: -6.02 dBFS. `-D` turns sox's dither off.
  it.each([
    { rate: 48000, channels: 2, args: ['-b', '16'], frequencyHz: 440 },
    { rate: 44100, channels: 1, args: ['-b', '24'], frequencyHz: 1000 },
    { rate: 32000, channels: 1, args: ['-b', '32'], frequencyHz: 1000 },
    { rate: 22050, channels: 2, args: ['-e', 'floating-point', '-b', '32'], frequencyHz: 440 },
    { rate: 16000, channels: 1, args: ['-b', '16'], frequencyHz: 2000 },
    { rate: 11025, channels: 1, args: ['-e', 'unsigned-integer', '-b', '8'], frequencyHz: 440 },
    { rate: 8000, channels: 1, args: ['-e', 'u-law'], frequencyHz: 1000 },
    { rate: 8000, channels: 1, args: ['-e', 'a-law'], frequencyHz: 440 },
  ])('reads sox $rate Hz × $channels $args as 8 kHz mono with the $frequencyHz Hz tone', async (c) => {
    const path = join(tempDir(), `tone-${c.rate}-${c.channels}-${c.args.join('')}.wav`);
    runPeer('sox', [
      '-D',
      '-n',
      '-r',
      String(c.rate),
      '-c',
      String(c.channels),
      ...c.args,
      path,
      'synth',
      '1',
      'sine',
      String(c.frequencyHz),
      'vol',
      '0.5',
    ]);
    const { format, samples } = await readWavFile(path);
    expect(format.sampleRateHz).toBe(c.rate);
    expect(format.channels).toBe(c.channels);
    expect(samples.length).toBe(8000);
    const result = analyzeTone(samples.subarray(400, 7600), c.frequencyHz);
    expect(result.present).toBe(true);
    expect(result.levelDbfs).toBeCloseTo(-6.02, 0);
    // 8-bit and G.711 files carry their own quantization noise (about 35 dB below a -6 dBFS tone).
    const eightBit =
      c.args.includes('unsigned-integer') || c.args.includes('u-law') || c.args.includes('a-law');
    expect(result.snrDb).toBeGreaterThan(eightBit ? 30 : 45);
  });

  it('does not alias: a 5 kHz tone in a 48 kHz sox file is gone at 8 kHz', async () => {
    const path = join(tempDir(), 'alias.wav');
    runPeer('sox', [
      '-D',
      '-n',
      '-r',
      '48000',
      '-c',
      '1',
      '-b',
      '16',
      path,
      'synth',
      '1',
      'sine',
      '5000',
      'vol',
      '0.9',
    ]);
    const frames: Int16Array[] = [];
    for await (const frame of readWavFileFrames(path)) frames.push(frame);
    expect(frames).toHaveLength(50);
    expect(Math.max(...frames.slice(2, 48).map((f) => rmsDbfs(f)))).toBeLessThan(-70);
  });

  it('writes files sox reads with the right rate, length, frequency and level', async () => {
    const path = join(tempDir(), 'ours.wav');
    await writeFile(path, encodeWav(tone([{ frequencyHz: 1000, levelDbfs: -6.02 }], 8000)));
    const info = runPeer('sox', ['--i', path]).stdout.toString();
    expect(info).toMatch(/Channels\s*: 1/);
    expect(info).toMatch(/Sample Rate\s*: 8000/);
    expect(info).toMatch(/Precision\s*: 16-bit/);
    expect(info).toMatch(/= 8000 samples/);
    const stat = runPeer('sox', [path, '-n', 'stat']).stderr;
    const frequency = Number(/Rough\s+frequency:\s+(\d+)/.exec(stat)?.[1]);
    const rms = Number(/RMS\s+amplitude:\s+([\d.]+)/.exec(stat)?.[1]);
    // sox's own estimate is rough (it counts zero crossings); our Goertzel check is in the unit tests.
    expect(frequency).toBeGreaterThan(950);
    expect(frequency).toBeLessThan(1050);
    expect(rms).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });
});
