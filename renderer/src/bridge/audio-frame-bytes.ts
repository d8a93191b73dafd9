// Browser mode's binary audio frames, the renderer's side. The layout is electron/common/audio.ts's (kind 1, id
// length, sequence LE, call id UTF-8, 160 samples LE); the renderer may import only types from the contract, so
// the offsets are restated here, and renderer/test/audio-frame-bytes.test.ts checks the same known answer as the
// host codec test.

import type { AudioFrame } from '../../../electron/common/index.js';

const KIND_AUDIO = 1;
const HEADER_BYTES = 4;
const SAMPLES = 160;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function audioFrameToBytes(frame: AudioFrame): ArrayBuffer {
  const id = encoder.encode(frame.callId);
  const buffer = new ArrayBuffer(HEADER_BYTES + id.length + SAMPLES * 2);
  const view = new DataView(buffer);
  view.setUint8(0, KIND_AUDIO);
  view.setUint8(1, id.length);
  view.setUint16(2, frame.sequence & 0xffff, true);
  new Uint8Array(buffer, HEADER_BYTES, id.length).set(id);
  for (let i = 0; i < SAMPLES; i++)
    view.setInt16(HEADER_BYTES + id.length + i * 2, frame.samples[i] ?? 0, true);
  return buffer;
}

/** The frame in `buffer`, or undefined when it is not one (the host never sends anything else, but be safe). */
export function bytesToAudioFrame(buffer: ArrayBuffer): AudioFrame | undefined {
  if (buffer.byteLength < HEADER_BYTES) return undefined;
  const view = new DataView(buffer);
  const idLength = view.getUint8(1);
  if (view.getUint8(0) !== KIND_AUDIO || buffer.byteLength !== HEADER_BYTES + idLength + SAMPLES * 2) {
    return undefined;
  }
  const samples = new Int16Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) samples[i] = view.getInt16(HEADER_BYTES + idLength + i * 2, true);
  return {
    callId: decoder.decode(new Uint8Array(buffer, HEADER_BYTES, idLength)),
    sequence: view.getUint16(2, true),
    samples,
  };
}
