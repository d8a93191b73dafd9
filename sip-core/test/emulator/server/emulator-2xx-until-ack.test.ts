// The emulator's 200 to an INVITE, re-sent until the ACK comes (RFC 3261 §13.3.1.4), on the real emulator over
// real UDP: the retransmissions are the first 200's very bytes (the call keeps those, not the response,
// docs/adr/0177), they follow T1 doubling to T2 and stop at the ACK; with no ACK within 64·T1 the call ends with a
// BYE from the emulator and a CDR. The emulator runs on a ManualClock, so each retransmission leaves exactly when
// the test moves the clock.

import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../../src/common/manual-clock.js';
import { CDR_THREAD_BATCH_WINDOW_MS } from '../../../src/emulator/emulator.js';
import { rawCallAnswered, type RawCallRig } from '../../support/raw-call-rig.js';
import { responseOf } from '../../support/raw-udp-caller.js';
import { pollUntil } from '../../support/poll-until.js';

let rig: RawCallRig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A raw UDP caller's INVITE to the echo number, answered; nothing acknowledged yet. */
async function answeredNotAcked(name: string) {
  rig = await rawCallAnswered(name);
  const { clock, harness, peer, call, received } = rig;
  /** Every 200 to the INVITE so far, as the datagrams' text. */
  const oks = () =>
    received.filter((text) => responseOf(text)?.status === 200 && /CSeq: 1 INVITE/.test(text));
  return { clock, emulator: harness.emulator, udp: harness.udp, peer, call, received, oks };
}

/** Moves the clock to `atMs` after `startMs` in steps, letting each retransmission reach the socket. */
async function advanceTo(clock: ManualClock, startMs: number, atMs: number): Promise<void> {
  while (clock.now() - startMs < atMs) {
    clock.advance(Math.min(100, atMs - (clock.now() - startMs)));
    await sleep(1);
  }
}

describe('Emulator — the 200 to an INVITE is re-sent until its ACK (RFC 3261 §13.3.1.4)', () => {
  it('re-sends the same bytes at T1, 2·T1, …; the ACK stops them and the call stays up', async () => {
    const { clock, emulator, udp, peer, call, received, oks } = await answeredNotAcked('until-ack');
    const start = clock.now();
    await advanceTo(clock, start, 500);
    await pollUntil('the first retransmission', () => (oks().length === 2 ? true : undefined));
    await advanceTo(clock, start, 1_500);
    await pollUntil('the second retransmission', () => (oks().length === 3 ? true : undefined));
    const [first, ...again] = oks();
    expect(again).toEqual([first, first]);

    let acks = 0;
    emulator.sipTrace.subscribe((record) => {
      if (record.kind === 'message' && record.direction === 'received') {
        if (Buffer.from(record.bytes).toString('latin1').startsWith('ACK ')) acks++;
      }
    });
    peer.send(call.ack(), udp.port);
    await pollUntil('the ACK', () => (acks === 1 ? true : undefined));
    await advanceTo(clock, start, 8_000);
    await sleep(20);
    expect(oks()).toHaveLength(3);
    expect(emulator.activeCalls).toBe(1);

    // The PBX hangs up: the 200 to its BYE leaves once the CDR is committed (docs/adr/0150).
    peer.send(call.bye(), udp.port);
    await pollUntil('the call to end', () => (emulator.activeCalls === 0 ? true : undefined));
    clock.advance(CDR_THREAD_BATCH_WINDOW_MS);
    await pollUntil('the 200 to the BYE', () =>
      received.some((t) => /CSeq: 2 BYE/.test(t)) ? true : undefined,
    );
    // The call's stored ladder has the 200 three times, the same bytes each time.
    const cdr = emulator.store.listCdrs({}).objects.find((c) => c.call_id === call.callId)!;
    const sentOks = emulator.store
      .getSipTrace(cdr.call_uuid)
      .map((m) => (m.direction === 'sent' ? Buffer.from(m.bytes).toString('utf8') : ''))
      .filter((text) => /^SIP\/2\.0 200[^]*CSeq: 1 INVITE/.test(text));
    expect(sentOks).toEqual([first, first, first]);
  });

  it('no ACK within 64·T1: the emulator stops re-sending, sends BYE and writes the CDR', async () => {
    const { clock, emulator, udp, peer, call, received, oks } = await answeredNotAcked('no-ack');
    const start = clock.now();
    await advanceTo(clock, start, 32_000);
    const bye = await pollUntil('the BYE from the emulator', () =>
      received.find((text) => text.startsWith('BYE ')),
    );
    // T1 doubling to T2 (500 ms, 4 s): 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5 s after the first.
    expect(oks()).toHaveLength(11);
    expect(new Set(oks()).size).toBe(1);
    expect(bye).toContain(`Call-ID: ${call.callId}`);
    await pollUntil('the call to end', () => (emulator.activeCalls === 0 ? true : undefined));
    clock.advance(CDR_THREAD_BATCH_WINDOW_MS);
    const cdr = await pollUntil('the CDR', () =>
      emulator.store.listCdrs({}).objects.find((c) => c.call_id === call.callId),
    );
    expect(cdr).toMatchObject({
      hangup_cause_code: 5220,
      hangup_source: 'customer',
      policy_rule_id: 'call.no-ack',
    });
    // The PBX answers the BYE; nothing more is re-sent.
    peer.send(okTo(bye), udp.port);
    await advanceTo(clock, start, 40_000);
    await sleep(20);
    expect(oks()).toHaveLength(11);
  });
});

/** A 200 to a request received as text: its Via, From, To, Call-ID and CSeq copied (RFC 3261 §8.2.6.2). */
function okTo(request: string): string {
  const copied = request.split('\r\n').filter((line) => /^(Via|From|To|Call-ID|CSeq):/i.test(line));
  return ['SIP/2.0 200 OK', ...copied, 'Content-Length: 0', '', ''].join('\r\n');
}
