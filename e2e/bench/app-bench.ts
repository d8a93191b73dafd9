// `npm run bench:app`: how fast the app is ready, and how large the renderer is.
//
// Startup: from spawning browser mode's server to the first interactive render in Chromium (the app frame with
// the host's info loaded, `data-ready="true"`), in a fresh browser context each round. The reference, measured
// in the same run on the same loaded machine, is the floor of that path: a bare Node HTTP server (plain JavaScript,
// started the same way as the bundled server), serving a one-line page, loaded by the same browser. The ratio is what Trunkline adds
// (host start-up, SQLite, the bundle, the WebSocket hello).
//
// Mouth-to-ear latency (issue 6): the fake microphone plays a click a second; a call to the emulator's echo number
// carries it page → host → RTP → emulator echo → RTP → host → page. The worklet reports each click's onset on the
// audio clock where it enters from the microphone and where it leaves for the speaker; the round trip is the
// difference plus the output latency the audio context reports. Echo cancellation, noise suppression and auto
// gain are switched off for it (they would cancel or shape the echoed click). Printed against the ≤ 150 ms
// loopback target; never asserted.
//
// Per-stage budget (ADR 0149): the page notes when each click's edge message arrives from the worklet, when the
// first loud frame leaves for the host and comes back, and when the worklet's speaker edge arrives; the host, run
// with TRUNKLINE_LATENCY_TAP=1, logs the click at its own stages (electron/host/latency-tap.ts). All are epoch
// milliseconds of the same machine, so one click's moments chain into stages; each stage's median is printed with
// the queue counters (under- and overruns) of the run. `--latency-only` skips the start-up rounds (for iterating).

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT, launchChromium, startServer, stopProcess } from '../support/app-fixture.js';
import { writeClickWav, writeToneWav } from '../support/fake-microphone.js';

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

const LATENCY_TARGET_MS = 150;
/** Turns on the host's latency tap (electron/host/latency-tap.ts `LATENCY_TAP_ENV`; e2e may not import the host). */
const LATENCY_TAP_ENV = 'TRUNKLINE_LATENCY_TAP';
const LATENCY_SECONDS = 8;

interface Probe {
  sampleRateHz: number;
  outputLatencyMs: number;
  baseLatencyMs: number;
  edges: { edge: 'in' | 'out'; atFrame: number }[];
  stages: StageMoment[];
  playbackQueue:
    { underruns: number; overruns: number; adjustments: number; queuedSamples: number } | undefined;
}

interface StageMoment {
  stage: string;
  epochMs: number;
}

/** The path of a click, in order; each stage of the budget is the time from one moment to the next. */
export const STAGE_PATH = [
  'page-mic-edge',
  'page-frame-sent',
  'host-mic-in',
  'host-rtp-sent',
  'emulator-rtp-in',
  'emulator-echo-sent',
  'host-rtp-in',
  'host-playout',
  'page-frame-received',
  'page-speaker-edge',
] as const;

const STAGE_NAMES: Record<(typeof STAGE_PATH)[number], string> = {
  'page-mic-edge': '',
  'page-frame-sent': 'worklet: click in → 20 ms frame posted → page sends it',
  'host-mic-in': 'WebSocket page → host',
  'host-rtp-sent': 'host mic queue + wait for the send tick → RTP sent',
  'emulator-rtp-in': 'UDP host → emulator',
  'emulator-echo-sent': 'emulator far end: receive → echo sent',
  'host-rtp-in': 'UDP emulator → host',
  'host-playout': 'host jitter buffer + wait for the play tick → frame to page',
  'page-frame-received': 'WebSocket host → page',
  'page-speaker-edge': 'worklet playback queue → speaker edge back at the page',
};

/** Moments from different processes on one machine may disagree by this much; an earlier one still chains. */
const CLOCK_SLACK_MS = 2;

/** Each click's stage durations (ms, in STAGE_PATH order from the second moment); clicks with a gap are left out. */
export function stageDurationsMs(moments: readonly StageMoment[]): number[][] {
  const byStage = new Map<string, number[]>();
  for (const m of moments) byStage.set(m.stage, [...(byStage.get(m.stage) ?? []), m.epochMs]);
  for (const times of byStage.values()) times.sort((a, b) => a - b);
  const clicks: number[][] = [];
  for (const startMs of byStage.get(STAGE_PATH[0]) ?? []) {
    const durations: number[] = [];
    let previous = startMs;
    for (const stage of STAGE_PATH.slice(1)) {
      const next = (byStage.get(stage) ?? []).find(
        (t) => t >= previous - CLOCK_SLACK_MS && t < startMs + 1000,
      );
      if (next === undefined) break;
      durations.push(next - previous);
      previous = next;
    }
    if (durations.length === STAGE_PATH.length - 1) clicks.push(durations);
  }
  return clicks;
}

function lastMicQueue(log: readonly string[]): Record<string, number> | undefined {
  const lines = [...log.join('').matchAll(/latency-queue mic (\{[^\n]*\})/g)];
  const last = lines.at(-1)?.[1];
  return last === undefined ? undefined : (JSON.parse(last) as Record<string, number>);
}

/** The host's moments from its log (`[host info] latency-tap STAGE MS`). */
export function hostMoments(log: readonly string[]): StageMoment[] {
  const moments: StageMoment[] = [];
  for (const match of log.join('').matchAll(/latency-tap (\S+) (\d+(?:\.\d+)?)/g)) {
    moments.push({ stage: match[1], epochMs: Number(match[2]) });
  }
  return moments;
}

/** Each click's round trip: an 'in' edge paired with the next 'out' edge within a second. */
export function roundTripsMs(probe: Probe): number[] {
  const trips: number[] = [];
  let pending: number | undefined;
  for (const e of [...probe.edges].sort((a, b) => a.atFrame - b.atFrame)) {
    if (e.edge === 'in') pending = e.atFrame;
    else if (pending !== undefined) {
      const ms = ((e.atFrame - pending) / probe.sampleRateHz) * 1000;
      if (ms < 1000) trips.push(ms + probe.outputLatencyMs);
      pending = undefined;
    }
  }
  return trips;
}

interface LatencyResult {
  trips: number[];
  outputLatencyMs: number;
  baseLatencyMs: number;
  sampleRateHz: number;
  stages: number[][];
  playbackQueue: Probe['playbackQueue'];
  /** The host's microphone queue counters at the last click (`latency-queue mic {json}` in its log). */
  micQueue: Record<string, number> | undefined;
}

async function measureLatency(work: string): Promise<LatencyResult> {
  const wav = join(work, 'clicks.wav');
  writeClickWav(wav);
  const log: string[] = [];
  process.env[LATENCY_TAP_ENV] = '1';
  const started = await startServer(join(work, 'data-latency'), log).finally(() => {
    delete process.env[LATENCY_TAP_ENV];
  });
  const { child, url } = started;
  const browser = await launchChromium(wav);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.waitForSelector('[data-testid="app"][data-ready="true"]');
    for (const option of ['audio-echo-cancellation', 'audio-noise-suppression', 'audio-auto-gain']) {
      const box = page.getByTestId(option);
      if (await box.isChecked()) await box.click();
      await page.waitForFunction(
        (id) => !(document.querySelector(`[data-testid="${id}"]`) as HTMLInputElement).checked,
        option,
      );
    }
    await page.getByTestId('dial-number').fill('+14155550111');
    await page.getByTestId('call-button').click();
    await page.locator('[data-testid="in-call"][data-state="connected"]').waitFor({ timeout: 20_000 });
    await page.evaluate(() =>
      (
        window as unknown as { trunklineAudioProbe: { startLatencyProbe(): Promise<void> } }
      ).trunklineAudioProbe.startLatencyProbe(),
    );
    await page.waitForTimeout(LATENCY_SECONDS * 1000);
    const probe = await page.evaluate(() =>
      (
        window as unknown as { trunklineAudioProbe: { latencyProbe(): Probe } }
      ).trunklineAudioProbe.latencyProbe(),
    );
    await page.getByTestId('hangup-button').click();
    return {
      trips: roundTripsMs(probe),
      outputLatencyMs: probe.outputLatencyMs,
      baseLatencyMs: probe.baseLatencyMs,
      sampleRateHz: probe.sampleRateHz,
      stages: stageDurationsMs([...probe.stages, ...hostMoments(log)]),
      playbackQueue: probe.playbackQueue,
      micQueue: lastMicQueue(log),
    };
  } finally {
    await browser.close();
    await stopProcess(child);
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--latency-only')) {
    const work = mkdtempSync(join(tmpdir(), 'trunkline-bench-latency-'));
    try {
      printLatency(await measureLatency(work));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    return;
  }
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
  }
  let latency: LatencyResult;
  try {
    latency = await measureLatency(work);
  } finally {
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
  printLatency(latency);
}

function printLatency(latency: LatencyResult): void {
  const { trips, outputLatencyMs } = latency;
  if (trips.length === 0) {
    console.log(
      '  mouth-to-ear (echo number, round trip): no click came back — see the host log; nothing measured',
    );
    return;
  }
  const sorted = [...trips].sort((a, b) => a - b);
  const med = median(trips);
  console.log(
    `  mouth-to-ear round trip (mic → worklet → host → emulator echo → host → worklet → speaker), ${trips.length} clicks: median ${med.toFixed(0)} ms, min ${sorted[0]?.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms (incl. ${outputLatencyMs.toFixed(0)} ms output latency)`,
  );
  console.log(
    `  target ≤ ${LATENCY_TARGET_MS} ms on loopback: ${med <= LATENCY_TARGET_MS ? 'met' : 'NOT met'} (median ${(med / LATENCY_TARGET_MS).toFixed(2)}× the target)`,
  );
  printStages(latency);
}

/** The per-stage budget: each stage's median over the clicks whose every moment was seen. */
function printStages(latency: LatencyResult): void {
  const clicks = latency.stages;
  if (clicks.length === 0) {
    console.log('  per-stage budget: no click was seen at every stage (is TRUNKLINE_LATENCY_TAP honoured?)');
    return;
  }
  console.log(`  per-stage budget (wall clock, median of ${clicks.length} clicks seen at every stage):`);
  let sum = 0;
  STAGE_PATH.slice(1).forEach((stage, i) => {
    const values = clicks.map((c) => c[i] ?? NaN);
    const med = median(values);
    sum += med;
    const sorted = [...values].sort((a, b) => a - b);
    console.log(
      `    ${med.toFixed(1).padStart(6)} ms  ${STAGE_NAMES[stage]} (min ${sorted[0]?.toFixed(1)}, max ${sorted.at(-1)?.toFixed(1)})`,
    );
  });
  console.log(
    `    ${latency.outputLatencyMs.toFixed(1).padStart(6)} ms  output latency the audio context reports (baseLatency ${latency.baseLatencyMs.toFixed(1)} ms + outputLatency, at ${latency.sampleRateHz} Hz)`,
  );
  console.log(
    `    ${(sum + latency.outputLatencyMs).toFixed(1).padStart(6)} ms  sum of the medians (the worklet's input edge is reported on the wall clock once its message reaches the page)`,
  );
  const mic = latency.micQueue;
  if (mic !== undefined) {
    console.log(
      `  host microphone queue: ${mic['underruns']} underruns, ${mic['overruns']} overruns, ${mic['trimmed']} frames trimmed of ${mic['pushed']} pushed`,
    );
  }
  const q = latency.playbackQueue;
  if (q !== undefined) {
    console.log(
      `  worklet playback queue: ${q.underruns} underruns, ${q.overruns} overruns, ${q.adjustments} drift adjustments, ${q.queuedSamples} samples queued at the last report`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
