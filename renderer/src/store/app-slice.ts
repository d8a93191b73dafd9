// The app frame's state: which view is open, the host's info and settings, the resolved theme, and notices the
// host pushed (a recovered settings file, a database set aside).

import type { ApiError, AppInfo, Settings, ThemePreference } from '../../../electron/common/index.js';
import type { SliceCreator } from './app-store.js';

export const VIEWS = ['phone', 'profiles', 'emulator', 'calls', 'checks'] as const;
export type ViewName = (typeof VIEWS)[number];

export interface Notice {
  readonly id: number;
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
}

/** The link to the host: always `open` in Electron; browser mode's WebSocket can drop and reconnect. */
export type HostConnection = 'connecting' | 'open' | 'lost' | 'incompatible';

export interface AppSlice {
  readonly view: ViewName;
  readonly connection: HostConnection;
  readonly info: AppInfo | undefined;
  readonly settings: Settings | undefined;
  readonly startupError: ApiError | undefined;
  readonly notices: readonly Notice[];
  readonly systemPrefersDark: boolean;
  init(): Promise<void>;
  /** Reads the host's info and settings again (after a reconnect). */
  refresh(): Promise<void>;
  setConnection(connection: HostConnection): void;
  navigate(view: ViewName): void;
  setThemePreference(theme: ThemePreference): Promise<void>;
  selectProfile(profileId: string): Promise<void>;
  addNotice(level: Notice['level'], message: string): void;
  dismissNotice(id: number): void;
  setSystemPrefersDark(dark: boolean): void;
}

let nextNoticeId = 1;

export const createAppSlice: SliceCreator<AppSlice> = (set, get, api) => ({
  view: 'phone',
  connection: 'open',
  info: undefined,
  settings: undefined,
  startupError: undefined,
  notices: [],
  systemPrefersDark: false,

  async init() {
    api.on('settings.changed', (settings) => set({ settings }));
    api.on('settings.recovered', (recovery) => get().addNotice('warning', recovery.message));
    api.on('host.notice', (notice) => get().addNotice(notice.level, notice.message));
    await Promise.all([get().refresh(), get().initEmulator(), get().initChecks(), get().initCalls()]);
  },

  async refresh() {
    const [info, settings] = await Promise.all([api.invoke('app.info'), api.invoke('settings.get')]);
    if (!info.ok) return set({ startupError: info.error });
    if (!settings.ok) return set({ startupError: settings.error });
    set({ info: info.value, settings: settings.value });
    await get().refreshPreDial();
  },

  setConnection(connection) {
    const was = get().connection;
    set({ connection });
    if (was === 'lost' && connection === 'open') {
      void get().refresh();
      void get().refreshEmulator();
      void get().refreshChecks();
    }
  },

  navigate(view) {
    set({ view });
  },

  async setThemePreference(theme) {
    const result = await api.invoke('settings.update', { theme });
    if (result.ok) set({ settings: result.value });
    else get().addNotice('error', result.error.message);
  },

  async selectProfile(profileId) {
    const result = await api.invoke('settings.update', { selectedProfileId: profileId });
    if (!result.ok) return get().addNotice('error', result.error.message);
    set({ settings: result.value, callerId: undefined });
    await get().refreshPreDial();
  },

  addNotice(level, message) {
    set({ notices: [...get().notices, { id: nextNoticeId++, level, message }] });
  },

  dismissNotice(id) {
    set({ notices: get().notices.filter((n) => n.id !== id) });
  },

  setSystemPrefersDark(dark) {
    set({ systemPrefersDark: dark });
  },
});
