// The worklet's conversions on known signals: a 440 Hz sine at 48 kHz comes out as 8 kHz frames of 440 Hz at the
// same level; 8 kHz frames play back at 48 kHz with the same tone; the playback queue primes, underruns to
// silence and stays bounded; dBFS of known frames.

import { describe, expect, it } from 'vitest';
import { Downsampler, FRAME_SAMPLES, PlaybackQueue, frameDbfs } from '../src/audio/pcm-resampler.js';

function sine(rateHz: number, hz: number, count: number, amplitude = 0.5, offset = 0): Float32Array {
  return Float32Array.from(
    { length: count },
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * (i + offset)) / rateHz),
  );
}

/** Relative power of `hz` (Goertzel), 0…1. */
function toneShare(samples: ArrayLike<number>, hz: number, rateHz: number): number {
  const k = 2 * Math.cos((2 * Math.PI * hz) / rateHz);
  let s1 = 0;
  let s2 = 0;
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i] ?? 0;
    const s0 = x + k * s1 - s2;
    s2 = s1;
    s1 = s0;
    total += x * x;
  }
  return (2 * (s1 * s1 + s2 * s2 - k * s1 * s2)) / (samples.length * total);
}

describe('Downsampler', () => {
  it.each([48_000, 44_100, 16_000, 8_000])(
    'cuts %i Hz input into 20 ms 8 kHz frames with the tone kept',
    (rate) => {
      const frames: Int16Array[] = [];
      const down = new Downsampler(rate, (f) => frames.push(Int16Array.from(f)));
      // In render quanta of 128 samples, as the AudioWorklet delivers them: 1 s of input.
      for (let i = 0; i < rate; i += 128) down.push(sine(rate, 440, Math.min(128, rate - i), 0.5, i));
      expect(frames.length).toBeGreaterThanOrEqual(49);
      expect(frames.length).toBeLessThanOrEqual(50);
      for (const f of frames) expect(f.length).toBe(FRAME_SAMPLES);
      const all = Int16Array.from(frames.flatMap((f) => [...f]));
      expect(toneShare(all, 440, 8000)).toBeGreaterThan(0.95);
      // 0.5 full scale → about -9 dBFS RMS (a sine's RMS is 3 dB under its peak); the box filter loses < 1 dB.
      expect(frameDbfs(all.subarray(800, 960))).toBeGreaterThan(-10.5);
    },
  );

  it('refuses an input rate below 8 kHz', () => {
    expect(() => new Downsampler(4000, () => undefined)).toThrow(RangeError);
  });
});

describe('PlaybackQueue', () => {
  it('plays 8 kHz frames at 48 kHz with the tone kept, after two frames are queued', () => {
    const queue = new PlaybackQueue(48_000, { maxFrames: 8, primeFrames: 2 });
    const out = new Float32Array(128);
    const frame = (n: number) =>
      Int16Array.from(sine(8000, 440, FRAME_SAMPLES, 0.5, n * FRAME_SAMPLES), (x) => Math.round(x * 32767));
    queue.write(frame(0));
    queue.read(out);
    expect(out.every((x) => x === 0)).toBe(true);
    queue.write(frame(1));
    const played: number[] = [];
    for (let n = 2; n < 40; n++) {
      queue.write(frame(n));
      for (let i = 0; i < 7; i++) {
        queue.read(out);
        played.push(...out);
      }
    }
    expect(toneShare(played.slice(4800), 440, 48_000)).toBeGreaterThan(0.95);
  });

  it('underruns to silence and drops the oldest audio when more than its bound arrives', () => {
    const queue = new PlaybackQueue(8000, { maxFrames: 4, primeFrames: 1 });
    for (let i = 0; i < 10; i++) queue.write(new Int16Array(FRAME_SAMPLES).fill(1000));
    expect(queue.size).toBe(4 * FRAME_SAMPLES);
    expect(queue.overruns).toBe(6 * FRAME_SAMPLES);
    const out = new Float32Array(5 * FRAME_SAMPLES);
    queue.read(out);
    expect(queue.underruns).toBe(1);
    expect(out.at(-1)).toBe(0);
  });
});

describe('frameDbfs', () => {
  it.each([
    ['silence', new Int16Array(160), -100],
    ['full-scale square', new Int16Array(160).fill(32767), 0],
    ['half-scale square', new Int16Array(160).fill(16384), -6],
  ])('%s', (_name, frame, dbfs) => {
    expect(frameDbfs(frame)).toBeCloseTo(dbfs, 0);
  });
});
