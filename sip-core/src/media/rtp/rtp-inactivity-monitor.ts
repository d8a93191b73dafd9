// "No RTP for N ms" (Zentrunk hangs up with 3020 rtp_timeout after 60 s, BEHAVIOUR.md §6 and §20). The monitor
// only does arithmetic on times it is given; the media session asks it for the deadline and arms one Clock timer,
// so no timer lives here and tests need no clock at all.

export class RtpInactivityMonitor {
  readonly timeoutMs: number;
  #lastActivityMs: number;

  /** `startMs` is when waiting began (the answer), so a call that never gets a packet also times out. */
  constructor(timeoutMs: number, startMs: number) {
    if (!(timeoutMs > 0)) {
      throw new RangeError(`the RTP inactivity timeout must be positive, got ${timeoutMs}`);
    }
    this.timeoutMs = timeoutMs;
    this.#lastActivityMs = startMs;
  }

  /** Records media at `atMs`; out-of-order times never move the mark backwards. */
  noteActivity(atMs: number): void {
    if (atMs > this.#lastActivityMs) this.#lastActivityMs = atMs;
  }

  /** Restarts the wait (resume after hold, a re-INVITE that moved the media). */
  reset(atMs: number): void {
    this.#lastActivityMs = atMs;
  }

  get lastActivityMs(): number {
    return this.#lastActivityMs;
  }

  /** When the stream counts as inactive if nothing arrives before. */
  get deadlineMs(): number {
    return this.#lastActivityMs + this.timeoutMs;
  }

  /** Milliseconds without media at `nowMs`. */
  silentForMs(nowMs: number): number {
    return Math.max(0, nowMs - this.#lastActivityMs);
  }

  isInactive(nowMs: number): boolean {
    return nowMs >= this.deadlineMs;
  }
}
