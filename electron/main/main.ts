// The Electron main process: a thin composition root. It owns the window, the app protocol, the session's
// security handlers and the IPC bridge; everything the app does is PhoneService's (electron/host). Built to
// `.tsbuild/electron-app/main.mjs` by scripts/build-shells.mjs; cannot run where no Electron binary exists
// (docs/adr/0131-electron-binary-optional.md), so its rules live in window-hardening.ts, which a unit test reads.

import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import {
  BrowserWindow,
  app,
  dialog,
  MessageChannelMain,
  ipcMain,
  protocol,
  safeStorage,
  session,
  type WebContents,
} from 'electron';
import {
  IPC_AUDIO_PORT_CHANNEL,
  IPC_COMMAND_CHANNEL,
  IPC_EVENT_CHANNEL,
  readAudioFrame,
  type ApiResult,
  type CsvExport,
} from '../common/index.js';
import { PhoneService, defaultDataDir, type ExportDelivery } from '../host/index.js';
import { APP_ENTRY_URL, APP_HOST, APP_SCHEME } from './app-protocol.js';
import { SafeStorageSecretStore } from './safe-storage-secret-store.js';
import {
  electronContentSecurityPolicy,
  isAllowedNavigation,
  isPermissionCheckAllowed,
  isPermissionGranted,
  isTrustedSender,
  windowOpenDecision,
  windowOptions,
} from './window-hardening.js';

const APP_ROOT = resolve(import.meta.dirname, '..', '..');
const RENDERER_DIR = join(APP_ROOT, 'renderer', 'dist');
const PRELOAD_PATH = join(import.meta.dirname, 'preload.cjs');
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) {
  // A second start focuses the first window instead of opening a second host on the same database.
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  void app.whenReady().then(start);
}

class SaveDialogDelivery implements ExportDelivery {
  async deliver(
    fileName: string,
    _contentType: string,
    chunks: () => Iterable<string | Uint8Array>,
  ): Promise<CsvExport> {
    const choice = await dialog.showSaveDialog({ defaultPath: fileName });
    if (choice.canceled || choice.filePath === undefined) return { kind: 'cancelled' };
    // Streamed with back-pressure: the store is read a page at a time as the file takes it.
    await pipeline(Readable.from(chunks()), createWriteStream(choice.filePath, { mode: 0o600 }));
    return { kind: 'saved', path: choice.filePath, fileName };
  }
}

function start(): void {
  const dataDir = process.env['TRUNKLINE_DATA_DIR'] ?? defaultDataDir();
  const service = PhoneService.open({
    dataDir,
    shell: 'electron',
    appVersion: app.getVersion(),
    secrets: new SafeStorageSecretStore(dataDir, safeStorage),
    exports: new SaveDialogDelivery(),
    log: (level, message) => process.stderr.write(`[host ${level}] ${message}\n`),
  });

  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, '');
    const path = resolve(RENDERER_DIR, relative || 'index.html');
    if (url.host !== APP_HOST || !path.startsWith(RENDERER_DIR + sep))
      return new Response('', { status: 404 });
    try {
      const body = await readFile(path);
      return new Response(body, {
        headers: {
          'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
          'Content-Security-Policy': electronContentSecurityPolicy(),
        },
      });
    } catch {
      return new Response('', { status: 404 });
    }
  });

  const appSession = session.defaultSession;
  appSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [electronContentSecurityPolicy()],
      },
    });
  });
  appSession.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(isPermissionGranted(permission, webContents.getURL(), mediaTypes));
  });
  appSession.setPermissionCheckHandler((_webContents, permission, requestingOrigin) =>
    isPermissionCheckAllowed(permission, requestingOrigin),
  );

  ipcMain.handle(
    IPC_COMMAND_CHANNEL,
    async (event, command: unknown, params: unknown): Promise<ApiResult<unknown>> => {
      if (!isTrustedSender(event.senderFrame)) {
        return { ok: false, error: { code: 'forbidden', message: 'This page may not use Trunkline.' } };
      }
      // The host validates the command name and its parameters; the sender is all this layer judges.
      return service.handle(command, params);
    },
  );

  const windows = new Set<WebContents>();
  service.subscribe((message) => {
    for (const contents of windows) if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, message);
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => windowOpenDecision());
    contents.on('will-navigate', (navigation) => {
      if (!isAllowedNavigation(navigation.url)) navigation.preventDefault();
    });
    contents.on('will-attach-webview', (attach) => attach.preventDefault());
  });

  const window = new BrowserWindow(windowOptions(PRELOAD_PATH));
  windows.add(window.webContents);
  attachAudioPort(window.webContents, service);
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => windows.delete(window.webContents));
  void window.loadURL(APP_ENTRY_URL);

  app.on('window-all-closed', () => {
    // The emulator ends its calls and writes their CDRs before the store closes and the app quits.
    void service.close().finally(() => app.quit());
  });
}

/**
 * Audio frames between the window and the host over a MessagePort pair, made anew on every page load (the old
 * pair is closed): microphone frames in — checked like any other input, counted and dropped by the host when they
 * name no live call — and every call's received frames out (electron/README.md, "Audio").
 */
function attachAudioPort(contents: WebContents, service: PhoneService): void {
  let close: (() => void) | undefined;
  contents.on('did-finish-load', () => {
    close?.();
    const { port1, port2 } = new MessageChannelMain();
    port1.on('message', (event) => {
      const frame = readAudioFrame(event.data);
      if (frame !== undefined) service.pushAudio(frame);
    });
    const received = service.onAudio((frame) => port1.postMessage(frame));
    port1.start();
    close = () => {
      received.dispose();
      port1.close();
    };
    contents.postMessage(IPC_AUDIO_PORT_CHANNEL, null, [port2]);
  });
  contents.once('destroyed', () => close?.());
}
