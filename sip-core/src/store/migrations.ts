// The schema's history. Each migration moves a database from `version - 1` to `version`; the version lives in
// `PRAGMA user_version`, and all pending steps run in one transaction together with the version bump, so a crash
// mid-migration leaves the old schema intact. A migration is never edited once released: the next change is a
// new entry, and the tests migrate every earlier version to the latest.

import type Database from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly up: (db: Database.Database) => void;
}

/** `PRAGMA application_id`: "TRKL", so that another program's SQLite file is recognised and left alone. */
export const APPLICATION_ID = 0x54524b4c;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'call detail records',
    up(db) {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      // Column order follows CDR_FIELDS; the last four columns are derived at insert for the indexes:
      // end_epoch_s (ordering, end_time filters, retention, monthly billing), the numbers without a leading
      // `+` (Zentrunk's number filters match without it) and the amount as an integer of 1e-5 USD (sums).
      db.exec(`
        CREATE TABLE cdr (
          id INTEGER PRIMARY KEY,
          call_uuid TEXT NOT NULL UNIQUE,
          call_id TEXT,
          from_number TEXT NOT NULL,
          to_number TEXT NOT NULL,
          call_direction TEXT NOT NULL,
          call_duration INTEGER NOT NULL,
          bill_duration INTEGER NOT NULL,
          billed_duration INTEGER NOT NULL,
          initiation_time TEXT NOT NULL,
          answer_time TEXT,
          end_time TEXT NOT NULL,
          hangup_cause_name TEXT NOT NULL,
          hangup_cause_code INTEGER NOT NULL,
          hangup_source TEXT NOT NULL,
          total_rate TEXT NOT NULL,
          total_amount TEXT NOT NULL,
          trunk_domain TEXT NOT NULL,
          from_country TEXT,
          to_country TEXT,
          transport_protocol TEXT NOT NULL,
          srtp INTEGER NOT NULL,
          secure_trunking INTEGER NOT NULL,
          secure_trunking_rate TEXT NOT NULL,
          stir_verification TEXT NOT NULL,
          attestation_indicator TEXT,
          cnam_lookup INTEGER NOT NULL,
          cnam_lookup_rate TEXT NOT NULL,
          recorded_by TEXT NOT NULL,
          sip_status INTEGER,
          sip_reason TEXT,
          codec TEXT,
          srtp_suite TEXT,
          source_address TEXT,
          source_port INTEGER,
          queue_delay_ms REAL,
          parent_call_uuid TEXT,
          trunk_id TEXT,
          policy_rule_id TEXT,
          policy_section TEXT,
          policy_grade TEXT,
          post_dial_delay_ms REAL,
          rtp_stats TEXT,
          extras TEXT,
          end_epoch_s INTEGER NOT NULL,
          from_digits TEXT NOT NULL,
          to_digits TEXT NOT NULL,
          total_amount_e5 INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX cdr_by_end ON cdr (end_epoch_s);
        CREATE INDEX cdr_by_from ON cdr (from_digits, end_epoch_s);
        CREATE INDEX cdr_by_to ON cdr (to_digits, end_epoch_s);
        CREATE INDEX cdr_by_cause ON cdr (hangup_cause_code, end_epoch_s);
        CREATE INDEX cdr_by_direction ON cdr (call_direction, end_epoch_s);
        CREATE INDEX cdr_by_source ON cdr (hangup_source, end_epoch_s);
        CREATE INDEX cdr_by_stir ON cdr (stir_verification, end_epoch_s);
        CREATE INDEX cdr_by_recorder ON cdr (recorded_by, end_epoch_s);
        CREATE INDEX cdr_by_bill_duration ON cdr (bill_duration, end_epoch_s);
      `);
    },
  },
  {
    version: 2,
    description: 'SIP traces, one packed row per call',
    up(db) {
      // Keyed by the CDR's rowid: no second index, and deleting a CDR (retention) deletes its trace.
      db.exec(`
        CREATE TABLE sip_trace (
          cdr_id INTEGER PRIMARY KEY REFERENCES cdr (id) ON DELETE CASCADE,
          message_count INTEGER NOT NULL,
          packed BLOB NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 3,
    description: 'check-run reports',
    up(db) {
      db.exec(`
        CREATE TABLE check_run (
          id INTEGER PRIMARY KEY,
          run_id TEXT NOT NULL UNIQUE,
          started_ms INTEGER NOT NULL,
          finished_ms INTEGER,
          target TEXT NOT NULL,
          passed INTEGER NOT NULL,
          failed INTEGER NOT NULL,
          skipped INTEGER NOT NULL,
          report TEXT NOT NULL
        ) STRICT;
        CREATE INDEX check_run_by_start ON check_run (started_ms);
      `);
    },
  },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/**
 * Applies every migration above the database's `user_version` up to `targetVersion` (default: the latest), in
 * one transaction. Returns the versions applied. The caller has checked that the database is ours and not newer.
 */
export function applyMigrations(db: Database.Database, targetVersion: number = SCHEMA_VERSION): number[] {
  // The version is read inside the write transaction: two processes opening a new file at once migrate once.
  return db
    .transaction(() => {
      const current = db.pragma('user_version', { simple: true }) as number;
      const pending = MIGRATIONS.filter((m) => m.version > current && m.version <= targetVersion);
      for (const migration of pending) {
        migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
      }
      return pending.map((m) => m.version);
    })
    .immediate();
}
