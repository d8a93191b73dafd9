// Loading the emulator's config: one pass that validates the whole file and returns every problem with its field
// path (`listen.tls: expected a port 0–65535`, `account.trunks[2].ipacl_uuid: no IP access control list has the
// id …`), never only the first. The account, the settings and the far-end table are validated by their owners'
// parsers and their paths prefixed here. With no file: the demo account, the §20 defaults, the built-in far end.

import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, isAbsolute, resolve } from 'node:path';
import {
  demoAccount,
  parseAccountConfig,
  parsePolicySettings,
  fromZodIssues,
  type Account,
  type ConfigIssue,
  type ConfigResult,
  type PolicySettings,
} from '../../policy/index.js';
import { parseFarEndTable, type FarEndTableConfig, type MediaSource } from '../far-end/index.js';
import { currentPlatform, defaultDataDir, type PlatformFacts } from './default-data-dir.js';
import { EmulatorConfigError } from './emulator-config-error.js';
import {
  emulatorConfigFileSchema,
  type ListenConfig,
  type MediaConfig,
  type TlsConfig,
} from './emulator-config-schema.js';

/** A config file larger than this is refused before parsing (a config is a few kilobytes). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** The validated configuration, every default filled in and every path absolute. */
export interface EmulatorConfig {
  readonly source: { readonly kind: 'file'; readonly path: string } | { readonly kind: 'built-in' };
  readonly accountSource: 'file' | 'demo';
  readonly account: Account;
  readonly settings: PolicySettings;
  readonly listen: ListenConfig;
  readonly dataDir: string;
  readonly media: MediaConfig;
  readonly tls: TlsConfig;
  readonly farEnd: FarEndTableConfig;
}

/** What the command line may override (`--data`, `--host`, `--udp`, `--tcp`, `--tls`); validated like the file. */
export interface EmulatorConfigOverrides {
  readonly dataDir?: string;
  readonly listen?: Partial<Record<'udp' | 'tcp' | 'tls', number | null>> & { readonly host?: string };
}

export interface ParseContext {
  /** Where relative paths start (the config file's folder, or the working folder). */
  readonly baseDir: string;
  readonly source: EmulatorConfig['source'];
  readonly overrides?: EmulatorConfigOverrides;
  readonly platform?: PlatformFacts;
  /** Checks referenced files (WAVs, certificates); injectable so tests stay hermetic. */
  readonly fileExists?: (path: string) => boolean;
}

type Loose = Record<string, unknown>;
const asRecord = (value: unknown): Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : {};

/** Validates parsed JSON as an emulator config. */
export function parseEmulatorConfig(input: unknown, context: ParseContext): ConfigResult<EmulatorConfig> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: '', message: 'the configuration must be a JSON object' }] };
  }
  const raw = withOverrides(input as Loose, context.overrides);
  const issues: ConfigIssue[] = [];
  const prefixed = (prefix: string, found: readonly ConfigIssue[]) =>
    issues.push(...found.map((i) => ({ path: i.path ? `${prefix}.${i.path}` : prefix, message: i.message })));

  const file = emulatorConfigFileSchema.safeParse(raw);
  if (!file.success) issues.push(...fromZodIssues(file.error.issues));

  const accountInput = raw['account'];
  let account: Account | undefined;
  if (accountInput === undefined) account = demoAccount();
  else {
    const parsed = parseAccountConfig(accountInput);
    if (parsed.ok) account = parsed.value;
    else prefixed('account', parsed.issues);
    if ('far_end_hints' in asRecord(accountInput)) {
      issues.push({
        path: 'account.far_end_hints',
        message: 'far-end numbers moved out of the account: list them under farEnd.numbers',
      });
    }
  }

  const settings = parsePolicySettings(raw['settings'] ?? {});
  if (!settings.ok) prefixed('settings', settings.issues);

  const farEnd = parseFarEndTable(raw['farEnd'] ?? {});
  if (!farEnd.ok) prefixed('farEnd', farEnd.issues);

  const exists = context.fileExists ?? existsSync;
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(context.baseDir, path));

  let listen: ListenConfig | undefined;
  let tls: TlsConfig | undefined;
  if (file.success) {
    listen = file.data.listen;
    const { udp, tcp } = listen;
    if (udp === null && tcp === null && listen.tls === null) {
      issues.push({
        path: 'listen',
        message: 'every listener is off; give at least one of udp, tcp, tls a port',
      });
    }
    if (tcp !== null && tcp !== 0 && tcp === listen.tls) {
      issues.push({ path: 'listen.tls', message: `TCP and TLS cannot share port ${tcp}` });
    }
    tls = file.data.tls;
    if (tls.mode === 'files') {
      tls = {
        ...tls,
        certFile: absolute(tls.certFile),
        keyFile: absolute(tls.keyFile),
        caFile: tls.caFile === null ? null : absolute(tls.caFile),
      };
      for (const field of ['certFile', 'keyFile', 'caFile'] as const) {
        const path = tls[field];
        if (path !== null && !exists(path))
          issues.push({ path: `tls.${field}`, message: `no file at ${path}` });
      }
    }
  }

  let table: FarEndTableConfig | undefined;
  if (farEnd.ok) {
    table = resolveWavFiles(farEnd.value, absolute);
    for (const { path, file: wav } of wavFilesOf(table)) {
      if (!exists(wav)) issues.push({ path: `farEnd.${path}`, message: `no WAV file at ${wav}` });
    }
  }

  if (issues.length > 0 || !file.success || !account || !settings.ok || !listen || !tls || !table) {
    return { ok: false, issues };
  }
  return {
    ok: true,
    value: {
      source: context.source,
      accountSource: accountInput === undefined ? 'demo' : 'file',
      account,
      settings: settings.value,
      listen,
      dataDir:
        file.data.dataDir === undefined
          ? defaultDataDir(context.platform ?? currentPlatform())
          : absolute(file.data.dataDir),
      media: mediaFollowingHost(file.data.media, listen, asRecord(raw['media'])),
      tls,
      farEnd: table,
    },
  };
}

export interface LoadOptions extends Omit<ParseContext, 'baseDir' | 'source'> {
  /** The config file; undefined loads the built-in configuration (demo account). */
  readonly path?: string;
  /** Where relative override paths start when there is no file (default: the working folder). */
  readonly cwd?: string;
}

/** Reads and validates the config file (or the built-in configuration when `path` is undefined). */
export function loadEmulatorConfig(options: LoadOptions = {}): ConfigResult<EmulatorConfig> {
  const cwd = options.cwd ?? process.cwd();
  // A `--data` given on the command line counts from the working folder, not from the config file's.
  const dataDir = options.overrides?.dataDir;
  const overrides =
    dataDir === undefined ? options.overrides : { ...options.overrides, dataDir: resolve(cwd, dataDir) };
  const common = { ...options, ...(overrides ? { overrides } : {}) };
  if (options.path === undefined) {
    return parseEmulatorConfig({}, { ...common, baseDir: cwd, source: { kind: 'built-in' } });
  }
  const path = resolve(cwd, options.path);
  const text = readConfigText(path);
  if (!text.ok) return text;
  let json: unknown;
  try {
    json = JSON.parse(text.value);
  } catch (error) {
    return {
      ok: false,
      issues: [{ path: '', message: `${path} is not valid JSON: ${jsonErrorPlace(error, text.value)}` }],
    };
  }
  return parseEmulatorConfig(json, { ...common, baseDir: dirname(path), source: { kind: 'file', path } });
}

/** `loadEmulatorConfig` that throws an `EmulatorConfigError` listing every problem. */
export function loadEmulatorConfigOrThrow(options: LoadOptions = {}): EmulatorConfig {
  const result = loadEmulatorConfig(options);
  if (!result.ok) throw new EmulatorConfigError(options.path ?? '(built-in)', result.issues);
  return result.value;
}

function readConfigText(path: string): ConfigResult<string> {
  try {
    const bytes = readFileSync(path);
    if (bytes.length > MAX_CONFIG_BYTES) {
      return {
        ok: false,
        issues: [{ path: '', message: `${path} is larger than ${MAX_CONFIG_BYTES} bytes` }],
      };
    }
    // A UTF-8 byte order mark (Windows editors add one) is not JSON.
    return { ok: true, value: bytes.toString('utf8').replace(/^\uFEFF/, '') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    return { ok: false, issues: [{ path: '', message: `cannot read ${path}: ${why}` }] };
  }
}

/** "line 3, column 7: <what>" from a JSON.parse error, without quoting the file's content. */
function jsonErrorPlace(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : 'unreadable';
  const position = /position (\d+)/.exec(message);
  if (!position) return 'the JSON syntax is broken';
  const offset = Number(position[1]);
  const before = text.slice(0, offset).split('\n');
  return `syntax error at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

/**
 * RTP binds where signalling listens unless the file says otherwise: the SDP answer advertises the media address,
 * so an emulator moved off loopback (`--host 192.0.2.10`) with media left on 127.0.0.1 would answer a PBX on
 * another machine with an address it cannot reach. A wildcard host (`0.0.0.0`, `::`) cannot be advertised, so
 * media stays on the
 * schema's default there, as it does for a host name.
 */
function mediaFollowingHost(media: MediaConfig, listen: ListenConfig, rawMedia: Loose): MediaConfig {
  if (rawMedia['bindAddress'] !== undefined) return media;
  // A host name is resolved by the listener only; media needs an address, so it keeps the default.
  if (isIP(listen.host) === 0 || listen.host === '0.0.0.0' || listen.host === '::') return media;
  return { ...media, bindAddress: listen.host };
}

function withOverrides(input: Loose, overrides: EmulatorConfigOverrides | undefined): Loose {
  if (!overrides) return input;
  const out: Loose = { ...input };
  if (overrides.dataDir !== undefined) out['dataDir'] = overrides.dataDir;
  if (overrides.listen) out['listen'] = { ...asRecord(input['listen']), ...overrides.listen };
  return out;
}

/** Every WAV a table plays, with its path in the table. */
function wavFilesOf(table: FarEndTableConfig): { path: string; file: string }[] {
  const found: { path: string; file: string }[] = [];
  const visit = (path: string, scenario: FarEndTableConfig['default']) => {
    const media: [string, MediaSource][] = [];
    if (scenario.kind === 'answer') media.push([`${path}.media`, scenario.media]);
    if (scenario.earlyMedia) media.push([`${path}.earlyMedia.media`, scenario.earlyMedia.media]);
    for (const [at, source] of media)
      if (source.kind === 'wav') found.push({ path: `${at}.file`, file: source.file });
  };
  visit('default', table.default);
  table.numbers.forEach((entry, index) => visit(`numbers[${index}].scenario`, entry.scenario));
  return found;
}

function resolveWavFiles(table: FarEndTableConfig, absolute: (path: string) => string): FarEndTableConfig {
  const media = (source: MediaSource): MediaSource =>
    source.kind === 'wav' ? { ...source, file: absolute(source.file) } : source;
  const scenario = (s: FarEndTableConfig['default']): FarEndTableConfig['default'] => {
    const earlyMedia = s.earlyMedia ? { ...s.earlyMedia, media: media(s.earlyMedia.media) } : null;
    return s.kind === 'answer' ? { ...s, media: media(s.media), earlyMedia } : { ...s, earlyMedia };
  };
  return {
    ...table,
    default: scenario(table.default),
    numbers: table.numbers.map((entry) => ({ ...entry, scenario: scenario(entry.scenario) })),
  };
}
