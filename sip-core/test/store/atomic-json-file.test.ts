import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  atomicWriteJson,
  backupPathOf,
  JsonFileError,
  readJsonFile,
} from '../../src/store/atomic-json-file.js';
import { useTempDirs } from '../support/store-fixtures.js';
import { expectErrorCode } from '../support/expect-error-code.js';

const settingsSchema = z.object({ theme: z.enum(['light', 'dark']), volume: z.number().min(0).max(1) });
const parseSettings = (json: unknown) => settingsSchema.parse(json);

function thrown(fn: () => unknown, code: string): JsonFileError {
  const error = expectErrorCode(fn, code);
  expect(error).toBeInstanceOf(JsonFileError);
  return error as JsonFileError;
}

describe('atomic JSON settings files', () => {
  const tempDir = useTempDirs();

  it('writes and reads back a value, 0600, leaving no temporary file', () => {
    const dir = tempDir();
    const path = join(dir, 'settings.json');
    atomicWriteJson(path, { theme: 'dark', volume: 0.5 });
    expect(readJsonFile(path, parseSettings)).toEqual({
      value: { theme: 'dark', volume: 0.5 },
      source: 'file',
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('creates the folder, and returns undefined for a file that does not exist', () => {
    const path = join(tempDir(), 'a', 'b', 'settings.json');
    expect(readJsonFile(path, parseSettings)).toBeUndefined();
    atomicWriteJson(path, { theme: 'light', volume: 1 });
    expect(readJsonFile(path, parseSettings)?.value.theme).toBe('light');
  });

  it('keeps the previous good file as .bak', () => {
    const path = join(tempDir(), 'settings.json');
    atomicWriteJson(path, { theme: 'light', volume: 0.1 });
    atomicWriteJson(path, { theme: 'dark', volume: 0.2 });
    expect(JSON.parse(readFileSync(backupPathOf(path), 'utf8'))).toEqual({ theme: 'light', volume: 0.1 });
    expect(readJsonFile(path, parseSettings)?.value.volume).toBe(0.2);
  });

  it.each([
    [
      'a torn write (the first half of the file)',
      (text: string) => text.slice(0, Math.floor(text.length / 2)),
    ],
    ['an empty file (data never flushed)', () => ''],
    ['zero bytes where the data should be', (text: string) => '\u0000'.repeat(text.length)],
  ])('detects %s, names the file and recovers the .bak copy', (_, tear) => {
    const path = join(tempDir(), 'settings.json');
    atomicWriteJson(path, { theme: 'light', volume: 0.1 });
    atomicWriteJson(path, { theme: 'dark', volume: 0.2 });
    writeFileSync(path, tear(readFileSync(path, 'utf8')));
    const read = readJsonFile(path, parseSettings);
    expect(read?.source).toBe('backup');
    expect(read?.value).toEqual({ theme: 'light', volume: 0.1 });
    expect(read?.problem?.code).toBe('JSON_FILE_CORRUPT');
    expect(read?.problem?.file).toBe(path);
    expect(read?.problem?.message).toContain(path);
  });

  it('reports a damaged file with no usable backup as JSON_FILE_CORRUPT naming it', () => {
    const path = join(tempDir(), 'settings.json');
    writeFileSync(path, '{"theme": "da');
    const error = thrown(() => readJsonFile(path, parseSettings), 'JSON_FILE_CORRUPT');
    expect(error.file).toBe(path);
    writeFileSync(backupPathOf(path), 'also broken');
    expect(thrown(() => readJsonFile(path, parseSettings), 'JSON_FILE_CORRUPT').file).toBe(path);
  });

  it('reports content the schema refuses as JSON_FILE_INVALID, falling back to a valid backup', () => {
    const path = join(tempDir(), 'settings.json');
    writeFileSync(path, JSON.stringify({ theme: 'blue', volume: 3 }));
    const error = thrown(() => readJsonFile(path, parseSettings), 'JSON_FILE_INVALID');
    expect(error.message).toContain(path);
    writeFileSync(backupPathOf(path), JSON.stringify({ theme: 'dark', volume: 1 }));
    expect(readJsonFile(path, parseSettings)).toMatchObject({ source: 'backup', value: { theme: 'dark' } });
  });

  it('never replaces a good backup with a damaged file', () => {
    const path = join(tempDir(), 'settings.json');
    atomicWriteJson(path, { theme: 'light', volume: 0.1 });
    atomicWriteJson(path, { theme: 'dark', volume: 0.2 });
    writeFileSync(path, '{ torn');
    atomicWriteJson(path, { theme: 'dark', volume: 0.3 });
    expect(JSON.parse(readFileSync(backupPathOf(path), 'utf8'))).toEqual({ theme: 'light', volume: 0.1 });
  });

  it('ignores a temporary file left by a crash and writes over it later', () => {
    const dir = tempDir();
    const path = join(dir, 'settings.json');
    atomicWriteJson(path, { theme: 'light', volume: 0.1 });
    writeFileSync(join(dir, '.settings.json.999.deadbeef.tmp'), '{"theme":"dark","vol');
    expect(readJsonFile(path, parseSettings)?.value.theme).toBe('light');
    atomicWriteJson(path, { theme: 'dark', volume: 0.2 });
    expect(readJsonFile(path, parseSettings)?.value.theme).toBe('dark');
  });

  it('refuses a value that is not JSON, and reports a folder it cannot write as JSON_FILE_IO', () => {
    const dir = tempDir();
    thrown(() => atomicWriteJson(join(dir, 's.json'), undefined), 'JSON_FILE_INVALID');
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const error = thrown(() => atomicWriteJson(join(file, 's.json'), {}), 'JSON_FILE_IO');
    expect(error.file).toBe(join(file, 's.json'));
  });
});
