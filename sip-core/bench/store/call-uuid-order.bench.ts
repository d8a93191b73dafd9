// What the order of call_uuids costs the CDR table (docs/adr/0172). The same rows go into the store's schema by bare
// prepared INSERTs, 30 per transaction (the CDR writer thread's batch at 3,000 calls/s), differing only in their
// call_uuid: random (`randomUUID()`, version 4 — the reference, what the emulator made before) or time-ordered
// (`newCallUuid`, version 7 — what it makes now). The UNIQUE index on call_uuid takes a random key on a random leaf
// page, and each page a commit changes is written to the WAL whole. CPU time per row over the whole fill, both
// subjects interleaved in slices so that the shared machine's drift falls on both alike.

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { newCallUuid } from '../../src/emulator/calls/call-uuid.js';
import { callDetailRecordSchema } from '../../src/store/call-detail-record.js';
import { CDR_INSERT_COLUMNS, CDR_INSERT_SQL, cdrToRow } from '../../src/store/cdr-row.js';
import { TrunklineStore } from '../../src/store/trunkline-store.js';
import { makeCdr } from '../../test/support/cdr-factory.js';

const BATCH_ROWS = 30;
/** Rows per slice: the subjects take turns, a slice each. */
const SLICE_ROWS = 6_000;
/** The emulator benchmark's ladder writes ~116,000 CDRs before its 3,000 calls/s step. */
const DEFAULT_ROWS = 240_000;
const CALLS_PER_S = 3_000;

interface Subject {
  readonly name: string;
  readonly uuid: (wallMs: number) => string;
  readonly db: Database.Database;
  readonly insertBatch: (rows: unknown[][]) => void;
  cpuUs: number;
  systemUs: number;
}

export function runCallUuidOrderBench(rows = DEFAULT_ROWS): void {
  const dir = mkdtempSync(join(tmpdir(), 'trunkline-bench-uuid-'));
  const subjects: Subject[] = [];
  try {
    const open = (name: string, uuid: (wallMs: number) => string): Subject => {
      const path = join(dir, `${subjects.length}.sqlite3`);
      TrunklineStore.open({ path }).close();
      // The store's own settings: WAL, synchronous=NORMAL.
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      const insert = db.prepare(CDR_INSERT_SQL);
      const insertBatch = db.transaction((batch: unknown[][]) => {
        for (const row of batch) insert.run(row);
      });
      return { name, uuid, db, insertBatch, cpuUs: 0, systemUs: 0 };
    };
    subjects.push(open('reference: random call_uuids (v4)', () => randomUUID()));
    subjects.push(open('time-ordered call_uuids (v7, newCallUuid)', (wallMs) => newCallUuid(wallMs)));

    // One benchmark call's row; each copy gets its uuid and an end time moving at CALLS_PER_S.
    const template = cdrToRow(callDetailRecordSchema.parse(makeCdr(1)));
    const uuidAt = CDR_INSERT_COLUMNS.indexOf('call_uuid');
    const endAt = CDR_INSERT_COLUMNS.indexOf('end_epoch_s');
    const startMs = Date.UTC(2026, 10, 29);
    for (let sliceStart = 0; sliceStart < rows; sliceStart += SLICE_ROWS) {
      for (const subject of subjects) {
        const batches: unknown[][][] = [];
        for (let i = sliceStart; i < Math.min(sliceStart + SLICE_ROWS, rows); i += BATCH_ROWS) {
          const batch: unknown[][] = [];
          for (let k = i; k < Math.min(i + BATCH_ROWS, rows); k += 1) {
            const wallMs = startMs + (k * 1_000) / CALLS_PER_S;
            const row = [...template];
            row[uuidAt] = subject.uuid(wallMs);
            row[endAt] = Math.floor(wallMs / 1_000);
            batch.push(row);
          }
          batches.push(batch);
        }
        const before = process.cpuUsage();
        for (const batch of batches) subject.insertBatch(batch);
        const spent = process.cpuUsage(before);
        subject.cpuUs += spent.user + spent.system;
        subject.systemUs += spent.system;
      }
    }

    process.stdout.write(
      `\nCDR rows by call_uuid order: ${rows.toLocaleString('en-US')} rows, ${BATCH_ROWS} per transaction, ` +
        'WAL, synchronous=NORMAL (CPU per row over the whole fill)\n',
    );
    const [reference] = subjects;
    for (const subject of subjects) {
      const perRow = subject.cpuUs / rows;
      const ratio =
        subject === reference ? '' : `  ${(reference.cpuUs / subject.cpuUs).toFixed(2)}× the reference`;
      process.stdout.write(
        `  ${subject.name.padEnd(44)} ${perRow.toFixed(1).padStart(6)} µs per row ` +
          `(system ${(subject.systemUs / rows).toFixed(1)})${ratio}\n`,
      );
    }
  } finally {
    for (const subject of subjects) subject.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
