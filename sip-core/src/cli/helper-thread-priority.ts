// The emulator's SIP event loop runs on the process's main thread; everything else the process runs — the CDR writer
// thread (docs/adr/0158), V8's garbage-collection helpers, libuv's file-system pool — can wait. On a machine with
// as few cores as this project's CI (two), those helpers and the PBX under test share the cores with the event
// loop, and the scheduler gave them equal turns: under load the main thread spent 10–20 % of its wall time runnable
// but not running, datagrams queued in the kernel past SIP's T1 and the PBX retransmitted (docs/adr/0165).
//
// `lowerHelperThreadPriority` raises the nice value of every thread of the process but the main one. A higher nice
// value needs no privilege, costs the helpers nothing while a core is free, and only decides who goes first when the
// cores are contended. Threads started afterwards inherit their creator's value (the main thread's: unchanged).
// A helper the event loop's answers wait for — the CDR writer: the 200 to a BYE follows its commit — is named in
// `except` and keeps its value: lowered, it was starved on a saturated machine and the BYEs were retransmitted
// (docs/adr/0166).
//
// Linux only: there a nice value belongs to each thread (setpriority(2) with a thread id), and /proc/self/task lists
// the threads. Elsewhere `setpriority` with a thread id means the whole process, so nothing is changed.

import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';

/** The highest nice value (lowest priority) Linux allows. */
export const MAX_NICENESS = 19;

export type HelperThreadPriority =
  | { readonly supported: false }
  | {
      readonly supported: true;
      readonly niceness: number;
      /** Threads whose nice value was raised to `niceness`. */
      readonly lowered: number;
      /** Threads already at `niceness` or above, left alone. */
      readonly unchanged: number;
      /** The threads named in `except` that exist, left at their value. */
      readonly kept: readonly number[];
      /** Threads that ended while being looked at, or refused the change (reported, not fatal). */
      readonly failed: number;
    };

/** What the function touches, so that a test can stand in for the operating system. */
export interface ThreadPriorityHost {
  readonly platform: NodeJS.Platform;
  /** The main thread's id (on Linux the process id). */
  readonly mainThreadId: number;
  readonly threadIds: () => readonly number[];
  readonly getPriority: (threadId: number) => number;
  readonly setPriority: (threadId: number, niceness: number) => void;
}

const systemHost: ThreadPriorityHost = {
  platform: process.platform,
  mainThreadId: process.pid,
  threadIds: () => readdirSync('/proc/self/task').map(Number),
  getPriority,
  setPriority,
};

export interface LowerHelperThreadPriorityOptions {
  /** Thread ids to leave alone: helpers that the main thread's work waits for. */
  readonly except?: readonly number[];
  readonly host?: ThreadPriorityHost;
}

/**
 * Gives every thread of this process except the main one and those in `except` at least `niceness` (0–19). Call
 * it from the main thread once the helpers exist (after the emulator started). Never throws for a thread that ended
 * or refused.
 */
export function lowerHelperThreadPriority(
  niceness: number,
  options: LowerHelperThreadPriorityOptions = {},
): HelperThreadPriority {
  const host = options.host ?? systemHost;
  const except = new Set(options.except);
  if (!Number.isInteger(niceness) || niceness < 0 || niceness > MAX_NICENESS) {
    throw new RangeError(`a nice value is an integer 0–${MAX_NICENESS}, got ${niceness}`);
  }
  if (host === systemHost && !isMainThread) {
    // From a worker, "every thread but mine" would include the event loop this exists to favour.
    throw new Error('lowerHelperThreadPriority runs on the main thread only');
  }
  if (host.platform !== 'linux') return { supported: false };
  let threadIds: readonly number[];
  try {
    threadIds = host.threadIds();
  } catch {
    // No /proc (a sandbox without it): the scheduler's default order stays.
    return { supported: false };
  }
  let lowered = 0;
  let unchanged = 0;
  let failed = 0;
  const kept: number[] = [];
  for (const threadId of threadIds) {
    if (threadId === host.mainThreadId) continue;
    if (except.has(threadId)) {
      kept.push(threadId);
      continue;
    }
    try {
      if (host.getPriority(threadId) >= niceness) {
        unchanged++;
        continue;
      }
      host.setPriority(threadId, niceness);
      lowered++;
    } catch {
      // ESRCH: the thread ended between the listing and here; EACCES/EPERM: a policy refused it.
      failed++;
    }
  }
  return { supported: true, niceness, lowered, unchanged, kept, failed };
}

/** One line for the banner. */
export function describeHelperThreadPriority(result: HelperThreadPriority): string {
  if (!result.supported) return 'helper threads at the default priority (per-thread nice values need Linux)';
  if (result.niceness === 0) return 'helper threads at the default priority (--helper-nice 0)';
  const failed = result.failed > 0 ? `, ${result.failed} could not be changed` : '';
  const kept =
    result.kept.length === 0
      ? ''
      : `; ${result.kept.length === 1 ? 'the thread' : `${result.kept.length} threads`} it waits for kept with it`;
  return (
    `helper threads at nice ${result.niceness} (${result.lowered + result.unchanged} threads${failed}): ` +
    `the SIP event loop goes first${kept}`
  );
}
