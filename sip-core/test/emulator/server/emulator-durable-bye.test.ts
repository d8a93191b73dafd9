// "Acknowledged ⇒ committed" on the real emulator over real UDP (docs/adr/0150): the 200 to the PBX's BYE is
// sent only once the call's CDR is committed, it is in the stored trace exactly once, and the BYE's
// retransmissions are absorbed before the commit and answered with the same 200 after it. The emulator writes its
// CDRs on its writer thread (docs/adr/0158) and runs on a ManualClock, so the CDR batch leaves for the thread
// exactly when the test advances the clock past the batch window; "committed" is seen from outside, as a PBX's
// operator would: the record is in the database (read on the emulator's own connection) when the 200 is sent.
// While the commit is pending, only the held 200 is kept, not the ended call (docs/adr/0170).

import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { CDR_THREAD_BATCH_WINDOW_MS } from '../../../src/emulator/emulator.js';
import { pollUntil } from '../../support/poll-until.js';
import { rawCallAnswered, type RawCallRig } from '../../support/raw-call-rig.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let rig: RawCallRig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** An emulator on a manual clock, and a call from a raw UDP peer to it, answered and acknowledged. */
async function answeredCall(name: string) {
  rig = await rawCallAnswered(name);
  const { clock, harness, peer, call, responses } = rig;
  const { emulator, udp } = harness;
  peer.send(call.ack(), udp.port);
  await pollUntil(
    'the call to be up and quiet',
    () => (emulator.activeCalls === 1 ? true : undefined),
    clock,
  );
  return { clock, emulator, udp, peer, call, responses };
}

describe('Emulator — the 200 to the PBX’s BYE waits for the CDR’s commit', () => {
  it('commits, then sends; one 200 in the stored trace; BYE retransmissions absorbed before, answered after', async () => {
    const { clock, emulator, udp, peer, call, responses } = await answeredCall('durable');
    const log: string[] = [];
    const store = emulator.store;
    const committed = () => store.listCdrs({}).objects.some((c) => c.call_id === call.callId);
    let byesReceived = 0;
    emulator.sipTrace.subscribe((record) => {
      if (record.kind !== 'message') return;
      const text = Buffer.from(record.bytes).toString('latin1');
      if (record.direction === 'received' && text.startsWith('BYE ')) byesReceived++;
      if (record.direction === 'sent' && /^SIP\/2\.0 200/.test(text) && /CSeq: 2 BYE/.test(text)) {
        log.push(`${record.retransmission ? 'sent again' : 'sent'}${committed() ? ' (committed)' : ''}`);
      }
    });

    // BYE, and its retransmission before the commit: no timer runs, so the CDR batch has not committed yet.
    peer.send(call.bye(), udp.port);
    await pollUntil('the BYE', () => (byesReceived === 1 ? true : undefined));
    peer.send(call.bye(), udp.port);
    await pollUntil('the retransmitted BYE', () => (byesReceived === 2 ? true : undefined));
    await sleep(20);
    expect(log).toEqual([]);
    expect(responses('BYE', 200)).toHaveLength(0);
    expect(committed()).toBe(false);

    // The batch leaves for the writer thread: the commit there, then the 200 here.
    clock.advance(CDR_THREAD_BATCH_WINDOW_MS);
    await pollUntil('the 200 to the BYE', () => responses('BYE', 200)[0]);
    expect(log).toEqual(['sent (committed)']);
    // The transport's record of those bytes was known as the one already in the CDR: no stray group for the call.
    expect(emulator.sipTraceStats.calls).toBe(0);

    // A retransmission after the commit gets the same 200 again from the transaction.
    peer.send(call.bye(), udp.port);
    await pollUntil('the second 200', () => (responses('BYE', 200).length === 2 ? true : undefined));
    expect(log).toEqual(['sent (committed)', 'sent again (committed)']);
    const [first, second] = responses('BYE', 200).map((r) => r.message);
    expect(second).toEqual(first);

    const cdr = store.listCdrs({}).objects.find((c) => c.call_id === call.callId);
    expect(cdr).toMatchObject({ hangup_cause_code: 3010, hangup_source: 'customer' });
    const trace = store.getSipTrace(cdr!.call_uuid);
    const lines = trace.map((m) => {
      const text = Buffer.from(m.bytes).toString('latin1');
      return `${m.direction} ${text.slice(0, text.indexOf('\r\n'))} / ${/CSeq: (.*)\r\n/.exec(text)?.[1]}`;
    });
    expect(lines.filter((l) => l.startsWith('sent SIP/2.0 200') && l.endsWith('BYE'))).toHaveLength(1);
    expect(lines.map((l) => l.replace(/ sip:\S+ SIP\/2\.0/, '').replace(/ SIP\/2\.0/, ''))).toEqual([
      'received INVITE / 1 INVITE',
      'sent 100 Trying / 1 INVITE',
      'sent 180 Ringing / 1 INVITE',
      'sent 200 OK / 1 INVITE',
      'received ACK / 1 ACK',
      'received BYE / 2 BYE',
      'sent 200 OK / 2 BYE',
      'received BYE / 2 BYE',
    ]);
    // The 200 is recorded when it was queued, right after the BYE; the retransmission the transaction absorbed
    // while the commit was pending came later.
    const bye = `received BYE ${call.bye().split(' ')[1]} SIP/2.0 / 2 BYE`;
    expect(lines.slice(-3)).toEqual([bye, 'sent SIP/2.0 200 OK / 2 BYE', bye]);
    // Stamped with its own time and the address the transport really used.
    const sentOk = trace.at(-2)!;
    expect(sentOk.remote).toEqual({ address: '127.0.0.1', port: peer.port });
    expect(sentOk.local).toEqual({ address: udp.address, port: udp.port });
  });

  it('lets go of the ended call while its CDR waits for the commit: only the held 200 stays (docs/adr/0170)', async () => {
    const { clock, emulator, udp, peer, call, responses } = await answeredCall('let-go');
    const leg = weakly(emulator.liveCallsForTest);

    // The BYE ends the call; no timer runs, so its CDR batch is still pending and the 200 held.
    peer.send(call.bye(), udp.port);
    await pollUntil('the call to end', () => (emulator.activeCalls === 0 ? true : undefined));
    await sleep(20);
    expect(responses('BYE', 200)).toHaveLength(0);
    for (let i = 0; i < 3; i++) {
      await nextTurn();
      gc();
    }
    expect(leg.deref()).toBeUndefined();

    // What the commit needs is still there: the 200 leaves once the batch is in.
    clock.advance(CDR_THREAD_BATCH_WINDOW_MS);
    await pollUntil('the 200 to the BYE', () => responses('BYE', 200)[0]);
    expect(emulator.store.listCdrs({}).objects.some((c) => c.call_id === call.callId)).toBe(true);
  });
});

/** A weak reference to the one call up; no strong one stays in the caller's frame. */
function weakly(calls: readonly object[]): WeakRef<object> {
  expect(calls).toHaveLength(1);
  return new WeakRef(calls[0]);
}
