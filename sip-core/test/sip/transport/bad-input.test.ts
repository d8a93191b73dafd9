// Each kind of bad input costs at most its own connection: the listener keeps serving other clients while the
// bad peer is connected and after it has been thrown out.

import { randomBytes } from 'node:crypto';
import type net from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { setListenerErrorHandler } from '../../../src/common/typed-emitter.js';
import type { SipTransportLayer } from '../../../src/sip/transport/sip-transport-layer.js';
import type { ConnectionCloseReason, ConnectionInfo } from '../../../src/sip/transport/transport-types.js';
import { nextEvent } from '../../support/events.js';
import { rawMessage, sipRequest } from '../../support/sip-bytes.js';
import { nextMessage, socketClosed, TransportHarness, waitFor } from '../../support/transport-harness.js';

const harness = new TransportHarness();
let clock: ManualClock;
let server: SipTransportLayer;
let port: number;
let served = 0;

beforeEach(async () => {
  clock = new ManualClock();
  server = harness.layer({ clock });
  port = (await server.listen({ transport: 'tcp' })).local.port;
  // A second listener on UDP shares the layer; it must keep working too.
  await server.listen({ transport: 'udp' });
});
afterEach(() => harness.dispose());

/** A well-behaved client sends a request on its own connection; the server must deliver it. */
async function goodClientIsServed(): Promise<void> {
  const client = await harness.rawClient(port);
  const marker = `good-${++served}`;
  const arriving = nextMessage(server, marker);
  client.write(sipRequest({ callId: marker }));
  await arriving;
  client.destroy();
}

function closedWith(attacker: net.Socket): Promise<[ConnectionInfo, ConnectionCloseReason]> {
  return nextEvent(
    (listener: (info: ConnectionInfo, reason: ConnectionCloseReason) => void) =>
      server.on('connectionClosed', listener),
    (info) => info.remote.port === attacker.localPort,
  );
}

describe('bad input on a TCP listener', () => {
  it('random bytes close only that connection', async () => {
    const attacker = await harness.rawClient(port);
    const closed = closedWith(attacker);
    attacker.write(randomBytes(1000));
    await goodClientIsServed();
    attacker.write(randomBytes(40_000));
    const [, reason] = await closed;
    expect(reason.code).toBe('framing-error');
    await socketClosed(attacker);
    await goodClientIsServed();
  });

  it('a 10 MB Content-Length closes the connection as soon as the header section is read', async () => {
    const attacker = await harness.rawClient(port);
    const closed = closedWith(attacker);
    await goodClientIsServed();
    attacker.write(rawMessage(['Via: SIP/2.0/TCP x', `Content-Length: ${10 * 1024 * 1024}`]));
    const [, reason] = await closed;
    expect(reason.code).toBe('framing-error');
    expect(reason.detail).toMatch(/^content-length-too-large: Content-Length 10485760 exceeds the limit/);
    await goodClientIsServed();
  });

  it('a message without Content-Length closes the connection (RFC 3261 §18.3)', async () => {
    const attacker = await harness.rawClient(port);
    const closed = closedWith(attacker);
    attacker.write(rawMessage(['Via: SIP/2.0/TCP x']));
    expect((await closed)[1].detail).toMatch(/^missing-content-length/);
    await goodClientIsServed();
  });

  it('a truncated message is never delivered: the peer closing mid-message costs only its connection', async () => {
    const attacker = await harness.rawClient(port);
    const closed = closedWith(attacker);
    let deliveries = 0;
    server.on('message', (bytes) => {
      if (bytes.includes('truncated')) deliveries++;
    });
    const whole = sipRequest({ callId: 'truncated', body: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n' });
    attacker.write(whole.subarray(0, whole.length - 5));
    await goodClientIsServed();
    attacker.end();
    expect((await closed)[1].code).toBe('remote-closed');
    await goodClientIsServed();
    expect(deliveries).toBe(0);
  });

  it('a slow-loris peer (one byte at a time, never finishing) is closed by the incomplete-message timeout', async () => {
    const attacker = await harness.rawClient(port);
    const closed = closedWith(attacker);
    const message = sipRequest({ callId: 'slow' });
    let sent = 0;
    const dribble = async (count: number): Promise<void> => {
      for (const end = sent + count; sent < end; sent++) {
        attacker.write(message.subarray(sent, sent + 1));
        await nextTurn();
      }
    };
    await dribble(20);
    await waitFor(() => clock.pendingTimers >= 2, 'the server to see the partial message');
    clock.advance(20_000);
    await goodClientIsServed();
    // More bytes do not restart the timer: the message has been incomplete for 32 s from its first byte.
    await dribble(20);
    expect(server.connections().some((c) => c.remote.port === attacker.localPort)).toBe(true);
    clock.advance(12_000);
    const [, reason] = await closed;
    expect(reason.code).toBe('incomplete-message-timeout');
    await socketClosed(attacker);
    await goodClientIsServed();
  });

  it('a header section that never ends is cut off at the limit', async () => {
    const attacker = await harness.rawClient(port);
    const closed = closedWith(attacker);
    attacker.write('INVITE sip:a@b SIP/2.0\r\n');
    for (let i = 0; i < 40; i++) attacker.write(`X-Filler-${i}: ${'z'.repeat(1000)}\r\n`);
    expect((await closed)[1].detail).toMatch(/^header-section-too-large/);
    await goodClientIsServed();
  });

  it('a listener that throws does not break the connection or the layer', async () => {
    const errors: unknown[] = [];
    const previous = setListenerErrorHandler((error) => errors.push(error));
    try {
      server.on('message', () => {
        throw new Error('a bug in a layer above');
      });
      await goodClientIsServed();
      await goodClientIsServed();
      expect(errors).toHaveLength(2);
      expect(server.listeners()).toHaveLength(2);
    } finally {
      setListenerErrorHandler(previous);
    }
  });
});
