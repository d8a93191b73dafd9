// The emulator's lazy far-end media over real UDP on 127.0.0.1, against a media/session peer that plays the PBX:
// an echo far end stays idle (no session) until the peer sends and then echoes it; a tone far end is live at once;
// SRTP, DTMF from the peer, RTP inactivity while idle (on a ManualClock), and the socket given back to the pool on
// close.

import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../../src/common/clock.js';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { AudioSources } from '../../../src/emulator/media/audio-sources.js';
import { FarEndMedia, type FarEndMediaOptions } from '../../../src/emulator/media/far-end-media.js';
import { SdpNegotiator, type SrtpPolicy } from '../../../src/media/offer-answer/index.js';
import {
  MediaSession,
  RtpPortAllocator,
  RtpSocketPool,
  ToneDetectorSink,
  ToneSource,
} from '../../../src/media/session/index.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

interface Rig {
  readonly far: FarEndMedia;
  readonly peer: MediaSession;
  readonly heard: ToneDetectorSink;
  readonly allocator: RtpPortAllocator;
  readonly sockets: RtpSocketPool;
  /** Starts the peer's session (it sends from then on, silence until it is given a source). */
  startPeer(): void;
}

async function rig(options: {
  clock?: Clock;
  srtpPolicy?: SrtpPolicy;
  direction?: 'sendrecv' | 'inactive';
  far?: Partial<FarEndMediaOptions>;
  /** Leave the peer's session unstarted (a running session always sends, if only silence). */
  peerStarted?: boolean;
}): Promise<Rig> {
  const clock = options.clock ?? systemClock;
  const srtpPolicy = options.srtpPolicy ?? 'off';
  const allocator = new RtpPortAllocator({ minPort: 40_000, maxPort: 44_000 });
  const sockets = new RtpSocketPool({ clock, allocator });
  // Closers run last-first: the pool closes after the far end has given its socket back.
  closers.push(() => Promise.resolve(sockets.close()));
  const far = await FarEndMedia.open({
    clock,
    sockets,
    bindAddress: '127.0.0.1',
    srtpPolicy,
    sources: new AudioSources(),
    inactivityTimeoutMs: 60_000,
    ...options.far,
  });
  closers.push(() => far.close());
  const peer = await MediaSession.open({ clock, portRange: { minPort: 44_002, maxPort: 48_000 } });
  closers.push(() => peer.close());
  const negotiator = new SdpNegotiator({
    local: { address: '127.0.0.1', rtpPort: peer.localRtpPort!, rtcpPort: peer.localRtcpPort! },
    srtpPolicy,
  });
  const answer = far.answer(negotiator.createOffer({ direction: options.direction ?? 'sendrecv' }).sdp);
  const heard = new ToneDetectorSink();
  peer.addSink(heard);
  const negotiated = negotiator.processAnswer(answer);
  const startPeer = () => peer.start(negotiated);
  if (options.peerStarted !== false) startPeer();
  return { far, peer, heard, allocator, sockets, startPeer };
}

describe('FarEndMedia', () => {
  it('an echo far end stays idle until the peer sends, then echoes what it hears', async () => {
    const r = await rig({ peerStarted: false });
    r.far.play({ kind: 'echo' });
    await sleep(200);
    expect(r.far.live).toBe(false);

    r.peer.setSource(ToneSource.sine(1000));
    r.startPeer();
    await sleep(1_500);
    expect(r.far.live).toBe(true);
    expect(r.heard.analyze(1000)?.present).toBe(true);
    // The packet that woke the far end was handed to its session: it counts every packet the peer sent.
    expect(r.far.summary().stats?.received.packets).toBeGreaterThanOrEqual(r.peer.stats().sent.packets - 3);
  });

  it('a tone far end is live at once; SRTP when negotiated; the summary names codec and suite', async () => {
    const r = await rig({ srtpPolicy: 'mandatory' });
    r.far.play({ kind: 'tone', tones: [{ frequencyHz: 1004, levelDbfs: -16 }], cadence: null });
    expect(r.far.live).toBe(true);
    await sleep(1_000);
    expect(r.heard.analyze(1004)?.present).toBe(true);
    expect(r.far.summary()).toMatchObject({ codec: 'PCMU', srtpSuite: 'AES_CM_128_HMAC_SHA1_80' });
    expect(r.peer.stats().srtp?.authFailures).toBe(0);
  });

  it('reports RFC 4733 digits from the peer with their duration', async () => {
    const r = await rig({});
    r.far.play({ kind: 'echo' });
    const digits: Array<[string, number]> = [];
    r.far.on('dtmf', (digit, durationMs) => digits.push([digit, durationMs]));
    r.peer.sendDtmf('42', { durationMs: 120 });
    for (let i = 0; i < 40 && digits.length < 2; i++) await sleep(50);
    expect(digits.map(([d]) => d)).toEqual(['4', '2']);
    for (const [, durationMs] of digits) expect(durationMs).toBe(120);
  });

  it('raises inactive after the timeout once watched, not before the answer nor while the peer holds', async () => {
    const clock = new ManualClock();
    const r = await rig({ clock, far: { inactivityTimeoutMs: 5_000 } });
    r.far.play({ kind: 'echo' });
    const inactive: number[] = [];
    r.far.on('inactive', (ms) => inactive.push(ms));
    // Ringing and early media do not count: watching starts at the answer.
    clock.advance(30_000);
    expect(inactive).toEqual([]);
    r.far.watchInactivity();
    clock.advance(4_999);
    expect(inactive).toEqual([]);
    clock.advance(1);
    expect(inactive).toEqual([5_000]);

    const held = await rig({ clock, direction: 'inactive', far: { inactivityTimeoutMs: 5_000 } });
    held.far.play({ kind: 'echo' });
    held.far.watchInactivity();
    const none: number[] = [];
    held.far.on('inactive', (ms) => none.push(ms));
    clock.advance(60_000);
    expect(none).toEqual([]);
  });

  it('tells its owner of digits and inactivity before the listeners, and nothing once the owner is cleared', async () => {
    const clock = new ManualClock();
    const r = await rig({ clock, far: { inactivityTimeoutMs: 5_000 } });
    r.far.play({ kind: 'echo' });
    const order: string[] = [];
    r.far.owner = {
      mediaDtmf: (digit) => order.push(`owner dtmf ${digit}`),
      mediaInactive: (ms) => order.push(`owner inactive ${ms}`),
      mediaError: (error) => order.push(`owner error ${error.message}`),
    };
    r.far.on('inactive', (ms) => order.push(`listener inactive ${ms}`));
    r.far.watchInactivity();
    clock.advance(5_000);
    expect(order).toEqual(['owner inactive 5000', 'listener inactive 5000']);

    const later = await rig({ clock, far: { inactivityTimeoutMs: 5_000 } });
    later.far.play({ kind: 'echo' });
    const told: number[] = [];
    later.far.owner = {
      mediaDtmf: () => undefined,
      mediaInactive: (ms) => told.push(ms),
      mediaError: () => undefined,
    };
    later.far.watchInactivity();
    later.far.owner = undefined;
    clock.advance(5_000);
    expect(told).toEqual([]);
  });

  it('gives its socket to the pool on close, idle or live; the pool gives the port back when it closes', async () => {
    const r = await rig({});
    r.far.play({ kind: 'echo' });
    expect([r.allocator.inUse, r.sockets.kept]).toEqual([1, 0]);
    await r.far.close();
    expect([r.allocator.inUse, r.sockets.kept]).toEqual([1, 1]);
    r.sockets.close();
    expect([r.allocator.inUse, r.sockets.kept]).toEqual([0, 0]);

    const live = await rig({});
    live.far.play({ kind: 'silence' });
    live.peer.setSource(ToneSource.sine(500));
    for (let i = 0; i < 40 && !live.far.live; i++) await sleep(25);
    expect(live.far.live).toBe(true);
    await live.far.close();
    expect([live.allocator.inUse, live.sockets.kept]).toEqual([1, 1]);
    live.sockets.close();
    expect(live.allocator.inUse).toBe(0);
  });
});
