// Where the edited emulator account lives: `emulator-account.json` in the app's data folder, beside
// settings.json (docs/adr/0145). It holds the `account`, `settings` and `farEnd` sections of an emulator config
// file, clear-text passwords included, so it is written 0600 and atomically (store's `atomicWriteJson`: temp
// file, fsync, rename; the previous good file kept as `.bak`). No file means the demo account.
//
// A file that cannot be used on start (torn JSON, a hand edit the emulator refuses) never stops the app and is
// never lost: it is renamed to `emulator-account.json.unusable-<time>`, the demo account is served, and the
// caller gets a sentence for the user naming the kept file.

import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_ACCOUNT_CONFIG, atomicWriteJson, describeError } from '../../sip-core/src/index.js';
import { readAccountDocument, type EmulatorAccountInput } from './emulator-account-document.js';

export const ACCOUNT_FILE_NAME = 'emulator-account.json';
/** The file's own format version. */
const FILE_VERSION = 1;

export interface AccountFileLoad {
  /** The saved sections, or undefined for the demo account. */
  readonly input: EmulatorAccountInput | undefined;
  /** Set when a file was there and could not be used: what happened and where it was kept. */
  readonly problem?: string;
}

/** The demo account as editable sections: where a masked demo password is found. */
export function demoAccountInput(): EmulatorAccountInput {
  return {
    account: JSON.parse(JSON.stringify(DEMO_ACCOUNT_CONFIG)) as Record<string, unknown>,
    settings: {},
    farEnd: {},
  };
}

export class EmulatorAccountFile {
  readonly path: string;
  readonly #dataDir: string;

  constructor(dataDir: string) {
    this.#dataDir = dataDir;
    this.path = join(dataDir, ACCOUNT_FILE_NAME);
  }

  /** Reads and validates the file; a bad one is set aside (see the file comment). Never throws for its content. */
  load(nowMs: number): AccountFileLoad {
    if (!existsSync(this.path)) return { input: undefined };
    let why: string;
    try {
      const json = JSON.parse(readFileSync(this.path, 'utf8').replace(/^\uFEFF/, '')) as unknown;
      const file = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
      const document = { ...asObject(file['account']), settings: file['settings'], far_end: file['farEnd'] };
      const read = readAccountDocument(document, { previous: demoAccountInput(), baseDir: this.#dataDir });
      if (read.ok) return { input: read.input };
      why = `${read.issues.length} problem(s), first ${read.issues[0]?.path || 'the file'}: ${read.issues[0]?.message ?? ''}`;
    } catch (error) {
      why = error instanceof SyntaxError ? 'it is not valid JSON' : describeError(error);
    }
    const aside = `${this.path}.unusable-${new Date(nowMs).toISOString().replace(/[:.]/g, '-')}`;
    let kept: string;
    try {
      renameSync(this.path, aside);
      kept = `the file was kept as ${aside}`;
    } catch (error) {
      // Not ours to move (a read-only folder): it stays where it is, and the next save replaces it.
      kept = `the file was left in place (${describeError(error)}); the next save replaces it`;
    }
    return {
      input: undefined,
      problem: `The saved emulator account ${this.path} could not be used (${why}); the emulator serves the demo account and ${kept}.`,
    };
  }

  /** Writes the sections atomically, readable by the owner only (they hold passwords). */
  save(input: EmulatorAccountInput): void {
    atomicWriteJson(
      this.path,
      { version: FILE_VERSION, account: input.account, settings: input.settings, farEnd: input.farEnd },
      { mode: 0o600 },
    );
  }

  /** Back to the demo account: the current file is kept as `.bak`, never deleted outright. */
  reset(): void {
    if (existsSync(this.path)) renameSync(this.path, `${this.path}.bak`);
  }
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
