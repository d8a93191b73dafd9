// Opens the system browser on the printed URL, only where a person can see it: a desktop session on Linux
// (DISPLAY or WAYLAND_DISPLAY), macOS, Windows. On a headless box the URL is printed and that is all.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export type BrowserOpening =
  { readonly opened: true; readonly command: string } | { readonly opened: false; readonly reason: string };

export function browserCommand(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  exists: (path: string) => boolean = existsSync,
): { command: string; args: (url: string) => string[] } | { reason: string } {
  if (platform === 'darwin') return { command: 'open', args: (url) => [url] };
  if (platform === 'win32') return { command: 'cmd', args: (url) => ['/c', 'start', '""', url] };
  if (!env['DISPLAY'] && !env['WAYLAND_DISPLAY'])
    return { reason: 'no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  const xdgOpen = ['/usr/bin/xdg-open', '/usr/local/bin/xdg-open'].find(exists);
  if (xdgOpen === undefined) return { reason: 'xdg-open is not installed' };
  return { command: xdgOpen, args: (url) => [url] };
}

export function openBrowser(url: string): BrowserOpening {
  const found = browserCommand(process.platform, process.env);
  if ('reason' in found) return { opened: false, reason: found.reason };
  try {
    const child = spawn(found.command, found.args(url), { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
    return { opened: true, command: found.command };
  } catch (error) {
    return { opened: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
