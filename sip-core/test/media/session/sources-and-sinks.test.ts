import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FRAME_SAMPLES } from '../../../src/media/codec/pcm-frame.js';
import { dtmfTones } from '../../../src/media/tone/tone-generator.js';
import { readWav } from '../../../src/media/wav/wav-reader.js';
import { encodeWav } from '../../../src/media/wav/wav-writer.js';
import { writeFile } from 'node:fs/promises';
import { LevelMeterSink } from '../../../src/media/session/level-meter-sink.js';
import { PcmFrameSink } from '../../../src/media/session/pcm-frame-sink.js';
import { PcmPushSource } from '../../../src/media/session/pcm-push-source.js';
import { SilenceSource } from '../../../src/media/session/silence-source.js';
import { ToneDetectorSink } from '../../../src/media/session/tone-detector-sink.js';
import { ToneSource } from '../../../src/media/session/tone-source.js';
import { WavRecorderSink } from '../../../src/media/session/wav-recorder-sink.js';
import { WavSource } from '../../../src/media/session/wav-source.js';
import { expectErrorCode } from '../../support/expect-error-code.js';
import { tone } from '../../support/signals.js';
import { useTempDir } from '../../support/temp-dir.js';

function frames(source: { read(out: Int16Array): void }, count: number): Int16Array[] {
  return Array.from({ length: count }, () => {
    const out = new Int16Array(FRAME_SAMPLES).fill(123);
    source.read(out);
    return out;
  });
}

describe('sources', () => {
  it('SilenceSource writes zeros', () => {
    expect(frames(new SilenceSource(), 2).every((f) => f.every((s) => s === 0))).toBe(true);
  });

  it('ToneSource parses tone specs and generates the tones, phase-continuous across frames', () => {
    const source = ToneSource.parse('tone:350+440@-12');
    expect(source.tones).toEqual([
      { frequencyHz: 350, levelDbfs: -12 },
      { frequencyHz: 440, levelDbfs: -12 },
    ]);
    const joined = Int16Array.from(frames(ToneSource.parse('tone:1000'), 5).flatMap((f) => [...f]));
    expect(joined).toEqual(tone([{ frequencyHz: 1000, levelDbfs: -10 }], 800));
    expectErrorCode(() => ToneSource.parse('tone:'), 'MEDIA_INVALID_OPTION');
    expectErrorCode(() => ToneSource.parse('beep:440'), 'MEDIA_INVALID_OPTION');
  });

  it('PcmPushSource plays pushed frames in order, sends silence on underrun, drops the oldest on overrun', () => {
    const source = new PcmPushSource({ maxQueuedFrames: 2 });
    for (const value of [1, 2, 3]) source.push(new Int16Array(FRAME_SAMPLES).fill(value));
    const played = frames(source, 3).map((f) => f[0]);
    expect(played).toEqual([2, 3, 0]);
    expect(source.stats).toEqual({ pushed: 3, played: 2, underruns: 1, overruns: 1, trimmed: 0, queued: 0 });
    expectErrorCode(() => source.push(new Int16Array(100)), 'MEDIA_INVALID_OPTION');
  });

  it('WavSource plays a file at any rate (resampled to 8 kHz), then silence, or loops', () => {
    const samples = Int16Array.from({ length: 250 }, (_, i) => i + 1);
    const once = new WavSource(samples);
    const out = frames(once, 2);
    expect(out[0].slice(0, 3)).toEqual(Int16Array.from([1, 2, 3]));
    expect(out[1][89]).toBe(250);
    expect(out[1][90]).toBe(0);
    expect(once.ended).toBe(true);
    const looped = frames(new WavSource(samples, { loop: true }), 2);
    expect(looped[1][90]).toBe(1);
  });
});

describe('sinks', () => {
  const dir = useTempDir('trunkline-sinks-');

  it('WavSource.open decodes a 16 kHz stereo file to 8 kHz mono', async () => {
    const path = join(dir(), 'stereo16k.wav');
    const interleaved = new Int16Array(2 * 16_000);
    const sine = tone([{ frequencyHz: 500, levelDbfs: -6 }], 16_000, 16_000);
    for (let i = 0; i < 16_000; i++) interleaved[2 * i] = interleaved[2 * i + 1] = sine[i]!;
    await writeFile(path, encodeWav(interleaved, { sampleRateHz: 16_000, channels: 2 }));
    const source = await WavSource.open(path);
    expect(source.length).toBe(8000);
    const detector = new ToneDetectorSink({ direction: 'sent' });
    for (const frame of frames(source, 50)) detector.onSent!(frame);
    expect(detector.analyze(500)?.present).toBe(true);
  });

  it('WavRecorderSink records what it is given as a 16-bit 8 kHz WAV', async () => {
    const path = join(dir(), 'rec.wav');
    const sink = await WavRecorderSink.create(path);
    for (let i = 0; i < 10; i++) sink.onReceived!(new Int16Array(FRAME_SAMPLES).fill(i));
    await sink.close();
    const wav = readWav(await readFile(path));
    expect(wav.format).toMatchObject({ sampleRateHz: 8000, channels: 1, bitsPerSample: 16 });
    expect(wav.samples.length).toBe(1600);
    expect(wav.samples[160 * 9]).toBe(9);
  });

  it('LevelMeterSink measures input (sent) and output (played) in dBFS', () => {
    const sink = new LevelMeterSink();
    const fullScale = tone([{ frequencyHz: 1000, levelDbfs: 0 }], FRAME_SAMPLES * 10);
    sink.onSent(fullScale.subarray(0, FRAME_SAMPLES));
    sink.onReceived(new Int16Array(FRAME_SAMPLES));
    expect(sink.levels.inputDbfs).toBeCloseTo(0, 0);
    expect(sink.levels.outputDbfs).toBe(-120);
  });

  it('ToneDetectorSink reports in-band DTMF keys and measures tones in received audio only', () => {
    const digits: string[] = [];
    const sink = new ToneDetectorSink({ onDigit: (e) => e.type === 'digit-end' && digits.push(e.symbol) });
    const key = tone(dtmfTones('7'), 800);
    const frame = (samples: Int16Array, at: number) =>
      samples.subarray(at * FRAME_SAMPLES, (at + 1) * FRAME_SAMPLES);
    for (let i = 0; i < 5; i++) sink.onReceived!(frame(key, i), 'audio');
    for (let i = 0; i < 5; i++) sink.onReceived!(new Int16Array(FRAME_SAMPLES), 'silence');
    expect(digits).toEqual(['7']);
    expect(sink.keys).toBe('7');
    // The window holds the key's 100 ms, not the silence after it: both of its tones are at their -7/-5 dBm0.
    expect(sink.recent().length).toBe(800);
    expect(sink.analyze(852)!.levelDbfs).toBeGreaterThan(-14);
    expect(sink.analyze(1209)!.levelDbfs).toBeGreaterThan(-14);
  });

  it('PcmFrameSink hands frames to the app, received or sent', () => {
    const got: string[] = [];
    const received = new PcmFrameSink((_f, kind) => got.push(kind));
    const sent = new PcmFrameSink((_f, kind) => got.push(kind), 'sent');
    received.onReceived!(new Int16Array(FRAME_SAMPLES), 'concealed');
    sent.onSent!(new Int16Array(FRAME_SAMPLES));
    expect(received.onSent).toBeUndefined();
    expect(got).toEqual(['concealed', 'sent']);
  });
});
