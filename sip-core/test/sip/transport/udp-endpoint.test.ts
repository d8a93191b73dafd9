import dgram from 'node:dgram';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UdpEndpoint } from '../../../src/sip/transport/udp-endpoint.js';

// The endpoint's send queue (docs/adr/0161): datagrams handed over in one turn of the event loop reach the
// kernel back to back at its end, in order, each settling on its own; and the source of received datagrams, one
// object while they keep coming from one address and port (docs/adr/0178).

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const closable of open.splice(0)) await closable.close();
});

async function endpoint(): Promise<UdpEndpoint> {
  const bound = await UdpEndpoint.bind('test', '127.0.0.1', 0, 4, {
    onDatagram: () => undefined,
    onError: () => undefined,
  });
  open.push(bound);
  return bound;
}

/** A plain socket that collects what arrives, as text. */
async function receiver(): Promise<{
  port: number;
  received: string[];
  until(count: number): Promise<void>;
}> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  open.push({ close: () => new Promise<void>((resolve) => socket.close(() => resolve())) });
  const received: string[] = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (bytes) => {
    received.push(bytes.toString());
    for (const wake of waiters.splice(0)) wake();
  });
  const until = async (count: number): Promise<void> => {
    while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { port: socket.address().port, received, until };
}

describe('UdpEndpoint send queue', () => {
  it("hands a turn's datagrams to the kernel after the turn, back to back and in order", async () => {
    const sender = await endpoint();
    const peer = await receiver();
    const kernelSends = vi.spyOn(dgram.Socket.prototype, 'send');
    const sends = Array.from({ length: 20 }, (_, i) =>
      sender.send(Buffer.from(`datagram ${i}`), { address: '127.0.0.1', port: peer.port }),
    );
    // Nothing has reached the socket while the turn that sent them is still running.
    expect(kernelSends).not.toHaveBeenCalled();
    await Promise.all(sends);
    expect(kernelSends).toHaveBeenCalledTimes(20);
    await peer.until(20);
    expect(peer.received).toEqual(Array.from({ length: 20 }, (_, i) => `datagram ${i}`));
  });

  it('fails a datagram the socket refuses on its own; the rest of its burst still leaves', async () => {
    const sender = await endpoint();
    const peer = await receiver();
    const first = sender.send(Buffer.from('first'), { address: '127.0.0.1', port: peer.port });
    const refused = sender.send(Buffer.from('bad port'), { address: '127.0.0.1', port: 70_000 });
    const last = sender.send(Buffer.from('last'), { address: '127.0.0.1', port: peer.port });
    const error = await refused.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SIP_SEND_FAILED' });
    expect((error as Error).message).toContain('127.0.0.1:70000');
    await expect(Promise.all([first, last])).resolves.toEqual([undefined, undefined]);
    await peer.until(2);
    expect(peer.received).toEqual(['first', 'last']);
  });

  it('sends what was queued before close, and refuses sends after it', async () => {
    const sender = await endpoint();
    const peer = await receiver();
    const queued = sender.send(Buffer.from('before close'), { address: '127.0.0.1', port: peer.port });
    await sender.close();
    await expect(queued).resolves.toBeUndefined();
    await peer.until(1);
    expect(peer.received).toEqual(['before close']);
    await expect(
      sender.send(Buffer.from('after close'), { address: '127.0.0.1', port: peer.port }),
    ).rejects.toMatchObject({ code: 'SIP_TRANSPORT_CLOSED' });
  });
});

describe('UdpEndpoint post (a send without a promise)', () => {
  it('settles each datagram once by its callback, never before post returns, and keeps the burst going', async () => {
    const sender = await endpoint();
    const peer = await receiver();
    const settled: Array<[string, string | undefined]> = [];
    const post = (text: string, port: number): void =>
      sender.post(Buffer.from(text), { address: '127.0.0.1', port }, (error) =>
        settled.push([text, error?.code]),
      );
    post('first', peer.port);
    post('bad port', 70_000);
    post('last', peer.port);
    expect(settled).toEqual([]);
    await peer.until(2);
    while (settled.length < 3) await nextTurn();
    expect(settled).toEqual(
      expect.arrayContaining([
        ['first', undefined],
        ['bad port', 'SIP_SEND_FAILED'],
        ['last', undefined],
      ]),
    );
    expect(settled).toHaveLength(3);
    expect(peer.received).toEqual(['first', 'last']);
  });

  it('refuses a post after close on a later turn', async () => {
    const sender = await endpoint();
    await sender.close();
    const settled: Array<string | undefined> = [];
    sender.post(Buffer.from('after close'), { address: '127.0.0.1', port: 9 }, (error) =>
      settled.push(error?.code),
    );
    expect(settled).toEqual([]);
    await nextTurn();
    expect(settled).toEqual(['SIP_TRANSPORT_CLOSED']);
  });
});

describe('UdpEndpoint datagram sources (docs/adr/0178)', () => {
  it('hands out one source object while datagrams keep coming from one address and port, a new one after', async () => {
    const sources: Array<{ text: string; remote: { address: string; port: number } }> = [];
    let arrived: () => void = () => undefined;
    const listener = await UdpEndpoint.bind('test', '127.0.0.1', 0, 4, {
      onDatagram: (bytes, remote) => {
        sources.push({ text: bytes.toString(), remote });
        arrived();
      },
      onError: () => undefined,
    });
    open.push(listener);
    const [a, b] = [await endpoint(), await endpoint()];
    const to = { address: '127.0.0.1', port: listener.local.port };
    const from = async (sender: UdpEndpoint, text: string): Promise<void> => {
      const landed = new Promise<void>((resolve) => (arrived = resolve));
      await sender.send(Buffer.from(text), to);
      await landed;
    };
    await from(a, 'a1');
    await from(a, 'a2');
    await from(b, 'b1');
    await from(a, 'a3');
    expect(sources.map((s) => [s.text, s.remote])).toEqual([
      ['a1', { address: '127.0.0.1', port: a.local.port }],
      ['a2', { address: '127.0.0.1', port: a.local.port }],
      ['b1', { address: '127.0.0.1', port: b.local.port }],
      ['a3', { address: '127.0.0.1', port: a.local.port }],
    ]);
    expect(sources[1].remote).toBe(sources[0].remote);
    expect(sources[2].remote).not.toBe(sources[1].remote);
    expect(sources[3].remote).not.toBe(sources[2].remote);
  });
});
