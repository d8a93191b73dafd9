import { setImmediate as nextTurn } from 'node:timers/promises';
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { LoopbackRtpTransport } from '../../../src/media/rtp/loopback-rtp-transport.js';
import { isRtcpPacket } from '../../../src/media/rtp/rtp-rtcp-demux.js';
import { SEND_PROBE_INTERVAL, UdpRtpTransport } from '../../../src/media/rtp/udp-rtp-transport.js';
import { nextEvent } from '../../support/transport-events.js';
import { rtpBytes } from '../../support/rtp-packets.js';
import { waitFor } from '../../support/transport-harness.js';

const RTCP_RR = Buffer.from('80c9000111223344', 'hex');
const owned: Array<{ dispose(): void }> = [];
afterEach(() => {
  for (const item of owned.splice(0)) item.dispose();
});

async function pair(
  options: { mux?: boolean } = {},
): Promise<[UdpRtpTransport, UdpRtpTransport, ManualClock]> {
  const clock = new ManualClock({ startMs: 5000 });
  const rtcpPort = options.mux ? ('mux' as const) : undefined;
  const a = await UdpRtpTransport.open({ clock, rtcpPort });
  const b = await UdpRtpTransport.open({ clock, rtcpPort });
  owned.push(a, b);
  a.setRemote({ rtp: b.localRtp, rtcp: b.localRtcp });
  b.setRemote({ rtp: a.localRtp, rtcp: a.localRtcp });
  return [a, b, clock];
}

describe('UdpRtpTransport', () => {
  it('carries RTP and RTCP between two socket pairs on 127.0.0.1, stamped with the clock', async () => {
    const [a, b] = await pair();
    expect(a.localRtcp.port).not.toBe(a.localRtp.port);
    const rtp = nextEvent(b, 'rtp');
    a.sendRtp(rtpBytes());
    const [packet, from, arrivalMs] = await rtp;
    expect(packet.equals(rtpBytes())).toBe(true);
    expect(from).toMatchObject(a.localRtp);
    expect(arrivalMs).toBe(5000);
    const rtcp = nextEvent(b, 'rtcp');
    a.sendRtcp(RTCP_RR);
    const [report, rtcpFrom] = await rtcp;
    expect(report.equals(RTCP_RR)).toBe(true);
    expect(rtcpFrom).toMatchObject(a.localRtcp);
  });

  it('says once that its media is not leaving, and again only after a send got through in between', async () => {
    const [a, b] = await pair();
    const errors: Error[] = [];
    a.on('error', (error) => errors.push(error));
    // 192.0.2.1 (TEST-NET-1, RFC 5737): the kernel refuses a datagram from a socket bound to 127.0.0.1 to it
    // (EINVAL; ENETUNREACH on a machine without routes), so nothing leaves. dgram would drop that silently.
    const unreachable = { rtp: { address: '192.0.2.1', port: 9 }, rtcp: { address: '192.0.2.1', port: 10 } };
    const turns = async (n: number) => {
      for (let i = 0; i < n; i++) await nextTurn();
    };
    a.setRemote(unreachable);
    for (let i = 0; i < 3 * SEND_PROBE_INTERVAL; i++) a.sendRtp(rtpBytes());
    await waitFor(() => errors.length > 0, 'the first send error');
    await turns(5);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('Media to 192.0.2.1:9 is not leaving this machine');
    expect(['EINVAL', 'ENETUNREACH', 'EPERM']).toContain((errors[0].cause as NodeJS.ErrnoException).code);

    // A probe that gets through ends the failure; the next failure is reported again.
    a.setRemote({ rtp: b.localRtp, rtcp: b.localRtcp });
    const arrived = nextEvent(b, 'rtp');
    for (let i = 0; i < SEND_PROBE_INTERVAL; i++) a.sendRtp(rtpBytes());
    await arrived;
    await turns(5);
    a.setRemote(unreachable);
    for (let i = 0; i < SEND_PROBE_INTERVAL; i++) a.sendRtp(rtpBytes());
    await waitFor(() => errors.length > 1, 'the second send error');
    await turns(5);
    expect(errors).toHaveLength(2);
  });

  it('still sends a packet handed over just before dispose', async () => {
    // Sends leave at the end of the run (the outbox), and node:dgram's default dns.lookup would defer them a tick
    // more; dispose flushes, and IP literals are not looked up, so nothing is lost to the closing socket.
    const [a, b] = await pair();
    const rtp = nextEvent(b, 'rtp');
    a.sendRtp(rtpBytes());
    a.dispose();
    expect((await rtp)[0].equals(rtpBytes())).toBe(true);
  });

  it('sends what one run hands over together at its end, in order, RTP and RTCP alike', async () => {
    const [a, b] = await pair({ mux: true });
    const arrived: number[] = [];
    b.on('rtp', (packet) => arrived.push(packet.readUInt16BE(2)));
    b.on('rtcp', () => arrived.push(-1));
    for (let seq = 0; seq < 20; seq++) a.sendRtp(rtpBytes({ sequenceNumber: seq }));
    a.sendRtcp(RTCP_RR);
    await waitFor(() => arrived.length === 21, 'every datagram', 2000);
    expect(arrived).toEqual([...Array.from({ length: 20 }, (_, seq) => seq), -1]);
  });

  it('demultiplexes RTP and RTCP on one port under rtcp-mux (RFC 5761)', async () => {
    const [a, b] = await pair({ mux: true });
    expect(a.localRtcp).toEqual(a.localRtp);
    const rtcp = nextEvent(b, 'rtcp');
    const rtp = nextEvent(b, 'rtp');
    a.sendRtcp(RTCP_RR);
    a.sendRtp(rtpBytes());
    expect((await rtcp)[0].equals(RTCP_RR)).toBe(true);
    expect((await rtp)[0].equals(rtpBytes())).toBe(true);
  });

  it('moves RTCP onto the RTP socket when rtcp-mux is switched on after the answer, and back', async () => {
    const [a, b] = await pair();
    a.setRtcpMux(true);
    b.setRtcpMux(true);
    expect(a.rtcpMux).toBe(true);
    b.setRemote({ rtp: a.localRtp, rtcp: a.localRtp });
    const rtcp = nextEvent(a, 'rtcp');
    b.sendRtcp(RTCP_RR);
    const [report, from] = await rtcp;
    expect(report.equals(RTCP_RR)).toBe(true);
    expect(from).toMatchObject(b.localRtp);
    b.setRtcpMux(false);
    b.setRemote({ rtp: a.localRtp, rtcp: a.localRtcp });
    a.setRtcpMux(false);
    const again = nextEvent(a, 'rtcp');
    b.sendRtcp(RTCP_RR);
    expect((await again)[1]).toMatchObject(b.localRtcp);
  });

  it('binds the ports it is given (RTP, RTP + 1) and reports a port in use', async () => {
    const clock = new ManualClock();
    const probe = await UdpRtpTransport.open({ clock });
    const port = probe.localRtp.port;
    probe.dispose();
    const fixed = await UdpRtpTransport.open({
      clock,
      rtpPort: port,
      rtcpPort: port === 65535 ? port - 1 : port + 1,
    });
    owned.push(fixed);
    expect(fixed.localRtp.port).toBe(port);
    await expect(UdpRtpTransport.open({ clock, rtpPort: port })).rejects.toThrow(/EADDRINUSE/);
  });

  it('sends nothing without a remote, and nothing after dispose', async () => {
    const [a, b] = await pair();
    const seen: Buffer[] = [];
    b.on('rtp', (p) => seen.push(p));
    a.setRemote(undefined);
    a.sendRtp(rtpBytes({ sequenceNumber: 1 }));
    a.setRemote({ rtp: b.localRtp, rtcp: b.localRtcp });
    a.dispose();
    a.sendRtp(rtpBytes({ sequenceNumber: 2 }));
    // A probe from another socket, sent afterwards: once it has arrived, anything sent before would have too.
    const probe = createSocket('udp4');
    const arrived = nextEvent(b, 'rtp');
    await new Promise<void>((resolve) =>
      probe.send(rtpBytes({ sequenceNumber: 99 }), b.localRtp.port, '127.0.0.1', () => resolve()),
    );
    await arrived;
    probe.close();
    expect(seen.map((p) => p.readUInt16BE(2))).toEqual([99]);
  });
});

describe('RTP/RTCP demultiplexing', () => {
  it.each([
    ['RTP PT 0', '8000', false],
    ['RTP PT 101 with marker', '80e5', false],
    ['SR', '80c8', true],
    ['RR', '80c9', true],
    ['RTPFB (205)', '81cd', true],
    ['one octet', '80', false],
  ])('%s', (_what, head, rtcp) => {
    expect(isRtcpPacket(Buffer.from(head, 'hex'))).toBe(rtcp);
  });
});

describe('LoopbackRtpTransport', () => {
  it('delivers to the other side on the next microtask, as a copy, through an optional tap', async () => {
    const clock = new ManualClock({ startMs: 7 });
    const [a, b] = LoopbackRtpTransport.createPair(clock);
    owned.push(a, b);
    const sent = rtpBytes();
    const received = nextEvent(b, 'rtp');
    a.sendRtp(sent);
    const [packet, from, arrivalMs] = await received;
    expect(packet.equals(sent)).toBe(true);
    expect(packet).not.toBe(sent);
    expect([from, arrivalMs]).toEqual([a.local, 7]);

    a.tap = (datagram, channel) => (channel === 'rtcp' ? undefined : datagram);
    const seen: unknown[] = [];
    b.on('rtcp', (p) => seen.push(p));
    a.sendRtcp(RTCP_RR);
    await Promise.resolve();
    expect(seen).toEqual([]);
  });
});
