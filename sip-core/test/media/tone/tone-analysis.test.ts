import { describe, expect, it } from 'vitest';
import { decodeMulaw, encodeMulaw } from '../../../src/media/codec/g711.js';
import { analyzeTone } from '../../../src/media/tone/tone-analysis.js';
import { seededRandom } from '../../support/seeded-random.js';
import { addNoise, speechLike, tone, toPcm16 } from '../../support/signals.js';

describe('analyzeTone', () => {
  it.each([
    [440, -10],
    [1000, -20],
    [1000, -45],
  ])('finds a %i Hz tone at %i dBfs with its level', (frequencyHz, levelDbfs) => {
    const result = analyzeTone(tone([{ frequencyHz, levelDbfs }], 8000), frequencyHz);
    expect(result.present).toBe(true);
    expect(result.levelDbfs).toBeCloseTo(levelDbfs, 1);
    expect(result.snrDb).toBeGreaterThan(40);
  });

  it('tolerates a tone a few hertz off (clock drift, resampling)', () => {
    const result = analyzeTone(tone([{ frequencyHz: 443, levelDbfs: -10 }], 8000), 440);
    expect(result.present).toBe(true);
    expect(result.levelDbfs).toBeGreaterThan(-10.5);
  });

  it('measures the SNR of a tone in white noise', () => {
    const signal = addNoise(
      Float64Array.from(tone([{ frequencyHz: 1000, levelDbfs: -10 }], 16000)),
      seededRandom(1),
      -30,
    );
    const result = analyzeTone(signal, 1000);
    expect(result.snrDb).toBeGreaterThan(19);
    expect(result.snrDb).toBeLessThan(21);
    expect(result.residualDbfs).toBeCloseTo(-30, 0);
  });

  it.each([
    ['a 440 Hz tone when asked for 1 kHz', tone([{ frequencyHz: 440, levelDbfs: -10 }], 8000), 1000],
    ['a 1 kHz tone when asked for 440 Hz', tone([{ frequencyHz: 1000, levelDbfs: -10 }], 8000), 440],
    ['440 Hz at -60 dBFS (below the floor)', tone([{ frequencyHz: 440, levelDbfs: -60 }], 8000), 440],
    ['silence', new Int16Array(8000), 440],
    ['white noise', toPcm16(addNoise(new Float64Array(8000), seededRandom(2), -10)), 440],
    ['speech-like sound', toPcm16(speechLike(seededRandom(3), 2000)), 1000],
  ])('rejects %s', (_, samples, frequencyHz) => {
    expect(analyzeTone(samples, frequencyHz).present).toBe(false);
  });

  it('finds 440 Hz after G.711, in a mix with 350 Hz (dial tone)', () => {
    const dialTone = tone(
      [
        { frequencyHz: 350, levelDbfs: -16 },
        { frequencyHz: 440, levelDbfs: -16 },
      ],
      8000,
    );
    const received = decodeMulaw(encodeMulaw(dialTone));
    const at440 = analyzeTone(received, 440, { minSnrDb: -6 });
    expect(at440.present).toBe(true);
    expect(at440.levelDbfs).toBeCloseTo(-16, 0);
    expect(at440.snrDb).toBeCloseTo(0, 0);
  });

  it('needs at least one block and a frequency below Nyquist', () => {
    expect(() => analyzeTone(new Int16Array(100), 440)).toThrowError(/at least 400 samples/);
    expect(() => analyzeTone(new Int16Array(8000), 5000)).toThrowError(
      expect.objectContaining({ code: 'TONE_INVALID_OPTION' }) as Error,
    );
  });
});
