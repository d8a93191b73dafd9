// Write throughput at the emulator's peak shape: one CDR plus a trace of ~7 SIP messages of ~600 bytes per
// call, each call its own committed transaction (the durability promise of recordCallEnd). The reference is a
// bare better-sqlite3 prepared INSERT of the same CDR row into the same WAL database, measured in the same run.
// It also compares the trace layouts the store could use (docs/adr/0071-sip-traces-packed-per-call.md).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { callDetailRecordSchema } from '../../src/store/call-detail-record.js';
import { CDR_INSERT_SQL, cdrToRow } from '../../src/store/cdr-row.js';
import { packSipTrace, type TraceEncoding } from '../../src/store/sip-trace-codec.js';
import { TrunklineStore } from '../../src/store/trunkline-store.js';
import { makeCdr, makeTrace } from '../../test/support/cdr-factory.js';
import { measure, report } from '../sip/bench-support.js';

const CALLS_PER_RUN = 3_000;

interface Subject {
  readonly name: string;
  /** Writes call `i` (with its trace unless the subject is CDR-only). */
  readonly write: (i: number) => void;
  readonly store: TrunklineStore;
  readonly db: Database.Database;
}

function bytesPerCall(subject: Subject, calls: number): number {
  subject.db.pragma('wal_checkpoint(TRUNCATE)');
  const pages = subject.db.pragma('page_count', { simple: true }) as number;
  const free = subject.db.pragma('freelist_count', { simple: true }) as number;
  const pageSize = subject.db.pragma('page_size', { simple: true }) as number;
  return ((pages - free) * pageSize) / calls;
}

export async function runStoreWriteBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trunkline-bench-store-'));
  const subjects: Subject[] = [];
  // The store keeps its better-sqlite3 handle private; the bench opens a second connection to the same file for
  // the bare statements and the size pragmas, as another process would.
  const open = (name: string, encoding?: TraceEncoding): { store: TrunklineStore; db: Subject['db'] } => {
    const path = join(dir, `${name}.sqlite3`);
    const store = TrunklineStore.open({ path, ...(encoding ? { traceEncoding: encoding } : {}) });
    return { store, db: new Database(path) };
  };
  try {
    // Inputs are built up front, so that every subject pays only for storing.
    const total = CALLS_PER_RUN * 7;
    const inputs = Array.from({ length: total }, (_, i) => makeCdr(i));
    const traces = Array.from({ length: total }, (_, i) => makeTrace(i));
    const rows = inputs.map((cdr) => cdrToRow(callDetailRecordSchema.parse(cdr)));
    const packed = traces.map((trace) => packSipTrace(trace, 'raw'));

    const bare = open('bare');
    const bareInsert = bare.db.prepare(CDR_INSERT_SQL);
    subjects.push({
      name: 'reference: bare prepared INSERT of the CDR row',
      write: (i) => bareInsert.run(rows[i]),
      ...bare,
    });

    const bareTrace = open('bare-trace');
    const bareCdr = bareTrace.db.prepare(CDR_INSERT_SQL);
    const bareBlob = bareTrace.db.prepare(
      'INSERT INTO sip_trace (cdr_id, message_count, packed) VALUES (?, ?, ?)',
    );
    const bareBoth = bareTrace.db.transaction((i: number) => {
      const { lastInsertRowid } = bareCdr.run(rows[i]);
      bareBlob.run(lastInsertRowid, 7, packed[i]);
    });
    subjects.push({
      name: 'bare INSERT of the row + a prepacked raw trace blob',
      write: (i) => bareBoth(i),
      ...bareTrace,
    });

    const perMessage = open('per-message');
    perMessage.db.exec(`CREATE TABLE sip_message (
      cdr_id INTEGER NOT NULL REFERENCES cdr (id) ON DELETE CASCADE, seq INTEGER NOT NULL,
      wall_ms REAL NOT NULL, monotonic_ms REAL NOT NULL, direction INTEGER NOT NULL, transport TEXT NOT NULL,
      local_address TEXT NOT NULL, local_port INTEGER NOT NULL, remote_address TEXT NOT NULL,
      remote_port INTEGER NOT NULL, connection_id TEXT, bytes BLOB NOT NULL, PRIMARY KEY (cdr_id, seq)
    ) STRICT, WITHOUT ROWID`);
    const pmCdr = perMessage.db.prepare(CDR_INSERT_SQL);
    const pmMessage = perMessage.db.prepare(
      'INSERT INTO sip_message VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const pmBoth = perMessage.db.transaction((i: number) => {
      const { lastInsertRowid } = pmCdr.run(rows[i]);
      traces[i].forEach((m, seq) =>
        pmMessage.run(
          lastInsertRowid,
          seq,
          m.wallTimeMs,
          m.monotonicTimeMs,
          m.direction === 'received' ? 1 : 0,
          m.transport,
          m.local.address,
          m.local.port,
          m.remote.address,
          m.remote.port,
          m.connectionId ?? null,
          m.bytes,
        ),
      );
    });
    subjects.push({
      name: 'alternative: bare row + one row per message (7)',
      write: (i) => pmBoth(i),
      ...perMessage,
    });

    const ours = open('ours');
    subjects.push({
      name: 'recordCallEnd (default: validate, deflate, CDR + trace)',
      write: (i) => ours.store.recordCallEnd(inputs[i], traces[i]),
      ...ours,
    });
    const oursRaw = open('ours-raw', 'raw');
    subjects.push({
      name: 'recordCallEnd, traceEncoding raw',
      write: (i) => oursRaw.store.recordCallEnd(inputs[i], traces[i]),
      ...oursRaw,
    });
    const oursNoTrace = open('ours-cdr-only');
    subjects.push({
      name: 'recordCallEnd without a trace',
      write: (i) => oursNoTrace.store.recordCallEnd(inputs[i]),
      ...oursNoTrace,
    });

    const results = [];
    for (const subject of subjects) {
      let next = 0;
      results.push(
        await measure(subject.name, CALLS_PER_RUN, () => {
          for (let k = 0; k < CALLS_PER_RUN; k += 1) subject.write(next++);
        }),
      );
    }
    const [reference, ...rest] = results;
    report(
      `Store writes: one committed transaction per call, file database, WAL, synchronous=NORMAL (${CALLS_PER_RUN} calls per run, median of 5)`,
      'calls/s',
      reference,
      rest,
    );
    process.stdout.write('\n  Bytes per call on disk (pages in use after a checkpoint, indexes included)\n');
    const written = CALLS_PER_RUN * 6;
    for (const subject of subjects) {
      process.stdout.write(
        `  ${subject.name.padEnd(58)} ${Math.round(bytesPerCall(subject, written)).toLocaleString('en-US').padStart(12)} B\n`,
      );
    }
    process.stdout.write(
      `  (raw trace payload: ${traces[0].reduce((n, m) => n + m.bytes.length, 0)} B per call)\n`,
    );
  } finally {
    for (const subject of subjects) {
      subject.db.close();
      subject.store.close();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
