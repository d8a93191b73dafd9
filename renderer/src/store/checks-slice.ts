// The Checks view's state: the registry for the chosen profile, the selection and test number, the live run
// (folded from host events by check-run-progress.ts), the stored runs and the one opened from history, and the
// last report export. A run survives navigating away: the events land here, not in the view.

import type {
  ApiError,
  CheckDescription,
  CheckReportFormat,
  CheckRunView,
  CsvExport,
} from '../../../electron/common/index.js';
import type { SliceCreator } from './app-store.js';
import {
  compactNumber,
  reduceCheckRun,
  testNumberProblem,
  type CheckRunAction,
  type LiveCheckRun,
} from './check-run-progress.js';

export const CHECK_RUNS_PAGE = 50;

export interface ChecksSlice {
  readonly checksCatalog: readonly CheckDescription[] | undefined;
  /** The profile the catalog was listed for (applicability depends on it). */
  readonly checksCatalogFor: string | undefined;
  /** The profile the checks run against (default: the selected one). */
  readonly checksProfileId: string | undefined;
  /** Checks the user turned off; the others run (dependencies are pulled in by the host). */
  readonly checksDeselected: readonly string[];
  readonly checksTestNumber: string;
  readonly checksRun: LiveCheckRun | undefined;
  readonly checksRuns: readonly CheckRunView[];
  /** A stored run opened from history; shown instead of the live one until closed. */
  readonly checksOpenedRun: CheckRunView | undefined;
  /** The check whose detail is expanded. */
  readonly checksExpanded: string | undefined;
  readonly checksError: ApiError | undefined;
  readonly checksExport: (CsvExport & { readonly format: CheckReportFormat }) | undefined;
  initChecks(): Promise<void>;
  /** After a reconnect: the run in progress (or how the one shown ended) and the stored runs. */
  refreshChecks(): Promise<void>;
  /** Lists the registry for a profile when the one shown was listed for another. */
  loadChecksCatalog(profileId: string): Promise<void>;
  setChecksProfile(profileId: string): Promise<void>;
  toggleCheck(checkId: string): void;
  setAllChecks(on: boolean): void;
  setChecksTestNumber(text: string): void;
  runChecks(): Promise<void>;
  cancelChecks(): Promise<void>;
  loadCheckRuns(): Promise<void>;
  openCheckRun(runId: string): Promise<void>;
  closeCheckRun(): void;
  expandCheck(checkId: string | undefined): void;
  /** The export as the shell delivered it (the view starts a browser download). */
  exportCheckReport(format: CheckReportFormat): Promise<CsvExport | undefined>;
}

export const createChecksSlice: SliceCreator<ChecksSlice> = (set, get, api) => {
  const dispatch = (action: CheckRunAction) => set({ checksRun: reduceCheckRun(get().checksRun, action) });
  const loadCatalog = async (profileId = get().checksProfileId ?? get().settings?.selectedProfileId) => {
    const result = await api.invoke('checks.list', profileId === undefined ? {} : { profileId });
    set(
      result.ok
        ? { checksCatalog: result.value, checksCatalogFor: profileId }
        : { checksError: result.error },
    );
  };
  return {
    checksCatalog: undefined,
    checksCatalogFor: undefined,
    checksProfileId: undefined,
    checksDeselected: [],
    checksTestNumber: '',
    checksRun: undefined,
    checksRuns: [],
    checksOpenedRun: undefined,
    checksExpanded: undefined,
    checksError: undefined,
    checksExport: undefined,

    async initChecks() {
      api.on('checks.started', (event) => {
        dispatch({ type: 'started', event });
        set({ checksOpenedRun: undefined, checksExpanded: undefined, checksExport: undefined });
      });
      api.on('checks.progress', (event) => dispatch({ type: 'progress', event }));
      api.on('checks.finished', (run) => {
        dispatch({ type: 'finished', run });
        void get().loadCheckRuns();
      });
      await Promise.all([loadCatalog(), get().refreshChecks()]);
    },

    async refreshChecks() {
      const active = await api.invoke('checks.active');
      const shown = get().checksRun;
      if (active.ok && active.value !== null) {
        if (shown?.runId !== active.value.runId) dispatch({ type: 'resumed', run: active.value });
      } else if (active.ok && shown !== undefined && shown.finished === undefined) {
        // The run ended while this window was not listening: show how it ended.
        const run = await api.invoke('checks.getRun', { runId: shown.runId });
        if (run.ok) dispatch({ type: 'finished', run: run.value });
      }
      await get().loadCheckRuns();
    },

    async loadChecksCatalog(profileId) {
      if (get().checksCatalogFor === profileId) return;
      await loadCatalog(profileId);
    },

    async setChecksProfile(profileId) {
      set({ checksProfileId: profileId, checksDeselected: [], checksError: undefined });
      await loadCatalog();
    },

    toggleCheck(checkId) {
      const off = get().checksDeselected;
      set({
        checksDeselected: off.includes(checkId) ? off.filter((id) => id !== checkId) : [...off, checkId],
      });
    },

    setAllChecks(on) {
      set({ checksDeselected: on ? [] : (get().checksCatalog ?? []).map((c) => c.id) });
    },

    setChecksTestNumber(text) {
      set({ checksTestNumber: text });
    },

    async runChecks() {
      const state = get();
      const profileId = state.checksProfileId ?? state.settings?.selectedProfileId;
      if (profileId === undefined || testNumberProblem(state.checksTestNumber) !== undefined) return;
      const catalog = state.checksCatalog ?? [];
      const chosen = catalog.filter((c) => c.applicable && !state.checksDeselected.includes(c.id));
      if (chosen.length === 0) return;
      const testNumber = compactNumber(state.checksTestNumber);
      set({ checksError: undefined, checksOpenedRun: undefined, checksExport: undefined });
      const result = await api.invoke('checks.run', {
        profileId,
        // All applicable checks: say nothing, so that checks added to the registry later run too.
        ...(chosen.length === catalog.filter((c) => c.applicable).length
          ? {}
          : { checks: chosen.map((c) => c.id) }),
        ...(testNumber !== '' ? { testNumber } : {}),
      });
      if (!result.ok) set({ checksError: result.error });
    },

    async cancelChecks() {
      const run = get().checksRun;
      if (run === undefined || run.finished !== undefined) return;
      dispatch({ type: 'cancelling', runId: run.runId });
      const result = await api.invoke('checks.cancel', { runId: run.runId });
      if (!result.ok) set({ checksError: result.error });
    },

    async loadCheckRuns() {
      const result = await api.invoke('checks.runs', { limit: CHECK_RUNS_PAGE });
      set(result.ok ? { checksRuns: result.value } : { checksError: result.error });
    },

    async openCheckRun(runId) {
      const result = await api.invoke('checks.getRun', { runId });
      set(
        result.ok
          ? { checksOpenedRun: result.value, checksExpanded: undefined, checksExport: undefined }
          : { checksError: result.error },
      );
    },

    closeCheckRun() {
      set({ checksOpenedRun: undefined, checksExpanded: undefined, checksExport: undefined });
    },

    expandCheck(checkId) {
      set({ checksExpanded: checkId });
    },

    async exportCheckReport(format) {
      const state = get();
      const runId = state.checksOpenedRun?.runId ?? state.checksRun?.finished?.runId;
      if (runId === undefined) return undefined;
      const result = await api.invoke('checks.exportReport', { runId, format });
      if (!result.ok) {
        set({ checksError: result.error });
        return undefined;
      }
      set({ checksExport: { ...result.value, format } });
      return result.value;
    },
  };
};
