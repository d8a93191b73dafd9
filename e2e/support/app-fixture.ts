// The one fixture of the e2e suite (Signal-Desktop's habit): it starts the host in browser mode on a free port
// with a fresh temp data folder, launches Debian's Chromium with a WAV file as the microphone, opens the UI with
// the run's token, and tears everything down by PID — keeping a screenshot, the page's console and the server's
// log in e2e/artifacts/<test>/ when a test fails.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { writeToneWav } from './fake-microphone.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS_DIR = join(REPO_ROOT, 'e2e', 'artifacts');
export const CHROMIUM_PATH = process.env['TRUNKLINE_CHROMIUM'] ?? '/usr/bin/chromium';
const SERVER_READY_TIMEOUT_MS = 60_000;
const URL_LINE = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/;

export interface AppFixture {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly url: string;
  readonly origin: string;
  readonly dataDir: string;
  readonly serverLog: string[];
  readonly consoleLog: string[];
  /** Keeps screenshot and logs under e2e/artifacts/<name>/; the fixture calls it for failed tests. */
  keepArtifacts(name: string): Promise<string>;
  /** Stops the host (by PID) while the page stays open. */
  stopServer(): Promise<void>;
  close(): Promise<void>;
}

export interface AppFixtureOptions {
  /** Runs before the host starts, with the fresh data folder (seed the store here). */
  readonly seed?: (dataDir: string) => void;
  readonly colorScheme?: 'light' | 'dark';
}

/** Whether Chromium is here; under CI a missing browser is a failure, never a skip (TESTING.md). */
export function chromiumAvailable(): boolean {
  const found = existsSync(CHROMIUM_PATH);
  if (!found && process.env['CI'] === 'true') {
    throw new Error(`Chromium is required for the e2e suite in CI and is missing at ${CHROMIUM_PATH}.`);
  }
  return found;
}

/** Debian's Chromium with the WAV file as the microphone (TESTING.md's flags). */
export function launchChromium(wav: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${wav}`,
      '--autoplay-policy=no-user-gesture-required',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** The bundle `npm run serve` runs (`npm run build:web-shell`; `npm run test:e2e` builds it first). */
export const SERVE_ENTRY = join(REPO_ROOT, '.tsbuild', 'web-shell', 'serve.mjs');

/** Starts `npm run serve`'s entry on a free port; resolves with the URL it prints. */
export function startServer(dataDir: string, log: string[]): Promise<{ child: ChildProcess; url: string }> {
  if (!existsSync(SERVE_ENTRY)) {
    throw new Error(
      `${SERVE_ENTRY} is missing: run the suite with npm run test:e2e (it builds the web shell).`,
    );
  }
  const child = spawn(process.execPath, [SERVE_ENTRY, '--port', '0', '--data', dataDir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DISPLAY: '' },
  });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `The browser-mode server printed no URL within ${SERVER_READY_TIMEOUT_MS} ms:\n${log.join('')}`,
        ),
      );
    }, SERVER_READY_TIMEOUT_MS);
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log.push(text);
      const match = URL_LINE.exec(text);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolvePromise({ child, url: match[1] });
      }
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The browser-mode server exited with ${code} before it was ready:\n${log.join('')}`));
    });
  });
}

/** Stops a child by its PID: SIGTERM, then SIGKILL after 5 s. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  const pid = child.pid;
  return new Promise((done) => {
    const force = setTimeout(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    process.kill(pid, 'SIGTERM');
  });
}

export async function startApp(options: AppFixtureOptions = {}): Promise<AppFixture> {
  const root = mkdtempSync(join(tmpdir(), 'trunkline-e2e-'));
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { recursive: true });
  options.seed?.(dataDir);
  const wav = join(root, 'microphone-440hz.wav');
  writeToneWav(wav);
  const serverLog: string[] = [];
  const consoleLog: string[] = [];
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    if (server) await stopProcess(server);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const started = await startServer(dataDir, serverLog);
    server = started.child;
    browser = await launchChromium(wav);
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
      colorScheme: options.colorScheme ?? 'light',
    });
    const page = await context.newPage();
    page.on('console', (m) => consoleLog.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLog.push(`[pageerror] ${e.message}`));
    await page.goto(started.url);
    await page.waitForSelector('[data-testid="app"][data-ready="true"]', { timeout: 30_000 });
    const origin = new URL(started.url).origin;
    return {
      page,
      context,
      url: started.url,
      origin,
      dataDir,
      serverLog,
      consoleLog,
      async keepArtifacts(name) {
        const dir = join(ARTIFACTS_DIR, name.replace(/[^\w.-]+/g, '_'));
        mkdirSync(dir, { recursive: true });
        await page.screenshot({ path: join(dir, 'failure.png'), fullPage: true }).catch(() => undefined);
        writeFileSync(join(dir, 'server.log'), serverLog.join(''));
        writeFileSync(join(dir, 'console.log'), consoleLog.join('\n'));
        return dir;
      },
      async stopServer() {
        if (server) await stopProcess(server);
      },
      close: cleanup,
    };
  } catch (error) {
    writeFailureLog(serverLog, consoleLog);
    await cleanup();
    throw error;
  }
}

function writeFailureLog(serverLog: string[], consoleLog: string[]): void {
  const dir = join(ARTIFACTS_DIR, 'fixture-start');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'server.log'), serverLog.join(''));
  writeFileSync(join(dir, 'console.log'), consoleLog.join('\n'));
}

/** A screenshot kept for review (light and dark views), under e2e/artifacts/screenshots/. */
export async function keepScreenshot(page: Page, name: string): Promise<string> {
  const dir = join(ARTIFACTS_DIR, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
