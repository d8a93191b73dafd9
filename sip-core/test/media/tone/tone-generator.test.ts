import { describe, expect, it } from 'vitest';
import { dtmfFrequencies } from '../../../src/media/tone/dtmf-frequencies.js';
import { goertzelMeanSquare } from '../../../src/media/tone/goertzel.js';
import { LevelMeter, peakDbfs, rmsDbfs } from '../../../src/media/tone/level-meter.js';
import { dbfsToDbm0, dbm0ToDbfs, MIN_LEVEL_DBFS } from '../../../src/media/tone/levels.js';
import { dtmfTones, ToneGenerator } from '../../../src/media/tone/tone-generator.js';

describe('ToneGenerator', () => {
  it('is phase-continuous: frames of any size give exactly the one-piece signal', () => {
    const tones = [
      { frequencyHz: 440, levelDbfs: -6 },
      { frequencyHz: 1336, levelDbfs: -12 },
    ];
    const whole = new ToneGenerator({ tones }).next(2000);
    const framed = new ToneGenerator({ tones });
    const pieces: number[] = [];
    for (const size of [160, 37, 1, 160, 642, 1000]) pieces.push(...framed.next(size));
    expect(Int16Array.from(pieces.slice(0, 2000))).toEqual(whole);
  });

  it.each([-3, -10, -20.5])('generates a sine whose RMS level is the requested %f dBFS', (levelDbfs) => {
    const samples = new ToneGenerator({ tones: [{ frequencyHz: 1000, levelDbfs }] }).next(8000);
    expect(rmsDbfs(samples)).toBeCloseTo(levelDbfs, 1);
  });

  it('changes frequency without a jump in the waveform', () => {
    const generator = new ToneGenerator({ tones: [{ frequencyHz: 400, levelDbfs: -6 }] });
    const first = generator.next(123);
    generator.setTones([{ frequencyHz: 600, levelDbfs: -6 }]);
    const second = generator.next(123);
    const joint = Math.abs((second[0] ?? 0) - (first[122] ?? 0));
    // The largest step of a 600 Hz sine at -6 dBFS between two samples is A·2π·600/8000 ≈ 7700.
    expect(joint).toBeLessThan(7800);
  });

  it('is silent with no tones and refuses frequencies at or above Nyquist', () => {
    const generator = new ToneGenerator();
    expect(generator.next(10)).toEqual(new Int16Array(10));
    expect(() => generator.setTones([{ frequencyHz: 4000, levelDbfs: -10 }])).toThrowError(
      expect.objectContaining({ code: 'TONE_INVALID' }) as Error,
    );
  });

  it('makes the ITU-T Q.23 pair of each key, with the requested level and twist', () => {
    expect(dtmfFrequencies('5')).toEqual({ lowHz: 770, highHz: 1336 });
    expect(dtmfFrequencies('d')).toEqual({ lowHz: 941, highHz: 1633 });
    expect(dtmfFrequencies('x')).toBeUndefined();
    expect(dtmfTones('#', { levelDbm0: -10, twistDb: -3 })).toEqual([
      { frequencyHz: 941, levelDbfs: dbm0ToDbfs(-10) },
      { frequencyHz: 1477, levelDbfs: dbm0ToDbfs(-13) },
    ]);
    expect(() => dtmfTones('!')).toThrowError(/not a DTMF key/);
  });
});

describe('levels and the level meter', () => {
  it('reads a full-scale sine as 0 dBFS, a full-scale square as +3 dBFS, silence as the floor', () => {
    const sine = new ToneGenerator({ tones: [{ frequencyHz: 1000, levelDbfs: 0 }] }).next(8000);
    expect(rmsDbfs(sine)).toBeCloseTo(0, 1);
    expect(peakDbfs(sine)).toBeCloseTo(0, 1);
    const square = Int16Array.from({ length: 800 }, (_, i) => (i % 8 < 4 ? 32767 : -32767));
    expect(rmsDbfs(square)).toBeCloseTo(3.01, 1);
    expect(rmsDbfs(new Int16Array(160))).toBe(MIN_LEVEL_DBFS);
    expect(dbfsToDbm0(0)).toBeCloseTo(3.17, 5);
  });

  it('meters frames and the whole stream', () => {
    const meter = new LevelMeter();
    const loud = new ToneGenerator({ tones: [{ frequencyHz: 500, levelDbfs: -10 }] }).next(800);
    expect(meter.push(loud)).toBeCloseTo(-10, 1);
    expect(meter.push(new Int16Array(800))).toBe(MIN_LEVEL_DBFS);
    expect(meter.overallDbfs).toBeCloseTo(-13.01, 1);
    expect(meter.peakDbfs).toBeCloseTo(-10, 1);
    meter.reset();
    expect(meter.overallDbfs).toBe(MIN_LEVEL_DBFS);
  });
});

describe('goertzelMeanSquare', () => {
  it.each([697, 770.3, 1000, 1633])(
    'measures a sine at %f Hz as A²/2 in a 102-sample block',
    (frequencyHz) => {
      const amplitude = 10000;
      const samples = Float64Array.from(
        { length: 102 },
        (_, i) => amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / 8000 + 0.3),
      );
      const power = goertzelMeanSquare(samples, 0, 102, frequencyHz, 8000);
      expect(power / ((amplitude * amplitude) / 2)).toBeGreaterThan(0.97);
      expect(power / ((amplitude * amplitude) / 2)).toBeLessThan(1.03);
      expect(goertzelMeanSquare(samples, 0, 102, frequencyHz + 400, 8000)).toBeLessThan(power / 100);
    },
  );
});
