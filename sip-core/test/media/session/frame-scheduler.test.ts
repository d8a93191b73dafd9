import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { FramePacer } from '../../../src/media/session/frame-pacer.js';
import { FrameScheduler, type PacedTask } from '../../../src/media/session/frame-scheduler.js';

// One Clock timer paces many tasks: each still runs at its own deadlines (no drift), in deadline order, and a task
// that is removed, or throws, never disturbs the others.

/** A task on a 20 ms FramePacer grid that records when it ran. */
function pacedTask(
  clock: ManualClock,
  name: string,
  startMs: number,
  log: string[],
): PacedTask & { runs: number[] } {
  const pacer = new FramePacer({ startMs });
  const runs: number[] = [];
  return {
    runs,
    get nextDeadlineMs() {
      return pacer.nextDeadlineMs;
    },
    run() {
      pacer.take(clock.now());
      runs.push(clock.now());
      log.push(name);
    },
  };
}

describe('FrameScheduler', () => {
  it('runs every task at its own deadlines, in deadline order, on one timer', () => {
    const clock = new ManualClock();
    const scheduler = new FrameScheduler(clock);
    const log: string[] = [];
    const tasks = [
      pacedTask(clock, 'c', 13.5, log),
      pacedTask(clock, 'a', 0, log),
      pacedTask(clock, 'b', 7.25, log),
    ];
    for (const task of tasks) scheduler.add(task);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(200);
    expect(clock.pendingTimers).toBe(1);
    expect(log.slice(0, 6)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    // ManualClock fires exactly on time: every run is on the task's own 20 ms grid, none late, none skipped.
    const [c, a, b] = tasks;
    expect(a.runs).toEqual(Array.from({ length: 11 }, (_, n) => 20 * n));
    expect(b.runs).toEqual(Array.from({ length: 10 }, (_, n) => 7.25 + 20 * n));
    expect(c.runs).toEqual(Array.from({ length: 10 }, (_, n) => 13.5 + 20 * n));
  });

  it('runs tasks due within the early tolerance in the same batch, ties in order of arrival', () => {
    const clock = new ManualClock();
    const scheduler = new FrameScheduler(clock, { earlyToleranceMs: 1 });
    const log: string[] = [];
    scheduler.add(pacedTask(clock, 'late-comer', 0.5, log));
    scheduler.add(pacedTask(clock, 'first', 0, log));
    scheduler.add(pacedTask(clock, 'same-time', 0, log));
    clock.advance(0);
    expect(log).toEqual(['first', 'same-time', 'late-comer']);
  });

  it('runs only the tasks of each batch when a large batch is followed by smaller ones', () => {
    // The batch list is reused between batches: a smaller batch must not run what a larger one left behind.
    const clock = new ManualClock();
    const scheduler = new FrameScheduler(clock, { earlyToleranceMs: 0 });
    const log: string[] = [];
    for (const name of ['x', 'y', 'z']) scheduler.add(pacedTask(clock, name, 0, log));
    scheduler.add(pacedTask(clock, 'lone', 10, log));
    clock.advance(10);
    expect(log).toEqual(['x', 'y', 'z', 'lone']);
    log.length = 0;
    clock.advance(20);
    expect(log).toEqual(['x', 'y', 'z', 'lone']);
  });

  it('stops a task when its handle is disposed, also from inside its own run, and disarms when none is left', () => {
    const clock = new ManualClock();
    const scheduler = new FrameScheduler(clock);
    const log: string[] = [];
    const a = pacedTask(clock, 'a', 0, log);
    const stopA = scheduler.add(a);
    const b = pacedTask(clock, 'b', 5, log);
    let stopB = { dispose() {} };
    const selfStopping: PacedTask = {
      get nextDeadlineMs() {
        return b.nextDeadlineMs;
      },
      run() {
        b.run();
        if (b.runs.length === 3) stopB.dispose();
      },
    };
    stopB = scheduler.add(selfStopping);
    clock.advance(30);
    stopA.dispose();
    clock.advance(100);
    expect(a.runs).toEqual([0, 20]);
    expect(b.runs).toEqual([5, 25, 45]);
    expect(scheduler.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('reports a task that throws and keeps pacing it and the others', () => {
    const clock = new ManualClock();
    const errors: unknown[] = [];
    const scheduler = new FrameScheduler(clock, { onError: (error) => errors.push(error) });
    const log: string[] = [];
    const good = pacedTask(clock, 'good', 5, log);
    const bad = pacedTask(clock, 'bad', 0, log);
    scheduler.add({
      get nextDeadlineMs() {
        return bad.nextDeadlineMs;
      },
      run() {
        bad.run();
        throw new Error('boom');
      },
    });
    scheduler.add(good);
    clock.advance(60);
    expect(errors).toHaveLength(4);
    expect(good.runs).toEqual([5, 25, 45]);
    expect(bad.runs).toEqual([0, 20, 40, 60]);
  });

  it('re-arms earlier when a task with an earlier deadline arrives, and shares one scheduler per clock', () => {
    const clock = new ManualClock();
    const scheduler = FrameScheduler.shared(clock);
    expect(FrameScheduler.shared(clock)).toBe(scheduler);
    expect(FrameScheduler.shared(new ManualClock())).not.toBe(scheduler);
    const log: string[] = [];
    const later = pacedTask(clock, 'later', 15, log);
    scheduler.add(later);
    const sooner = pacedTask(clock, 'sooner', 3, log);
    scheduler.add(sooner);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextDueInMs()).toBe(3);
    clock.advance(16);
    expect(log).toEqual(['sooner', 'later']);
  });
});
