// The emulator as a running server, over real sockets on 127.0.0.1: a small test PBX (test/support/test-pbx.ts)
// places and answers calls, and each outcome is checked on the wire (status, §20 headers) and in its CDR row.

import { createSocket } from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Emulator } from '../../../src/emulator/emulator.js';
import { DEMO_ACCOUNT_CONFIG } from '../../../src/policy/account/demo-account.js';
import { createRequest, type SipRequest, type SipResponse } from '../../../src/sip/message/index.js';
import { defaultDatabasePath, TrunklineStore } from '../../../src/store/index.js';
import { eventually, startEmulator, type EmulatorHarness } from '../../support/emulator-harness.js';
import { finalOf, TestPbx } from '../../support/test-pbx.js';
import { createTestPki } from '../../support/test-pki.js';
import { UUID_V7 } from '../../support/uuid-v7.js';

const ACL_TRUNK = '10000000000002.zt.plivo.com';
const CREDENTIAL_TRUNK = '10000000000001.zt.plivo.com';
const POOL_TRUNK = '10000000000004.zt.plivo.com';
const ECHO = '+14155550111';
const RING_THEN_ANSWER = '+14155550113';
/** Far-end numbers of the tests' own table: quick to ring, and a busy transfer target. */
const QUICK_RING = '+14155550190';
const BUSY = '+14155550191';
const FAR_END = {
  bridgeHangupAfterMs: 400,
  numbers: [
    { number: QUICK_RING, name: 'quick-ring', scenario: { kind: 'answer', afterMs: 200 } },
    { number: BUSY, name: 'busy', scenario: { kind: 'reject', status: 486 } },
  ],
};

function hangupCode(response: SipResponse | undefined): string | undefined {
  return response?.headers.get('x-zt-hangup-code');
}

/** The responses to an INVITE in order, a UDP retransmission (the same status again) counted once. */
function ladder(statuses: readonly number[]): number[] {
  return statuses.filter((status, i) => status !== statuses[i - 1]);
}

let harness: EmulatorHarness | undefined;
const pbxs: TestPbx[] = [];

async function pbx(): Promise<TestPbx> {
  const created = await TestPbx.start();
  pbxs.push(created);
  return created;
}

afterEach(async () => {
  for (const p of pbxs.splice(0)) await p.close();
  await harness?.close();
  harness = undefined;
});

describe('Emulator — outbound calls', () => {
  it('answers a call to the echo number and echoes the PBX’s tone; BYE from the PBX writes 3010', async () => {
    harness = await startEmulator();
    const phone = await pbx();
    const call = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK, toneHz: 700 });
    // docs/adr/0088: 100 Trying once admitted, 180 Ringing before the far end's immediate answer.
    expect(ladder(call.statuses)).toEqual([100, 180, 200]);
    const states = harness.events
      .callState!.filter((e) => e.callId === call.invite.callId)
      .map((e) => e.state);
    expect(states.slice(0, 3)).toEqual(['trying', 'ringing', 'answered']);
    expect(call.final?.statusCode).toBe(200);
    expect(call.final?.headers.get('user-agent')).toBe('Zentrunk');
    expect(call.final?.headers.get('x-plivo-stir-verification')).toBeDefined();
    // Our 700 Hz tone comes back from the echo far end.
    await eventually(() => call.media!.detector.analyze(700)?.present === true, 5_000, 'the echoed tone');
    const bye = await phone.bye(call);
    expect(bye.statusCode).toBe(200);
    const cdr = await harness.cdr(call.invite.callId!);
    expect(cdr).toMatchObject({
      call_direction: 'outbound',
      hangup_cause_code: 3010,
      hangup_source: 'customer',
      to_number: ECHO,
      codec: 'PCMU',
    });
    expect(cdr.answer_time).toBeTruthy();
    expect(harness.emulator.activeCalls).toBe(0);
  });
});

describe('Emulator — TCP', () => {
  it('answers over TCP and takes the BYE on the same connection; CDR names tcp', async () => {
    harness = await startEmulator();
    const tcp = harness.emulator.addresses().tcp!;
    const phone = await TestPbx.start('tcp');
    pbxs.push(phone);
    const call = await phone.call({ emulator: { ...tcp, transport: 'tcp' }, to: ECHO, trunkHost: ACL_TRUNK });
    // A reliable transport: no retransmissions, the exact sequence.
    expect(call.statuses).toEqual([100, 180, 200]);
    await eventually(() => call.media!.detector.analyze(700)?.present === true, 5_000, 'the echoed tone');
    expect((await phone.bye(call)).statusCode).toBe(200);
    const cdr = await harness.cdr(call.invite.callId!);
    expect(cdr).toMatchObject({ transport_protocol: 'tcp', hangup_cause_code: 3010 });
  });
});

describe('Emulator — secure trunk', () => {
  it('TLS listener with the local CA, SDES SRTP answered (AES_CM_128_HMAC_SHA1_80), echo over SRTP', async () => {
    harness = await startEmulator({ listen: { host: '127.0.0.1', udp: 0, tcp: 0, tls: 0 } });
    const tls = harness.emulator.addresses().tls!;
    // The PBX verifies the emulator against its local CA, and listens on TLS itself (responses come back there).
    const pki = createTestPki();
    try {
      const server = pki.createCa('pbx-ca').issue('pbx', ['IP:127.0.0.1']);
      const phone = await TestPbx.start('tls', 0, {
        client: { ca: harness.emulator.caCertificatePem!, rejectUnauthorized: true },
        server,
      });
      pbxs.push(phone);
      const call = await phone.call({
        emulator: { ...tls, transport: 'tls' },
        to: ECHO,
        trunkHost: '10000000000003.zt.plivo.com',
        tls: true,
      });
      expect(call.final?.statusCode).toBe(200);
      expect(call.final?.body.toString()).toMatch(/RTP\/SAVP[\s\S]*a=crypto:1 AES_CM_128_HMAC_SHA1_80/);
      await eventually(
        () => call.media!.detector.analyze(700)?.present === true,
        5_000,
        'the tone over SRTP',
      );
      await phone.bye(call);
      const cdr = await harness.cdr(call.invite.callId!);
      expect(cdr).toMatchObject({
        transport_protocol: 'tls',
        srtp: true,
        srtp_suite: 'AES_CM_128_HMAC_SHA1_80',
      });
    } finally {
      pki.dispose();
    }
  });
});

describe('Emulator — policy rejections on the wire and in the CDR', () => {
  const rows: Array<{
    name: string;
    to?: string;
    from?: string;
    trunkHost?: string;
    headers?: Array<[string, string]>;
    status: number;
    code: number;
  }> = [
    { name: 'unknown trunk domain', trunkHost: '99999999999999.zt.plivo.com', status: 404, code: 4070 },
    { name: 'caller ID not on the account', from: '+14155559999', status: 403, code: 4190 },
    { name: 'caller ID not numeric', from: 'alice', status: 403, code: 4130 },
    { name: 'caller ID on the DNO list', from: '+14155550102', status: 403, code: 4200 },
    { name: 'high-risk prefix', to: '+881612345678', status: 403, code: 4570 },
    { name: 'Require: 100rel', headers: [['Require', '100rel']], status: 420, code: 4000 },
  ];
  for (const row of rows) {
    it(`${row.name}: ${row.status} with X-ZT-Hangup-Code ${row.code}, and a CDR`, async () => {
      harness ??= await startEmulator();
      const phone = await pbx();
      const call = await phone.call({
        emulator: harness.udp,
        to: row.to ?? ECHO,
        trunkHost: row.trunkHost ?? ACL_TRUNK,
        ...(row.from !== undefined ? { from: row.from } : {}),
        ...(row.headers ? { headers: row.headers } : {}),
      });
      expect(call.final?.statusCode).toBe(row.status);
      // A policy refusal is the only response: no 100 Trying before it (docs/adr/0088).
      expect(ladder(call.statuses)).toEqual([row.status]);
      if (row.status !== 420) {
        expect(hangupCode(call.final)).toBe(String(row.code));
        expect(call.final?.headers.get('reason')).toContain(`cause=${row.status}`);
      } else {
        // §3 names no hangup code for 420; the response has none, and the CDR still records the attempt.
        expect(hangupCode(call.final)).toBeUndefined();
        expect(call.final?.headers.get('unsupported')).toBe('100rel');
      }
      const cdr = await harness.cdr(call.invite.callId!);
      expect(cdr).toMatchObject({
        hangup_cause_code: row.code,
        hangup_source: 'zentrunk',
        sip_status: row.status,
      });
      expect(cdr.policy_rule_id).toBeTruthy();
    });
  }

  it('a method Zentrunk does not support gets 405 with Allow; a BYE for no dialog gets 481', async () => {
    harness = await startEmulator();
    const phone = await pbx();
    const local = phone.listener.local;
    const destination = {
      destination: { host: harness.udp.address, port: harness.udp.port, transport: 'udp' as const },
    };
    const message = createRequest({
      method: 'MESSAGE',
      requestUri: `sip:${ECHO}@${ACL_TRUNK}`,
      from: `sip:+14155550101@${local.address}`,
      to: `sip:${ECHO}@${ACL_TRUNK}`,
      body: 'hello',
      contentType: 'text/plain',
    });
    const refused = await finalOf(phone.stack.sendRequest(message, destination));
    expect(refused.statusCode).toBe(405);
    expect(refused.headers.get('allow')).toContain('INVITE');
    const bye = createRequest({
      method: 'BYE',
      requestUri: `sip:${ECHO}@${ACL_TRUNK}`,
      from: `sip:+14155550101@${local.address}`,
      to: { uri: `sip:${ECHO}@${ACL_TRUNK}`, params: new Map([['tag', 'nosuchdialog']]) },
    });
    const unknown = await finalOf(phone.stack.sendRequest(bye, destination));
    expect(unknown.statusCode).toBe(481);
  });
});

describe('Emulator — digest on credential trunks', () => {
  it('challenges with 407 (realm = trunk domain), accepts the right password, refuses a wrong one with 403 + 4180', async () => {
    harness = await startEmulator();
    const phone = await pbx();
    const challenged = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: CREDENTIAL_TRUNK });
    expect(challenged.final?.statusCode).toBe(407);
    // The challenge is the only response to an INVITE without credentials (docs/adr/0088).
    expect(ladder(challenged.statuses)).toEqual([407]);
    expect(challenged.final?.headers.get('proxy-authenticate')).toContain(`realm="${CREDENTIAL_TRUNK}"`);

    const ok = await phone.call({
      emulator: harness.udp,
      to: ECHO,
      trunkHost: CREDENTIAL_TRUNK,
      auth: { username: 'trunkline', password: 'Trunkline#2026' },
    });
    // The test PBX answers the 407 on the same call: 407 (ACKed), then the authenticated INVITE's 100, 180, 200.
    expect(ladder(ok.statuses)).toEqual([407, 100, 180, 200]);
    await phone.bye(ok);

    const wrong = await phone.call({
      emulator: harness.udp,
      to: ECHO,
      trunkHost: CREDENTIAL_TRUNK,
      auth: { username: 'trunkline', password: 'wrong' },
    });
    expect(ladder(wrong.statuses)).toEqual([407, 403]);
    expect(hangupCode(wrong.final)).toBe('4180');
    const cdr = await harness.cdr(wrong.invite.callId!);
    expect(cdr).toMatchObject({ hangup_cause_code: 4180 });
  });
});

describe('Emulator — in the call', () => {
  it('CANCEL while ringing: 487, CDR 4550 customer_cancelled', async () => {
    harness = await startEmulator();
    const phone = await pbx();
    const call = await phone.call({
      emulator: harness.udp,
      to: RING_THEN_ANSWER,
      trunkHost: ACL_TRUNK,
      onSent: (sent) => {
        sent.transaction!.on('response', (r) => {
          if (r.statusCode === 180) phone.cancel(sent);
        });
      },
    });
    expect(ladder(call.statuses)).toEqual([100, 180, 487]);
    const cdr = await harness.cdr(call.invite.callId!);
    expect(cdr).toMatchObject({ hangup_cause_code: 4550, hangup_cause_name: 'customer_cancelled' });
  });

  it('late offer: the 200 carries the emulator’s offer, the ACK the PBX’s answer; the echo works', async () => {
    harness = await startEmulator();
    const phone = await pbx();
    const call = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK, lateOffer: true });
    expect(call.final?.statusCode).toBe(200);
    expect(call.final?.body.toString()).toMatch(/^v=0/);
    await eventually(() => call.media!.detector.analyze(700)?.present === true, 5_000, 'the echoed tone');
    await phone.bye(call);
  });

  it('re-INVITE hold and resume are answered through the negotiator and reported', async () => {
    harness = await startEmulator();
    const phone = await pbx();
    const call = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK });
    const hold = await phone.reinvite(call, 'sendonly');
    expect(hold.statusCode).toBe(200);
    expect(hold.body.toString()).toMatch(/a=recvonly/);
    const resume = await phone.reinvite(call, 'sendrecv');
    expect(resume.statusCode).toBe(200);
    expect(resume.body.toString()).toMatch(/a=sendrecv/);
    const states = harness.events.callState!.map((e) => e.state);
    expect(states).toContain('held');
    expect(states).toContain('resumed');
    await phone.bye(call);
  });

  it('RTP inactivity: the emulator sends BYE with 3020 and writes its CDR', async () => {
    harness = await startEmulator({ settings: { rtpInactivityTimeoutMs: 600 } });
    const phone = await pbx();
    const call = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK });
    await phone.silence(call);
    const bye = await call.nextRequest((r) => r.method === 'BYE');
    expect(bye.headers.get('x-zt-hangup-code')).toBe('3020');
    const cdr = await harness.cdr(call.invite.callId!);
    expect(cdr).toMatchObject({ hangup_cause_code: 3020, hangup_cause_name: 'rtp_timeout' });
  });

  it('DTMF from the PBX (RFC 4733) becomes dtmf events with digit and duration', async () => {
    harness = await startEmulator();
    const phone = await pbx();
    const call = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK });
    call.media!.session.sendDtmf('1#', { durationMs: 120 });
    await eventually(() => harness!.events.dtmf!.length === 2, 5_000, 'two digits');
    expect(harness.events.dtmf!.map((e) => e.digit)).toEqual(['1', '#']);
    for (const event of harness.events.dtmf!) expect(event.durationMs).toBeGreaterThanOrEqual(100);
    await phone.bye(call);
  });

  it('garbage on the UDP listener costs only that datagram', async () => {
    harness = await startEmulator();
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    for (const junk of [
      '',
      'INVITE',
      'SIP/2.0 200\r\n\r\n',
      '\u0000\u00ff'.repeat(400),
      'INVITE sip:x SIP/2.0\r\nVia: ;;\r\n\r\n',
    ]) {
      await new Promise<void>((resolve) =>
        socket.send(Buffer.from(junk), harness!.udp.port, '127.0.0.1', () => resolve()),
      );
    }
    socket.close();
    const phone = await pbx();
    const call = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK });
    expect(call.final?.statusCode).toBe(200);
    expect(harness.events.error!.filter((e) => e.kind === 'internal')).toEqual([]);
    await phone.bye(call);
  });

  it('the far end sends DTMF (RFC 4733) and holds and resumes by re-INVITE', async () => {
    harness = await startEmulator({
      farEnd: {
        numbers: [
          {
            number: '+14155550193',
            name: 'dtmf-and-hold',
            scenario: {
              kind: 'answer',
              dtmf: { digits: '42', afterMs: 100, durationMs: 100, gapMs: 100 },
              hold: { afterMs: 700, resumeAfterMs: 300 },
            },
          },
        ],
      },
    });
    const phone = await pbx();
    const call = await phone.call({ emulator: harness.udp, to: '+14155550193', trunkHost: ACL_TRUNK });
    const digits: string[] = [];
    call.media!.session.on('dtmf', (event) => {
      if (event.type === 'digit-end') digits.push(event.symbol);
    });
    await eventually(() => digits.length === 2, 5_000, 'two digits from the far end');
    expect(digits).toEqual(['4', '2']);
    const hold = await call.nextRequest((r) => r.method === 'INVITE' && /a=sendonly/.test(r.body.toString()));
    expect(hold.headers.get('user-agent')).toBe('Zentrunk');
    await call.nextRequest((r) => r.method === 'INVITE' && /a=sendrecv/.test(r.body.toString()));
    await eventually(
      () => harness!.events.callState!.some((e) => e.state === 'resumed' && e.by === 'carrier'),
      5_000,
      'resumed by the carrier',
    );
    expect(harness.events.callState!.some((e) => e.state === 'held' && e.by === 'carrier')).toBe(true);
    await phone.bye(call);
  });

  it('the far end’s hang-up: BYE with 3000 normal_hangup, carrier', async () => {
    harness = await startEmulator({
      farEnd: {
        numbers: [
          { number: '+14155550192', name: 'short', scenario: { kind: 'answer', hangupAfterMs: 300 } },
        ],
      },
    });
    const phone = await pbx();
    const call = await phone.call({ emulator: harness.udp, to: '+14155550192', trunkHost: ACL_TRUNK });
    const bye = await call.nextRequest((r) => r.method === 'BYE');
    expect(bye.headers.get('x-zt-hangup-code')).toBe('3000');
    const cdr = await harness.cdr(call.invite.callId!);
    expect(cdr).toMatchObject({ hangup_cause_code: 3000, hangup_source: 'carrier' });
  });

  it('no answer: the ring timeout ends the call with 480 + 6030', async () => {
    harness = await startEmulator({ settings: { ringTimeoutMs: 400 } });
    const phone = await pbx();
    const call = await phone.call({ emulator: harness.udp, to: '+14155550148', trunkHost: ACL_TRUNK });
    expect(call.statuses).toContain(180);
    expect(call.final?.statusCode).toBe(480);
    expect(hangupCode(call.final)).toBe('6030');
    const cdr = await harness.cdr(call.invite.callId!);
    expect(cdr.hangup_cause_code).toBe(6030);
  });

  it('an UPDATE without SDP (session refresh) is answered 200 and the call goes on', async () => {
    harness = await startEmulator();
    const phone = await pbx();
    const call = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK });
    const refreshed = await phone.request(call, 'UPDATE', { headers: [['Session-Expires', '1800']] });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.headers.get('session-expires')).toBe('1800;refresher=uac');
    expect(harness.emulator.activeCalls).toBe(1);
    await phone.bye(call);
  });

  it('a busy far end is relayed: 486 + 4410', async () => {
    harness = await startEmulator({ farEnd: FAR_END });
    const phone = await pbx();
    const call = await phone.call({ emulator: harness.udp, to: BUSY, trunkHost: ACL_TRUNK });
    expect(call.final?.statusCode).toBe(486);
    const cdr = await harness.cdr(call.invite.callId!);
    expect(cdr).toMatchObject({ hangup_cause_code: 4410, hangup_source: 'carrier' });
  });
});

describe('Emulator — REFER', () => {
  const referTo = (number: string) => `<sip:${number}@${ACL_TRUNK}>`;
  const sipfrags = (call: Awaited<ReturnType<TestPbx['call']>>) =>
    call.requests.filter((r) => r.method === 'NOTIFY').map((r) => r.body.toString().trim());

  it('blind: 202, NOTIFY 100/180/200, BYE to the transferor, two linked CDRs', async () => {
    harness = await startEmulator({ farEnd: FAR_END });
    const phone = await pbx();
    const call = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK });
    const accepted = await phone.request(call, 'REFER', { headers: [['Refer-To', referTo(QUICK_RING)]] });
    expect(accepted.statusCode).toBe(202);
    const bye = await call.nextRequest((r) => r.method === 'BYE');
    expect(bye.headers.get('x-zt-hangup-code')).toBe('3000');
    expect(sipfrags(call)).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 180 Ringing', 'SIP/2.0 200 OK']);
    const last = call.requests.filter((r) => r.method === 'NOTIFY').at(-1)!;
    expect(last.headers.get('subscription-state')).toBe('terminated;reason=noresource');
    const original = await harness.cdr(call.invite.callId!);
    const transfer = await harness.cdr((c) => c.parent_call_uuid === original.call_uuid, 5_000);
    expect(transfer.to_number).toBe(QUICK_RING);
    // Call UUIDs in creation order (docs/adr/0172): the transfer leg's comes after the original's.
    expect(original.call_uuid).toMatch(UUID_V7);
    expect(transfer.call_uuid).toMatch(UUID_V7);
    expect(transfer.call_uuid > original.call_uuid).toBe(true);
  });

  it('failed: NOTIFY with the target’s status, the transferor’s leg stays up', async () => {
    harness = await startEmulator({ farEnd: FAR_END });
    const phone = await pbx();
    const call = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK });
    const accepted = await phone.request(call, 'REFER', { headers: [['Refer-To', referTo(BUSY)]] });
    expect(accepted.statusCode).toBe(202);
    await eventually(() => sipfrags(call).length === 2, 5_000, 'two NOTIFYs');
    expect(sipfrags(call)).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 486 Busy Here']);
    await sleep(100);
    expect(call.requests.some((r) => r.method === 'BYE')).toBe(false);
    expect(harness.emulator.activeCalls).toBe(1);
    expect((await phone.bye(call)).statusCode).toBe(200);
  });

  it('Refer-To rules: a private IP target gets 403, a target without a number 400; the call goes on', async () => {
    harness = await startEmulator({ farEnd: FAR_END });
    const phone = await pbx();
    const call = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK });
    const privateIp = await phone.request(call, 'REFER', {
      headers: [['Refer-To', '<sip:+14155550190@10.0.0.5>']],
    });
    expect(privateIp.statusCode).toBe(403);
    const noNumber = await phone.request(call, 'REFER', {
      headers: [['Refer-To', `<sip:alice@${ACL_TRUNK}>`]],
    });
    expect(noNumber.statusCode).toBe(400);
    expect(harness.events.transfer!.map((e) => e.stage)).toEqual(['refused', 'refused']);
    expect(harness.emulator.activeCalls).toBe(1);
    expect((await phone.bye(call)).statusCode).toBe(200);
  });

  it('attended: REFER with Replaces naming call 2 joins the far ends and ends both legs', async () => {
    harness = await startEmulator({ farEnd: FAR_END });
    const phone = await pbx();
    const one = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK });
    // The pool trunk: the ACL trunk's own CPS (1) would refuse a second call in the same second.
    const two = await phone.call({ emulator: harness.udp, to: '+14155550112', trunkHost: POOL_TRUNK });
    const id = two.dialog!.id;
    const replaces = encodeURIComponent(`${id.callId};to-tag=${id.remoteTag};from-tag=${id.localTag}`);
    const accepted = await phone.request(one, 'REFER', {
      headers: [['Refer-To', `<sip:+14155550112@${ACL_TRUNK}?Replaces=${replaces}>`]],
    });
    expect(accepted.statusCode).toBe(202);
    await one.nextRequest((r) => r.method === 'BYE');
    await two.nextRequest((r) => r.method === 'BYE');
    const first = await harness.cdr(one.invite.callId!);
    const second = await harness.cdr(two.invite.callId!);
    expect(second.parent_call_uuid).toBe(first.call_uuid);
  });
});

describe('Emulator — credit', () => {
  it('spends the credit per CDR, refuses with 402/4030 once it is gone, and a restart starts it afresh', async () => {
    // A credit below one billed second of a US call (USD 0.005 a minute): the first call is admitted, its CDR
    // spends more than is left, and the next INVITE finds no credit (§4.2 #9, BEHAVIOUR.md §13 4030).
    const account = structuredClone(DEMO_ACCOUNT_CONFIG) as unknown as {
      limits: { credit_balance_usd: number; account_cps: number; trunk_cps: Record<string, number | null> };
    };
    account.limits.credit_balance_usd = 0.00001;
    // Three calls within a second: room in the CPS buckets (the demo's 1 CPS would answer 503/5180).
    account.limits.account_cps = 20;
    account.limits.trunk_cps['10000000000002'] = 10;
    harness = await startEmulator({ account });
    const phone = await pbx();
    const first = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK });
    expect(first.final?.statusCode).toBe(200);
    expect((await phone.bye(first)).statusCode).toBe(200);
    const spent = await harness.cdr(first.invite.callId!);
    expect(Number(spent.total_amount)).toBeGreaterThan(0.00001);

    const refused = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK });
    expect(refused.final?.statusCode).toBe(402);
    expect(hangupCode(refused.final)).toBe('4030');
    expect(await harness.cdr(refused.invite.callId!)).toMatchObject({ hangup_cause_code: 4030 });

    // docs/adr/0173: the balance is the configured credit less what this run spent. A new run on the same data
    // folder keeps the earlier CDRs and starts from the configured credit again.
    await harness.emulator.stop();
    const again = await Emulator.start(harness.config, { stopGraceMs: 500, dataDir: harness.dataDir });
    try {
      const udp = again.addresses().udp!;
      const after = await phone.call({ emulator: udp, to: ECHO, trunkHost: ACL_TRUNK });
      expect(after.final?.statusCode).toBe(200);
      expect((await phone.bye(after)).statusCode).toBe(200);
      await eventually(
        () => again.store.listCdrs({ limit: 10 }).objects.length === 3,
        5_000,
        'three CDRs across the two runs',
      );
    } finally {
      await again.stop();
    }
  });
});

describe('Emulator — inbound calls', () => {
  it('primary URI unreachable → the fallback answers; media flows both ways; CDR inbound', async () => {
    const phone = await pbx();
    const closed = await TestPbx.start('tcp');
    const deadPort = closed.listener.local.port;
    await closed.close();
    const account = structuredClone(DEMO_ACCOUNT_CONFIG) as unknown as {
      origination_uris: Array<{ uri: string }>;
    };
    account.origination_uris[0].uri = `127.0.0.1:${deadPort};transport=tcp`;
    account.origination_uris[1].uri = `127.0.0.1:${phone.listener.local.port};transport=udp`;
    harness = await startEmulator({ account });
    phone.inboundAnswer = { kind: 'answer', toneHz: 900 };
    const result = await harness.emulator.placeInboundCall({
      from: '+14155550101',
      to: '+14155550100',
      media: { kind: 'tone', tones: [{ frequencyHz: 1004, levelDbfs: -16 }], cadence: null },
    });
    expect(result).toMatchObject({ outcome: 'answered', leg: 'fallback' });
    const invite = phone.inboundInvites[0];
    expect(invite.requestUriText).toMatch(/;timeout=60;carrierid=20000000000001/);
    expect(invite.from?.uri.toString()).toContain('@zt.plivo.com');
    expect(invite.headers.get('x-plivo-region')).toBeDefined();
    expect(invite.headers.get('user-agent')).toBe('Zentrunk');
    const stages = harness.events.inboundCall!.map((e) => `${e.stage}:${e.leg}`);
    expect(stages).toEqual(['attempt:primary', 'failover:fallback', 'attempt:fallback', 'answered:fallback']);
    const answered = phone.inboundCalls[0];
    await eventually(
      () => answered.media!.detector.analyze(1004)?.present === true,
      5_000,
      'the caller’s tone',
    );
    expect((await phone.bye(answered)).statusCode).toBe(200);
    expect(result.callUuid).toMatch(UUID_V7);
    const cdr = await harness.cdr((c) => c.call_uuid === result.callUuid);
    expect(cdr).toMatchObject({
      call_direction: 'inbound',
      hangup_cause_code: 3010,
      hangup_source: 'customer',
    });
  });

  it('answers the PBX’s 401 once with the origination URI’s credentials', async () => {
    const phone = await pbx();
    const account = structuredClone(DEMO_ACCOUNT_CONFIG) as unknown as {
      origination_uris: Array<Record<string, unknown>>;
    };
    account.origination_uris[0] = {
      ...account.origination_uris[0],
      uri: `127.0.0.1:${phone.listener.local.port};transport=udp`,
      authentication_needed: true,
      username: 'pbxuser',
      password: 'pbx-secret',
    };
    harness = await startEmulator({ account });
    phone.inboundAnswer = { kind: 'challenge', then: { kind: 'answer' } };
    const result = await harness.emulator.placeInboundCall({
      from: '+14155550101',
      to: '+14155550100',
      hangupAfterMs: 200,
    });
    expect(result).toMatchObject({ outcome: 'answered', leg: 'primary' });
    expect(phone.inboundInvites).toHaveLength(2);
    const authorization = phone.inboundInvites[1].headers.get('authorization') ?? '';
    expect(authorization).toContain('username="pbxuser"');
    expect(authorization).toContain('realm="pbx.test"');
    expect(authorization).not.toContain('pbx-secret');
    // The caller hangs up after 200 ms: BYE with 3000 from the emulator.
    const bye = await phone.inboundCalls[0].nextRequest((r) => r.method === 'BYE');
    expect(bye.headers.get('x-zt-hangup-code')).toBe('3000');
  });

  it('a PBX 486 is mapped to 4410 and not failed over (4xx)', async () => {
    const phone = await pbx();
    const account = structuredClone(DEMO_ACCOUNT_CONFIG) as unknown as {
      origination_uris: Array<{ uri: string }>;
    };
    account.origination_uris[0].uri = `127.0.0.1:${phone.listener.local.port};transport=udp`;
    harness = await startEmulator({ account });
    phone.inboundAnswer = { kind: 'status', status: 486 };
    const result = await harness.emulator.placeInboundCall({ from: '+14155550101', to: '+14155550100' });
    expect(result).toMatchObject({ outcome: 'failed', leg: 'primary', sipStatus: 486 });
    expect(result.cause?.code).toBe(4410);
    expect(phone.inboundInvites).toHaveLength(1);
  });
});

describe('Emulator — OPTIONS and CPS', () => {
  it('OPTIONS: 200 with Allow; too fast → a warning, then a block (no answer)', async () => {
    harness = await startEmulator({
      settings: {
        optionsRate: {
          warnIntervalMs: 1_000,
          blockIntervalMs: 500,
          blockSustainMs: 200,
          blockDurationMs: 10_000,
        },
      },
    });
    const phone = await pbx();
    const local = phone.listener.local;
    const options = () =>
      createRequest({
        method: 'OPTIONS',
        requestUri: `sip:${ACL_TRUNK}`,
        from: `sip:pbx@${local.address}`,
        to: `sip:${ACL_TRUNK}`,
      });
    const destination = {
      destination: { host: harness.udp.address, port: harness.udp.port, transport: 'udp' as const },
    };
    const first = await finalOf(phone.stack.sendRequest(options(), destination));
    expect(first.statusCode).toBe(200);
    expect(first.headers.get('allow')).toBeDefined();
    for (let i = 0; i < 8 && !harness.events.optionsRate!.some((e) => e.state === 'blocked'); i++) {
      // Not awaited: once the source is blocked, no answer comes.
      phone.stack.sendRequest(options(), destination);
      await sleep(60);
    }
    const states = harness.events.optionsRate!.map((e) => e.state);
    expect(states).toContain('warning');
    expect(states).toContain('blocked');
    const transaction = phone.stack.sendRequest(options(), destination);
    let answered = false;
    transaction.on('response', () => (answered = true));
    await sleep(300);
    expect(answered).toBe(false);
  });

  it('trunk CPS: a second call in the same second on a 1-CPS trunk gets 503 + 5180 at once', async () => {
    harness = await startEmulator();
    const phone = await pbx();
    const calls = await Promise.all([
      phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK }),
      phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK }),
    ]);
    const statuses = calls.map((c) => c.final?.statusCode).sort();
    expect(statuses).toEqual([200, 503]);
    const refused = calls.find((c) => c.final?.statusCode === 503)!;
    expect(hangupCode(refused.final)).toBe('5180');
    for (const c of calls) if (c.final?.statusCode === 200) await phone.bye(c);
  });

  it('account CPS: a burst on the pool trunk queues (100 Trying) and is released; queue delay in the CDR', async () => {
    harness = await startEmulator();
    const phone = await pbx();
    const calls = await Promise.all(
      Array.from({ length: 5 }, () =>
        phone.call({ emulator: harness!.udp, to: ECHO, trunkHost: POOL_TRUNK }),
      ),
    );
    expect(calls.map((c) => c.final?.statusCode)).toEqual([200, 200, 200, 200, 200]);
    // Queued or not, every call reads 100 (once, before the wait), 180, 200.
    for (const c of calls) expect(ladder(c.statuses)).toEqual([100, 180, 200]);
    expect(harness.events.cpsQueue!.some((e) => e.state === 'queued')).toBe(true);
    for (const c of calls) await phone.bye(c);
    const delays = await Promise.all(
      calls.map(async (c) => (await harness!.cdr(c.invite.callId!)).queue_delay_ms ?? 0),
    );
    expect(Math.max(...delays)).toBeGreaterThan(0);
  });
});

describe('Emulator — account CPS queue bound', () => {
  it('a call still queued at the bound gets 503 + 5180 with its queue delay in the CDR', async () => {
    harness = await startEmulator({ settings: { accountCpsQueueBoundMs: 300 } });
    const phone = await pbx();
    const calls = await Promise.all(
      Array.from({ length: 5 }, () =>
        phone.call({ emulator: harness!.udp, to: ECHO, trunkHost: POOL_TRUNK }),
      ),
    );
    const refused = calls.filter((c) => c.final?.statusCode === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(hangupCode(refused[0].final)).toBe('5180');
    expect(ladder(refused[0].statuses)).toEqual([100, 503]);
    const cdr = await harness.cdr(refused[0].invite.callId!);
    expect(cdr.hangup_cause_code).toBe(5180);
    // Node fires a timer on its loop's millisecond clock, which can run up to 1 ms behind performance.now().
    expect(cdr.queue_delay_ms).toBeGreaterThanOrEqual(299);
    for (const c of calls) if (c.final?.statusCode === 200) await phone.bye(c);
  });
});

describe('Emulator — re-INVITE glare (RFC 3261 §14)', () => {
  const HOLD_SOON = '+14155550194';
  const farEnd = {
    numbers: [
      {
        number: HOLD_SOON,
        name: 'hold-soon',
        scenario: { kind: 'answer', hold: { afterMs: 200, resumeAfterMs: 60_000 } },
      },
    ],
  };

  it('an offer from the PBX while the far end’s re-INVITE is pending gets 491 + Retry-After; the call goes on', async () => {
    harness = await startEmulator({ farEnd });
    const phone = await pbx();
    phone.inDialogInvites = { kind: 'defer' };
    const call = await phone.call({ emulator: harness.udp, to: HOLD_SOON, trunkHost: ACL_TRUNK });
    await call.nextRequest((r) => r.method === 'INVITE' && /a=sendonly/.test(r.body.toString()));
    const crossing = await phone.reinvite(call, 'sendonly');
    expect(crossing.statusCode).toBe(491);
    // §14.1: the party that did not own the Call-ID waits 0–2 s; the emulator tells the PBX 1–3 s.
    expect(crossing.headers.get('retry-after')).toMatch(/^[123]$/);
    phone.answerDeferredInvites();
    await eventually(
      () => harness!.events.callState!.some((e) => e.state === 'held' && e.by === 'carrier'),
      5_000,
      'held by the carrier',
    );
    await phone.bye(call);
    expect((await harness.cdr(call.invite.callId!)).hangup_cause_code).toBe(3010);
  });

  it('the far end’s re-INVITE refused with 491 is sent again after a random wait, and the hold completes', async () => {
    harness = await startEmulator({ farEnd });
    const phone = await pbx();
    phone.inDialogInvites = { kind: 'glare' };
    const call = await phone.call({ emulator: harness.udp, to: HOLD_SOON, trunkHost: ACL_TRUNK });
    const holds = (): SipRequest[] =>
      call.requests.filter((r) => r.method === 'INVITE' && /a=sendonly/.test(r.body.toString()));
    await eventually(() => holds().length === 2, 5_000, 'the hold sent again');
    const [first, second] = holds();
    expect(second.cseq!.seq).toBeGreaterThan(first.cseq!.seq);
    await eventually(
      () => harness!.events.callState!.some((e) => e.state === 'held' && e.by === 'carrier'),
      5_000,
      'held by the carrier',
    );
    expect(harness.events.callState!.some((e) => e.state === 'ended')).toBe(false);
    await phone.bye(call);
  });
});

describe('Emulator — stop()', () => {
  /** The CDR rows of `callIds` from the closed emulator's database. */
  function storedCdrs(dataDir: string, callIds: readonly string[]) {
    const store = TrunklineStore.open({ path: defaultDatabasePath(dataDir) });
    try {
      return callIds.map((id) => store.listCdrs({ limit: 100 }).objects.find((c) => c.call_id === id));
    } finally {
      store.close();
    }
  }

  it('while the far end rings: the INVITE gets 503, the CDR 5250 with status 503', async () => {
    harness = await startEmulator();
    const phone = await pbx();
    let stopped: Promise<void> | undefined;
    const call = await phone.call({
      emulator: harness.udp,
      to: RING_THEN_ANSWER,
      trunkHost: ACL_TRUNK,
      onSent: (sent) => {
        sent.transaction!.on('response', (r) => {
          if (r.statusCode === 180) stopped = harness!.emulator.stop();
        });
      },
    });
    await stopped;
    expect(call.statuses).toContain(180);
    expect(call.final?.statusCode).toBe(503);
    expect(hangupCode(call.final)).toBe('5250');
    const [cdr] = storedCdrs(harness.dataDir, [call.invite.callId!]);
    expect(cdr).toMatchObject({ hangup_cause_code: 5250, sip_status: 503, answer_time: null });
  });

  it('while calls wait in the account CPS queue: 503 + 5250, their queue delays in the CDRs', async () => {
    harness = await startEmulator();
    const phone = await pbx();
    const placed = Array.from({ length: 5 }, () =>
      phone.call({ emulator: harness!.udp, to: ECHO, trunkHost: POOL_TRUNK }),
    );
    await eventually(
      () => harness!.events.cpsQueue?.some((e) => e.state === 'queued') === true,
      5_000,
      'a queued call',
    );
    await harness.emulator.stop();
    const calls = await Promise.all(placed);
    const refused = calls.filter((c) => c.final?.statusCode === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const c of refused) expect(hangupCode(c.final)).toBe('5250');
    expect(harness.events.cpsQueue!.some((e) => e.state === 'cancelled')).toBe(true);
    const cdrs = storedCdrs(
      harness.dataDir,
      calls.map((c) => c.invite.callId!),
    );
    // Every call has its CDR: the answered ones ended by BYE, the queued ones refused; all with 5250.
    expect(cdrs.map((c) => c?.hangup_cause_code)).toEqual([5250, 5250, 5250, 5250, 5250]);
    const refusedCdrs = storedCdrs(
      harness.dataDir,
      refused.map((c) => c.invite.callId!),
    );
    for (const cdr of refusedCdrs) {
      expect(cdr).toMatchObject({ sip_status: 503, answer_time: null });
      expect(cdr?.queue_delay_ms).not.toBeNull();
    }
  });

  it('ends every call with BYE 5250 and writes its CDR before it resolves', async () => {
    harness = await startEmulator();
    const phone = await pbx();
    const call = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK });
    await harness.emulator.stop();
    const bye = await call.nextRequest((r) => r.method === 'BYE');
    expect(bye.headers.get('x-zt-hangup-code')).toBe('5250');
    const store = TrunklineStore.open({ path: defaultDatabasePath(harness.dataDir) });
    try {
      const cdr = store.listCdrs({ limit: 10 }).objects.find((c) => c.call_id === call.invite.callId);
      expect(cdr?.hangup_cause_code).toBe(5250);
    } finally {
      store.close();
    }
  });
});

describe('Emulator — the CDR writer thread (docs/adr/0160)', () => {
  it('the CDR writer thread dies: an error event says so, and the calls before and after still get their CDRs', async () => {
    harness = await startEmulator();
    const phone = await pbx();
    const before = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK });
    expect((await phone.bye(before)).statusCode).toBe(200);
    await harness.cdr(before.invite.callId!);

    const thread = harness.emulator.cdrWriteThreadForTest;
    expect(thread).toBeDefined();
    await thread!.killForTest();
    await eventually(() => thread!.fellBack, 5_000, 'the fallback');
    const reported = harness.events.error?.filter((e) => e.kind === 'cdr-write-failed') ?? [];
    expect(reported).toHaveLength(1);
    expect(reported[0]?.message).toContain('now written on the main thread');

    // The trunk's CPS is 1: the second call comes in the next second.
    await sleep(1_100);
    const after = await phone.call({ emulator: harness.udp, to: ECHO, trunkHost: ACL_TRUNK });
    expect(after.final?.statusCode).toBe(200);
    // The 200 to the BYE is still sent only after the CDR is committed (docs/adr/0150), now on the main thread.
    expect((await phone.bye(after)).statusCode).toBe(200);
    const cdr = await harness.cdr(after.invite.callId!);
    expect(cdr).toMatchObject({ hangup_cause_code: 3010, hangup_source: 'customer' });
    await harness.emulator.stop();
  });
});
