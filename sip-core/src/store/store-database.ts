// Opening the database file: create its folder, recognise the file (ours, another program's, a newer
// Trunkline's, or not a database at all), set the connection up and migrate the schema. Every failure is a
// `StoreError` and the connection is closed again; nothing is written to a file that is not ours or is newer,
// so the caller can move it aside (`moveDatabaseAside`) and keep it for later.

import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations, APPLICATION_ID, SCHEMA_VERSION } from './migrations.js';
import { storeError, toStoreError } from './store-error.js';

export const MEMORY_DATABASE = ':memory:';

/** The database file's name inside a data folder. */
export const DATABASE_FILE_NAME = 'trunkline.sqlite3';

export interface StoreDatabaseOptions {
  /** The database file, or `:memory:` (tests). Its folder is created when missing. */
  readonly path: string;
  /** How long a statement waits for another process's lock before failing with `STORE_BUSY`. */
  readonly busyTimeoutMs?: number;
  /**
   * `NORMAL` (default): in WAL mode a committed transaction survives a crash of the process; the last
   * transactions may roll back on a power loss. `FULL`: also survives power loss, at the cost of an fsync per
   * commit.
   */
  readonly synchronous?: 'NORMAL' | 'FULL';
  /** Migrate only up to this version (migration tests). Default: the latest. */
  readonly schemaVersion?: number;
}

export interface OpenedDatabase {
  readonly db: Database.Database;
  /** The schema version found in the file before migrating (0 for a new file). */
  readonly foundVersion: number;
  /** Versions applied while opening. */
  readonly applied: readonly number[];
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

export function defaultDatabasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE_NAME);
}

/** Opens (creating when needed) and migrates the database at `options.path`. */
export function openStoreDatabase(options: StoreDatabaseOptions): OpenedDatabase {
  const { path } = options;
  let db: Database.Database;
  try {
    if (path !== MEMORY_DATABASE) mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
  } catch (error) {
    throw toStoreError(error, path, 'opening it');
  }
  try {
    const foundVersion = checkIdentity(db, path);
    // WAL lets readers (the call list, an export) run beside the writer and makes a commit one append to the
    // log; with synchronous=NORMAL that append is not fsynced per commit, which a process crash cannot undo
    // (https://sqlite.org/wal.html, https://sqlite.org/pragma.html#pragma_synchronous).
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    const applied = applyMigrations(db, options.schemaVersion ?? SCHEMA_VERSION);
    // Planner statistics: without them SQLite cannot tell a filter that keeps most rows (walk the end-time
    // index, stop after a page) from one that keeps few (use the filter's index, then sort), and a rare filter
    // could scan a million rows. This is SQLite's advice for long-lived connections; analysis_limit bounds
    // the work to a sample per index, so opening stays fast at any size (https://sqlite.org/lang_analyze.html).
    db.pragma('analysis_limit = 1000');
    db.pragma('optimize = 0x10002');
    return { db, foundVersion, applied };
  } catch (error) {
    db.close();
    throw toStoreError(error, path, 'opening it');
  }
}

/** The file's schema version, after checking that the file is ours (or new) and not newer than this build. */
function checkIdentity(db: Database.Database, path: string): number {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const objects = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
  const ours = applicationId === APPLICATION_ID || (applicationId === 0 && version === 0 && objects === 0);
  if (!ours) {
    throw storeError(
      'STORE_FOREIGN_DATABASE',
      `The file ${path} is a SQLite database of another program, not a Trunkline database.`,
    );
  }
  if (version > SCHEMA_VERSION) {
    throw storeError(
      'STORE_SCHEMA_TOO_NEW',
      `The database ${path} was written by a newer Trunkline (schema version ${version}; this version knows up to ${SCHEMA_VERSION}).`,
    );
  }
  return version;
}

/**
 * Renames an unusable database file (and its `-wal` and `-shm` companions) to `<path>.unusable-<time>`, so
 * that a new database can be started while the old one is kept for the user. Returns the new path. No
 * connection to the file may be open.
 */
export function moveDatabaseAside(path: string, nowMs: number = Date.now()): string {
  const stamp = new Date(nowMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const aside = `${path}.unusable-${stamp}`;
  try {
    // The log goes first: were the main file renamed alone, a new database at `path` would replay it.
    for (const suffix of ['-wal', '-shm', '']) {
      if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
    }
  } catch (error) {
    throw toStoreError(error, path, 'moving it aside');
  }
  return aside;
}
