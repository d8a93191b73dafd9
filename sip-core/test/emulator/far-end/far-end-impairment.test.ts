// The far end's deliberate media fault (far-end-impairment.ts): the schema (table of accepted and refused
// settings), the lookup (a number's own impairment over the table's), and what each mute direction does to an
// echo and to a tone — silence in one direction, one frame out per frame in, so packet counts stay normal.

import { describe, expect, it } from 'vitest';
import {
  farEndImpairmentSchema,
  FarEndTable,
  farEndTableSchema,
  isImpaired,
  mutedSink,
  mutedSource,
  type FarEndMuteDirection,
} from '../../../src/emulator/far-end/index.js';
import { FRAME_SAMPLES } from '../../../src/media/codec/pcm-frame.js';
import {
  EchoSource,
  ToneSource,
  type AudioSink,
  type AudioSource,
} from '../../../src/media/session/index.js';

describe('farEndImpairmentSchema', () => {
  it.each<[string, unknown, boolean]>([
    ['defaults', {}, true],
    ['mute towards the far end', { mute: 'to-far-end' }, true],
    [
      'mute from the far end with loss and jitter',
      { mute: 'from-far-end', lossRate: 0.1, jitterMs: 40 },
      true,
    ],
    ['an unknown direction', { mute: 'sideways' }, false],
    ['loss above 1', { lossRate: 1.5 }, false],
    ['negative jitter', { jitterMs: -1 }, false],
    ['an unknown field', { muted: true }, false],
  ])('%s', (_name, input, ok) => {
    expect(farEndImpairmentSchema.safeParse(input).success).toBe(ok);
  });

  it.each<[unknown, boolean]>([
    [{}, false],
    [{ mute: 'to-far-end' }, true],
    [{ lossRate: 0.05 }, true],
    [{ jitterMs: 20 }, true],
  ])('isImpaired(%j) is %s', (input, impaired) => {
    expect(isImpaired(farEndImpairmentSchema.parse(input))).toBe(impaired);
  });
});

describe('the far-end table resolves an impairment per number, else the table’s', () => {
  const table = new FarEndTable(
    farEndTableSchema.parse({
      impairment: { mute: 'from-far-end' },
      numbers: [
        {
          number: '+14155550190',
          name: 'muted-in',
          scenario: { kind: 'answer' },
          impairment: { mute: 'to-far-end' },
        },
        { number: '+14155550191', name: 'plain', scenario: { kind: 'answer' } },
      ],
    }),
  );
  it.each<[string, FarEndMuteDirection | undefined]>([
    ['+14155550190', 'to-far-end'],
    ['+14155550191', 'from-far-end'],
    ['+14155550111', 'from-far-end'],
    ['+442079460123', 'from-far-end'],
  ])('%s → %s', (number, mute) => {
    expect(table.lookup(number).impairment?.mute).toBe(mute);
  });

  it('is clean when nothing is configured', () => {
    expect(FarEndTable.builtIn().lookup('+14155550111').impairment).toBeNull();
  });
});

/** Feeds `frames` frames of a 440 Hz tone through the far end as wired for `mute`; returns what it sends. */
function farEndOutput(
  kind: 'echo' | 'tone',
  mute: FarEndMuteDirection,
  frames = 5,
): { sentFrames: number; peak: number } {
  const echo = new EchoSource();
  const inner: AudioSource = kind === 'echo' ? echo : ToneSource.sine(1004);
  const sink: AudioSink = mute === 'to-far-end' ? mutedSink(echo) : echo;
  const source = mute === 'from-far-end' ? mutedSource(inner) : inner;
  const caller = ToneSource.sine(440);
  const heard = new Int16Array(FRAME_SAMPLES);
  const out = new Int16Array(FRAME_SAMPLES);
  let peak = 0;
  let sentFrames = 0;
  for (let i = 0; i < frames; i++) {
    caller.read(heard);
    // The session hands arrivals to the echo's loop (onArrived) and played frames to listeners (onReceived).
    sink.onArrived?.(heard, i * FRAME_SAMPLES);
    sink.onReceived?.(heard, 'audio');
    source.read(out);
    sentFrames++;
    for (const sample of out) peak = Math.max(peak, Math.abs(sample));
  }
  return { sentFrames, peak };
}

describe('what each mute direction does', () => {
  it.each<[string, 'echo' | 'tone', FarEndMuteDirection, boolean]>([
    ['echo, clean', 'echo', 'none', true],
    ['echo, muted towards the far end', 'echo', 'to-far-end', false],
    ['echo, muted from the far end', 'echo', 'from-far-end', false],
    ['tone, clean', 'tone', 'none', true],
    ['tone, muted towards the far end (the tone does not depend on us)', 'tone', 'to-far-end', true],
    ['tone, muted from the far end', 'tone', 'from-far-end', false],
  ])('%s', (_name, kind, mute, audible) => {
    const { sentFrames, peak } = farEndOutput(kind, mute);
    // One frame out per frame in whatever the fault: RTP packet counts cannot show it.
    expect(sentFrames).toBe(5);
    expect(peak > 1000).toBe(audible);
  });
});
