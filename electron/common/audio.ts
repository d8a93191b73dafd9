// Audio between the renderer (microphone and speaker through an AudioWorklet) and the host's media session:
// 8 kHz mono 16-bit linear PCM in frames of 20 ms, the packetisation G.711 uses on the wire (RFC 3551 §4.5.14),
// so the host never resamples or reframes. Frames travel over a MessagePort (Electron) or binary WebSocket
// messages (browser mode); they are not commands, so they never wait for a result.

export const AUDIO_SAMPLE_RATE_HZ = 8000;
export const AUDIO_FRAME_MS = 20;
export const AUDIO_FRAME_SAMPLES = (AUDIO_SAMPLE_RATE_HZ * AUDIO_FRAME_MS) / 1000;

export interface AudioFrame {
  readonly callId: string;
  /** Increments by one per frame; a gap is a lost frame (the host plays comfort silence). */
  readonly sequence: number;
  /** `AUDIO_FRAME_SAMPLES` samples. */
  readonly samples: Int16Array;
}

/**
 * The binary WebSocket layout of one frame (little-endian), so no JSON touches 50 frames a second:
 *
 *   0       1       2       3       4                        4+2n
 *   +-------+-------+-------+-------+------ ... ------+------ ... ------+
 *   | kind  | idLen |   sequence (uint16)   | callId (UTF-8, idLen) | samples (int16 × 160) |
 *   +-------+-------+-------+-------+------ ... ------+------ ... ------+
 */
export const AUDIO_FRAME_KIND_OFFSET = 0;
export const AUDIO_FRAME_ID_LENGTH_OFFSET = 1;
export const AUDIO_FRAME_SEQUENCE_OFFSET = 2;
export const AUDIO_FRAME_CALL_ID_OFFSET = 4;
/** `kind` byte of an audio frame (room for other binary kinds later). */
export const AUDIO_FRAME_KIND = 1;
