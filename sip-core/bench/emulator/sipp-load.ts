// The emulator under SIPp load (issue 4: "≥ 3,000 calls/s clean on this 2-core machine"), beside SIPp's own `uas`
// in the same run, because the machine is shared and only the ratio means something:
//
//   1. Call rate. The real `trunkline emulator` process (UDP, one IP-ACL trunk with room for the rate, the full
//      policy, a CDR with its SIP trace written to SQLite per call, far end "answer + echo"; media is lazy: each
//      call binds its RTP socket, SIPp sends no RTP, so no packet is echoed — docs/adr/0120) takes short calls
//      (INVITE, 100, 180, 200, ACK, BYE, 200) from SIPp (`-buff_size 4194304`) at stepped rates, each step for
//      STEP_S seconds; a step is clean when SIPp counts 0 failed calls and 0 retransmissions. The same steps run
//      against `sipp -sn uas`. Printed: the highest clean rate of each and their ratio.
//   2. CPU time per call. At one fixed rate (CPU_RATE calls/s for CPU_CALLS calls, below both sides' limits),
//      the server's user + system CPU time from /proc/<pid>/stat before and after, divided by the calls: a
//      figure that moves much less than the clean rate when other processes share the cores. The same for
//      `sipp -sn uas`. `BENCH_EMULATOR_CPU_PROF=DIR` also writes a V8 CPU profile of the emulator there. The
//      emulator's figure is split into its main thread and the others (the CDR writer, docs/adr/0158, and V8's
//      background threads: in quick mode about a quarter of the total is optimising compiles of the first calls'
//      code, a one-off cost spread over few calls, docs/adr/0154), and minor page faults per call are counted
//      beside it (each costs the faulting thread microseconds on this machine's kind of VM).
//   3. Memory per idle call. SIPp sets up IDLE_CALLS calls that stay up (a long pause); the emulator's resident
//      memory (VmRSS) before and after, divided by the number of calls.
//
// Every process is started here and stopped by its PID; the temporary folder is removed.
//   npm run bench:emulator                         (full: 15 s steps, 10,000 idle calls)
//   BENCH_EMULATOR_QUICK=1 npm run bench:emulator  (3 s steps, fewer rates, 2,000 idle calls)
//   BENCH_EMULATOR_PART=cpu|rate|idle              (one part only)
//   BENCH_EMULATOR_CPU_WARM=1                      (CPU part: also the next calls on the warm process)
//   BENCH_EMULATOR_CPU_GC=1                        (CPU part: the emulator's scavenges per call — bytes that
//                                                   survived and were promoted, pause — from --trace-gc-nvp:
//                                                   scavenge-stats.ts)
//   BENCH_EMULATOR_CPU_SYSCALLS=1                  (CPU part: system calls per call of each server's main
//                                                   thread, counted by `perf stat`: syscall-count.ts)
//   BENCH_EMULATOR_CPU_ALLOC=DIR                   (CPU part: where the emulator's allocations come from, per
//                                                   call, over the last phase — V8's sampling heap profiler,
//                                                   allocation-sampler.mjs; the profile is written to DIR)
//   BENCH_EMULATOR_RATES=500,750,1000              (rate part: these steps instead of the default ladder)
//   BENCH_EMULATOR_NODE_FLAGS='--import ./x.mjs'    (more Node flags for the emulator; it then stops by SIGINT)
//   BENCH_EMULATOR_ARGS='--helper-nice 0'           (more `trunkline emulator` options, space-separated)

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { MEDIA_HOST_NODE_FLAGS } from '../../bin/node-flags.mjs';
import { DEMO_ACCOUNT_CONFIG } from '../../src/policy/account/demo-account.js';
import { readSippLastRow, readSippStats, sippTimeMs } from '../../test/support/sipp-stats.js';
import { allocationsPerCall, formatAllocationsPerCall, type HeapProfile } from './allocation-stats.js';
import { formatScavengesPerCall, scavengesPerCall, type ScavengesPerCall } from './scavenge-stats.js';
import { countSyscalls, perCallSummary, type SyscallCountResult } from './syscall-count.js';

const QUICK = process.env.BENCH_EMULATOR_QUICK === '1';
const STEP_S = QUICK ? 3 : 15;
const RATES =
  process.env.BENCH_EMULATOR_RATES?.split(',').map(Number) ??
  (QUICK ? [250, 1000, 2000, 3000] : [250, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 5000]);
const IDLE_CALLS = Number(process.env.BENCH_EMULATOR_IDLE_CALLS ?? (QUICK ? 2_000 : 10_000));
const CPU_RATE = Number(process.env.BENCH_EMULATOR_CPU_RATE ?? 400);
const CPU_CALLS = Number(process.env.BENCH_EMULATOR_CPU_CALLS ?? (QUICK ? 2_000 : 6_000));
const CPU_PROFILE_DIR = process.env.BENCH_EMULATOR_CPU_PROF;
/** More Node flags for the measured emulator (an `--import` of a counter, a V8 flag to try), space-separated. */
const EXTRA_NODE_FLAGS = words(process.env.BENCH_EMULATOR_NODE_FLAGS);
/** More `trunkline emulator` options for the measured emulator (`--helper-nice 0`), space-separated. */
const EXTRA_EMULATOR_ARGS = words(process.env.BENCH_EMULATOR_ARGS);
/** `BENCH_EMULATOR_CPU_WARM=1`: measure a second batch of calls on the warm process too. */
const CPU_WARM = process.env.BENCH_EMULATOR_CPU_WARM === '1';
/** `BENCH_EMULATOR_CPU_SYSCALLS=1`: count the main thread's system calls per call in the CPU part. */
const CPU_SYSCALLS = process.env.BENCH_EMULATOR_CPU_SYSCALLS === '1';
/** `BENCH_EMULATOR_CPU_GC=1`: the emulator prints each collection (--trace-gc-nvp); scavenges per call. */
const CPU_GC = process.env.BENCH_EMULATOR_CPU_GC === '1';
/** `BENCH_EMULATOR_CPU_ALLOC=DIR`: sample the emulator's allocations over the CPU part's last phase. */
const CPU_ALLOC_DIR = process.env.BENCH_EMULATOR_CPU_ALLOC;
const ALLOCATION_SAMPLER = fileURLToPath(new URL('./allocation-sampler.mjs', import.meta.url));
const ALLOCATION_PROFILE =
  CPU_ALLOC_DIR === undefined ? undefined : resolve(CPU_ALLOC_DIR, `emulator-${Date.now()}.heapprofile`);
const PART = process.env.BENCH_EMULATOR_PART;
const BIN = fileURLToPath(new URL('../../bin/trunkline.mjs', import.meta.url));
const SCENARIO = fileURLToPath(new URL('../../test/fixtures/sipp/zt-invite-answered.xml', import.meta.url));
const ECHO = '+14155550111';
const ACL_TRUNK = '10000000000002.zt.plivo.com';

const children = new Set<ChildProcess>();

function start(
  command: string,
  args: readonly string[],
  cwd: string,
  onLine?: (line: string) => void,
  env?: NodeJS.ProcessEnv,
): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
  children.add(child);
  let output = '';
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-20_000);
    if (onLine === undefined) return;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20_000)));
  child.once('exit', () => children.delete(child));
  return { child, output: () => output };
}

async function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(child.pid, signal);
  } catch {
    // It ended between the check and the kill.
  }
  await exited(child);
}

/** SIPp's cumulative counters, or none when it wrote no statistics (it did not start). */
function sippStats(csv: string): Record<string, number> {
  return existsSync(csv) ? readSippStats(csv) : {};
}

/** The last row of SIPp's `-trace_stat` CSV by column name; empty when SIPp wrote none. */
function sippLastRow(csv: string): Map<string, string | undefined> {
  return existsSync(csv) ? readSippLastRow(csv) : new Map<string, string | undefined>();
}

/** The last value of one column of SIPp's `-trace_stat` CSV (periodic columns such as `CurrentCall`). */
function sippColumn(csv: string, name: string): number {
  return Number(sippLastRow(csv).get(name) ?? 0);
}

/**
 * Which messages SIPp counted as retransmitted, from its `-trace_counts` file (`<scenario>_<pid>_counts.csv` in
 * its folder, last line cumulative): `INVITE 12, BYE 18737` says which side was late — SIPp resending a request
 * it got no answer to in time, or receiving a response again (`200` after its ACK or BYE was late to arrive).
 */
function retransmittedMessages(dir: string, pid: number | undefined): string {
  const file = join(dir, `${basename(SCENARIO, '.xml')}_${pid}_counts.csv`);
  if (pid === undefined || !existsSync(file)) return '';
  const counted: string[] = [];
  for (const [name, value] of readSippLastRow(file)) {
    const message = /^\d+_(.+)_Retrans$/.exec(name)?.[1];
    const count = Number(value ?? 0);
    if (message !== undefined && count > 0) counted.push(`${message} ${count}`);
  }
  return counted.join(', ');
}

/** SIPp placing zt-invite-answered.xml calls to the echo number on the IP-ACL trunk, statistics in `stat`. */
function sippCallArgs(target: string, stat: string, extra: readonly string[]): string[] {
  return [
    target,
    ...['-sf', SCENARIO, '-s', ECHO, '-i', '127.0.0.1'],
    ...['-key', 'trunk_host', ACL_TRUNK, '-key', 'caller', '+14155550101'],
    // SIPp sends no RTP; the offer names the discard port.
    ...['-key', 'rtp_ip', '127.0.0.1', '-key', 'rtp_port', '9'],
    ...['-buff_size', '4194304', '-nostdin', '-trace_stat', '-stf', stat, '-fd', '1'],
    ...extra,
  ];
}

/**
 * Datagrams the kernel dropped at the UDP sockets bound to `port` on 127.0.0.1 (the `drops` column of
 * /proc/net/udp, counted since each socket was opened): a server that falls behind fills its receive buffer, and
 * what arrives then is lost before the server sees it — SIPp's retransmissions alone do not tell a late answer
 * from a lost request. 0 where /proc/net/udp is not readable.
 */
function udpDrops(port: number): number {
  let text: string;
  try {
    text = readFileSync('/proc/net/udp', 'latin1');
  } catch {
    return 0;
  }
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let drops = 0;
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === local) drops += Number(fields.at(-1) ?? 0) || 0;
  }
  return drops;
}

interface StepResult {
  readonly rate: number;
  readonly successful: number;
  readonly failed: number;
  readonly retransmissions: number;
  /** Per message, when there were any (`retransmittedMessages`). */
  readonly retransmitted: string;
  /** Datagrams to the server that its socket's full receive buffer made the kernel drop (`udpDrops`). */
  readonly dropped: number;
  readonly clean: boolean;
}

/** SIPp places `rate × STEP_S` short calls at `rate` per second against `target`. */
async function step(dir: string, target: string, rate: number, name: string): Promise<StepResult> {
  const calls = rate * STEP_S;
  const stat = join(dir, `${name}-${rate}-stat.csv`);
  const serverPort = Number(target.slice(target.lastIndexOf(':') + 1));
  const dropsBefore = udpDrops(serverPort);
  const sipp = start(
    'sipp',
    sippCallArgs(target, stat, [
      ...[
        '-p',
        '0',
        '-r',
        String(rate),
        '-m',
        String(calls),
        '-d',
        '0',
        '-l',
        String(Math.max(rate * 4, 1000)),
      ],
      ...['-timeout', `${STEP_S + 40}s`, '-trace_counts'],
    ]),
    dir,
  );
  await exited(sipp.child);
  const stats = sippStats(stat);
  const successful = stats['SuccessfulCall'] ?? 0;
  const failed = stats['FailedCall'] ?? calls;
  const retransmissions = stats['Retransmissions'] ?? 0;
  return {
    rate,
    successful,
    failed,
    retransmissions,
    retransmitted: retransmissions > 0 ? retransmittedMessages(dir, sipp.child.pid) : '',
    dropped: udpDrops(serverPort) - dropsBefore,
    clean: successful === calls && failed === 0 && retransmissions === 0,
  };
}

/** Steps the rate up until a step is not clean; returns the highest clean rate (0 if none). */
async function highestCleanRate(dir: string, target: string, name: string): Promise<number> {
  let best = 0;
  for (const rate of RATES) {
    const result = await step(dir, target, rate, name);
    console.log(
      `  ${name.padEnd(9)} ${String(rate).padStart(5)} calls/s × ${STEP_S} s: ${result.successful} ok, ` +
        `${result.failed} failed, ${result.retransmissions} retransmissions ${result.clean ? 'clean' : 'NOT clean'}` +
        (result.retransmitted === '' ? '' : ` (${result.retransmitted})`) +
        (result.dropped === 0 ? '' : `; the kernel dropped ${result.dropped} datagrams to the server`),
    );
    if (!result.clean) break;
    best = rate;
    // Let the previous step's transactions end (Timer J/K on both sides) before the next step starts.
    await sleep(2_000);
  }
  return best;
}

function config(dir: string): string {
  const file = join(dir, 'emulator.json');
  const room = 100_000;
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      account: {
        ...DEMO_ACCOUNT_CONFIG,
        limits: {
          ...DEMO_ACCOUNT_CONFIG.limits,
          account_cps: room,
          trunk_cps: {
            '10000000000002': room,
            '10000000000001': null,
            '10000000000003': null,
            '10000000000004': null,
          },
          max_concurrent_calls: null,
          // The demo's $25 pays for ~300,000 calls billed 1 s each at the US rate; the whole ladder makes ~350,000,
          // and a slow step bills several seconds per call. Running out of credit (4030) is not a throughput limit.
          credit_balance_usd: 1_000_000_000,
        },
      },
      // SIPp sends no RTP: idle calls must not be ended by the RTP inactivity rule (3020) while measured.
      // Each idle call holds one even RTP port. 20000–40000 held exactly 10,000 pairs for 10,000 calls, so any one
      // even port in it bound by another socket (another engineer's media test: the media layer's default range
      // is 10000–30000; an ephemeral port above 32768) refused a call with 503 + 5010: the "9,999 of 10,000"
      // of earlier runs. The range leaves 20 % headroom.
      settings: { mediaPortRange: { min: 20_000, max: 44_999 }, rtpInactivityTimeoutMs: null },
    }),
  );
  return file;
}

async function startEmulator(
  dir: string,
  name: string,
): Promise<{
  child: ChildProcess;
  target: string;
  output: () => string;
  /** The collections the emulator printed so far, in order; undefined unless traced (BENCH_EMULATOR_CPU_GC=1). */
  gcLines: readonly string[] | undefined;
}> {
  const dataDir = join(dir, name);
  const profile = CPU_PROFILE_DIR !== undefined && name === 'cpu-data';
  const traceGc = CPU_GC && name === 'cpu-data';
  const gcLines: string[] | undefined = traceGc ? [] : undefined;
  const sampleAllocations = CPU_ALLOC_DIR !== undefined && name === 'cpu-data';
  if (sampleAllocations) mkdirSync(CPU_ALLOC_DIR, { recursive: true });
  const emulator = start(
    process.execPath,
    [
      // As the `trunkline` command runs it (its shebang).
      ...MEDIA_HOST_NODE_FLAGS,
      ...(profile ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROFILE_DIR] : []),
      ...(traceGc ? ['--trace-gc-nvp'] : []),
      ...(sampleAllocations ? ['--import', ALLOCATION_SAMPLER] : []),
      ...EXTRA_NODE_FLAGS,
      BIN,
      'emulator',
      '--config',
      config(dir),
      '--data',
      dataDir,
      '--udp',
      '0',
      '--tcp',
      'off',
      '--tls',
      'off',
      '--json',
      ...EXTRA_EMULATOR_ARGS,
    ],
    dir,
    gcLines === undefined ? undefined : (line) => (line.includes(' gc=') ? gcLines.push(line) : undefined),
    sampleAllocations ? { ...process.env, TRUNKLINE_ALLOC_PROFILE: ALLOCATION_PROFILE } : undefined,
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const line = emulator
      .output()
      .split('\n')
      .find((l) => l.startsWith('{"type":"listening"'));
    if (line) {
      const udp = (JSON.parse(line) as { udp: { address: string; port: number } }).udp;
      return {
        child: emulator.child,
        target: `${udp.address}:${udp.port}`,
        output: emulator.output,
        gcLines,
      };
    }
    if (Date.now() > deadline || emulator.child.exitCode !== null) {
      throw new Error(`the emulator did not start:\n${emulator.output()}`);
    }
    await sleep(50);
  }
}

/** The space-separated words of an environment variable (none when it is unset or blank). */
function words(value: string | undefined): string[] {
  return value?.split(' ').filter((word) => word !== '') ?? [];
}

/** What one /proc stat line says of CPU time and minor page faults. */
interface StatReading {
  /** User + system CPU time in ms (fields 14 and 15, in clock ticks of 10 ms). */
  readonly cpuMs: number;
  /** Minor page faults (field 10): on this machine's kind of VM each costs the faulting thread microseconds. */
  readonly minorFaults: number;
}

function readStat(path: string): StatReading {
  const stat = readFileSync(path, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { cpuMs: (Number(fields[11]) + Number(fields[12])) * 10, minorFaults: Number(fields[7]) };
}

/** A process, all its threads. */
function processStat(pid: number): StatReading {
  return readStat(`/proc/${pid}/stat`);
}

/** The process's main thread (the event loop: JavaScript, syscalls) alone. */
function mainThreadStat(pid: number): StatReading {
  return readStat(`/proc/${pid}/task/${pid}/stat`);
}

interface CpuPerCall {
  /** The calls SIPp completed, which the figures are divided by. */
  readonly calls: number;
  /** All threads: the figure compared across runs. */
  readonly totalMs: number;
  /**
   * The main thread; the rest is the CDR writer thread (docs/adr/0158) and V8's background threads (optimising
   * compiles, GC — docs/adr/0154).
   */
  readonly mainMs: number;
  /** Minor page faults per call, all threads and the main thread's. */
  readonly faults: number;
  readonly mainFaults: number;
  /** The main thread's system calls per call (`perCallSummary`), when BENCH_EMULATOR_CPU_SYSCALLS=1. */
  readonly syscalls?: string;
  /**
   * SIPp's means over the phase: the INVITE's response time (to the first response it waits for) and the call's
   * length. A server that keeps up answers in a few ms; one that is behind keeps every call's objects that much
   * longer, past the scavenges that would have freed them (docs/adr/0176).
   */
  readonly sippMeans: { readonly responseMs: number; readonly callMs: number };
  /** The main isolate's scavenges per call, when BENCH_EMULATOR_CPU_GC=1 and the server printed them. */
  readonly scavenges?: ScavengesPerCall | string;
}

/** CPU ms the server `pid` spends per call while SIPp places `calls` calls at CPU_RATE per second. */
async function cpuPerCall(
  dir: string,
  target: string,
  pid: number,
  name: string,
  gcLines?: readonly string[],
  calls = CPU_CALLS,
): Promise<CpuPerCall> {
  const gcFrom = gcLines?.length ?? 0;
  const before = processStat(pid);
  const mainBefore = mainThreadStat(pid);
  const stat = join(dir, `${name}-cpu-stat.csv`);
  const syscalls = CPU_SYSCALLS ? countSyscalls(pid, dir, name) : undefined;
  let after: StatReading;
  let mainAfter: StatReading;
  let syscallCounts: SyscallCountResult | undefined;
  try {
    const sipp = start(
      'sipp',
      sippCallArgs(target, stat, [
        ...['-p', '0', '-r', String(CPU_RATE), '-m', String(calls), '-d', '0', '-l', '4000'],
        ...['-timeout', `${Math.ceil(calls / CPU_RATE) + 40}s`],
      ]),
      dir,
    );
    await exited(sipp.child);
    // The last BYEs' CDRs are written a moment after their 200.
    await sleep(500);
    after = processStat(pid);
    mainAfter = mainThreadStat(pid);
  } finally {
    // perf is not one of `children`: it stops here whatever happened.
    syscallCounts = await syscalls?.stop();
  }
  // One read of SIPp's last row: the calls it completed and its mean times.
  const lastRow = sippLastRow(stat);
  const successful = Number(lastRow.get('SuccessfulCall(C)') ?? 0);
  if (successful < calls) console.log(`  (${name}: only ${successful} of ${calls} calls succeeded)`);
  const per = (value: number): number => value / Math.max(successful, 1);
  return {
    calls: successful,
    totalMs: per(after.cpuMs - before.cpuMs),
    mainMs: per(mainAfter.cpuMs - mainBefore.cpuMs),
    faults: per(after.minorFaults - before.minorFaults),
    mainFaults: per(mainAfter.minorFaults - mainBefore.minorFaults),
    sippMeans: {
      responseMs: sippTimeMs(lastRow.get('ResponseTime1(C)')),
      callMs: sippTimeMs(lastRow.get('CallLength(C)')),
    },
    ...(syscallCounts === undefined ? {} : { syscalls: perCallSummary(syscallCounts, successful) }),
    ...(gcLines === undefined ? {} : { scavenges: scavengesPerCall(gcLines.slice(gcFrom), successful) }),
  };
}

async function cpuPart(dir: string): Promise<void> {
  console.log(`CPU time per call: ${CPU_CALLS} short calls at ${CPU_RATE} calls/s`);
  const emulator = await startEmulator(dir, 'cpu-data');
  const pid = emulator.child.pid!;
  // The sampler starts just before the last phase (the warm one when there is one) and stops with the process.
  const sampleFrom = (): void => {
    if (ALLOCATION_PROFILE !== undefined) process.kill(pid, 'SIGUSR2');
  };
  let cold: CpuPerCall;
  let warmMs: CpuPerCall | undefined;
  try {
    if (!CPU_WARM) sampleFrom();
    cold = await cpuPerCall(dir, emulator.target, pid, 'emulator', emulator.gcLines);
    // The same number of calls again on the now warm process: V8 has optimised the hot code by then, so the
    // difference to the first figure is mostly the one-off JIT work of the first calls (docs/adr/0154).
    if (CPU_WARM) {
      sampleFrom();
      warmMs = await cpuPerCall(dir, emulator.target, pid, 'emulator-warm', emulator.gcLines);
    }
  } finally {
    // SIGINT: the emulator stops cleanly, so that --cpu-prof and the allocation sampler write their profiles
    // (and extra flags' exit hooks run).
    const clean =
      CPU_PROFILE_DIR !== undefined || ALLOCATION_PROFILE !== undefined || EXTRA_NODE_FLAGS.length > 0;
    await stop(emulator.child, clean ? 'SIGINT' : 'SIGKILL');
  }
  const uasPort = await freeUdpPort();
  const uas = start(
    'sipp',
    ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(uasPort), '-buff_size', '4194304', '-nostdin'],
    dir,
  );
  let uasMs: number;
  let uasSyscalls: string | undefined;
  try {
    await sleep(500);
    ({ totalMs: uasMs, syscalls: uasSyscalls } = await cpuPerCall(
      dir,
      `127.0.0.1:${uasPort}`,
      uas.child.pid!,
      'uas',
    ));
  } finally {
    await stop(uas.child);
  }
  const { totalMs: emulatorMs, mainMs: emulatorMainMs } = cold;
  console.log(
    `CPU per call: emulator ${emulatorMs.toFixed(3)} ms, SIPp uas ${uasMs.toFixed(3)} ms ` +
      `(${uasMs > 0 ? (emulatorMs / uasMs).toFixed(1) : 'n/a'}×); at 2 cores the emulator's ceiling is about ` +
      `${Math.floor(1000 / emulatorMs).toLocaleString('en-US')} calls/s per core`,
  );
  console.log(
    `  emulator main thread ${emulatorMainMs.toFixed(3)} ms, other threads (CDR writer, JIT, GC) ` +
      `${(emulatorMs - emulatorMainMs).toFixed(3)} ms` +
      (warmMs === undefined
        ? ''
        : `; the next ${CPU_CALLS} calls, warm: ${warmMs.totalMs.toFixed(3)} ms ` +
          `(main thread ${warmMs.mainMs.toFixed(3)} ms)`),
  );
  // A minor fault (a page touched for the first time since it was mapped or given back) costs the faulting thread
  // microseconds on a virtual machine whose page tables the host keeps: counted, because it is CPU time that no
  // JavaScript profile shows.
  console.log(
    `  minor page faults per call: ${cold.faults.toFixed(2)} (main thread ${cold.mainFaults.toFixed(2)})` +
      (warmMs === undefined
        ? ''
        : `; warm: ${warmMs.faults.toFixed(2)} (main thread ${warmMs.mainFaults.toFixed(2)})`),
  );
  const means = ({ sippMeans: { responseMs, callMs } }: CpuPerCall): string =>
    `INVITE answered in ${responseMs.toFixed(1)} ms, calls ${callMs.toFixed(1)} ms long`;
  console.log(
    `  as SIPp saw it (means): ${means(cold)}` +
      (warmMs === undefined ? '' : `; warm: ${means(warmMs)}`) +
      ' — tens of ms more means the emulator was behind, and its calls were promoted (docs/adr/0176)',
  );
  if (CPU_GC) {
    console.log(
      `  young-generation collections, main thread: ${formatScavengesPerCall(cold.scavenges ?? 'not traced')}` +
        (warmMs === undefined ? '' : `; warm: ${formatScavengesPerCall(warmMs.scavenges ?? 'not traced')}`),
    );
  }
  if (ALLOCATION_PROFILE !== undefined) {
    const sampled = warmMs ?? cold;
    console.log(
      `  allocations${warmMs === undefined ? '' : ', warm'} (sampled; the phase's CPU figure includes the ` +
        `sampler): ${allocationSummary(ALLOCATION_PROFILE, sampled.calls)}`,
    );
  }
  if (CPU_SYSCALLS) {
    console.log(
      `  system calls per call, main thread: emulator ${cold.syscalls ?? 'n/a'}` +
        (warmMs === undefined ? '' : `; warm ${warmMs.syscalls ?? 'n/a'}`) +
        `; SIPp uas ${uasSyscalls ?? 'n/a'}`,
    );
  }
}

/** The sampler's profile summed per call, or why there is none. */
function allocationSummary(file: string, calls: number): string {
  if (!existsSync(file)) return 'no profile was written (see the emulator output)';
  const profile = JSON.parse(readFileSync(file, 'utf8')) as HeapProfile;
  return `${formatAllocationsPerCall(allocationsPerCall(profile, calls))} (profile: ${file})`;
}

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
}

async function freeUdpPort(): Promise<number> {
  const dgram = await import('node:dgram');
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** Starts SIPp placing `count` calls that stay up; resolves once all are established (or the deadline passed). */
async function establish(
  dir: string,
  target: string,
  count: number,
  name: string,
): Promise<{ child: ChildProcess; stat: string; established: number }> {
  const stat = join(dir, `${name}-stat.csv`);
  const rate = 500;
  const sipp = start(
    'sipp',
    sippCallArgs(target, stat, [
      ...['-p', String(await freeUdpPort())],
      ...['-r', String(rate), '-m', String(count), '-l', String(count), '-d', '3600000'],
    ]),
    dir,
  );
  const deadline = Date.now() + (count / rate) * 1000 + 60_000;
  let established = 0;
  while (Date.now() < deadline) {
    await sleep(1_000);
    established = sippColumn(stat, 'CurrentCall');
    if (established >= count) break;
  }
  return { child: sipp.child, stat, established };
}

/**
 * RSS growth of the emulator per idle call, as a slope: RSS with IDLE_CALLS / 2 calls up and with IDLE_CALLS up,
 * each measured once the setup transactions have ended (64·T1 = 32 s), so that start-up memory and garbage not
 * yet collected at start do not count.
 */
async function idleCallMemory(dir: string): Promise<{ perCallBytes: number; established: number }> {
  const emulator = await startEmulator(dir, 'idle-data');
  const half = Math.floor(IDLE_CALLS / 2);
  try {
    const first = await establish(dir, emulator.target, half, 'idle-1');
    await sleep(34_000);
    const atHalf = rssKb(emulator.child.pid!);
    const second = await establish(dir, emulator.target, IDLE_CALLS - half, 'idle-2');
    await sleep(34_000);
    const atFull = rssKb(emulator.child.pid!);
    const established = sippColumn(first.stat, 'CurrentCall') + sippColumn(second.stat, 'CurrentCall');
    if (established < IDLE_CALLS) {
      // Say why: SIPp's failed calls and the emulator's CDR lines (one per call that ended, with its cause).
      const failed = (sippStats(first.stat)['FailedCall'] ?? 0) + (sippStats(second.stat)['FailedCall'] ?? 0);
      const causes = new Map<string, number>();
      for (const line of emulator.output().split('\n')) {
        if (!line.startsWith('{"type":"call"')) continue;
        const call = JSON.parse(line) as { hangupCauseCode: number; hangupCauseName: string };
        const cause = `${call.hangupCauseCode} ${call.hangupCauseName}`;
        causes.set(cause, (causes.get(cause) ?? 0) + 1);
      }
      console.log(
        `  (only ${established} of ${IDLE_CALLS} calls were up at the end; SIPp failed calls: ${failed}; ` +
          `emulator CDRs: ${[...causes].map(([c, n]) => `${n}× ${c}`).join(', ') || 'none'})`,
      );
    }
    await stop(first.child);
    await stop(second.child);
    return { perCallBytes: ((atFull - atHalf) * 1024) / Math.max(second.established, 1), established };
  } finally {
    await stop(emulator.child);
  }
}

async function idlePart(dir: string): Promise<void> {
  const idle = await idleCallMemory(dir);
  console.log(
    `idle established calls: ${idle.established.toLocaleString('en-US')}; emulator RSS growth ` +
      `${(idle.perCallBytes / 1024).toFixed(1)} KB per call (target ≤ 10 KB at 10,000 calls)`,
  );
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-emulator-sipp-'));
  try {
    console.log('');
    if (PART === 'idle') return void (await idlePart(dir));
    if (PART === 'cpu') return void (await cpuPart(dir));
    if (PART !== 'rate') {
      await cpuPart(dir);
      console.log('');
    }
    console.log(`SIPp short calls (INVITE/100/200/ACK/BYE/200), ${STEP_S} s per step, -buff_size 4194304`);
    const emulator = await startEmulator(dir, 'rate-data');
    let emulatorBest: number;
    try {
      emulatorBest = await highestCleanRate(dir, emulator.target, 'emulator');
    } finally {
      await stop(emulator.child);
    }
    const uasPort = await freeUdpPort();
    const uas = start(
      'sipp',
      ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(uasPort), '-buff_size', '4194304', '-nostdin'],
      dir,
    );
    let uasBest: number;
    try {
      await sleep(500);
      uasBest = await highestCleanRate(dir, `127.0.0.1:${uasPort}`, 'sipp uas');
    } finally {
      await stop(uas.child);
    }
    // A side clean at the last step was not pushed to its limit: its rate is a lower bound.
    const bound = (best: number): string => `${best === RATES[RATES.length - 1] ? '≥ ' : ''}${best}`;
    console.log(
      `highest clean rate: emulator ${bound(emulatorBest)} calls/s, SIPp uas ${bound(uasBest)} calls/s`,
    );
    console.log(
      `emulator / SIPp uas ${uasBest > 0 ? (emulatorBest / uasBest).toFixed(2) : 'n/a'}×` +
        `${uasBest === RATES[RATES.length - 1] ? ' or less' : ''} ` +
        `(target ≥ 3,000 calls/s: ${emulatorBest >= 3_000 ? 'met' : 'NOT met'})`,
    );

    if (PART === 'rate') return;
    console.log('');
    await idlePart(dir);
  } finally {
    for (const child of [...children]) await stop(child);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
