import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { callDetailRecordSchema, CDR_FIELDS } from '../../src/store/call-detail-record.js';
import { CDR_INSERT_COLUMNS, CDR_INSERT_SQL, cdrToRow } from '../../src/store/cdr-row.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from '../../src/store/migrations.js';
import { packSipTrace } from '../../src/store/sip-trace-codec.js';
import { moveDatabaseAside, openStoreDatabase } from '../../src/store/store-database.js';
import { StoreError } from '../../src/store/store-error.js';
import { TrunklineStore } from '../../src/store/trunkline-store.js';
import { makeCdr, makeTrace } from '../support/cdr-factory.js';
import { useTempDirs } from '../support/store-fixtures.js';
import { expectErrorCode } from '../support/expect-error-code.js';

/**
 * Data written the way each schema version wrote it, to prove that migrating keeps it. When a migration
 * changes a table, freeze the SQL of the versions before it here instead of using today's helpers.
 */
const SEED_BY_VERSION: Record<number, (db: Database.Database) => void> = {
  1: (db) => {
    const cdr = callDetailRecordSchema.parse(makeCdr(1));
    db.prepare(CDR_INSERT_SQL).run(cdrToRow(cdr));
  },
  2: (db) => {
    const cdr = callDetailRecordSchema.parse(makeCdr(2));
    const { lastInsertRowid } = db.prepare(CDR_INSERT_SQL).run(cdrToRow(cdr));
    db.prepare('INSERT INTO sip_trace (cdr_id, message_count, packed) VALUES (?, ?, ?)').run(
      lastInsertRowid,
      7,
      packSipTrace(makeTrace(2)),
    );
  },
};

describe('opening and migrating the database', () => {
  const tempDir = useTempDirs();

  it('numbers the migrations 1, 2, 3… without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('creates the folder and a new database at the latest version, in WAL mode with its pragmas', () => {
    const path = join(tempDir(), 'nested', 'data', 'trunkline.sqlite3');
    const { db, foundVersion, applied } = openStoreDatabase({ path });
    try {
      expect(foundVersion).toBe(0);
      expect(applied).toEqual(MIGRATIONS.map((m) => m.version));
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      db.close();
    }
  });

  it('opens an up-to-date database without migrating, and honours synchronous=FULL', () => {
    const path = join(tempDir(), 'db.sqlite3');
    openStoreDatabase({ path }).db.close();
    const { db, foundVersion, applied } = openStoreDatabase({
      path,
      synchronous: 'FULL',
      busyTimeoutMs: 250,
    });
    try {
      expect(foundVersion).toBe(SCHEMA_VERSION);
      expect(applied).toEqual([]);
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(250);
    } finally {
      db.close();
    }
  });

  it('has CDR columns exactly as the row mapping writes them', () => {
    const { db } = openStoreDatabase({ path: ':memory:' });
    try {
      const columns = (db.pragma('table_info(cdr)') as { name: string }[]).map((c) => c.name);
      expect([...columns].sort()).toEqual(['id', ...CDR_INSERT_COLUMNS].sort());
      expect(CDR_INSERT_COLUMNS.slice(0, CDR_FIELDS.length)).toEqual(CDR_FIELDS);
    } finally {
      db.close();
    }
  });

  for (let from = 0; from < SCHEMA_VERSION; from += 1) {
    it(`migrates a version ${from} database to ${SCHEMA_VERSION}, keeping its data`, () => {
      const path = join(tempDir(), 'db.sqlite3');
      const old = openStoreDatabase({ path, schemaVersion: from });
      for (let v = 1; v <= from; v += 1) SEED_BY_VERSION[v]?.(old.db);
      expect(old.db.pragma('user_version', { simple: true })).toBe(from);
      old.db.close();

      const store = TrunklineStore.open({ path });
      try {
        expect(store.foundVersion).toBe(from);
        if (from >= 1)
          expect(store.getCdr('call-00000001')).toEqual(callDetailRecordSchema.parse(makeCdr(1)));
        if (from >= 2) expect(store.getSipTrace('call-00000002')).toHaveLength(7);
        // Every table of the latest schema works after the migration.
        store.recordCallEnd(makeCdr(10), makeTrace(10));
        store.insertCheckRun({
          runId: 'r1',
          startedMs: 1,
          finishedMs: 2,
          target: 'emulator',
          passed: 1,
          failed: 0,
          skipped: 0,
          report: {},
        });
        expect(store.listCdrs().meta.total_count).toBe(Math.min(from, 2) + 1);
        expect(store.integrityCheck()).toEqual([]);
      } finally {
        store.close();
      }
    });
  }

  it('rolls a failed migration back whole, leaving the version as it was', () => {
    const path = join(tempDir(), 'db.sqlite3');
    const seeded = openStoreDatabase({ path, schemaVersion: 1 });
    // A table named like version 2's makes migration 2 fail half-way through the transaction.
    seeded.db.exec('CREATE TABLE sip_trace (x INTEGER)');
    seeded.db.close();
    expectErrorCode(() => openStoreDatabase({ path }), 'STORE_FAILED');
    const db = new Database(path);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'check_run'").get()).toEqual({
        n: 0,
      });
    } finally {
      db.close();
    }
  });

  it('refuses a database from a newer Trunkline and leaves the file untouched', () => {
    const path = join(tempDir(), 'db.sqlite3');
    const { db } = openStoreDatabase({ path });
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.pragma('journal_mode = DELETE');
    db.close();
    const before = readFileSync(path);
    const error = expectErrorCode(() => TrunklineStore.open({ path }), 'STORE_SCHEMA_TOO_NEW');
    expect(error.message).toContain(path);
    expect(error.message).toContain(`schema version ${SCHEMA_VERSION + 1}`);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("refuses another program's SQLite database", () => {
    const path = join(tempDir(), 'other.sqlite3');
    const other = new Database(path);
    other.exec('CREATE TABLE notes (body TEXT)');
    other.close();
    expectErrorCode(() => TrunklineStore.open({ path }), 'STORE_FOREIGN_DATABASE');
    const tagged = new Database(path);
    tagged.pragma('application_id = 42');
    tagged.close();
    expectErrorCode(() => TrunklineStore.open({ path }), 'STORE_FOREIGN_DATABASE');
  });

  it('reports a file that is not a database as corrupt, never crashing', () => {
    const path = join(tempDir(), 'db.sqlite3');
    writeFileSync(path, 'this is a settings file, not a database\n'.repeat(200));
    const error = expectErrorCode(() => TrunklineStore.open({ path }), 'STORE_CORRUPT');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/move the file aside/i);
  });

  it('reports a database damaged inside as corrupt when it is read', () => {
    const path = join(tempDir(), 'db.sqlite3');
    const store = TrunklineStore.open({ path });
    for (let i = 0; i < 400; i += 1) store.recordCallEnd(makeCdr(i), makeTrace(i, 2, 200));
    store.close();
    // Overwrite every page after the first few with noise: the header and schema stay readable.
    const bytes = readFileSync(path);
    for (let offset = 4096 * 3; offset < bytes.length; offset += 1) bytes[offset] = (offset * 7919) & 0xff;
    writeFileSync(path, bytes);
    // Opening (which samples the indexes for the planner), reading or the integrity check finds it: as a
    // STORE_CORRUPT error or as findings, never as an untyped exception.
    let findings: string[];
    try {
      const damaged = TrunklineStore.open({ path });
      try {
        damaged.listCdrs({ limit: 1000 });
        for (const _ of damaged.iterateCdrs());
        findings = damaged.integrityCheck();
      } finally {
        damaged.close();
      }
    } catch (error) {
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe('STORE_CORRUPT');
      findings = [(error as StoreError).message];
    }
    expect(findings.length).toBeGreaterThan(0);
  });

  it('moves an unusable database aside with its WAL, so a new one can start and the old one is kept', () => {
    const path = join(tempDir(), 'db.sqlite3');
    writeFileSync(path, 'garbage');
    writeFileSync(`${path}-wal`, 'wal');
    const aside = moveDatabaseAside(path, Date.UTC(2026, 2, 4, 5, 6, 7));
    expect(aside).toBe(`${path}.unusable-20260304T050607Z`);
    expect(readFileSync(aside, 'utf8')).toBe('garbage');
    expect(readFileSync(`${aside}-wal`, 'utf8')).toBe('wal');
    expect(existsSync(path)).toBe(false);
    const fresh = TrunklineStore.open({ path });
    expect(fresh.foundVersion).toBe(0);
    fresh.close();
  });

  it('reports a folder it cannot create as an I/O error', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    expectErrorCode(() => TrunklineStore.open({ path: join(file, 'db.sqlite3') }), 'STORE_IO');
  });

  it('refuses use after close with a typed error', () => {
    const store = TrunklineStore.open({ path: ':memory:' });
    store.close();
    store.close();
    expectErrorCode(() => store.listCdrs(), 'STORE_CLOSED');
    expectErrorCode(() => store.recordCallEnd(makeCdr(1)), 'STORE_CLOSED');
  });
});
