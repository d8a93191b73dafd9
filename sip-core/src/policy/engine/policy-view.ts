// What the rules may know about the account, with "unknown" made explicit. The emulator builds the view from a
// full account (every field known); the softphone's pre-dial check builds it from the little the user entered.
// A field that is `undefined` here makes the rules that need it report "not evaluated", never a failure.

import { DEFAULT_TRUNK_CPS } from '../account/account-config.js';
import type { Account, Trunk } from '../account/account-schema.js';
import { parseIpNetwork, type IpNetwork } from '../net/ip-address.js';
import { toE164, type ClassifiedNumber } from '../numbers/number-intelligence.js';
import type { PolicySettings } from '../settings/policy-settings.js';

export interface GeoView {
  /** When defined, only these countries are enabled. */
  readonly allowed: ReadonlySet<string> | undefined;
  readonly barred: ReadonlySet<string>;
}

export interface PolicyView {
  /** Finds the trunk a Request-URI host names; undefined when the trunk set is unknown. */
  readonly trunkForHost: ((host: string) => Trunk | undefined) | undefined;
  /** The trunk's domain as the emulator serves it. */
  readonly trunkDomainOf: (trunk: Trunk) => string;
  /** The networks of the trunk's IP ACL; undefined when it has none. */
  readonly aclOf: (trunk: Trunk) => readonly IpNetwork[] | undefined;
  /** The account's Plivo numbers (E.164): the caller IDs it may present. */
  readonly ownedNumbers: ReadonlySet<string> | undefined;
  readonly dnoNumbers: ReadonlySet<string> | undefined;
  readonly geo: GeoView | undefined;
  readonly highRiskPrefixes: readonly string[] | undefined;
  readonly premiumAllowList: readonly string[] | undefined;
  readonly indiaAnchoringCompliant: boolean | undefined;
  readonly accountCps: number | undefined;
  /** The trunk's own CPS; null when it has no allocation and draws on the account's only; undefined: unknown. */
  readonly trunkCps: (trunkId: string) => number | null | undefined;
  /** null: unlimited; undefined: unknown. */
  readonly maxConcurrentCalls: number | null | undefined;
  readonly creditBalanceUsd: number | undefined;
  /** The trunk domains of the account (for REFER), or undefined when unknown. */
  readonly trunkDomains: ReadonlySet<string> | undefined;
}

/** Splits `<trunk_id>.<suffix>` or `<trunk_id>.<region>.<suffix>` (§1, §2.4) and returns the trunk id. */
export function trunkIdOfHost(host: string, suffix: string): string | undefined {
  const lower = host.toLowerCase().replace(/\.$/, '');
  const tail = `.${suffix.toLowerCase()}`;
  if (!lower.endsWith(tail)) return undefined;
  const labels = lower.slice(0, -tail.length).split('.');
  if (labels.length > 2) return undefined;
  const [id] = labels;
  return id !== undefined && /^\d+$/.test(id) ? id : undefined;
}

/** The domain a trunk is served on: its configured `trunk_domain`, else `<trunk_id>.<suffix>`. */
export function trunkDomain(trunk: Trunk, settings: PolicySettings): string {
  return (trunk.trunk_domain ?? `${trunk.trunk_id}.${settings.trunkDomainSuffix}`).toLowerCase();
}

/** Account numbers in E.164; numbers that cannot be read are left out. */
function e164Set(numbers: readonly string[]): ReadonlySet<string> {
  return new Set(numbers.map((n) => toE164(n)).filter((n): n is string => n !== undefined));
}

/**
 * The countries a destination may be in, and whether geo permissions bar it: a number libphonenumber cannot
 * place within a shared calling code (+1, +44) is barred only when every country it could be in is barred.
 */
export function geoCheck(
  geo: GeoView,
  number: ClassifiedNumber,
): { countries: readonly string[]; barred: boolean } {
  const countries = number.country ? [number.country] : number.possibleCountries;
  return { countries, barred: countries.length > 0 && countries.every((country) => isBarred(geo, country)) };
}

function isBarred(geo: GeoView, country: string): boolean {
  return geo.barred.has(country) || (geo.allowed !== undefined && !geo.allowed.has(country));
}

const views = new WeakMap<Account, WeakMap<PolicySettings, PolicyView>>();

/** The view of a full account; cached per (account, settings) object pair, so build accounts once. */
export function viewOfAccount(account: Account, settings: PolicySettings): PolicyView {
  let bySettings = views.get(account);
  if (!bySettings) {
    bySettings = new WeakMap();
    views.set(account, bySettings);
  }
  const cached = bySettings.get(settings);
  if (cached) return cached;
  const view = buildView(account, settings);
  bySettings.set(settings, view);
  return view;
}

function buildView(account: Account, settings: PolicySettings): PolicyView {
  const byId = new Map(account.trunks.map((t) => [t.trunk_id, t]));
  const byDomain = new Map(account.trunks.map((t) => [trunkDomain(t, settings), t]));
  const acls = new Map(
    account.ip_access_control_lists.map((acl) => [
      acl.ipacl_uuid,
      acl.ip_addresses.map(parseIpNetwork).filter((n): n is IpNetwork => n !== undefined),
    ]),
  );
  const geo = account.permissions.geo;
  return {
    trunkForHost(host) {
      // A stray `:port` is tolerated; trunk domains are names, never IPv6 literals.
      const lower = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
      const direct = byDomain.get(lower);
      if (direct) return direct;
      const id = trunkIdOfHost(lower, settings.trunkDomainSuffix);
      return id === undefined ? undefined : byId.get(id);
    },
    trunkDomainOf: (trunk) => trunkDomain(trunk, settings),
    aclOf: (trunk) => (trunk.ipacl_uuid === null ? undefined : (acls.get(trunk.ipacl_uuid) ?? [])),
    ownedNumbers: e164Set(account.numbers.map((n) => n.number)),
    dnoNumbers: e164Set(account.permissions.dno_numbers),
    geo: {
      allowed: geo.allowed_countries === undefined ? undefined : new Set(geo.allowed_countries),
      barred: new Set(geo.barred_countries),
    },
    highRiskPrefixes: account.permissions.high_risk_prefixes,
    premiumAllowList: account.permissions.premium_allow_list,
    indiaAnchoringCompliant: account.permissions.india_anchoring.compliant,
    accountCps: account.limits.account_cps,
    trunkCps: (trunkId) => {
      const allocation = account.limits.trunk_cps[trunkId];
      return allocation === undefined ? DEFAULT_TRUNK_CPS : allocation;
    },
    maxConcurrentCalls: account.limits.max_concurrent_calls,
    creditBalanceUsd: account.limits.credit_balance_usd,
    trunkDomains: new Set(byDomain.keys()),
  };
}

/** What the softphone may know before dialling; every field optional. */
export interface PreDialKnowledge {
  /** The account's Plivo numbers, as the user entered them. */
  readonly ownedNumbers?: readonly string[];
  /** Destination countries the user enabled in geo permissions (ISO2). */
  readonly enabledCountries?: readonly string[];
  /** Destination countries the user knows are barred. */
  readonly barredCountries?: readonly string[];
  readonly dnoNumbers?: readonly string[];
  readonly premiumAllowList?: readonly string[];
  readonly highRiskPrefixes?: readonly string[];
  readonly indiaAnchoringCompliant?: boolean;
}

/** A view in which only what the user entered is known. */
export function viewOfKnowledge(knowledge: PreDialKnowledge): PolicyView {
  const geoKnown = knowledge.enabledCountries !== undefined || knowledge.barredCountries !== undefined;
  return {
    trunkForHost: undefined,
    trunkDomainOf: (trunk) => trunk.trunk_domain ?? trunk.trunk_id,
    aclOf: () => undefined,
    ownedNumbers: knowledge.ownedNumbers && e164Set(knowledge.ownedNumbers),
    dnoNumbers: knowledge.dnoNumbers && e164Set(knowledge.dnoNumbers),
    geo: geoKnown
      ? {
          allowed: knowledge.enabledCountries ? new Set(knowledge.enabledCountries) : undefined,
          barred: new Set(knowledge.barredCountries ?? []),
        }
      : undefined,
    highRiskPrefixes: knowledge.highRiskPrefixes,
    premiumAllowList: knowledge.premiumAllowList,
    indiaAnchoringCompliant: knowledge.indiaAnchoringCompliant,
    accountCps: undefined,
    trunkCps: () => undefined,
    maxConcurrentCalls: undefined,
    creditBalanceUsd: undefined,
    trunkDomains: undefined,
  };
}
