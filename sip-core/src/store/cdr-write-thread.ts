// `recordCallEnds` on a thread of its own (docs/adr/0158): a worker thread holds a second connection to the same
// database file and does the expensive half of recording a call — checking the record, packing (deflating) its
// SIP trace, and the INSERTs into a table with a dozen B-trees and the commit. Under a call storm that half was a
// quarter of the emulator's busy time on the thread that also answers SIP; here it runs on the other core.
//
//   main thread                                   worker (cdr-write-worker.ts)
//   recordCallEnds(calls) ──postMessage(batch)──►  store.recordCallEnds(calls) (one transaction)
//        Promise ◄───────── postMessage(results) ──┘  results: RecordedCdr or {code, message}
//   (the batch travels as one JSON text and one transferred buffer: cdr-write-wire.ts)
//
// Batches are answered in the order they were posted, each when it is committed, so a caller that acts on the
// answer (the emulator sends a held 200 to a BYE, docs/adr/0150) acts only on committed records. SQLite's WAL
// lets the main thread's connection keep reading while the worker writes.
//
// Should the thread die (an uncaught error in it, its heap limit), CDRs are not lost from then on: with a
// `fallback` connection (the emulator's own), the batches in flight and every later one are written on the calling
// thread, synchronously, as without the thread. A call of an in-flight batch the thread had committed before it
// died is found there (the store refuses it as a duplicate) and reported as written.

import { Worker } from 'node:worker_threads';
import {
  deserializeStoreError,
  encodeCallEnds,
  recordedCdr,
  type FromCdrWriter,
  type RecordResult,
  type SerializedStoreError,
  type ToCdrWriter,
} from './cdr-write-wire.js';
import { StoreError, toStoreError } from './store-error.js';
import type { CallEnd, RecordCallEndsOptions, TrunklineStore } from './trunkline-store.js';

/** What the worker is told to open (with the store's defaults, as the emulator's own connection). */
export interface CdrWriteThreadOptions {
  /** The database file; it must exist with the current schema (open it with `TrunklineStore.open` first). */
  readonly path: string;
}

/** What the main thread's side is given besides the worker's options (not sent to the worker). */
export interface CdrWriteThreadStartOptions extends CdrWriteThreadOptions {
  /** A connection to the same file that writes the CDRs here if the thread dies. Without it, they are refused. */
  readonly fallback?: TrunklineStore;
  /** Told once when the thread died and the fallback took over (the emulator reports it as an error event). */
  readonly onFallback?: (error: StoreError) => void;
}

// --- the main thread's side ------------------------------------------------------------------------------

interface InFlight {
  readonly resolve: (results: RecordResult[]) => void;
  readonly reject: (error: StoreError) => void;
  /** The batch as given (not a copy), to write it on the fallback if the thread dies before it answers. */
  readonly calls: readonly CallEnd[];
  readonly options: RecordCallEndsOptions;
}

export class CdrWriteThread {
  readonly path: string;
  /**
   * The operating system's id of the thread (Linux), as it reported it; undefined where there is none to know. The
   * emulator's CLI leaves this thread at the main thread's priority (docs/adr/0166).
   */
  readonly osThreadId: number | undefined;
  readonly #worker: Worker;
  readonly #inFlight = new Map<number, InFlight>();
  readonly #fallback: TrunklineStore | undefined;
  readonly #onFallback: ((error: StoreError) => void) | undefined;
  #nextId = 1;
  /** Set once the worker is gone or going: every later batch is refused with it, or written on the fallback. */
  #ended: StoreError | undefined;
  /** The thread died (not closed) and a fallback connection writes the batches. */
  #fellBack = false;
  #closing: Promise<void> | undefined;

  private constructor(worker: Worker, options: CdrWriteThreadStartOptions, osThreadId: number | null) {
    this.path = options.path;
    this.osThreadId = osThreadId ?? undefined;
    this.#worker = worker;
    this.#fallback = options.fallback;
    this.#onFallback = options.onFallback;
    worker.on('message', (message: FromCdrWriter) => this.#onMessage(message));
    worker.on('error', (error) =>
      this.#end(new StoreError('STORE_FAILED', errorText(error), { cause: error })),
    );
    worker.on('exit', () => this.#end(new StoreError('STORE_CLOSED', 'The CDR writer thread has stopped.')));
  }

  /**
   * Starts the thread and opens the database in it. Rejects with the store's error (the file cannot be opened,
   * has another schema, …) after stopping the thread.
   */
  static async start(options: CdrWriteThreadStartOptions): Promise<CdrWriteThread> {
    const worker = startModuleWorker(workerModuleUrl(), {
      path: options.path,
    } satisfies CdrWriteThreadOptions);
    // Only these three listeners are removed afterwards: a Worker keeps internal listeners of its own.
    let onMessage!: (message: FromCdrWriter) => void;
    let onError!: (error: Error) => void;
    let onExit!: (code: number) => void;
    const opened = await new Promise<FromCdrWriter>((resolve) => {
      onMessage = resolve;
      onError = (error) =>
        resolve({ kind: 'open-failed', error: { code: 'STORE_FAILED', message: errorText(error) } });
      onExit = (code) =>
        resolve({
          kind: 'open-failed',
          error: {
            code: 'STORE_FAILED',
            message: `The CDR writer thread exited (code ${code}) while starting.`,
          },
        });
      worker.once('message', onMessage).once('error', onError).once('exit', onExit);
    });
    worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    if (opened.kind !== 'ready') {
      await worker.terminate();
      const error = opened.kind === 'open-failed' ? opened.error : unexpected(opened);
      throw new StoreError(error.code, error.message);
    }
    return new CdrWriteThread(worker, options, opened.osThreadId);
  }

  /** Whether the thread died and the batches are written on the fallback connection, on this thread. */
  get fellBack(): boolean {
    return this.#fellBack;
  }

  /**
   * `TrunklineStore.recordCallEnds` on the thread: resolves when the batch is committed, with one result per call
   * (a refused record costs only itself; a written one reports its `RecordedCdr` fields). Rejects only when the
   * thread is gone (STORE_CLOSED, STORE_FAILED) or the whole batch failed there; then nothing of the batch is
   * known to be written.
   */
  recordCallEnds(calls: readonly CallEnd[], options: RecordCallEndsOptions = {}): Promise<RecordResult[]> {
    if (this.#fellBack) return this.#recordOnFallback(calls, options);
    if (this.#ended !== undefined) return Promise.reject(this.#ended);
    const id = this.#nextId++;
    const batch = encodeCallEnds(calls);
    return new Promise<RecordResult[]>((resolve, reject) => {
      this.#inFlight.set(id, { resolve, reject, calls, options });
      this.#worker.postMessage({ kind: 'batch', id, batch, options } satisfies ToCdrWriter, [batch.bytes]);
    });
  }

  /**
   * Lets the batches already posted commit, closes the worker's connection and ends the thread. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      if (this.#ended !== undefined) return resolve();
      this.#worker.once('exit', () => resolve());
      // The worker answers every batch before it reads this message: the queue is in order.
      this.#worker.postMessage({ kind: 'close' } satisfies ToCdrWriter);
    });
    return this.#closing;
  }

  /**
   * @internal For tests: ends the thread the way a crash in it would (Node's `terminate`, no close message), with
   * whatever batches it has not answered yet still in flight.
   */
  killForTest(): Promise<number> {
    return this.#worker.terminate();
  }

  #onMessage(message: FromCdrWriter): void {
    if (message.kind === 'results' || message.kind === 'batch-failed') {
      const waiting = this.#inFlight.get(message.id);
      if (waiting === undefined) return;
      this.#inFlight.delete(message.id);
      if (message.kind === 'batch-failed') {
        waiting.reject(deserializeStoreError(message.error));
      } else {
        waiting.resolve(
          message.results.map((result) =>
            result.ok ? result : { ok: false, error: deserializeStoreError(result.error) },
          ),
        );
      }
    }
    // The thread's exit (after a close) settles whatever is left.
  }

  #end(error: StoreError): void {
    if (this.#ended !== undefined) return;
    this.#ended = error;
    // Died rather than closed: the fallback connection takes over, starting with what the thread had not answered.
    if (this.#closing === undefined && this.#fallback !== undefined) {
      this.#fellBack = true;
      try {
        this.#onFallback?.(error);
      } catch {
        // The report is the caller's; the CDRs are ours to keep.
      }
      for (const waiting of this.#inFlight.values()) {
        void this.#recordOnFallback(waiting.calls, waiting.options, true).then(
          waiting.resolve,
          waiting.reject,
        );
      }
    } else {
      for (const waiting of this.#inFlight.values()) waiting.reject(error);
    }
    this.#inFlight.clear();
  }

  #recordOnFallback(
    calls: readonly CallEnd[],
    options: RecordCallEndsOptions,
    retried = false,
  ): Promise<RecordResult[]> {
    try {
      return Promise.resolve(recordOnConnection(this.#fallback!, calls, options, retried));
    } catch (error) {
      // A StoreError (STORE_CLOSED) passes through toStoreError unchanged.
      return Promise.reject(toStoreError(error, this.path, 'writing CDRs'));
    }
  }
}

/**
 * @internal A batch written on `store` (the fallback connection, on the calling thread). `retried`: the thread may
 * have committed some of these calls before it died; a call the store then refuses as a duplicate is read back and
 * reported as written. Throws what `recordCallEnds` throws (STORE_CLOSED).
 */
export function recordOnConnection(
  store: TrunklineStore,
  calls: readonly CallEnd[],
  options: RecordCallEndsOptions,
  retried: boolean,
): RecordResult[] {
  return store.recordCallEnds(calls, options).map((result, index): RecordResult => {
    if (result.ok) return { ok: true, cdr: recordedCdr(result.cdr) };
    const committed =
      retried && result.error.code === 'STORE_DUPLICATE'
        ? store.getCdr(String(calls[index]?.cdr.call_uuid))
        : undefined;
    return committed ? { ok: true, cdr: recordedCdr(committed) } : result;
  });
}

function unexpected(message: FromCdrWriter): SerializedStoreError {
  return {
    code: 'STORE_FAILED',
    message: `The CDR writer thread answered '${message.kind}' while starting.`,
  };
}

function errorText(error: unknown): string {
  return `The CDR writer thread failed: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * The worker's module. Run from source (tsx, vitest), it is the TypeScript beside this file; in a bundle
 * (scripts/build-shells.mjs) this code runs from the bundle, and the worker is bundled beside it as
 * `cdr-write-worker.mjs`.
 */
function workerModuleUrl(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './cdr-write-worker.ts' : './cdr-write-worker.mjs', here);
}

/**
 * A worker running `module`. Node runs a worker's modules itself, without the parent's loader hooks, so a
 * TypeScript module is imported after registering tsx in the worker (the same loader the CLI's launcher uses).
 */
function startModuleWorker(module: URL, workerData: unknown): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const source =
    `import(${JSON.stringify(tsx)})` +
    `.then((api) => { api.register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(source, { eval: true, workerData });
}
