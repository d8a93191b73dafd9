import { createSocket, type Socket } from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import type { UdpRtpTransport } from '../../../src/media/rtp/udp-rtp-transport.js';
import { RtpPortAllocator } from '../../../src/media/session/rtp-port-allocator.js';
import { RtpSocketPool } from '../../../src/media/session/rtp-socket-pool.js';
import { freePorts } from '../../support/free-port.js';

// RTP sockets kept between calls (docs/adr/0159), over real UDP on 127.0.0.1: a disposed transport's socket is
// kept with its port, handed to a later call only after the quarantine, datagrams for the ended call are dropped,
// and the bounds (count, age) and close give the ports back.

const pools: RtpSocketPool[] = [];
const peers: Socket[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.close();
  for (const peer of peers.splice(0)) peer.close();
});

async function setUp(options: { maxKept?: number; maxKeptMs?: number } = {}) {
  const clock = new ManualClock();
  const base = await freePorts(16);
  const allocator = new RtpPortAllocator({ minPort: base, maxPort: base + 15 });
  const pool = new RtpSocketPool({ clock, allocator, quarantineMs: 1_000, ...options });
  pools.push(pool);
  return { clock, allocator, pool };
}

async function peer(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  peers.push(socket);
  return socket;
}

function received(transport: UdpRtpTransport): Buffer[] {
  const packets: Buffer[] = [];
  transport.on('rtp', (data) => packets.push(Buffer.from(data)));
  return packets;
}

/** An RTP-looking datagram (version 2, PT 0) with `marker` as its first payload byte. */
function rtp(marker: number): Buffer {
  const packet = Buffer.alloc(13);
  packet[0] = 0x80;
  packet[12] = marker;
  return packet;
}

async function send(from: Socket, port: number, packet: Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    from.send(packet, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
  );
}

describe('RtpSocketPool', () => {
  it('keeps a disposed transport’s socket and port, and gives it to a later call only after the quarantine', async () => {
    const { clock, allocator, pool } = await setUp();
    const first = await pool.open('127.0.0.1');
    const port = first.transport.localRtp.port;
    expect(first.lease.rtpPort).toBe(port);
    first.transport.dispose();
    first.lease.release();
    expect([pool.kept, allocator.inUse]).toEqual([1, 1]);

    // Within the quarantine: another port.
    clock.advance(999);
    const second = await pool.open('127.0.0.1');
    expect(second.transport.localRtp.port).not.toBe(port);
    expect([pool.kept, allocator.inUse]).toEqual([1, 2]);

    clock.advance(1);
    const third = await pool.open('127.0.0.1');
    expect(third.transport.localRtp).toEqual({ address: '127.0.0.1', port });
    expect([pool.kept, allocator.inUse]).toEqual([0, 2]);
    second.transport.dispose();
    third.transport.dispose();
    expect(pool.kept).toBe(2);
  });

  it('drops datagrams that reach a kept socket; the call that gets it next hears only its own', async () => {
    const { clock, pool } = await setUp();
    const pbx = await peer();
    const first = await pool.open('127.0.0.1');
    const port = first.transport.localRtp.port;
    const heardByFirst = received(first.transport);
    await send(pbx, port, rtp(1));
    for (let i = 0; i < 40 && heardByFirst.length === 0; i++) await sleep(5);
    expect(heardByFirst.map((p) => p[12])).toEqual([1]);
    first.transport.dispose();

    // The ended call's last packets, while the socket is kept.
    await send(pbx, port, rtp(2));
    await send(pbx, port, rtp(3));
    await sleep(50);
    clock.advance(1_000);
    const next = await pool.open('127.0.0.1');
    expect(next.transport.localRtp.port).toBe(port);
    const heardByNext = received(next.transport);
    await send(pbx, port, rtp(4));
    for (let i = 0; i < 40 && heardByNext.length === 0; i++) await sleep(5);
    await sleep(20);
    expect(heardByFirst.map((p) => p[12])).toEqual([1]);
    expect(heardByNext.map((p) => p[12])).toEqual([4]);
    next.transport.dispose();
  });

  it('a reused socket sends to the new call’s remote', async () => {
    const { clock, pool } = await setUp();
    const first = await pool.open('127.0.0.1');
    first.transport.dispose();
    clock.advance(1_000);
    const next = await pool.open('127.0.0.1');
    const pbx = await peer();
    const arrived: Array<{ data: Buffer; port: number }> = [];
    pbx.on('message', (data, from) => arrived.push({ data, port: from.port }));
    const pbxPort = pbx.address().port;
    next.transport.setRemote({
      rtp: { address: '127.0.0.1', port: pbxPort },
      rtcp: { address: '127.0.0.1', port: pbxPort },
    });
    next.transport.sendRtp(rtp(9));
    for (let i = 0; i < 40 && arrived.length === 0; i++) await sleep(5);
    expect(arrived).toEqual([{ data: rtp(9), port: next.transport.localRtp.port }]);
    next.transport.dispose();
  });

  it('keeps at most maxKept sockets: the longest-kept is closed and its port given back', async () => {
    const { allocator, pool } = await setUp({ maxKept: 2 });
    const calls = await Promise.all([1, 2, 3].map(() => pool.open('127.0.0.1')));
    for (const call of calls) call.transport.dispose();
    expect([pool.kept, allocator.inUse]).toEqual([2, 2]);
    // The first one's port is bindable again: it was closed.
    const freed = calls[0].transport.localRtp.port;
    const probe = createSocket('udp4');
    peers.push(probe);
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.bind(freed, '127.0.0.1', resolve);
    });
  });

  it('closes a socket kept longer than maxKeptMs, also when no call comes (a timer on the clock)', async () => {
    const { clock, allocator, pool } = await setUp({ maxKeptMs: 30_000 });
    const call = await pool.open('127.0.0.1');
    call.transport.dispose();
    expect(pool.kept).toBe(1);
    clock.advance(29_999);
    expect(pool.kept).toBe(1);
    clock.advance(1);
    expect([pool.kept, allocator.inUse]).toEqual([0, 0]);
  });

  it('closes each kept socket maxKeptMs after it was kept, not a whole period later', async () => {
    const { clock, allocator, pool } = await setUp({ maxKeptMs: 30_000 });
    const first = await pool.open('127.0.0.1');
    const second = await pool.open('127.0.0.1');
    first.transport.dispose();
    clock.advance(20_000);
    second.transport.dispose();
    clock.advance(10_000);
    expect([pool.kept, allocator.inUse]).toEqual([1, 1]);
    clock.advance(19_999);
    expect(pool.kept).toBe(1);
    clock.advance(1);
    expect([pool.kept, allocator.inUse]).toEqual([0, 0]);
  });

  it('close gives every kept port back; a socket given back after close is closed at once', async () => {
    const { allocator, pool } = await setUp();
    const early = await pool.open('127.0.0.1');
    const late = await pool.open('127.0.0.1');
    early.transport.dispose();
    pool.close();
    expect([pool.kept, allocator.inUse]).toEqual([0, 1]);
    late.transport.dispose();
    expect([pool.kept, allocator.inUse]).toEqual([0, 0]);
  });

  it('when the range is used up, a call gets a kept socket still in quarantine rather than no port', async () => {
    const clock = new ManualClock();
    const base = await freePorts(4);
    // One even port with its odd neighbour: a single pair in the range.
    const even = base % 2 === 0 ? base : base + 1;
    const allocator = new RtpPortAllocator({ minPort: even, maxPort: even + 1 });
    const pool = new RtpSocketPool({ clock, allocator, quarantineMs: 1_000 });
    pools.push(pool);
    const first = await pool.open('127.0.0.1');
    first.transport.dispose();
    clock.advance(10);
    const next = await pool.open('127.0.0.1');
    expect(next.transport.localRtp.port).toBe(even);
    expect(pool.kept).toBe(0);
    // Nothing kept and nothing free: the allocator's error, as without the pool.
    await expect(pool.open('127.0.0.1')).rejects.toMatchObject({ code: 'MEDIA_PORTS_EXHAUSTED' });
    next.transport.dispose();
  });

  it('keeps sockets per address: a kept socket on one address is not handed out for another', async () => {
    const { clock, pool } = await setUp();
    const v4 = await pool.open('127.0.0.1');
    v4.transport.dispose();
    clock.advance(1_000);
    const other = await pool.open('127.0.0.2');
    expect(other.transport.localRtp.address).toBe('127.0.0.2');
    expect(pool.kept).toBe(1);
    other.transport.dispose();
  });
});
