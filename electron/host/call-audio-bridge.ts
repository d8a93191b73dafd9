// One call's audio between the renderer and the call's media session. Microphone frames from the renderer go into
// a small bounded queue the session reads every 20 ms (sip-core's `PcmPushSource`: underrun → silence, overrun →
// the oldest frame goes, so the delay can never grow); the frames the session plays out go back to the renderer
// with their own sequence numbers. Queue sizing: ADR 0141.

import {
  PcmFrameSink,
  PcmPushSource,
  type Call,
  type Disposable,
  type PcmPushSourceStats,
} from '../../sip-core/src/index.js';
import { AUDIO_FRAME_SAMPLES, type AudioFrame } from '../common/index.js';

/**
 * At most this many microphone frames wait for the session (60 ms). The renderer's worklet sends on the sound
 * card's clock and the session reads on the host's; 3 frames absorb a WebSocket or IPC hiccup and bound this
 * queue's share of the mouth-to-ear delay to 60 ms (ADR 0141).
 */
export const MAX_QUEUED_MIC_FRAMES = 3;

/** Frames the shells and the host counted and dropped, by why. */
export interface AudioBridgeStats {
  /** A frame for a call the host does not have (ended, or never existed). */
  unknownCall: number;
  /** A frame of the wrong length. */
  badFrames: number;
}

export class CallAudioBridge {
  readonly #callId: string;
  readonly #source = new PcmPushSource({ maxQueuedFrames: MAX_QUEUED_MIC_FRAMES });
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
