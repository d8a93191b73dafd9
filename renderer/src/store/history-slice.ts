// The Calls view's list: the filter, the current page from the store, and CSV export.

import type { ApiError, CsvExport, HistoryFilter, HistoryPage } from '../../../electron/common/index.js';
import type { SliceCreator } from './app-store.js';

export const HISTORY_PAGE_SIZE = 50;

export interface HistorySlice {
  readonly historyFilter: HistoryFilter;
  readonly historyPage: HistoryPage | undefined;
  readonly historyLoading: boolean;
  readonly historyError: ApiError | undefined;
  readonly lastExport: CsvExport | undefined;
  loadHistory(offset?: number): Promise<void>;
  setHistoryFilter(filter: HistoryFilter): Promise<void>;
  exportHistoryCsv(): Promise<CsvExport | undefined>;
}

export const createHistorySlice: SliceCreator<HistorySlice> = (set, get, api) => ({
  historyFilter: {},
  historyPage: undefined,
  historyLoading: false,
  historyError: undefined,
  lastExport: undefined,

  async loadHistory(offset = 0) {
    set({ historyLoading: true });
    const result = await api.invoke('history.list', {
      filter: get().historyFilter,
      limit: HISTORY_PAGE_SIZE,
      offset,
    });
    set(
      result.ok
        ? { historyPage: result.value, historyError: undefined, historyLoading: false }
        : { historyError: result.error, historyLoading: false },
    );
  },

  async setHistoryFilter(filter) {
    set({ historyFilter: filter });
    await get().loadHistory(0);
  },

  async exportHistoryCsv() {
    const result = await api.invoke('history.exportCsv', { filter: get().historyFilter });
    if (!result.ok) {
      set({ historyError: result.error });
      return undefined;
    }
    set({ lastExport: result.value });
    return result.value;
  },
});
