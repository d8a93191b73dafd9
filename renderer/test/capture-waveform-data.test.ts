// The pure data behind the waveform: WAV decoding (known answers, a crash's "unknown size" header, not-a-WAV), the
// stereo WAV round trip, peaks, DTMF markers, and the empty state of each capture state.

import { describe, expect, it } from 'vitest';
import type { CallCaptureView } from '../../electron/common/index.js';
import {
  captureEmptyState,
  decodeWavBase64,
  dtmfMarkersOf,
  pcmSamplesOf,
  peaksOf,
  stereoWav,
  waveformDataOf,
} from '../src/features/capture-waveform-data.js';

/** A mono 8 kHz WAV as the host writes it; `dataSize` overrides the header's data size (0xFFFFFFFF: unknown). */
function monoWav(samples: readonly number[], dataSize = samples.length * 2): Uint8Array {
  const bytes = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(bytes.buffer);
  const text = (offset: number, value: string) =>
    [...value].forEach((c, i) => (bytes[offset + i] = c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + dataSize, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, 8000, true);
  view.setUint32(28, 16000, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, dataSize, true);
  samples.forEach((s, i) => view.setInt16(44 + i * 2, s, true));
  return bytes;
}

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

describe('WAV decoding', () => {
  it('reads the samples of a PCM WAV (known answer)', () => {
    expect([...decodeWavBase64(base64(monoWav([0, 1, -1, 32767, -32768])))]).toEqual([
      0, 1, -1, 32767, -32768,
    ]);
  });

  it('reads a header a crash left with the unknown-size marker to the end of the file', () => {
    expect([...pcmSamplesOf(monoWav([5, 6, 7], 0xffffffff))]).toEqual([5, 6, 7]);
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['not RIFF', new TextEncoder().encode('RIFX....WAVEfmt ')],
    ['no data chunk', monoWav([]).subarray(0, 36)],
  ])('gives no samples for %s', (_name, bytes) => {
    expect(pcmSamplesOf(bytes)).toHaveLength(0);
  });

  it('round-trips two tracks through the stereo WAV (received left, sent right, shorter padded)', () => {
    const stereo = stereoWav(Int16Array.from([1, 2, 3]), Int16Array.from([-1, -2]), 8000);
    const view = new DataView(stereo.buffer);
    expect(view.getUint16(22, true)).toBe(2);
    expect(view.getUint32(24, true)).toBe(8000);
    expect(view.getUint32(40, true)).toBe(12);
    expect([...pcmSamplesOf(stereo)]).toEqual([1, -1, 2, -2, 3, 0]);
  });
});

describe('peaks and markers', () => {
  it('takes the loudest sample of each bucket, scaled to [0, 1]', () => {
    expect(peaksOf(Int16Array.from([0, 16384, -32768, 100]), 2)).toEqual([0.5, 1]);
    expect(peaksOf(Int16Array.from([8192]), 10)).toEqual([0.25]);
    expect(peaksOf(new Int16Array(0), 4)).toEqual([0]);
  });

  it('places DTMF markers in seconds with their direction, dropping any past the end', () => {
    expect(
      dtmfMarkersOf(
        [
          { direction: 'sent', digit: '1', offsetMs: 1_500 },
          { direction: 'received', digit: '#', offsetMs: 2_000 },
          { direction: 'sent', digit: '9', offsetMs: 9_000 },
        ],
        3_000,
      ),
    ).toEqual([
      { seconds: 1.5, label: '↑1', direction: 'sent' },
      { seconds: 2, label: '↓#', direction: 'received' },
    ]);
  });

  it('builds the waveform data of an available capture', () => {
    const view: CallCaptureView = {
      state: 'available',
      callUuid: 'c',
      startedAtMs: 0,
      durationMs: 1,
      sampleRateHz: 8000,
      sizeBytes: 100,
      dtmf: [{ direction: 'sent', digit: '5', offsetMs: 0 }],
      hasPcap: true,
      received: { wavBase64: base64(monoWav(new Array<number>(16).fill(16384))), sizeBytes: 76 },
      sent: { wavBase64: base64(monoWav(new Array<number>(8).fill(-8192))), sizeBytes: 60 },
    };
    const data = waveformDataOf(view);
    expect(data.durationSeconds).toBe(16 / 8000);
    expect(data.receivedPeaks.every((p) => p === 0.5)).toBe(true);
    expect(data.sentPeaks.every((p) => p === 0.25)).toBe(true);
    expect(data.markers).toEqual([{ seconds: 0, label: '↑5', direction: 'sent' }]);
    expect(pcmSamplesOf(data.stereo)).toHaveLength(32);
  });
});

describe('empty states', () => {
  it.each([
    [{ state: 'none', callUuid: 'c' }, 'No local capture', /emulator-side call/],
    [{ state: 'recording', callUuid: 'c' }, 'Recording', /when it ends/],
    [{ state: 'deleted', callUuid: 'c', deletedAtMs: 1, reason: 'user' }, 'Capture deleted', /was deleted/],
    [
      { state: 'deleted', callUuid: 'c', deletedAtMs: 1, reason: 'size-cap' },
      'Capture deleted',
      /size limit/,
    ],
    [
      { state: 'deleted', callUuid: 'c', deletedAtMs: 1, reason: 'unrecoverable' },
      'Capture deleted',
      /crash/,
    ],
  ] as const)('%o says so', (view, title, body) => {
    const empty = captureEmptyState(view);
    expect(empty?.title).toBe(title);
    expect(empty?.body).toMatch(body);
  });
});
