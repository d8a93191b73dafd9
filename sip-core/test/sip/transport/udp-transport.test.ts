import dgram from 'node:dgram';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { SipTraceRecord } from '../../../src/sip/trace/trace-records.js';
import {
  SipTransportError,
  SipUdpMessageTooLargeError,
} from '../../../src/sip/transport/transport-errors.js';
import { sipRequest, sipRequestOfSize } from '../../support/sip-bytes.js';
import { nextMessage, TransportHarness } from '../../support/transport-harness.js';

const harness = new TransportHarness();
afterEach(() => harness.dispose());

async function udpPair() {
  const a = harness.layer();
  const b = harness.layer();
  const aListener = await a.listen({ transport: 'udp' });
  const bListener = await b.listen({ transport: 'udp' });
  return { a, b, aPort: aListener.local.port, bPort: bListener.local.port };
}

describe('UDP transport', () => {
  it('binds 127.0.0.1 on an OS-assigned port by default and reports it', async () => {
    const layer = harness.layer();
    const listener = await layer.listen({ transport: 'udp' });
    expect(listener.local.address).toBe('127.0.0.1');
    expect(listener.local.port).toBeGreaterThan(0);
    expect(layer.listeners()).toEqual([listener]);
  });

  it('close() lets a datagram handed to send() just before it leave (a 503 sent as an application stops)', async () => {
    const { a, b, bPort } = await udpPair();
    const request = sipRequest({ method: 'OPTIONS' });
    const arriving = nextMessage(b);
    const sent = a.send(request, { transport: 'udp', host: '127.0.0.1', port: bPort });
    const closed = a.close();
    await expect(sent).resolves.toMatchObject({ transport: 'udp' });
    await closed;
    expect(Buffer.compare((await arriving).bytes, request)).toBe(0);
    await expect(a.send(request, { transport: 'udp', host: '127.0.0.1', port: bPort })).rejects.toThrow();
  });

  it('delivers one datagram as one message with its context, and answers from the socket it arrived on', async () => {
    const { a, b, aPort, bPort } = await udpPair();
    const request = sipRequest({ method: 'INVITE', body: 'v=0\r\n' });
    const arriving = nextMessage(b);
    const sent = await a.send(request, { transport: 'udp', host: '127.0.0.1', port: bPort });
    expect(sent).toEqual({
      transport: 'udp',
      local: { address: '127.0.0.1', port: aPort },
      remote: { address: '127.0.0.1', port: bPort },
    });
    const { bytes, context } = await arriving;
    expect(Buffer.compare(bytes, request)).toBe(0);
    expect(context).toEqual({
      transport: 'udp',
      local: { address: '127.0.0.1', port: bPort },
      remote: { address: '127.0.0.1', port: aPort },
    });

    const answering = nextMessage(a);
    const response = Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n');
    await b.send(response, {
      transport: 'udp',
      host: context.remote.address,
      port: context.remote.port,
      local: context.local,
    });
    const answer = await answering;
    expect(answer.text).toBe(response.toString());
    expect(answer.context.remote).toEqual({ address: '127.0.0.1', port: bPort });
  });

  it('sends from the socket named by `local` when it has several (symmetric signalling)', async () => {
    const { a, b, aPort } = await udpPair();
    const second = await b.listen({ transport: 'udp' });
    const arriving = nextMessage(a);
    await b.send(sipRequest(), { transport: 'udp', host: '127.0.0.1', port: aPort, local: second.local });
    expect((await arriving).context.remote.port).toBe(second.local.port);
    await expect(
      b.send(sipRequest(), {
        transport: 'udp',
        host: '127.0.0.1',
        port: aPort,
        local: { address: '127.0.0.1', port: 1 },
      }),
    ).rejects.toMatchObject({ code: 'SIP_NO_UDP_SOCKET' });
  });

  it('drops empty and CRLF-only datagrams, tracing why, and keeps serving', async () => {
    const { b, bPort } = await udpPair();
    const records: SipTraceRecord[] = [];
    b.trace.subscribe((record) => records.push(record));
    const raw = dgram.createSocket('udp4');
    try {
      const arriving = nextMessage(b);
      for (const payload of [
        Buffer.alloc(0),
        Buffer.from('\r\n\r\n'),
        sipRequest({ callId: 'after-keepalives' }),
      ]) {
        await new Promise<void>((resolve, reject) =>
          raw.send(payload, bPort, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
        );
      }
      expect((await arriving).text).toContain('after-keepalives');
      expect(records.filter((r) => r.kind === 'drop').map((r) => r.kind === 'drop' && r.reason)).toEqual([
        'empty-datagram',
        'empty-datagram',
      ]);
    } finally {
      raw.close();
    }
  });

  describe('size rule (RFC 3261 §18.1.1)', () => {
    it('refuses a message above 1300 bytes with a typed error that says to use TCP or TLS', async () => {
      const { a, b, bPort } = await udpPair();
      const records: SipTraceRecord[] = [];
      a.trace.subscribe((record) => records.push(record));
      const big = sipRequestOfSize(1301);
      expect(big.length).toBe(1301);
      const error = await a
        .send(big, { transport: 'udp', host: '127.0.0.1', port: bPort })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SipUdpMessageTooLargeError);
      expect(error).toMatchObject({ code: 'SIP_UDP_MESSAGE_TOO_LARGE', sizeBytes: 1301, limitBytes: 1300 });
      expect((error as Error).message).toMatch(/TCP or TLS/);
      expect(records.map((r) => r.kind === 'drop' && r.reason)).toEqual(['udp-too-large']);

      const exact = sipRequestOfSize(1300);
      const arriving = nextMessage(b);
      await a.send(exact, { transport: 'udp', host: '127.0.0.1', port: bPort });
      expect((await arriving).bytes.length).toBe(1300);
    });

    it('sends a large response when the caller says so, and honours a configured limit', async () => {
      const a = harness.layer({ udpMaxMessageBytes: 500 });
      const b = harness.layer();
      await a.listen({ transport: 'udp' });
      const { local } = await b.listen({ transport: 'udp' });
      const medium = sipRequest({ body: 'y'.repeat(600) });
      await expect(
        a.send(medium, { transport: 'udp', host: '127.0.0.1', port: local.port }),
      ).rejects.toBeInstanceOf(SipUdpMessageTooLargeError);
      const arriving = nextMessage(b);
      await a.send(
        medium,
        { transport: 'udp', host: '127.0.0.1', port: local.port },
        { allowLargeUdp: true },
      );
      expect((await arriving).bytes.length).toBe(medium.length);
    });
  });

  it('resolves host names through the injected resolver, and reports resolution failures', async () => {
    const resolved: string[] = [];
    const a = harness.layer({
      resolver: (host) => {
        resolved.push(host);
        if (host === 'pbx.trunkline.test') return Promise.resolve({ address: '127.0.0.1', family: 4 });
        return Promise.reject(new Error('NXDOMAIN'));
      },
    });
    const b = harness.layer();
    await a.listen({ transport: 'udp' });
    const { local } = await b.listen({ transport: 'udp' });
    const arriving = nextMessage(b);
    const sent = await a.send(sipRequest(), {
      transport: 'udp',
      host: 'pbx.trunkline.test',
      port: local.port,
    });
    expect(sent.remote).toEqual({ address: '127.0.0.1', port: local.port });
    await arriving;
    const failure = a.send(sipRequest(), { transport: 'udp', host: 'nowhere.trunkline.test', port: 5060 });
    await expect(failure).rejects.toMatchObject({ code: 'SIP_RESOLVE_FAILED' });
    await expect(failure).rejects.toThrow(/nowhere\.trunkline\.test.*NXDOMAIN/);
    expect(resolved).toEqual(['pbx.trunkline.test', 'nowhere.trunkline.test']);
  });

  it('hands a message to an IP literal to its socket inside send(): traced before send() returns', async () => {
    const { a, b, bPort } = await udpPair();
    const records: SipTraceRecord[] = [];
    a.trace.subscribe((record) => records.push(record));
    const arriving = nextMessage(b);
    const sent = a.send(sipRequest(), { transport: 'udp', host: '127.0.0.1', port: bPort });
    expect(records.map((r) => r.kind === 'message' && r.direction)).toEqual(['sent']);
    await sent;
    await arriving;
  });

  it('refuses a destination port out of range with a rejected promise, never a throw', async () => {
    const a = harness.layer({ resolver: () => Promise.resolve({ address: '127.0.0.1', family: 4 }) });
    await a.listen({ transport: 'udp' });
    for (const host of ['127.0.0.1', 'pbx.trunkline.test']) {
      for (const port of [0, 65_536, 1.5]) {
        let sending: Promise<unknown> | undefined;
        expect(() => (sending = a.send(sipRequest(), { transport: 'udp', host, port }))).not.toThrow();
        await expect(sending).rejects.toMatchObject({ code: 'SIP_INVALID_DESTINATION' });
      }
    }
  });

  it('post reports each failure once and only after it returns, on the literal path and the general one', async () => {
    const a = harness.layer({
      resolver: () => Promise.resolve({ address: '127.0.0.1', family: 4 }),
      udpMaxMessageBytes: 1300,
    });
    const b = harness.layer();
    await a.listen({ transport: 'udp' });
    const { local } = await b.listen({ transport: 'udp' });
    const records: SipTraceRecord[] = [];
    a.trace.subscribe((record) => records.push(record));
    const failures: Array<[string, unknown]> = [];
    const post = (name: string, bytes: Uint8Array, host: string, port: number): void =>
      a.post(bytes, { transport: 'udp', host, port }, {}, (error) => failures.push([name, error]));

    const arriving = nextMessage(b);
    post('delivered', sipRequest(), '127.0.0.1', local.port);
    post('port out of range', sipRequest(), '127.0.0.1', 65_536);
    post('port out of range, by name', sipRequest(), 'pbx.trunkline.test', 65_536);
    post('too large', sipRequestOfSize(1301), '127.0.0.1', local.port);
    expect(failures).toEqual([]);
    expect((await arriving).bytes.toString()).toContain('OPTIONS');
    while (failures.length < 3) await nextTurn();
    for (let i = 0; i < 5; i++) await nextTurn();
    expect(failures.map(([name, error]) => [name, (error as { code?: string }).code])).toEqual(
      expect.arrayContaining([
        ['port out of range', 'SIP_INVALID_DESTINATION'],
        ['port out of range, by name', 'SIP_INVALID_DESTINATION'],
        ['too large', 'SIP_UDP_MESSAGE_TOO_LARGE'],
      ]),
    );
    expect(failures).toHaveLength(3);
    expect(records.flatMap((r) => (r.kind === 'drop' ? [r.reason] : []))).toEqual(['udp-too-large']);
    expect(records.filter((r) => r.kind === 'message' && r.direction === 'sent')).toHaveLength(1);
  });

  it('a datagram posted before close still leaves; one posted after it is refused on a later turn', async () => {
    const a = harness.layer();
    const b = harness.layer();
    await a.listen({ transport: 'udp' });
    const { local } = await b.listen({ transport: 'udp' });
    const failures: unknown[] = [];
    const arriving = nextMessage(b);
    a.post(sipRequest(), { transport: 'udp', host: '127.0.0.1', port: local.port }, {}, (error) =>
      failures.push(error),
    );
    await a.close();
    expect((await arriving).bytes.toString()).toContain('OPTIONS');
    a.post(sipRequest(), { transport: 'udp', host: '127.0.0.1', port: local.port }, {}, (error) =>
      failures.push(error),
    );
    expect(failures).toEqual([]);
    while (failures.length < 1) await nextTurn();
    expect(failures).toEqual([expect.objectContaining({ code: 'SIP_TRANSPORT_CLOSED' })]);
  });

  it('needs a UDP socket to send from, and refuses sends after close', async () => {
    const layer = harness.layer();
    await expect(
      layer.send(sipRequest(), { transport: 'udp', host: '127.0.0.1', port: 5060 }),
    ).rejects.toMatchObject({
      code: 'SIP_NO_UDP_SOCKET',
    });
    await layer.close();
    const error = await layer
      .send(sipRequest(), { transport: 'udp', host: '127.0.0.1', port: 5060 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SipTransportError);
    expect(error).toMatchObject({ code: 'SIP_TRANSPORT_CLOSED' });
  });

  it('releases its port on close', async () => {
    const layer = harness.layer();
    const { local } = await layer.listen({ transport: 'udp' });
    await layer.close();
    const again = harness.layer();
    await expect(again.listen({ transport: 'udp', port: local.port })).resolves.toMatchObject({ local });
  });
});
