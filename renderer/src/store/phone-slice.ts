// The Phone view's state: the number being typed, the caller ID, and what the host says about both (the E.164
// hint and the pre-dial warnings). Only the newest answer is kept: a slow answer for "+4" must not overwrite
// the answer for "+44 20…".

import type { ApiError, DialRequest, PreDialCheck } from '../../../electron/common/index.js';
import type { AppState, SliceCreator } from './app-store.js';

/** What the number field, the caller-ID picker and the selected profile ask for; undefined before settings load. */
function dialRequestOf(state: AppState): DialRequest | undefined {
  const { settings, number } = state;
  if (settings === undefined) return undefined;
  const profile = settings.profiles.find((p) => p.id === settings.selectedProfileId);
  const callerId = state.callerId ?? profile?.callerIds[0];
  return {
    profileId: settings.selectedProfileId,
    destination: number,
    ...(callerId !== undefined ? { callerId } : {}),
  };
}

export interface PhoneSlice {
  readonly number: string;
  readonly callerId: string | undefined;
  readonly preDial: PreDialCheck | undefined;
  readonly dialError: ApiError | undefined;
  readonly predictSequence: number;
  setNumber(number: string): Promise<void>;
  pressKey(key: string): Promise<void>;
  backspace(): Promise<void>;
  setCallerId(callerId: string): Promise<void>;
  refreshPreDial(): Promise<void>;
  dial(): Promise<void>;
}

export const createPhoneSlice: SliceCreator<PhoneSlice> = (set, get, api) => ({
  number: '',
  callerId: undefined,
  preDial: undefined,
  dialError: undefined,
  predictSequence: 0,

  async setNumber(number) {
    set({ number, dialError: undefined });
    await get().refreshPreDial();
  },

  async pressKey(key) {
    await get().setNumber(get().number + key);
  },

  async backspace() {
    await get().setNumber(get().number.slice(0, -1));
  },

  async setCallerId(callerId) {
    set({ callerId });
    await get().refreshPreDial();
  },

  async refreshPreDial() {
    const request = dialRequestOf(get());
    if (request === undefined) return;
    const sequence = get().predictSequence + 1;
    set({ predictSequence: sequence });
    const result = await api.invoke('calls.predict', request);
    if (get().predictSequence !== sequence) return;
    if (result.ok) set({ preDial: result.value });
    else get().addNotice('error', result.error.message);
  },

  async dial() {
    const request = dialRequestOf(get());
    if (request === undefined || request.destination.trim() === '') return;
    get().callAudio.prime();
    const result = await api.invoke('calls.dial', request);
    set({ dialError: result.ok ? undefined : result.error });
    if (result.ok) {
      set({ endedCall: undefined });
      get().trackCall(result.value);
    }
  },
});
