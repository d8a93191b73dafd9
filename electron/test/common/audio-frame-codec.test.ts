// The binary audio frame (electron/common/audio.ts): round trip, the exact bytes of a known frame, and every kind
// of bad input coming back as a reason instead of an exception.

import { describe, expect, it } from 'vitest';
import {
  AUDIO_FRAME_SAMPLES,
  decodeAudioFrame,
  encodeAudioFrame,
  readAudioFrame,
  type AudioFrame,
} from '../../common/index.js';

function frame(callId: string, sequence: number, fill: (i: number) => number): AudioFrame {
  return { callId, sequence, samples: Int16Array.from({ length: AUDIO_FRAME_SAMPLES }, (_, i) => fill(i)) };
}

describe('audio frame codec', () => {
  it('round-trips a frame with a UTF-8 call id, full-scale samples and the sequence wrapping at 16 bits', () => {
    const original = frame('call-é-1', 65_537, (i) => (i % 2 === 0 ? 32767 : -32768));
    const decoded = decodeAudioFrame(encodeAudioFrame(original));
    expect(decoded).toEqual({ ok: true, frame: { ...original, sequence: 1 } });
  });

  it('writes the documented layout: kind, id length, sequence LE, id, samples LE', () => {
    const bytes = encodeAudioFrame(frame('ab', 0x0102, (i) => (i === 0 ? -2 : i === 1 ? 0x0304 : 0)));
    expect([...bytes.subarray(0, 10)]).toEqual([1, 2, 0x02, 0x01, 0x61, 0x62, 0xfe, 0xff, 0x04, 0x03]);
    expect(bytes.length).toBe(4 + 2 + AUDIO_FRAME_SAMPLES * 2);
  });

  const good = encodeAudioFrame(frame('c', 1, () => 0));
  it.each([
    ['empty', new Uint8Array(0), 'too-short'],
    ['a header only', good.subarray(0, 3), 'too-short'],
    ['another kind', Uint8Array.from([9, ...good.subarray(1)]), 'unknown-kind'],
    ['no call id', Uint8Array.from([1, 0, 0, 0, ...new Uint8Array(320)]), 'bad-call-id'],
    ['a short frame', good.subarray(0, good.length - 2), 'wrong-length'],
    ['a long frame', Uint8Array.from([...good, 0, 0]), 'wrong-length'],
    ['an id that is not UTF-8', Uint8Array.from([1, 1, 0, 0, 0xff, ...new Uint8Array(320)]), 'bad-call-id'],
    ['garbage', Uint8Array.from({ length: 400 }, (_, i) => (i * 37) & 0xff), 'unknown-kind'],
  ])('refuses %s with a reason, never a throw', (_name, bytes, reason) => {
    expect(decodeAudioFrame(bytes)).toEqual({ ok: false, reason });
  });
});

describe('readAudioFrame (Electron MessagePort clones)', () => {
  it('accepts a frame object and refuses every other shape', () => {
    const ok = frame('c-1', 3, () => 1);
    expect(readAudioFrame(ok)).toEqual(ok);
    for (const bad of [
      null,
      'frame',
      { ...ok, callId: '' },
      { ...ok, callId: 7 },
      { ...ok, sequence: -1 },
      { ...ok, sequence: 70_000 },
      { ...ok, sequence: 1.5 },
      { ...ok, samples: new Int16Array(159) },
      { ...ok, samples: new Float32Array(160) },
      { ...ok, samples: [...ok.samples] },
    ]) {
      expect(readAudioFrame(bad), JSON.stringify(bad)?.slice(0, 60)).toBeUndefined();
    }
  });
});
