import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/common/clock.js';
import type { DtmfReceiverEvent } from '../../../src/media/dtmf/dtmf-receiver.js';
import { ImpairmentModel, type ImpairmentProfile } from '../../../src/media/impairment/impairment-model.js';
import { ToneDetectorSink } from '../../../src/media/session/tone-detector-sink.js';
import { ToneSource } from '../../../src/media/session/tone-source.js';
import { type SessionPair, udpSessionPair } from '../../support/media-session-pair.js';
import { seededRandom } from '../../support/seeded-random.js';
import { waitFor } from '../../support/transport-harness.js';

// The impairment acceptance: two sessions over real UDP sockets on 127.0.0.1, the receiving one behind the
// userspace impairment stage with 5 % loss and 40 ms of jitter. Every one of the 16 DTMF digits must arrive exactly
// once, and the jitter buffer's statistics must show what the network did. The stage's decisions come from a seeded
// PRNG, so the losses are the same on every run (checked against a replay of the model).

const PROFILE: ImpairmentProfile = { lossRate: 0.05, jitterMs: 40 };
const SEED = 4733;
const DIGITS = '0123456789*#ABCD';

let pair: SessionPair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

describe('MediaSession under 5 % loss and 40 ms jitter (userspace impairment, real UDP)', () => {
  it('detects every one of 16 DTMF digits exactly once, and the jitter buffer shows the impairment', async () => {
    pair = await udpSessionPair(systemClock, {
      a: { random: seededRandom(1) },
      b: { random: seededRandom(2), impairment: { receive: PROFILE, seed: SEED } },
    });
    const { a, b } = pair;
    a.setSource(ToneSource.sine(1000));
    // B plays what it receives (as a softphone does): a session that nobody listens to runs no jitter buffer.
    const heard = new ToneDetectorSink({ windowMs: 1000 });
    b.addSink(heard);
    const ends: DtmfReceiverEvent[] = [];
    const starts: DtmfReceiverEvent[] = [];
    b.on('dtmf', (event) => (event.type === 'digit-end' ? ends : starts).push(event));

    // Let the jitter buffer adapt to the path before the digits start.
    await waitFor(() => b.stats().received.packets >= 50, 'audio at the far end', 5000);
    a.sendDtmf(DIGITS);
    await waitFor(() => !a.sendingDtmf, 'the digits to be sent', 15_000);
    await waitFor(() => ends.length >= DIGITS.length, 'every digit end', 2000).catch(() => undefined);
    // The receiver's end timeout (500 ms) would report a digit whose end packets were all lost.
    await new Promise((resolve) => setTimeout(resolve, 700));

    expect(starts.map((e) => e.symbol).join('')).toBe(DIGITS);
    expect(ends.map((e) => e.symbol).join('')).toBe(DIGITS);
    for (const end of ends) {
      if (end.type !== 'digit-end') continue;
      // Each digit lasted the 100 ms it was sent with (a digit ended by timeout after losing its end packets
      // would report less, and would say so in `reason`).
      expect(end.durationMs, end.symbol).toBe(100);
    }

    const stats = b.stats();
    const stage = stats.impairment!.receive;
    expect(stage.droppedTotal).toBeGreaterThan(0);
    expect(stage.overtaken).toBeGreaterThan(0);
    const jb = stats.jitterBuffer;
    expect(jb.lost, JSON.stringify(jb)).toBeGreaterThan(0);
    expect(jb.late + jb.concealed, JSON.stringify(jb)).toBeGreaterThan(0);
    expect(jb.reordered, JSON.stringify(jb)).toBeGreaterThan(0);
    // The target delay grew from its 20 ms floor to cover the 40 ms spread.
    expect(jb.targetDelayMs, JSON.stringify(jb)).toBeGreaterThan(30);
    expect(stats.received.jitterMs).toBeGreaterThan(5);
    // …and through it all the tone was still heard.
    expect(heard.analyze(1000)?.present).toBe(true);

    // Deterministic: the stage dropped exactly the packets a replay of the seeded model drops.
    const replay = new ImpairmentModel(PROFILE, SEED + 1);
    let replayDrops = 0;
    for (let i = 0; i < stage.packets; i++) if (!replay.decide().deliver) replayDrops++;
    expect(stage.droppedTotal).toBe(replayDrops);
  });
});
