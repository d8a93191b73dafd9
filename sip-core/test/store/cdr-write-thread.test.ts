import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CdrWriteThread, recordOnConnection } from '../../src/store/cdr-write-thread.js';
import { decodeCallEnds, encodeCallEnds } from '../../src/store/cdr-write-wire.js';
import type { StoredSipMessage } from '../../src/store/sip-trace-codec.js';
import { StoreError } from '../../src/store/store-error.js';
import { TrunklineStore } from '../../src/store/trunkline-store.js';
import { makeCdr, makeTrace } from '../support/cdr-factory.js';
import { useTempDirs } from '../support/store-fixtures.js';

describe('the CDR batch on the wire between the threads', () => {
  it('decodes to the same calls: records, message metadata and bytes, in order', () => {
    const calls = [
      { cdr: makeCdr(1), trace: makeTrace(1, 3) },
      { cdr: makeCdr(2) },
      { cdr: makeCdr(3), trace: makeTrace(3, 6, 900) }, // the last two over TCP, with a connection id
    ];
    const decoded = decodeCallEnds(encodeCallEnds(calls));
    expect(decoded).toHaveLength(3);
    expect(decoded.map((c) => c.cdr)).toEqual(calls.map((c) => c.cdr));
    expect(decoded[1]?.trace).toEqual([]);
    for (const [i, call] of calls.entries()) {
      const got = decoded[i]?.trace ?? [];
      expect(
        got.map(({ bytes, ...rest }) => ({ ...rest, text: Buffer.from(bytes).toString('latin1') })),
      ).toEqual(
        (call.trace ?? []).map(({ bytes, ...rest }) => ({
          ...rest,
          text: Buffer.from(bytes).toString('latin1'),
        })),
      );
    }
  });

  it('refuses message lengths past the end of the bytes', () => {
    const batch = encodeCallEnds([{ cdr: makeCdr(1), trace: makeTrace(1, 2) }]);
    expect(() => decodeCallEnds({ text: batch.text, bytes: batch.bytes.slice(0, 10) })).toThrow(RangeError);
    expect(() => decodeCallEnds({ text: batch.text, bytes: batch.bytes.slice(0, 200) })).toThrow(
      /bytes past/,
    );
  });

  it('refuses a string index outside the batch’s table', () => {
    const batch = encodeCallEnds([{ cdr: makeCdr(1), trace: makeTrace(1, 1) }]);
    const [strings, calls] = JSON.parse(batch.text) as [string[], unknown];
    const text = JSON.stringify([strings.slice(0, 1), calls]);
    expect(() => decodeCallEnds({ text, bytes: batch.bytes })).toThrow(/not in the batch’s table/);
  });

  it('carries values the store refuses as they are, so that its checks still see them', () => {
    const [message] = makeTrace(1, 1);
    const odd = {
      ...message,
      wallTimeMs: Number.NaN,
      transport: 'sctp',
      local: { address: '127.0.0.1', port: 70_000 },
    } as unknown as StoredSipMessage;
    const [decoded] = decodeCallEnds(encodeCallEnds([{ cdr: makeCdr(1), trace: [odd] }]));
    const [got] = decoded?.trace ?? [];
    expect(got?.wallTimeMs).toBeNaN();
    expect(got?.transport).toBe('sctp');
    expect(got?.local.port).toBe(70_000);
  });
});

describe('CdrWriteThread', () => {
  const tempDir = useTempDirs();
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function open(): Promise<{ store: TrunklineStore; thread: CdrWriteThread }> {
    const store = TrunklineStore.open({ path: join(tempDir(), 'trunkline.sqlite3') });
    cleanup.push(() => store.close());
    const thread = await CdrWriteThread.start({ path: store.path });
    cleanup.push(() => thread.close());
    return { store, thread };
  }

  it('commits a batch on its own connection: records and traces are readable here once it resolves', async () => {
    const { store, thread } = await open();
    const results = await thread.recordCallEnds([
      { cdr: makeCdr(1), trace: makeTrace(1, 7) },
      { cdr: makeCdr(2, { bill_duration: -1 }) },
      { cdr: makeCdr(3) },
    ]);

    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    const first = results[0];
    expect(first?.ok && first.cdr.call_uuid).toBe(makeCdr(1).call_uuid);
    expect(first?.ok && first.cdr.total_amount).toBe(
      store.getCdr(String(makeCdr(1).call_uuid))?.total_amount,
    );
    const refused = results[1];
    expect(refused?.ok === false && refused.error).toBeInstanceOf(StoreError);
    expect(refused?.ok === false && refused.error.code).toBe('STORE_INVALID_RECORD');
    expect(refused?.ok === false && refused.error.message).toContain('bill_duration');
    expect(store.getCdr(String(makeCdr(1).call_uuid))?.call_id).toBe(makeCdr(1).call_id);
    expect(store.getSipTrace(String(makeCdr(1).call_uuid))).toHaveLength(7);
    expect(store.getCdr(String(makeCdr(3).call_uuid))).toBeDefined();
  });

  it('answers batches in order, and close() lets every posted batch commit first', async () => {
    const { store, thread } = await open();
    const answers = Array.from({ length: 20 }, (_, i) =>
      thread.recordCallEnds([{ cdr: makeCdr(i + 10), trace: makeTrace(i + 10, 2) }]),
    );
    const order: number[] = [];
    answers.forEach((answer, i) => void answer.then(() => order.push(i)));
    await thread.close();

    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(store.listCdrs({ limit: 100 }).meta.total_count).toBe(20);
  });

  it('knows its thread’s id as the kernel does: one of this process’s threads, not the main one', async () => {
    const { thread } = await open();
    if (process.platform !== 'linux') {
      expect(thread.osThreadId).toBeUndefined();
      return;
    }
    const id = thread.osThreadId;
    expect(id).toBeTypeOf('number');
    expect(id).not.toBe(process.pid);
    expect(readdirSync('/proc/self/task').map(Number)).toContain(id);
    await thread.close();
    // The thread ended with close(): its id is gone from the process.
    expect(readdirSync('/proc/self/task').map(Number)).not.toContain(id);
  });

  it('refuses batches after close with STORE_CLOSED', async () => {
    const { thread } = await open();
    await thread.close();
    await expect(thread.recordCallEnds([{ cdr: makeCdr(1) }])).rejects.toMatchObject({
      code: 'STORE_CLOSED',
    });
    await thread.close(); // idempotent
  });

  it('reports a duplicate call as that call’s own failure', async () => {
    const { thread } = await open();
    await thread.recordCallEnds([{ cdr: makeCdr(1) }]);
    const [again, other] = await thread.recordCallEnds([{ cdr: makeCdr(1) }, { cdr: makeCdr(2) }]);
    expect(again?.ok === false && again.error.code).toBe('STORE_DUPLICATE');
    expect(other?.ok).toBe(true);
  });

  it('fails to start on a file that is not a database, with the store’s error, and leaves no thread', async () => {
    const path = join(tempDir(), 'not-a-database.sqlite3');
    writeFileSync(path, 'this is not SQLite '.repeat(100));
    const started = CdrWriteThread.start({ path });
    await expect(started).rejects.toBeInstanceOf(StoreError);
    await expect(started).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });
});

describe('CdrWriteThread when the thread dies', () => {
  const tempDir = useTempDirs();
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function open(withFallback: boolean) {
    const store = TrunklineStore.open({ path: join(tempDir(), 'trunkline.sqlite3') });
    cleanup.push(() => store.close());
    const reported: StoreError[] = [];
    const thread = await CdrWriteThread.start({
      path: store.path,
      ...(withFallback ? { fallback: store, onFallback: (error: StoreError) => reported.push(error) } : {}),
    });
    cleanup.push(() => thread.close());
    return { store, thread, reported };
  }

  it('writes the batches in flight and every later one on the fallback connection, and says so once', async () => {
    const { store, thread, reported } = await open(true);
    await thread.recordCallEnds([{ cdr: makeCdr(1), trace: makeTrace(1, 3) }]);
    // Posted, then the thread dies before (or after) it commits them: each is written exactly once either way.
    const inFlight = Array.from({ length: 10 }, (_, i) =>
      thread.recordCallEnds([{ cdr: makeCdr(i + 2), trace: makeTrace(i + 2, 2) }]),
    );
    await thread.killForTest();
    const answered = await Promise.all(inFlight);
    expect(answered.flat().map((r) => r.ok)).toEqual(Array.from({ length: 10 }, () => true));
    expect(answered.flat().map((r) => r.ok && r.cdr.call_uuid)).toEqual(
      Array.from({ length: 10 }, (_, i) => makeCdr(i + 2).call_uuid),
    );
    expect(thread.fellBack).toBe(true);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(StoreError);

    const later = await thread.recordCallEnds([
      { cdr: makeCdr(20), trace: makeTrace(20, 4) },
      { cdr: makeCdr(1) },
    ]);
    expect(later[0]?.ok).toBe(true);
    // Not a retry: a call recorded earlier is still a duplicate.
    expect(later[1]?.ok === false && later[1].error.code).toBe('STORE_DUPLICATE');
    expect(store.listCdrs({ limit: 100 }).meta.total_count).toBe(12);
    expect(store.getSipTrace(String(makeCdr(20).call_uuid))).toHaveLength(4);
    expect(reported).toHaveLength(1);
    await thread.close();
  });

  it('a retried call the store has already (the thread committed it before it died) is reported as written', () => {
    const store = TrunklineStore.open({ path: join(tempDir(), 'trunkline.sqlite3') });
    cleanup.push(() => store.close());
    store.recordCallEnd(makeCdr(5), makeTrace(5, 2));
    const batch = [{ cdr: makeCdr(5), trace: makeTrace(5, 2) }, { cdr: makeCdr(6) }];

    const retried = recordOnConnection(store, batch, {}, true);
    expect(retried.map((r) => r.ok && r.cdr.call_uuid)).toEqual([makeCdr(5).call_uuid, makeCdr(6).call_uuid]);
    // A first attempt is not a retry: the duplicate stays the call's own failure.
    const first = recordOnConnection(store, [{ cdr: makeCdr(6) }], {}, false);
    expect(first[0]?.ok === false && first[0].error.code).toBe('STORE_DUPLICATE');
    expect(store.listCdrs({ limit: 10 }).meta.total_count).toBe(2);
  });

  it('without a fallback, refuses later batches with the thread’s end; one in flight is answered or refused', async () => {
    const { thread } = await open(false);
    const inFlight = thread.recordCallEnds([{ cdr: makeCdr(1) }]);
    void inFlight.catch(() => undefined);
    await thread.killForTest();
    await expect(thread.recordCallEnds([{ cdr: makeCdr(2) }])).rejects.toBeInstanceOf(StoreError);
    expect(thread.fellBack).toBe(false);
    // The thread may have committed it before the kill (answered) or not (refused); it never stays pending.
    const settled = await inFlight.then(
      (results) => results.map((r) => r.ok),
      (error: unknown) => error,
    );
    if (Array.isArray(settled)) expect(settled).toEqual([true]);
    else expect(settled).toBeInstanceOf(StoreError);
  });
});
