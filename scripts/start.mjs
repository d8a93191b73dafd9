// `npm start`: the desktop app when Electron can run here, else browser mode — said plainly, never silently.
// Electron's binary is downloaded by its install script, which this project does not allow (package.json
// `allowScripts.electron: false`, docs/adr/0131-electron-binary-optional.md); a developer who wants the desktop
// window runs `node node_modules/electron/install.js` once on a machine that can reach Electron's releases.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MEDIA_HOST_NODE_FLAGS } from '../sip-core/bin/node-flags.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
/** How long Electron must stay up to count as started (a missing shared library kills it at once). */
const ELECTRON_STARTUP_GRACE_MS = 3000;

/** @returns {{ path: string } | { reason: string }} */
function findElectron() {
  if (process.env.TRUNKLINE_BROWSER_MODE === '1')
    return { reason: 'TRUNKLINE_BROWSER_MODE=1 asks for browser mode' };
  let binary;
  try {
    // The package's main export is the binary's path; it throws when the binary was never downloaded.
    binary = require('electron');
  } catch {
    // Electron's own message ("failed to install correctly, please delete node_modules/electron …") suggests a
    // broken install; here the download is simply never run, so say that instead.
    return {
      reason: `Electron's binary is not installed (npm install never downloads it here; see docs/adr/0131-electron-binary-optional.md)`,
    };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) return { reason: `no Electron binary at ${binary}` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  return { path: binary };
}

/** @param {unknown} error */
function firstLine(error) {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/**
 * @param {string} command
 * @param {string[]} args
 */
function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM']))
    process.on(signal, () => child.kill(signal));
  return child;
}

/** @param {string} reason */
async function browserMode(reason) {
  const { buildWebShell } = await import('./build-shells.mjs');
  await buildWebShell(root);
  console.log(`Trunkline cannot open its desktop window: ${reason}.`);
  console.log('Starting browser mode instead: the same app, served on 127.0.0.1 with a per-run token.');
  // The host runs the softphone's and the embedded emulator's media sessions: the same V8 flags as the CLI.
  const child = run(process.execPath, [
    ...MEDIA_HOST_NODE_FLAGS,
    join(root, '.tsbuild', 'web-shell', 'serve.mjs'),
    '--open',
    ...process.argv.slice(2),
  ]);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/** @param {string} binary */
async function electronMode(binary) {
  const { buildElectronEntries } = await import('./build-shells.mjs');
  const mainEntry = await buildElectronEntries(root);
  const startedAt = Date.now();
  // Electron's main process hosts the media sessions; it takes V8 flags only on its command line (--js-flags).
  const child = run(binary, [
    `--js-flags=${MEDIA_HOST_NODE_FLAGS.join(' ')}`,
    mainEntry,
    ...process.argv.slice(2),
  ]);
  child.on('error', (error) => void browserMode(`Electron could not be started (${firstLine(error)})`));
  child.on('exit', (code, signal) => {
    if (code !== 0 && Date.now() - startedAt < ELECTRON_STARTUP_GRACE_MS) {
      void browserMode(`Electron exited at once (code ${code ?? signal})`);
      return;
    }
    process.exit(code ?? 0);
  });
}

const found = findElectron();
if ('path' in found) await electronMode(found.path);
else await browserMode(found.reason);
