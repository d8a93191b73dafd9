// Transfers by REFER (RFC 3515) the Zentrunk way (BEHAVIOUR.md §7): Refer-To in the trunk's own domain, NOTIFY
// sipfrag progress as events, the transferor leg ended by the trunk's BYE after NOTIFY 200 (or by us after a
// bounded wait), failures keeping the call; attended transfer with Replaces (RFC 3891) between two of our calls;
// and the phone as transferee following a REFER from the far end.

import { describe, expect, it } from 'vitest';
import type { Call } from '../../src/ua/call.js';
import type { TransferProgress } from '../../src/ua/call-events.js';
import { endOf, sleep, startPhoneAndTrunk, until, untilState } from '../support/softphone-fixtures.js';
import { useTeardown } from '../support/teardown.js';
import type { ReferBehaviour } from '../support/test-trunk.js';

const teardown = useTeardown();

async function answeredCall(
  refer: ReferBehaviour,
  options: { transferByeTimeoutMs?: number; transport?: 'udp' | 'tcp' | 'tls' } = {},
) {
  const { trunk, phone } = await startPhoneAndTrunk(options.transport ?? 'udp', teardown, {
    trunk: { refer },
    phone: { transferByeTimeoutMs: options.transferByeTimeoutMs ?? 5_000 },
  });
  const call = phone.call('+14155550111');
  const transfers: TransferProgress[] = [];
  call.on('transfer', (progress) => transfers.push(progress));
  await untilState(call, 'answered');
  return { trunk, phone, call, transfers, far: trunk.callTo('+14155550111')! };
}

describe('blind transfer', () => {
  it('sends Refer-To in the trunk domain, reports NOTIFY progress, and ends on the trunk’s BYE', async () => {
    const { call, transfers, far } = await answeredCall({ kind: 'succeed' });
    const outcome = await call.transfer({ kind: 'blind', to: '+14155550177' });
    expect(outcome).toEqual({ ok: true, statusCode: 200, reasonPhrase: 'OK' });
    const end = await endOf(call);
    expect(far.referTo).toEqual(['<sip:+14155550177@127.0.0.1>']);
    expect(transfers.map((t) => t.kind)).toEqual([
      'requested',
      'accepted',
      'progress',
      'progress',
      'succeeded',
      'leg-ended',
    ]);
    expect(
      transfers.filter((t) => t.kind === 'progress').map((t) => (t as { statusCode: number }).statusCode),
    ).toEqual([100, 180]);
    expect(transfers.at(-1)).toMatchObject({ kind: 'leg-ended', by: 'trunk' });
    expect(end.outcome).toBe('transferred');
    expect(end.endedBy).toBe('remote');
  });

  it('ends the leg itself, and says so, when the trunk’s BYE does not come after NOTIFY 200', async () => {
    const { call, transfers, far } = await answeredCall(
      { kind: 'succeed', bye: false },
      { transferByeTimeoutMs: 400 },
    );
    expect((await call.transfer({ kind: 'blind', to: '+14155550177' })).ok).toBe(true);
    const end = await endOf(call);
    const legEnded = transfers.at(-1);
    expect(legEnded).toMatchObject({ kind: 'leg-ended', by: 'local-timeout' });
    expect((legEnded as { detail: string }).detail).toMatch(/no BYE from the trunk within 400 ms/);
    expect(end.outcome).toBe('transferred');
    await until(() => far.byeReceived !== undefined, 'the trunk to get our BYE');
  });

  it('keeps the call when the target fails (NOTIFY 486)', async () => {
    const { call, transfers } = await answeredCall({ kind: 'fail', status: 486, reason: 'Busy Here' });
    const outcome = await call.transfer({ kind: 'blind', to: '+14155550177' });
    expect(outcome).toEqual({ ok: false, statusCode: 486, reasonPhrase: 'Busy Here' });
    expect(transfers.at(-1)).toMatchObject({ kind: 'failed', statusCode: 486 });
    await sleep(300);
    expect(call.state).toBe('answered');
    await call.hangup();
    expect((await endOf(call)).outcome).toBe('answered');
  });

  it('keeps the call when the trunk refuses the REFER (403: target outside the trunk domain)', async () => {
    const { call, transfers } = await answeredCall({ kind: 'refuse', status: 403 });
    const outcome = await call.transfer({ kind: 'blind', to: '+14155550177' });
    expect(outcome).toEqual({ ok: false, statusCode: 403, reasonPhrase: 'Forbidden' });
    expect(transfers.map((t) => t.kind)).toEqual(['requested', 'rejected']);
    expect(call.state).toBe('answered');
    await call.hangup();
  });

  it('refuses a target that is not a number before sending anything', async () => {
    const { call, far } = await answeredCall({ kind: 'succeed' });
    await expect(call.transfer({ kind: 'blind', to: 'sip:evil@example.com' })).rejects.toMatchObject({
      code: 'UA_TRANSFER_INVALID',
    });
    expect(far.referTo).toEqual([]);
    await call.hangup();
  });
});

// The trunk's NOTIFYs and BYE reach the phone over the connection the call came on (TCP, TLS).
describe.each(['tcp', 'tls'] as const)('blind transfer over %s', (transport) => {
  it('reports NOTIFY progress and ends on the trunk’s BYE', async () => {
    const { call, transfers } = await answeredCall({ kind: 'succeed' }, { transport });
    const outcome = await call.transfer({ kind: 'blind', to: '+14155550177' });
    expect(outcome).toEqual({ ok: true, statusCode: 200, reasonPhrase: 'OK' });
    const end = await endOf(call);
    expect(transfers.at(-1)).toMatchObject({ kind: 'leg-ended', by: 'trunk' });
    expect(end).toMatchObject({ outcome: 'transferred', endedBy: 'remote' });
  });
});

describe('attended transfer', () => {
  it('refers one call to the other with Replaces, built in the trunk domain', async () => {
    const { trunk, phone } = await startPhoneAndTrunk('udp', teardown, {
      trunk: { refer: { kind: 'succeed' } },
    });
    const first = phone.call('+14155550111');
    const second = phone.call('+14155550122');
    await untilState(first, 'answered');
    await untilState(second, 'answered');
    const outcome = await first.transfer({ kind: 'attended', call: second });
    expect(outcome.ok).toBe(true);
    const referTo = trunk.callTo('+14155550111')!.referTo[0];
    const match = /^<sip:\+14155550122@127\.0\.0\.1\?Replaces=([^>]+)>$/.exec(referTo);
    expect(match, referTo).not.toBeNull();
    const replaces = decodeURIComponent(match![1]);
    const target = trunk.callTo('+14155550122')!;
    const dialog = target.dialog!;
    // RFC 3891 §3: to-tag is the tag of the party receiving the Replaces (the trunk's side of that dialog).
    expect(replaces).toBe(`${dialog.id.callId};to-tag=${dialog.id.localTag};from-tag=${dialog.id.remoteTag}`);
    expect((await endOf(first)).outcome).toBe('transferred');
    await second.hangup();
  });
});

describe('as the transferee', () => {
  it('follows the far end’s REFER with a new call and reports its progress by NOTIFY (patch 004)', async () => {
    const { trunk, phone } = await startPhoneAndTrunk('udp', teardown);
    const calls: Call[] = [];
    phone.on('call', (call) => calls.push(call));
    const original = phone.call('+14155550111');
    const transfers: TransferProgress[] = [];
    original.on('transfer', (progress) => transfers.push(progress));
    await untilState(original, 'answered');
    const far = trunk.callTo('+14155550111')!;

    const refer = await far.request('REFER', {
      headers: [
        ['Refer-To', '<sip:+14155550133@127.0.0.1>'],
        ['Referred-By', '<sip:+14155550111@127.0.0.1>'],
      ],
    });
    expect(refer.statusCode).toBe(202);
    await until(() => calls.length === 2, 'the phone to place the referred call');
    const referred = calls[1];
    expect(referred.number).toBe('+14155550133');
    await untilState(referred, 'answered');
    expect(transfers).toEqual([
      { kind: 'referred', referTo: 'sip:+14155550133@127.0.0.1', newCallId: referred.id },
    ]);
    const target = trunk.callTo('+14155550133')!;
    expect(target.invite.headers.get('Referred-By')).toBe('<sip:+14155550111@127.0.0.1>');

    // The implicit subscription stays active through the provisional NOTIFYs and ends with the 200's.
    await until(() => far.notifies.some((n) => n.sipfrag.includes(' 200 ')), 'NOTIFY 200');
    const states = far.notifies.map((n) => `${n.sipfrag.split(' ')[1]} ${n.subscriptionState.split(';')[0]}`);
    expect(states.at(-1)).toBe('200 terminated');
    expect(states.slice(0, -1).every((s) => s.endsWith(' active'))).toBe(true);
    expect(states.length).toBeGreaterThanOrEqual(2);

    await far.bye();
    expect((await endOf(original)).outcome).toBe('answered');
    await referred.hangup();
  });
});
