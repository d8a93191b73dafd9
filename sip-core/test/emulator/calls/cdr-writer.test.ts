// The CdrWriter's acknowledgement (docs/adr/0150): the response held back for a leg (the 200 to the customer's
// BYE) is released only after the batch holding the leg's CDR has committed, and also when the record was
// refused. A real store on a file in a temporary folder, a ManualClock for the batch timer; and the same with the
// CDR writer thread (docs/adr/0158), whose answer arrives later, on the event loop.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TypedEmitter } from '../../../src/common/typed-emitter.js';
import { CdrWriter } from '../../../src/emulator/calls/cdr-writer.js';
import { CdrRecorder, SipTraceCollector, type CdrSink } from '../../../src/emulator/cdr/index.js';
import type { EmulatorErrorEvent, EmulatorEvents } from '../../../src/emulator/emulator-events.js';
import { CdrWriteThread, TrunklineStore } from '../../../src/store/index.js';
import { useTempDirs } from '../../support/store-fixtures.js';
import { answeredFacts, context, manualClockAt } from '../cdr/cdr-fixtures.js';

const tempDir = useTempDirs();
const stores: TrunklineStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** A writer over a real store whose `recordCallEnds` notes 'committed <uuid>' in `log` once it has returned. */
function setUp() {
  const clock = manualClockAt();
  const store = TrunklineStore.open({ path: join(tempDir(), 'trunkline.sqlite3') });
  stores.push(store);
  const log: string[] = [];
  const loggingStore = {
    recordCallEnds: (calls: Parameters<TrunklineStore['recordCallEnds']>[0]) => {
      const results = store.recordCallEnds(calls);
      results.forEach((result, i) =>
        log.push(`${result.ok ? 'committed' : 'refused'} ${calls[i].cdr.call_uuid}`),
      );
      return results;
    },
  };
  const { recorder, errors } = recorderOver(loggingStore, clock);
  return { clock, store, log, errors, writer: new CdrWriter(recorder, clock) };
}

/** A recorder writing to `sink`, with the error and cdrWritten events it emits collected. */
function recorderOver(sink: CdrSink, clock: ReturnType<typeof manualClockAt>) {
  const events = new TypedEmitter<EmulatorEvents>();
  const errors: EmulatorErrorEvent[] = [];
  const written: string[] = [];
  events.on('error', (e) => errors.push(e));
  events.on('cdrWritten', (e) => written.push(e.callUuid));
  const recorder = new CdrRecorder({
    store: sink,
    events,
    clock,
    context,
    collector: new SipTraceCollector(),
  });
  return { recorder, errors, written };
}

const uuid = (n: number) => `c0ffee00-0000-4000-8000-00000000000${n}`;

describe('CdrWriter — acknowledged ⇒ committed', () => {
  it('releases a leg’s held response only after recordCallEnds returned for its batch', () => {
    const { clock, store, log, writer } = setUp();
    writer.write(answeredFacts({ callUuid: uuid(1), callId: 'one@pbx' }), {}, () =>
      log.push(`sent ${uuid(1)}`),
    );
    writer.write(answeredFacts({ callUuid: uuid(2), callId: 'two@pbx' }));
    writer.write(answeredFacts({ callUuid: uuid(3), callId: 'three@pbx' }), {}, () => {
      log.push(`sent ${uuid(3)}`);
      // What a PBX seeing the 200 would find: the row, already readable.
      expect(store.getCdr(uuid(3))?.call_uuid).toBe(uuid(3));
    });
    expect(log).toEqual([]);
    clock.advance(0);
    expect(log).toEqual([
      `committed ${uuid(1)}`,
      `committed ${uuid(2)}`,
      `committed ${uuid(3)}`,
      `sent ${uuid(1)}`,
      `sent ${uuid(3)}`,
    ]);
  });

  it('releases it when the record is refused (the call is over either way), with the error event', () => {
    const { clock, log, errors, writer } = setUp();
    writer.write(answeredFacts({ callUuid: uuid(1), callId: 'one@pbx' }));
    clock.advance(0);
    // The same call_uuid again: the store refuses the second record.
    writer.write(answeredFacts({ callUuid: uuid(1), callId: 'again@pbx' }), {}, () => log.push('sent'));
    clock.advance(0);
    expect(log).toEqual([`committed ${uuid(1)}`, `refused ${uuid(1)}`, 'sent']);
    expect(errors).toEqual([
      expect.objectContaining({ kind: 'cdr-write-failed', code: 'STORE_DUPLICATE', callUuid: uuid(1) }),
    ]);
  });

  it('releases it when the store is closed and refuses the whole batch', () => {
    const { clock, store, log, errors, writer } = setUp();
    store.close();
    writer.write(answeredFacts({ callUuid: uuid(1) }), {}, () => log.push('sent'));
    clock.advance(0);
    expect(log).toEqual(['sent']);
    expect(errors).toEqual([
      expect.objectContaining({ kind: 'cdr-write-failed', code: 'STORE_CLOSED', callUuid: uuid(1) }),
    ]);
  });

  it('flush (the emulator’s stop) commits and releases at once, without the timer', () => {
    const { clock, log, writer } = setUp();
    writer.write(answeredFacts({ callUuid: uuid(1) }), {}, () => log.push('sent'));
    void writer.flush();
    expect(log).toEqual([`committed ${uuid(1)}`, 'sent']);
    expect(clock.pendingTimers).toBe(0);
    expect(writer.pendingCount).toBe(0);
  });
});

describe('CdrWriter with the CDR writer thread', () => {
  const threads: CdrWriteThread[] = [];
  afterEach(async () => {
    for (const thread of threads.splice(0)) await thread.close();
  });

  /** A store on a file, and the writer thread on the same file (closed at once with `closed`). */
  async function threadSetUp(options: { closed?: boolean } = {}) {
    const clock = manualClockAt();
    const store = TrunklineStore.open({ path: join(tempDir(), 'trunkline.sqlite3') });
    stores.push(store);
    const thread = await CdrWriteThread.start({ path: store.path });
    threads.push(thread);
    if (options.closed === true) await thread.close();
    return { clock, store, ...recorderOver(thread, clock) };
  }

  it('holds the batch for its window, releases the response only once the thread committed, flush awaits it', async () => {
    const { clock, store, recorder, written } = await threadSetUp();
    const credited: string[] = [];
    const writer = new CdrWriter(recorder, clock, (cdr) => credited.push(cdr.total_amount), 10);
    const sent: boolean[] = [];
    const inStore = (n: number) => store.getCdr(uuid(n)) !== undefined;

    writer.write(answeredFacts({ callUuid: uuid(1), callId: 'one@pbx' }), {}, () => sent.push(inStore(1)));
    writer.write(answeredFacts({ callUuid: uuid(2), callId: 'two@pbx' }), {}, () => sent.push(inStore(2)));
    clock.advance(9);
    expect(writer.pendingCount).toBe(2);
    clock.advance(1);
    expect(writer.pendingCount).toBe(0);
    expect(sent).toEqual([]); // posted, not yet answered
    await writer.flush();

    expect(sent).toEqual([true, true]);
    expect(written).toEqual([uuid(1), uuid(2)]);
    expect(credited).toEqual([store.getCdr(uuid(1))?.total_amount, store.getCdr(uuid(2))?.total_amount]);
  });

  it('releases the response and reports the error when the thread is gone', async () => {
    const { clock, recorder, errors } = await threadSetUp({ closed: true });
    const writer = new CdrWriter(recorder, clock, () => {}, 10);
    const sent: string[] = [];

    writer.write(answeredFacts({ callUuid: uuid(1) }), {}, () => sent.push('sent'));
    await writer.flush();

    expect(sent).toEqual(['sent']);
    expect(errors).toEqual([
      expect.objectContaining({ kind: 'cdr-write-failed', code: 'STORE_CLOSED', callUuid: uuid(1) }),
    ]);
  });

  it('still releases the responses, and flush still resolves, if the recorder’s promise ever rejects', async () => {
    const clock = manualClockAt();
    const { recorder } = recorderOver({ recordCallEnds: () => [] }, clock);
    recorder.recordAll = () => Promise.reject(new Error('unexpected'));
    const writer = new CdrWriter(recorder, clock, () => {}, 10);
    const sent: string[] = [];

    writer.write(answeredFacts({ callUuid: uuid(1) }), {}, () => sent.push('sent'));
    await writer.flush();

    expect(sent).toEqual(['sent']);
  });
});
