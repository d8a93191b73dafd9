// The store's failures carry a stable `code` a caller can branch on, and a message that names the file and
// says what to do. SQLite's own errors are translated here once, so that no caller needs to know SQLite's codes
// and a corrupt file never surfaces as an unexplained exception.

import { describeError, TrunklineError } from '../common/errors.js';

export type StoreErrorCode =
  /** The file is not a SQLite database, or SQLite found it damaged. */
  | 'STORE_CORRUPT'
  /** The file is a SQLite database of another application. */
  | 'STORE_FOREIGN_DATABASE'
  /** The file was written by a newer Trunkline, with a schema this one does not know. */
  | 'STORE_SCHEMA_TOO_NEW'
  /** The file or its folder cannot be opened, read or written. */
  | 'STORE_IO'
  /** The disk is full. */
  | 'STORE_DISK_FULL'
  /** Another process holds the database locked longer than the busy timeout. */
  | 'STORE_BUSY'
  /** A record handed to the store is invalid; nothing was written. */
  | 'STORE_INVALID_RECORD'
  /** A record with the same key exists. */
  | 'STORE_DUPLICATE'
  /** A list filter is invalid (unknown field, bad operator value). */
  | 'STORE_INVALID_FILTER'
  /** A store setting (retention) is out of range. */
  | 'STORE_INVALID_SETTING'
  /** The store was used after `close()`. */
  | 'STORE_CLOSED'
  /** Any other SQLite failure. */
  | 'STORE_FAILED';

export class StoreError extends TrunklineError {
  declare readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * What SQLite's extended result codes (https://sqlite.org/rescode.html) and Node's file-system error codes mean
 * for a caller.
 */
function codeOf(errorCode: string): StoreErrorCode {
  if (errorCode === 'ENOSPC') return 'STORE_DISK_FULL';
  if (/^E(ACCES|PERM|ROFS|NOENT|NOTDIR|ISDIR|EXIST|IO)$/.test(errorCode)) return 'STORE_IO';
  if (errorCode === 'SQLITE_CORRUPT' || errorCode.startsWith('SQLITE_CORRUPT_')) return 'STORE_CORRUPT';
  if (errorCode === 'SQLITE_NOTADB') return 'STORE_CORRUPT';
  if (errorCode === 'SQLITE_FULL') return 'STORE_DISK_FULL';
  if (errorCode.startsWith('SQLITE_BUSY') || errorCode.startsWith('SQLITE_LOCKED')) return 'STORE_BUSY';
  if (errorCode.startsWith('SQLITE_CONSTRAINT_UNIQUE') || errorCode === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return 'STORE_DUPLICATE';
  }
  if (/^SQLITE_(CANTOPEN|READONLY|PERM|IOERR|AUTH)/.test(errorCode)) return 'STORE_IO';
  return 'STORE_FAILED';
}

const ADVICE: Record<StoreErrorCode, string> = {
  STORE_CORRUPT: 'Move the file aside (Trunkline keeps it) and start a new database.',
  STORE_FOREIGN_DATABASE: 'Choose another data folder, or move the file aside.',
  STORE_SCHEMA_TOO_NEW: 'Update Trunkline, or move the file aside to start a new database.',
  STORE_IO: 'Check that the data folder exists and is writable.',
  STORE_DISK_FULL: 'Free disk space, or lower the CDR retention setting.',
  STORE_BUSY: 'Another Trunkline process is using the database; close it or choose another data folder.',
  STORE_INVALID_RECORD: 'Nothing was written.',
  STORE_DUPLICATE: 'Nothing was written.',
  STORE_INVALID_FILTER: 'Correct the filter.',
  STORE_INVALID_SETTING: 'Correct the setting.',
  STORE_CLOSED: 'Open the store again.',
  STORE_FAILED: 'See the cause for details.',
};

/**
 * Converts anything a better-sqlite3 call threw into a `StoreError` about `file` (`doing` says what the store
 * was doing: "reading the call list"). A `StoreError` passes through unchanged.
 */
export function toStoreError(error: unknown, file: string, doing: string): StoreError {
  if (error instanceof StoreError) return error;
  const errorCode =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : '';
  const code = codeOf(errorCode);
  return new StoreError(
    code,
    `The database ${file} failed while ${doing}: ${describeError(error)}. ${ADVICE[code]}`,
    { cause: error },
  );
}

/** A `StoreError` with the standard advice for `code`. */
export function storeError(code: StoreErrorCode, message: string): StoreError {
  return new StoreError(code, `${message} ${ADVICE[code]}`);
}
