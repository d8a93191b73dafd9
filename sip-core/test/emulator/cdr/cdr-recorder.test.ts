import { describe, expect, it } from 'vitest';
import { TypedEmitter } from '../../../src/common/typed-emitter.js';
import { CdrRecorder, SipTraceCollector } from '../../../src/emulator/cdr/index.js';
import type {
  CdrWrittenEvent,
  EmulatorErrorEvent,
  EmulatorEvents,
} from '../../../src/emulator/emulator-events.js';
import { StoreError, type TrunklineStore } from '../../../src/store/index.js';
import { sipRequest } from '../../support/sip-bytes.js';
import { useStores } from '../../support/store-fixtures.js';
import { answeredFacts, context, manualClockAt } from './cdr-fixtures.js';

function observe(collector: SipTraceCollector, callId: string, method: string, atMs: number): void {
  collector.observe({
    kind: 'message',
    direction: 'received',
    bytes: sipRequest({ method, callId }),
    sequence: atMs,
    wallTimeMs: 1_700_000_000_000 + atMs,
    monotonicTimeMs: atMs,
    transport: 'udp',
    local: { address: '127.0.0.1', port: 5060 },
    remote: { address: '127.0.0.1', port: 5070 },
  });
}

function setUp(store: Pick<TrunklineStore, 'recordCallEnds'>) {
  const events = new TypedEmitter<EmulatorEvents>();
  const written: CdrWrittenEvent[] = [];
  const errors: EmulatorErrorEvent[] = [];
  events.on('cdrWritten', (e) => written.push(e));
  events.on('error', (e) => errors.push(e));
  const collector = new SipTraceCollector();
  const recorder = new CdrRecorder({ store, events, clock: manualClockAt(), context, collector });
  return { recorder, collector, written, errors };
}

describe('CdrRecorder', () => {
  const openStore = useStores();

  it('writes the CDR with the call’s SIP trace and announces it', async () => {
    const store = openStore();
    const { recorder, collector, written, errors } = setUp(store);
    const facts = answeredFacts();
    observe(collector, facts.callId ?? '', 'INVITE', 1);
    observe(collector, 'other@x', 'OPTIONS', 2);
    observe(collector, facts.callId ?? '', 'BYE', 3);
    const cdr = await recorder.record(facts);
    expect(cdr?.call_uuid).toBe(facts.callUuid);
    expect(store.getSipTrace(facts.callUuid)).toHaveLength(2);
    expect(written).toEqual([
      expect.objectContaining({
        callUuid: facts.callUuid,
        hangupCauseCode: 3000,
        hangupCauseName: 'normal_hangup',
        hangupSource: 'carrier',
        billDurationS: 180,
        traceMessages: 2,
      }),
    ]);
    expect(errors).toEqual([]);
    expect(collector.stats.calls).toBe(1);
  });

  it('merges several Call-IDs in time order, and can leave a shared dialog’s messages for a later leg', () => {
    const store = openStore();
    const { recorder, collector } = setUp(store);
    observe(collector, 'primary@x', 'INVITE', 1);
    observe(collector, 'fallback@x', 'INVITE', 5);
    observe(collector, 'primary@x', 'CANCEL', 3);
    void recorder.record(answeredFacts({ direction: 'inbound' }), {
      traceCallIds: ['primary@x', 'fallback@x'],
    });
    const methods = store
      .getSipTrace(answeredFacts().callUuid)
      .map((m) => Buffer.from(m.bytes).toString('latin1').split(' ')[0]);
    expect(methods).toEqual(['INVITE', 'CANCEL', 'INVITE']);

    observe(collector, 'dialog@x', 'REFER', 10);
    void recorder.record(answeredFacts({ callUuid: 'leg-1', callId: 'dialog@x' }), { keepTrace: true });
    void recorder.record(answeredFacts({ callUuid: 'leg-2', callId: 'dialog@x', parentCallUuid: 'leg-1' }));
    expect(store.getSipTrace('leg-1')).toHaveLength(1);
    expect(store.getSipTrace('leg-2')).toHaveLength(1);
    expect(collector.stats.calls).toBe(0);
  });

  it('notes messages the collector left out', async () => {
    const store = openStore();
    const events = new TypedEmitter<EmulatorEvents>();
    const collector = new SipTraceCollector({ maxMessagesPerCall: 2 });
    const recorder = new CdrRecorder({ store, events, clock: manualClockAt(), context, collector });
    const facts = answeredFacts();
    for (let i = 0; i < 5; i++) observe(collector, facts.callId ?? '', 'INFO', i);
    await recorder.record(facts);
    expect(store.getCdr(facts.callUuid)?.extras).toEqual({
      far_end_scenario: 'echo',
      trace_omitted_messages: 3,
    });
  });

  it('turns a store failure into an error event with the store’s code, and never throws', async () => {
    const failing: Pick<TrunklineStore, 'recordCallEnds'> = {
      recordCallEnds: (calls) =>
        calls.map(() => ({
          ok: false,
          error: new StoreError('STORE_DISK_FULL', 'The disk holding /data/trunkline.sqlite3 is full.'),
        })),
    };
    const { recorder, written, errors } = setUp(failing);
    expect(await recorder.record(answeredFacts())).toBeUndefined();
    expect(written).toEqual([]);
    expect(errors).toEqual([
      expect.objectContaining({
        kind: 'cdr-write-failed',
        code: 'STORE_DISK_FULL',
        callUuid: answeredFacts().callUuid,
        message: expect.stringContaining('full') as unknown,
      }),
    ]);
  });

  it('records several legs in one batch, each with its own trace, event or error', async () => {
    const store = openStore();
    const { recorder, collector, written, errors } = setUp(store);
    const first = answeredFacts({ callUuid: 'leg-a', callId: 'a@x' });
    const second = answeredFacts({ callUuid: 'leg-b', callId: 'b@x' });
    observe(collector, 'a@x', 'INVITE', 1);
    observe(collector, 'b@x', 'INVITE', 2);
    observe(collector, 'b@x', 'BYE', 3);
    const bad = answeredFacts({ callUuid: 'bad', cause: { ...answeredFacts().cause, cdrCauseName: '' } });
    const results = await recorder.recordAll([{ facts: first }, { facts: bad }, { facts: second }]);
    expect(results.map((r) => r?.call_uuid)).toEqual(['leg-a', undefined, 'leg-b']);
    expect(store.getSipTrace('leg-a')).toHaveLength(1);
    expect(store.getSipTrace('leg-b')).toHaveLength(2);
    expect(written.map((e) => [e.callUuid, e.traceMessages])).toEqual([
      ['leg-a', 1],
      ['leg-b', 2],
    ]);
    expect(errors.map((e) => [e.callUuid, e.code])).toEqual([['bad', 'STORE_INVALID_RECORD']]);
  });

  it('reports a closed store, a duplicate and an invalid record the same way', () => {
    const store = openStore();
    const { recorder, errors } = setUp(store);
    void recorder.record(answeredFacts());
    void recorder.record(answeredFacts());
    void recorder.record(
      answeredFacts({ callUuid: 'bad', cause: { ...answeredFacts().cause, cdrCauseName: '' } }),
    );
    store.close();
    void recorder.record(answeredFacts({ callUuid: 'late' }));
    expect(errors.map((e) => e.code)).toEqual(['STORE_DUPLICATE', 'STORE_INVALID_RECORD', 'STORE_CLOSED']);
  });
});
