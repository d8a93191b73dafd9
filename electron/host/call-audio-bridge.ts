// One call's audio between the renderer and the call's media session. Microphone frames from the renderer go into
// a small bounded queue the session reads every 20 ms (sip-core's `PcmPushSource`: underrun → silence, overrun →
// the oldest frame goes, and a level that stays above one frame is trimmed, so the queue holds only the phase
// between the worklet's clock and the session's); the frames the session plays out go back to the renderer with
// their own sequence numbers. Queue sizing: ADR 0141, its policy re-decided in ADR 0147.

import {
  PcmFrameSink,
  PcmPushSource,
  type Call,
  type Disposable,
  type PcmPushSourceStats,
} from '../../sip-core/src/index.js';
import { AUDIO_FRAME_SAMPLES, type AudioFrame } from '../common/index.js';

/**
 * At most this many microphone frames wait for the session (100 ms): room for a WebSocket or IPC burst. It no
 * longer sets the delay (ADR 0147): the level is trimmed back to TARGET_QUEUED_MIC_FRAMES.
 */
export const MAX_QUEUED_MIC_FRAMES = 5;
/**
 * The session should find one frame waiting when it reads — the one that arrived since its last tick. More than
 * that for half a second is a standing queue (left by a burst, or a sound card clock running fast) and is trimmed.
 */
export const TARGET_QUEUED_MIC_FRAMES = 1;

/** Frames the shells and the host counted and dropped, by why. */
export interface AudioBridgeStats {
  /** A frame for a call the host does not have (ended, or never existed). */
  unknownCall: number;
  /** A frame of the wrong length. */
  badFrames: number;
}

export class CallAudioBridge {
  readonly #callId: string;
  readonly #source = new PcmPushSource({
    maxQueuedFrames: MAX_QUEUED_MIC_FRAMES,
    targetFrames: TARGET_QUEUED_MIC_FRAMES,
  });
  readonly #send: (frame: AudioFrame) => void;
  #sequence = 0;

  constructor(callId: string, send: (frame: AudioFrame) => void) {
    this.#callId = callId;
    this.#send = send;
  }

  /** Makes the queue the call's source and the renderer a sink of what it receives. */
  connect(call: Call): Disposable {
    call.setSource(this.#source);
    return call.addSink(
      new PcmFrameSink((samples) => {
        // The session reuses `samples` after this callback: the frame leaving the host is a copy.
        this.#send({
          callId: this.#callId,
          sequence: this.#sequence,
          samples: Int16Array.from(samples),
        });
        this.#sequence = (this.#sequence + 1) & 0xffff;
      }, 'received'),
    );
  }

  /** Queues a microphone frame; false (dropped) when it does not hold exactly one 20 ms frame. */
  push(frame: AudioFrame): boolean {
    if (!(frame.samples instanceof Int16Array) || frame.samples.length !== AUDIO_FRAME_SAMPLES) return false;
    this.#source.push(frame.samples);
    return true;
  }

  get stats(): PcmPushSourceStats {
    return this.#source.stats;
  }
}
