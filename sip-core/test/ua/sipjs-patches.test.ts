// One test per patch-package patch to sip.js 0.21.2 (patches/, ADR 0090): each fails without its patch. How to
// check: `git apply -R patches/sip.js+0.21.2+00N+*.patch` (later patches first), run this file, re-apply with
// `npx patch-package`.

import { describe, expect, it } from 'vitest';
import type { Call } from '../../src/ua/call.js';
import type { CallMediaState } from '../../src/ua/call-events.js';
import { DID, endOf, startPhoneAndTrunk, until, untilState } from '../support/softphone-fixtures.js';
import { useTeardown } from '../support/teardown.js';

const teardown = useTeardown();

describe('sip.js 0.21.2 patches', () => {
  it('001 digest-challenges-to-authenticator: answers a SHA-256-only trunk (stock sip.js: MD5 only, 407)', async () => {
    const { phone } = await startPhoneAndTrunk('udp', teardown, {
      trunk: { auth: { algorithms: ['SHA-256'], username: 'user1', password: 'secret-1' } },
      profile: { username: 'user1', password: 'secret-1' },
    });
    const call = phone.call('+14155550100');
    await untilState(call, 'answered');
    await call.hangup();
  });

  it('002 request-uri-acceptor: rings for an INVITE to one of its DIDs (stock sip.js: 404)', async () => {
    const { trunk, phone } = await startPhoneAndTrunk('udp', teardown);
    const incoming: Call[] = [];
    phone.on('incoming', (call) => incoming.push(call));
    const placing = trunk.callPhone(`sip:${DID}@127.0.0.1:${phone.listener.local.port}`);
    await until(() => incoming.length === 1, 'the phone to ring');
    await incoming[0].decline(603);
    expect((await placing).response.statusCode).toBe(603);
  });

  it('003 inbound-update: answers UPDATE offers (hold/resume) and session refreshes (stock sip.js: 405)', async () => {
    const { trunk, phone } = await startPhoneAndTrunk('udp', teardown);
    const call = phone.call('+14155550100');
    const media: CallMediaState[] = [];
    call.on('media', (state) => media.push(state));
    await untilState(call, 'answered');
    const far = trunk.callTo('+14155550100')!;

    const hold = await far.update('sendonly');
    expect(hold.statusCode).toBe(200);
    expect(hold.contentType?.essence).toBe('application/sdp');
    expect(hold.contacts).toHaveLength(1);
    expect(far.negotiated?.direction).toBe('sendonly');
    expect(media.at(-1)?.direction).toBe('recvonly');

    const resume = await far.update('sendrecv');
    expect(resume.statusCode).toBe(200);
    expect(media.at(-1)?.direction).toBe('sendrecv');

    // RFC 4028 §7: a refresh without a body changes nothing.
    const refresh = await far.update();
    expect(refresh.statusCode).toBe(200);
    expect(refresh.body.length).toBe(0);
    expect(call.state).toBe('answered');
    await call.hangup();
    expect((await endOf(call)).outcome).toBe('answered');
  });

  it('003 inbound-update: refuses an UPDATE offer while its own re-INVITE offer is pending (491, RFC 3311 §5.2)', async () => {
    const { trunk, phone } = await startPhoneAndTrunk('udp', teardown, {
      trunk: { reinviteAnswerDelayMs: 600 },
    });
    const call = phone.call('+14155550100');
    await untilState(call, 'answered');
    const far = trunk.callTo('+14155550100')!;
    // The phone's hold re-INVITE waits for its answer while the trunk's UPDATE offer arrives: glare.
    const holding = call.hold();
    await until(() => far.requests.includes('INVITE'), 'the re-INVITE to reach the trunk');
    const update = await far.update('sendonly');
    expect(update.statusCode).toBe(491);
    await holding;
    expect(call.mediaState?.direction).toBe('sendonly');
    await call.hangup();
  });

  it('004 refer-notify-subscription-state: NOTIFYs stay active until the final status (stock sip.js: terminated at once)', async () => {
    const { trunk, phone } = await startPhoneAndTrunk('udp', teardown, {
      trunk: {
        scenario: (number) =>
          number === '+14155550133' ? { kind: 'answer', answerAfterMs: 300 } : { kind: 'answer' },
      },
    });
    const calls: Call[] = [];
    phone.on('call', (call) => calls.push(call));
    const original = phone.call('+14155550111');
    await untilState(original, 'answered');
    const far = trunk.callTo('+14155550111')!;
    await far.request('REFER', { headers: [['Refer-To', '<sip:+14155550133@127.0.0.1>']] });
    await until(() => far.notifies.some((n) => n.sipfrag.includes(' 200 ')), 'NOTIFY 200');
    expect(far.notifies[0].subscriptionState).toBe('active;expires=60');
    expect(far.notifies.at(-1)!.subscriptionState).toBe('terminated;reason=noresource');
    await calls[1]?.hangup();
    await original.hangup();
  });
});
