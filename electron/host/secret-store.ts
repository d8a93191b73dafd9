// Where SIP passwords live. Electron encrypts them with the OS keychain (`safeStorage`, in electron/main); browser
// mode has no keychain and keeps them in a 0600 file, and says so in the UI (ARCHITECTURE.md decision 5). The
// host sees only this interface, so it never imports `electron`. Passwords are never logged, never put in an
// error message, never returned to the renderer.

import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteJson } from '../../sip-core/src/index.js';

export interface SecretStore {
  readonly kind: 'os-keychain' | 'file';
  get(key: string): string | undefined;
  set(key: string, secret: string): void;
  delete(key: string): void;
  has(key: string): boolean;
}

export const SECRETS_FILE_NAME = 'secrets.json';

/**
 * Reads a JSON object of strings; a missing or damaged file reads as empty (a damaged secrets file loses its
 * passwords, never the app: the user enters them again).
 */
export function readStringRecord(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  return Object.fromEntries(
    Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** Writes a JSON file atomically, readable and writable by its owner only (also when it existed with wider bits). */
export function writePrivateJson(path: string, value: unknown): void {
  atomicWriteJson(path, value, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Browser mode's store: one JSON object in a file readable by its owner only. */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file';
  readonly #path: string;

  constructor(dataDir: string) {
    this.#path = join(dataDir, SECRETS_FILE_NAME);
  }

  get(key: string): string | undefined {
    return this.#read()[key];
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, secret: string): void {
    this.#write({ ...this.#read(), [key]: secret });
  }

  delete(key: string): void {
    const all = this.#read();
    if (!(key in all)) return;
    delete all[key];
    this.#write(all);
  }

  /** Never shows the secrets (util.inspect, template strings, JSON.stringify). */
  toString(): string {
    return `FileSecretStore(${this.#path})`;
  }

  toJSON(): string {
    return this.toString();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  #read(): Record<string, string> {
    return readStringRecord(this.#path);
  }

  #write(all: Record<string, string>): void {
    writePrivateJson(this.#path, all);
  }
}

/** In-memory store for tests and for a data folder that must stay untouched. */
export class MemorySecretStore implements SecretStore {
  readonly kind: 'os-keychain' | 'file';
  readonly #secrets = new Map<string, string>();

  constructor(kind: 'os-keychain' | 'file' = 'file') {
    this.kind = kind;
  }

  get(key: string): string | undefined {
    return this.#secrets.get(key);
  }

  has(key: string): boolean {
    return this.#secrets.has(key);
  }

  set(key: string, secret: string): void {
    this.#secrets.set(key, secret);
  }

  delete(key: string): void {
    this.#secrets.delete(key);
  }

  toString(): string {
    return `MemorySecretStore(${this.#secrets.size} secrets)`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
