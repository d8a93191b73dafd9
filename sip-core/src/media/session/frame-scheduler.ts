import type { Clock, TimerHandle } from '../../common/clock.js';
import { type Disposable, toDisposable } from '../../common/disposable.js';
import { toError } from '../../common/errors.js';
import { MediaSessionError } from './media-session-error.js';

// One timer for the pacing of every media session on a clock, instead of one per session. Each session keeps its own
// drift-free deadlines (its FramePacer, docs/adr/0045); the scheduler only keeps the sessions in a min-heap by their
// next deadline and arms a single Clock timer for the earliest. When it fires, every session due by then (within the
// early tolerance) runs, in deadline order, and goes back into the heap at its new deadline; then the timer is armed
// for the new earliest. With 500 sessions that is one timer per millisecond or so instead of 25,000 timers a second,
// each a Node `Timeout` object alive for 20 ms that young-generation collections must copy (docs/adr/0058).
//
//   heap (by deadline, then by order of arrival)        one Clock timer ──► at the earliest deadline
//     ┌ A 20.0 ┐                                          fire: take A, B (due by now + tolerance), run them in order,
//     │ B 20.3 │                                                put them back at their next deadlines,
//     └ C 27.1 ┘                                                arm for the new earliest (C)
//
// Phases. Sessions started in the same millisecond (a load test placing calls in a burst, the emulator answering a
// batch) would all be due in the same millisecond of every frame, and their sends would leave in one burst that the
// peer receives at once while the next millisecond has nothing. `spreadStartMs` places a new task's first deadline
// in the least crowded phase of the frame instead, once its own phase is crowded: the frame is cut into
// `phaseSlots` slots (1 ms each by default) and the scheduler counts the tasks whose deadlines fall in each.
//
//   frame (20 ms) │slot 0│slot 1│ … │slot 19│     tasks per slot: a start whose slot holds ≥ crowdedSlotTasks
//   counts        │  9   │  3   │ … │   2   │     moves to the emptiest slot at or after it (≤ one frame later)
//
// A moved task starts up to one frame later than asked; its deadlines stay drift-free on its own grid. Below the
// threshold (a softphone's one call, a test's two sessions) nothing moves (docs/adr/0067).
//
// Timers come only from the injected Clock, so a ManualClock drives the scheduler in tests as it drove the sessions'
// own timers. `FrameScheduler.shared(clock)` gives one scheduler per clock: the process's `systemClock` gets one for
// every session, and each test's ManualClock its own.

/** Something paced on deadlines: a media session's send tick. */
export interface PacedTask {
  /** When the task next wants to run, on the scheduler's clock. Read after each run. */
  readonly nextDeadlineMs: number;
  /** Runs the task. It should not throw; if it does, the error goes to the scheduler's `onError` and pacing goes on. */
  run(): void;
}

export interface FrameSchedulerOptions {
  /** A task due up to this long after the timer fired still runs in that batch. Default 1 ms (the pacer's). */
  readonly earlyToleranceMs?: number;
  /** The period of the tasks, whose phases `spreadStartMs` balances. Default 20 ms (one frame). */
  readonly periodMs?: number;
  /** Phase slots per period. Default 20 (1 ms each: libuv's timer resolution). */
  readonly phaseSlots?: number;
  /** A start whose slot already holds this many tasks moves to a less crowded slot. Default 8. */
  readonly crowdedSlotTasks?: number;
  /** Where an exception from a task goes. Default: a process warning. */
  readonly onError?: (error: unknown) => void;
}

interface HeapEntry {
  readonly task: PacedTask;
  dueMs: number;
  /** Order of arrival: ties run first-come first-served. */
  order: number;
  /** Position in the heap, or −1 when not in it. */
  index: number;
  removed: boolean;
  /** The phase slot counted for the task (its first deadline's). */
  readonly slot: number;
}

const schedulers = new WeakMap<Clock, FrameScheduler>();

function warn(error: unknown): void {
  const detail = toError(error);
  process.emitWarning(detail, { code: 'TRUNKLINE_PACED_TASK_ERROR' });
}

export class FrameScheduler {
  readonly #clock: Clock;
  readonly #earlyToleranceMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #heap: HeapEntry[] = [];
  /** Entries due in the batch being run (reused between batches; a slot is cleared once its task has run). */
  readonly #due: (HeapEntry | undefined)[] = [];
  #nextOrder = 0;
  #timer: TimerHandle | undefined;
  #timerDueMs = Number.POSITIVE_INFINITY;
  readonly #periodMs: number;
  readonly #crowdedSlotTasks: number;
  /** Tasks per phase slot. */
  readonly #slotTasks: Uint32Array;

  constructor(clock: Clock, options: FrameSchedulerOptions = {}) {
    this.#clock = clock;
    this.#earlyToleranceMs = options.earlyToleranceMs ?? 1;
    this.#onError = options.onError ?? warn;
    this.#periodMs = options.periodMs ?? 20;
    this.#crowdedSlotTasks = options.crowdedSlotTasks ?? 8;
    const slots = options.phaseSlots ?? 20;
    if (!(this.#periodMs > 0 && Number.isInteger(slots) && slots >= 1 && this.#crowdedSlotTasks >= 1)) {
      throw new MediaSessionError(
        'MEDIA_INVALID_OPTION',
        'The frame scheduler needs periodMs > 0, a whole phaseSlots ≥ 1 and crowdedSlotTasks ≥ 1.',
      );
    }
    this.#slotTasks = new Uint32Array(slots);
  }

  /** The scheduler shared by everything paced on `clock`. */
  static shared(clock: Clock): FrameScheduler {
    let scheduler = schedulers.get(clock);
    if (scheduler === undefined) {
      scheduler = new FrameScheduler(clock);
      schedulers.set(clock, scheduler);
    }
    return scheduler;
  }

  /** Tasks scheduled now. */
  get size(): number {
    return this.#heap.length;
  }

  /** Tasks counted in each phase slot (diagnostics, tests). */
  get phaseSlotTasks(): readonly number[] {
    return Array.from(this.#slotTasks);
  }

  /**
   * Where a task that wants to start at `startMs` should put its first deadline: `startMs` itself unless its phase
   * slot is crowded, else the first moment at or after it (less than a period later) in the least crowded slot.
   */
  spreadStartMs(startMs: number): number {
    const slots = this.#slotTasks;
    const own = this.#slotOf(startMs);
    if (slots[own] < this.#crowdedSlotTasks) return startMs;
    let best = 0;
    for (let k = 1; k < slots.length; k++) {
      if (slots[(own + k) % slots.length] < slots[(own + best) % slots.length]) best = k;
    }
    return startMs + (best * this.#periodMs) / slots.length;
  }

  /** Schedules `task` at its `nextDeadlineMs`; dispose the result to stop it (also from inside its own run). */
  add(task: PacedTask): Disposable {
    const dueMs = task.nextDeadlineMs;
    const slot = this.#slotOf(dueMs);
    this.#slotTasks[slot]++;
    const entry: HeapEntry = { task, dueMs, order: 0, index: -1, removed: false, slot };
    this.#push(entry);
    this.#arm();
    return toDisposable(() => {
      if (entry.removed) return;
      entry.removed = true;
      this.#slotTasks[entry.slot]--;
      if (entry.index >= 0) this.#removeAt(entry.index);
      if (this.#heap.length === 0) this.#disarm();
    });
  }

  /** The phase slot of a moment: its position within the period, in slots. */
  #slotOf(timeMs: number): number {
    const period = this.#periodMs;
    const slots = this.#slotTasks.length;
    const phase = ((timeMs % period) + period) % period;
    return Math.min(slots - 1, Math.floor((phase * slots) / period));
  }

  #onTimer(): void {
    this.#timer = undefined;
    this.#timerDueMs = Number.POSITIVE_INFINITY;
    const limitMs = this.#clock.now() + this.#earlyToleranceMs;
    const due = this.#due;
    // Taken out first and put back after: a task that stays due (it ran too early by its own reckoning) waits for
    // the next timer instead of running again in this batch. `due` keeps its size between batches (used up to
    // `count`): emptying it by its length would give its storage back to be grown again by the next batch.
    let count = 0;
    while (this.#heap.length > 0 && this.#heap[0].dueMs <= limitMs) due[count++] = this.#pop();
    for (let i = 0; i < count; i++) {
      const entry = due[i]!;
      due[i] = undefined;
      if (entry.removed) continue;
      try {
        entry.task.run();
      } catch (error) {
        this.#onError(error);
      }
      if (entry.removed) continue;
      entry.dueMs = entry.task.nextDeadlineMs;
      this.#push(entry);
    }
    this.#arm();
  }

  /** Arms the timer for the earliest deadline, unless it is armed for that moment or earlier already. */
  #arm(): void {
    const first = this.#heap[0];
    if (first === undefined) return;
    if (this.#timer !== undefined && this.#timerDueMs <= first.dueMs) return;
    this.#disarm();
    this.#timerDueMs = first.dueMs;
    this.#timer = this.#clock.setTimeout(() => this.#onTimer(), first.dueMs - this.#clock.now());
  }

  #disarm(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerDueMs = Number.POSITIVE_INFINITY;
  }

  // ---- binary min-heap on (dueMs, order) ---------------------------------------------------------------------

  #push(entry: HeapEntry): void {
    entry.order = this.#nextOrder++;
    entry.index = this.#heap.length;
    this.#heap.push(entry);
    this.#siftUp(entry.index);
  }

  #pop(): HeapEntry {
    const top = this.#heap[0];
    this.#removeAt(0);
    return top;
  }

  #removeAt(index: number): void {
    const heap = this.#heap;
    const removed = heap[index];
    const last = heap.pop()!;
    removed.index = -1;
    if (last === removed) return;
    heap[index] = last;
    last.index = index;
    this.#siftDown(index);
    this.#siftUp(last.index);
  }

  #siftUp(index: number): void {
    const heap = this.#heap;
    const entry = heap[index];
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex];
      if (!before(entry, parent)) break;
      heap[index] = parent;
      parent.index = index;
      index = parentIndex;
    }
    heap[index] = entry;
    entry.index = index;
  }

  #siftDown(index: number): void {
    const heap = this.#heap;
    const length = heap.length;
    const entry = heap[index];
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && before(heap[right], heap[left]) ? right : left;
      if (!before(heap[child], entry)) break;
      heap[index] = heap[child];
      heap[index].index = index;
      index = child;
    }
    heap[index] = entry;
    entry.index = index;
  }
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.order < b.order);
}
