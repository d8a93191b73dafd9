// The softphone against the embedded emulator (in process, real sockets on 127.0.0.1), over UDP, TCP and TLS
// (the secure trunk: SRTP mandatory, the emulator's local CA trusted through the profile's CA bundle): the echo
// number with two-way audio proven by tone detection on the echoed stream, RFC 4733 digits detected by the
// emulator, hold/resume, blind and attended transfer, CANCEL before answer. What the phone reports is checked
// against what the emulator saw (its events and CDRs).

import { describe, expect, it } from 'vitest';
import { ToneDetectorSink, ToneSource } from '../../src/media/session/index.js';
import type { TransferProgress } from '../../src/ua/call-events.js';
import { DEMO_CREDENTIALS } from '../../src/policy/account/demo-account.js';
import { eventually } from '../support/emulator-harness.js';
import { ECHO_NUMBER, startPhoneOnEmulator, startRoomyEmulator } from '../support/phone-and-emulator.js';
import { endOf, sleep, untilState } from '../support/softphone-fixtures.js';
import { useTeardown } from '../support/teardown.js';

const teardown = useTeardown();
const PHONE_HZ = 440;
/** Far-end numbers of this suite's own table (no code in the emulator is needed for them, ADR 0075). */
const QUICK_RING = '+14155550190';
const RING_FOREVER = '+14155550192';
const FAR_END = {
  bridgeHangupAfterMs: 400,
  numbers: [
    { number: QUICK_RING, name: 'quick-ring', scenario: { kind: 'answer', afterMs: 200 } },
    { number: RING_FOREVER, name: 'ring-long', scenario: { kind: 'answer', afterMs: 60_000 } },
  ],
};

async function setUp(transport: 'udp' | 'tcp' | 'tls') {
  const harness = await startRoomyEmulator(teardown, { farEnd: FAR_END });
  const phone = await startPhoneOnEmulator(harness, transport, teardown);
  return { harness, phone };
}

describe.each(['udp', 'tcp', 'tls'] as const)('the softphone against the emulator over %s', (transport) => {
  it('calls the echo number: hears its own tone echoed, the emulator detects "0123456789*#"', async () => {
    const { harness, phone } = await setUp(transport);
    const heard = new ToneDetectorSink({ windowMs: 1_000 });
    const call = phone.call(ECHO_NUMBER, { source: ToneSource.sine(PHONE_HZ), sinks: [heard] });
    const progress: number[] = [];
    call.on('progress', (p) => progress.push(p.statusCode));
    await untilState(call, 'answered');
    // The echo number rings before its immediate answer (docs/adr/0088); 100 Trying is not progress to the phone.
    expect(progress).toEqual([180]);
    expect(call.mediaState).toMatchObject({
      codec: 'PCMU',
      direction: 'sendrecv',
      ...(transport === 'tls' ? { srtpSuite: 'AES_CM_128_HMAC_SHA1_80' } : {}),
    });
    if (transport !== 'tls') expect(call.mediaState?.srtpSuite).toBeUndefined();
    await eventually(() => heard.analyze(PHONE_HZ)?.present === true, 5_000, 'the echoed tone');

    call.sendDtmf('0123456789*#');
    await eventually(
      () => harness.events.dtmf!.map((d) => d.digit).join('') === '0123456789*#',
      10_000,
      'the emulator to detect every digit',
    );
    await call.hangup();
    const end = await endOf(call);
    expect(end).toMatchObject({ outcome: 'answered', endedBy: 'local' });
    expect(end.hangup).toMatchObject({ code: 3010, name: 'normal_hangup', source: 'customer' });
    const cdr = await harness.cdr((c) => c.to_number === ECHO_NUMBER);
    expect(cdr).toMatchObject({
      hangup_cause_code: 3010,
      transport_protocol: transport,
      srtp: transport === 'tls',
    });
  });

  it('holds and resumes by re-INVITE; the emulator reports both and the echo comes back', async () => {
    const { harness, phone } = await setUp(transport);
    const heard = new ToneDetectorSink({ windowMs: 800 });
    const call = phone.call(ECHO_NUMBER, { source: ToneSource.sine(PHONE_HZ), sinks: [heard] });
    await untilState(call, 'answered');
    await call.hold();
    expect(call.held).toBe(true);
    expect(call.mediaState?.direction).toBe('sendonly');
    await eventually(
      () => harness.events.callState!.some((e) => e.state === 'held'),
      5_000,
      'the emulator to see the hold',
    );
    await call.resume();
    expect(call.mediaState?.direction).toBe('sendrecv');
    await eventually(
      () => harness.events.callState!.some((e) => e.state === 'resumed'),
      5_000,
      'the emulator to see the resume',
    );
    await sleep(900);
    await eventually(() => heard.analyze(PHONE_HZ)?.present === true, 5_000, 'the echo after resume');
    await call.hangup();
    expect((await endOf(call)).outcome).toBe('answered');
  });

  it('blind transfer: NOTIFY progress up to 200, the emulator ends our leg, two linked CDRs', async () => {
    const { harness, phone } = await setUp(transport);
    const call = phone.call(ECHO_NUMBER);
    const transfers: TransferProgress[] = [];
    call.on('transfer', (t) => transfers.push(t));
    await untilState(call, 'answered');
    const outcome = await call.transfer({ kind: 'blind', to: QUICK_RING });
    expect(outcome).toMatchObject({ ok: true, statusCode: 200 });
    const end = await endOf(call);
    expect(end).toMatchObject({ outcome: 'transferred', endedBy: 'remote' });
    // Every NOTIFY (message/sipfrag) reached sip.js: none was refused by the stack's acceptability checks (415).
    expect(transfers.map((t) => t.kind)).toEqual([
      'requested',
      'accepted',
      'progress',
      'progress',
      'succeeded',
      'leg-ended',
    ]);
    expect(transfers.at(-1)).toMatchObject({ kind: 'leg-ended', by: 'trunk' });
    expect(harness.events.transfer!.map((t) => t.stage)).toContain('succeeded');
    const target = await harness.cdr((c) => c.to_number === QUICK_RING);
    expect(target.call_uuid).toBeTruthy();
  });

  it('attended transfer: REFER with Replaces joins the two far ends and ends both our legs', async () => {
    const { harness, phone } = await setUp(transport);
    const first = phone.call(ECHO_NUMBER);
    await untilState(first, 'answered');
    const second = phone.call(QUICK_RING);
    await untilState(second, 'answered');
    const outcome = await first.transfer({ kind: 'attended', call: second });
    expect(outcome).toMatchObject({ ok: true, statusCode: 200 });
    const [firstEnd, secondEnd] = await Promise.all([endOf(first), endOf(second)]);
    expect(firstEnd.outcome).toBe('transferred');
    expect(secondEnd.endedBy).toBe('remote');
    expect(harness.events.transfer!.map((t) => t.stage)).toContain('succeeded');
  });

  it('CANCEL before the answer: 487, explained as 4550 user_cancelled; the CDR agrees', async () => {
    const { harness, phone } = await setUp(transport);
    const call = phone.call(RING_FOREVER);
    await untilState(call, 'ringing');
    await call.cancel();
    const end = await endOf(call);
    expect(end.outcome).toBe('cancelled');
    expect(end.hangup).toMatchObject({ sipStatus: 487, code: 4550 });
    const cdr = await harness.cdr((c) => c.to_number === RING_FOREVER);
    expect(cdr.hangup_cause_code).toBe(4550);
  });
});

describe('the softphone on the emulator’s credential trunk', () => {
  it('answers the 407 with the demo credentials and is answered; the password is in no trace record', async () => {
    const harness = await startRoomyEmulator(teardown);
    const phone = await startPhoneOnEmulator(harness, 'tcp', teardown, { kind: 'credential' });
    const wire: string[] = [];
    phone.trace.subscribe((record) => {
      if (record.kind === 'message') wire.push(Buffer.from(record.bytes).toString('latin1'));
    });
    const call = phone.call(ECHO_NUMBER);
    await untilState(call, 'answered');
    expect(harness.events.policyDecision!.map((d) => d.decision)).toEqual(['challenge', 'allow']);
    expect(wire.some((text) => text.startsWith('SIP/2.0 407'))).toBe(true);
    expect(wire.join('\n')).not.toContain(DEMO_CREDENTIALS.credential.password);
    await call.hangup();
    expect((await endOf(call)).hangup.code).toBe(3010);
  });
});
