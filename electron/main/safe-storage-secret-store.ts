// SIP passwords in Electron: encrypted with the OS keychain through `safeStorage` (Keychain, DPAPI, libsecret)
// and kept as base64 in `secrets.safe.json` in the user-data folder. When the OS offers no encryption (a Linux
// session without a keyring) Electron would fall back to a hard-coded key; this store refuses instead and says so,
// so a user is never told a password is protected when it is not.

import { join } from 'node:path';
import { readStringRecord, writePrivateJson, type SecretStore } from '../host/index.js';

/** The part of Electron's `safeStorage` this store uses (injected, so tests need no Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

export const SAFE_SECRETS_FILE_NAME = 'secrets.safe.json';

export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'os-keychain';
  readonly #path: string;
  readonly #safeStorage: SafeStorageLike;

  constructor(dataDir: string, safeStorage: SafeStorageLike) {
    this.#path = join(dataDir, SAFE_SECRETS_FILE_NAME);
    this.#safeStorage = safeStorage;
  }

  get(key: string): string | undefined {
    const encrypted = this.#read()[key];
    if (encrypted === undefined || !this.#safeStorage.isEncryptionAvailable()) return undefined;
    try {
      return this.#safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
    } catch {
      // A keychain change (new OS user, reset keyring) makes old entries unreadable: the user enters it again.
      return undefined;
    }
  }

  has(key: string): boolean {
    return this.#read()[key] !== undefined;
  }

  set(key: string, secret: string): void {
    const backend = this.#safeStorage.getSelectedStorageBackend?.();
    if (!this.#safeStorage.isEncryptionAvailable() || backend === 'basic_text') {
      throw new Error(
        'The system keychain is not available, so the SIP password cannot be stored safely. Unlock or install a keyring (GNOME Keyring, KWallet) and try again.',
      );
    }
    const encrypted = this.#safeStorage.encryptString(secret).toString('base64');
    writePrivateJson(this.#path, { ...this.#read(), [key]: encrypted });
  }

  delete(key: string): void {
    const all = this.#read();
    if (!(key in all)) return;
    delete all[key];
    writePrivateJson(this.#path, all);
  }

  toString(): string {
    return `SafeStorageSecretStore(${this.#path})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  #read(): Record<string, string> {
    return readStringRecord(this.#path);
  }
}
