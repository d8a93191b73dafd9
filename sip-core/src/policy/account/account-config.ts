// Loading an account config: the schema checks each object's shape; the cross-references between objects
// (a trunk's ipacl_uuid must name an ACL, a number's app_id an inbound trunk, trunk CPS must fit the account
// CPS) are checked here. Both run on every load, so one pass reports every problem.

import { fromZodIssues, PolicyConfigError, type ConfigIssue, type ConfigResult } from '../config-issues.js';
import { accountSchema, type Account } from './account-schema.js';

type Loose = Record<string, unknown>;

const asRecord = (value: unknown): Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : {};
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The CPS a trunk gets when `limits.trunk_cps` does not name it (BEHAVIOUR.md §12.1: 1 per outbound trunk). */
export const DEFAULT_TRUNK_CPS = 1;

/** Validates an account config (parsed JSON); returns the account or every problem with its field path. */
export function parseAccountConfig(input: unknown): ConfigResult<Account> {
  const structural = accountSchema.safeParse(input);
  const issues: ConfigIssue[] = structural.success ? [] : fromZodIssues(structural.error.issues);
  issues.push(...crossReferenceIssues(asRecord(input)));
  if (issues.length > 0 || !structural.success) return { ok: false, issues };
  return { ok: true, value: structural.data };
}

/** `parseAccountConfig` that throws a `PolicyConfigError` listing every problem. */
export function loadAccountConfig(input: unknown): Account {
  const result = parseAccountConfig(input);
  if (!result.ok) throw new PolicyConfigError('account configuration', result.issues);
  return result.value;
}

function crossReferenceIssues(account: Loose): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const trunks = asArray(account['trunks']).map(asRecord);
  const idsOf = (collection: string, field: string): Set<string> => {
    const seen = new Set<string>();
    asArray(account[collection]).forEach((item, index) => {
      const id = asString(asRecord(item)[field]);
      if (id === undefined) return;
      if (seen.has(id))
        issues.push({ path: `${collection}[${index}].${field}`, message: `duplicate ${field} ${id}` });
      seen.add(id);
    });
    return seen;
  };
  const trunkIds = idsOf('trunks', 'trunk_id');
  const aclIds = idsOf('ip_access_control_lists', 'ipacl_uuid');
  const credentialIds = idsOf('credentials', 'credential_uuid');
  const uriIds = idsOf('origination_uris', 'uri_uuid');

  const reference = (path: string, value: unknown, known: Set<string>, what: string): void => {
    const id = asString(value);
    if (id !== undefined && !known.has(id)) issues.push({ path, message: `no ${what} has the id ${id}` });
  };

  const outbound = new Set<string>();
  const inbound = new Set<string>();
  trunks.forEach((trunk, index) => {
    const at = `trunks[${index}]`;
    const id = asString(trunk['trunk_id']);
    const direction = trunk['trunk_direction'];
    if (id !== undefined && direction === 'outbound') outbound.add(id);
    if (id !== undefined && direction === 'inbound') inbound.add(id);
    reference(`${at}.ipacl_uuid`, trunk['ipacl_uuid'], aclIds, 'IP access control list');
    reference(`${at}.credential_uuid`, trunk['credential_uuid'], credentialIds, 'credential list');
    reference(`${at}.primary_uri_uuid`, trunk['primary_uri_uuid'], uriIds, 'origination URI');
    reference(`${at}.fallback_uri_uuid`, trunk['fallback_uri_uuid'], uriIds, 'origination URI');
    // §14.2: outbound trunks need an IP ACL or a credential list; inbound trunks need a primary URI.
    if (direction === 'outbound' && trunk['ipacl_uuid'] == null && trunk['credential_uuid'] == null) {
      issues.push({ path: at, message: 'an outbound trunk needs an ipacl_uuid, a credential_uuid, or both' });
    }
    if (direction === 'inbound' && trunk['primary_uri_uuid'] == null) {
      issues.push({
        path: `${at}.primary_uri_uuid`,
        message: 'an inbound trunk needs a primary origination URI',
      });
    }
    const domain = asString(trunk['trunk_domain']);
    if (domain !== undefined && id !== undefined && !domain.toLowerCase().startsWith(`${id}.`)) {
      issues.push({ path: `${at}.trunk_domain`, message: `must start with the trunk id (${id}.…)` });
    }
  });

  asArray(account['origination_uris']).forEach((item, index) => {
    const uri = asRecord(item);
    if (uri['authentication_needed'] !== true) return;
    for (const field of ['username', 'password']) {
      if (typeof uri[field] !== 'string' || uri[field] === '') {
        issues.push({
          path: `origination_uris[${index}].${field}`,
          message: 'required when authentication_needed is true',
        });
      }
    }
  });

  // §14.7: a number routes to an inbound trunk through app_id; outbound trunks cannot be attached.
  asArray(account['numbers']).forEach((item, index) => {
    const appId = asString(asRecord(item)['app_id']);
    if (appId === undefined) return;
    if (outbound.has(appId)) {
      issues.push({
        path: `numbers[${index}].app_id`,
        message: `trunk ${appId} is an outbound trunk; attach numbers to inbound trunks`,
      });
    } else if (!trunkIds.has(appId)) {
      issues.push({ path: `numbers[${index}].app_id`, message: `no trunk has the id ${appId}` });
    }
  });

  // §12.1, §20: trunk CPS is allocated from the account pool, so the trunks' sum may not exceed it. A trunk with
  // no allocation of its own (null) draws on the pool only and adds nothing to the sum (docs/adr/0080).
  const limits = asRecord(account['limits']);
  const trunkCps = asRecord(limits['trunk_cps']);
  for (const id of Object.keys(trunkCps)) {
    if (!outbound.has(id))
      issues.push({ path: `limits.trunk_cps.${id}`, message: 'not an outbound trunk of this account' });
  }
  const accountCps = typeof limits['account_cps'] === 'number' ? limits['account_cps'] : 2;
  let sum = 0;
  for (const id of outbound) {
    const cps = trunkCps[id];
    if (cps === null) continue;
    sum += typeof cps === 'number' ? cps : DEFAULT_TRUNK_CPS;
  }
  if (sum > accountCps) {
    issues.push({
      path: 'limits.trunk_cps',
      message: `the outbound trunks' CPS add up to ${sum}, more than the account CPS of ${accountCps}`,
    });
  }
  return issues;
}
