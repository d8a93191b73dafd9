// The data behind the diagnosis view's waveform, as pure functions (no DOM, no wavesurfer), so they are tested
// without a canvas: the host's two mono WAV tracks decoded, their peaks for drawing (wavesurfer draws from peaks
// and a duration, so it never fetches or decodes audio itself — nothing beyond the CSP's `media-src blob:`), one
// stereo WAV to play both tracks together (received left, sent right), DTMF markers in seconds, and the sentence
// an empty state says.
//
//   WAV (RIFF) as the host writes it:  "RIFF" size "WAVE" | "fmt " 16 … | "data" size | int16 LE samples
//   Chunks are walked by their 8-byte headers (id, little-endian size), so an extra chunk does not break reading.

import type { CallCaptureView, CaptureDtmfMarker } from '../../../electron/common/index.js';

/** Bars drawn across the whole call; wavesurfer stretches them to the width (and zoom). */
export const PEAK_BUCKETS = 2000;

/** The 16-bit samples of a PCM WAV (base64); empty when the bytes are not one. */
export function decodeWavBase64(base64: string): Int16Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return pcmSamplesOf(bytes);
}

export function pcmSamplesOf(bytes: Uint8Array): Int16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') return new Int16Array(0);
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    if (id === 'data') {
      // A header a crash left with the "unknown size" marker still reads to the end of the file.
      const end = Math.min(bytes.length, offset + 8 + size);
      const count = Math.floor((end - offset - 8) / 2);
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i++) samples[i] = view.getInt16(offset + 8 + i * 2, true);
      return samples;
    }
    offset += 8 + size + (size % 2);
  }
  return new Int16Array(0);
}

function ascii(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + 4));
}

/** The loudest sample of each of `buckets` slices, in [0, 1] (wavesurfer mirrors it around the axis). */
export function peaksOf(samples: Int16Array, buckets: number = PEAK_BUCKETS): number[] {
  const count = Math.max(1, Math.min(buckets, samples.length));
  const peaks = new Array<number>(count).fill(0);
  if (samples.length === 0) return peaks;
  const perBucket = samples.length / count;
  for (let b = 0; b < count; b++) {
    const start = Math.floor(b * perBucket);
    const end = Math.max(start + 1, Math.floor((b + 1) * perBucket));
    let max = 0;
    for (let i = start; i < end; i++) max = Math.max(max, Math.abs(samples[i]));
    peaks[b] = max / 32768;
  }
  return peaks;
}

/** One stereo 16-bit WAV from two mono tracks (the shorter padded with silence): left received, right sent. */
export function stereoWav(left: Int16Array, right: Int16Array, sampleRateHz: number): Uint8Array {
  const frames = Math.max(left.length, right.length);
  const dataBytes = frames * 4;
  const bytes = new Uint8Array(44 + dataBytes);
  const view = new DataView(bytes.buffer);
  const text = (offset: number, value: string) => {
    for (let i = 0; i < value.length; i++) bytes[offset + i] = value.charCodeAt(i);
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 2, true); // channels
  view.setUint32(24, sampleRateHz, true);
  view.setUint32(28, sampleRateHz * 4, true); // byte rate
  view.setUint16(32, 4, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  text(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < frames; i++) {
    view.setInt16(44 + i * 4, left[i] ?? 0, true);
    view.setInt16(46 + i * 4, right[i] ?? 0, true);
  }
  return bytes;
}

export interface WaveformMarker {
  readonly seconds: number;
  /** `↓5` for a digit we received, `↑5` for one we sent. */
  readonly label: string;
  readonly direction: 'sent' | 'received';
}

export function dtmfMarkersOf(dtmf: readonly CaptureDtmfMarker[], durationMs: number): WaveformMarker[] {
  return dtmf
    .filter((marker) => marker.offsetMs >= 0 && marker.offsetMs <= durationMs)
    .map((marker) => ({
      seconds: marker.offsetMs / 1000,
      label: `${marker.direction === 'sent' ? '↑' : '↓'}${marker.digit}`,
      direction: marker.direction,
    }));
}

/** What the waveform is drawn from: peaks per track, the duration, markers, and the playable stereo WAV. */
export interface WaveformData {
  readonly durationSeconds: number;
  readonly receivedPeaks: number[];
  readonly sentPeaks: number[];
  readonly markers: WaveformMarker[];
  readonly stereo: Uint8Array;
}

export function waveformDataOf(view: Extract<CallCaptureView, { state: 'available' }>): WaveformData {
  const received = decodeWavBase64(view.received.wavBase64);
  const sent = decodeWavBase64(view.sent.wavBase64);
  const samples = Math.max(received.length, sent.length);
  return {
    durationSeconds: samples / view.sampleRateHz,
    receivedPeaks: peaksOf(received),
    sentPeaks: peaksOf(sent),
    markers: dtmfMarkersOf(view.dtmf, (samples / view.sampleRateHz) * 1000),
    stereo: stereoWav(received, sent, view.sampleRateHz),
  };
}

/** The honest empty state of a capture that cannot be drawn, or undefined when it can. */
export function captureEmptyState(
  view: CallCaptureView,
): { readonly title: string; readonly body: string } | undefined {
  switch (view.state) {
    case 'available':
      return undefined;
    case 'recording':
      return {
        title: 'Recording',
        body: 'The call is still being recorded; its waveform appears when it ends.',
      };
    case 'none':
      return {
        title: 'No local capture',
        body: 'No local capture — emulator-side call, or a call placed before captures were kept. The SIP ladder and the PCAP export still work.',
      };
    case 'deleted':
      return {
        title: 'Capture deleted',
        body:
          view.reason === 'user'
            ? 'The local capture of this call was deleted.'
            : view.reason === 'size-cap'
              ? 'The local capture was deleted to stay within the captures size limit (oldest first).'
              : 'The local capture was cut by a crash and could not be repaired, so it was discarded.',
      };
  }
}
