import { afterEach, describe, expect, it } from 'vitest';
import { OptionsRateGuard, SipProbe } from '../../../src/checks/index.js';
import { systemClock } from '../../../src/common/clock.js';
import { testTarget } from '../../support/check-fixtures.js';
import { UdpTestSocket } from '../../support/udp-test-peer.js';

let socket: UdpTestSocket | undefined;
let probe: SipProbe | undefined;
afterEach(async () => {
  socket?.close();
  await probe?.close();
});

function request(method: string, port: number): string {
  return [
    `${method} sip:trunkline@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-probe-${method}`,
    'Max-Forwards: 70',
    'To: <sip:trunkline@127.0.0.1>',
    'From: <sip:trunk@127.0.0.1>;tag=t1',
    `Call-ID: probe-${method}`,
    `CSeq: 1 ${method}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

describe('SipProbe', () => {
  it('answers what is addressed to it: 200 to OPTIONS, 481 to anything else', async () => {
    socket = await UdpTestSocket.open();
    probe = await SipProbe.open({
      target: testTarget({ outboundProxy: { host: '127.0.0.1', port: socket.port } }),
      clock: systemClock,
      guard: new OptionsRateGuard({ clock: systemClock }),
      localAddress: '127.0.0.1',
    });
    const port = Number(/:(\d+);transport=udp$/.exec(probe.contactUri())![1]);
    socket.send(request('OPTIONS', socket.port), port);
    expect((await socket.next()).text).toMatch(/^SIP\/2\.0 200 /);
    socket.send(request('NOTIFY', socket.port), port);
    expect((await socket.next()).text).toMatch(/^SIP\/2\.0 481 /);
  });
});
