// A queue between two clocks that run at (nearly) the same rate keeps whatever level a burst left it at: frames go
// in at one rate and out at the same rate, so a queue that only drops when full settles full, and every frame held
// is 20 ms of delay for good (docs/adr/0141, re-measured in 0147). What a queue must keep is what absorbs jitter
// and the phase between the clocks; the rest is a standing queue — the level that stays in it all the time, i.e.
// its minimum over a while (RFC 8289, CoDel, §3 makes the same distinction for network queues).
//
// This watches the level a reader finds before each read. At the end of every window of `windowReads` reads it
// says how far the window's minimum stayed above `targetFrames`; the owner drops that many of its oldest frames.
// A burst is absorbed (it lifts the level for a few reads, not the minimum of the window), drift towards the
// reader shows up as underruns the owner already handles (silence), and drift towards the writer is trimmed a
// frame at a time, once per window. A pure processor: counting only, no clock.

export interface StandingQueueTrimmerOptions {
  /** Frames the reader should find before a read, at least. Default 1 (the frame it is about to read). */
  readonly targetFrames?: number;
  /** Reads per window. Default 25 (0.5 s of 20 ms frames). */
  readonly windowReads?: number;
}

export class StandingQueueTrimmer {
  readonly targetFrames: number;
  readonly #windowReads: number;
  #reads = 0;
  #minimum = Number.POSITIVE_INFINITY;

  constructor(options: StandingQueueTrimmerOptions = {}) {
    this.targetFrames = options.targetFrames ?? 1;
    this.#windowReads = options.windowReads ?? 25;
    if (!(Number.isInteger(this.targetFrames) && this.targetFrames >= 0 && this.#windowReads >= 1)) {
      throw new RangeError('A standing queue trimmer needs targetFrames ≥ 0 and windowReads ≥ 1.');
    }
  }

  /** Notes the level found before a read; returns the frames to drop now (non-zero only at a window's end). */
  beforeRead(levelFrames: number): number {
    if (levelFrames < this.#minimum) this.#minimum = levelFrames;
    if (++this.#reads < this.#windowReads) return 0;
    const excess = Math.max(0, this.#minimum - this.targetFrames);
    this.reset();
    return excess;
  }

  /** Starts a new window (the queue was emptied or restarted). */
  reset(): void {
    this.#reads = 0;
    this.#minimum = Number.POSITIVE_INFINITY;
  }
}
