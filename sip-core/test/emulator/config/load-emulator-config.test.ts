import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultDataDir,
  EmulatorConfigError,
  loadEmulatorConfig,
  loadEmulatorConfigOrThrow,
  parseEmulatorConfig,
  type EmulatorConfig,
  type ParseContext,
} from '../../../src/emulator/config/index.js';
import { DEMO_ACCOUNT_CONFIG, DEFAULT_POLICY_SETTINGS, type ConfigIssue } from '../../../src/policy/index.js';
import { useTempDir } from '../../support/temp-dir.js';

const LINUX = { platform: 'linux' as const, env: {}, homeDir: '/home/ada' };
const context = (overrides: Partial<ParseContext> = {}): ParseContext => ({
  baseDir: '/etc/trunkline',
  source: { kind: 'file', path: '/etc/trunkline/emulator.json' },
  platform: LINUX,
  fileExists: () => true,
  ...overrides,
});

function valid(input: unknown, ctx = context()): EmulatorConfig {
  const result = parseEmulatorConfig(input, ctx);
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return result.value;
}

function issuesOf(input: unknown, ctx = context()): readonly ConfigIssue[] {
  const result = parseEmulatorConfig(input, ctx);
  if (result.ok) throw new Error('expected problems');
  return result.issues;
}

describe('the emulator config', () => {
  it('without a file: the demo account, the §20 defaults, the built-in far end, loopback on 5060/5060/5061', () => {
    const result = loadEmulatorConfig({ platform: LINUX });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const config = result.value;
    expect(config).toMatchObject({
      source: { kind: 'built-in' },
      accountSource: 'demo',
      listen: { host: '127.0.0.1', udp: 5060, tcp: 5060, tls: 5061 },
      dataDir: '/home/ada/.local/share/trunkline',
      media: { bindAddress: '127.0.0.1' },
      tls: { mode: 'generate', keyAlgorithm: 'ecdsa-p256', serverValidityDays: 397, renewBeforeDays: 30 },
      farEnd: { builtInNumbers: true, numbers: [] },
    });
    expect(config.account.name).toBe('Trunkline demo account');
    expect(config.settings).toEqual(DEFAULT_POLICY_SETTINGS);
  });

  it('accepts the demo account written out as a file, with every other section', () => {
    const config = valid({
      $schema: 'https://example.invalid/trunkline-emulator.schema.json',
      version: 1,
      dataDir: 'data',
      listen: { host: 'localhost', udp: 0, tcp: 0, tls: null },
      media: { bindAddress: '::1' },
      tls: { mode: 'files', certFile: 'tls/cert.pem', keyFile: '/keys/key.pem' },
      account: DEMO_ACCOUNT_CONFIG,
      settings: { accountCpsOverflow: 'reject', ringTimeoutMs: 30_000 },
      farEnd: {
        default: { kind: 'reject', status: 404 },
        numbers: [
          {
            number: '+14155550199',
            name: 'greeting',
            scenario: { kind: 'answer', media: { kind: 'wav', file: 'sounds/hello.wav' } },
          },
        ],
      },
    });
    expect(config).toMatchObject({
      accountSource: 'file',
      dataDir: '/etc/trunkline/data',
      listen: { host: 'localhost', udp: 0, tcp: 0, tls: null },
      tls: { mode: 'files', certFile: '/etc/trunkline/tls/cert.pem', keyFile: '/keys/key.pem', caFile: null },
      settings: { accountCpsOverflow: 'reject', ringTimeoutMs: 30_000 },
    });
    expect(config.farEnd.numbers[0]?.scenario).toMatchObject({
      media: { kind: 'wav', file: '/etc/trunkline/sounds/hello.wav' },
    });
  });

  it('lists every problem of a broken file, each with its field path', () => {
    const account = structuredClone(DEMO_ACCOUNT_CONFIG) as Record<string, unknown> & {
      trunks: Record<string, unknown>[];
      credentials: Record<string, unknown>[];
    };
    account.trunks[2] = { ...account.trunks[2], ipacl_uuid: 'no-such-acl' };
    account.credentials[0] = { ...account.credentials[0], password: 'abc' };
    account['far_end_hints'] = [];
    const issues = issuesOf(
      {
        listne: {},
        listen: { udp: 'x', tls: 70_000 },
        media: { bindAddress: 'localhost' },
        tls: { mode: 'files', certFile: 'missing.pem', keyFile: 'key.pem' },
        account,
        settings: { ringTimeoutMs: -1, premiumBlocking: 'maybe' },
        farEnd: {
          numbers: [
            { number: '12', name: 'short', scenario: { kind: 'answer' } },
            {
              number: '+14155550199',
              name: 'greeting',
              scenario: { kind: 'answer', media: { kind: 'wav', file: 'gone.wav' } },
            },
          ],
        },
      },
      context({ fileExists: (path) => !path.endsWith('missing.pem') && !path.endsWith('gone.wav') }),
    );
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '',
        'listen.udp',
        'listen.tls',
        'media.bindAddress',
        'account.trunks[2].ipacl_uuid',
        'account.credentials[0].password',
        'account.far_end_hints',
        'settings.ringTimeoutMs',
        'settings.premiumBlocking',
        'farEnd.numbers[0].number',
      ]),
    );
    expect(issues.find((i) => i.path === 'listen.tls')?.message).toBe(
      'expected a port 0–65535 (0 picks a free port)',
    );
    expect(issues.find((i) => i.path === '')?.message).toMatch(/listne/);
    expect(issues.find((i) => i.path === 'account.trunks[2].ipacl_uuid')?.message).toMatch(/no-such-acl/);
    // Files are checked once the shapes around them are right: fix the shapes and the missing files show.
    const files = issuesOf(
      {
        tls: { mode: 'files', certFile: 'missing.pem', keyFile: 'key.pem' },
        farEnd: {
          numbers: [
            {
              number: '+14155550199',
              name: 'g',
              scenario: { kind: 'answer', media: { kind: 'wav', file: 'gone.wav' } },
            },
          ],
        },
      },
      context({ fileExists: (path) => !path.endsWith('missing.pem') && !path.endsWith('gone.wav') }),
    );
    expect(files).toEqual([
      { path: 'tls.certFile', message: 'no file at /etc/trunkline/missing.pem' },
      { path: 'farEnd.numbers[0].scenario.media.file', message: 'no WAV file at /etc/trunkline/gone.wav' },
    ]);
  });

  it('never quotes a password it refuses', () => {
    const account = structuredClone(DEMO_ACCOUNT_CONFIG) as { credentials: Record<string, unknown>[] };
    account.credentials[0] = { ...account.credentials[0], password: 'no special chars 42' };
    const issues = issuesOf({ account });
    expect(JSON.stringify(issues)).not.toContain('no special chars 42');
  });

  it.each([
    [{ listen: { udp: null, tcp: null, tls: null } }, 'listen', /every listener is off/],
    [{ listen: { tcp: 5070, tls: 5070 } }, 'listen.tls', /cannot share port 5070/],
    [{ version: 2 }, 'version', /./],
    [[], '', /JSON object/],
  ])('refuses %j', (input, path, message) => {
    const issues = issuesOf(input);
    expect(issues.find((i) => i.path === path)?.message).toMatch(message);
  });

  it('applies command-line overrides over the file and validates them too', () => {
    const config = valid(
      { listen: { udp: 5070 } },
      context({ overrides: { listen: { tcp: 0 }, dataDir: '/d' } }),
    );
    expect(config.listen).toMatchObject({ udp: 5070, tcp: 0, tls: 5061 });
    expect(config.dataDir).toBe('/d');
    const issues = issuesOf({}, context({ overrides: { listen: { udp: 70_000 } } }));
    expect(issues.map((i) => i.path)).toEqual(['listen.udp']);
  });
});

describe('the media address follows the listen host', () => {
  it.each([
    ['a --host address, no media in the file', {}, { host: '192.0.2.10' }, '192.0.2.10'],
    ['a host in the file', { listen: { host: '127.78.25.1' } }, undefined, '127.78.25.1'],
    ['media.bindAddress given', { media: { bindAddress: '127.0.0.1' } }, { host: '192.0.2.10' }, '127.0.0.1'],
    ['a wildcard host (cannot be advertised in SDP)', {}, { host: '0.0.0.0' }, '127.0.0.1'],
    ['a host name (media needs an address)', { listen: { host: 'localhost' } }, undefined, '127.0.0.1'],
  ] as const)('%s', (_name, file, listen, bindAddress) => {
    const config = valid(file, context(listen === undefined ? {} : { overrides: { listen } }));
    expect(config.media.bindAddress).toBe(bindAddress);
  });
});

describe('reading the file', () => {
  const dir = useTempDir('trunkline-config-');
  const write = (name: string, text: string | Buffer) => {
    const path = join(dir(), name);
    writeFileSync(path, text);
    return path;
  };

  it('reads JSON with a byte order mark, and resolves paths against the file’s folder', () => {
    const path = write('ok.json', `\uFEFF${JSON.stringify({ dataDir: 'state' })}`);
    const config = loadEmulatorConfigOrThrow({ path, platform: LINUX });
    expect(config).toMatchObject({ source: { kind: 'file', path }, dataDir: join(dir(), 'state') });
    const fromCli = loadEmulatorConfigOrThrow({ path, cwd: '/work', overrides: { dataDir: 'cli-data' } });
    expect(fromCli.dataDir).toBe('/work/cli-data');
  });

  it('says where the JSON breaks, without quoting it', () => {
    const path = write('broken.json', '{\n  "listen": {\n    "udp": 5060,,\n  }\n}\n');
    const result = loadEmulatorConfig({ path });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]?.message).toMatch(/line 3, column \d+/);
  });

  it('refuses a missing or oversized file, and throws every problem from the throwing variant', () => {
    const missing = loadEmulatorConfig({ path: join(dir(), 'nope.json') });
    expect(missing.ok ? '' : missing.issues[0]?.message).toMatch(/no such file/);
    const big = write('big.json', Buffer.alloc(1024 * 1024 + 1, 0x20));
    const oversized = loadEmulatorConfig({ path: big });
    expect(oversized.ok ? '' : oversized.issues[0]?.message).toMatch(/larger than/);
    const bad = write('bad.json', JSON.stringify({ listen: { udp: -1, tls: 'x' } }));
    let thrown: unknown;
    try {
      loadEmulatorConfigOrThrow({ path: bad });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EmulatorConfigError);
    expect((thrown as EmulatorConfigError).code).toBe('EMULATOR_CONFIG_INVALID');
    expect((thrown as EmulatorConfigError).message).toMatch(/2 problems:\nlisten\.udp: .*\nlisten\.tls: /);
  });
});

describe('defaultDataDir', () => {
  it.each([
    [{ platform: 'linux', env: {}, homeDir: '/home/a' }, '/home/a/.local/share/trunkline'],
    [{ platform: 'linux', env: { XDG_DATA_HOME: '/xdg' }, homeDir: '/home/a' }, '/xdg/trunkline'],
    [
      { platform: 'linux', env: { XDG_DATA_HOME: 'relative' }, homeDir: '/home/a' },
      '/home/a/.local/share/trunkline',
    ],
    [{ platform: 'darwin', env: {}, homeDir: '/Users/a' }, '/Users/a/Library/Application Support/Trunkline'],
    [
      { platform: 'win32', env: { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, homeDir: 'C:\\Users\\a' },
      'C:\\Users\\a\\AppData\\Roaming\\Trunkline',
    ],
  ] as const)('%j → %s', (facts, expected) => {
    expect(defaultDataDir(facts)).toBe(expected);
  });
});
