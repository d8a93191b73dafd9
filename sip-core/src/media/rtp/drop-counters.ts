// Bad input on the media path is counted and dropped, never thrown (a malformed or forged datagram must not end a
// call). Each stage names its reasons; the counters are what diagnostics show next to the RTP statistics.

/** Counts dropped packets by reason. `R` is the stage's union of reason names. */
export class DropCounters<R extends string> {
  readonly #counts = new Map<R, number>();
  #total = 0;

  /** Records one dropped packet. */
  count(reason: R): void {
    this.#counts.set(reason, (this.#counts.get(reason) ?? 0) + 1);
    this.#total++;
  }

  /** Drops counted for `reason` so far. */
  get(reason: R): number {
    return this.#counts.get(reason) ?? 0;
  }

  /** Drops counted for every reason together. */
  get total(): number {
    return this.#total;
  }

  /** A plain copy of the non-zero counters, for reports and events. */
  snapshot(): Partial<Record<R, number>> {
    return Object.fromEntries(this.#counts) as Partial<Record<R, number>>;
  }
}
