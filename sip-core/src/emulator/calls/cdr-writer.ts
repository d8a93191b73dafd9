// Writes the CDRs of ended call legs a moment after they end, so that each record carries its whole ladder: the
// final response or BYE that ended the leg is handed to the socket asynchronously, and its trace record is
// published only then. A 0 ms Clock timer runs after that and commits every leg that ended meanwhile in ONE
// store transaction (docs/adr/0085): under load, one event-loop turn ends dozens of calls, and a commit per call
// was the largest single cost. A leg's CDR is therefore committed on the event loop's next turn after its last
// message left, exactly as before batching; `flush` writes everything pending at once (the emulator's stop, so a
// SIGTERM loses nothing). Writes go through `CdrRecorder`, which never throws.
//
// A leg ended by the customer's BYE passes an `acknowledge` callback that sends the 200 held back until then: it
// runs once the batch holding the leg's CDR has committed (`recordCallEnds` returned), whether the record was
// written or refused, so that a PBX that saw our 200 will find the CDR (docs/adr/0150).
//
//   write(facts, ack?) ─► pending ─► 0 ms timer / flush ─► recordAll (one transaction) ─► ack() for each

import type { Clock, TimerHandle } from '../../common/clock.js';
import type { CallLegFacts, CdrRecorder, RecordOptions } from '../cdr/index.js';
import type { CallDetailRecord } from '../../store/index.js';

interface PendingCdr {
  readonly facts: CallLegFacts;
  readonly options: RecordOptions;
  readonly acknowledge: (() => void) | undefined;
}

export class CdrWriter {
  readonly #recorder: CdrRecorder;
  readonly #clock: Clock;
  readonly #onWritten: (cdr: CallDetailRecord) => void;
  #pending: PendingCdr[] = [];
  #timer: TimerHandle | undefined;

  constructor(recorder: CdrRecorder, clock: Clock, onWritten: (cdr: CallDetailRecord) => void = () => {}) {
    this.#recorder = recorder;
    this.#clock = clock;
    this.#onWritten = onWritten;
  }

  /**
   * Records a leg's CDR on the next turn (after its last message is on the wire). `acknowledge` runs after the
   * commit of the batch that holds it, also when the record was refused; it must not throw.
   */
  write(facts: CallLegFacts, options: RecordOptions = {}, acknowledge?: () => void): void {
    this.#pending.push({ facts, options, acknowledge });
    this.#timer ??= this.#clock.setTimeout(() => this.flush(), 0);
  }

  /** Writes every pending CDR now. */
  flush(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    const pending = this.#pending;
    this.#pending = [];
    if (pending.length === 0) return;
    try {
      for (const stored of this.#recorder.recordAll(pending)) {
        if (stored) this.#onWritten(stored);
      }
    } finally {
      // The calls are over and their records committed or refused: the held responses leave in either case.
      for (const { acknowledge } of pending) acknowledge?.();
    }
  }

  get pendingCount(): number {
    return this.#pending.length;
  }
}
