// An account document as the host's `emulator.getAccount` sends it for a saved account (passwords masked).
import type { EmulatorAccountDocument } from '../../electron/common/index.js';

export const EDITOR_ACCOUNT: EmulatorAccountDocument = {
  name: 'Rehearsal',
  auth_id: 'MAREHEARSAL',
  trunks: [
    {
      trunk_id: '10000000000001',
      name: 'Office',
      trunk_direction: 'outbound',
      trunk_status: 'enabled',
      secure: false,
      ipacl_uuid: 'office-acl',
      credential_uuid: 'office-cred',
      primary_uri_uuid: null,
      fallback_uri_uuid: null,
    },
    {
      trunk_id: '20000000000001',
      name: 'Inbound',
      trunk_direction: 'inbound',
      trunk_status: 'enabled',
      secure: false,
      ipacl_uuid: null,
      credential_uuid: null,
      primary_uri_uuid: 'pbx-primary',
      fallback_uri_uuid: 'pbx-fallback',
    },
  ],
  origination_uris: [
    {
      uri_uuid: 'pbx-primary',
      name: 'PBX',
      uri: '127.0.0.1:5080;transport=udp',
      authentication_needed: false,
    },
    {
      uri_uuid: 'pbx-fallback',
      name: 'PBX 2',
      uri: '127.0.0.1:5090;transport=tcp',
      authentication_needed: false,
    },
  ],
  credentials: [
    { credential_uuid: 'office-cred', name: 'Office', username: 'office1', password: '********' },
  ],
  ip_access_control_lists: [{ ipacl_uuid: 'office-acl', name: 'Office', ip_addresses: ['127.0.0.1/32'] }],
  numbers: [
    { number: '+14155550100', alias: 'DID', app_id: '20000000000001', voice_enabled: true },
    { number: '+14155550101', alias: 'Caller ID', app_id: null, voice_enabled: true },
  ],
  limits: { account_cps: 2, trunk_cps: {}, max_concurrent_calls: null, credit_balance_usd: 10 },
  permissions: {
    geo: { barred_countries: ['CU'] },
    high_risk_prefixes: [],
    premium_allow_list: [],
    dno_numbers: [],
    india_anchoring: { compliant: false },
  },
  rates: { default_rate_per_minute_usd: 0.01, secure_trunking_rate_per_minute_usd: 0.0015, table: [] },
  settings: {
    accountCpsOverflow: 'queue',
    accountCpsQueueBoundMs: 10000,
    authChallenge: '407',
    ringTimeoutMs: 60000,
  },
  far_end: {
    builtInNumbers: true,
    default: { kind: 'answer', afterMs: 0, media: { kind: 'echo' } },
    numbers: [
      {
        number: '+14155550199',
        name: 'busy',
        description: '',
        scenario: { kind: 'reject', status: 486, afterMs: 0 },
      },
    ],
    bridgeHangupAfterMs: 60000,
  },
  far_end_numbers: [
    {
      number: '+14155550111',
      name: 'echo',
      description: 'Rings (180) and answers at once, echoes your audio',
    },
  ],
};
