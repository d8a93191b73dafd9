// The softphone's live calls as the Phone view and the incoming-call banner show them: the host's snapshots
// (`call.updated`, `call.incoming`), the last ended call with its hangup code and remedy, the error of each call
// action where it happened, the attended transfer in progress, and which call the audio path plays.

import type { AudioSettings, CallSnapshot, DialRequest, DtmfDigit } from '../../../electron/common/index.js';
import { SILENT_CALL_AUDIO, type CallAudio } from '../audio/call-audio.js';
import type { SliceCreator } from './app-store.js';

/** An attended transfer being set up: the original call (held) and the consultation call. */
export interface Consultation {
  readonly originalCallId: string;
  readonly consultationCallId: string;
}

export interface CallsSlice {
  /** Calls not ended, oldest first. */
  readonly liveCalls: readonly CallSnapshot[];
  /** The most recent ended call, shown until the next call or until dismissed. */
  readonly endedCall: CallSnapshot | undefined;
  /** The last failed action per call, in the host's words. */
  readonly callErrors: Readonly<Record<string, string>>;
  readonly audioError: string | undefined;
  readonly transferTarget: string;
  readonly consultation: Consultation | undefined;
  readonly callAudio: CallAudio;
  initCalls(): Promise<void>;
  attachCallAudio(audio: CallAudio): void;
  /** A call the host reported (dialled, ringing in, updated, ended). */
  trackCall(call: CallSnapshot): void;
  answer(callId: string): Promise<void>;
  decline(callId: string): Promise<void>;
  hangup(callId: string): Promise<void>;
  sendDtmf(callId: string, digit: string): Promise<void>;
  toggleHold(callId: string): Promise<void>;
  toggleMute(callId: string): Promise<void>;
  setTransferTarget(target: string): void;
  transferBlind(callId: string): Promise<void>;
  /** Holds `callId` and dials the transfer target as the consultation call. */
  startConsultation(callId: string): Promise<void>;
  completeTransfer(): Promise<void>;
  dismissEndedCall(): void;
  updateAudioSettings(patch: Partial<AudioSettings>): Promise<void>;
}

const DTMF = /^[0-9*#A-D]$/;

/** The call the speaker and microphone belong to: the newest one talking (a held call keeps quiet). */
export function audibleCall(calls: readonly CallSnapshot[]): CallSnapshot | undefined {
  return [...calls].reverse().find((c) => c.state === 'connected' || c.state === 'ringing');
}

export const createCallsSlice: SliceCreator<CallsSlice> = (set, get, api) => {
  const setError = (callId: string, message: string | undefined) => {
    const errors = { ...get().callErrors };
    if (message === undefined) delete errors[callId];
    else errors[callId] = message;
    set({ callErrors: errors });
  };

  /** Runs a call command; its error is shown at that call. Returns the snapshot when there is one. */
  const act = async (callId: string, run: () => ReturnType<typeof api.invoke>): Promise<boolean> => {
    const result = await run();
    if (!result.ok) {
      setError(callId, result.error.message);
      return false;
    }
    setError(callId, undefined);
    const value = result.value as unknown;
    if (isSnapshot(value)) get().trackCall(value);
    return true;
  };

  /** Starts, switches or stops the audio path after the calls changed. */
  const syncAudio = () => {
    const { liveCalls, callAudio, settings } = get();
    const audible = audibleCall(liveCalls);
    if (audible === undefined) {
      if (liveCalls.length === 0) callAudio.stop();
      return;
    }
    if (settings === undefined) return;
    callAudio.start(audible.callId, settings.audio).then(
      () => set({ audioError: undefined }),
      (error: unknown) => set({ audioError: error instanceof Error ? error.message : String(error) }),
    );
  };

  return {
    liveCalls: [],
    endedCall: undefined,
    callErrors: {},
    audioError: undefined,
    transferTarget: '',
    consultation: undefined,
    callAudio: SILENT_CALL_AUDIO,

    async initCalls() {
      api.on('call.updated', (call) => get().trackCall(call));
      api.on('call.incoming', (call) => get().trackCall(call));
      const result = await api.invoke('calls.list');
      if (result.ok) for (const call of result.value) get().trackCall(call);
    },

    attachCallAudio(audio) {
      set({ callAudio: audio });
    },

    trackCall(call) {
      const others = get().liveCalls.filter((c) => c.callId !== call.callId);
      if (call.state === 'ended') {
        const consultation = get().consultation;
        const involved =
          consultation !== undefined &&
          (consultation.originalCallId === call.callId || consultation.consultationCallId === call.callId);
        set({
          liveCalls: others,
          endedCall: call,
          ...(involved ? { consultation: undefined } : {}),
        });
      } else {
        const index = get().liveCalls.findIndex((c) => c.callId === call.callId);
        const liveCalls =
          index < 0 ? [...others, call] : get().liveCalls.map((c) => (c.callId === call.callId ? call : c));
        set({ liveCalls });
      }
      syncAudio();
    },

    async answer(callId) {
      get().callAudio.prime();
      await act(callId, () => api.invoke('calls.answer', { callId }));
    },

    async decline(callId) {
      await act(callId, () => api.invoke('calls.decline', { callId }));
    },

    async hangup(callId) {
      await act(callId, () => api.invoke('calls.hangup', { callId }));
    },

    async sendDtmf(callId, digit) {
      const key = digit.toUpperCase();
      if (!DTMF.test(key)) return;
      await act(callId, () => api.invoke('calls.sendDtmf', { callId, digits: [key as DtmfDigit] }));
    },

    async toggleHold(callId) {
      const call = get().liveCalls.find((c) => c.callId === callId);
      if (call === undefined) return;
      await act(callId, () =>
        api.invoke(call.state === 'on-hold' ? 'calls.resume' : 'calls.hold', { callId }),
      );
    },

    async toggleMute(callId) {
      const call = get().liveCalls.find((c) => c.callId === callId);
      if (call === undefined) return;
      await act(callId, () => api.invoke('calls.mute', { callId, muted: !call.muted }));
    },

    setTransferTarget(target) {
      set({ transferTarget: target });
    },

    async transferBlind(callId) {
      const target = get().transferTarget.trim();
      if (target === '') return setError(callId, 'Type the number to transfer the call to.');
      await act(callId, () => api.invoke('calls.transferBlind', { callId, target }));
    },

    async startConsultation(callId) {
      const target = get().transferTarget.trim();
      const call = get().liveCalls.find((c) => c.callId === callId);
      if (call === undefined) return;
      if (target === '') return setError(callId, 'Type the number to consult before transferring.');
      if (call.state !== 'on-hold' && !(await act(callId, () => api.invoke('calls.hold', { callId }))))
        return;
      const request: DialRequest = {
        profileId: call.profileId,
        destination: target,
        ...(call.callerId !== undefined ? { callerId: call.callerId } : {}),
      };
      const dialled = await api.invoke('calls.dial', request);
      if (!dialled.ok) return setError(callId, dialled.error.message);
      get().trackCall(dialled.value);
      set({ consultation: { originalCallId: callId, consultationCallId: dialled.value.callId } });
    },

    async completeTransfer() {
      const consultation = get().consultation;
      if (consultation === undefined) return;
      const { originalCallId, consultationCallId } = consultation;
      await act(originalCallId, () =>
        api.invoke('calls.transferAttended', { callId: originalCallId, consultationCallId }),
      );
    },

    dismissEndedCall() {
      set({ endedCall: undefined });
    },

    async updateAudioSettings(patch) {
      const result = await api.invoke('settings.update', { audio: patch });
      if (!result.ok) return get().addNotice('error', result.error.message);
      set({ settings: result.value });
      await get()
        .callAudio.applySettings(result.value.audio)
        .catch((error: unknown) =>
          set({ audioError: error instanceof Error ? error.message : String(error) }),
        );
    },
  };
};

function isSnapshot(value: unknown): value is CallSnapshot {
  return typeof value === 'object' && value !== null && 'callId' in value && 'state' in value;
}
