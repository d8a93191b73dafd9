import { randomBytes } from 'node:crypto';
import { type Socket, createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/common/clock.js';
import { setListenerErrorHandler } from '../../../src/common/typed-emitter.js';
import type { SrtpPolicy } from '../../../src/media/offer-answer/sdp-negotiator.js';
import type { MediaSession } from '../../../src/media/session/media-session.js';
import { ToneDetectorSink } from '../../../src/media/session/tone-detector-sink.js';
import { ToneSource } from '../../../src/media/session/tone-source.js';
import { type SessionPair, udpSessionPair } from '../../support/media-session-pair.js';
import { rtpBytes } from '../../support/rtp-packets.js';
import { waitFor } from '../../support/transport-harness.js';

// Bad input at session level: while two sessions exchange audio over UDP on 127.0.0.1, a third socket fires
// truncated, oversized, wrong-version, wrong-SSRC and (under SRTP) wrongly authenticated datagrams, plus RTCP
// garbage, at one of them. Each must be counted under its reason and dropped; nothing may throw (a listener error
// or an uncaught exception would surface through the handlers installed here), and the session must keep playing
// the far end's tone.

let pair: SessionPair | undefined;
let attacker: Socket | undefined;
const listenerErrors: unknown[] = [];
let previousHandler: ReturnType<typeof setListenerErrorHandler> | undefined;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown): void => {
  uncaught.push(error);
};

afterEach(async () => {
  attacker?.close();
  attacker = undefined;
  await pair?.close();
  pair = undefined;
  if (previousHandler) setListenerErrorHandler(previousHandler);
  process.off('uncaughtException', onUncaught);
});

async function send(socket: Socket, datagram: Uint8Array, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    socket.send(datagram, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
  );
}

async function attack(target: MediaSession, policy: SrtpPolicy): Promise<void> {
  const socket = createSocket('udp4');
  attacker = socket;
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const rtp = target.localRtpPort!;
  const rtcp = target.localRtcpPort!;
  const oversized = Buffer.concat([rtpBytes(), randomBytes(2000)]);
  const wrongVersion = rtpBytes();
  wrongVersion[0] = 0x40;
  // An authentic-looking header with a random SRTP tag: under SRTP, authentication must fail.
  const forged = Buffer.concat([rtpBytes({ ssrc: 0xdead_beef, sequenceNumber: 9 }), randomBytes(10)]);
  for (let round = 0; round < 5; round++) {
    await send(socket, Buffer.from([0x80, 0x00, 0x01]), rtp);
    await send(socket, oversized, rtp);
    await send(socket, wrongVersion, rtp);
    // A different stray SSRC each round: three in a row of one SSRC would be followed (docs/adr/0047).
    await send(
      socket,
      policy === 'off' ? rtpBytes({ ssrc: 0x0bad_55c0 + round, sequenceNumber: round }) : forged,
      rtp,
    );
    await send(socket, randomBytes(40), rtcp);
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

describe('MediaSession: bad datagrams from a third socket are counted and dropped, and audio goes on', () => {
  it.each([
    ['plain RTP', 'off'],
    ['SDES-SRTP', 'mandatory'],
  ] as const)('%s', async (_name, policy) => {
    previousHandler = setListenerErrorHandler((error) => listenerErrors.push(error));
    process.on('uncaughtException', onUncaught);
    pair = await udpSessionPair(systemClock, { srtpPolicy: policy });
    const { a, b } = pair;
    a.setSource(ToneSource.sine(1000));
    const heard = new ToneDetectorSink({ windowMs: 1000 });
    b.addSink(heard);
    await waitFor(() => b.stats().received.packets >= 25, 'audio at B', 5000);

    await attack(b, policy);
    const receivedAfterAttack = b.stats().received.packets;
    await waitFor(
      () => b.stats().received.packets >= receivedAfterAttack + 60,
      'audio after the attack',
      5000,
    );

    const stats = b.stats();
    if (policy === 'off') {
      expect(stats.drops).toMatchObject({
        'rtp:truncated': 5,
        'rtp:oversized': 5,
        'rtp:wrong-version': 5,
        'session:wrong-ssrc': 5,
      });
    } else {
      // Under SRTP the SRTP layer sees them first: too short for a tag, not version 2, or not authentic.
      expect(stats.drops).toMatchObject({ 'srtp:truncated': 5, 'srtp:wrong-version': 5 });
      expect(stats.drops['srtp:auth-failed']).toBe(10);
      expect(stats.srtp?.authFailures).toBeGreaterThanOrEqual(10);
    }
    const rtcpDrops = Object.entries(stats.drops)
      .filter(([reason]) => reason.startsWith('rtcp:') || reason.startsWith('srtcp:'))
      .reduce((sum, [, n]) => sum + n, 0);
    expect(rtcpDrops).toBe(5);
    expect(stats.received.ssrc).toBe(a.ssrc);
    expect(stats.received.lost).toBe(0);
    expect(heard.analyze(1000)?.present).toBe(true);
    expect(stats.state).toBe('running');
    expect(listenerErrors).toEqual([]);
    expect(uncaught).toEqual([]);
  });
});
