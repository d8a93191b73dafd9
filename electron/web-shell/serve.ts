// `npm run serve` (and `npm start` when Electron cannot run): the host and the renderer in browser mode.
//
//   tsx electron/web-shell/serve.ts [--port N] [--data DIR] [--renderer DIR] [--open | --no-open]
//
// Prints one line with the URL (it carries this run's token), opens the system browser when asked and a display
// exists, and stops cleanly on SIGINT/SIGTERM (closing the store).

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LATENCY_TAP_ENV, LatencyTap, PhoneService, defaultDataDir } from '../host/index.js';
import { DownloadRegistry } from './download-registry.js';
import { openBrowser } from './open-browser.js';
import { WebShellServer } from './web-shell-server.js';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      renderer: { type: 'string' },
      open: { type: 'boolean', default: false },
      'no-open': { type: 'boolean', default: false },
    },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--port must be a port number (0–65535, 0 for a free port), not ${values.port}.`);
  }
  const rendererDir = resolve(values.renderer ?? join(REPO_ROOT, 'renderer', 'dist'));
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(
      `The renderer is not built (${rendererDir}/index.html is missing). Run: npm run build:renderer`,
    );
  }
  const dataDir = resolve(values.data ?? defaultDataDir());
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
  const downloads = new DownloadRegistry();
  const log = (level: string, message: string): void =>
    void process.stderr.write(`[host ${level}] ${message}\n`);
  const service = PhoneService.open({
    dataDir,
    shell: 'browser',
    appVersion: version,
    exports: downloads,
    log,
    // bench:app's per-stage latency budget (ADR 0149): each click's onset at each host stage, in the log.
    ...(process.env[LATENCY_TAP_ENV] === '1'
      ? {
          latencyTap: new LatencyTap(
            (stage, epochMs) => log('info', `latency-tap ${stage} ${epochMs.toFixed(3)}`),
            (stats) => log('info', `latency-queue mic ${JSON.stringify(stats)}`),
          ),
        }
      : {}),
  });
  const server = await WebShellServer.start({
    service,
    downloads,
    rendererDir,
    port,
    log: (m) => log('warn', m),
  });
  process.stdout.write(`Trunkline (browser mode) is ready: ${server.url}\n`);
  process.stdout.write(`Data folder: ${dataDir}\n`);
  if (values.open && !values['no-open']) {
    const opening = openBrowser(server.url);
    process.stdout.write(
      opening.opened
        ? `Opened your browser (${opening.command}).\n`
        : `Open the URL above in a browser (not opened automatically: ${opening.reason}).\n`,
    );
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server
      .close()
      .then(() => service.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Trunkline could not start in browser mode: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
