import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/common/clock.js';
import { ManualClock } from '../../../src/common/manual-clock.js';
import type { DtmfReceiverEvent } from '../../../src/media/dtmf/dtmf-receiver.js';
import { parseTelephoneEvent } from '../../../src/media/dtmf/telephone-event.js';
import type { NegotiatedMedia } from '../../../src/media/offer-answer/negotiated-media.js';
import { parseRtcpCompound } from '../../../src/media/rtcp/rtcp-compound.js';
import { type RtpPacket, parseRtpPacket, serializeRtpPacket } from '../../../src/media/rtp/rtp-packet.js';
import { EchoSource } from '../../../src/media/session/echo-source.js';
import type { MediaSessionStats } from '../../../src/media/session/media-session-stats.js';
import { MediaSession } from '../../../src/media/session/media-session.js';
import { PcmFrameSink } from '../../../src/media/session/pcm-frame-sink.js';
import { ToneDetectorSink } from '../../../src/media/session/tone-detector-sink.js';
import { ToneSource } from '../../../src/media/session/tone-source.js';
import { expectErrorCode } from '../../support/expect-error-code.js';
import { type SessionPair, advanceMedia, loopbackSessionPair } from '../../support/media-session-pair.js';

// The media session on a ManualClock over the in-memory loopback transport: audio both ways, SRTP, RFC 4733 both
// ways, hold and resume, codec and payload type switches, pacing, RTCP, inactivity and SSRC collisions — each
// checked on the packets that crossed the "wire" (the loopback tap) and on what the far session heard.

let pairs: SessionPair[] = [];
afterEach(async () => {
  await Promise.all(pairs.map((p) => p.close()));
  pairs = [];
});

interface Captured {
  readonly atMs: number;
  readonly packet: RtpPacket;
}

function setUp(options: Parameters<typeof loopbackSessionPair>[1] = {}): {
  clock: ManualClock;
  pair: SessionPair;
  fromA: Captured[];
  fromB: Captured[];
  rtcpFromA: Buffer[];
} {
  const clock = new ManualClock({ startMs: 1000 });
  const pair = loopbackSessionPair(clock, options);
  pairs.push(pair);
  const fromA: Captured[] = [];
  const fromB: Captured[] = [];
  const rtcpFromA: Buffer[] = [];
  const [ta, tb] = pair.transports!;
  // Plain RTP only: with SRTP the tap sees ciphertext, whose header still parses.
  ta.tap = (datagram, channel) => {
    if (channel === 'rtcp') rtcpFromA.push(datagram);
    else {
      const parsed = parseRtpPacket(Buffer.from(datagram));
      if (parsed.ok) fromA.push({ atMs: clock.now(), packet: parsed.packet });
    }
    return datagram;
  };
  tb.tap = (datagram, channel) => {
    const parsed = parseRtpPacket(Buffer.from(datagram));
    if (channel === 'rtp' && parsed.ok) fromB.push({ atMs: clock.now(), packet: parsed.packet });
    return datagram;
  };
  return { clock, pair, fromA, fromB, rtcpFromA };
}

function tones(pair: SessionPair): { heardByA: ToneDetectorSink; heardByB: ToneDetectorSink } {
  pair.a.setSource(ToneSource.sine(1000));
  pair.b.setSource(ToneSource.sine(440));
  const heardByA = new ToneDetectorSink();
  const heardByB = new ToneDetectorSink();
  pair.a.addSink(heardByA);
  pair.b.addSink(heardByB);
  return { heardByA, heardByB };
}

function dtmfEnds(events: DtmfReceiverEvent[]): Array<{ symbol: string; durationMs: number }> {
  return events.flatMap((e) =>
    e.type === 'digit-end' ? [{ symbol: e.symbol, durationMs: e.durationMs }] : [],
  );
}

describe('MediaSession on a loopback transport', () => {
  it('exchanges audio both ways at 50 packets per second, and each side hears the other tone', async () => {
    const { clock, pair, fromA, fromB } = setUp();
    const { heardByA, heardByB } = tones(pair);
    await advanceMedia(clock, 2000);
    expect(heardByB.analyze(1000)?.present).toBe(true);
    expect(heardByB.analyze(440)?.present).toBe(false);
    expect(heardByA.analyze(440)?.present).toBe(true);
    // Frames at 0, 20, …, 2000 ms after the start: 101.
    expect(fromA.length).toBe(101);
    expect(fromB.length).toBe(101);
    // Frame n leaves at start + n·20 ms, and its timestamp is n·160 after the first: no drift, no gaps.
    const first = fromA[0];
    expect(first.packet.marker).toBe(true);
    for (const [n, { atMs, packet }] of fromA.entries()) {
      expect(atMs).toBe(first.atMs + 20 * n);
      expect((packet.timestamp - first.packet.timestamp) >>> 0).toBe(160 * n);
      expect(packet.sequenceNumber).toBe((first.packet.sequenceNumber + n) & 0xffff);
      expect(packet.ssrc).toBe(pair.a.ssrc);
      expect(packet.payloadType).toBe(0);
      expect(packet.payload.length).toBe(160);
    }
    const stats = pair.b.stats();
    expect(stats.received.packets).toBe(101);
    expect(stats.received.lost).toBe(0);
    expect(stats.jitterBuffer.played).toBeGreaterThan(90);
    expect(stats.dropsTotal).toBe(0);
  });

  it('starts sequence numbers, timestamps and SSRCs at random values', () => {
    const clock = new ManualClock();
    const ssrcs = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const pair = loopbackSessionPair(clock);
      pairs.push(pair);
      ssrcs.add(pair.a.ssrc);
    }
    expect(ssrcs.size).toBe(8);
  });

  it('encrypts with SDES-SRTP when negotiated, and authenticates every packet both ways', async () => {
    const { clock, pair, fromA } = setUp({ srtpPolicy: 'mandatory' });
    const { heardByA, heardByB } = tones(pair);
    await advanceMedia(clock, 2000);
    expect(pair.a.stats().srtpProfile).toBe('AES_CM_128_HMAC_SHA1_80');
    expect(heardByB.analyze(1000)?.present).toBe(true);
    expect(heardByA.analyze(440)?.present).toBe(true);
    // On the wire the payload is ciphertext plus a 10-octet tag.
    expect(fromA[5].packet.payload.length).toBe(170);
    expect(pair.b.stats().srtp).toEqual({ authFailures: 0, replays: 0 });
    expect(pair.b.stats().dropsTotal).toBe(0);
  });

  it('sends RFC 4733 digits on the audio clock, muting audio meanwhile, and the far end reports them', async () => {
    const { clock, pair, fromA } = setUp();
    const events: DtmfReceiverEvent[] = [];
    pair.b.on('dtmf', (e) => events.push(e));
    pair.a.setSource(ToneSource.sine(1000));
    await advanceMedia(clock, 200);
    pair.a.sendDtmf('1*9#', { durationMs: 120 });
    expect(pair.a.sendingDtmf).toBe(true);
    await advanceMedia(clock, 2000);
    expect(dtmfEnds(events)).toEqual(['1', '*', '9', '#'].map((symbol) => ({ symbol, durationMs: 120 })));
    expect(events.filter((e) => e.type === 'digit-start').map((e) => e.symbol)).toEqual(['1', '*', '9', '#']);
    expect(pair.a.sendingDtmf).toBe(false);

    const first = fromA[0].packet;
    const te = pair.negotiatedA.telephoneEvent!.payloadType;
    // One stream: sequence numbers are contiguous across audio and events, timestamps stay on the 8 kHz grid.
    for (const [n, { packet }] of fromA.entries()) {
      expect(packet.sequenceNumber).toBe((first.sequenceNumber + n) & 0xffff);
      expect(packet.ssrc).toBe(first.ssrc);
      expect(((packet.timestamp - first.timestamp) >>> 0) % 160).toBe(0);
    }
    // Audio falls silent from each event's start until its last end packet.
    let activeEventTimestamp: number | undefined;
    for (const { packet } of fromA) {
      if (packet.payloadType === te) {
        const event = parseTelephoneEvent(packet.payload);
        activeEventTimestamp = event.end ? undefined : packet.timestamp;
      } else if (activeEventTimestamp !== undefined) {
        throw new Error(`audio packet during the event at timestamp ${activeEventTimestamp}`);
      }
    }
    // An audio packet after an event carries the timestamp of its own sampling instant: later than the event's.
    const afterEvents = fromA.filter(({ packet }) => packet.payloadType !== te).at(-1)!;
    expect((afterEvents.atMs - fromA[0].atMs) * 8).toBe(
      (afterEvents.packet.timestamp - first.timestamp) >>> 0,
    );
    expect(pair.a.stats().sent.dtmfDigits).toBe(4);
  });

  it('refuses DTMF when telephone-event was not negotiated, and invalid digits', () => {
    const { pair } = setUp();
    pair.a.update({ ...pair.negotiatedA, telephoneEvent: undefined });
    expectErrorCode(() => pair.a.sendDtmf('1'), 'MEDIA_DTMF_NOT_NEGOTIATED');
    const other = setUp();
    expectErrorCode(() => other.pair.a.sendDtmf('1x'), 'DTMF_INVALID_DIGIT');
  });

  it('holds and resumes: the holder keeps sending, the held side neither sends nor plays, timestamps run on', async () => {
    const { clock, pair, fromA, fromB } = setUp();
    const { heardByA } = tones(pair);
    const playedByA: string[] = [];
    pair.a.addSink(new PcmFrameSink((_frame, kind) => playedByA.push(kind)));
    await advanceMedia(clock, 500);
    pair.reoffer({ direction: 'sendonly' });
    expect(pair.a.negotiated?.direction).toBe('sendonly');
    expect(pair.b.negotiated?.direction).toBe('recvonly');
    const heldAt = fromB.length;
    const playedBeforeHold = playedByA.length;
    await advanceMedia(clock, 1000);
    expect(fromB.length).toBe(heldAt);
    expect(playedByA.length).toBe(playedBeforeHold);
    const sentByAOnHold = fromA.filter((c) => c.atMs > clock.now() - 900).length;
    expect(sentByAOnHold).toBeGreaterThan(40);

    pair.reoffer({ direction: 'sendrecv' });
    await advanceMedia(clock, 1000);
    const resumed = fromB[heldAt];
    expect(resumed.packet.marker).toBe(true);
    expect(resumed.packet.sequenceNumber).toBe((fromB[heldAt - 1].packet.sequenceNumber + 1) & 0xffff);
    // The timestamp advanced with real time across the hold (RFC 3550 §5.1), not by one frame.
    const gapMs = resumed.atMs - fromB[heldAt - 1].atMs;
    expect((resumed.packet.timestamp - fromB[heldAt - 1].packet.timestamp) >>> 0).toBe(gapMs * 8);
    expect(heardByA.analyze(440)?.present).toBe(true);
    expect(pair.a.stats().jitterBuffer.played).toBeGreaterThan(60);
  });

  it('switches codec (PCMU → PCMA) and telephone-event payload type on a re-offer, without losing audio or digits', async () => {
    const { clock, pair, fromA } = setUp();
    const { heardByB } = tones(pair);
    const events: DtmfReceiverEvent[] = [];
    pair.b.on('dtmf', (e) => events.push(e));
    await advanceMedia(clock, 500);
    const switched = (n: NegotiatedMedia): NegotiatedMedia => ({
      ...n,
      codec: { payloadType: 8, encodingName: 'PCMA', clockRateHz: 8000 },
      telephoneEvent: { payloadType: 96, events: '0-16' },
    });
    pair.a.update(switched(pair.negotiatedA));
    pair.b.update(switched(pair.negotiatedB));
    pair.a.sendDtmf('5');
    await advanceMedia(clock, 2500);
    const after = fromA.filter((c) => c.atMs > 1600);
    expect(new Set(after.map((c) => c.packet.payloadType))).toEqual(new Set([8, 96]));
    expect(dtmfEnds(events).map((e) => e.symbol)).toEqual(['5']);
    expect(heardByB.analyze(1000)?.present).toBe(true);
    expect(pair.b.stats().codec).toEqual({ name: 'PCMA', payloadType: 8 });
    expect(pair.b.stats().drops).toEqual({});
  });

  it('paces without drift from late ticks, catching up short delays and skipping long stalls', async () => {
    const manual = new ManualClock({ startMs: 0 });
    // Timers fire late, like Node's under load: 0-7 ms mostly, 45 ms now and then, and one 300 ms stall on demand.
    const lateness = [3, 7, 0, 5, 45, 1, 6, 2];
    let ticks = 0;
    let stallMs = 0;
    const clock: Clock = {
      now: () => manual.now(),
      wallNow: () => manual.wallNow(),
      setTimeout: (callback, delayMs) => {
        // Only the pacing tick (due within a frame) stalls; the RTCP and statistics timers are farther out.
        const extra = delayMs <= 20 && stallMs > 0 ? stallMs : lateness[ticks++ % lateness.length];
        if (delayMs <= 20) stallMs = 0;
        return manual.setTimeout(callback, delayMs + extra);
      },
      clearTimeout: (handle) => manual.clearTimeout(handle),
    };
    const pair = loopbackSessionPair(manual, { a: { clock, statsIntervalMs: 0 } });
    pairs.push(pair);
    const sent: Captured[] = [];
    pair.transports![0].tap = (datagram, channel) => {
      const parsed = parseRtpPacket(Buffer.from(datagram));
      if (channel === 'rtp' && parsed.ok) sent.push({ atMs: manual.now(), packet: parsed.packet });
      return datagram;
    };
    await advanceMedia(manual, 10_000);
    // However late the ticks, frame n is never sent before its deadline n · 20 ms and never more than a tick late,
    // and the count follows the clock: no drift.
    const first = sent[0].packet;
    for (const { atMs, packet } of sent) {
      const frame = ((packet.timestamp - first.timestamp) >>> 0) / 160;
      expect(atMs).toBeGreaterThanOrEqual(frame * 20);
      expect(atMs - frame * 20).toBeLessThanOrEqual(45);
    }
    expect(sent.length).toBeGreaterThanOrEqual(498);
    expect(sent.length).toBeLessThanOrEqual(501);
    expect(pair.a.stats().pacing).toMatchObject({ skipped: 0 });
    expect(pair.a.stats().pacing.catchUps).toBeGreaterThan(0);
    expect(pair.a.stats().pacing.maxLatenessMs).toBe(45);

    // A 300 ms stall: the 15 late frames are skipped except the newest; no sequence gap, the timestamp jumps.
    stallMs = 300;
    const before = sent.length;
    await advanceMedia(manual, 1000);
    const gap = sent.slice(before - 1).findIndex((c, i, all) => i > 0 && c.atMs - all[i - 1].atMs > 100);
    const last = sent[before - 1 + gap].packet;
    const previous = sent[before - 2 + gap].packet;
    expect(last.sequenceNumber).toBe((previous.sequenceNumber + 1) & 0xffff);
    expect(((last.timestamp - previous.timestamp) >>> 0) / 160).toBeGreaterThan(14);
    expect(pair.a.stats().pacing.skipped).toBeGreaterThanOrEqual(14);
  });

  it('sends RTCP compound reports about every 5 s (SR + SDES CNAME), measures the RTT, and a BYE on close', async () => {
    const { clock, pair, rtcpFromA } = setUp();
    const rtts: number[] = [];
    pair.a.on('rtt', (ms) => rtts.push(ms));
    const byes: number[][] = [];
    pair.b.on('remote-bye', (bye) => byes.push([...bye.ssrcs]));
    await advanceMedia(clock, 30_000, 5);
    // RFC 3550: the first after 2.5 s · [0.5, 1.5] / 1.218, then 5 s · [0.5, 1.5] / 1.218 (mean 4.1 s).
    expect(rtcpFromA.length).toBeGreaterThanOrEqual(5);
    expect(rtcpFromA.length).toBeLessThanOrEqual(15);
    const parsed = parseRtcpCompound(rtcpFromA[2]);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.packets.map((p) => p.kind)).toEqual(['sender-report', 'source-description']);
    const sr = parsed.packets[0];
    if (sr.kind !== 'sender-report') throw new Error('no SR');
    expect(sr.ssrc).toBe(pair.a.ssrc);
    expect(sr.reportBlocks[0]?.ssrc).toBe(pair.b.ssrc);
    expect(sr.sender.packetCount).toBeGreaterThan(100);
    expect(rtts.length).toBeGreaterThan(0);
    expect(pair.a.stats().rttMs).toBeGreaterThanOrEqual(0);
    // The loopback stamps arrivals at the end of each 5 ms step, so each direction may look up to 5 ms long.
    expect(pair.a.stats().rttMs).toBeLessThanOrEqual(10);
    const ssrcA = pair.a.ssrc;
    await pair.a.close();
    await Promise.resolve();
    const bye = parseRtcpCompound(rtcpFromA.at(-1)!);
    expect(bye.ok && bye.packets.map((p) => p.kind)).toEqual([
      'sender-report',
      'source-description',
      'goodbye',
    ]);
    expect(byes).toEqual([[ssrcA]]);
  });

  it('emits statistics every second', async () => {
    const { clock, pair } = setUp();
    const seen: MediaSessionStats[] = [];
    pair.b.on('stats', (s) => seen.push(s));
    await advanceMedia(clock, 3000, 5);
    expect(seen.map((s) => s.atMs)).toEqual([2000, 3000, 4000]);
    expect(seen[2].received.packets).toBeGreaterThan(seen[1].received.packets);
    expect(seen[2].state).toBe('running');
  });

  it('raises inactive after the timeout without RTP, once, and active when media returns', async () => {
    const { clock, pair } = setUp({ a: { inactivityTimeoutMs: 2000 } });
    const seen: string[] = [];
    pair.a.on('inactive', (info) => seen.push(`inactive ${info.silentForMs}`));
    pair.a.on('active', () => seen.push('active'));
    await advanceMedia(clock, 1000, 5);
    pair.transports![1].tap = () => undefined;
    await advanceMedia(clock, 6000, 5);
    expect(seen).toEqual(['inactive 2000']);
    pair.transports![1].tap = (d) => d;
    await advanceMedia(clock, 100, 5);
    expect(seen).toEqual(['inactive 2000', 'active']);
  });

  it('does not watch for inactivity while the peer is not supposed to send (we hold)', async () => {
    const { clock, pair } = setUp({ a: { inactivityTimeoutMs: 2000 } });
    const seen: string[] = [];
    pair.a.on('inactive', () => seen.push('inactive'));
    pair.reoffer({ direction: 'sendonly' });
    // B is recvonly now and sends nothing.
    await advanceMedia(clock, 8000, 10);
    expect(seen).toEqual([]);
  });

  it('changes SSRC and says BYE when another source uses ours (RFC 3550 §8.2)', async () => {
    const { clock, pair, rtcpFromA } = setUp();
    const changes: Array<{ previous: number; current: number }> = [];
    pair.a.on('ssrc-changed', (c) => changes.push(c));
    await advanceMedia(clock, 200);
    const ours = pair.a.ssrc;
    const [, tb] = pair.transports!;
    const colliding: RtpPacket = {
      marker: false,
      payloadType: 0,
      sequenceNumber: 7,
      timestamp: 7,
      ssrc: ours,
      csrcs: [],
      payload: Buffer.alloc(160, 0xff),
      paddingBytes: 0,
    };
    tb.sendRtp(serializeRtpPacket(colliding));
    await advanceMedia(clock, 100);
    expect(changes).toEqual([{ previous: ours, current: pair.a.ssrc }]);
    expect(pair.a.ssrc).not.toBe(ours);
    const bye = parseRtcpCompound(rtcpFromA.at(-1)!);
    expect(bye.ok && bye.packets.find((p) => p.kind === 'goodbye')).toMatchObject({ ssrcs: [ours] });
    expect(pair.a.stats().drops).toEqual({ 'rtp:ssrc-collision': 1 });
  });

  it('latches onto where the peer really sends from (symmetric RTP), and says so', async () => {
    const clock = new ManualClock();
    const pair = loopbackSessionPair(clock);
    pairs.push(pair);
    const moved: string[] = [];
    pair.a.on('remote-changed', (remote, channel) =>
      moved.push(`${channel} ${remote.address}:${remote.port}`),
    );
    // A re-offer from a peer that claims a port it does not send from (a NAT, a B2BUA moving media).
    pair.a.update({ ...pair.negotiatedA, remoteRtpPort: 49_000, remoteRtcpPort: 49_001 });
    expect(pair.a.stats().remote).toEqual({ address: '127.0.0.1', port: 49_000 });
    await advanceMedia(clock, 100);
    const peer = pair.transports![1].local;
    expect(moved[0]).toBe(`rtp ${peer.address}:${peer.port}`);
    expect(pair.a.stats().remote).toEqual(peer);
  });

  it('swaps the source mid-call (hold music, a prompt) from the next frame on', async () => {
    const { clock, pair } = setUp();
    pair.a.setSource(ToneSource.sine(1000));
    const heard = new ToneDetectorSink({ windowMs: 500 });
    pair.b.addSink(heard);
    await advanceMedia(clock, 1000);
    expect(heard.analyze(1000)?.present).toBe(true);
    pair.a.setSource(ToneSource.sine(425));
    expect(pair.a.source).toBeInstanceOf(ToneSource);
    await advanceMedia(clock, 1000);
    expect(heard.analyze(425)?.present).toBe(true);
    expect(heard.analyze(1000)?.present).toBe(false);
  });

  it('echoes what arrives (the EchoSource), on the next tick, before the jitter buffer', async () => {
    const { clock, pair } = setUp();
    pair.a.setSource(ToneSource.sine(700));
    pair.b.setSource(new EchoSource());
    const heardByA = new ToneDetectorSink();
    pair.a.addSink(heardByA);
    await advanceMedia(clock, 2000);
    expect(heardByA.analyze(700)?.present).toBe(true);
  });

  it('runs the jitter buffer only while something plays the received audio (the echo alone does not)', async () => {
    const { clock, pair } = setUp();
    pair.a.setSource(ToneSource.sine(700));
    pair.b.setSource(new EchoSource());
    const heardByA = new ToneDetectorSink();
    pair.a.addSink(heardByA);
    await advanceMedia(clock, 1000);
    // B echoes from arrival and plays nothing: its jitter buffer was never fed. A plays what it hears.
    expect(pair.b.stats().received.packets).toBeGreaterThan(40);
    expect(pair.b.stats().jitterBuffer.received).toBe(0);
    expect(pair.a.stats().jitterBuffer.played).toBeGreaterThan(40);

    // A listener on B starts playout from then on, and hears A's tone.
    const heardByB = new ToneDetectorSink({ windowMs: 500 });
    const listening = pair.b.addSink(heardByB);
    await advanceMedia(clock, 1000);
    const whileListening = pair.b.stats().jitterBuffer;
    expect(whileListening.received).toBeGreaterThan(40);
    expect(whileListening.played).toBeGreaterThan(40);
    expect(heardByB.analyze(700)?.present).toBe(true);

    // Without it, playout stops again while the echo goes on.
    listening.dispose();
    await advanceMedia(clock, 1000);
    expect(pair.b.stats().jitterBuffer.received).toBe(whileListening.received);
    expect(heardByA.analyze(700)?.present).toBe(true);
  });

  it('survives a source and a sink that throw: errors are reported, the call goes on', async () => {
    const { clock, pair, fromA } = setUp();
    const errors: string[] = [];
    pair.a.on('error', (error) => errors.push(error.message));
    pair.a.setSource({
      read: () => {
        throw new Error('microphone gone');
      },
    });
    pair.a.addSink({
      onSent: () => {
        throw new Error('meter broken');
      },
    });
    await advanceMedia(clock, 200);
    expect(fromA.length).toBe(11);
    expect(fromA.every(({ packet }) => packet.payload.every((octet) => octet === 0xff))).toBe(true);
    expect(new Set(errors)).toEqual(new Set(['microphone gone', 'meter broken']));
    expect(pair.a.state).toBe('running');
  });

  it('closes once: timers cleared, the transport disposed, the state closed', async () => {
    const clock = new ManualClock();
    const pair = loopbackSessionPair(clock);
    await pair.close();
    expect(clock.pendingTimers).toBe(0);
    expect(pair.a.state).toBe('closed');
    expectErrorCode(() => pair.a.update(pair.negotiatedA), 'MEDIA_CLOSED');
    await pair.a.close();
  });

  it('refuses a codec it has no implementation for, and stays idle', () => {
    const clock = new ManualClock();
    const pair = loopbackSessionPair(clock);
    pairs.push(pair);
    const idle = new MediaSession({ clock, transport: pair.transports![0] });
    const timersBefore = clock.pendingTimers;
    const g722 = {
      payloadType: 9,
      encodingName: 'G722',
      clockRateHz: 8000,
    } as unknown as NegotiatedMedia['codec'];
    expectErrorCode(() => idle.start({ ...pair.negotiatedA, codec: g722 }), 'MEDIA_CODEC_UNSUPPORTED');
    expect(idle.state).toBe('idle');
    expect(clock.pendingTimers).toBe(timersBefore);
  });

  it('refuses to update before start', () => {
    const clock = new ManualClock();
    const pair = loopbackSessionPair(clock);
    pairs.push(pair);
    const idle = new MediaSession({ clock, transport: pair.transports![0] });
    expectErrorCode(() => idle.update(pair.negotiatedA), 'MEDIA_NOT_STARTED');
  });
});
