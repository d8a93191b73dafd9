// The softphone against the emulator on loopback. The emulator runs as its own process (`trunkline emulator`, the
// demo account with room for many calls per second), as a user runs it; the softphone runs in this process.
//
// 1. Post-dial delay, INVITE sent → 200 OK received, read from the wire trace (first INVITE of a Call-ID sent →
//    its first 200 received), one call at a time to the echo number, over UDP, TCP and TLS (SRTP). Beside it, in
//    the same run and against the same emulator process, SIPp 3.6.1's built-in `uac` (one call at a time, its
//    `rtd` is INVITE → 200 as well) over UDP and TCP. SIPp here has no TLS support, so TLS has no SIPp reference.
//    SIPp sends no RTP; the softphone sets up media for every call (ports, SDES keys on TLS) before its INVITE.
//    SIPp's times come from its `-trace_msg` log (microseconds; writing it costs SIPp a little).
// 2. CPU time per active call with media: N concurrent echo calls sending a tone, held for a while; the process
//    CPU delta of the softphone (and of the emulator process, from /proc) divided by N and by the seconds held,
//    beside the idle softphone over the same time as the reference.
//
//   BENCH_UA_QUICK=1     40 calls per transport, 5 concurrent calls held 3 s (default: 200 calls, 20 held 10 s)

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ToneSource } from '../../src/media/session/index.js';
import type { SipTraceRecord } from '../../src/sip/trace/index.js';
import { SoftphoneUserAgent, type Call } from '../../src/ua/index.js';
import type { SignallingTransport } from '../../src/ua/trunk-profile.js';
import {
  DEMO_CALLER_ID,
  demoTrunkDomain,
  ECHO_NUMBER,
  roomyDemoAccount,
} from '../../test/support/phone-and-emulator.js';
import { TRUNKLINE_BIN } from '../../test/support/trunkline-cli.js';

const QUICK = process.env.BENCH_UA_QUICK === '1';
const PDD_CALLS = QUICK ? 40 : 200;
const HELD_CALLS = QUICK ? 5 : 20;
const HOLD_MS = QUICK ? 3_000 : 10_000;
const CLOCK_TICKS_PER_S = 100;

interface Endpoint {
  readonly address: string;
  readonly port: number;
}

interface RunningEmulator {
  readonly child: ChildProcess;
  readonly udp: Endpoint;
  readonly tcp: Endpoint;
  readonly tls: Endpoint;
  readonly caFile: string;
}

async function startEmulator(dir: string): Promise<RunningEmulator> {
  const config = join(dir, 'emulator.json');
  const dataDir = join(dir, 'data');
  writeFileSync(config, JSON.stringify({ version: 1, account: roomyDemoAccount() }));
  const child = spawn(
    process.execPath,
    [
      TRUNKLINE_BIN,
      'emulator',
      '--config',
      config,
      '--data',
      dataDir,
      '--udp',
      '0',
      '--tcp',
      '0',
      '--tls',
      '0',
      '--json',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // Whatever ends this process (an error, a closed pipe), the emulator must not outlive it.
  process.once('exit', () => child.kill('SIGKILL'));
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  let listening: Record<string, Endpoint> | undefined;
  for (let i = 0; i < 600 && listening === undefined; i++) {
    const line = output.split('\n').find((l) => l.startsWith('{"type":"listening"'));
    if (line !== undefined) listening = JSON.parse(line) as Record<string, Endpoint>;
    else await sleep(50);
  }
  if (listening === undefined) throw new Error(`the emulator did not start:\n${output}`);
  const port = (transport: 'udp' | 'tcp' | 'tls'): Endpoint => {
    const endpoint = listening[transport];
    if (endpoint === undefined) throw new Error(`the emulator does not listen on ${transport}`);
    return { address: endpoint.address, port: endpoint.port };
  };
  const caFile = join(dir, 'emulator-ca.pem');
  const exported = spawnSync(
    process.execPath,
    [TRUNKLINE_BIN, 'emulator', 'export-ca', '--data', dataDir, '--out', caFile],
    {
      encoding: 'utf8',
    },
  );
  if (exported.status !== 0) throw new Error(`export-ca failed: ${exported.stderr}`);
  return { child, udp: port('udp'), tcp: port('tcp'), tls: port('tls'), caFile };
}

async function phoneFor(
  emulator: RunningEmulator,
  transport: SignallingTransport,
): Promise<SoftphoneUserAgent> {
  const listener = emulator[transport];
  return SoftphoneUserAgent.start({
    terminationDomain: demoTrunkDomain(transport === 'tls' ? 'secure' : 'ip-acl'),
    outboundProxy: `${listener.address}:${listener.port}`,
    transport,
    callerIds: [DEMO_CALLER_ID],
    srtp: transport === 'tls' ? 'mandatory' : 'off',
    ...(transport === 'tls' ? { tls: { caFiles: [emulator.caFile], useSystemCas: false } } : {}),
  });
}

function until(call: Call, state: Call['state']): Promise<void> {
  return new Promise((resolve, reject) => {
    if (call.state === state) return resolve();
    const subscription = call.on('state', (next) => {
      if (next === state) {
        subscription.dispose();
        resolve();
      } else if (next === 'ended') {
        subscription.dispose();
        reject(new Error(`the call ended before ${state}: ${JSON.stringify(call.result?.hangup)}`));
      }
    });
  });
}

/** INVITE sent → 200 received per Call-ID, from the wire trace (first transmission, first 200). */
function wirePostDialDelays(records: readonly SipTraceRecord[]): number[] {
  const sent = new Map<string, number>();
  const delays = new Map<string, number>();
  for (const record of records) {
    if (record.kind !== 'message') continue;
    const text = Buffer.from(record.bytes).toString('latin1');
    const callId = /^(?:Call-ID|i)\s*:\s*(\S+)/im.exec(text)?.[1];
    if (callId === undefined) continue;
    if (record.direction === 'sent' && text.startsWith('INVITE ') && !sent.has(callId)) {
      sent.set(callId, record.monotonicTimeMs);
    } else if (
      record.direction === 'received' &&
      text.startsWith('SIP/2.0 200') &&
      /^CSeq\s*:\s*\d+\s+INVITE/im.test(text) &&
      sent.has(callId) &&
      !delays.has(callId)
    ) {
      delays.set(callId, record.monotonicTimeMs - sent.get(callId)!);
    }
  }
  return [...delays.values()];
}

async function softphonePdd(emulator: RunningEmulator, transport: SignallingTransport): Promise<number[]> {
  const phone = await phoneFor(emulator, transport);
  const records: SipTraceRecord[] = [];
  phone.trace.subscribe((record) => records.push(record));
  try {
    for (let i = 0; i < PDD_CALLS; i++) {
      const call = phone.call(ECHO_NUMBER);
      await until(call, 'answered');
      await call.hangup();
      await call.ended;
    }
  } finally {
    await phone.stop();
  }
  const delays = wirePostDialDelays(records);
  if (delays.length !== PDD_CALLS) throw new Error(`${delays.length} of ${PDD_CALLS} calls were measured`);
  return delays;
}

/** SIPp's built-in uac, one call at a time, with its caller made the demo account's number (4130 otherwise). */
function sippPdd(emulator: RunningEmulator, transport: 'udp' | 'tcp', dir: string): number[] {
  const runDir = mkdtempSync(join(dir, `sipp-${transport}-`));
  const exported = spawnSync('sipp', ['-sd', 'uac'], { encoding: 'utf8' });
  const scenario = join(runDir, 'uac.xml');
  writeFileSync(scenario, exported.stdout.replaceAll('sipp <sip:sipp@', `<sip:${DEMO_CALLER_ID}@`));
  const target = emulator[transport];
  const run = spawnSync(
    'sipp',
    [
      `${target.address}:${target.port}`,
      '-sf',
      scenario,
      '-s',
      ECHO_NUMBER,
      '-t',
      transport === 'udp' ? 'u1' : 't1',
      '-i',
      '127.0.0.1',
      '-p',
      '0',
      '-m',
      String(PDD_CALLS),
      '-l',
      '1',
      '-r',
      '1000',
      '-nostdin',
      '-timeout',
      '120s',
      '-timeout_error',
      '-trace_msg',
      '-message_file',
      join(runDir, 'messages.log'),
    ],
    { cwd: runDir, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`SIPp ${transport} failed (exit ${run.status}): ${run.stdout}`);
  const delays = sippMessageLogDelays(readFileSync(join(runDir, 'messages.log'), 'latin1'));
  if (delays.length !== PDD_CALLS)
    throw new Error(`SIPp: ${delays.length} of ${PDD_CALLS} calls were measured`);
  return delays;
}

/**
 * INVITE sent → 200 received per Call-ID from SIPp's `-trace_msg` log, whose blocks start with a line of dashes and
 * a timestamp to the microsecond (its `rtd` statistics count whole milliseconds only, too coarse on loopback).
 */
function sippMessageLogDelays(log: string): number[] {
  const sent = new Map<string, number>();
  const delays = new Map<string, number>();
  for (const block of log.split(/^-{20,} /m).slice(1)) {
    const time = /^\S+ (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(block);
    const callId = /^Call-ID\s*:\s*(\S+)/im.exec(block)?.[1];
    if (time === null || callId === undefined) continue;
    const ms = ((Number(time[1]) * 60 + Number(time[2])) * 60 + Number(time[3])) * 1000;
    const message = block.slice(block.indexOf('\n\n') + 2);
    if (/message sent/.test(block) && message.startsWith('INVITE ') && !sent.has(callId))
      sent.set(callId, ms);
    else if (
      /message received/.test(block) &&
      message.startsWith('SIP/2.0 200') &&
      /^CSeq\s*:\s*\d+\s+INVITE/im.test(message) &&
      sent.has(callId) &&
      !delays.has(callId)
    ) {
      delays.set(callId, ms - sent.get(callId)!);
    }
  }
  return [...delays.values()];
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** CPU seconds a process has used so far (utime + stime from /proc). */
function processCpuS(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

function ownCpuS(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

async function cpuPerCall(emulator: RunningEmulator, transport: SignallingTransport) {
  const phone = await phoneFor(emulator, transport);
  try {
    const idleStart = ownCpuS();
    await sleep(HOLD_MS);
    const idleCpuS = ownCpuS() - idleStart;
    const calls = Array.from({ length: HELD_CALLS }, () =>
      phone.call(ECHO_NUMBER, { source: ToneSource.sine(440) }),
    );
    await Promise.all(calls.map((call) => until(call, 'answered')));
    await sleep(500);
    const ownStart = ownCpuS();
    const emulatorStart = processCpuS(emulator.child.pid!);
    await sleep(HOLD_MS);
    const ownUsedS = ownCpuS() - ownStart;
    const emulatorUsedS = processCpuS(emulator.child.pid!) - emulatorStart;
    await Promise.all(calls.map((call) => call.hangup()));
    const callSeconds = HELD_CALLS * (HOLD_MS / 1000);
    return {
      phoneMsPerCallS: ((ownUsedS - idleCpuS) * 1000) / callSeconds,
      phoneIdleMsPerS: (idleCpuS * 1000) / (HOLD_MS / 1000),
      emulatorMsPerCallS: (emulatorUsedS * 1000) / callSeconds,
    };
  } finally {
    await phone.stop();
  }
}

const fmt = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

const dir = mkdtempSync(join(tmpdir(), 'trunkline-bench-ua-'));
const emulator = await startEmulator(dir);
try {
  console.log(
    `post-dial delay (INVITE sent → 200 OK received), ${PDD_CALLS} calls one at a time to the echo number, ms` +
      (QUICK ? ' (quick mode)' : ''),
  );
  console.log(
    `${'transport'.padEnd(10)}${'softphone p50'.padStart(15)}${'p95'.padStart(9)}` +
      `${'SIPp uac p50'.padStart(15)}${'p95'.padStart(9)}${'ratio p50'.padStart(11)}${'ratio p95'.padStart(11)}`,
  );
  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    const ours = await softphonePdd(emulator, transport);
    const sipp = transport === 'tls' ? undefined : sippPdd(emulator, transport, dir);
    const [p50, p95] = [percentile(ours, 50), percentile(ours, 95)];
    const [s50, s95] =
      sipp === undefined ? [Number.NaN, Number.NaN] : [percentile(sipp, 50), percentile(sipp, 95)];
    console.log(
      `${transport.padEnd(10)}${fmt(p50).padStart(15)}${fmt(p95).padStart(9)}${fmt(s50).padStart(15)}` +
        `${fmt(s95).padStart(9)}${fmt(p50 / s50).padStart(11)}${fmt(p95 / s95).padStart(11)}`,
    );
  }
  console.log('(SIPp 3.6.1 here is built without TLS: no reference for tls. Ratio = softphone / SIPp.)');
  console.log('');
  console.log(
    `CPU per active call with media: ${HELD_CALLS} concurrent echo calls with a tone, held ${HOLD_MS / 1000} s, ms CPU per call-second`,
  );
  console.log(
    `${'transport'.padEnd(10)}${'softphone'.padStart(12)}${'emulator'.padStart(12)}${'idle phone ms/s'.padStart(18)}${'phone/emulator'.padStart(16)}`,
  );
  for (const transport of ['udp', 'tls'] as const) {
    const cpu = await cpuPerCall(emulator, transport);
    console.log(
      `${(transport === 'tls' ? 'tls+srtp' : 'udp').padEnd(10)}${fmt(cpu.phoneMsPerCallS).padStart(12)}` +
        `${fmt(cpu.emulatorMsPerCallS).padStart(12)}${fmt(cpu.phoneIdleMsPerS).padStart(18)}` +
        `${fmt(cpu.phoneMsPerCallS / cpu.emulatorMsPerCallS).padStart(16)}`,
    );
  }
  console.log(
    '(softphone: this process minus its idle CPU over the same time; emulator: its process, from /proc)',
  );
} finally {
  emulator.child.kill('SIGTERM');
  await new Promise((resolve) => emulator.child.once('close', resolve));
  rmSync(dir, { recursive: true, force: true });
}
