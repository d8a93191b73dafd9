// Writes the CDRs of ended call legs a moment after they end, so that each record carries its whole ladder: the
// final response or BYE that ended the leg is handed to the socket asynchronously, and its trace record is
// published only then. A Clock timer runs after that — 0 ms with a store on this thread, a few ms with the CDR
// writer thread (`batchWindowMs`, docs/adr/0158) — and commits every leg that ended meanwhile in ONE store
// transaction (docs/adr/0085): under load, one event-loop turn ends dozens of calls, and a commit per call was the
// largest single cost. `flush` writes everything pending at once (the emulator's stop, so a SIGTERM loses
// nothing). Writes go through `CdrRecorder`, which never throws.
//
// A leg ended by the customer's BYE passes an `acknowledge` callback that sends the 200 held back until then: it
// runs once the batch holding the leg's CDR has committed (`recordCallEnds` returned, or the CDR writer thread
// answered, docs/adr/0158), whether the record was written or refused, so that a PBX that saw our 200 will find
// the CDR (docs/adr/0150).
//
//   write(facts, ack?) ─► pending ─► timer / flush ─► recordAll (one transaction) ─► ack() for each
//                                                    (now, or when the thread has committed)

import type { Clock, TimerHandle } from '../../common/clock.js';
import type { CallLegFacts, CdrRecorder, RecordOptions } from '../cdr/index.js';
import type { RecordedCdr } from '../../store/index.js';

interface PendingCdr {
  readonly facts: CallLegFacts;
  readonly options: RecordOptions;
  readonly acknowledge: (() => void) | undefined;
}

export class CdrWriter {
  readonly #recorder: CdrRecorder;
  readonly #clock: Clock;
  readonly #onWritten: (cdr: RecordedCdr) => void;
  readonly #batchWindowMs: number;
  #pending: PendingCdr[] = [];
  #timer: TimerHandle | undefined;
  /** Batches handed to an asynchronous sink and not yet committed. */
  readonly #inFlight = new Set<Promise<void>>();

  /**
   * `onWritten` runs for each record written and must not throw.
   * `batchWindowMs`: how long the first pending leg waits for others to join its batch. 0 (the next turn) suits a
   * store on this thread; the CDR writer thread gets a few milliseconds (docs/adr/0158), because each batch
   * handed to it costs a postMessage and a wake-up of the other thread whatever its size.
   */
  constructor(
    recorder: CdrRecorder,
    clock: Clock,
    onWritten: (cdr: RecordedCdr) => void = () => {},
    batchWindowMs = 0,
  ) {
    this.#recorder = recorder;
    this.#clock = clock;
    this.#onWritten = onWritten;
    this.#batchWindowMs = batchWindowMs;
  }

  /**
   * Records a leg's CDR on the next turn (after its last message is on the wire). `acknowledge` runs after the
   * commit of the batch that holds it, also when the record was refused; it must not throw.
   */
  write(facts: CallLegFacts, options: RecordOptions = {}, acknowledge?: () => void): void {
    this.#pending.push({ facts, options, acknowledge });
    this.#timer ??= this.#clock.setTimeout(this.#flushPending, this.#batchWindowMs);
  }

  /** The batch window's end: writes what is pending (no promise for anyone to wait on). */
  readonly #flushPending = (): void => {
    this.#timer = undefined;
    const pending = this.#pending;
    this.#pending = [];
    if (pending.length > 0) this.#write(pending);
  };

  /**
   * Writes every pending CDR now. With a synchronous store they are committed when this returns; the promise
   * resolves once every batch handed over so far (this one and earlier ones) is committed or refused.
   */
  flush(): Promise<void> {
    this.#clock.clearTimeout(this.#timer);
    this.#flushPending();
    return this.#inFlight.size === 0 ? Promise.resolve() : Promise.all(this.#inFlight).then(() => undefined);
  }

  get pendingCount(): number {
    return this.#pending.length;
  }

  #write(pending: readonly PendingCdr[]): void {
    let written: ReturnType<CdrRecorder['recordAll']>;
    try {
      written = this.#recorder.recordAll(pending);
    } catch (error) {
      this.#committed(pending, []);
      throw error;
    }
    if (!(written instanceof Promise)) return this.#committed(pending, written);
    // recordAll's promise is not meant to reject; if it ever does, the held responses still leave (nothing is known
    // to be written then), so that no PBX waits for its 200 and `flush` — the emulator's stop — still resolves.
    const done: Promise<void> = written
      .then(
        (stored) => this.#committed(pending, stored),
        () => this.#committed(pending, []),
      )
      .finally(() => this.#inFlight.delete(done));
    this.#inFlight.add(done);
  }

  #committed(pending: readonly PendingCdr[], stored: ReadonlyArray<RecordedCdr | undefined>): void {
    try {
      for (const record of stored) {
        if (record) this.#onWritten(record);
      }
    } finally {
      // The calls are over and their records committed or refused: the held responses leave in either case.
      for (const { acknowledge } of pending) acknowledge?.();
    }
  }
}
