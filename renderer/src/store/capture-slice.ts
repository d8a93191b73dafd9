// The local capture shown under the diagnosis: its view from the host (audio, DTMF markers, or an empty state),
// deleting it, and exporting the call's PCAP through the shell (a download link, or a saved file in Electron).

import type { ApiError, CallCaptureView, CsvExport } from '../../../electron/common/index.js';
import type { SliceCreator } from './app-store.js';

export interface CaptureSlice {
  readonly capture: CallCaptureView | undefined;
  readonly captureError: ApiError | undefined;
  loadCapture(callUuid: string): Promise<void>;
  deleteCapture(callUuid: string): Promise<void>;
  exportPcap(callUuid: string): Promise<CsvExport | undefined>;
}

export const createCaptureSlice: SliceCreator<CaptureSlice> = (set, get, api) => ({
  capture: undefined,
  captureError: undefined,

  async loadCapture(callUuid) {
    set({ capture: undefined, captureError: undefined });
    const result = await api.invoke('diagnosis.getCapture', { callUuid });
    // The user may have opened another call meanwhile.
    if (get().diagnosisCallUuid !== callUuid) return;
    set(result.ok ? { capture: result.value } : { captureError: result.error });
  },

  async deleteCapture(callUuid) {
    const result = await api.invoke('diagnosis.deleteCapture', { callUuid });
    if (get().diagnosisCallUuid !== callUuid) return;
    set(result.ok ? { capture: result.value, captureError: undefined } : { captureError: result.error });
  },

  async exportPcap(callUuid) {
    const result = await api.invoke('diagnosis.exportPcap', { callUuid });
    if (!result.ok) {
      set({ captureError: result.error });
      return undefined;
    }
    return result.value;
  },
});
