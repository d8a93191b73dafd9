// REFER validation (BEHAVIOUR.md §7, §20): Zentrunk accepts a transfer only to a number on the customer's own
// trunk domain (`<trunk_id>.zt.plivo.com`, or the emulator's configured suffix), in E.164, not to a private IP,
// and not to a barred country. It answers 202 Accepted, or 403 (400 for a missing or malformed Refer-To).

import type { Account } from '../account/account-schema.js';
import { isNonPublicAddress, parseIpAddress } from '../net/ip-address.js';
import { classifyNumber, type ClassifiedNumber } from '../numbers/number-intelligence.js';
import { DEFAULT_POLICY_SETTINGS, type PolicySettings } from '../settings/policy-settings.js';
import type { TraceEntry } from '../engine/policy-decision.js';
import { geoCheck, trunkIdOfHost, viewOfAccount } from '../engine/policy-view.js';
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

/** One §7 check: the failure it reports (status and sentence), or the sentence it passes with. */
interface ReferCheck {
  readonly ruleId: string;
  readonly title: string;
  readonly grade: EvidenceGrade;
  readonly run: () => { readonly refuse: 400 | 403; readonly detail: string } | { readonly detail: string };
}

/** Validates a REFER's Refer-To against the §7 rules; `referTo` undefined means the header is missing. */
export function evaluateRefer(
  referTo: string | undefined,
  context: ReferContext,
  account: Account,
  settings: PolicySettings = DEFAULT_POLICY_SETTINGS,
): ReferDecision {
  const view = viewOfAccount(account, settings);
  const parsed = referTo === undefined ? undefined : parseReferTo(referTo);
  const user = parsed && (parsed.scheme === 'sip' || parsed.scheme === 'sips') ? parsed.user : undefined;
  const host = parsed?.host ?? '';
  const number = user !== undefined && /^\+\d+$/.test(user) ? classifyNumber(user) : undefined;

  const checks: ReferCheck[] = [
    {
      ruleId: 'refer.refer-to',
      title: 'Refer-To present and well formed',
      grade: 'P',
      run: () =>
        user === undefined
          ? {
              refuse: 400,
              detail:
                referTo === undefined
                  ? 'The REFER has no Refer-To header'
                  : `Refer-To “${referTo}” is not a sip: URI with a number`,
            }
          : { detail: `Refer-To names ${user}@${host}` },
    },
    {
      ruleId: 'refer.private-ip',
      title: 'Target is not a private IP',
      grade: 'D',
      run: () => {
        const ip = parseIpAddress(host);
        return ip && isNonPublicAddress(ip)
          ? { refuse: 403, detail: `Transfers to private addresses such as ${host} are blocked` }
          : { detail: 'The target is not a private address' };
      },
    },
    {
      ruleId: 'refer.trunk-domain',
      title: 'Target is on your own trunk domain',
      grade: 'D',
      run: () => {
        const trunkId =
          trunkIdOfHost(host, settings.trunkDomainSuffix) ?? trunkIdOfHost(host, REFER_ZENTRUNK_SUFFIX);
        const own =
          view.trunkDomains?.has(host) === true ||
          (trunkId !== undefined && account.trunks.some((t) => t.trunk_id === trunkId));
        return own
          ? { detail: `${host} is your trunk domain` }
          : {
              refuse: 403,
              detail: `Transfers must go to your own trunk domain (<trunk_id>.${settings.trunkDomainSuffix}), not ${host}`,
            };
      },
    },
    {
      ruleId: 'refer.e164',
      title: 'Target is an E.164 number',
      grade: 'P',
      run: () =>
        number?.ok
          ? { detail: `${number.e164} is E.164` }
          : {
              refuse: 400,
              detail: `The transfer target ${user ?? ''} is not an E.164 number such as +14155551234`,
            },
    },
    {
      ruleId: 'refer.geo',
      title: 'Target country enabled',
      grade: 'P',
      run: () => {
        if (!number?.ok || view.geo === undefined) return { detail: 'No geo permissions to check' };
        const { countries, barred } = geoCheck(view.geo, number);
        return barred
          ? {
              refuse: 403,
              detail: `Transfers to ${countries.join('/')} are not enabled in your geo permissions`,
            }
          : { detail: `${countries.join('/') || 'The target'} is enabled` };
      },
    },
  ];

  const trace: TraceEntry[] = [];
  for (const check of checks) {
    const result = check.run();
    const refused = 'refuse' in result;
    trace.push({
      ruleId: check.ruleId,
      title: check.title,
      section: '§7, §20',
      grade: check.grade,
      outcome: refused ? 'fail' : 'pass',
      detail: result.detail,
    });
    if (refused) {
      return {
        status: result.refuse,
        reasonPhrase: result.refuse === 400 ? 'Bad Request' : 'Forbidden',
        target: undefined,
        explanation: `${result.detail}.`,
        trace,
      };
    }
  }

  // Every check passed, so the user and the number are known here.
  const target = number?.ok ? number : undefined;
  const replaces = parsed?.headers.get('replaces');
  const leg = context.callDirection === 'outbound' ? 'your Plivo number' : 'the original caller’s number';
  return {
    status: 202,
    reasonPhrase: 'Accepted',
    target: target && { user: user ?? target.e164, host, number: target, replaces },
    explanation: `Transfer to ${target?.e164 ?? ''} accepted${replaces ? ' (attended, with Replaces)' : ''}; the new leg shows ${leg} as caller ID.`,
    trace,
  };
}
