import { describe, expect, it } from 'vitest';
import { PolyphaseResampler } from '../../../src/media/resample/polyphase-resampler.js';
import { analyzeTone } from '../../../src/media/tone/tone-analysis.js';
import { rmsDbfs } from '../../../src/media/tone/level-meter.js';
import { tone } from '../../support/signals.js';

function resampleAll(input: ArrayLike<number>, inputRateHz: number, outputRateHz: number): Float64Array {
  const resampler = new PolyphaseResampler({ inputRateHz, outputRateHz });
  const head = resampler.process(input);
  const tail = resampler.flush();
  const out = new Float64Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

/** Skips the filter's start-up and run-out at both ends before measuring. */
function middle(samples: Float64Array, skip = 400): Float64Array {
  return samples.subarray(skip, samples.length - skip);
}

describe('PolyphaseResampler', () => {
  it.each([48000, 44100, 32000, 22050, 16000, 11025])(
    'keeps a 1 kHz tone at %i Hz → 8 kHz at its level',
    (rate) => {
      const out = resampleAll(tone([{ frequencyHz: 1000, levelDbfs: -10 }], rate, rate), rate, 8000);
      expect(out.length).toBe(8000);
      const result = analyzeTone(middle(out), 1000);
      expect(result.levelDbfs).toBeCloseTo(-10, 1);
      expect(result.snrDb).toBeGreaterThan(60);
    },
  );

  it.each([
    [48000, 5000],
    [48000, 4100],
    [44100, 7000],
    [44100, 12000],
    [16000, 4500],
    [11025, 5000],
  ])('removes what would alias: %i Hz input, a %i Hz tone', (rate, frequencyHz) => {
    const out = resampleAll(tone([{ frequencyHz, levelDbfs: -3 }], rate, rate), rate, 8000);
    // Naive decimation would put this tone at |f − 8000·k| at full level; the filter leaves less than -70 dB.
    expect(rmsDbfs(middle(out))).toBeLessThan(-73);
  });

  it('passes the telephone band flat (300 Hz … 3.4 kHz within 0.1 dB)', () => {
    for (const frequencyHz of [300, 1000, 2000, 3000, 3400]) {
      const out = resampleAll(tone([{ frequencyHz, levelDbfs: -6 }], 48000, 48000), 48000, 8000);
      expect(Math.abs(analyzeTone(middle(out), frequencyHz).levelDbfs + 6), `${frequencyHz} Hz`).toBeLessThan(
        0.1,
      );
    }
  });

  it('gives the same output whatever the input chunking', () => {
    const input = tone([{ frequencyHz: 777, levelDbfs: -6 }], 44100 / 2, 44100);
    const whole = resampleAll(input, 44100, 8000);
    const streamed = new PolyphaseResampler({ inputRateHz: 44100, outputRateHz: 8000 });
    const pieces: number[] = [];
    let offset = 0;
    for (const size of [1, 2, 441, 1000, 3, 7000, 100000]) {
      pieces.push(...streamed.process(input.subarray(offset, offset + size)));
      offset += size;
    }
    pieces.push(...streamed.flush());
    expect(Float64Array.from(pieces)).toEqual(whole);
  });

  it('produces ⌈n · out / in⌉ samples and keeps time alignment (an impulse stays in place)', () => {
    const input = new Float64Array(48001);
    input[24000] = 30000;
    const out = resampleAll(input, 48000, 8000);
    expect(out.length).toBe(8001);
    let peak = 0;
    for (let i = 1; i < out.length; i++) if (Math.abs(out[i] ?? 0) > Math.abs(out[peak] ?? 0)) peak = i;
    expect(peak).toBe(4000);
  });

  it('keeps a constant exactly constant (unit DC gain in every phase)', () => {
    const out = resampleAll(new Float64Array(44100).fill(1000), 44100, 8000);
    for (const sample of middle(out)) expect(sample).toBeCloseTo(1000, 6);
  });

  it('upsamples 8 kHz to 16 kHz without images', () => {
    const out = resampleAll(tone([{ frequencyHz: 1000, levelDbfs: -10 }], 8000), 8000, 16000);
    expect(out.length).toBe(16000);
    expect(analyzeTone(middle(out), 1000, { sampleRateHz: 16000 }).levelDbfs).toBeCloseTo(-10, 1);
    expect(analyzeTone(middle(out), 7000, { sampleRateHz: 16000 }).levelDbfs).toBeLessThan(-80);
  });

  it('passes 8 kHz through unchanged', () => {
    const input = Int16Array.of(1, -2, 3, 32767);
    const resampler = new PolyphaseResampler({ inputRateHz: 8000, outputRateHz: 8000 });
    expect(Array.from(resampler.process(input))).toEqual([1, -2, 3, 32767]);
    expect(resampler.flush().length).toBe(0);
  });

  it('handles a rate whose ratio needs more than 1024 phases', () => {
    const rate = 44101; // Prime: 8000/44101 in lowest terms.
    const out = resampleAll(tone([{ frequencyHz: 1000, levelDbfs: -10 }], rate, rate), rate, 8000);
    expect(out.length).toBe(8000);
    expect(analyzeTone(middle(out), 1000).snrDb).toBeGreaterThan(55);
  });

  it.each([
    [{ inputRateHz: 0, outputRateHz: 8000 }, /positive integers/],
    [{ inputRateHz: 44100.5, outputRateHz: 8000 }, /positive integers/],
    [{ inputRateHz: 48000, outputRateHz: 8000, passbandFraction: 1 }, /passband/],
  ])('rejects %o', (options, message) => {
    expect(() => new PolyphaseResampler(options)).toThrowError(message);
  });

  it('refuses input after flush', () => {
    const resampler = new PolyphaseResampler({ inputRateHz: 16000, outputRateHz: 8000 });
    resampler.flush();
    expect(() => resampler.process([1])).toThrowError(/flushed/);
  });
});
