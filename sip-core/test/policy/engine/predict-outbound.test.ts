import { describe, expect, it } from 'vitest';
import { predictOutbound } from '../../../src/policy/engine/predict-outbound.js';
import { policySettings } from '../../../src/policy/settings/policy-settings.js';
import { demo } from '../../support/policy-fixtures.js';

describe('predictOutbound (partial knowledge)', () => {
  it('warns that a caller ID is not one of the user’s numbers, in a sentence the user can act on', () => {
    const { warnings } = predictOutbound(
      { destination: '+14155550111', callerId: '+15555550123' },
      { ownedNumbers: ['+14155550101', '14155550100'] },
    );
    expect(warnings).toEqual([
      {
        code: 4190,
        causeName: 'unknown_caller_id',
        status: 403,
        ruleId: 'caller-id.owned',
        section: '§4.2 #12, §10, §20',
        grade: 'D',
        message:
          'Caller ID +15555550123 is not one of your Plivo numbers: Zentrunk will end this call with 4190 unknown_caller_id.',
      },
    ]);
  });

  it('knows nothing → no warnings, and every rule that needs knowledge is "unknown", never "fail"', () => {
    const { warnings, trace } = predictOutbound({ destination: '+14155550111' }, {});
    expect(warnings).toEqual([]);
    const outcome = (id: string) => trace.find((t) => t.ruleId === id)?.outcome;
    for (const id of [
      'trunk.lookup',
      'auth.acl-or-digest',
      'limits.trunk-cps',
      'caller-id.owned',
      'destination.geo',
      'media.codecs',
    ]) {
      expect(outcome(id), id).toBe('unknown');
    }
    expect(outcome('destination.format')).toBe('pass');
    expect(trace.some((t) => t.outcome === 'fail')).toBe(false);
  });

  it('checks what needs no account: number format, premium-rate type, caller-ID shape', () => {
    const { warnings } = predictOutbound({ destination: '4155550111', callerId: '1234' }, {});
    expect(warnings.map((w) => [w.code, w.ruleId])).toEqual([
      [4140, 'caller-id.length'],
      [4100, 'destination.format'],
    ]);
    expect(warnings[1]?.message).toBe(
      'The destination 4155550111 has no country code: Zentrunk will end this call with 4100 prefix_not_supported.',
    );
  });

  it('uses enabled countries only when the user entered them', () => {
    expect(predictOutbound({ destination: '+442079460123' }, {}).warnings).toEqual([]);
    const { warnings } = predictOutbound(
      { destination: '+442079460123' },
      { enabledCountries: ['US', 'CA'] },
    );
    expect(warnings.map((w) => [w.code, w.causeName])).toEqual([[4560, 'destination_country_barred']]);
  });

  it('names premium numbers as unknown until the allow list is known, then warns', () => {
    const unknownList = predictOutbound({ destination: '+19005550100' }, {});
    expect(unknownList.trace.find((t) => t.ruleId === 'destination.premium')?.outcome).toBe('unknown');
    const known = predictOutbound({ destination: '+19005550100' }, { premiumAllowList: [] });
    expect(known.warnings.map((w) => w.code)).toEqual([4570]);
  });

  it('lists every failure, not just the first', () => {
    const { warnings } = predictOutbound(
      { destination: '+5372345678', callerId: '+15555550123' },
      { ownedNumbers: ['+14155550101'], barredCountries: ['CU'] },
    );
    expect(warnings.map((w) => w.code)).toEqual([4190, 4560]);
  });

  it('with the emulator’s full account, predicts the trunk lookup and the CPS queue is unknown', () => {
    const { warnings, trace } = predictOutbound(
      { destination: '+14155550111', callerId: '+14155550101', trunkDomain: 'nope.zt.plivo.com' },
      { account: demo },
    );
    expect(warnings.map((w) => w.code)).toEqual([4070]);
    expect(trace.find((t) => t.ruleId === 'limits.account-cps')?.outcome).toBe('unknown');
  });

  it('follows the settings (geo code variant)', () => {
    const { warnings } = predictOutbound(
      { destination: '+5372345678' },
      { barredCountries: ['CU'] },
      policySettings({ geoBlockCode: 4650 }),
    );
    expect(warnings.map((w) => w.code)).toEqual([4650]);
  });

  it('explains an India call without anchoring', () => {
    const { warnings } = predictOutbound(
      { destination: '+919810012346', callerId: '+14155550101' },
      { indiaAnchoringCompliant: true },
    );
    expect(warnings.map((w) => w.code)).toEqual([4590]);
    expect(warnings[0]?.message).toMatch(/Indian Plivo number/);
  });
});
