// `npm run bench:app`: how fast the app is ready, and how large the renderer is.
//
// Startup: from spawning browser mode's server to the first interactive render in Chromium (the app frame with
// the host's info loaded, `data-ready="true"`), in a fresh browser context each round. The reference, measured
// in the same run on the same loaded machine, is the floor of that path: a bare Node HTTP server (plain JavaScript,
// started the same way as the bundled server), serving a one-line page, loaded by the same browser. The ratio is what Trunkline adds
// (host start-up, SQLite, the bundle, the WebSocket hello). The mouth-to-ear audio latency of issue 6 joins this
// benchmark with the softphone's media path.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT, launchChromium, startServer, stopProcess } from '../support/app-fixture.js';
import { writeToneWav } from '../support/fake-microphone.js';

const ROUNDS = 5;
const REFERENCE_SERVER = `
import { createServer } from 'node:http';
const server = createServer((_req, res) => { res.setHeader('Content-Type', 'text/html'); res.end('<!doctype html><title>x</title><p id="ready">ready</p>'); });
server.listen(0, '127.0.0.1', () => console.log('ready: http://127.0.0.1:' + server.address().port + '/?token=reference'));
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function bundleSizes(): { files: number; bytes: number; gzipBytes: number } {
  const dir = join(REPO_ROOT, 'renderer', 'dist', 'assets');
  let bytes = 0;
  let gzipBytes = 0;
  const files = readdirSync(dir).filter((f) => /\.(js|css)$/.test(f));
  for (const file of files) {
    const path = join(dir, file);
    bytes += statSync(path).size;
    gzipBytes += gzipSync(readFileSync(path)).length;
  }
  return { files: files.length, bytes, gzipBytes };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'trunkline-bench-app-'));
  const wav = join(work, 'mic.wav');
  writeToneWav(wav, 440, 1000);
  const referenceScript = join(work, 'reference-server.mjs');
  writeFileSync(referenceScript, REFERENCE_SERVER);
  const browser = await launchChromium(wav);
  const app: number[] = [];
  const reference: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Reference: bare server + page load.
      {
        const startedAt = performance.now();
        const child = spawn(process.execPath, [referenceScript], { stdio: ['ignore', 'pipe', 'inherit'] });
        const url = await new Promise<string>((resolve) =>
          child.stdout.on('data', (chunk: Buffer) => {
            const match = /(http:\/\/\S+)/.exec(chunk.toString());
            if (match?.[1]) resolve(match[1]);
          }),
        );
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(url);
        await page.waitForSelector('#ready');
        reference.push(performance.now() - startedAt);
        await context.close();
        await stopProcess(child);
      }
      // Trunkline: browser mode with a fresh data folder, until the app frame is interactive.
      {
        const dataDir = join(work, `data-${round}`);
        const log: string[] = [];
        const startedAt = performance.now();
        const { child, url } = await startServer(dataDir, log);
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        await page.goto(url);
        await page.waitForSelector('[data-testid="app"][data-ready="true"]');
        app.push(performance.now() - startedAt);
        await context.close();
        await stopProcess(child);
      }
    }
  } finally {
    await browser.close();
    rmSync(work, { recursive: true, force: true });
  }
  const size = bundleSizes();
  const appMs = median(app);
  const referenceMs = median(reference);
  console.log(
    `bench:app — ${ROUNDS} rounds, medians (machine shared: compare the ratio, not the milliseconds)`,
  );
  console.log(`  start → first interactive render (browser mode): ${appMs.toFixed(0)} ms`);
  console.log(`  reference: bare Node server start → page loaded: ${referenceMs.toFixed(0)} ms`);
  console.log(`  ratio: ${(appMs / referenceMs).toFixed(2)}× the reference`);
  console.log(
    `  renderer bundle: ${size.files} files, ${(size.bytes / 1024).toFixed(1)} KiB (${(size.gzipBytes / 1024).toFixed(1)} KiB gzip)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
