// The effective configuration for `trunkline emulator --print-config`: every default filled in, every secret
// redacted, each §20 setting with its evidence grade and whether it is the default. `effectiveConfig` is the
// JSON form (`--print-config --json`), `formatEffectiveConfig` the text a person reads. Passwords are
// `SecretString`s, which serialise as "[redacted]"; a password written inside an origination URI's userinfo
// (`sip:user:password@host`) is masked here too.

import { DEFAULT_POLICY_SETTINGS, type PolicySettings } from '../../policy/index.js';
import { BUILT_IN_FAR_END_NUMBERS, type FarEndScenario } from '../far-end/index.js';
import { TLS_FOLDER } from '../tls/index.js';
import type { EmulatorConfig } from './load-emulator-config.js';
import { SETTING_EVIDENCE } from './setting-evidence.js';

const REDACTED = '[redacted]';

/** `sip:user:secret@host` → `sip:user:[redacted]@host` (RFC 3261 §19.1.1 userinfo); other text unchanged. */
export function redactUriPassword(uri: string): string {
  const scheme = /^sips?:/i.exec(uri)?.[0] ?? '';
  const rest = uri.slice(scheme.length).replace(/^([^:@;/?]+):[^@]*@/, `$1:${REDACTED}@`);
  return scheme + rest;
}

export interface EffectiveSetting {
  readonly name: keyof PolicySettings;
  readonly value: unknown;
  readonly isDefault: boolean;
  readonly section: string;
  readonly grade: string;
  readonly alternative: string;
}

/** Each setting with its value, whether it is the §20 default, and its evidence. */
export function effectiveSettings(settings: PolicySettings): EffectiveSetting[] {
  return (Object.keys(SETTING_EVIDENCE) as (keyof PolicySettings)[]).map((name) => ({
    name,
    value: settings[name],
    isDefault: JSON.stringify(settings[name]) === JSON.stringify(DEFAULT_POLICY_SETTINGS[name]),
    ...SETTING_EVIDENCE[name],
  }));
}

/** The whole effective configuration as JSON-safe data, secrets redacted. */
export function effectiveConfig(config: EmulatorConfig): Record<string, unknown> {
  const account = JSON.parse(JSON.stringify(config.account)) as { origination_uris?: { uri: string }[] };
  for (const uri of account.origination_uris ?? []) uri.uri = redactUriPassword(uri.uri);
  return {
    source: config.source,
    dataDir: config.dataDir,
    listen: config.listen,
    media: { ...config.media, portRange: config.settings.mediaPortRange },
    tls:
      config.tls.mode === 'generate'
        ? { ...config.tls, folder: `${config.dataDir}/${TLS_FOLDER}` }
        : { ...config.tls },
    settings: effectiveSettings(config.settings),
    accountSource: config.accountSource,
    account,
    farEnd: {
      default: config.farEnd.default,
      numbers: [...(config.farEnd.builtInNumbers ? BUILT_IN_FAR_END_NUMBERS : []), ...config.farEnd.numbers],
    },
  };
}

/** The effective configuration as text for a terminal. */
export function formatEffectiveConfig(config: EmulatorConfig): string {
  const json = effectiveConfig(config);
  const lines: string[] = [];
  const { listen, settings } = config;
  lines.push('Trunkline emulator — effective configuration');
  lines.push(`Source: ${config.source.kind === 'file' ? config.source.path : 'built-in (no config file)'}`);
  lines.push('');
  lines.push('Listeners (BEHAVIOUR.md §2.1; 0 = a free port, off = null)');
  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    const port = listen[transport];
    lines.push(`  ${transport}  ${port === null ? 'off' : `${listen.host}:${port}`}`);
  }
  lines.push(`Data folder  ${config.dataDir}`);
  const { min, max } = settings.mediaPortRange;
  lines.push(
    `Media        RTP on ${config.media.bindAddress}, ports ${min}–${max} (settings.mediaPortRange)`,
  );
  lines.push(
    config.tls.mode === 'generate'
      ? `TLS          local CA in ${config.dataDir}/${TLS_FOLDER} (${config.tls.keyAlgorithm}, server certificate ` +
          `${config.tls.serverValidityDays} days, renewed ${config.tls.renewBeforeDays} days before expiry)`
      : `TLS          certificate ${config.tls.certFile}, key ${config.tls.keyFile}` +
          (config.tls.caFile ? `, CA ${config.tls.caFile}` : ''),
  );
  lines.push('');
  lines.push('Settings (BEHAVIOUR.md §20; grades of §0: D documented … I inferred)');
  const rows = effectiveSettings(settings).map((s) => [
    s.name,
    showValue(s.value),
    s.isDefault ? 'default' : 'set',
    s.grade,
    s.section,
    `alternative: ${s.alternative}`,
  ]);
  lines.push(...table(rows, '  '));
  lines.push('');
  lines.push(
    `Account (${config.accountSource === 'demo' ? 'the built-in demo account' : 'from the config file'}; ` +
      'passwords redacted)',
  );
  lines.push(
    ...JSON.stringify(json['account'], null, 2)
      .split('\n')
      .map((line) => `  ${line}`),
  );
  lines.push('');
  lines.push(`Far-end numbers (every other destination: ${describeScenario(config.farEnd.default)})`);
  const numbers = json['farEnd'] as {
    numbers: {
      number?: string;
      prefix?: string;
      name: string;
      description: string;
      scenario: FarEndScenario;
    }[];
  };
  lines.push(
    ...table(
      numbers.numbers.map((e) => [
        e.number ?? `${e.prefix ?? ''}…`,
        e.name,
        e.description || describeScenario(e.scenario),
      ]),
      '  ',
    ),
  );
  return `${lines.join('\n')}\n`;
}

function showValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? 'null';
}

function describeScenario(scenario: FarEndScenario): string {
  switch (scenario.kind) {
    case 'answer':
      return `answer after ${scenario.afterMs} ms with ${scenario.media.kind}`;
    case 'reject':
      return `reject with ${scenario.status} after ${scenario.afterMs} ms`;
    case 'no-answer':
      return 'ring until the ring timeout';
  }
}

/** Aligned columns; a cell longer than `maxWidth` overflows its column rather than widening it for every row. */
function table(rows: readonly (readonly string[])[], indent: string, maxWidth = 32): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => (widths[i] = Math.min(maxWidth, Math.max(widths[i] ?? 0, cell.length))));
  }
  return rows.map(
    (row) =>
      indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
  );
}
