import { describe, expect, it } from 'vitest';
import { PolicyConfigError } from '../../../src/policy/config-issues.js';
import {
  DEFAULT_POLICY_SETTINGS,
  parsePolicySettings,
  policySettings,
} from '../../../src/policy/settings/policy-settings.js';

describe('policy settings (§20)', () => {
  it('defaults to every §20 default', () => {
    expect(DEFAULT_POLICY_SETTINGS).toEqual({
      trunkDomainSuffix: 'zt.plivo.com',
      accountCpsOverflow: 'queue',
      accountCpsQueueBoundMs: 10_000,
      geoBlockCode: 4560,
      geoBlockCauseName: 'destination_country_barred',
      premiumBlocking: 'block',
      callerIdSource: 'pai-then-from',
      unsupportedMethodStatus: 405,
      allowHeader: 'trunkline',
      noG711Response: '488',
      insecureTrunkResponse: '488',
      secureTrunkPlainRtp: 'reject',
      authChallenge: '407',
      digestSha256: false,
      aclAndCredentials: 'either',
      minSessionExpiresS: 90,
      optionsRate: {
        warnIntervalMs: 10_000,
        blockIntervalMs: 5_000,
        blockSustainMs: 60_000,
        blockDurationMs: 300_000,
        blocking: true,
      },
      ringTimeoutMs: 60_000,
      rtpInactivityTimeoutMs: 60_000,
      referCdrs: 'two-records',
      hangupCodeHeaders: true,
      mediaPortRange: { min: 10_000, max: 30_000 },
    });
  });

  it('takes every alternative', () => {
    const settings = policySettings({
      accountCpsOverflow: 'reject',
      geoBlockCode: 4650,
      geoBlockCauseName: 'barred_country',
      premiumBlocking: 'off',
      callerIdSource: 'from-only',
      unsupportedMethodStatus: 501,
      allowHeader: 'plivo-traces',
      noG711Response: '415',
      insecureTrunkResponse: '403',
      secureTrunkPlainRtp: 'accept-no-media',
      authChallenge: '401',
      aclAndCredentials: 'both',
      optionsRate: { blocking: false },
      rtpInactivityTimeoutMs: null,
      referCdrs: 'single-record',
      hangupCodeHeaders: false,
    });
    expect(settings.optionsRate).toEqual({ ...DEFAULT_POLICY_SETTINGS.optionsRate, blocking: false });
    expect(settings.rtpInactivityTimeoutMs).toBeNull();
  });

  it('reports every invalid setting with its path', () => {
    const result = parsePolicySettings({
      accountCpsOverflow: 'drop',
      geoBlockCode: 4000,
      trunkDomainSuffix: 'not a domain',
      optionsRate: { warnIntervalMs: -1 },
      mediaPortRange: { min: 20_000, max: 10_000 },
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => i.path)).toEqual([
      'trunkDomainSuffix',
      'accountCpsOverflow',
      'geoBlockCode',
      'optionsRate.warnIntervalMs',
      'mediaPortRange',
    ]);
    expect(() => policySettings({ geoBlockCode: 1 as 4560 })).toThrow(PolicyConfigError);
  });
});
