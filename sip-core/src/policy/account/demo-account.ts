// The built-in demo account: what the emulator serves on first start, so a new user can call within seconds.
// Every documented behaviour has something to try it on: a credential trunk, an IP-ACL trunk on loopback, a
// secure trunk, an inbound trunk with primary and fallback URIs, Plivo numbers in four countries, a DNO number,
// and a barred country. The README lists all of it. What the "PSTN" behind the trunk does for each destination
// (busy, no answer…) is the emulator's far-end table, not account data (emulator/far-end/README.md).

import { loadAccountConfig } from './account-config.js';
import type { Account, AccountInput } from './account-schema.js';

export const DEMO_TRUNK_IDS = {
  credential: '10000000000001',
  ipAcl: '10000000000002',
  secure: '10000000000003',
  pool: '10000000000004',
  inbound: '20000000000001',
} as const;

/** Demo credentials; they protect nothing (the emulator listens on loopback) and are documented on purpose. */
export const DEMO_CREDENTIALS = {
  credential: { username: 'trunkline', password: 'Trunkline#2026' },
  secure: { username: 'securedemo', password: 'Secure#2026' },
} as const;

export const DEMO_ACCOUNT_CONFIG: AccountInput = {
  name: 'Trunkline demo account',
  auth_id: 'MADEMO0000000000000000',
  trunks: [
    {
      trunk_id: DEMO_TRUNK_IDS.credential,
      name: 'Demo credential trunk',
      trunk_direction: 'outbound',
      credential_uuid: 'demo-credential',
    },
    {
      trunk_id: DEMO_TRUNK_IDS.ipAcl,
      name: 'Demo IP-ACL trunk',
      trunk_direction: 'outbound',
      ipacl_uuid: 'demo-loopback-acl',
    },
    {
      trunk_id: DEMO_TRUNK_IDS.secure,
      name: 'Demo secure trunk',
      trunk_direction: 'outbound',
      secure: true,
      ipacl_uuid: 'demo-loopback-acl',
      credential_uuid: 'demo-secure-credential',
    },
    {
      // No CPS allocation of its own (limits.trunk_cps below): its calls draw on the account pool only, so a
      // burst on it queues in the account CPS queue (§12.1, §20; docs/adr/0080).
      trunk_id: DEMO_TRUNK_IDS.pool,
      name: 'Demo pool trunk (account CPS only)',
      trunk_direction: 'outbound',
      ipacl_uuid: 'demo-loopback-acl',
    },
    {
      trunk_id: DEMO_TRUNK_IDS.inbound,
      name: 'Demo inbound trunk',
      trunk_direction: 'inbound',
      primary_uri_uuid: 'demo-primary-uri',
      fallback_uri_uuid: 'demo-fallback-uri',
    },
  ],
  origination_uris: [
    { uri_uuid: 'demo-primary-uri', name: 'Local PBX (primary)', uri: '127.0.0.1:5080;transport=udp' },
    { uri_uuid: 'demo-fallback-uri', name: 'Local PBX (fallback)', uri: '127.0.0.1:5090;transport=tcp' },
  ],
  credentials: [
    { credential_uuid: 'demo-credential', name: 'Demo credentials', ...DEMO_CREDENTIALS.credential },
    {
      credential_uuid: 'demo-secure-credential',
      name: 'Demo secure credentials',
      ...DEMO_CREDENTIALS.secure,
    },
  ],
  ip_access_control_lists: [
    { ipacl_uuid: 'demo-loopback-acl', name: 'Loopback', ip_addresses: ['127.0.0.1/32', '::1'] },
  ],
  numbers: [
    { number: '14155550100', alias: 'US inbound DID', app_id: DEMO_TRUNK_IDS.inbound },
    { number: '14155550101', alias: 'US caller ID' },
    { number: '14155550102', alias: 'US number on the DNO list' },
    { number: '442079460000', alias: 'GB caller ID' },
    { number: '61255501234', alias: 'AU caller ID' },
    { number: '919810012345', alias: 'IN caller ID (KYC accepted)' },
  ],
  limits: {
    // Three outbound trunks at the default 1 CPS each must fit the account pool (§12.1), hence 3, not 2; the pool
    // trunk has no allocation and is not counted.
    account_cps: 3,
    trunk_cps: { [DEMO_TRUNK_IDS.pool]: null },
    max_concurrent_calls: null,
    credit_balance_usd: 25,
  },
  permissions: {
    geo: { barred_countries: ['CU'] },
    high_risk_prefixes: ['+881', '+882', '+883'],
    premium_allow_list: [],
    dno_numbers: ['+14155550102'],
    india_anchoring: { compliant: true },
  },
  rates: {
    default_rate_per_minute_usd: 0.01,
    secure_trunking_rate_per_minute_usd: 0.0015,
    table: [
      { destination_country: 'US', rate_per_minute_usd: 0.005 },
      { destination_country: 'US', number_type: 'toll-free', rate_per_minute_usd: 0.002 },
      { destination_country: 'CA', rate_per_minute_usd: 0.006 },
      { destination_country: 'GB', rate_per_minute_usd: 0.012 },
      { destination_country: 'GB', number_type: 'mobile', rate_per_minute_usd: 0.025 },
      { origin_country: 'GB', destination_country: 'GB', rate_per_minute_usd: 0.008 },
      { destination_country: 'AU', rate_per_minute_usd: 0.02 },
      { destination_country: 'IN', rate_per_minute_usd: 0.045 },
    ],
  },
};

/** A fresh, validated copy of the demo account. */
export function demoAccount(): Account {
  return loadAccountConfig(DEMO_ACCOUNT_CONFIG);
}
