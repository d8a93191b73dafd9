import type { JitterBufferFrameKind } from '../jitter/jitter-buffer.js';

// The two ends of a media session's audio, as small objects the session calls once per 20 ms frame (8 kHz, mono,
// 16-bit, 160 samples: media/codec/pcm-frame.ts). A session has exactly one source (what we send) and any number of
// sinks (what we hear, what we sent); the app swaps the source mid-call (hold music, a prompt, the microphone).
// Sources and sinks run inside the session's pacing tick, so they must be quick and must never block: file I/O is
// done before (a WAV source decodes its file when it is opened) or after (a WAV recorder queues its writes).

/** Where the audio we send comes from. */
export interface AudioSource {
  /** Writes the next 20 ms into `out` (FRAME_SAMPLES samples). Called once per frame, in real time. */
  read(out: Int16Array): void;
}

/** Where audio goes: frames are valid only during the call (copy to keep them). */
export interface AudioSink {
  /** A frame played out of the jitter buffer: received audio, concealment or silence (`kind` says which). */
  onReceived?(frame: Int16Array, kind: JitterBufferFrameKind): void;
  /** The frame we sent; silence while nothing is sent (hold, a DTMF event, a skipped frame). */
  onSent?(frame: Int16Array): void;
  /**
   * A received audio packet as it arrives, decoded, before the jitter buffer (any whole number of samples; the
   * array is reused for the next packet, so copy what you keep). `timestamp` is its RTP timestamp (uint32).
   * For a loop-back that must add as little delay as it can (EchoSource, docs/adr/0148); everything that listens
   * wants `onReceived`, which is timed, reordered and concealed.
   */
  onArrived?(samples: Int16Array, timestamp: number): void;
}
