// Memory per idle established call (the issue's target: ≤ 10 KB per idle call at 10,000 calls). A UAC in this
// process (sip/stack + sip/dialog, no media of its own: its SDP points at the discard port) sets up N calls to the
// emulator's echo number and leaves them up; the heap, external and RSS growth after a full GC, divided by N, is
// the cost of one idle call on both sides — the emulator's share (dialog, one RTP socket, CDR facts, inactivity
// timer) plus the UAC's (its dialog and ACK). As a reference the same run measures the UAC's own share, by setting
// up N dialogs against a bare stack that answers 200 and keeps nothing.
//
//   node --expose-gc --import tsx sip-core/bench/emulator/idle-calls.ts [calls=2000]
//
// IDLE_HEAP_SNAPSHOT_DIR=DIR also writes V8 heap snapshots of the emulator run before and after the calls
// (`before.heapsnapshot`, `after.heapsnapshot`); `heap-snapshot-diff.ts` turns them into the growth per call by
// constructor. IDLE_SKIP_REFERENCE=1 leaves out the reference run (the UAC's own share) to save its minute.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeHeapSnapshot } from 'node:v8';
import { Emulator, parseEmulatorConfig } from '../../src/emulator/index.js';
import { DEMO_ACCOUNT_CONFIG } from '../../src/policy/account/demo-account.js';
import { UacInviteDialogs } from '../../src/sip/dialog/index.js';
import { createRequest, createResponse, generateTag } from '../../src/sip/message/index.js';
import { SipStack, type TransactionUser } from '../../src/sip/stack/index.js';
import type { ServerTransaction } from '../../src/sip/transaction/index.js';

const CALLS = Number(process.argv[2] ?? 2_000);
const SNAPSHOT_DIR = process.env.IDLE_HEAP_SNAPSHOT_DIR;
const SKIP_REFERENCE = process.env.IDLE_SKIP_REFERENCE === '1';
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const SDP = [
  'v=0',
  'o=uac 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 9 RTP/AVP 0 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
  '',
].join('\r\n');

interface Footprint {
  heap: number;
  external: number;
  rss: number;
}

async function footprint(): Promise<Footprint> {
  for (let i = 0; i < 3; i++) {
    gc!();
    await sleep(50);
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external + m.arrayBuffers, rss: m.rss };
}

const nullTu: TransactionUser = {
  onRequest: (t: ServerTransaction) => t.respond(createResponse(t.request, 200, { toTag: generateTag() })),
  onAck: () => undefined,
  onCancel: () => undefined,
  onStrayResponse: () => undefined,
};

/** Sets up `count` dialogs against `target`, 200 at a time; keeps them (and their ACKs) alive. */
async function setUp(uac: SipStack, port: number, count: number, host: string): Promise<UacInviteDialogs[]> {
  const kept: UacInviteDialogs[] = [];
  for (let start = 0; start < count; start += 200) {
    const batch = Array.from({ length: Math.min(200, count - start) }, async () => {
      const invite = createRequest({
        method: 'INVITE',
        requestUri: `sip:+14155550111@${host}`,
        from: 'sip:+14155550101@127.0.0.1',
        to: `sip:+14155550111@${host}`,
        contact: 'sip:uac@127.0.0.1',
        body: SDP,
        contentType: 'application/sdp',
      });
      const dialogs = new UacInviteDialogs(invite, uac);
      const transaction = uac.sendInvite(invite, {
        destination: { host: '127.0.0.1', port, transport: 'udp' },
      });
      await new Promise<void>((resolve, reject) => {
        transaction.on('response', (r) => {
          if (dialogs.receive(r).kind === 'confirmed') resolve();
          else if (r.statusCode >= 300) reject(new Error(`call refused: ${r.statusCode}`));
        });
        transaction.on('timeout', () => reject(new Error('INVITE timed out')));
      });
      kept.push(dialogs);
    });
    await Promise.all(batch);
  }
  // An idle call is one whose transactions are over: RFC 6026 keeps an INVITE transaction 64·T1 (32 s) after
  // its 2xx on both sides (Timer M at the UAC, Timer L at the UAS), so the measurement waits for them to end.
  await sleep(33_000);
  return kept;
}

function perCall(before: Footprint, after: Footprint): string {
  const kb = (bytes: number) => (bytes / CALLS / 1024).toFixed(2);
  return `heap ${kb(after.heap - before.heap)} KB, external ${kb(after.external - before.external)} KB, RSS ${kb(after.rss - before.rss)} KB`;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'trunkline-idle-bench-'));
  const account = structuredClone(DEMO_ACCOUNT_CONFIG) as unknown as {
    limits: { account_cps: number; trunk_cps: Record<string, number | null> };
  };
  account.limits.account_cps = 100_000;
  account.limits.trunk_cps['10000000000002'] = 50_000;
  const parsed = parseEmulatorConfig(
    {
      version: 1,
      dataDir,
      listen: { host: '127.0.0.1', udp: 0, tcp: null, tls: null },
      account,
      // One RTP port pair per call, with a quarter of the range spare for ports other processes hold.
      // The UAC sends no RTP: the inactivity timer stays armed (its memory counts) but must not end calls while
      // 10,000 of them are set up and the transactions wind down (over 60 s on a loaded machine).
      settings: {
        mediaPortRange: { min: 20000, max: 20000 + Math.ceil(CALLS * 2.5) + 999 },
        rtpInactivityTimeoutMs: 600_000,
      },
    },
    { baseDir: dataDir, source: { kind: 'built-in' } },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));

  const { refBefore, refAfter } = SKIP_REFERENCE
    ? { refBefore: undefined, refAfter: undefined }
    : await referenceRun();

  const emulator = await Emulator.start(parsed.value, { dataDir });
  const uac = new SipStack({ transactionUser: nullTu });
  await uac.listen({ transport: 'udp', host: '127.0.0.1', port: 0 });
  const before = await footprint();
  if (SNAPSHOT_DIR) writeHeapSnapshot(join(SNAPSHOT_DIR, 'before.heapsnapshot'));
  const kept = await setUp(uac, emulator.addresses().udp!.port, CALLS, '10000000000002.zt.plivo.com');
  const after = await footprint();
  if (SNAPSHOT_DIR) writeHeapSnapshot(join(SNAPSHOT_DIR, 'after.heapsnapshot'));
  console.log(
    `emulator + UAC (${kept.length} idle calls, ${emulator.activeCalls} live): ${perCall(before, after)} per call`,
  );
  if (emulator.activeCalls !== CALLS) {
    console.log(
      `WARNING: only ${emulator.activeCalls} of ${CALLS} calls are live; the figures below understate.`,
    );
    process.exitCode = 1;
  }
  const heapEmu = (after.heap - before.heap + after.external - before.external) / CALLS;
  if (refBefore && refAfter) {
    const heapRef = (refAfter.heap - refBefore.heap + refAfter.external - refBefore.external) / CALLS;
    console.log(
      `emulator's share (heap + external, minus the reference): ${((heapEmu - heapRef) / 1024).toFixed(2)} KB per idle call (target ≤ 10 KB)`,
    );
  }
  await uac.close();
  await emulator.stop();
  await rm(dataDir, { recursive: true, force: true });
}

/** The UAC's own share, against a stack that answers 200 and keeps nothing. */
async function referenceRun(): Promise<{ refBefore: Footprint; refAfter: Footprint }> {
  const bare = new SipStack({ transactionUser: nullTu });
  const bareListener = await bare.listen({ transport: 'udp', host: '127.0.0.1', port: 0 });
  const refUac = new SipStack({ transactionUser: nullTu });
  await refUac.listen({ transport: 'udp', host: '127.0.0.1', port: 0 });
  const refBefore = await footprint();
  const refKept = await setUp(refUac, bareListener.local.port, CALLS, '127.0.0.1');
  const refAfter = await footprint();
  console.log(
    `reference (UAC dialogs only, ${refKept.length} calls): ${perCall(refBefore, refAfter)} per call`,
  );
  await refUac.close();
  await bare.close();
  return { refBefore, refAfter };
}

await main();
