import { afterEach, describe, expect, it } from 'vitest';
import { buildLadder, ladderInputFromTrace, renderLadder } from '../../../src/diagnostics/ladder/index.js';
import type { TraceMessageRecord } from '../../../src/sip/trace/index.js';
import { packSipTrace, unpackSipTrace } from '../../../src/store/index.js';
import { StackUac } from '../../support/stack-uac.js';
import { StackUas } from '../../support/stack-uas.js';

// Ladders from traces recorded on the wire: the test UAC calls the test UAS over real sockets on 127.0.0.1, the
// UAC's trace is kept, and the ladder is built from the live records and from the same records after a trip
// through the store's packed format (what the diagnosis view of a past call reads).

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function recordCall(transport: 'udp' | 'tcp', options: { finalStatus?: number } = {}) {
  const uas = await StackUas.start([{ transport }], options);
  closers.push(() => uas.close());
  const uac = await StackUac.start([{ transport }]);
  closers.push(() => uac.close());
  const records: TraceMessageRecord[] = [];
  uac.stack.trace.subscribe((record) => {
    if (record.kind === 'message') records.push(record);
  });
  const port = uas.listener(transport).local.port;
  const outcome = await uac.call({ uri: `sip:service@127.0.0.1:${port};transport=${transport}` });
  return { records, outcome, uasPort: port, uacPort: uac.listeners[0].local.port };
}

describe.each(['udp', 'tcp'] as const)('ladder from a recorded %s trace', (transport) => {
  it('shows the whole call between the two real ends, with our side labelled', async () => {
    const { records, outcome, uasPort, uacPort } = await recordCall(transport);
    expect(outcome.ok).toBe(true);
    const ladder = buildLadder(records.map(ladderInputFromTrace), {
      labels: { local: 'Softphone', remote: 'Trunk' },
    });
    // Over TCP our end is the connection's ephemeral port, not the listener's.
    expect(ladder.participants.map((p) => [p.label, p.port, p.local])).toEqual([
      ['Softphone', transport === 'udp' ? uacPort : records[0].local.port, true],
      ['Trunk', uasPort, false],
    ]);
    const labels = ladder.arrows.filter((a) => !a.retransmission).map((a) => a.label);
    expect(labels.filter((l) => l !== '100 Trying')).toEqual([
      'INVITE',
      '180 Ringing',
      '200 OK',
      'ACK',
      'BYE',
      '200 OK',
    ]);
    expect(new Set(ladder.arrows.map((a) => a.transport))).toEqual(new Set([transport]));
    expect(ladder.outcome).toMatchObject({ kind: 'answered', endedBy: 0 });
    expect(ladder.arrows.every((a, i) => i === 0 || a.offsetMs >= ladder.arrows[i - 1].offsetMs)).toBe(true);
    expect(ladder.arrows.find((a) => a.status === 200 && a.method === 'INVITE')!.sdp).toMatchObject({
      direction: 'sendrecv',
      codecs: ['PCMU', 'telephone-event'],
    });
    expect(renderLadder(ladder)).toContain('Outcome:         Answered (200); Softphone hung up with BYE.');
  });

  it('builds the same ladder from the trace stored and read back', async () => {
    const { records } = await recordCall(transport, { finalStatus: 486 });
    const live = buildLadder(records.map(ladderInputFromTrace));
    const stored = buildLadder(unpackSipTrace(packSipTrace(records)).map(ladderInputFromTrace));
    expect(stored).toEqual(live);
    expect(live.outcome).toMatchObject({ kind: 'rejected', status: 486 });
  });
});
