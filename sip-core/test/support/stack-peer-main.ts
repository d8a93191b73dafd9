// A test UAS or UAC on the stack as a process of its own, for suites that must run it somewhere the test process
// cannot be (inside a network namespace, `ip netns exec NS node --import tsx stack-peer-main.ts …`). It prints one
// line `READY <port>` when listening and one JSON line of results before it exits by itself.
//
//   uas --transport udp|tcp --host H --port P --byes N --max-ms M   exits after N BYEs (plus a grace) or M ms
//   uac --transport udp|tcp --host H --uri URI --calls N --rate R   exits when the N calls have ended

import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { StackUac } from './stack-uac.js';
import { StackUas } from './stack-uas.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    transport: { type: 'string', default: 'udp' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    byes: { type: 'string', default: '0' },
    'max-ms': { type: 'string', default: '120000' },
    uri: { type: 'string', default: '' },
    calls: { type: 'string', default: '1' },
    rate: { type: 'string', default: '10' },
  },
});
const transport = values.transport === 'tcp' ? 'tcp' : 'udp';
const listen = [{ transport, host: values.host, port: Number(values.port) }] as const;

function countRetransmissions(
  subscribe: (listener: (record: { kind: string; retransmission?: true }) => void) => unknown,
): () => number {
  let count = 0;
  subscribe((record) => {
    if (record.kind === 'message' && record.retransmission === true) count++;
  });
  return () => count;
}

if (positionals[0] === 'uas') {
  const uas = await StackUas.start(listen);
  const retransmissions = countRetransmissions((l) => uas.stack.trace.subscribe(l));
  process.stdout.write(`READY ${uas.listener(transport).local.port}\n`);
  const deadline = performance.now() + Number(values['max-ms']);
  while (uas.counters.byes < Number(values.byes) && performance.now() < deadline) await sleep(100);
  // Let the last BYE's 200 be re-sent if SIPp repeats the BYE.
  await sleep(3_000);
  process.stdout.write(
    `${JSON.stringify({ counters: uas.counters, stack: uas.stack.counters, retransmissions: retransmissions() })}\n`,
  );
  await uas.close();
} else if (positionals[0] === 'uac') {
  const uac = await StackUac.start(listen);
  const retransmissions = countRetransmissions((l) => uac.stack.trace.subscribe(l));
  process.stdout.write(`READY ${uac.listeners[0]?.local.port ?? 0}\n`);
  const result = await uac.runCalls(Number(values.calls), Number(values.rate), {
    uri: values.uri,
    holdMs: 100,
  });
  // SIPp may still retransmit a 200 whose ACK it lost; stay to answer it.
  await sleep(3_000);
  process.stdout.write(
    `${JSON.stringify({ result, reAcks: uac.reAcks, stack: uac.stack.counters, retransmissions: retransmissions() })}\n`,
  );
  await uac.close();
} else {
  process.stderr.write('usage: stack-peer-main.ts uas|uac [options]\n');
  process.exitCode = 2;
}
