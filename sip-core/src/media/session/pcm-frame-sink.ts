import type { JitterBufferFrameKind } from '../jitter/jitter-buffer.js';
import type { AudioSink } from './audio-source.js';

// Frames to the app (the speaker, through the renderer's AudioWorklet; a test that inspects what was heard). The
// callback runs inside the pacing tick with a frame that is reused afterwards: copy it to keep it.

export type PcmFrameDirection = 'received' | 'sent';

export class PcmFrameSink implements AudioSink {
  readonly onReceived?: (frame: Int16Array, kind: JitterBufferFrameKind) => void;
  readonly onSent?: (frame: Int16Array) => void;

  constructor(
    listener: (frame: Int16Array, kind: JitterBufferFrameKind | 'sent') => void,
    direction: PcmFrameDirection = 'received',
  ) {
    if (direction === 'received') this.onReceived = listener;
    else this.onSent = (frame) => listener(frame, 'sent');
  }
}
