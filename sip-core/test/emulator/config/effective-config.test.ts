import { describe, expect, it } from 'vitest';
import {
  effectiveConfig,
  formatEffectiveConfig,
  parseEmulatorConfig,
  redactUriPassword,
  SETTING_EVIDENCE,
} from '../../../src/emulator/config/index.js';
import { DEFAULT_POLICY_SETTINGS, DEMO_ACCOUNT_CONFIG, DEMO_CREDENTIALS } from '../../../src/policy/index.js';

const SECRETS = [
  'Cred#Secret1',
  'Uri#Secret2',
  'InUri#Secret3',
  ...Object.values(DEMO_CREDENTIALS).map((c) => c.password),
];

function configWithSecrets() {
  const account = structuredClone(DEMO_ACCOUNT_CONFIG) as {
    credentials: Record<string, unknown>[];
    origination_uris: Record<string, unknown>[];
  };
  account.credentials.push({ credential_uuid: 'extra', username: 'extrauser', password: 'Cred#Secret1' });
  account.origination_uris.push(
    {
      uri_uuid: 'auth-uri',
      uri: '127.0.0.1:5100',
      authentication_needed: true,
      username: 'zt',
      password: 'Uri#Secret2',
    },
    { uri_uuid: 'userinfo-uri', uri: 'sip:pbx:InUri#Secret3@127.0.0.1:5101;transport=tcp' },
  );
  const result = parseEmulatorConfig(
    { account, settings: { accountCpsOverflow: 'reject' } },
    {
      baseDir: '/cfg',
      source: { kind: 'file', path: '/cfg/emulator.json' },
      platform: { platform: 'linux', env: {}, homeDir: '/home/a' },
    },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

describe('the effective configuration (--print-config)', () => {
  const config = configWithSecrets();
  const text = formatEffectiveConfig(config);
  const json = JSON.stringify(effectiveConfig(config));

  it('shows no secret, in text or JSON', () => {
    for (const secret of SECRETS) {
      expect(text).not.toContain(secret);
      expect(json).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
    expect(text).toContain('sip:pbx:[redacted]@127.0.0.1:5101;transport=tcp');
  });

  it('shows every §20 setting with its value, whether it is the default, and its evidence grade', () => {
    expect(Object.keys(SETTING_EVIDENCE).sort()).toEqual(Object.keys(DEFAULT_POLICY_SETTINGS).sort());
    expect(text).toMatch(/accountCpsOverflow\s+reject\s+set\s+D\s+§12\.1, §17, §20\s+alternative: reject/);
    expect(text).toMatch(/ringTimeoutMs\s+60000\s+default\s+I\s/);
    for (const name of Object.keys(SETTING_EVIDENCE)) expect(text).toContain(name);
  });

  it('shows listeners, folders, TLS and the far-end numbers with their defaults filled in', () => {
    expect(text).toContain('udp  127.0.0.1:5060');
    expect(text).toContain('tls  127.0.0.1:5061');
    expect(text).toContain('Data folder  /home/a/.local/share/trunkline');
    expect(text).toContain('ports 10000–30000');
    expect(text).toContain('/home/a/.local/share/trunkline/emulator-tls');
    expect(text).toMatch(/\+14155550111\s+echo\s+Rings \(180\) and answers at once/);
    expect(text).toContain('every other destination: answer after 0 ms with echo');
  });

  it.each([
    ['sip:user:pw@host', 'sip:user:[redacted]@host'],
    ['sips:u:p@h:5061;transport=tls', 'sips:u:[redacted]@h:5061;transport=tls'],
    ['sip:user@host', 'sip:user@host'],
    ['127.0.0.1:5080;transport=udp', '127.0.0.1:5080;transport=udp'],
    ['pbx.example.com', 'pbx.example.com'],
  ])('redactUriPassword(%s) = %s', (uri, expected) => {
    expect(redactUriPassword(uri)).toBe(expected);
  });
});
