// The Phone view's state: the number being typed, the caller ID, and what the host says about both (the E.164
// hint and the pre-dial warnings). Only the newest answer is kept: a slow answer for "+4" must not overwrite
// the answer for "+44 20…".

import type { ApiError, PreDialCheck } from '../../../electron/common/index.js';
import type { SliceCreator } from './app-store.js';

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
    const { settings, number } = get();
    if (settings === undefined) return;
    const sequence = get().predictSequence + 1;
    set({ predictSequence: sequence });
    const profile = settings.profiles.find((p) => p.id === settings.selectedProfileId);
    const callerId = get().callerId ?? profile?.callerIds[0];
    const result = await api.invoke('calls.predict', {
      profileId: settings.selectedProfileId,
      destination: number,
      ...(callerId !== undefined ? { callerId } : {}),
    });
    if (get().predictSequence !== sequence) return;
    if (result.ok) set({ preDial: result.value });
    else get().addNotice('error', result.error.message);
  },

  async dial() {
    const { settings, number } = get();
    if (settings === undefined || number.trim() === '') return;
    const profile = settings.profiles.find((p) => p.id === settings.selectedProfileId);
    const callerId = get().callerId ?? profile?.callerIds[0];
    const result = await api.invoke('calls.dial', {
      profileId: settings.selectedProfileId,
      destination: number,
      ...(callerId !== undefined ? { callerId } : {}),
    });
    set({ dialError: result.ok ? undefined : result.error });
  },
});
