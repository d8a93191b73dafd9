// The binary form of an `AudioFrame` (layout and offsets in audio.ts), for the shells that carry frames as bytes
// (browser mode's WebSocket). Decoding never throws: a frame from a socket is untrusted, so anything that does
// not fit the layout comes back as a reason the caller counts and drops.

import {
  AUDIO_FRAME_CALL_ID_OFFSET,
  AUDIO_FRAME_ID_LENGTH_OFFSET,
  AUDIO_FRAME_KIND,
  AUDIO_FRAME_KIND_OFFSET,
  AUDIO_FRAME_SAMPLES,
  AUDIO_FRAME_SEQUENCE_OFFSET,
  type AudioFrame,
} from './audio.js';

/** Why a binary message was not an audio frame; the shells count drops by these. */
export type AudioFrameDropReason = 'too-short' | 'unknown-kind' | 'bad-call-id' | 'wrong-length';

export type DecodedAudioFrame =
  | { readonly ok: true; readonly frame: AudioFrame }
  | { readonly ok: false; readonly reason: AudioFrameDropReason };

const SAMPLE_BYTES = 2;
const MAX_CALL_ID_BYTES = 255;
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** The frame as bytes; a call id longer than 255 UTF-8 bytes cannot be framed and is a programming error. */
export function encodeAudioFrame(frame: AudioFrame): Uint8Array {
  const id = utf8Encoder.encode(frame.callId);
  if (id.length > MAX_CALL_ID_BYTES) throw new RangeError('An audio frame call id is limited to 255 bytes.');
  const samplesOffset = AUDIO_FRAME_CALL_ID_OFFSET + id.length;
  const bytes = new Uint8Array(samplesOffset + frame.samples.length * SAMPLE_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint8(AUDIO_FRAME_KIND_OFFSET, AUDIO_FRAME_KIND);
  view.setUint8(AUDIO_FRAME_ID_LENGTH_OFFSET, id.length);
  view.setUint16(AUDIO_FRAME_SEQUENCE_OFFSET, frame.sequence & 0xffff, true);
  bytes.set(id, AUDIO_FRAME_CALL_ID_OFFSET);
  for (let i = 0; i < frame.samples.length; i++) {
    view.setInt16(samplesOffset + i * SAMPLE_BYTES, frame.samples[i] ?? 0, true);
  }
  return bytes;
}

/**
 * A frame that arrived as a structured clone (Electron's MessagePort): the same checks as the bytes get, on an
 * object from another process. Undefined when it is not a frame of one 20 ms block for a named call.
 */
export function readAudioFrame(value: unknown): AudioFrame | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { callId, sequence, samples } = value as Record<string, unknown>;
  if (typeof callId !== 'string' || callId === '' || callId.length > MAX_CALL_ID_BYTES) return undefined;
  if (typeof sequence !== 'number' || !Number.isInteger(sequence) || sequence < 0 || sequence > 0xffff) {
    return undefined;
  }
  if (!(samples instanceof Int16Array) || samples.length !== AUDIO_FRAME_SAMPLES) return undefined;
  return { callId, sequence, samples };
}

/** Reads one frame; the samples are copied, so the caller's buffer may be reused. */
export function decodeAudioFrame(bytes: Uint8Array): DecodedAudioFrame {
  if (bytes.length < AUDIO_FRAME_CALL_ID_OFFSET) return { ok: false, reason: 'too-short' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(AUDIO_FRAME_KIND_OFFSET) !== AUDIO_FRAME_KIND)
    return { ok: false, reason: 'unknown-kind' };
  const idLength = view.getUint8(AUDIO_FRAME_ID_LENGTH_OFFSET);
  const samplesOffset = AUDIO_FRAME_CALL_ID_OFFSET + idLength;
  if (idLength === 0) return { ok: false, reason: 'bad-call-id' };
  if (bytes.length !== samplesOffset + AUDIO_FRAME_SAMPLES * SAMPLE_BYTES) {
    return { ok: false, reason: 'wrong-length' };
  }
  let callId: string;
  try {
    callId = utf8Decoder.decode(bytes.subarray(AUDIO_FRAME_CALL_ID_OFFSET, samplesOffset));
  } catch {
    return { ok: false, reason: 'bad-call-id' };
  }
  const samples = new Int16Array(AUDIO_FRAME_SAMPLES);
  for (let i = 0; i < AUDIO_FRAME_SAMPLES; i++) {
    samples[i] = view.getInt16(samplesOffset + i * SAMPLE_BYTES, true);
  }
  return {
    ok: true,
    frame: { callId, sequence: view.getUint16(AUDIO_FRAME_SEQUENCE_OFFSET, true), samples },
  };
}
