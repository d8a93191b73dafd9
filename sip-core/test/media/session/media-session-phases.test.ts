import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { FrameScheduler } from '../../../src/media/session/frame-scheduler.js';
import { type SessionPair, advanceMedia, loopbackSessionPair } from '../../support/media-session-pair.js';

// Sessions started in the same millisecond are spread over the frame by their shared FrameScheduler (ADR 0067):
// the first eight keep their start, later ones move to empty phase slots, so a tick never carries all of them.

let pairs: SessionPair[] = [];
afterEach(async () => {
  await Promise.all(pairs.map((p) => p.close()));
  pairs = [];
});

describe('MediaSession phases', () => {
  it('spreads 24 sessions started together: 8 tick at the start, the rest in other milliseconds of the frame', async () => {
    const clock = new ManualClock({ startMs: 1000 });
    for (let i = 0; i < 12; i++) pairs.push(loopbackSessionPair(clock));
    const sessions = pairs.flatMap((p) => [p.a, p.b]);
    const slots = FrameScheduler.shared(clock).phaseSlotTasks;
    expect(slots.reduce((sum, n) => sum + n, 0)).toBe(24);
    expect(slots[0]).toBe(8);
    expect(Math.max(...slots.slice(1))).toBe(1);

    // The first timer runs the tasks due within its 1 ms tolerance: slot 0's eight and slot 1's one.
    clock.advance(0);
    const started = sessions.filter((s) => s.stats().sent.audioPackets > 0);
    expect(started).toHaveLength(9);

    // A frame later every session has sent, each on its own 20 ms grid, none late.
    await advanceMedia(clock, 40);
    for (const session of sessions) {
      const stats = session.stats();
      expect(stats.sent.audioPackets).toBeGreaterThanOrEqual(2);
      expect(stats.pacing.skipped).toBe(0);
      expect(stats.pacing.maxLatenessMs).toBe(0);
    }
  });

  it('leaves a pair of sessions started together where they are', () => {
    const clock = new ManualClock({ startMs: 1000 });
    pairs.push(loopbackSessionPair(clock));
    expect(FrameScheduler.shared(clock).phaseSlotTasks[0]).toBe(2);
    clock.advance(0);
    expect(pairs[0].a.stats().sent.audioPackets).toBe(1);
    expect(pairs[0].b.stats().sent.audioPackets).toBe(1);
  });
});
