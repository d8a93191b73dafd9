import { type Socket, createSocket } from 'node:dgram';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { systemClock } from '../../src/common/clock.js';
import type { NegotiatedMedia } from '../../src/media/offer-answer/negotiated-media.js';
import { EchoSource } from '../../src/media/session/echo-source.js';
import { deviationPercentileMs, FramePacer, type PacingStats } from '../../src/media/session/frame-pacer.js';
import { FrameScheduler } from '../../src/media/session/frame-scheduler.js';
import { MediaSession } from '../../src/media/session/media-session.js';
import { RtpPortAllocator } from '../../src/media/session/rtp-port-allocator.js';
import { SrtpMasterKey } from '../../src/media/srtp/srtp-master-key.js';
import type {
  ChildToParent,
  EchoEndpoint,
  EchoMode,
  EchoSideResult,
  FarEnd,
  ParentToChild,
} from './session-capacity-protocol.js';
import { WindowProfiler } from './window-profiler.js';
import { ECHO_SRTP_PROFILE, echoNegotiatedMedia } from './echo-negotiated-media.js';

// The process under test of the session-capacity benchmark (one JavaScript thread): N MediaSessions with SDES-SRTP
// (AES_CM_128_HMAC_SHA1_80) and an EchoSource each — the emulator's echo number — or, as the reference, N bare UDP
// sockets that send every datagram straight back, plus N bare 20 ms tasks paced by the same FramePacer on the same
// shared FrameScheduler and doing no work (the machine's own timer noise, for the pacing column). It measures its own CPU time, memory, receive loss
// and send pacing over the window the parent marks.

const [modeArg = 'session', countArg = '0'] = process.argv.slice(2);
const mode = modeArg as EchoMode;
const count = Number(countArg);
const PROFILE = ECHO_SRTP_PROFILE;

interface SessionEntry {
  readonly session: MediaSession;
  readonly negotiated: NegotiatedMedia;
}

const sessions: SessionEntry[] = [];
const sockets: Socket[] = [];
const bareTimers: FramePacer[] = [];
const rssBefore = process.memoryUsage().rss;
const heapBefore = process.memoryUsage().heapUsed;
const profiler = new WindowProfiler({
  profileDir: process.env.BENCH_PROFILE_DIR,
  label: `${mode}-${count}`,
});
let windowStart:
  | {
      cpu: NodeJS.CpuUsage;
      wallMs: number;
      expected: number;
      lost: number;
      histogram: number[];
      involuntarySwitches: number;
    }
  | undefined;

function send(message: ChildToParent): void {
  process.send?.(message);
}

async function openSessions(farEnds: readonly FarEnd[]): Promise<EchoEndpoint[]> {
  const allocator = new RtpPortAllocator({ minPort: 20_000, maxPort: 29_999 });
  const endpoints: EchoEndpoint[] = [];
  for (const farEnd of farEnds) {
    const session = await MediaSession.open({
      clock: systemClock,
      portAllocator: allocator,
      statsIntervalMs: 0,
    });
    session.setSource(new EchoSource());
    const sendKey = SrtpMasterKey.generate(PROFILE);
    const receiveKey = SrtpMasterKey.generate(PROFILE);
    const negotiated = echoNegotiatedMedia(
      { address: '127.0.0.1', port: farEnd.port },
      { sendKey, receiveKey },
    );
    sessions.push({ session, negotiated });
    endpoints.push({
      rtpPort: session.localRtpPort!,
      receiveKey: receiveKey.keySalt().toString('base64'),
      sendKey: sendKey.keySalt().toString('base64'),
    });
  }
  return endpoints;
}

async function openBareEchoes(farEnds: readonly FarEnd[]): Promise<EchoEndpoint[]> {
  const endpoints: EchoEndpoint[] = [];
  for (const _ of farEnds) {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    socket.on('message', (data, from) => socket.send(data, from.port, from.address));
    sockets.push(socket);
    endpoints.push({ rtpPort: socket.address().port });
  }
  return endpoints;
}

/**
 * N drift-free 20 ms paced tasks with no work, on the same shared FrameScheduler the sessions use: what waking up
 * every 20 ms costs by itself, and the machine's own timer noise.
 */
function startBareTimers(): void {
  const scheduler = FrameScheduler.shared(systemClock);
  for (let i = 0; i < count; i++) {
    const pacer = new FramePacer({ startMs: performance.now() + (20 * i) / count });
    bareTimers.push(pacer);
    scheduler.add({
      get nextDeadlineMs() {
        return pacer.nextDeadlineMs;
      },
      run: () => void pacer.take(performance.now()),
    });
  }
}

function startAll(): void {
  if (mode === 'bare-echo') startBareTimers();
  // Calls start at random moments in real life: spread the starts over one frame so ticks do not all coincide.
  sessions.forEach(({ session, negotiated }, i) => {
    setTimeout(() => session.start(negotiated), (20 * i) / Math.max(1, sessions.length));
  });
}

/** Sessions (or bare timers) read per turn of the event loop by `totals`. */
const SNAPSHOT_CHUNK = 25;

/**
 * Receive-side totals and the summed send-interval histogram over all sessions. Read a few at a time, yielding to
 * the event loop in between: `MediaSession.stats()` builds a full statistics object (≈ 40 µs), and reading 500 in
 * one go held the loop for over 20 ms at the window's start — every session's next tick then came late inside the
 * window being measured, about 1,000 deviations of 20 ms and more that were the benchmark's own doing. Each session
 * is read once; the snapshot spans a few milliseconds of a 30 s window.
 */
async function totals(): Promise<{
  expected: number;
  lost: number;
  histogram: number[];
  maxLatenessMs: number;
  skipped: number;
}> {
  let expected = 0;
  let lost = 0;
  let maxLatenessMs = 0;
  let skipped = 0;
  const histogram: number[] = [];
  const addPacing = (pacing: PacingStats): void => {
    maxLatenessMs = Math.max(maxLatenessMs, pacing.maxLatenessMs);
    skipped += pacing.skipped;
    pacing.intervalDeviationHistogram.forEach(
      (n, bucket) => (histogram[bucket] = (histogram[bucket] ?? 0) + n),
    );
  };
  for (let i = 0; i < sessions.length; i++) {
    if (i > 0 && i % SNAPSHOT_CHUNK === 0) await nextTurn();
    const stats = sessions[i].session.stats();
    expected += stats.received.expected;
    lost += stats.received.lost;
    addPacing(stats.pacing);
  }
  for (let i = 0; i < bareTimers.length; i++) {
    if (i > 0 && i % SNAPSHOT_CHUNK === 0) await nextTurn();
    addPacing(bareTimers[i].stats);
  }
  return { expected, lost, histogram, maxLatenessMs, skipped };
}

async function result(): Promise<EchoSideResult> {
  const start = windowStart!;
  const cpu = process.cpuUsage(start.cpu);
  const end = await totals();
  const memory = process.memoryUsage();
  const windowHistogram = end.histogram.map((n, bucket) => n - (start.histogram[bucket] ?? 0));
  const gc = await profiler.stop();
  return {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    systemCpuSeconds: cpu.system / 1e6,
    wallSeconds: (performance.now() - start.wallMs) / 1000,
    rssBytesPerEndpoint: (memory.rss - rssBefore) / count,
    heapBytesPerEndpoint: (memory.heapUsed - heapBefore) / count,
    expected: end.expected - start.expected,
    lost: end.lost - start.lost,
    p99IntervalDeviationMs: deviationPercentileMs(windowHistogram, 0.99),
    p90IntervalDeviationMs: deviationPercentileMs(windowHistogram, 0.9),
    p999IntervalDeviationMs: deviationPercentileMs(windowHistogram, 0.999),
    maxLatenessMs: end.maxLatenessMs,
    skippedFrames: end.skipped,
    srtpAuthFailures: sessions.reduce(
      (sum, { session }) => sum + (session.stats().srtp?.authFailures ?? 0),
      0,
    ),
    gc,
    involuntarySwitches: process.resourceUsage().involuntaryContextSwitches - start.involuntarySwitches,
  };
}

process.on('message', (message: ParentToChild) => {
  void (async () => {
    switch (message.type) {
      case 'far-ends': {
        const endpoints =
          mode === 'session' ? await openSessions(message.farEnds) : await openBareEchoes(message.farEnds);
        send({ type: 'endpoints', endpoints });
        break;
      }
      case 'start':
        startAll();
        break;
      case 'window-start': {
        await profiler.start();
        const now = await totals();
        windowStart = {
          cpu: process.cpuUsage(),
          wallMs: performance.now(),
          expected: now.expected,
          lost: now.lost,
          histogram: now.histogram,
          involuntarySwitches: process.resourceUsage().involuntaryContextSwitches,
        };
        break;
      }
      case 'window-end':
        send({ type: 'echo-result', result: await result() });
        await Promise.all(sessions.map(({ session }) => session.close()));
        for (const socket of sockets) socket.close();
        process.disconnect();
        break;
      case 'endpoints':
        // Not sent to this worker.
        break;
    }
  })();
});
