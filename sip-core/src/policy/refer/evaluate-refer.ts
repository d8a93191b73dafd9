// REFER validation (BEHAVIOUR.md §7, §20): Zentrunk accepts a transfer only to a number on the customer's own
// trunk domain (`<trunk_id>.zt.plivo.com`, or the emulator's configured suffix), in E.164, not to a private IP,
// and not to a barred country. It answers 202 Accepted, or 403 (400 for a missing or malformed Refer-To).

import type { Account } from '../account/account-schema.js';
import { isNonPublicAddress, parseIpAddress } from '../net/ip-address.js';
import { classifyNumber, type ClassifiedNumber } from '../numbers/number-intelligence.js';
import { DEFAULT_POLICY_SETTINGS, type PolicySettings } from '../settings/policy-settings.js';
import type { TraceEntry } from '../engine/policy-decision.js';
import { trunkIdOfHost, viewOfAccount } from '../engine/policy-view.js';
import type { EvidenceGrade } from '../evidence.js';

export interface ReferContext {
  /** Direction of the call being transferred (decides the transfer leg's caller ID, §7). */
  readonly callDirection: 'inbound' | 'outbound';
}

export interface ReferTarget {
  readonly user: string;
  readonly host: string;
  readonly number: ClassifiedNumber;
  /** The decoded `Replaces` header parameter of an attended transfer, when present. */
  readonly replaces: string | undefined;
}

export interface ReferDecision {
  readonly status: 202 | 400 | 403;
  readonly reasonPhrase: 'Accepted' | 'Bad Request' | 'Forbidden';
  /** The target to call, on 202. */
  readonly target: ReferTarget | undefined;
  /** One sentence for the user. */
  readonly explanation: string;
  readonly trace: readonly TraceEntry[];
}

interface ParsedReferTo {
  readonly scheme: string;
  readonly user: string | undefined;
  readonly host: string;
  readonly headers: ReadonlyMap<string, string>;
}

/** Parses a Refer-To value: `<sip:user@host;params?headers>`, optionally with a display name, or a bare URI. */
export function parseReferTo(value: string): ParsedReferTo | undefined {
  const trimmed = value.trim();
  const angle = /<([^>]*)>/.exec(trimmed);
  const uri = angle ? (angle[1] ?? '') : (trimmed.split(';')[0] ?? '');
  const match = /^([a-z][a-z0-9+.-]*):(?:([^@]*)@)?([^;?]+)(?:;[^?]*)?(?:\?(.*))?$/i.exec(uri.trim());
  if (!match) return undefined;
  const [, scheme = '', user, hostPort = '', query] = match;
  const host = hostPort.startsWith('[')
    ? hostPort.slice(1, hostPort.indexOf(']'))
    : (hostPort.split(':')[0] ?? '');
  if (host === '') return undefined;
  const headers = new Map<string, string>();
  for (const pair of query?.split('&') ?? []) {
    const [name = '', raw = ''] = pair.split('=');
    try {
      headers.set(name.toLowerCase(), decodeURIComponent(raw));
    } catch {
      return undefined;
    }
  }
  return {
    scheme: scheme.toLowerCase(),
    user: user === undefined ? undefined : decodeUser(user),
    host: host.toLowerCase(),
    headers,
  };
}

function decodeUser(user: string): string {
  try {
    return decodeURIComponent(user);
  } catch {
    return user;
  }
}

const REFER_ZENTRUNK_SUFFIX = 'zt.plivo.com';

/** Validates a REFER's Refer-To against the §7 rules; `referTo` undefined means the header is missing. */
export function evaluateRefer(
  referTo: string | undefined,
  context: ReferContext,
  account: Account,
  settings: PolicySettings = DEFAULT_POLICY_SETTINGS,
): ReferDecision {
  const trace: TraceEntry[] = [];
  const step = (
    ruleId: string,
    title: string,
    grade: EvidenceGrade,
    outcome: TraceEntry['outcome'],
    detail: string,
  ) => trace.push({ ruleId, title, section: '§7, §20', grade, outcome, detail });
  const refuse = (status: 400 | 403, detail: string): ReferDecision => ({
    status,
    reasonPhrase: status === 400 ? 'Bad Request' : 'Forbidden',
    target: undefined,
    explanation: `${detail}.`,
    trace,
  });

  const parsed = referTo === undefined ? undefined : parseReferTo(referTo);
  if (!parsed || (parsed.scheme !== 'sip' && parsed.scheme !== 'sips') || !parsed.user) {
    const detail =
      referTo === undefined
        ? 'The REFER has no Refer-To header'
        : `Refer-To “${referTo}” is not a sip: URI with a number`;
    step('refer.refer-to', 'Refer-To present and well formed', 'P', 'fail', detail);
    return refuse(400, detail);
  }
  step(
    'refer.refer-to',
    'Refer-To present and well formed',
    'P',
    'pass',
    `Refer-To names ${parsed.user}@${parsed.host}`,
  );

  const ip = parseIpAddress(parsed.host);
  if (ip && isNonPublicAddress(ip)) {
    const detail = `Transfers to private addresses such as ${parsed.host} are blocked`;
    step('refer.private-ip', 'Target is not a private IP', 'D', 'fail', detail);
    return refuse(403, detail);
  }
  step('refer.private-ip', 'Target is not a private IP', 'D', 'pass', 'The target is not a private address');

  const view = viewOfAccount(account, settings);
  const ownTrunkIds = new Set(account.trunks.map((t) => t.trunk_id));
  const trunkId =
    trunkIdOfHost(parsed.host, settings.trunkDomainSuffix) ??
    trunkIdOfHost(parsed.host, REFER_ZENTRUNK_SUFFIX);
  const ownDomain =
    view.trunkDomains?.has(parsed.host) === true || (trunkId !== undefined && ownTrunkIds.has(trunkId));
  if (!ownDomain) {
    const detail = `Transfers must go to your own trunk domain (<trunk_id>.${settings.trunkDomainSuffix}), not ${parsed.host}`;
    step('refer.trunk-domain', 'Target is on your own trunk domain', 'D', 'fail', detail);
    return refuse(403, detail);
  }
  step(
    'refer.trunk-domain',
    'Target is on your own trunk domain',
    'D',
    'pass',
    `${parsed.host} is your trunk domain`,
  );

  const number = /^\+\d+$/.test(parsed.user) ? classifyNumber(parsed.user) : undefined;
  if (!number?.ok) {
    const detail = `The transfer target ${parsed.user} is not an E.164 number such as +14155551234`;
    step('refer.e164', 'Target is an E.164 number', 'P', 'fail', detail);
    return refuse(400, detail);
  }
  step('refer.e164', 'Target is an E.164 number', 'P', 'pass', `${number.e164} is E.164`);

  const geo = view.geo;
  const countries = number.country ? [number.country] : number.possibleCountries;
  const barred = (c: string) =>
    geo !== undefined && (geo.barred.has(c) || (geo.allowed !== undefined && !geo.allowed.has(c)));
  if (countries.length > 0 && countries.every(barred)) {
    const detail = `Transfers to ${countries.join('/')} are not enabled in your geo permissions`;
    step('refer.geo', 'Target country enabled', 'P', 'fail', detail);
    return refuse(403, detail);
  }
  step(
    'refer.geo',
    'Target country enabled',
    'P',
    'pass',
    `${countries.join('/') || 'The target'} is enabled`,
  );

  const replaces = parsed.headers.get('replaces');
  const leg = context.callDirection === 'outbound' ? 'your Plivo number' : 'the original caller’s number';
  return {
    status: 202,
    reasonPhrase: 'Accepted',
    target: { user: parsed.user, host: parsed.host, number, replaces },
    explanation: `Transfer to ${number.e164} accepted${replaces ? ' (attended, with Replaces)' : ''}; the new leg shows ${leg} as caller ID.`,
    trace,
  };
}
