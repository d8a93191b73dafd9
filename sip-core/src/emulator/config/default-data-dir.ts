// Where the emulator keeps its database and certificates when neither the config file nor `--data` says: the
// platform's per-user application data folder, the same one the desktop app uses, so the CLI and the app see
// the same CDRs.

import { homedir } from 'node:os';
import { join, win32 } from 'node:path';

export interface PlatformFacts {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
}

export function currentPlatform(): PlatformFacts {
  return { platform: process.platform, env: process.env, homeDir: homedir() };
}

/** `%APPDATA%\Trunkline`, `~/Library/Application Support/Trunkline`, or `$XDG_DATA_HOME/trunkline`. */
export function defaultDataDir(facts: PlatformFacts = currentPlatform()): string {
  const { platform, env, homeDir } = facts;
  if (platform === 'win32')
    return win32.join(env['APPDATA'] ?? win32.join(homeDir, 'AppData', 'Roaming'), 'Trunkline');
  if (platform === 'darwin') return join(homeDir, 'Library', 'Application Support', 'Trunkline');
  const xdg = env['XDG_DATA_HOME'];
  return join(xdg !== undefined && xdg.startsWith('/') ? xdg : join(homeDir, '.local', 'share'), 'trunkline');
}
