// Bad input against the whole stack (the transport's own framing cases are in transport/bad-input.test.ts): random
// bytes, truncated messages, a 10 MB Content-Length and a slow-loris peer each cost at most their own connection,
// a TU that throws costs only its request, and meanwhile other clients' INVITEs are answered over UDP and TCP.

import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import {
  createRequest,
  createResponse,
  generateTag,
  serializeSipMessage,
  type SipResponse,
} from '../../../src/sip/message/index.js';
import { SipStack } from '../../../src/sip/stack/index.js';
import type { SipTraceRecord } from '../../../src/sip/trace/index.js';
import type { ConnectionCloseReason } from '../../../src/sip/transport/index.js';

let clock: ManualClock;
let server: SipStack;
let client: SipStack;
let udpPort: number;
let tcpPort: number;
let records: SipTraceRecord[];
const sockets: Array<net.Socket | dgram.Socket> = [];

beforeEach(async () => {
  clock = new ManualClock();
  records = [];
  server = new SipStack({
    clock,
    transactionUser: {
      onRequest(transaction) {
        if (transaction.request.callId?.startsWith('throw')) throw new Error('a TU bug');
        transaction.respond(createResponse(transaction.request, 200, { toTag: generateTag() }));
      },
    },
  });
  server.trace.subscribe((record) => records.push(record));
  udpPort = (await server.listen({ transport: 'udp' })).local.port;
  tcpPort = (await server.listen({ transport: 'tcp' })).local.port;
  client = new SipStack({ clock: new ManualClock() });
  await client.listen({ transport: 'udp' });
  await client.listen({ transport: 'tcp' });
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) {
    if (socket instanceof net.Socket) socket.destroy();
    else socket.close();
  }
  await client.close();
  await server.close();
});

let calls = 0;

/** A well-behaved client's INVITE over `transport` is answered with 200. */
async function goodClientIsAnswered(transport: 'udp' | 'tcp', callId = `good-${++calls}`): Promise<void> {
  const port = transport === 'udp' ? udpPort : tcpPort;
  const invite = createRequest({
    method: 'INVITE',
    requestUri: `sip:uas@127.0.0.1:${port};transport=${transport}`,
    from: 'sip:good@127.0.0.1',
    to: 'sip:uas@127.0.0.1',
    callId,
  });
  const transaction = client.sendInvite(invite);
  const final = await new Promise<SipResponse>((resolve, reject) => {
    transaction.on('response', (response) => {
      if (response.statusCode >= 200) resolve(response);
    });
    transaction.on('transportError', reject);
    setTimeout(() => reject(new Error(`no answer over ${transport}`)), 3_000).unref();
  });
  expect(final.statusCode).toBe(200);
}

async function rawTcp(): Promise<net.Socket> {
  const socket = net.connect(tcpPort, '127.0.0.1');
  socket.on('error', () => undefined);
  sockets.push(socket);
  await new Promise((resolve) => socket.once('connect', resolve));
  return socket;
}

function closedConnection(socket: net.Socket): Promise<ConnectionCloseReason> {
  return new Promise((resolve) => {
    const subscription = server.transport.on('connectionClosed', (info, reason) => {
      if (info.remote.port !== socket.localPort) return;
      subscription.dispose();
      resolve(reason);
    });
  });
}

function invitePrefix(port: number): Buffer {
  return serializeSipMessage(
    createRequest({
      method: 'INVITE',
      requestUri: `sip:uas@127.0.0.1:${port}`,
      from: 'sip:bad@127.0.0.1',
      to: 'sip:uas@127.0.0.1',
      via: { transport: 'TCP', host: '127.0.0.1', port: 5999 },
      body: 'v=0\r\n',
      contentType: 'application/sdp',
    }),
  );
}

describe('bad input against the stack', () => {
  it('random datagrams are dropped with a trace record each; UDP and TCP callers are still answered', async () => {
    const attacker = dgram.createSocket('udp4');
    sockets.push(attacker);
    await new Promise<void>((resolve) => attacker.bind(0, '127.0.0.1', resolve));
    for (let i = 0; i < 200; i++) attacker.send(randomBytes(1 + (i % 1200)), udpPort, '127.0.0.1');
    await goodClientIsAnswered('udp');
    await expect.poll(() => server.counters.parseErrors, { timeout: 3_000 }).toBeGreaterThan(150);
    const drops = records.filter((r) => r.kind === 'drop');
    expect(drops.length).toBeGreaterThanOrEqual(server.counters.parseErrors);
    await goodClientIsAnswered('tcp');
  });

  it('truncated datagrams: cut in the headers dropped, cut in the body answered 400', async () => {
    const attacker = dgram.createSocket('udp4');
    sockets.push(attacker);
    const answers: string[] = [];
    attacker.on('message', (bytes) => answers.push(bytes.toString('latin1').split('\r\n')[0]));
    await new Promise<void>((resolve) => attacker.bind(0, '127.0.0.1', resolve));
    const whole = invitePrefix(udpPort);
    attacker.send(whole.subarray(0, 60), udpPort, '127.0.0.1');
    attacker.send(whole.subarray(0, whole.length - 2), udpPort, '127.0.0.1');
    await goodClientIsAnswered('udp');
    await expect.poll(() => server.counters.parseErrors).toBe(2);
    expect(server.counters.rejectedMalformed).toBe(1);
    expect(records.filter((r) => r.kind === 'drop' && r.reason === 'parse-error')).toHaveLength(2);
  });

  it('random bytes on TCP close that connection only', async () => {
    const attacker = await rawTcp();
    const closed = closedConnection(attacker);
    attacker.write(randomBytes(70_000));
    expect((await closed).code).toBe('framing-error');
    await goodClientIsAnswered('tcp');
    await goodClientIsAnswered('udp');
  });

  it('a truncated message on TCP is never delivered; the peer closing costs only its connection', async () => {
    const attacker = await rawTcp();
    const closed = closedConnection(attacker);
    attacker.write(invitePrefix(tcpPort).subarray(0, 200));
    await goodClientIsAnswered('tcp');
    attacker.end();
    expect((await closed).code).toBe('remote-closed');
    expect(server.counters.parseErrors).toBe(0);
    await goodClientIsAnswered('tcp');
  });

  it('a 10 MB Content-Length on TCP closes that connection as soon as the headers are read', async () => {
    const attacker = await rawTcp();
    const closed = closedConnection(attacker);
    const head = invitePrefix(tcpPort)
      .toString('latin1')
      .replace(/Content-Length: \d+/, 'Content-Length: 10485760');
    attacker.write(head);
    expect((await closed).code).toBe('framing-error');
    await goodClientIsAnswered('tcp');
  });

  it('a slow-loris peer is cut off by the incomplete-message timeout while others are served', async () => {
    const attacker = await rawTcp();
    const closed = closedConnection(attacker);
    const bytes = invitePrefix(tcpPort);
    for (let i = 0; i < 40; i++) attacker.write(bytes.subarray(i, i + 1));
    await goodClientIsAnswered('tcp');
    clock.advance(32_000);
    expect((await closed).code).toBe('incomplete-message-timeout');
    await goodClientIsAnswered('tcp');
  });

  it('a TU that throws loses only that request: answered 500, counted and traced; the next INVITE is answered', async () => {
    await expect(goodClientIsAnswered('udp', 'throw-1')).rejects.toThrow(/expected 500 to be 200/);
    expect(server.counters.tuErrors).toBe(1);
    expect(records.some((r) => r.kind === 'drop' && r.detail.includes('a TU bug'))).toBe(true);
    await goodClientIsAnswered('udp');
  });
});
