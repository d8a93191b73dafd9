// The send clock of a media session, as arithmetic: which 20 ms frames are due at a given time, and when the next
// one is. Deadlines are computed from the session's start (frame n is due at startMs + n · frameMs), never by adding
// an interval to the previous tick, so timer lateness never accumulates into drift: a tick that fires 3 ms late is
// followed by one aimed at the original grid.
//
// Late ticks. Node's timers fire late under load (GC, a busy event loop, a loaded machine). The policy:
//
//   behind by ≤ maxCatchUpFrames   send every due frame now (a short burst); the receiver's jitter buffer absorbs it
//                                  and the stream stays complete
//   behind by more                 skip the older frames and send only the newest: they would arrive too late to be
//                                  played, and a burst of them would overflow the peer's jitter buffer. Skipped frames
//                                  still consume their RTP timestamps (the timestamp keeps tracking real time, like
//                                  silence suppression) but no sequence numbers, so the peer sees no loss.
//
// A tick that fires up to `earlyToleranceMs` before a deadline sends that frame: libuv compares timers against a
// loop time cached at the start of the iteration, so a timer may run a fraction of a millisecond "early", and
// re-arming for the remainder would make that frame a full timer period late instead.
//
// The pacer also measures itself: lateness of each frame against its deadline and the deviation of each
// send interval from the frame period, for the benchmark's p99 and the session statistics.

export interface FramePacerOptions {
  /** When frame 0 is due, on the session's monotonic clock. */
  readonly startMs: number;
  /** The frame period. Default 20 ms. */
  readonly frameMs?: number;
  /** Frames a late tick may catch up before older frames are skipped. Default 3 (60 ms). */
  readonly maxCatchUpFrames?: number;
  /** How early a tick may send a frame. Default 1 ms. */
  readonly earlyToleranceMs?: number;
}

/** The frames a tick must handle. */
export interface DueFrames {
  /** First frame index due now (inclusive). */
  readonly first: number;
  /** Frames due now: indices `first` … `first + count − 1`. */
  readonly count: number;
  /** How many of the first ones are skipped (not sent) by the late-tick policy. */
  readonly skipped: number;
}

/** Interval deviation histogram: 0.5 ms buckets up to 50 ms, the last bucket holds everything above. */
export const DEVIATION_BUCKET_MS = 0.5;
const HISTOGRAM_BUCKETS = 101;

/**
 * The `quantile` of a deviation histogram (bucket upper bounds, ms). Histograms subtract bucket by bucket, so the
 * percentile of a time window is that of the difference of two snapshots.
 */
export function deviationPercentileMs(histogram: ArrayLike<number>, quantile: number): number {
  let total = 0;
  for (let bucket = 0; bucket < histogram.length; bucket++) total += histogram[bucket];
  if (total === 0) return 0;
  const rank = Math.ceil(quantile * total);
  let seen = 0;
  for (let bucket = 0; bucket < histogram.length; bucket++) {
    seen += histogram[bucket];
    if (seen >= rank) return (bucket + 1) * DEVIATION_BUCKET_MS;
  }
  return histogram.length * DEVIATION_BUCKET_MS;
}

export interface PacingStats {
  /** Frames handled (sent, muted or skipped). */
  readonly frames: number;
  /** Frames skipped by the late-tick policy. */
  readonly skipped: number;
  /** Ticks that handled more than one frame. */
  readonly catchUps: number;
  /** Largest lateness of a tick against its first due deadline, ms. */
  readonly maxLatenessMs: number;
  /** 99th percentile of |send interval − frame period| over all frames handled, ms (bucketed to 0.5 ms). */
  readonly p99IntervalDeviationMs: number;
  /** The deviations counted in 0.5 ms buckets (the last one: 50 ms and more). */
  readonly intervalDeviationHistogram: readonly number[];
}

export class FramePacer {
  readonly startMs: number;
  readonly frameMs: number;
  readonly #maxCatchUpFrames: number;
  readonly #earlyToleranceMs: number;
  #next = 0;
  #skipped = 0;
  #catchUps = 0;
  #maxLatenessMs = 0;
  #lastTickMs: number | undefined;
  readonly #deviationHistogram = new Uint32Array(HISTOGRAM_BUCKETS);
  /** What `take` returns: one object per pacer, rewritten by each take (a session takes 50 times a second). */
  readonly #due = { first: 0, count: 0, skipped: 0 };

  constructor(options: FramePacerOptions) {
    this.startMs = options.startMs;
    this.frameMs = options.frameMs ?? 20;
    this.#maxCatchUpFrames = options.maxCatchUpFrames ?? 3;
    this.#earlyToleranceMs = options.earlyToleranceMs ?? 1;
  }

  /** The deadline of frame `index`. */
  deadlineMs(index: number): number {
    return this.startMs + index * this.frameMs;
  }

  /** The next frame not yet handled. */
  get nextFrame(): number {
    return this.#next;
  }

  /** When the next tick should fire. */
  get nextDeadlineMs(): number {
    return this.deadlineMs(this.#next);
  }

  /**
   * The frames due at `nowMs`, marked as handled. `count` is 0 when the tick came too early. The result is the
   * pacer's own object, rewritten by the next `take`: read it before taking again (a tick allocates nothing).
   */
  take(nowMs: number): DueFrames {
    const due = this.#due;
    const first = this.#next;
    const lastDue = Math.floor((nowMs + this.#earlyToleranceMs - this.startMs) / this.frameMs);
    const count = Math.max(0, lastDue - first + 1);
    due.first = first;
    due.count = count;
    due.skipped = 0;
    if (count === 0) return due;
    this.#next = first + count;
    const skipped = count > this.#maxCatchUpFrames + 1 ? count - 1 : 0;
    due.skipped = skipped;
    this.#skipped += skipped;
    if (count > 1) this.#catchUps++;
    this.#maxLatenessMs = Math.max(this.#maxLatenessMs, nowMs - this.deadlineMs(first));
    this.#recordIntervals(nowMs, count);
    return due;
  }

  get stats(): PacingStats {
    return {
      frames: this.#next,
      skipped: this.#skipped,
      catchUps: this.#catchUps,
      maxLatenessMs: this.#maxLatenessMs,
      p99IntervalDeviationMs: deviationPercentileMs(this.#deviationHistogram, 0.99),
      intervalDeviationHistogram: Array.from(this.#deviationHistogram),
    };
  }

  // Each frame handled by this tick was sent `nowMs − previous tick` after the one before it (the first) or at once
  // (the rest of a catch-up burst); the deviation is how far that is from one frame period.
  #recordIntervals(nowMs: number, count: number): void {
    if (this.#lastTickMs !== undefined) {
      this.#addDeviation(Math.abs(nowMs - this.#lastTickMs - this.frameMs));
      for (let i = 1; i < count; i++) this.#addDeviation(this.frameMs);
    }
    this.#lastTickMs = nowMs;
  }

  #addDeviation(deviationMs: number): void {
    const bucket = Math.min(HISTOGRAM_BUCKETS - 1, Math.floor(deviationMs / DEVIATION_BUCKET_MS));
    this.#deviationHistogram[bucket]++;
  }
}
