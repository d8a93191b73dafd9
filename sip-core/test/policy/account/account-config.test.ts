import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadAccountConfig, parseAccountConfig } from '../../../src/policy/account/account-config.js';
import {
  DEMO_ACCOUNT_CONFIG,
  DEMO_CREDENTIALS,
  DEMO_TRUNK_IDS,
  demoAccount,
} from '../../../src/policy/account/demo-account.js';
import { PolicyConfigError } from '../../../src/policy/config-issues.js';
import { SecretString } from '../../../src/policy/secret.js';

describe('account configuration', () => {
  it('validates the demo account', () => {
    const result = parseAccountConfig(DEMO_ACCOUNT_CONFIG);
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('a trunk with no CPS allocation (null) draws on the pool and is left out of the sum (docs/adr/0080)', () => {
    const trunks = [1, 2, 3].map((n) => ({
      trunk_id: `3000000000000${n}`,
      trunk_direction: 'outbound',
      ipacl_uuid: 'acl',
    }));
    const base = {
      trunks,
      ip_access_control_lists: [{ ipacl_uuid: 'acl', ip_addresses: ['127.0.0.1'] }],
    };
    // One allocated at 1, one at the default 1, one without: 2 ≤ 2.
    const fits = parseAccountConfig({
      ...base,
      limits: { account_cps: 2, trunk_cps: { '30000000000001': 1, '30000000000003': null } },
    });
    expect(fits.ok ? [] : fits.issues).toEqual([]);
    expect(fits.ok && fits.value.limits.trunk_cps['30000000000003']).toBeNull();
    // Without the null the default allocation of the third trunk makes 3 > 2.
    const over = parseAccountConfig({
      ...base,
      limits: { account_cps: 2, trunk_cps: { '30000000000001': 1 } },
    });
    const issues = over.ok ? [] : over.issues;
    expect(issues.map((i) => i.path)).toEqual(['limits.trunk_cps']);
    expect(issues[0]?.message).toMatch(/add up to 3.*account CPS of 2/);
    // A null for something that is not an outbound trunk is refused like any allocation.
    const stray = parseAccountConfig({
      ...base,
      limits: { account_cps: 3, trunk_cps: { '99999999': null } },
    });
    expect(stray.ok ? [] : stray.issues.map((i) => i.path)).toEqual(['limits.trunk_cps.99999999']);
  });

  it('the demo account has a pool trunk without an allocation of its own', () => {
    expect(demoAccount().limits.trunk_cps).toEqual({ [DEMO_TRUNK_IDS.pool]: null });
  });

  it('fills in Zentrunk’s defaults', () => {
    const account = demoAccount();
    const trunk = account.trunks.find((t) => t.trunk_id === DEMO_TRUNK_IDS.credential);
    expect(trunk).toMatchObject({
      trunk_status: 'enabled',
      secure: false,
      ipacl_uuid: null,
      primary_uri_uuid: null,
    });
    expect(account.numbers[0]).toMatchObject({ number: '+14155550100', app_id: DEMO_TRUNK_IDS.inbound });
    expect(parseAccountConfig({})).toMatchObject({
      ok: true,
      value: {
        limits: { account_cps: 2, max_concurrent_calls: null },
        permissions: { high_risk_prefixes: [] },
      },
    });
  });

  it('returns every error of a config with several, each with its field path', () => {
    const result = parseAccountConfig({
      trunks: [
        { trunk_id: '111111', trunk_direction: 'sideways' },
        { trunk_id: '222222', trunk_direction: 'outbound' },
        {
          trunk_id: '333333',
          trunk_direction: 'outbound',
          ipacl_uuid: 'missing-acl',
          trunk_domain: 'x.zt.plivo.com',
        },
        { trunk_id: '444444', trunk_direction: 'inbound' },
      ],
      ip_access_control_lists: [
        { ipacl_uuid: 'acl', ip_addresses: ['10.0.0.1', '10.0.0.300/8', '2001:db8::/129'] },
      ],
      credentials: [{ credential_uuid: 'c', username: 'ab', password: 'nospecial1' }],
      origination_uris: [
        { uri_uuid: 'u', uri: 'pbx.example.com;transport=sctp', authentication_needed: true },
      ],
      numbers: [
        { number: '123', app_id: '222222' },
        { number: '+14155550100', app_id: '999999' },
      ],
      limits: { account_cps: 1 },
      permissions: { geo: { barred_countries: ['usa'] } },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'trunks[0].trunk_direction',
        'ip_access_control_lists[0].ip_addresses[1]',
        'ip_access_control_lists[0].ip_addresses[2]',
        'credentials[0].username',
        'credentials[0].password',
        'origination_uris[0].uri',
        'origination_uris[0].username',
        'origination_uris[0].password',
        'numbers[0].number',
        'permissions.geo.barred_countries[0]',
        'trunks[1]',
        'trunks[2].ipacl_uuid',
        'trunks[2].trunk_domain',
        'trunks[3].primary_uri_uuid',
        'numbers[0].app_id',
        'numbers[1].app_id',
        'limits.trunk_cps',
      ]),
    );
    expect(result.issues.find((i) => i.path === 'trunks[1]')?.message).toMatch(
      /ipacl_uuid, a credential_uuid, or both/,
    );
    expect(result.issues.find((i) => i.path === 'limits.trunk_cps')?.message).toMatch(
      /add up to 2.*account CPS of 1/,
    );
  });

  it.each([null, 'a string', 42, []])(
    'reports a config that is not an object (%j) without throwing',
    (input) => {
      const result = parseAccountConfig(input);
      expect(result).toMatchObject({ ok: false, issues: [{ path: '' }] });
    },
  );

  it('reports duplicate ids', () => {
    const result = parseAccountConfig({
      credentials: [
        { credential_uuid: 'c', username: 'alice1', password: 'Secret#1' },
        { credential_uuid: 'c', username: 'bobby1', password: 'Secret#2' },
      ],
    });
    expect(!result.ok && result.issues).toEqual([
      { path: 'credentials[1].credential_uuid', message: 'duplicate credential_uuid c' },
    ]);
  });

  it('throws a PolicyConfigError with a stable code from the throwing variant', () => {
    const error = (() => {
      try {
        loadAccountConfig({ trunks: [{ trunk_id: 'abc', trunk_direction: 'outbound' }] });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PolicyConfigError);
    expect(error).toMatchObject({ code: 'POLICY_CONFIG_INVALID' });
    expect((error as PolicyConfigError).issues.length).toBeGreaterThanOrEqual(2);
    expect((error as Error).message).toMatch(/^The account configuration is invalid — trunks\[0\]/);
  });

  it('never shows passwords: not in inspect, JSON, toString or error messages', () => {
    const account = demoAccount();
    const secret = DEMO_CREDENTIALS.credential.password;
    const credential = account.credentials[0];
    expect(credential?.password).toBeInstanceOf(SecretString);
    expect(credential?.password.reveal()).toBe(secret);
    expect(credential?.password.equals(secret)).toBe(true);
    expect(inspect(account, { depth: 10 })).not.toContain(secret);
    expect(JSON.stringify(account)).not.toContain(secret);
    expect(`${String(credential?.password)}`).toBe('[redacted]');
    const bad = parseAccountConfig({
      credentials: [{ credential_uuid: 'c', username: 'alice1', password: 'pw' }],
    });
    expect(JSON.stringify(bad)).not.toContain('"pw"');
  });
});
