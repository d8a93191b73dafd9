import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { UdpRtpTransport } from '../../../src/media/rtp/udp-rtp-transport.js';
import { MediaSession } from '../../../src/media/session/media-session.js';
import { RtpPortAllocator } from '../../../src/media/session/rtp-port-allocator.js';
import { expectErrorCode } from '../../support/expect-error-code.js';
import { freePorts } from '../../support/free-port.js';

// Port pairs from a range: even RTP, RTCP = RTP + 1, retry when another process holds a pair, never twice in this
// process, given back on close.

const owned: Array<{ dispose(): void } | Socket> = [];
afterEach(() => {
  for (const item of owned.splice(0)) {
    if ('dispose' in item) item.dispose();
    else item.close();
  }
});

const clock = new ManualClock();
const bind = (rtpPort: number, rtcpPort: number) => UdpRtpTransport.open({ clock, rtpPort, rtcpPort });

async function occupy(port: number): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
  owned.push(socket);
  return socket;
}

describe('RtpPortAllocator', () => {
  it('hands out even RTP ports with RTCP one above, inside the range, each pair once', async () => {
    const base = await freePorts(8);
    const allocator = new RtpPortAllocator({ minPort: base, maxPort: base + 7 });
    expect(allocator.pairCount).toBe(base % 2 === 0 ? 4 : 3);
    const leases = [];
    for (let i = 0; i < allocator.pairCount; i++) {
      const { lease, bound } = await allocator.allocate(bind);
      owned.push(bound);
      leases.push(lease);
      expect(lease.rtpPort % 2).toBe(0);
      expect(lease.rtcpPort).toBe(lease.rtpPort + 1);
      expect(bound.localRtp.port).toBe(lease.rtpPort);
      expect(bound.localRtcp.port).toBe(lease.rtcpPort);
      expect(lease.rtpPort).toBeGreaterThanOrEqual(base);
      expect(lease.rtcpPort).toBeLessThanOrEqual(base + 7);
    }
    expect(new Set(leases.map((l) => l.rtpPort)).size).toBe(leases.length);
    expect(allocator.inUse).toBe(leases.length);
    await expect(allocator.allocate(bind)).rejects.toMatchObject({ code: 'MEDIA_PORTS_EXHAUSTED' });
    leases[0].release();
    leases[0].release();
    expect(allocator.inUse).toBe(leases.length - 1);
  });

  it('retries another pair when the RTP or the RTCP port is taken by someone else', async () => {
    const base = (await freePorts(4)) & ~1;
    await occupy(base);
    await occupy(base + 3);
    const allocator = new RtpPortAllocator({ minPort: base, maxPort: base + 5 });
    // Pairs (base, base+1) and (base+2, base+3) are blocked; only (base+4, base+5) can be bound.
    const { lease, bound } = await allocator.allocate(bind);
    owned.push(bound);
    expect(lease.rtpPort).toBe(base + 4);
  });

  it('gets past a block of pairs held by another process that is wider than its attempts', async () => {
    // Another process holds 200 of the 2,500 pairs in one block. Scanning on from a conflict would spend all 32
    // attempts inside the block whenever the first random pick fell in its first 168 pairs (about one allocation in
    // fifteen); jumping to a random pair after each conflict leaves the block at once.
    const minPort = 20_000;
    const blockEnd = minPort + 2 * 200;
    const conflict = Object.assign(new Error('bind EADDRINUSE'), { code: 'EADDRINUSE' });
    const fakeBind = (rtpPort: number): Promise<number> =>
      rtpPort < blockEnd ? Promise.reject(conflict) : Promise.resolve(rtpPort);
    const allocator = new RtpPortAllocator({ minPort, maxPort: minPort + 4999, maxAttempts: 32 });
    for (let i = 0; i < 200; i++) {
      const { lease, bound } = await allocator.allocate(fakeBind);
      expect(bound).toBeGreaterThanOrEqual(blockEnd);
      expect(lease.rtpPort).toBe(bound);
    }
    expect(allocator.inUse).toBe(200);
  });

  it('tries each pair at most once per allocation, so a small range with one free pair finds it', async () => {
    const conflict = Object.assign(new Error('bind EADDRINUSE'), { code: 'EADDRINUSE' });
    const attempts: number[] = [];
    const fakeBind = (rtpPort: number): Promise<number> => {
      attempts.push(rtpPort);
      return rtpPort === 20_006 ? Promise.resolve(rtpPort) : Promise.reject(conflict);
    };
    for (let run = 0; run < 50; run++) {
      attempts.length = 0;
      const allocator = new RtpPortAllocator({ minPort: 20_000, maxPort: 20_009, maxAttempts: 5 });
      const { lease } = await allocator.allocate(fakeBind);
      expect(lease.rtpPort).toBe(20_006);
      expect(new Set(attempts).size).toBe(attempts.length);
    }
  });

  it('in a range held all but one pair, binds that pair at the first attempt; a released pair is free once', async () => {
    const binds: number[] = [];
    const fakeBind = (rtpPort: number): Promise<number> => {
      binds.push(rtpPort);
      return Promise.resolve(rtpPort);
    };
    const allocator = new RtpPortAllocator({ minPort: 20_000, maxPort: 39_999 });
    const leases = [];
    for (let i = 0; i < allocator.pairCount; i++) leases.push((await allocator.allocate(fakeBind)).lease);
    expect(new Set(binds).size).toBe(10_000);
    await expect(allocator.allocate(fakeBind)).rejects.toMatchObject({ code: 'MEDIA_PORTS_EXHAUSTED' });
    const freed = leases[1234];
    freed.release();
    freed.release();
    expect(allocator.inUse).toBe(9_999);
    binds.length = 0;
    const { lease } = await allocator.allocate(fakeBind);
    expect(binds).toEqual([freed.rtpPort]);
    expect(lease.rtpPort).toBe(freed.rtpPort);
    await expect(allocator.allocate(fakeBind)).rejects.toMatchObject({ code: 'MEDIA_PORTS_EXHAUSTED' });
  });

  it('puts back the pairs another process held once the allocation ends, for the next one to try', async () => {
    const conflict = Object.assign(new Error('bind EADDRINUSE'), { code: 'EADDRINUSE' });
    let heldElsewhere = true;
    const fakeBind = (rtpPort: number): Promise<number> =>
      heldElsewhere ? Promise.reject(conflict) : Promise.resolve(rtpPort);
    const allocator = new RtpPortAllocator({ minPort: 20_000, maxPort: 20_009, maxAttempts: 32 });
    await expect(allocator.allocate(fakeBind)).rejects.toMatchObject({ code: 'MEDIA_PORTS_EXHAUSTED' });
    expect(allocator.inUse).toBe(0);
    heldElsewhere = false;
    for (let i = 0; i < 5; i++) await allocator.allocate(fakeBind);
    expect(allocator.inUse).toBe(5);
  });

  it('reports a range with no usable pair, and rethrows other bind errors', async () => {
    expectErrorCode(() => new RtpPortAllocator({ minPort: 20_001, maxPort: 20_001 }), 'MEDIA_INVALID_OPTION');
    expectErrorCode(() => new RtpPortAllocator({ minPort: 80, maxPort: 2000 }), 'MEDIA_INVALID_OPTION');
    const allocator = new RtpPortAllocator({ minPort: 20_000, maxPort: 20_009 });
    await expect(allocator.allocate(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(allocator.inUse).toBe(0);
  });

  it('backs MediaSession.open, whose close gives the pair back', async () => {
    const base = await freePorts(6);
    const allocator = new RtpPortAllocator({ minPort: base, maxPort: base + 5 });
    const session = await MediaSession.open({ clock, portAllocator: allocator });
    expect(session.localRtpPort! % 2).toBe(0);
    expect(session.localRtcpPort).toBe(session.localRtpPort! + 1);
    expect(session.localAddress).toBe('127.0.0.1');
    expect(allocator.inUse).toBe(1);
    await session.close();
    expect(allocator.inUse).toBe(0);
    // The sockets are closed: the pair can be bound again.
    const again = await UdpRtpTransport.open({
      clock,
      rtpPort: session.localRtpPort ?? 0,
      rtcpPort: session.localRtcpPort ?? 0,
    });
    owned.push(again);
  });
});
