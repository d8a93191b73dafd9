// The Electron shell itself (`_electron.launch`). It needs Electron's binary, which this project never downloads
// at install time (docs/adr/0131-electron-binary-optional.md): where the binary exists and a display is present
// the spec runs; elsewhere it is skipped with the reason.

import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { _electron as electron } from 'playwright-core';
import { REPO_ROOT } from './support/app-fixture.js';

function electronBinary(): { path: string } | { reason: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    if (typeof path === 'string' && existsSync(path)) {
      if (!process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'])
        return { reason: 'no display for the window' };
      return { path };
    }
    return { reason: 'the electron package names no binary' };
  } catch (error) {
    return {
      reason: `no Electron binary: its download is not allowed at install time (${(error as Error).message.split('\n')[0]})`,
    };
  }
}

const binary = electronBinary();

describe('Electron shell', () => {
  it.skipIf('reason' in binary)(
    `opens the hardened window on the Phone view${'reason' in binary ? ` — skipped: ${binary.reason}` : ''}`,
    async () => {
      if ('reason' in binary) return;
      const { buildElectronEntries } = (await import(join(REPO_ROOT, 'scripts', 'build-shells.mjs'))) as {
        buildElectronEntries: (root: string) => Promise<string>;
      };
      const main = await buildElectronEntries(REPO_ROOT);
      const app = await electron.launch({ executablePath: binary.path, args: [main] });
      try {
        const window = await app.firstWindow();
        await window.waitForSelector('[data-testid="phone-view"]');
        expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe(
          'undefined',
        );
      } finally {
        await app.close();
      }
    },
  );
});
