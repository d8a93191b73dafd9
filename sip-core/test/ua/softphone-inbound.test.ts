// Inbound calls: the test trunk delivers calls to the phone's DID as Zentrunk does (BEHAVIOUR.md §5.2), over UDP,
// TCP and TLS (the phone presents a certificate of the test PKI). Accept with audio both ways, decline, the
// caller's CANCEL, a Request-URI that is not ours, a source outside the allowed networks (403 + event), an
// unacceptable offer (488), and mid-call re-INVITE and UPDATE from the trunk.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToneDetectorSink, ToneSource } from '../../src/media/session/index.js';
import type { Call } from '../../src/ua/call.js';
import type { InboundRejection } from '../../src/ua/sip-stack-bridge.js';
import {
  DID,
  endOf,
  sleep,
  startPhoneAndTrunk,
  testCa,
  until,
  untilState,
} from '../support/softphone-fixtures.js';
import { useTeardown } from '../support/teardown.js';
import { useTempDir } from '../support/temp-dir.js';
import { TestTrunk } from '../support/test-trunk.js';

const teardown = useTeardown();
const tempDir = useTempDir('trunkline-ua-inbound-');

/** A phone that answers nothing by itself, its trunk (trusting the phone's certificate on TLS), and its URI. */
async function inboundSetup(transport: 'udp' | 'tcp' | 'tls', srtp?: 'off' | 'optional' | 'mandatory') {
  let listen = {};
  if (transport === 'tls') {
    const identity = testCa().issue('127.0.0.1', ['IP:127.0.0.1']);
    const certFile = join(tempDir(), 'phone.crt');
    const keyFile = join(tempDir(), 'phone.key');
    writeFileSync(certFile, identity.cert);
    writeFileSync(keyFile, identity.key, { mode: 0o600 });
    listen = { listen: { tlsCertificateFile: certFile, tlsKeyFile: keyFile } };
  }
  const { trunk, phone } = await startPhoneAndTrunk(transport, teardown, {
    // A secure trunk offers RTP/SAVP (BEHAVIOUR.md §2.3); the others offer SDES best effort.
    trunk: {
      toneHz: 1000,
      srtpPolicy: transport === 'tls' ? 'mandatory' : 'optional',
      stack: { transport: { tls: { ca: testCa().cert } } },
    },
    profile: { ...listen, ...(srtp !== undefined ? { srtp } : {}) },
  });
  const incoming: Call[] = [];
  phone.on('incoming', (call) => incoming.push(call));
  const port = phone.listener.local.port;
  const uri = (user: string) => `sip:${user}@127.0.0.1:${port};transport=${transport}`;
  return { trunk, phone, incoming, uri };
}

describe.each(['udp', 'tcp', 'tls'] as const)('inbound calls over %s', (transport) => {
  it('rings on a DID, answers with two-way audio, and ends on the trunk’s BYE with its hangup code', async () => {
    const { trunk, incoming, uri } = await inboundSetup(transport);
    const placing = trunk.callPhone(uri(DID));
    await until(() => incoming.length === 1, 'the phone to ring');
    const call = incoming[0];
    expect(call.direction).toBe('inbound');
    expect(call.number).toBe(DID);
    expect(call.peerOrCallerId).toBe('+14155550199');
    const heard = new ToneDetectorSink({ windowMs: 1000 });
    await call.accept({ source: ToneSource.sine(440), sinks: [heard] });
    const { response, call: far } = await placing;
    expect(response.statusCode).toBe(200);
    await untilState(call, 'answered');
    await sleep(1_200);
    expect(heard.analyze(1000)?.present, 'the phone hears the trunk').toBe(true);
    expect(far.detector.analyze(440)?.present, 'the trunk hears the phone').toBe(true);
    call.sendDtmf('42');
    await until(() => far.dtmf.join('') === '42', 'the trunk to get the digits');

    const bye = await far.bye([
      ['X-ZT-Hangup-Code', '3000'],
      ['Reason', 'SIP;cause=200;text="normal_hangup"'],
    ]);
    expect(bye.statusCode).toBe(200);
    const end = await endOf(call);
    expect(end).toMatchObject({ outcome: 'answered', endedBy: 'remote' });
    expect(end.hangup).toMatchObject({
      code: 3000,
      name: 'normal_hangup',
      basis: 'x-zt-hangup-code',
      inferred: false,
    });
  });
});

describe('inbound calls (UDP)', () => {
  it('declines with 486: the trunk gets it, the phone explains it as user_busy from the customer side', async () => {
    const { trunk, incoming, uri } = await inboundSetup('udp');
    const placing = trunk.callPhone(uri(DID));
    await until(() => incoming.length === 1, 'the phone to ring');
    await incoming[0].decline(486);
    expect((await placing).response.statusCode).toBe(486);
    const end = await endOf(incoming[0]);
    expect(end.outcome).toBe('declined');
    expect(end.hangup).toMatchObject({ code: 4410, source: 'customer' });
  });

  it('stops ringing when the caller cancels: missed, carrier_cancelled', async () => {
    const { trunk, incoming, uri } = await inboundSetup('udp');
    void trunk.callPhone(uri(DID));
    await until(() => incoming.length === 1, 'the phone to ring');
    const invite = trunk.calls.at(-1)!;
    // The trunk's INVITE transaction is the last client transaction it started.
    await trunk.cancelLastInvite();
    const end = await endOf(incoming[0]);
    expect(end.outcome).toBe('missed');
    expect(end.hangup).toMatchObject({ code: 4420, name: 'carrier_cancelled' });
    expect(invite.number).toBe(DID);
  });

  it('answers 404 to a Request-URI that is none of its DIDs', async () => {
    const { trunk, incoming, uri } = await inboundSetup('udp');
    const { response } = await trunk.callPhone(uri('+442079460000'));
    expect(response.statusCode).toBe(404);
    expect(incoming).toHaveLength(0);
  });

  it('answers 403 to a source outside the allowed networks, and reports it (toll-fraud protection)', async () => {
    const { phone, incoming, uri } = await inboundSetup('udp');
    const rejections: InboundRejection[] = [];
    phone.on('inbound-rejected', (rejection) => rejections.push(rejection));
    // 127.0.0.5 is neither a Zentrunk network nor the trunk this phone calls through (127.0.0.1).
    const stranger = await TestTrunk.start({ listen: [{ transport: 'udp', host: '127.0.0.5' }] });
    teardown(() => stranger.close());
    const { response } = await stranger.callPhone(uri(DID));
    expect(response.statusCode).toBe(403);
    expect(incoming).toHaveLength(0);
    expect(rejections).toEqual([
      {
        method: 'INVITE',
        requestUri: uri(DID),
        source: { address: '127.0.0.5', port: expect.any(Number) as number },
        transport: 'udp',
      },
    ]);
  });

  it('refuses an offer it cannot answer with 488 and a Warning, before ringing', async () => {
    const { trunk, incoming, uri } = await inboundSetup('udp', 'mandatory');
    // The trunk offers plain RTP (srtp optional offers RTP/AVP); the phone's profile requires SRTP.
    const { response } = await trunk.callPhone(uri(DID));
    expect(response.statusCode).toBe(488);
    expect(response.headers.get('Warning')).toMatch(/^399 trunkline ".+"$/);
    expect(incoming).toHaveLength(0);
  });

  it('follows the trunk’s re-INVITE to hold and resume (we answer recvonly, then sendrecv)', async () => {
    const { trunk, incoming, uri } = await inboundSetup('udp');
    const placing = trunk.callPhone(uri(DID));
    await until(() => incoming.length === 1, 'the phone to ring');
    const call = incoming[0];
    await call.accept();
    const { call: far } = await placing;
    await untilState(call, 'answered');
    expect((await far.reinvite('sendonly')).statusCode).toBe(200);
    expect(far.negotiated?.direction).toBe('sendonly');
    await until(() => call.mediaState?.direction === 'recvonly', 'the phone to be held');
    expect((await far.reinvite('sendrecv')).statusCode).toBe(200);
    await until(() => call.mediaState?.direction === 'sendrecv', 'the phone to be resumed');
    await call.hangup();
  });
});
