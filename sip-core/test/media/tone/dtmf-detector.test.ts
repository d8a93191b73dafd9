import { describe, expect, it } from 'vitest';
import { decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw } from '../../../src/media/codec/g711.js';
import { DtmfDetector, type InBandDtmfEvent } from '../../../src/media/tone/dtmf-detector.js';
import { dbm0ToDbfs } from '../../../src/media/tone/levels.js';
import { dtmfTones } from '../../../src/media/tone/tone-generator.js';
import { seededRandom } from '../../support/seeded-random.js';
import { addNoise, concat, dtmfSequence, speechLike, tone, toPcm16 } from '../../support/signals.js';

const ALL_KEYS = '123A456B789C*0#D';

/** Runs the detector over `pcm` in 20 ms frames, as the media session would. */
function detect(pcm: Int16Array, detector = new DtmfDetector()): InBandDtmfEvent[] {
  const events: InBandDtmfEvent[] = [];
  for (let i = 0; i < pcm.length; i += 160) events.push(...detector.push(pcm.subarray(i, i + 160)));
  events.push(...detector.flush());
  return events;
}

function keys(events: InBandDtmfEvent[]): string {
  return events
    .filter((e) => e.type === 'digit-end')
    .map((e) => e.symbol)
    .join('');
}

describe('DtmfDetector at the limits of ITU-T Q.24', () => {
  // Levels are the low-group tone's; twist is the high-group level minus the low-group level. The noise is
  // white, 20 dB below the weaker tone.
  it.each([
    { levelDbm0: -7, twistDb: 2, toneMs: 100, gapMs: 100 },
    { levelDbm0: -7, twistDb: 0, toneMs: 40, gapMs: 40 },
    { levelDbm0: -25, twistDb: 0, toneMs: 40, gapMs: 40 },
    { levelDbm0: -25, twistDb: 4, toneMs: 45, gapMs: 45 },
    { levelDbm0: -17, twistDb: -8, toneMs: 45, gapMs: 45 },
    { levelDbm0: -3, twistDb: -8, toneMs: 60, gapMs: 50 },
    // The loudest pair that does not clip: -6 dBm0 and -2 dBm0 peak together just under full scale.
    { levelDbm0: -6, twistDb: 4, toneMs: 60, gapMs: 50 },
  ])(
    'detects all 16 keys at $levelDbm0 dBm0, twist $twistDb dB, $toneMs ms on / $gapMs ms off, in noise',
    (case_) => {
      const random = seededRandom(case_.levelDbm0 * 100 + case_.twistDb);
      for (const leadInSamples of [0, 17, 51, 88]) {
        const signal = dtmfSequence(ALL_KEYS, { ...case_, leadInSamples });
        const weakerDbfs = dbm0ToDbfs(case_.levelDbm0 + Math.min(0, case_.twistDb));
        addNoise(signal, random, weakerDbfs - 20);
        expect(keys(detect(toPcm16(signal))), `lead-in ${leadInSamples}`).toBe(ALL_KEYS);
      }
    },
  );

  it.each([
    { name: 'the high group 8 dB stronger (twist beyond +4 dB)', levelDbm0: -12, twistDb: 8, toneMs: 100 },
    { name: 'the high group 12 dB weaker (twist beyond -8 dB)', levelDbm0: -5, twistDb: -12, toneMs: 100 },
    { name: 'tones at -36 dBm0 (below the -30 dBm0 floor)', levelDbm0: -36, twistDb: 0, toneMs: 100 },
    { name: 'tones of 20 ms (too short)', levelDbm0: -7, twistDb: 0, toneMs: 20 },
  ])('rejects $name', (case_) => {
    for (const leadInSamples of [0, 30, 60, 90]) {
      expect(keys(detect(toPcm16(dtmfSequence(ALL_KEYS, { ...case_, leadInSamples }))))).toBe('');
    }
  });

  it('reports start position and duration within a block of the truth', () => {
    const leadIn = 333;
    const events = detect(toPcm16(dtmfSequence('5', { toneMs: 100, leadInSamples: leadIn })));
    expect(events.map((e) => e.type)).toEqual(['digit-start', 'digit-end']);
    const end = events[1];
    if (end?.type !== 'digit-end') throw new Error('no end');
    expect(Math.abs(end.startSample - leadIn)).toBeLessThanOrEqual(102);
    expect(end.durationMs).toBeGreaterThanOrEqual(100 - 2 * 12.75);
    expect(end.durationMs).toBeLessThanOrEqual(100);
  });

  it('separates the same key pressed twice with a 40 ms pause, and merges it across a 10 ms dropout', () => {
    expect(keys(detect(toPcm16(dtmfSequence('77', { toneMs: 80, gapMs: 40 }))))).toBe('77');
    const dropout = concat([
      tone(dtmfTones('7'), 640),
      new Float64Array(80),
      tone(dtmfTones('7'), 640),
      new Float64Array(800),
    ]);
    expect(keys(detect(toPcm16(dropout)))).toBe('7');
  });

  it.each([
    ['µ-law', encodeMulaw, decodeMulaw],
    ['A-law', encodeAlaw, decodeAlaw],
  ] as const)('detects all keys after %s encoding and decoding, at -25 dBm0', (_, encode, decode) => {
    const random = seededRandom(7);
    const signal = addNoise(dtmfSequence(ALL_KEYS, { levelDbm0: -25, toneMs: 50, gapMs: 50 }), random, -60);
    const received = decode(encode(toPcm16(signal)));
    expect(keys(detect(received))).toBe(ALL_KEYS);
  });
});

describe('DtmfDetector false alarms', () => {
  it.each([
    ['a single low-group tone', [{ frequencyHz: 697, levelDbfs: -10 }]],
    ['a single high-group tone', [{ frequencyHz: 1336, levelDbfs: -10 }]],
    [
      'two low-group tones',
      [
        { frequencyHz: 697, levelDbfs: -10 },
        { frequencyHz: 852, levelDbfs: -10 },
      ],
    ],
    ['a key plus a third tone on another row', [...dtmfTones('1'), { frequencyHz: 852, levelDbfs: -12 }]],
    [
      '440 Hz dial tone with 350 Hz',
      [
        { frequencyHz: 350, levelDbfs: -13 },
        { frequencyHz: 440, levelDbfs: -13 },
      ],
    ],
    [
      'a key near DTMF frequencies but 3.5 % off',
      [
        { frequencyHz: 697 * 1.035, levelDbfs: -10 },
        { frequencyHz: 1209 * 1.035, levelDbfs: -10 },
      ],
    ],
  ])('rejects %s', (_, components) => {
    expect(detect(tone(components, 8000))).toEqual([]);
  });

  it('rejects white noise at several levels', () => {
    const random = seededRandom(11);
    for (const levelDbfs of [-40, -20, -6]) {
      expect(detect(toPcm16(addNoise(new Float64Array(16000), random, levelDbfs)))).toEqual([]);
    }
  });

  it('rejects 20 s of speech-like voiced sound, whose formants sit on DTMF frequencies', () => {
    const random = seededRandom(3);
    for (const levelDbfs of [-25, -15, -8]) {
      expect(detect(toPcm16(speechLike(random, 20_000, levelDbfs)))).toEqual([]);
    }
  });

  it('still detects a key over speech-like sound 15 dB below it', () => {
    const random = seededRandom(5);
    const key = concat([
      new Float64Array(400),
      tone(dtmfTones('9', { levelDbm0: -7 }), 800),
      new Float64Array(1200),
    ]);
    const speech = speechLike(random, 300, dbm0ToDbfs(-7) - 15);
    const mixed = key.map((s, i) => s + (speech[i] ?? 0));
    expect(keys(detect(toPcm16(mixed)))).toBe('9');
  });
});
