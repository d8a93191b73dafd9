import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { FramePacer } from '../../../src/media/session/frame-pacer.js';
import { FrameScheduler, type PacedTask } from '../../../src/media/session/frame-scheduler.js';
import { expectErrorCode } from '../../support/expect-error-code.js';

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

  describe('phase spreading', () => {
    /** Starts `count` tasks that all ask to start at `askMs`, each where the scheduler places it. */
    function startTogether(
      clock: ManualClock,
      scheduler: FrameScheduler,
      count: number,
      askMs: number,
      log: string[],
    ): Array<PacedTask & { runs: number[] }> {
      return Array.from({ length: count }, (_, i) => {
        const task = pacedTask(clock, `t${i}`, scheduler.spreadStartMs(askMs), log);
        scheduler.add(task);
        return task;
      });
    }

    it('leaves a start where it is while its slot is not crowded', () => {
      const clock = new ManualClock();
      const scheduler = new FrameScheduler(clock, { crowdedSlotTasks: 3 });
      const tasks = startTogether(clock, scheduler, 3, 0, []);
      expect(tasks.map((t) => t.nextDeadlineMs)).toEqual([0, 0, 0]);
      expect(scheduler.phaseSlotTasks[0]).toBe(3);
    });

    it('spreads 40 tasks started in the same millisecond over the 20 slots of the frame, two per slot', () => {
      const clock = new ManualClock();
      const scheduler = new FrameScheduler(clock, { crowdedSlotTasks: 1 });
      const log: string[] = [];
      const tasks = startTogether(clock, scheduler, 40, 100.25, log);
      expect(scheduler.phaseSlotTasks).toEqual(Array.from({ length: 20 }, () => 2));
      // Each first deadline is within one frame of the start asked for, on a 1 ms step from it.
      for (const task of tasks) {
        const offset = task.nextDeadlineMs - 100.25;
        expect(offset).toBeGreaterThanOrEqual(0);
        expect(offset).toBeLessThan(20);
        expect(Number.isInteger(offset)).toBe(true);
      }
      // Every task still runs every 20 ms on its own grid (ManualClock fires on time): the batches are two tasks.
      clock.advance(200);
      for (const task of tasks) {
        expect(task.runs.length).toBeGreaterThanOrEqual(5);
        expect(task.runs.slice(1).map((t, i) => t - task.runs[i])).toEqual(
          Array.from({ length: task.runs.length - 1 }, () => 20),
        );
      }
    });

    it('moves a crowded start to the first of the emptiest slots after it, wrapping around the frame', () => {
      const clock = new ManualClock();
      const scheduler = new FrameScheduler(clock, { crowdedSlotTasks: 1, periodMs: 20, phaseSlots: 4 });
      const log: string[] = [];
      // Slots of 5 ms: fill 15–20 (slot 3) and 0–5 (slot 0), leaving slots 1 and 2 empty.
      scheduler.add(pacedTask(clock, 'x', 15, log));
      scheduler.add(pacedTask(clock, 'y', 0, log));
      // A start at 36 is in slot 3 (36 mod 20 = 16): crowded, so it goes to slot 1 (two slots on, wrapping).
      expect(scheduler.spreadStartMs(36)).toBe(46);
      expect(scheduler.spreadStartMs(7)).toBe(7);
    });

    it('stops counting a task once it is disposed, also twice', () => {
      const clock = new ManualClock();
      const scheduler = new FrameScheduler(clock);
      const subscription = scheduler.add(pacedTask(clock, 'a', 3.5, []));
      expect(scheduler.phaseSlotTasks[3]).toBe(1);
      subscription.dispose();
      subscription.dispose();
      expect(scheduler.phaseSlotTasks[3]).toBe(0);
    });

    it('refuses unusable phase options with a typed error', () => {
      const clock = new ManualClock();
      for (const options of [
        { periodMs: 0 },
        { phaseSlots: 0 },
        { phaseSlots: 2.5 },
        { crowdedSlotTasks: 0 },
      ]) {
        expectErrorCode(() => new FrameScheduler(clock, options), 'MEDIA_INVALID_OPTION');
      }
    });
  });
});
