// What a dispatcher thread would cost the emulator per SIP message (docs/adr/0157): the one thread that owns the
// 5060 socket reads each datagram, finds its Call-ID, hands it to the worker thread that owns the call and sends
// the worker's answer from 5060 (a PBX behind NAT expects the response from where it sent the request).
//
// Reference, measured in the same run: the same socket answering each datagram itself (no worker). A load process
// sends typical INVITE-sized datagrams at a fixed rate, each with its own Call-ID, and counts the answers. Printed:
// CPU time per message of the socket's thread (from /proc/self/task/<tid>/stat) and of the whole process, for both.
//
//   npx tsx sip-core/bench/emulator/dispatch-cost.ts [messages/s] [seconds]

import { fork } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TYPICAL_200_OK, TYPICAL_INVITE } from '../sip/typical-messages.js';

// The load process gets `--load <port> <rate> <seconds>`.
const LOAD = process.argv[2] === '--load';
const [RATE, SECONDS] = (LOAD ? process.argv.slice(4) : process.argv.slice(2)).map(Number) as [
  number?,
  number?,
];
const rate = RATE ?? 10_000;
const seconds = SECONDS ?? 5;
/** USER_HZ, the unit of /proc's CPU times: 100 on Linux for every architecture Node runs on. */
const TICKS_PER_SECOND = 100;
/** The load process runs this file's TypeScript through tsx, as `npx tsx` runs it. */
const TSX = ['--import', 'tsx'];

/** The Call-ID header's value (compact form `i:` too), without parsing the rest of the message. */
function findCallId(datagram: Buffer): string | undefined {
  const text = datagram.toString('latin1', 0, Math.min(datagram.length, 2048));
  const match = /\r\n(?:Call-ID|i)[ \t]*:[ \t]*([^\r\n]+)/i.exec(text);
  return match?.[1];
}

function threadCpuMs(tid: number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5); the slice starts at field 3.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

// ---- the worker thread: owns calls, answers each message -------------------------------------------------------

// Plain JavaScript, evaluated: a worker thread does not get tsx's loader. The stand-in for a call's work is nothing;
// what is measured is the hand-over both ways.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.on('message', (m) => parentPort.postMessage({ answer: workerData.answer, port: m.port, address: m.address }));
`;

// ---- the load process: sends at RATE, counts answers -----------------------------------------------------------

async function load(serverPort: number): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  let answers = 0;
  socket.on('message', () => answers++);
  const template = Buffer.from(TYPICAL_INVITE).toString('latin1');
  const callId = /\r\nCall-ID:[ \t]*([^\r\n]+)/i.exec(template)![1];
  let sent = 0;
  const total = rate * seconds;
  const start = performance.now();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    for (; sent < due; sent++) {
      socket.send(
        Buffer.from(template.replace(callId, `dispatch-${sent}@pbx`), 'latin1'),
        serverPort,
        '127.0.0.1',
      );
    }
    await sleep(1);
  }
  await sleep(500);
  process.send!({ sent, answers });
  socket.close();
}

// ---- the socket's thread: bare or dispatching ------------------------------------------------------------------

async function measure(
  mode: 'bare' | 'dispatch',
): Promise<{ threadUs: number; processUs: number; lost: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const answer = Buffer.from(TYPICAL_200_OK);
  const worker =
    mode === 'dispatch' ? new Worker(WORKER_SOURCE, { eval: true, workerData: { answer } }) : undefined;
  if (worker) {
    worker.on('message', (reply: { answer: Uint8Array; port: number; address: string }) =>
      socket.send(reply.answer, reply.port, reply.address),
    );
    await new Promise((resolve) => worker.once('online', resolve));
  }
  let routed = 0;
  socket.on('message', (datagram, from) => {
    if (worker === undefined) {
      socket.send(answer, from.port, from.address);
      return;
    }
    // One worker here; with several, a hash of the Call-ID picks the worker that owns the call.
    if (findCallId(datagram) !== undefined) routed++;
    worker.postMessage({ datagram, port: from.port, address: from.address });
  });
  const threadBefore = threadCpuMs(process.pid);
  const processBefore = processCpuMs();
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--load', String(socket.address().port), String(rate), String(seconds)],
    {
      execArgv: TSX,
    },
  );
  const result = await new Promise<{ sent: number; answers: number }>((resolve) =>
    child.once('message', resolve),
  );
  const messages = result.sent;
  const threadUs = ((threadCpuMs(process.pid) - threadBefore) * 1000) / messages;
  const processUs = ((processCpuMs() - processBefore) * 1000) / messages;
  await worker?.terminate();
  socket.close();
  if (worker && routed !== messages) throw new Error(`${messages - routed} datagrams without a Call-ID`);
  return { threadUs, processUs, lost: result.sent - result.answers };
}

if (LOAD) {
  await load(Number(process.argv[3]));
} else {
  console.log(`Dispatch cost: ${rate} SIP messages/s for ${seconds} s, answered from the same socket`);
  const rows: string[] = [];
  for (const mode of ['bare', 'dispatch', 'bare', 'dispatch'] as const) {
    const r = await measure(mode);
    rows.push(
      `${mode.padEnd(9)} socket thread ${r.threadUs.toFixed(1).padStart(6)} µs/message   whole process ` +
        `${r.processUs.toFixed(1).padStart(6)} µs/message   unanswered ${r.lost}`,
    );
  }
  console.log(rows.join('\n'));
}
