// What the store needs from the audio path, so the calls slice can be tested with a fake and the real engine
// (audio-engine.ts, Web Audio) stays in the browser.

import type { AudioSettings } from '../../../electron/common/index.js';

export interface AudioLevels {
  /** The microphone as sent, dBFS (−100: silence or no call). */
  readonly inputDbfs: number;
  /** The call's audio as played, dBFS. */
  readonly outputDbfs: number;
}

export interface CallAudio {
  /**
   * Creates or resumes the audio context inside the user's click (browsers start audio only from a gesture);
   * safe to call any time.
   */
  prime(): void;
  /** Plays `callId` and sends the microphone to it; switches calls without reopening the microphone. */
  start(callId: string, settings: AudioSettings): Promise<void>;
  /** Closes the microphone and the audio context. */
  stop(): void;
  levels(): AudioLevels;
  /** Re-applies device and processing settings to a running call (reopens the microphone). */
  applySettings(settings: AudioSettings): Promise<void>;
}

/** No audio (tests, or a window without Web Audio). */
export const SILENT_CALL_AUDIO: CallAudio = {
  prime() {},
  start: () => Promise.resolve(),
  stop() {},
  levels: () => ({ inputDbfs: -100, outputDbfs: -100 }),
  applySettings: () => Promise.resolve(),
};
