// The diagnosis panel: the stored call being diagnosed, its diagnosis from the host, and the ladder arrow whose
// full message is shown.

import type { ApiError, CallDiagnosis } from '../../../electron/common/index.js';
import type { SliceCreator } from './app-store.js';

export interface DiagnosisSlice {
  readonly diagnosisCallUuid: string | undefined;
  readonly diagnosis: CallDiagnosis | undefined;
  readonly diagnosisError: ApiError | undefined;
  readonly selectedArrow: number | undefined;
  openDiagnosis(callUuid: string): Promise<void>;
  closeDiagnosis(): void;
  selectArrow(index: number | undefined): void;
}

export const createDiagnosisSlice: SliceCreator<DiagnosisSlice> = (set, get, api) => ({
  diagnosisCallUuid: undefined,
  diagnosis: undefined,
  diagnosisError: undefined,
  selectedArrow: undefined,

  async openDiagnosis(callUuid) {
    set({
      diagnosisCallUuid: callUuid,
      diagnosis: undefined,
      diagnosisError: undefined,
      selectedArrow: undefined,
    });
    const result = await api.invoke('diagnosis.get', { callUuid });
    if (get().diagnosisCallUuid !== callUuid) return;
    set(result.ok ? { diagnosis: result.value } : { diagnosisError: result.error });
  },

  closeDiagnosis() {
    set({
      diagnosisCallUuid: undefined,
      diagnosis: undefined,
      diagnosisError: undefined,
      selectedArrow: undefined,
    });
  },

  selectArrow(index) {
    set({ selectedArrow: index });
  },
});
