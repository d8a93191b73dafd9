// Settings files that survive a crash. A write goes to a temporary file in the same folder, is fsynced, and
// renamed over the old file (rename is atomic within a file system, POSIX rename(2)); the folder is fsynced so
// the rename itself is durable. Before that, the current file, when it is good JSON, is copied to `<file>.bak`
// the same way. A reader therefore sees the old file or the new one, never a mix; and if something else tore
// the file (an editor, a full disk, a copy from a crashed machine), the reader says which file is damaged and
// falls back to the last good copy.

import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { describeError, TrunklineError } from '../common/errors.js';

export type JsonFileErrorCode =
  /** The file is not JSON: torn, truncated, empty or edited by hand into a broken state. */
  | 'JSON_FILE_CORRUPT'
  /** The file is JSON but its content is refused by the schema. */
  | 'JSON_FILE_INVALID'
  /** The file cannot be read or written. */
  | 'JSON_FILE_IO';

export class JsonFileError extends TrunklineError {
  declare readonly code: JsonFileErrorCode;
  /** The file concerned. */
  readonly file: string;

  constructor(code: JsonFileErrorCode, file: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.file = file;
  }
}

export interface JsonFileRead<T> {
  readonly value: T;
  /** `backup` when the file was damaged or invalid and `<file>.bak` was used instead. */
  readonly source: 'file' | 'backup';
  /** Why the file itself was not used, when `source` is `backup`. */
  readonly problem?: JsonFileError;
}

export function backupPathOf(path: string): string {
  return `${path}.bak`;
}

/** Writes `text` to `path` atomically: temp file, fsync, rename, fsync of the folder. */
function writeFileAtomic(path: string, text: string, mode: number): void {
  const folder = dirname(path);
  const temp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    mkdirSync(folder, { recursive: true });
    const fd = openSync(temp, 'wx', mode);
    try {
      const bytes = Buffer.from(text, 'utf8');
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    const folderFd = openSync(folder, 'r');
    try {
      fsyncSync(folderFd);
    } finally {
      closeSync(folderFd);
    }
  } catch (error) {
    rmSync(temp, { force: true });
    throw new JsonFileError('JSON_FILE_IO', path, `Cannot write ${path}: ${describeError(error)}.`, {
      cause: error,
    });
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new JsonFileError('JSON_FILE_IO', path, `Cannot read ${path}: ${describeError(error)}.`, {
      cause: error,
    });
  }
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new JsonFileError(
      'JSON_FILE_CORRUPT',
      path,
      `The file ${path} is damaged (${text.length === 0 ? 'empty' : 'not valid JSON'}); the last good copy, if any, is ${backupPathOf(path)}.`,
      { cause: error },
    );
  }
}

/**
 * Writes `value` as JSON to `path` so that a crash at any moment leaves either the previous file or the new
 * one. The previous file, when it is good JSON, becomes `<path>.bak`. `mode` applies to new files (default
 * 0600: settings are the user's own).
 */
export function atomicWriteJson(path: string, value: unknown, options: { mode?: number } = {}): void {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  if (text === undefined) {
    throw new JsonFileError('JSON_FILE_INVALID', path, `Cannot write ${path}: the value is not JSON.`);
  }
  const mode = options.mode ?? 0o600;
  const previous = readText(path);
  if (previous !== undefined && isJson(previous)) writeFileAtomic(backupPathOf(path), previous, mode);
  writeFileAtomic(path, `${text}\n`, mode);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function readOne<T>(path: string, text: string, parse: (json: unknown) => T): T {
  const json = parseJson(path, text);
  try {
    return parse(json);
  } catch (error) {
    throw new JsonFileError(
      'JSON_FILE_INVALID',
      path,
      `The file ${path} is not valid: ${describeError(error)}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Reads and validates `path` with `parse` (which throws on invalid content, e.g. a zod schema's `parse`).
 * Returns undefined when the file does not exist. When it is damaged or invalid, falls back to `<path>.bak`
 * and says so in `problem`; when the backup is unusable too, throws the file's `JsonFileError`.
 */
export function readJsonFile<T>(path: string, parse: (json: unknown) => T): JsonFileRead<T> | undefined {
  const text = readText(path);
  if (text === undefined) return undefined;
  try {
    return { value: readOne(path, text, parse), source: 'file' };
  } catch (error) {
    if (!(error instanceof JsonFileError)) throw error;
    const backup = readText(backupPathOf(path));
    if (backup === undefined) throw error;
    try {
      return { value: readOne(backupPathOf(path), backup, parse), source: 'backup', problem: error };
    } catch {
      throw error;
    }
  }
}
