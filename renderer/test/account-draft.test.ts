// The account editor's inline checks (table-driven, the same rules as the host's schema), the dirty check, and
// the mapping of problems to fields.
import { describe, expect, it } from 'vitest';
import {
  PASSWORD_MASK,
  isDirty,
  isE164,
  isIpOrCidr,
  isOriginationUri,
  problemAt,
  toDraft,
  validateDraft,
} from '../src/components/account-editor/account-draft.js';
import { valueAt } from '../src/store/account-editor-slice.js';
import { EDITOR_ACCOUNT } from './account-fixture.js';

describe('inline checks', () => {
  it.each([
    ['+14155550100', true],
    ['+442079460000', true],
    ['14155550100', false],
    ['+0415555', false],
    ['+1 415 555 0100', false],
    ['+1234567890123456', false],
  ])('E.164 %s → %s', (value, expected) => expect(isE164(value)).toBe(expected));

  it.each([
    ['127.0.0.1', true],
    ['10.0.0.0/8', true],
    ['192.0.2.1/32', true],
    ['::1', true],
    ['2001:db8::/32', true],
    ['fe80::1:2:3:4:5:6', true],
    ['256.1.1.1', false],
    ['10.0.0.0/33', false],
    ['2001:db8::/129', false],
    ['1:2:3:4:5:6:7:8:9', false],
    ['pbx.example.com', false],
    ['10.0.0.1/8/1', false],
  ])('IP or CIDR %s → %s', (value, expected) => expect(isIpOrCidr(value)).toBe(expected));

  it.each([
    ['127.0.0.1:5080;transport=udp', true],
    ['pbx.example.com', true],
    ['sip:pbx.example.com:5061;transport=tls', true],
    ['sip:user@[2001:db8::1]:5060', true],
    ['pbx.example.com:99999', false],
    ['pbx.example.com;transport=sctp', false],
    ['sip:', false],
    ['two words', false],
  ])('origination URI %s → %s', (value, expected) => expect(isOriginationUri(value)).toBe(expected));
});

describe('validateDraft', () => {
  it('finds nothing wrong with the account the host served', () => {
    expect(validateDraft(toDraft(EDITOR_ACCOUNT))).toEqual([]);
  });

  it('reports each bad field with the host path, and keeps a masked password as "unchanged"', () => {
    const draft = toDraft(EDITOR_ACCOUNT);
    const issues = validateDraft({
      ...draft,
      numbers: [...draft.numbers, { number: '0800 123', alias: '', app_id: null }],
      ip_access_control_lists: [
        { ...draft.ip_access_control_lists[0], ip_addresses: ['10.0.0.1', '999.0.0.1'] },
      ],
      origination_uris: [{ ...draft.origination_uris[0], uri: 'pbx;transport=sctp' }],
      credentials: [{ ...draft.credentials[0], password: PASSWORD_MASK }],
      permissions: { ...draft.permissions, geo: { barred_countries: ['cuba'] }, premium_allow_list: ['882'] },
      far_end: {
        ...draft.far_end,
        numbers: [
          { number: '+1415', name: 'Busy', description: '', scenario: { kind: 'reject', status: 200 } },
        ],
      },
    });
    expect(issues.map((i) => i.path)).toEqual([
      'ip_access_control_lists[0].ip_addresses[1]',
      'origination_uris[0].uri',
      'numbers[2].number',
      'permissions.geo.barred_countries[0]',
      'permissions.premium_allow_list[0]',
      'far_end.numbers[0].number',
      'far_end.numbers[0].name',
      'far_end.numbers[0].scenario.status',
    ]);
  });

  it('asks an outbound trunk for a way to authenticate and an inbound one for a primary URI', () => {
    const draft = toDraft(EDITOR_ACCOUNT);
    const trunks = draft.trunks.map((t) => ({
      ...t,
      ipacl_uuid: null,
      credential_uuid: null,
      primary_uri_uuid: null,
    }));
    expect(validateDraft({ ...draft, trunks }).map((i) => i.path)).toEqual([
      'trunks[0]',
      'trunks[1].primary_uri_uuid',
    ]);
  });
});

describe('problems and dirty state', () => {
  it('finds a problem at its field or inside it', () => {
    const issues = [{ path: 'credentials[0].password', message: 'too short' }];
    expect(problemAt(issues, 'credentials[0].password')).toBe('too short');
    expect(problemAt(issues, 'credentials[0]')).toBe('too short');
    expect(problemAt(issues, 'credentials[1]')).toBeUndefined();
    expect(problemAt(issues, 'credentials[0].pass')).toBeUndefined();
  });

  it('reads the value at a host path', () => {
    const draft = toDraft(EDITOR_ACCOUNT);
    expect(valueAt(draft, 'numbers[1].number')).toBe('+14155550101');
    expect(valueAt(draft, 'permissions.geo.barred_countries')).toEqual(['CU']);
    expect(valueAt(draft, 'numbers[9].number')).toBeUndefined();
  });

  it('is dirty after a change and clean again when it is undone', () => {
    const original = toDraft(EDITOR_ACCOUNT);
    const changed = { ...original, name: 'Renamed' };
    expect(isDirty(original, original)).toBe(false);
    expect(isDirty(changed, original)).toBe(true);
    expect(isDirty({ ...changed, name: original.name }, original)).toBe(false);
  });
});
