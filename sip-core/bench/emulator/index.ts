// Emulator foundation benchmark: the per-message cost of grouping the SIP trace by Call-ID and the per-call cost
// of admission counting and CDR assembly, each beside a reference measured in the same run (the machine is shared,
// so the ratios are the result). The emulator targets 3,000 calls/s; the last lines say what share of one core
// these pieces would take at that rate, with about seven messages per call (INVITE, 100, 180, 200, ACK, BYE, 200).

import { ManualClock } from '../../src/common/manual-clock.js';
import { buildCdr, SipTraceCollector } from '../../src/emulator/cdr/index.js';
import { CallRegistry } from '../../src/emulator/calls/call-registry.js';
import { CallAdmission } from '../../src/emulator/limits/index.js';
import { causeOf, DEFAULT_POLICY_SETTINGS, demoAccount } from '../../src/policy/index.js';
import { parseSipMessage } from '../../src/sip/message/index.js';
import type { TraceMessageRecord } from '../../src/sip/trace/index.js';
import { TrunklineStore } from '../../src/store/index.js';
import { TYPICAL_200_OK, TYPICAL_INVITE } from '../sip/typical-messages.js';

const CALLS = 2_000;
const MESSAGES_PER_CALL = 7;
const TYPICAL_CALL_ID = '3c26700c7c8f4a1bb1c9d5e6f7a8b9c0@192.0.2.10';

/** The emulator's side of a call: it receives INVITE, ACK, BYE and sends 100, 180, 200, 200. */
const SENT = new Set([1, 2, 3, 6]);

/**
 * Seven messages per call, each call with its own Call-ID: the received ones as standalone buffers (UDP
 * datagrams), the sent ones as slices of Node's Buffer pool (what the stack's serializer returns).
 */
const calls: Uint8Array[][] = Array.from({ length: CALLS }, (_, call) =>
  Array.from({ length: MESSAGES_PER_CALL }, (_, m) => {
    const template = m % 2 === 0 ? TYPICAL_INVITE : TYPICAL_200_OK;
    const text = template
      .toString('latin1')
      .replace(TYPICAL_CALL_ID, `bench-${String(call).padStart(6, '0')}@pbx`);
    return SENT.has(m) ? Buffer.from(text, 'latin1') : new Uint8Array(Buffer.from(text, 'latin1'));
  }),
);
const callIds = calls.map((_, call) => `bench-${String(call).padStart(6, '0')}@pbx`);
const parsed = calls.map((messages) => messages.map((bytes) => parseSipMessage(bytes)));

function record(bytes: Uint8Array, sequence: number): TraceMessageRecord {
  return {
    kind: 'message',
    direction: 'received',
    bytes,
    sequence,
    wallTimeMs: 1_700_000_000_000 + sequence,
    monotonicTimeMs: sequence,
    transport: 'udp',
    local: { address: '127.0.0.1', port: 5060 },
    remote: { address: '127.0.0.1', port: 5070 },
  };
}
const records = calls.map((messages, call) =>
  messages.map(
    (bytes, m) =>
      ({ ...record(bytes, call * 10 + m), direction: SENT.has(m) ? 'sent' : 'received' }) as const,
  ),
);

/** Microseconds of CPU per operation, best of five rounds; `round` runs `count` operations. */
function microseconds(name: string, count: number, round: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const start = process.cpuUsage();
    round();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / count);
  }
  console.log(`${name.padEnd(60)} ${best.toFixed(2).padStart(8)} µs`);
  return best;
}

const messageCount = CALLS * MESSAGES_PER_CALL;
console.log(`per message (${messageCount.toLocaleString('en-US')} messages of ${CALLS} calls, CPU time)`);
let sink = 0;
const parseOnly = microseconds('reference: parseSipMessage(bytes).callId', messageCount, () => {
  for (const messages of calls)
    for (const bytes of messages) sink += parseSipMessage(bytes).callId?.length ?? 0;
});
const observe = microseconds('SipTraceCollector.observe (parse + group), take per call', messageCount, () => {
  const collector = new SipTraceCollector();
  records.forEach((messages, call) => {
    for (const r of messages) collector.observe(r);
    collector.take(callIds[call] ?? '');
  });
});
const shared = microseconds('SipTraceCollector.observeParsed (message parsed once)', messageCount, () => {
  const collector = new SipTraceCollector();
  records.forEach((messages, call) => {
    messages.forEach((r, m) => collector.observeParsed(r, parsed[call]?.[m] ?? parseSipMessage(r.bytes)));
    collector.take(callIds[call] ?? '');
  });
});

console.log('');
console.log(`per call (${CALLS} calls)`);
const clock = new ManualClock();
const account = demoAccount();
const admissionRound = () => {
  const admission = new CallAdmission({ clock, account });
  for (let call = 0; call < CALLS; call++) {
    clock.advance(1);
    admission.countersFor('10000000000002');
    admission.admit('10000000000002');
    admission.concurrency.acquire(callIds[call] ?? '', 'outbound').release();
  }
};
const admission = microseconds('CallAdmission: counters, admit, lease', CALLS, admissionRound);

const facts = (call: number) => ({
  callUuid: `uuid-${call}-${Math.random()}`,
  callId: callIds[call] ?? null,
  direction: 'outbound' as const,
  from: '+14155550101',
  to: '+14155550111',
  trunk: account.trunks[1],
  requestHost: '10000000000002.zt.plivo.com',
  transport: 'udp' as const,
  peer: { address: '127.0.0.1', port: 5070 },
  times: {
    initiated: { wallMs: 1_700_000_000_000, monotonicMs: 0 },
    answered: { wallMs: 1_700_000_000_100, monotonicMs: 100 },
    ended: { wallMs: 1_700_000_030_100, monotonicMs: 30_100 },
  },
  finalResponse: { status: 200, reasonPhrase: 'OK' },
  cause: causeOf(3010),
  codec: 'PCMU',
});
const context = { account, settings: DEFAULT_POLICY_SETTINGS };
const build = microseconds('buildCdr', CALLS, () => {
  for (let call = 0; call < CALLS; call++) buildCdr(facts(call), context);
});
const store = TrunklineStore.open({ path: ':memory:' });
const prebuilt = Array.from({ length: CALLS * 5 }, (_, i) => buildCdr(facts(i % CALLS), context));
const traces = records.map((messages) =>
  messages.map(({ kind: _kind, sequence: _sequence, ...message }) => message),
);
let next = 0;
const storeWrite = microseconds(
  'reference: TrunklineStore.recordCallEnd (in memory, 7-message trace)',
  CALLS,
  () => {
    for (let call = 0; call < CALLS; call++)
      store.recordCallEnd(prebuilt[next++] ?? facts(call), traces[call]);
  },
);
store.close();

// The dialogs the emulator remembers after they end (64·T1, so that a BYE that crossed ours is answered 481): at
// 3,000 calls/s that is 96,000 of them, one forgotten for each that ends. The reference is how it was done before
// docs/adr/0167 — the oldest found by iterating the Map from its front — which steps over every deleted entry
// V8 has not yet compacted away.
const REMEMBERED = 96_000;
const ENDS = 100_000;
const endedKeys = Array.from({ length: REMEMBERED + ENDS }, (_, i) => `call-${i}\nours-${i}\ntheirs-${i}`);
const owner = {
  callUuid: 'c',
  onRequest: () => undefined,
  onAck: () => undefined,
  onStrayResponse: () => undefined,
};
console.log('');
console.log(`per ended dialog, ${REMEMBERED.toLocaleString('en-US')} remembered (32 s at 3,000 calls/s)`);
const mapFront = microseconds('reference: Map in end order, oldest found from its front', ENDS, () => {
  const ended = new Map<string, number>();
  for (let i = 0; i < REMEMBERED; i++) ended.set(endedKeys[i], i);
  for (let i = REMEMBERED; i < REMEMBERED + ENDS; i++) {
    for (const [old, at] of ended) {
      if (i - at < REMEMBERED) break;
      ended.delete(old);
    }
    ended.set(endedKeys[i], i);
  }
});
const registryEnds = microseconds('CallRegistry.removeDialog (TimedFifo of ended keys)', ENDS, () => {
  let now = 0;
  const registry = new CallRegistry(() => now, REMEMBERED);
  for (let i = 0; i < REMEMBERED + ENDS; i++) {
    now = i;
    registry.addDialog(endedKeys[i], owner);
    registry.removeDialog(endedKeys[i]);
  }
});

if (sink === 0) console.log('(no Call-ID was read)');
const coreShare = (perMessageUs: number, perCallUs: number) =>
  ((3_000 * (perMessageUs * MESSAGES_PER_CALL + perCallUs)) / 1_000_000) * 100;
console.log('');
console.log(`observe / reference parse             ${(observe / parseOnly).toFixed(2)}×`);
console.log(`observeParsed / reference parse       ${(shared / parseOnly).toFixed(2)}×`);
console.log(`buildCdr / store write                ${(build / storeWrite).toFixed(2)}×`);
console.log(`admission / store write               ${(admission / storeWrite).toFixed(3)}×`);
console.log(`ended dialogs: registry / reference   ${(registryEnds / mapFront).toFixed(3)}×`);
console.log(
  `at 3,000 calls/s: trace grouping with its own parse ${coreShare(observe, 0).toFixed(1)} % of a core, ` +
    `with a shared parse ${coreShare(shared, 0).toFixed(1)} %; admission + buildCdr ${coreShare(0, admission + build).toFixed(1)} %`,
);
