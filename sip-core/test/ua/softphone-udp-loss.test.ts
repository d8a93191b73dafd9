// UDP through a lossy path: a relay between the phone and the test trunk drops chosen datagrams, so each piece of
// reliability sip.js lacks on UDP and our transaction layer supplies is exercised on a real call (ADR 0090):
// Timer A (a lost INVITE), Timer E (a lost BYE), response replay for a duplicate request (a lost 200 to BYE),
// 2xx retransmission and ACK replay (a lost 200 and a lost ACK), the ACK of a non-2xx (a lost 407 ACK),
// in both call directions; then a run of calls with random loss.

import { describe, expect, it } from 'vitest';
import { SoftphoneUserAgent } from '../../src/ua/softphone-user-agent.js';
import type { Call } from '../../src/ua/call.js';
import type { SipTraceRecord } from '../../src/sip/trace/index.js';
import { DID, endOf, sleep, until, untilState } from '../support/softphone-fixtures.js';
import { LossyUdpRelay, type RelayedDatagram } from '../support/lossy-udp-relay.js';
import { seededRandom } from '../support/seeded-random.js';
import { useTeardown } from '../support/teardown.js';
import { TestTrunk } from '../support/test-trunk.js';

const teardown = useTeardown();

async function lossyPath(shouldDrop: (datagram: RelayedDatagram) => boolean, auth = false) {
  const trunk = await TestTrunk.start({
    listen: [{ transport: 'udp' }],
    symmetricSignalling: true,
    ...(auth ? { auth: { algorithms: ['MD5'], username: 'lossy', password: 'lossy-pw' } } : {}),
  });
  teardown(() => trunk.close());
  const relay = await LossyUdpRelay.start(trunk.listener('udp').local, shouldDrop);
  teardown(() => relay.close());
  const phone = await SoftphoneUserAgent.start({
    terminationDomain: '127.0.0.1',
    outboundProxy: `127.0.0.1:${relay.clientPort}`,
    transport: 'udp',
    callerIds: ['+14155550101'],
    dids: [DID],
    srtp: 'off',
    ...(auth ? { username: 'lossy', password: 'lossy-pw' } : {}),
  });
  teardown(() => phone.stop());
  const records: SipTraceRecord[] = [];
  phone.trace.subscribe((record) => records.push(record));
  const retransmitted = () =>
    records
      .filter((r) => r.kind === 'message' && r.direction === 'sent' && r.retransmission === true)
      .map(
        (r) =>
          Buffer.from((r as { bytes: Uint8Array }).bytes)
            .toString('latin1')
            .split('\r\n')[0],
      );
  return { trunk, relay, phone, retransmitted };
}

/** Drops the first datagram matching each rule (direction, start of the start line, CSeq method). */
function dropFirst(rules: ReadonlyArray<readonly [RelayedDatagram['direction'], string, string]>) {
  return (d: RelayedDatagram) =>
    d.occurrence === 0 &&
    rules.some(
      ([direction, start, method]) =>
        d.direction === direction && d.startLine.startsWith(start) && d.cseqMethod === method,
    );
}

describe('UDP through a lossy path', () => {
  it('an outbound call survives a lost INVITE, 200, ACK, BYE and 200 to BYE', async () => {
    const { trunk, relay, phone, retransmitted } = await lossyPath(
      dropFirst([
        ['to-trunk', 'INVITE', 'INVITE'],
        ['to-phone', 'SIP/2.0 200', 'INVITE'],
        ['to-trunk', 'ACK', 'ACK'],
        ['to-trunk', 'BYE', 'BYE'],
        ['to-phone', 'SIP/2.0 200', 'BYE'],
      ]),
    );
    const call = phone.call('+14155550100');
    await untilState(call, 'answered', 10_000);
    const far = trunk.callTo('+14155550100')!;
    // The trunk's 200 was lost once and its retransmission answered, then our ACK was lost once: the trunk
    // retransmits its 200 again until an ACK arrives.
    await until(() => far.requests.includes('ACK'), 'the trunk to get an ACK', 10_000);
    await sleep(200);
    call.sendDtmf('5');
    await until(() => far.dtmf.join('') === '5', 'DTMF over RTP');
    await call.hangup();
    const end = await endOf(call, 15_000);
    expect(end.outcome).toBe('answered');
    expect(far.byeReceived).toBeDefined();
    expect(relay.dropped).toHaveLength(5);
    const resent = retransmitted();
    expect(
      resent.some((line) => line.startsWith('INVITE')),
      'Timer A re-sent the INVITE',
    ).toBe(true);
    expect(
      resent.some((line) => line.startsWith('BYE')),
      'Timer E re-sent the BYE',
    ).toBe(true);
    expect(
      resent.some((line) => line.startsWith('ACK')),
      'the ACK was re-sent for the re-sent 200',
    ).toBe(true);
    expect(phone.bridge.pending.incoming).toBe(0);
  });

  it('an authenticated call survives a lost 407 and a lost ACK of the 407', async () => {
    const { relay, phone } = await lossyPath(
      dropFirst([
        ['to-phone', 'SIP/2.0 407', 'INVITE'],
        ['to-trunk', 'ACK', 'ACK'],
      ]),
      true,
    );
    const call = phone.call('+14155550100');
    await untilState(call, 'answered', 10_000);
    await call.hangup();
    expect((await endOf(call)).outcome).toBe('answered');
    expect(relay.dropped.map((d) => d.startLine.slice(0, 11))).toEqual(['SIP/2.0 407', 'ACK sip:+14']);
  });

  it('an inbound call survives a lost INVITE, 200, ACK, BYE and 200 to BYE (our 2xx re-sent until the ACK)', async () => {
    const trunk = await TestTrunk.start({ listen: [{ transport: 'udp' }], symmetricSignalling: true });
    teardown(() => trunk.close());
    const phone = await SoftphoneUserAgent.start({
      terminationDomain: '127.0.0.1',
      outboundProxy: `127.0.0.1:${trunk.listener('udp').local.port}`,
      transport: 'udp',
      callerIds: ['+14155550101'],
      dids: [DID],
      srtp: 'off',
    });
    teardown(() => phone.stop());
    const relay = await LossyUdpRelay.start(
      trunk.listener('udp').local,
      dropFirst([
        ['to-phone', 'INVITE', 'INVITE'],
        ['to-trunk', 'SIP/2.0 200', 'INVITE'],
        ['to-phone', 'ACK', 'ACK'],
        ['to-phone', 'BYE', 'BYE'],
        ['to-trunk', 'SIP/2.0 200', 'BYE'],
      ]),
      phone.listener.local,
    );
    teardown(() => relay.close());
    const incoming: Call[] = [];
    phone.on('incoming', (call) => {
      incoming.push(call);
      void call.accept();
    });
    const { response, call: far } = await trunk.callPhone(`sip:${DID}@127.0.0.1:${relay.trunkSidePort}`);
    expect(response.statusCode).toBe(200);
    expect(incoming).toHaveLength(1);
    await untilState(incoming[0], 'answered', 10_000);
    expect((await far.bye()).statusCode).toBe(200);
    expect((await endOf(incoming[0], 15_000)).outcome).toBe('answered');
    expect(relay.dropped, JSON.stringify(relay.forwarded)).toHaveLength(5);
    // The retransmitted INVITE reached the phone after the first was lost; sip.js saw one INVITE only.
    expect(incoming).toHaveLength(1);
  });

  it('ten calls with 20 % random loss each way all complete', async () => {
    const random = seededRandom(20_260_101);
    const { relay, phone } = await lossyPath(() => random() < 0.2);
    for (let i = 0; i < 10; i++) {
      const call = phone.call(`+1415555020${i}`);
      await untilState(call, 'answered', 20_000);
      await call.hangup();
      const end = await endOf(call, 40_000);
      expect(end.outcome, `call ${i}`).toBe('answered');
    }
    expect(relay.dropped.length).toBeGreaterThan(5);
  }, 180_000);
});
