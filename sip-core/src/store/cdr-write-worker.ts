// The CDR writer thread's own code (see cdr-write-thread.ts): opens the database named in `workerData` with its
// own connection, then records each posted batch in one transaction and answers with the results, in order.
// A batch that fails as a whole (a closed or broken file) is answered as failed; the thread goes on.

import { readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { CdrWriteThreadOptions } from './cdr-write-thread.js';
import {
  decodeCallEnds,
  recordedCdr,
  serializeStoreError,
  type FromCdrWriter,
  type SerializedRecordResult,
  type ToCdrWriter,
} from './cdr-write-wire.js';
import { toStoreError } from './store-error.js';
import { TrunklineStore } from './trunkline-store.js';

const port = parentPort;
if (port === null) throw new Error('cdr-write-worker.ts runs only as a worker thread (cdr-write-thread.ts)');
const options = workerData as CdrWriteThreadOptions;

/**
 * This thread's id as the kernel knows it (Linux: `/proc/thread-self` links to `PID/task/TID`), null elsewhere. The
 * emulator's CLI keeps this thread at the main thread's priority (docs/adr/0166): a 200 to a BYE waits for its commit.
 */
function osThreadId(): number | null {
  try {
    const match = /\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'));
    return match === null ? null : Number(match[1]);
  } catch {
    return null;
  }
}

let store: TrunklineStore | undefined;
try {
  store = TrunklineStore.open({ path: options.path });
  port.postMessage({ kind: 'ready', osThreadId: osThreadId() } satisfies FromCdrWriter);
} catch (error) {
  port.postMessage({
    kind: 'open-failed',
    error: serializeStoreError(toStoreError(error, options.path, 'opening it for the CDR writer thread')),
  } satisfies FromCdrWriter);
  port.close();
}

if (store !== undefined) {
  const open = store;
  port.on('message', (message: ToCdrWriter) => {
    if (message.kind === 'close') {
      // Closing the port ends the thread; the main side learns it from the exit.
      open.close();
      port.close();
      return;
    }
    try {
      const results = open
        .recordCallEnds(decodeCallEnds(message.batch), message.options)
        .map((result): SerializedRecordResult =>
          result.ok
            ? { ok: true, cdr: recordedCdr(result.cdr) }
            : { ok: false, error: serializeStoreError(result.error) },
        );
      port.postMessage({ kind: 'results', id: message.id, results } satisfies FromCdrWriter);
    } catch (error) {
      port.postMessage({
        kind: 'batch-failed',
        id: message.id,
        // The store's own mapping (the file named, SQLite's code read, advice), as on the main thread.
        error: serializeStoreError(toStoreError(error, options.path, 'writing a batch of CDRs')),
      } satisfies FromCdrWriter);
    }
  });
}
