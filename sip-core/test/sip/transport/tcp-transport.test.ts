import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import type { SipTraceRecord } from '../../../src/sip/trace/trace-records.js';
import type { ConnectionCloseReason, ConnectionInfo } from '../../../src/sip/transport/transport-types.js';
import { collect, nextEvent } from '../../support/events.js';
import { sipRequest } from '../../support/sip-bytes.js';
import {
  nextMessage,
  received,
  socketClosed,
  TransportHarness,
  waitFor,
} from '../../support/transport-harness.js';

const harness = new TransportHarness();
afterEach(() => harness.dispose());

type ClosedEvent = [ConnectionInfo, ConnectionCloseReason];

async function tcpPair(
  options: { clientClock?: ManualClock; serverClock?: ManualClock; keepAliveMs?: number } = {},
) {
  const client = harness.layer({
    ...(options.clientClock ? { clock: options.clientClock } : {}),
    ...(options.keepAliveMs ? { keepAlive: { intervalMs: options.keepAliveMs } } : {}),
  });
  const server = harness.layer(options.serverClock ? { clock: options.serverClock } : {});
  const clientListener = await client.listen({ transport: 'tcp' });
  const serverListener = await server.listen({ transport: 'tcp' });
  const to = { transport: 'tcp' as const, host: '127.0.0.1', port: serverListener.local.port };
  return { client, server, clientPort: clientListener.local.port, serverPort: serverListener.local.port, to };
}

describe('TCP transport', () => {
  it('connects, sends and receives, with the connection in the context and in events', async () => {
    const { client, server, serverPort, to } = await tcpPair();
    const opened = collect((l: (info: ConnectionInfo) => void) => server.on('connectionOpened', l));
    const arriving = nextMessage(server);
    const sent = await client.send(sipRequest({ method: 'INVITE', body: 'v=0\r\n' }), to);
    const { context, text } = await arriving;
    expect(text).toContain('INVITE sip:alice@127.0.0.1 SIP/2.0');
    expect(context.transport).toBe('tcp');
    expect(context.local).toEqual({ address: '127.0.0.1', port: serverPort });
    expect(context.remote).toEqual(sent.local);
    expect(context.connectionId).toBe(opened.items[0]?.[0].id);
    expect(opened.items[0]?.[0]).toMatchObject({ direction: 'inbound', transport: 'tcp' });
    expect(client.connections()).toEqual([
      expect.objectContaining({ id: sent.connectionId, direction: 'outbound', remote: context.local }),
    ]);
  });

  it('reuses the connection for later sends, and shares one connect among concurrent sends', async () => {
    const { client, server, to } = await tcpPair();
    const opened = collect((l: (info: ConnectionInfo) => void) => server.on('connectionOpened', l));
    const results = await Promise.all([1, 2, 3].map((n) => client.send(sipRequest({ callId: `c${n}` }), to)));
    await client.send(sipRequest({ callId: 'c4' }), to);
    expect(new Set(results.map((r) => r.connectionId)).size).toBe(1);
    expect(client.connections()).toHaveLength(1);
    await waitFor(() => opened.items.length > 0, 'the server to accept');
    expect(opened.items).toHaveLength(1);
  });

  it('sends responses and requests back over the connection the peer opened (by id and by address)', async () => {
    const { client, server, clientPort, to } = await tcpPair();
    const arriving = nextMessage(server);
    const sent = await client.send(sipRequest(), to);
    const { context } = await arriving;

    const response = nextMessage(client, '200 OK');
    const byId = await server.send(
      Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n'),
      context.connectionId ?? '',
    );
    expect((await response).context.connectionId).toBe(sent.connectionId);
    expect(byId.connectionId).toBe(context.connectionId);

    const request = nextMessage(client, 'BYE');
    const back = { transport: 'tcp' as const, host: context.remote.address, port: context.remote.port };
    const byAddress = await server.send(sipRequest({ method: 'BYE' }), back);
    expect(byAddress.connectionId).toBe(context.connectionId);
    expect((await request).context.connectionId).toBe(sent.connectionId);

    // RFC 5923: once aliased to the client's listening port, requests to that port use the same connection.
    server.aliasConnection(context.connectionId ?? '', { address: '127.0.0.1', port: clientPort });
    const aliased = nextMessage(client, 'NOTIFY');
    const viaAlias = await server.send(sipRequest({ method: 'NOTIFY' }), {
      transport: 'tcp',
      host: '127.0.0.1',
      port: clientPort,
    });
    expect(viaAlias.connectionId).toBe(context.connectionId);
    expect((await aliased).context.connectionId).toBe(sent.connectionId);
    expect(server.connections()).toHaveLength(1);
    expect(client.connections()).toHaveLength(1);
  });

  it('closes idle connections, tells both sides why, and reconnects on the next send', async () => {
    const serverClock = new ManualClock();
    const { client, server, to } = await tcpPair({ serverClock });
    const arriving = nextMessage(server);
    const first = await client.send(sipRequest(), to);
    await arriving;
    const serverClosed = nextEvent((l: (...a: ClosedEvent) => void) => server.on('connectionClosed', l));
    const clientClosed = nextEvent((l: (...a: ClosedEvent) => void) => client.on('connectionClosed', l));
    serverClock.advance(299_999);
    expect(server.connections()).toHaveLength(1);
    serverClock.advance(1);
    expect((await serverClosed)[1].code).toBe('idle-timeout');
    expect((await clientClosed)[1].code).toBe('remote-closed');
    expect(client.connections()).toEqual([]);
    const again = await client.send(sipRequest(), to);
    expect(again.connectionId).not.toBe(first.connectionId);
  });

  it('counts traffic as activity: a connection in use is not closed as idle', async () => {
    const serverClock = new ManualClock();
    const { client, server, to } = await tcpPair({ serverClock });
    for (let i = 0; i < 3; i++) {
      const arriving = nextMessage(server);
      await client.send(sipRequest({ callId: `busy-${i}` }), to);
      await arriving;
      serverClock.advance(200_000);
    }
    expect(server.connections()).toHaveLength(1);
    serverClock.advance(100_000);
    expect(server.connections()).toHaveLength(0);
  });

  it('answers a CRLFCRLF ping with a single CRLF pong (RFC 5626 §4.4.1)', async () => {
    const { server, serverPort } = await tcpPair();
    const records: SipTraceRecord[] = [];
    server.trace.subscribe((record) => records.push(record));
    const raw = await harness.rawClient(serverPort);
    const seen = received(raw);
    raw.write('\r\n\r\n');
    await waitFor(() => seen.text() === '\r\n', 'the pong');
    const arriving = nextMessage(server);
    raw.write(sipRequest({ callId: 'after-ping' }));
    expect((await arriving).text).toContain('after-ping');
    expect(seen.text()).toBe('\r\n');
    expect(
      records.filter((r) => r.kind === 'keep-alive').map((r) => r.kind === 'keep-alive' && r.event),
    ).toEqual(['ping-received', 'pong-sent']);
  });

  it('sends pings at the configured interval and closes when no pong comes', async () => {
    const clientClock = new ManualClock();
    const { client, to } = await tcpPair({ clientClock, keepAliveMs: 30_000 });
    const records: SipTraceRecord[] = [];
    client.trace.subscribe((record) => record.kind === 'keep-alive' && records.push(record));
    await client.send(sipRequest(), to);
    clientClock.advance(30_000);
    await waitFor(() => records.length === 2, 'the pong from our own server');
    expect(records.map((r) => r.kind === 'keep-alive' && r.event)).toEqual(['ping-sent', 'pong-received']);

    // A peer that never answers pings: a raw server that only reads.
    const silent = net.createServer((socket) => socket.on('data', () => undefined));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const closed = nextEvent(
        (l: (...a: ClosedEvent) => void) => client.on('connectionClosed', l),
        (info) => info.remote.port === port,
      );
      await client.send(sipRequest(), { transport: 'tcp', host: '127.0.0.1', port });
      clientClock.advance(30_000);
      clientClock.advance(10_000);
      const [, reason] = await closed;
      expect(reason.code).toBe('keep-alive-timeout');
      expect(records.map((r) => r.kind === 'keep-alive' && r.event)).toContain('pong-missing');
    } finally {
      silent.close();
    }
  });

  it('reports a refused connection, and a connect that does not complete in time', async () => {
    const clock = new ManualClock();
    const client = harness.layer({ clock, connectTimeoutMs: 2000 });
    const closedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    await expect(
      client.send(sipRequest(), { transport: 'tcp', host: '127.0.0.1', port: closedPort }),
    ).rejects.toMatchObject({
      code: 'SIP_CONNECT_FAILED',
    });

    // A TLS handshake with a server that never answers stays incomplete until the connect timeout.
    const mute = net.createServer(() => undefined);
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    try {
      const port = (mute.address() as net.AddressInfo).port;
      const attempt = client.send(sipRequest(), { transport: 'tls', host: '127.0.0.1', port });
      const outcome = attempt.catch((e: unknown) => e);
      await waitFor(() => clock.pendingTimers === 1, 'the connect timer');
      clock.advance(2000);
      expect(await outcome).toMatchObject({ code: 'SIP_CONNECT_TIMEOUT' });
      expect(clock.pendingTimers).toBe(0);
    } finally {
      mute.close();
    }
  });

  it('enforces the connection limit in both directions', async () => {
    const server = harness.layer({ maxConnections: 1 });
    const { local } = await server.listen({ transport: 'tcp' });
    const records: SipTraceRecord[] = [];
    server.trace.subscribe((record) => records.push(record));
    const first = await harness.rawClient(local.port);
    await waitFor(() => server.connections().length === 1, 'the first connection');
    const second = await harness.rawClient(local.port);
    await socketClosed(second);
    expect(first.destroyed).toBe(false);
    expect(records.some((r) => r.kind === 'drop' && r.reason === 'connection-limit')).toBe(true);

    const client = harness.layer({ maxConnections: 1 });
    const other = harness.layer();
    const otherListener = await other.listen({ transport: 'tcp' });
    await client.send(sipRequest(), { transport: 'tcp', host: '127.0.0.1', port: otherListener.local.port });
    await expect(
      client.send(sipRequest(), { transport: 'tcp', host: '127.0.0.1', port: local.port }),
    ).rejects.toMatchObject({
      code: 'SIP_CONNECTION_LIMIT',
    });
  });

  it('refuses sends over a connection that has closed, so the caller can fall back (RFC 3261 §18.2.2)', async () => {
    const { client, server, to } = await tcpPair();
    const arriving = nextMessage(server);
    await client.send(sipRequest(), to);
    const { context } = await arriving;
    const closed = nextEvent((l: (...a: ClosedEvent) => void) => server.on('connectionClosed', l));
    client.closeConnection(client.connections()[0]?.id ?? '');
    await closed;
    await expect(server.send(sipRequest(), context.connectionId ?? '')).rejects.toMatchObject({
      code: 'SIP_CONNECTION_NOT_FOUND',
    });
  });

  it('releases every socket and timer on close', async () => {
    const clock = new ManualClock();
    const layer = harness.layer({ clock, keepAlive: { intervalMs: 1000 } });
    const peer = harness.layer();
    const { local } = await layer.listen({ transport: 'tcp' });
    await layer.listen({ transport: 'udp' });
    const peerListener = await peer.listen({ transport: 'tcp' });
    await layer.send(sipRequest(), { transport: 'tcp', host: '127.0.0.1', port: peerListener.local.port });
    const inbound = await harness.rawClient(local.port);
    await waitFor(() => layer.connections().length === 2, 'both connections');
    expect(clock.pendingTimers).toBeGreaterThan(0);
    await layer.close();
    expect(clock.pendingTimers).toBe(0);
    expect(layer.connections()).toEqual([]);
    expect(layer.listeners()).toEqual([]);
    await socketClosed(inbound);
    const rebind = harness.layer();
    await expect(rebind.listen({ transport: 'tcp', port: local.port })).resolves.toMatchObject({ local });
  });
});

describe('TCP transport under a pipelined burst', () => {
  it('delivers every message of a large burst in order, taking turns, without closing the connection', async () => {
    const server = harness.layer({ framing: { maxMessagesPerTurn: 16 } });
    const { local } = await server.listen({ transport: 'tcp' });
    const callIds: string[] = [];
    server.on('message', (bytes) =>
      callIds.push(/Call-ID: (\S+)/.exec(bytes.toString('latin1'))?.[1] ?? '?'),
    );
    const closed = collect((l: (...a: ClosedEvent) => void) => server.on('connectionClosed', l));
    const raw = await harness.rawClient(local.port);
    const burst = Array.from({ length: 2000 }, (_, i) => sipRequest({ callId: `burst-${i}` }));
    raw.write(Buffer.concat(burst));
    await waitFor(() => callIds.length === 2000, 'all 2000 messages');
    expect(callIds).toEqual(burst.map((_, i) => `burst-${i}`));
    expect(closed.items).toEqual([]);
    expect(server.connections()).toHaveLength(1);
  });
});
