// The only place in sip-core that creates timers. Every layer receives a `Clock` instead of calling
// `setTimeout` directly (a lint rule forbids it elsewhere), so that SIP transaction timers, media pacing and
// policy windows run on a `ManualClock` in tests: seconds of Timer B or a 60 s RTP timeout take microseconds.

declare const timerBrand: unique symbol;

/** An opaque handle returned by `Clock.setTimeout`. */
export interface TimerHandle {
  readonly [timerBrand]: true;
}

export interface TimerOptions {
  /** When true the timer does not keep the Node process alive on its own (servers' housekeeping timers). */
  unref?: boolean;
}

export interface Clock {
  /** Milliseconds on a monotonic scale with sub-millisecond resolution: for durations and timer arithmetic. */
  now(): number;
  /** Milliseconds since the Unix epoch: for timestamps written to files or shown to users (CDRs, PCAP). */
  wallNow(): number;
  /** Calls `callback` once after `delayMs` (clamped to ≥ 0). */
  setTimeout(callback: () => void, delayMs: number, options?: TimerOptions): TimerHandle;
  /** Cancels a pending timer; unknown, fired or undefined handles are ignored. */
  clearTimeout(handle: TimerHandle | undefined): void;
}

/** The real clock: `performance.now()` and Node's timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout(callback, delayMs, options) {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    if (options?.unref) timer.unref();
    return timer as unknown as TimerHandle;
  },
  clearTimeout(handle) {
    if (handle !== undefined) clearTimeout(handle as unknown as NodeJS.Timeout);
  },
};

/**
 * Runs `callback` once this turn of the event loop has handled its I/O (Node's check phase, `setImmediate`). Not a
 * timer: no time passes and no Clock is involved, so a ManualClock does not hold it back. It lets work that is
 * cheaper together be done together: a UDP socket hands its turn's datagrams to the kernel in one burst
 * (docs/adr/0161).
 */
export function atEndOfTurn(callback: () => void): void {
  setImmediate(callback);
}
