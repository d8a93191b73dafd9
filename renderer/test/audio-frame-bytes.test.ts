// The renderer's binary audio frames against the same known answer as the host's codec
// (electron/test/common/audio-frame-codec.test.ts), so the two sides of the WebSocket cannot drift apart.

import { describe, expect, it } from 'vitest';
import { audioFrameToBytes, bytesToAudioFrame } from '../src/bridge/audio-frame-bytes.js';

const SAMPLES = 160;

describe('audio frame bytes (renderer)', () => {
  it('writes the documented layout: kind, id length, sequence LE, id, samples LE', () => {
    const samples = new Int16Array(SAMPLES);
    samples[0] = -2;
    samples[1] = 0x0304;
    const bytes = new Uint8Array(audioFrameToBytes({ callId: 'ab', sequence: 0x0102, samples }));
    expect([...bytes.subarray(0, 10)]).toEqual([1, 2, 0x02, 0x01, 0x61, 0x62, 0xfe, 0xff, 0x04, 0x03]);
    expect(bytes.length).toBe(4 + 2 + SAMPLES * 2);
  });

  it('round-trips, and reads anything else as no frame', () => {
    const samples = Int16Array.from({ length: SAMPLES }, (_, i) => i * 200 - 16000);
    const frame = { callId: 'call-é', sequence: 7, samples };
    expect(bytesToAudioFrame(audioFrameToBytes(frame))).toEqual(frame);
    expect(bytesToAudioFrame(new ArrayBuffer(3))).toBeUndefined();
    expect(bytesToAudioFrame(new Uint8Array([2, 0, 0, 0, ...new Uint8Array(320)]).buffer)).toBeUndefined();
    expect(bytesToAudioFrame(audioFrameToBytes(frame).slice(0, 100))).toBeUndefined();
  });
});
