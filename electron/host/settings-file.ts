// Settings on disk: `settings.json` in the data folder, written atomically (store's `atomicWriteJson`: temp file,
// fsync, rename, previous good file kept as `.bak`) and validated on every read. A corrupt or invalid file never
// stops the app: the backup is used when it is good, else the defaults, the bad file is set aside for the user,
// and the caller gets a `SettingsRecovery` to show (docs/adr/0134-settings-recover-to-defaults.md).

import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { JsonFileError, atomicWriteJson, readJsonFile } from '../../sip-core/src/index.js';
import type { Settings, SettingsRecovery } from '../common/index.js';
import { defaultSettings, emulatorProfile, EMULATOR_PROFILE_ID } from './default-settings.js';
import { settingsSchema } from './settings-schema.js';

export const SETTINGS_FILE_NAME = 'settings.json';

export interface LoadedSettings {
  readonly settings: Settings;
  readonly recovery?: SettingsRecovery;
}

export function settingsPath(dataDir: string): string {
  return join(dataDir, SETTINGS_FILE_NAME);
}

/** Reads the settings; never throws for a bad file (see the file comment). Throws only when the folder is unreadable. */
export function loadSettings(dataDir: string, nowMs: number = Date.now()): LoadedSettings {
  const path = settingsPath(dataDir);
  try {
    const read = readJsonFile(path, (json) => withEmulatorProfile(settingsSchema.parse(json)));
    if (read === undefined) return { settings: defaultSettings() };
    if (read.source === 'backup') {
      const aside = setAside(path, nowMs);
      return {
        settings: read.value,
        recovery: {
          kind: 'backup',
          file: aside,
          message: `The settings file could not be read (${read.problem?.message ?? 'unknown problem'}); the previous copy (${path}.bak) is in use. The unreadable file was kept as ${aside}.`,
        },
      };
    }
    return { settings: read.value };
  } catch (error) {
    if (!(error instanceof JsonFileError) || error.code === 'JSON_FILE_IO') throw error;
    const aside = setAside(path, nowMs);
    return {
      settings: defaultSettings(),
      recovery: {
        kind: error.code === 'JSON_FILE_CORRUPT' ? 'corrupt' : 'invalid',
        file: aside,
        message: `The settings file ${path} could not be used (${error.message}); Trunkline started with default settings and kept the old file as ${aside}.`,
      },
    };
  }
}

export function saveSettings(dataDir: string, settings: Settings): void {
  atomicWriteJson(settingsPath(dataDir), settingsSchema.parse(settings));
}

/**
 * The emulator's profile is always present and always current: it is rebuilt from the demo account on every
 * read, so an old file cannot pin stale emulator details, and the selection falls back to it when the selected
 * profile is gone.
 */
function withEmulatorProfile(settings: Settings): Settings {
  const others = settings.profiles.filter((p) => p.kind !== 'emulator');
  const profiles = [emulatorProfile(), ...others];
  const selected = profiles.some((p) => p.id === settings.selectedProfileId)
    ? settings.selectedProfileId
    : EMULATOR_PROFILE_ID;
  return { ...settings, profiles, selectedProfileId: selected };
}

function setAside(path: string, nowMs: number): string {
  const aside = `${path}.unusable-${new Date(nowMs).toISOString().replace(/[:.]/g, '-')}`;
  try {
    renameSync(path, aside);
    return aside;
  } catch {
    // Already gone (the backup was read after a rename) or not ours to move: the next save replaces it.
    return path;
  }
}
