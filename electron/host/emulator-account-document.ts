// The account editor's document and the emulator's config, both ways. The Emulator view edits one JSON object:
// the Zentrunk account in its REST shape (trunks, origination_uris, credentials, ip_access_control_lists,
// numbers, limits, permissions, rates) plus two keys that are not account data — `settings` (the §20 switches)
// and `far_end` (the far-end number table) — and a read-only `far_end_numbers` summary. The host turns it back
// into the emulator config file's `account`, `settings` and `farEnd` sections and validates those with the
// emulator's own loader, so the editor can never save what `trunkline emulator --config` would refuse.
//
// Passwords go out masked (`PASSWORD_MASK`) unless they are the public demo ones; a mask that comes back means
// "unchanged" and is replaced by the password the host already has for the same credential or URI id.

import {
  DEMO_CREDENTIALS,
  FarEndTable,
  parseEmulatorConfig,
  type Account,
  type EmulatorConfig,
} from '../../sip-core/src/index.js';
import type { ApiIssue, EmulatorAccountDocument } from '../common/index.js';

/** What a masked password looks like in the document; sent back unchanged, it keeps the stored password. */
export const PASSWORD_MASK = '********';

/** The editable sections of the emulator config file, as raw JSON (what the account file stores). */
export interface EmulatorAccountInput {
  readonly account: Record<string, unknown>;
  readonly settings: Record<string, unknown>;
  readonly farEnd: Record<string, unknown>;
}

/** The document keys that are not account fields. */
const EXTRA_KEYS = ['settings', 'far_end', 'far_end_numbers'] as const;

type Loose = Record<string, unknown>;
const asRecord = (value: unknown): Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : {};
const asArray = (value: unknown): Loose[] => (Array.isArray(value) ? value.map(asRecord) : []);

/** The document the editor shows for a validated config. */
export function accountDocument(config: EmulatorConfig): EmulatorAccountDocument {
  // JSON first: the account's SecretStrings serialise redacted, so no clear text survives unless put back here.
  const account = JSON.parse(JSON.stringify(config.account)) as Loose;
  const demoPasswords = new Map<string, string>(
    Object.values(DEMO_CREDENTIALS).map((c) => [c.username, c.password]),
  );
  account['credentials'] = asArray(account['credentials']).map((c) => ({
    ...c,
    // The demo account's passwords are public and documented, so the view may show them.
    password:
      config.accountSource === 'demo'
        ? (demoPasswords.get(String(c['username'])) ?? PASSWORD_MASK)
        : PASSWORD_MASK,
  }));
  account['origination_uris'] = asArray(account['origination_uris']).map((u) =>
    u['password'] === undefined ? u : { ...u, password: PASSWORD_MASK },
  );
  const farEndNumbers = new FarEndTable(config.farEnd).entries.map((e) => ({
    number: e.number ?? `${e.prefix ?? ''}…`,
    name: e.name,
    description: e.description,
  }));
  return {
    ...account,
    settings: JSON.parse(JSON.stringify(config.settings)) as Loose,
    far_end: JSON.parse(JSON.stringify(config.farEnd)) as Loose,
    far_end_numbers: farEndNumbers,
  };
}

export type DocumentReading =
  | { readonly ok: true; readonly input: EmulatorAccountInput; readonly config: EmulatorConfig }
  | { readonly ok: false; readonly issues: readonly ApiIssue[] };

export interface ReadDocumentOptions {
  /** What the account file holds now (or the demo account): where masked passwords are found. */
  readonly previous: EmulatorAccountInput;
  /** Where relative WAV paths in the far-end table count from (the data folder). */
  readonly baseDir: string;
  readonly fileExists?: (path: string) => boolean;
}

/**
 * The config sections of an edited document, validated by the emulator's loader: every problem with its path in
 * the document (`credentials[0].password`, `far_end.numbers[2].number`, `settings.ringTimeoutMs`).
 */
export function readAccountDocument(document: unknown, options: ReadDocumentOptions): DocumentReading {
  const raw = asRecord(document);
  const account: Loose = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(EXTRA_KEYS as readonly string[]).includes(key)) account[key] = value;
  }
  const issues: ApiIssue[] = [];
  const previousAccount = options.previous.account;
  account['credentials'] = unmask(
    raw['credentials'],
    'credentials',
    'credential_uuid',
    previousAccount['credentials'],
    issues,
  );
  account['origination_uris'] = unmask(
    raw['origination_uris'],
    'origination_uris',
    'uri_uuid',
    previousAccount['origination_uris'],
    issues,
  );
  if (account['credentials'] === undefined) delete account['credentials'];
  if (account['origination_uris'] === undefined) delete account['origination_uris'];
  const input: EmulatorAccountInput = {
    account,
    settings: asRecord(raw['settings']),
    farEnd: asRecord(raw['far_end']),
  };
  const parsed = parseEmulatorConfig(
    { account: input.account, settings: input.settings, farEnd: input.farEnd },
    {
      baseDir: options.baseDir,
      source: { kind: 'built-in' },
      overrides: { dataDir: options.baseDir, listen: { host: '127.0.0.1', udp: 0, tcp: 0, tls: 0 } },
      ...(options.fileExists ? { fileExists: options.fileExists } : {}),
    },
  );
  if (!parsed.ok) {
    // A missing password was already reported in words that say what to do; the schema's second word is noise.
    const reported = new Set(issues.map((i) => i.path));
    for (const issue of parsed.issues) {
      const path = documentPath(issue.path);
      if (!reported.has(path)) issues.push({ path, message: issue.message });
    }
  }
  if (issues.length > 0 || !parsed.ok) return { ok: false, issues };
  return { ok: true, input, config: parsed.value };
}

/** A config file path (`account.trunks[0]`, `farEnd.numbers[1]`) as the document's path. */
export function documentPath(configPath: string): string {
  if (configPath === 'account') return '';
  if (configPath.startsWith('account.')) return configPath.slice('account.'.length);
  if (configPath === 'farEnd' || configPath.startsWith('farEnd.')) return `far_end${configPath.slice(6)}`;
  return configPath;
}

/** Puts the stored password back where the document carries the mask; a new entry with a mask is an issue. */
function unmask(
  value: unknown,
  collection: string,
  idField: string,
  previous: unknown,
  issues: ApiIssue[],
): unknown {
  if (!Array.isArray(value)) return value;
  const known = new Map<string, unknown>(
    asArray(previous).map((entry) => [String(entry[idField]), entry['password']]),
  );
  return (value as unknown[]).map((item, index) => {
    const entry = asRecord(item);
    if (entry['password'] !== PASSWORD_MASK) return item;
    const stored = known.get(String(entry[idField]));
    if (typeof stored !== 'string') {
      issues.push({ path: `${collection}[${index}].password`, message: 'enter a password for this entry' });
      return { ...entry, password: undefined };
    }
    return { ...entry, password: stored };
  });
}

/**
 * The numbers the emulator profile offers as caller IDs: the account's own numbers that are not DIDs and not on
 * the Do-Not-Originate list (a DNO caller ID is refused, §4.2 #13).
 */
export function callerIdsOf(account: Account): string[] {
  const dno = new Set(account.permissions.dno_numbers);
  return account.numbers.filter((n) => n.app_id === null && !dno.has(n.number)).map((n) => n.number);
}
