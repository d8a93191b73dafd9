// OPTIONS to the termination URI (BEHAVIOUR.md §3, §11): reachability and round-trip time as events, and the
// 15 s guard every OPTIONS goes through — manual pings and the keep-alive alike — against the test trunk.

import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/common/manual-clock.js';
import type { OptionsStatus } from '../../src/ua/options-keep-alive.js';
import { SoftphoneUserAgent } from '../../src/ua/softphone-user-agent.js';
import { freeUdpPort } from '../support/free-port.js';
import { startPhoneAndTrunk, until } from '../support/softphone-fixtures.js';
import { useTeardown } from '../support/teardown.js';
import { TestTrunk } from '../support/test-trunk.js';

const teardown = useTeardown();

describe('OPTIONS to the trunk', () => {
  it('measures reachability and RTT, and refuses a second ping within 15 s without sending it', async () => {
    const { trunk, phone } = await startPhoneAndTrunk('udp', teardown);
    const events: OptionsStatus[] = [];
    phone.on('options', (status) => events.push(status));
    const status = await phone.pingTrunk();
    expect(status).toMatchObject({ reachable: true, statusCode: 200, reasonPhrase: 'OK' });
    expect(status.rttMs).toBeGreaterThanOrEqual(0);
    expect(events).toEqual([status]);
    await expect(phone.pingTrunk()).rejects.toMatchObject({ code: 'UA_OPTIONS_RATE_LIMITED' });
    expect(trunk.options).toHaveLength(1);
    expect(trunk.received.find((r) => r.method === 'OPTIONS')?.requestUri).toBe('sip:127.0.0.1');
  });

  it('keeps alive every 15 s at most, even when asked for less, and a manual ping in between is refused', async () => {
    const clock = new ManualClock();
    const trunk = await TestTrunk.start({ listen: [{ transport: 'udp' }] });
    teardown(() => trunk.close());
    const phone = await SoftphoneUserAgent.start(
      {
        terminationDomain: '127.0.0.1',
        outboundProxy: `127.0.0.1:${trunk.listener('udp').local.port}`,
        transport: 'udp',
        callerIds: ['+14155550101'],
        optionsKeepAliveIntervalS: 15,
      },
      { clock },
    );
    teardown(() => phone.stop());
    const events: OptionsStatus[] = [];
    phone.on('options', (status) => events.push(status));
    await until(() => events.length === 1, 'the first keep-alive answer');
    for (let second = 1; second <= 60; second++) {
      clock.advance(1_000);
      if (second % 15 === 0)
        await until(() => events.length === 1 + second / 15, `keep-alive ${second / 15 + 1}`);
      if (second === 20)
        await expect(phone.pingTrunk()).rejects.toMatchObject({ code: 'UA_OPTIONS_RATE_LIMITED' });
    }
    expect(trunk.options).toHaveLength(5);
    expect(events.every((e) => e.reachable && e.statusCode === 200)).toBe(true);
  });

  it('reports an unreachable trunk when the OPTIONS times out (Timer F)', async () => {
    const clock = new ManualClock();
    const silent = await freeUdpPort();
    const phone = await SoftphoneUserAgent.start(
      {
        terminationDomain: '127.0.0.1',
        outboundProxy: `127.0.0.1:${silent}`,
        transport: 'udp',
        callerIds: ['+14155550101'],
      },
      { clock },
    );
    teardown(() => phone.stop());
    const pinging = phone.pingTrunk();
    // Timer F (64·T1) on the phone's clock: the answer is a local 408.
    for (let i = 0; i < 40; i++) {
      clock.advance(1_000);
      await nextTurn();
    }
    expect(await pinging).toMatchObject({ reachable: false, statusCode: 408, rttMs: undefined });
  });
});
