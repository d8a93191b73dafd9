import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { ImpairedRtpTransport } from '../../../src/media/impairment/impaired-rtp-transport.js';
import { ImpairmentStage } from '../../../src/media/impairment/impairment-stage.js';
import { LoopbackRtpTransport } from '../../../src/media/rtp/loopback-rtp-transport.js';
import { rtpBytes } from '../../support/rtp-packets.js';

const disposables: Array<{ dispose(): void }> = [];
afterEach(() => {
  for (const d of disposables.splice(0)) d.dispose();
});

describe('ImpairmentStage', () => {
  it('passes packets through synchronously with an empty profile', () => {
    const stage = new ImpairmentStage({ clock: new ManualClock() });
    const out: number[] = [];
    for (let i = 0; i < 5; i++) stage.process(i, (n) => out.push(n));
    expect(out).toEqual([0, 1, 2, 3, 4]);
    expect(stage.stats).toMatchObject({ packets: 5, delivered: 5, delayed: 0, droppedTotal: 0 });
  });

  it('delivers delayed packets at their due time on the clock, in due order (jitter reorders)', () => {
    const clock = new ManualClock();
    const stage = new ImpairmentStage({ clock, profile: { delayMs: 30, jitterMs: 40 }, seed: 9 });
    disposables.push(stage);
    const out: Array<[number, number]> = [];
    for (let i = 0; i < 50; i++) {
      stage.process(i, (n) => out.push([n, clock.now()]));
      clock.advance(20);
    }
    clock.advance(100);
    expect(out.length).toBe(50);
    const sentAt = (n: number) => n * 20;
    for (const [n, at] of out) {
      expect(at - sentAt(n)).toBeGreaterThanOrEqual(30);
      expect(at - sentAt(n)).toBeLessThan(70);
    }
    expect(out.map(([, at]) => at)).toEqual([...out.map(([, at]) => at)].sort((x, y) => x - y));
    expect(stage.stats.overtaken).toBeGreaterThan(0);
    expect(stage.stats.maxDelayMs).toBeLessThan(70);
  });

  it('forgets queued packets on dispose', () => {
    const clock = new ManualClock();
    const stage = new ImpairmentStage({ clock, profile: { delayMs: 50 } });
    const out: number[] = [];
    stage.process(1, (n) => out.push(n));
    stage.dispose();
    clock.advance(100);
    expect(out).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('ImpairedRtpTransport', () => {
  it('impairs what it sends and what it receives, RTP and RTCP on separate seeded stages', async () => {
    const clock = new ManualClock();
    const [a, b] = LoopbackRtpTransport.createPair(clock);
    const impaired = new ImpairedRtpTransport(a, {
      clock,
      send: { dropAll: true },
      receive: { delayMs: 40 },
    });
    disposables.push(impaired, b);
    const atB: Buffer[] = [];
    b.on('rtp', (p) => atB.push(p));
    impaired.sendRtp(rtpBytes());
    impaired.sendRtcp(Buffer.from('80c9000111223344', 'hex'));
    await Promise.resolve();
    expect(atB).toEqual([]);
    expect(impaired.stats.send.dropped).toEqual({ 'drop-all': 1 });
    expect(impaired.stats.sendRtcp.dropped).toEqual({ 'drop-all': 1 });

    const atA: Array<[number, number]> = [];
    impaired.on('rtp', (_p, _from, arrivalMs) => atA.push([clock.now(), arrivalMs]));
    b.sendRtp(rtpBytes());
    await Promise.resolve();
    expect(atA).toEqual([]);
    clock.advance(40);
    expect(atA).toEqual([[40, 40]]);
    impaired.sendStage.setProfile({});
    impaired.sendRtp(rtpBytes());
    await Promise.resolve();
    expect(atB.length).toBe(1);
  });
});
