// The Emulator view's state: the embedded emulator's status, the account it serves, its live calls and its event
// log, kept current from the host's `emulator.status` and `emulator.event` pushes. A CDR the emulator writes
// (`history.recorded`) also reloads the Calls view's page, so the call is in History when the user looks.

import type {
  ApiError,
  EmulatorAccountDocument,
  EmulatorEvent,
  EmulatorLiveCall,
  EmulatorStatus,
} from '../../../electron/common/index.js';
import type { SliceCreator } from './app-store.js';

/** The event log keeps the most recent ones; the CDRs and SIP traces in History keep everything. */
export const EMULATOR_LOG_SIZE = 200;

export interface EmulatorSlice {
  readonly emulatorStatus: EmulatorStatus | undefined;
  readonly emulatorAccount: EmulatorAccountDocument | undefined;
  readonly emulatorLiveCalls: readonly EmulatorLiveCall[];
  readonly emulatorEvents: readonly EmulatorEvent[];
  readonly emulatorError: ApiError | undefined;
  readonly emulatorCa: { readonly pem: string; readonly fileName: string } | undefined;
  initEmulator(): Promise<void>;
  refreshEmulator(): Promise<void>;
  startEmulator(): Promise<void>;
  stopEmulator(): Promise<void>;
  exportEmulatorCa(): Promise<void>;
  /** Persists whether the host starts the emulator when the app opens. */
  setEmulatorStartsOnOpen(startsOnOpen: boolean): Promise<void>;
}

export const createEmulatorSlice: SliceCreator<EmulatorSlice> = (set, get, api) => {
  const loadLiveCalls = async () => {
    const calls = await api.invoke('emulator.liveCalls');
    if (calls.ok) set({ emulatorLiveCalls: calls.value });
  };
  return {
    emulatorStatus: undefined,
    emulatorAccount: undefined,
    emulatorLiveCalls: [],
    emulatorEvents: [],
    emulatorError: undefined,
    emulatorCa: undefined,

    async initEmulator() {
      api.on('emulator.status', (status) => {
        set({ emulatorStatus: status });
        if (status.state === 'running' && get().emulatorAccount === undefined) void get().refreshEmulator();
        if (status.state !== 'running') set({ emulatorLiveCalls: [] });
      });
      api.on('emulator.event', (event) => {
        set({ emulatorEvents: [...get().emulatorEvents, event].slice(-EMULATOR_LOG_SIZE) });
        if (event.kind === 'call_state') void loadLiveCalls();
      });
      api.on('history.recorded', () => void get().loadHistory(get().historyPage?.offset ?? 0));
      await get().refreshEmulator();
    },

    async refreshEmulator() {
      const [status, events] = await Promise.all([
        api.invoke('emulator.status'),
        api.invoke('emulator.recentEvents', { limit: EMULATOR_LOG_SIZE }),
      ]);
      if (!status.ok) return set({ emulatorError: status.error });
      set({ emulatorStatus: status.value, emulatorError: undefined });
      if (events.ok) set({ emulatorEvents: events.value });
      if (status.value.state !== 'running') return;
      const account = await api.invoke('emulator.getAccount');
      if (account.ok) set({ emulatorAccount: account.value });
      await loadLiveCalls();
    },

    async startEmulator() {
      const result = await api.invoke('emulator.start');
      set(result.ok ? { emulatorStatus: result.value } : { emulatorError: result.error });
      if (result.ok) await get().refreshEmulator();
    },

    async stopEmulator() {
      const result = await api.invoke('emulator.stop');
      set(
        result.ok ? { emulatorStatus: result.value, emulatorLiveCalls: [] } : { emulatorError: result.error },
      );
    },

    async setEmulatorStartsOnOpen(startsOnOpen) {
      const result = await api.invoke('settings.update', { emulatorStartsOnOpen: startsOnOpen });
      set(result.ok ? { settings: result.value } : { emulatorError: result.error });
    },

    async exportEmulatorCa() {
      const result = await api.invoke('emulator.exportCa');
      set(result.ok ? { emulatorCa: result.value } : { emulatorError: result.error });
    },
  };
};
