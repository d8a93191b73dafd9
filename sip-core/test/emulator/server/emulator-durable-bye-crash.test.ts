// The window of docs/adr/0085 closed (docs/adr/0150): a PBX that received the emulator's 200 to its BYE finds the
// call's CDR, even when the emulator dies by SIGKILL the very moment that 200 arrives. A child process runs the
// real emulator (test/support/emulator-crash-child.ts); a node:dgram client sets up a burst of calls, sends all
// their BYEs at once and kills the child by PID from inside the handler of the first 200 to a BYE — no sleep
// decides the moment. Every Call-ID whose 200 to the BYE reached the client (before or after the kill: those were
// sent before the child died) must have its CDR in the reopened store.
//
// Before the change the 200 left one event-loop turn before the commit, and this test lost CDRs in every one of
// 30 rounds (3 runs of 10, ADR 0150).

import { createSocket, type Socket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDatabasePath, TrunklineStore } from '../../../src/store/index.js';
import { PeerProcesses, type PeerProcess } from '../../support/peer-process.js';
import { RawUdpCall, responseOf } from '../../support/raw-udp-caller.js';
import { useTempDirs } from '../../support/store-fixtures.js';

const CHILD = fileURLToPath(new URL('../../support/emulator-crash-child.ts', import.meta.url));
/** Rounds (one kill each) and calls ended in one burst per round. */
const ROUNDS = 10;
const CALLS_PER_ROUND = 16;

const processes = new PeerProcesses();
const sockets: Socket[] = [];
const tempDir = useTempDirs();

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await processes.stopAll();
});

async function listeningPort(child: PeerProcess): Promise<number> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const line = child
      .output()
      .split('\n')
      .find((l) => l.startsWith('{'));
    if (line !== undefined) return (JSON.parse(line) as { udp: { port: number } }).udp.port;
    if (Date.now() > deadline) throw new Error(`the emulator did not start: ${child.output().slice(-500)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** One round: calls up, BYEs in a burst, SIGKILL on the first 200 to a BYE. Returns the acknowledged Call-IDs. */
async function killOnFirstByeOk(dataDir: string, round: number): Promise<string[]> {
  const child = processes.start(process.execPath, ['--import', 'tsx', CHILD, dataDir]);
  const port = await listeningPort(child);
  const socket = createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const local = { localPort: socket.address().port, rtpPort: 9 };
  const calls = new Map<string, RawUdpCall>();
  for (let i = 0; i < CALLS_PER_ROUND; i++) {
    const call = new RawUdpCall(`crash-${round}-${i}-${process.pid}@pbx`, local);
    calls.set(call.callId, call);
  }
  const send = (text: string) => socket.send(Buffer.from(text, 'utf8'), port, '127.0.0.1');
  const answered = new Set<string>();
  const acknowledged: string[] = [];
  let killed = false;
  const allAnswered = new Promise<void>((resolveAnswered) => {
    socket.on('message', (bytes) => {
      const response = responseOf(bytes.toString('utf8'));
      const callId = /\r\nCall-ID: *(\S+)/i.exec(bytes.toString('utf8'))?.[1] ?? '';
      const call = calls.get(callId);
      if (!response || !call || response.status !== 200) return;
      if (response.method === 'BYE') {
        if (!killed) {
          // The PBX has its 200: the emulator dies now, before it can do anything more.
          process.kill(child.pid, 'SIGKILL');
          killed = true;
        }
        if (!acknowledged.includes(callId)) acknowledged.push(callId);
        return;
      }
      if (response.method !== 'INVITE' || answered.has(callId)) return;
      call.answered(response.message);
      send(call.ack());
      answered.add(callId);
      if (answered.size === calls.size) resolveAnswered();
    });
  });
  for (const call of calls.values()) send(call.invite());
  await allAnswered;
  for (const call of calls.values()) send(call.bye());
  expect(await child.exited).toBeNull(); // killed by the signal
  // Datagrams the child sent before it died are in our socket's buffer already: a few turns read them.
  for (let i = 0; i < 5; i++) await nextTurn();
  return acknowledged;
}

describe('Emulator — kill -9 the moment the PBX gets its 200 to BYE', () => {
  it(`keeps the CDR of every call whose BYE was answered (${ROUNDS} kills)`, async () => {
    const lostPerRound: string[][] = [];
    let acknowledgedTotal = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const dataDir = tempDir();
      const acknowledged = await killOnFirstByeOk(dataDir, round);
      expect(acknowledged.length).toBeGreaterThan(0);
      acknowledgedTotal += acknowledged.length;
      const store = TrunklineStore.open({ path: defaultDatabasePath(dataDir) });
      try {
        const stored = new Set(store.listCdrs({ limit: 1000 }).objects.map((cdr) => cdr.call_id));
        const lost = acknowledged.filter((callId) => !stored.has(callId));
        lostPerRound.push(lost);
      } finally {
        store.close();
      }
    }
    const lostRounds = lostPerRound.filter((lost) => lost.length > 0).length;
    expect(
      lostPerRound.flat(),
      `${lostRounds}/${ROUNDS} rounds lost CDRs of acknowledged calls (${acknowledgedTotal} acknowledged)`,
    ).toEqual([]);
  }, 60_000);
});
