// What each negative probe sends, derived from the emulator's account and settings (never from a demo account
// written into a check): which trunk, which caller ID the account owns and which it does not, a number in a
// barred country, a number under a blocked high-risk prefix, an Australian caller ID Zentrunk blocks, a
// destination without its country code, the trunk's CPS. Pure: account, settings, target and our local address
// in; a plan, or why the probe does not apply, out (ADR 0118).

import { getExampleNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import type { CountryCode } from 'libphonenumber-js/max';
import {
  classifyNumber,
  DEFAULT_TRUNK_CPS,
  networkContains,
  parseIpAddress,
  parseIpNetwork,
  trunkDomain,
  type Account,
  type PolicySettings,
  type Trunk,
} from '../../policy/index.js';
import type { CheckTarget } from '../target/check-target.js';
import { AU_BLOCKED_CLI_PREFIXES, type ProbeId } from './probe-expectations.js';

/** What the checks know of the emulator they run against: its account and its §20 settings. */
export interface EmulatorAccountFacts {
  readonly account: Account;
  readonly settings: PolicySettings;
}

/** One call attempt: the trunk domain it addresses, the From user and the dialled number. */
export interface ProbeCall {
  readonly domain: string;
  readonly callerId: string;
  readonly destination: string;
}

export type ProbePlan =
  | {
      readonly kind: 'invite';
      readonly call: ProbeCall;
      /** `g711`: PCMU/PCMA offered; `no-g711`: only codecs Zentrunk lacks. */
      readonly offer: 'g711' | 'no-g711';
      readonly extraHeaders: ReadonlyArray<readonly [string, string]>;
      /** What the probe does, in words, for the report. */
      readonly what: string;
    }
  | {
      readonly kind: 'wrong-credentials';
      readonly call: ProbeCall;
      readonly username: string;
      readonly what: string;
    }
  | {
      readonly kind: 'burst';
      readonly call: ProbeCall;
      readonly trunkCps: number;
      /** Calls sent at once: one more than the trunk's CPS admits. */
      readonly size: number;
      readonly what: string;
    }
  | {
      readonly kind: 'methods';
      readonly call: ProbeCall;
      readonly methods: readonly string[];
      readonly what: string;
    }
  /** The account gives this probe nothing to refuse (no barred country, premium blocking off…). */
  | { readonly kind: 'not-applicable'; readonly reason: string }
  /** The target is not usable for probes at all (not a trunk of this account, no caller ID…). */
  | { readonly kind: 'unusable'; readonly reason: string };

/** INFO, MESSAGE and REGISTER: the unsupported methods a PBX most often sends (§3). */
export const UNSUPPORTED_METHODS: readonly string[] = ['INFO', 'MESSAGE', 'REGISTER'];

/** A burst never exceeds this many INVITEs, whatever the trunk's CPS. */
export const MAX_BURST_SIZE = 20;

interface Basics {
  readonly facts: EmulatorAccountFacts;
  readonly trunk: Trunk;
  readonly domain: string;
  readonly callerId: string;
  readonly destination: string;
  readonly owned: ReadonlySet<string>;
}

export function planProbe(
  id: ProbeId,
  facts: EmulatorAccountFacts,
  target: CheckTarget,
  localAddress: string,
): ProbePlan {
  const basics = basicsOf(facts, target);
  if ('kind' in basics) return basics;
  const call = { domain: basics.domain, callerId: basics.callerId, destination: basics.destination };
  switch (id) {
    case 'probe-caller-id-not-owned': {
      const callerId = unownedVariant(basics.callerId, basics.owned, facts);
      if (callerId === undefined) return notApplicable('no number near the caller ID is free of the account');
      return invite({ ...call, callerId }, `Caller ID ${callerId}, which the account does not own`);
    }
    case 'probe-barred-country': {
      const barred = barredDestination(facts.account);
      if (barred === undefined) return notApplicable('the account’s geo permissions bar no country');
      return invite(
        { ...call, destination: barred.number },
        `A call to ${barred.number} in ${barred.country}, a country the geo permissions bar`,
      );
    }
    case 'probe-premium-number': {
      if (facts.settings.premiumBlocking === 'off')
        return notApplicable('premium blocking is off in the settings');
      const premium = highRiskDestination(facts.account);
      if (premium === undefined)
        return notApplicable('the account blocks no high-risk prefix that support has not approved');
      return invite(
        { ...call, destination: premium.number },
        `A call to ${premium.number}, under the blocked high-risk prefix ${premium.prefix}`,
      );
    }
    case 'probe-au-cli-prefix': {
      const callerId = auBlockedCallerId(basics.owned, facts);
      if (callerId === undefined)
        return notApplicable('no Australian caller ID under a blocked prefix can be formed');
      return invite(
        { ...call, callerId },
        `Caller ID ${callerId}, under an Australian prefix Zentrunk blocks`,
      );
    }
    case 'probe-missing-country-code': {
      const national = withoutCountryCode(basics.destination);
      if (national === undefined)
        return notApplicable(`${basics.destination} has no national form without its country code`);
      return invite(
        { ...call, destination: national },
        `A call to ${national}: ${basics.destination} without its country code`,
      );
    }
    case 'probe-codec-mismatch':
      return {
        kind: 'invite',
        call,
        offer: 'no-g711',
        extraHeaders: [],
        what: `A call to ${call.destination} offering only G.729 and GSM`,
      };
    case 'probe-require-100rel':
      return {
        kind: 'invite',
        call,
        offer: 'g711',
        extraHeaders: [
          ['Require', '100rel'],
          ['Supported', '100rel'],
        ],
        what: `A call to ${call.destination} with Require: 100rel`,
      };
    case 'probe-wrong-credentials':
      return wrongCredentials(basics, target, localAddress);
    case 'probe-trunk-cps':
      return burst(basics);
    case 'probe-unsupported-methods':
      return {
        kind: 'methods',
        call,
        methods: UNSUPPORTED_METHODS,
        what: `${UNSUPPORTED_METHODS.join(', ')} outside a dialog`,
      };
  }
}

function invite(call: ProbeCall, what: string): ProbePlan {
  return { kind: 'invite', call, offer: 'g711', extraHeaders: [], what };
}

function notApplicable(reason: string): ProbePlan {
  return { kind: 'not-applicable', reason };
}

function basicsOf(facts: EmulatorAccountFacts, target: CheckTarget): Basics | ProbePlan {
  const { account, settings } = facts;
  const domain = target.terminationDomain.toLowerCase();
  const trunk = account.trunks.find(
    (t) => t.trunk_direction === 'outbound' && trunkDomain(t, settings) === domain,
  );
  if (trunk === undefined) {
    return { kind: 'unusable', reason: `${domain} is not an outbound trunk of the emulator’s account` };
  }
  const owned = new Set(account.numbers.map((n) => n.number));
  const dno = new Set(account.permissions.dno_numbers);
  const usable = (n: string): boolean => owned.has(n) && !dno.has(n) && !isAuBlocked(n);
  const given = target.callerId === undefined ? undefined : classifyNumber(target.callerId);
  const callerId =
    given?.ok === true && usable(given.e164) ? given.e164 : account.numbers.map((n) => n.number).find(usable);
  if (callerId === undefined) {
    return {
      kind: 'unusable',
      reason: 'the emulator’s account owns no caller ID a call may use (all on the DNO list)',
    };
  }
  const candidates = [
    ...(target.testNumber !== undefined ? [target.testNumber] : []),
    ...account.numbers.map((n) => n.number),
  ];
  const destination = candidates.map(allowedE164(account)).find((n) => n !== undefined);
  if (destination === undefined) {
    return { kind: 'unusable', reason: 'no destination the account may call: give a --test-number' };
  }
  return { facts, trunk, domain, callerId, destination, owned };
}

function isAuBlocked(e164: string): boolean {
  return AU_BLOCKED_CLI_PREFIXES.some((prefix) => e164.startsWith(prefix));
}

/** The number in E.164 when a call to it passes geo and premium permissions. */
function allowedE164(account: Account): (number: string) => string | undefined {
  const { geo, high_risk_prefixes: highRisk } = account.permissions;
  return (number) => {
    const info = classifyNumber(number);
    if (!info.ok || !info.valid || info.country === undefined) return undefined;
    if (geo.barred_countries.includes(info.country)) return undefined;
    if (geo.allowed_countries !== undefined && !geo.allowed_countries.includes(info.country))
      return undefined;
    if (info.type === 'premium-rate' || highRisk.some((prefix) => info.e164.startsWith(prefix)))
      return undefined;
    return info.e164;
  };
}

/** The caller ID with its last three digits changed until the account owns no such number. */
function unownedVariant(
  callerId: string,
  owned: ReadonlySet<string>,
  facts: EmulatorAccountFacts,
): string | undefined {
  const dno = new Set(facts.account.permissions.dno_numbers);
  const stem = callerId.slice(0, -3);
  for (let i = 0; i < 1000; i++) {
    const candidate = stem + String((Number(callerId.slice(-3)) + 1 + i) % 1000).padStart(3, '0');
    const info = classifyNumber(candidate);
    if (info.ok && info.valid && !owned.has(info.e164) && !dno.has(info.e164) && !isAuBlocked(info.e164))
      return info.e164;
  }
  return undefined;
}

/** A valid number in a country the account's geo permissions bar: a deselected one, else one outside the allowed list. */
function barredDestination(account: Account): { number: string; country: string } | undefined {
  const { barred_countries: barred, allowed_countries: allowed } = account.permissions.geo;
  const countries = [
    ...barred,
    ...(allowed === undefined ? [] : Object.keys(examples).filter((c) => !allowed.includes(c))),
  ];
  for (const country of countries) {
    const example = getExampleNumber(country as CountryCode, examples);
    const info = example === undefined ? undefined : classifyNumber(example.number);
    if (info?.ok === true && info.country === country) return { number: info.e164, country };
  }
  return undefined;
}

/** A well-formed number under a high-risk prefix that the premium allow list does not cover. */
function highRiskDestination(account: Account): { number: string; prefix: string } | undefined {
  const { high_risk_prefixes: prefixes, premium_allow_list: approved } = account.permissions;
  for (const prefix of prefixes) {
    for (let length = 11; length <= 15; length++) {
      const digits = prefix.slice(1) + '2345678901234'.slice(0, Math.max(0, length - (prefix.length - 1)));
      const info = classifyNumber(`+${digits}`);
      if (!info.ok || approved.some((allowed) => info.e164.startsWith(allowed))) continue;
      return { number: info.e164, prefix };
    }
  }
  return undefined;
}

/** An owned caller ID under a blocked Australian prefix when the account has one (so the country rule, not
 * ownership, refuses it), else a well-formed one the account does not own. */
function auBlockedCallerId(owned: ReadonlySet<string>, facts: EmulatorAccountFacts): string | undefined {
  const dno = new Set(facts.account.permissions.dno_numbers);
  const ownedBlocked = [...owned].find((n) => isAuBlocked(n) && !dno.has(n));
  if (ownedBlocked !== undefined) return ownedBlocked;
  for (const prefix of AU_BLOCKED_CLI_PREFIXES) {
    const info = classifyNumber(prefix + '123456789'.slice(0, 12 - prefix.length));
    if (info.ok && !owned.has(info.e164) && !dno.has(info.e164)) return info.e164;
  }
  return undefined;
}

/** The national significant number: what a PBX dials when it forgets the country code. */
function withoutCountryCode(e164: string): string | undefined {
  const info = classifyNumber(e164);
  if (!info.ok) return undefined;
  const national = info.e164.slice(1 + info.countryCallingCode.length);
  const again = classifyNumber(national);
  return !again.ok && again.problem === 'no-country-code' ? national : undefined;
}

function wrongCredentials(basics: Basics, target: CheckTarget, localAddress: string): ProbePlan {
  const { account, settings } = basics.facts;
  const source = parseIpAddress(localAddress);
  const aclLetsUsIn = (trunk: Trunk): boolean => {
    if (settings.aclAndCredentials === 'both' || trunk.ipacl_uuid === null || source === undefined)
      return false;
    const acl = account.ip_access_control_lists.find((l) => l.ipacl_uuid === trunk.ipacl_uuid);
    return (acl?.ip_addresses ?? []).some((text) => {
      const network = parseIpNetwork(text);
      return network !== undefined && networkContains(network, source);
    });
  };
  // A trunk that challenges us: the target's own, else another credential trunk of the account that the
  // transport reaches (a secure trunk refuses plain transports before it authenticates, §4.2 #4).
  const challenging = (trunk: Trunk): boolean =>
    trunk.trunk_direction === 'outbound' &&
    trunk.trunk_status === 'enabled' &&
    trunk.credential_uuid !== null &&
    (!trunk.secure || target.transport === 'tls') &&
    !aclLetsUsIn(trunk);
  const trunk = challenging(basics.trunk) ? basics.trunk : account.trunks.find(challenging);
  if (trunk === undefined) {
    return notApplicable('no credential trunk of the account challenges this source (its IP ACL lets it in)');
  }
  const credential = account.credentials.find((c) => c.credential_uuid === trunk.credential_uuid);
  if (credential === undefined)
    return notApplicable(`trunk ${trunk.trunk_id} names a credential list the account lacks`);
  const domain = trunkDomain(trunk, settings);
  return {
    kind: 'wrong-credentials',
    call: { domain, callerId: basics.callerId, destination: basics.destination },
    username: credential.username,
    what: `A call on ${domain} answering the challenge as ${credential.username} with a wrong password`,
  };
}

function burst(basics: Basics): ProbePlan {
  const allocation = basics.facts.account.limits.trunk_cps[basics.trunk.trunk_id];
  if (allocation === null) {
    return notApplicable(
      `trunk ${basics.trunk.trunk_id} has no CPS of its own: its calls queue on the account’s CPS`,
    );
  }
  const trunkCps = allocation ?? DEFAULT_TRUNK_CPS;
  // A sliding window of one second admits a call while fewer than `trunkCps` were admitted (ADR 0077).
  const size = Math.ceil(trunkCps) + 1;
  if (size > MAX_BURST_SIZE)
    return notApplicable(`the trunk’s CPS (${trunkCps}) is above what a probe bursts`);
  return {
    kind: 'burst',
    call: { domain: basics.domain, callerId: basics.callerId, destination: basics.destination },
    trunkCps,
    size,
    what: `${size} calls to ${basics.destination} at once on a trunk with ${trunkCps} CPS, each ended at once`,
  };
}
