// One bound zustand store built from slices (zustand docs, "slices pattern"); components read it only through
// the selectors in selectors.ts. The store is created per PhoneApi, so a component test hands it a fake API.

import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PhoneApi } from '../../../electron/common/index.js';
import { createAccountEditorSlice, type AccountEditorSlice } from './account-editor-slice.js';
import { createAppSlice, type AppSlice } from './app-slice.js';
import { createCallsSlice, type CallsSlice } from './calls-slice.js';
import { createChecksSlice, type ChecksSlice } from './checks-slice.js';
import { createCaptureSlice, type CaptureSlice } from './capture-slice.js';
import { createDiagnosisSlice, type DiagnosisSlice } from './diagnosis-slice.js';
import { createEmulatorSlice, type EmulatorSlice } from './emulator-slice.js';
import { createHistorySlice, type HistorySlice } from './history-slice.js';
import { createPhoneSlice, type PhoneSlice } from './phone-slice.js';
import { createProfilesSlice, type ProfilesSlice } from './profiles-slice.js';

export type AppState = AppSlice &
  PhoneSlice &
  ProfilesSlice &
  HistorySlice &
  DiagnosisSlice &
  EmulatorSlice &
  ChecksSlice &
  AccountEditorSlice &
  CallsSlice &
  CaptureSlice;
export type AppStore = StoreApi<AppState>;
export type SliceCreator<S> = (
  set: StoreApi<AppState>['setState'],
  get: StoreApi<AppState>['getState'],
  api: PhoneApi,
) => S;

export function createAppStore(api: PhoneApi): AppStore {
  return createStore<AppState>()((set, get) => ({
    ...createAppSlice(set, get, api),
    ...createPhoneSlice(set, get, api),
    ...createProfilesSlice(set, get, api),
    ...createHistorySlice(set, get, api),
    ...createDiagnosisSlice(set, get, api),
    ...createEmulatorSlice(set, get, api),
    ...createChecksSlice(set, get, api),
    ...createAccountEditorSlice(set, get, api),
    ...createCallsSlice(set, get, api),
    ...createCaptureSlice(set, get, api),
  }));
}
