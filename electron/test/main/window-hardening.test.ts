import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN } from '../../main/app-protocol.js';
import { SafeStorageSecretStore, type SafeStorageLike } from '../../main/safe-storage-secret-store.js';
import {
  electronContentSecurityPolicy,
  isAllowedNavigation,
  isPermissionCheckAllowed,
  isPermissionGranted,
  isTrustedSender,
  windowOpenDecision,
  windowOptions,
} from '../../main/window-hardening.js';

describe('Electron window hardening (ARCHITECTURE.md decision 7)', () => {
  it('isolates the page: context isolation, sandbox, no Node, web security on', () => {
    const prefs = windowOptions('/app/preload.cjs').webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('opens at 1280×800', () => {
    const options = windowOptions('/p');
    expect([options.width, options.height]).toEqual([1280, 800]);
  });

  it('sets a CSP without inline script, eval, plug-ins, framing or network', () => {
    const csp = electronContentSecurityPolicy();
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|ws:/);
  });

  it.each([
    [{ url: APP_ENTRY_URL, parent: null }, true],
    [{ url: `${APP_ORIGIN}/index.html#/calls`, parent: null }, true],
    [{ url: APP_ENTRY_URL, parent: {} }, false],
    [{ url: 'https://evil.example/', parent: null }, false],
    [{ url: 'file:///etc/passwd', parent: null }, false],
    [{ url: 'trunkline-app://other/index.html', parent: null }, false],
    [{ url: '', parent: null }, false],
    [null, false],
  ])('trusts IPC from %o: %s', (frame, trusted) => {
    expect(isTrustedSender(frame)).toBe(trusted);
  });

  it.each([
    [APP_ENTRY_URL, true],
    [`${APP_ORIGIN}/other.html`, false],
    ['https://example.com/', false],
    ['javascript:alert(1)', false],
  ])('navigation to %s allowed: %s', (url, allowed) => {
    expect(isAllowedNavigation(url)).toBe(allowed);
  });

  it('denies every new window', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
  });

  it.each([
    ['media', APP_ENTRY_URL, ['audio'], true],
    ['media', APP_ENTRY_URL, ['audio', 'video'], false],
    ['media', APP_ENTRY_URL, ['video'], false],
    ['media', APP_ENTRY_URL, [], false],
    ['media', 'https://evil.example/', ['audio'], false],
    ['notifications', APP_ENTRY_URL, undefined, false],
    ['geolocation', APP_ENTRY_URL, undefined, false],
    ['clipboard-read', APP_ENTRY_URL, undefined, false],
  ])('permission %s for %s (%o) granted: %s', (permission, url, mediaTypes, granted) => {
    expect(isPermissionGranted(permission, url, mediaTypes)).toBe(granted);
  });

  it('answers permission checks only for the microphone of the app', () => {
    expect(isPermissionCheckAllowed('media', APP_ORIGIN)).toBe(true);
    expect(isPermissionCheckAllowed('media', 'https://evil.example')).toBe(false);
    expect(isPermissionCheckAllowed('notifications', APP_ORIGIN)).toBe(false);
  });
});

describe('SafeStorageSecretStore', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A stand-in for safeStorage: reversible, and visibly not the plain text. */
  function fakeSafeStorage(available = true, backend = 'gnome_libsecret'): SafeStorageLike {
    return {
      isEncryptionAvailable: () => available,
      encryptString: (text) => Buffer.from(Buffer.from(text, 'utf8').map((b) => b ^ 0x5a)),
      decryptString: (bytes) => Buffer.from(bytes.map((b) => b ^ 0x5a)).toString('utf8'),
      getSelectedStorageBackend: () => backend,
    };
  }

  it('keeps passwords encrypted in a 0600 file and never shows them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trunkline-safe-'));
    dirs.push(dir);
    const store = new SafeStorageSecretStore(dir, fakeSafeStorage());
    store.set('sip-password:office', 'Hunter2-Secret');
    expect(store.get('sip-password:office')).toBe('Hunter2-Secret');
    const file = join(dir, 'secrets.safe.json');
    expect(readFileSync(file, 'utf8')).not.toContain('Hunter2-Secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(inspect(store)).not.toContain('Hunter2');
    store.delete('sip-password:office');
    expect(store.has('sip-password:office')).toBe(false);
  });

  it.each([
    ['no encryption', false, 'gnome_libsecret'],
    ["Electron's plain-text fallback", true, 'basic_text'],
  ])('refuses to store a password with %s, and says what to do', (_name, available, backend) => {
    const dir = mkdtempSync(join(tmpdir(), 'trunkline-safe-'));
    dirs.push(dir);
    const store = new SafeStorageSecretStore(dir, fakeSafeStorage(available, backend));
    expect(() => store.set('k', 'secret-value')).toThrow(/keyring/);
    expect(() => store.set('k', 'secret-value')).not.toThrow(/secret-value/);
  });
});
