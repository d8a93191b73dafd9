// The user's settings as the UI sees them. The host keeps them in `settings.json` in the data folder (atomic
// write, validated on read); SIP passwords are never part of them (see profiles.ts, `hasPassword`).

import type { TrunkProfile } from './profiles.js';

export type ThemePreference = 'system' | 'light' | 'dark';

export interface AudioSettings {
  /** getUserMedia constraints; both on by default (a softphone without them echoes on laptop speakers). */
  readonly echoCancellation: boolean;
  readonly noiseSuppression: boolean;
  /** getUserMedia `autoGainControl`; absent means on (the browser's default). */
  readonly autoGainControl?: boolean;
  /** `MediaDeviceInfo.deviceId`; undefined: the system default. */
  readonly inputDeviceId?: string;
  readonly outputDeviceId?: string;
}

export interface HistorySettings {
  /** Keep at most this many calls (undefined: no limit). */
  readonly maxCalls?: number;
  /** Delete calls older than this many days (undefined: keep). */
  readonly maxAgeDays?: number;
}

export interface Settings {
  readonly version: 1;
  readonly theme: ThemePreference;
  /** The profile the Phone view dials with. */
  readonly selectedProfileId: string;
  readonly profiles: readonly TrunkProfile[];
  readonly audio: AudioSettings;
  readonly history: HistorySettings;
  /** Keyboard shortcuts for dialling, DTMF and hang-up (on by default). */
  readonly shortcutsEnabled: boolean;
  /** Whether the host starts the embedded emulator when it opens; absent means yes (issue 6's default). */
  readonly emulatorStartsOnOpen?: boolean;
  /**
   * The most disk the softphone's local call captures (audio + PCAP) may use, in MiB; the oldest are deleted first.
   * Absent: 200 MiB (the host's `DEFAULT_MAX_TOTAL_BYTES`).
   */
  readonly captureMaxTotalMb?: number;
}

/** What `settings.update` accepts: any top-level field except the profiles (they have their own commands). */
export type SettingsPatch = Partial<
  Pick<
    Settings,
    'theme' | 'selectedProfileId' | 'shortcutsEnabled' | 'emulatorStartsOnOpen' | 'captureMaxTotalMb'
  >
> & {
  readonly audio?: Partial<AudioSettings>;
  readonly history?: HistorySettings;
};

/** Why the settings in effect are not the ones on disk. */
export interface SettingsRecovery {
  /** `corrupt`: unreadable JSON; `invalid`: readable but not valid; `backup`: read from `settings.json.bak`. */
  readonly kind: 'corrupt' | 'invalid' | 'backup';
  /** The file that was set aside or not used. */
  readonly file: string;
  /** What happened and what Trunkline did, for the user. */
  readonly message: string;
}
