// Inbound routing (BEHAVIOUR.md §5.1, §20): a DID routes through its `app_id` to an inbound trunk, whose primary
// origination URI is called first and whose fallback URI is tried when the primary times out, fails at the
// transport, or answers 5xx/6xx (never on 4xx: the PBX answered, and said no).

import type { Account, OriginationUri, Trunk } from '../account/account-schema.js';
import { causeOf } from '../catalogue/hangup-cause-lookup.js';
import type { HangupCause } from '../evidence.js';
import { toE164 } from '../numbers/number-intelligence.js';
import type { SecretString } from '../secret.js';
import { parseOriginationUri, type OriginationTarget } from './origination-uri.js';

export interface OriginationLeg {
  readonly uri_uuid: string;
  readonly target: OriginationTarget;
  /** Digest credentials to answer the PBX's challenge with, when `authentication_needed` (§5.3). */
  readonly credentials: { readonly username: string; readonly password: SecretString } | undefined;
}

export type InboundRoute =
  | {
      readonly kind: 'route';
      readonly did: string;
      readonly trunk: Trunk;
      readonly primary: OriginationLeg;
      readonly fallback: OriginationLeg | undefined;
      /** Set when a fallback URI is configured but unusable; the call goes to the primary only. */
      readonly fallbackProblem: string | undefined;
    }
  | {
      readonly kind: 'reject';
      readonly status: 402 | 404;
      readonly reasonPhrase: string;
      readonly cause: HangupCause;
      readonly explanation: string;
    };

const refuse = (
  status: 402 | 404,
  reasonPhrase: string,
  code: number,
  explanation: string,
): InboundRoute => ({
  kind: 'reject',
  status,
  reasonPhrase,
  cause: causeOf(code),
  explanation,
});

function leg(uri: OriginationUri): OriginationLeg | string {
  const parsed = parseOriginationUri(uri.uri);
  if (!parsed.ok) return parsed.message;
  const credentials =
    uri.authentication_needed && uri.username !== undefined && uri.password !== undefined
      ? { username: uri.username, password: uri.password }
      : undefined;
  return { uri_uuid: uri.uri_uuid, target: parsed.target, credentials };
}

/**
 * Routes a call to a DID. `creditBalanceUsd` (a live counter) refuses the call with 4030 before any PBX leg
 * when the account has no credit (§5.1 #5).
 */
export function routeInbound(did: string, account: Account, creditBalanceUsd?: number): InboundRoute {
  const e164 = toE164(did);
  const number = e164 === undefined ? undefined : account.numbers.find((n) => n.number === e164);
  if (!number || number.app_id === null) {
    return refuse(404, 'Not Found', 4080, `${did} is not routed to an inbound trunk on this account.`);
  }
  const trunk = account.trunks.find((t) => t.trunk_id === number.app_id);
  if (!trunk || trunk.trunk_direction !== 'inbound' || trunk.trunk_status !== 'enabled') {
    return refuse(
      404,
      'Not Found',
      4080,
      `${e164}'s trunk ${number.app_id ?? ''} is not an enabled inbound trunk.`,
    );
  }
  if ((creditBalanceUsd ?? account.limits.credit_balance_usd) <= 0) {
    return refuse(402, 'Payment Required', 4030, 'The account has no credit left.');
  }
  const uris = new Map(account.origination_uris.map((u) => [u.uri_uuid, u]));
  const primaryUri = trunk.primary_uri_uuid === null ? undefined : uris.get(trunk.primary_uri_uuid);
  if (!primaryUri)
    return refuse(404, 'Not Found', 4310, `Inbound trunk ${trunk.trunk_id} has no origination URI.`);
  const primary = leg(primaryUri);
  if (typeof primary === 'string') {
    return refuse(404, 'Not Found', 4320, `The origination URI “${primaryUri.uri}” is unusable: ${primary}.`);
  }
  const fallbackUri = trunk.fallback_uri_uuid === null ? undefined : uris.get(trunk.fallback_uri_uuid);
  const fallback = fallbackUri ? leg(fallbackUri) : undefined;
  return {
    kind: 'route',
    did: e164 ?? did,
    trunk,
    primary,
    fallback: typeof fallback === 'string' ? undefined : fallback,
    fallbackProblem:
      trunk.fallback_uri_uuid !== null && !fallbackUri
        ? `fallback URI ${trunk.fallback_uri_uuid} does not exist`
        : typeof fallback === 'string'
          ? fallback
          : undefined,
  };
}

/** How an attempt on an origination URI ended. */
export type OriginationOutcome =
  | { readonly kind: 'timeout' }
  | {
      readonly kind: 'transport-failure';
      /** What the transport said (connection refused, the PBX's certificate not trusted…), for the user. */
      readonly reason?: string;
    }
  | { readonly kind: 'response'; readonly status: number };

/** §20: try the fallback URI after a timeout (Timer B), a TCP/TLS connect failure, or a 5xx/6xx; not on 4xx. */
export function shouldTryFallback(outcome: OriginationOutcome): boolean {
  return outcome.kind !== 'response' || outcome.status >= 500;
}

/**
 * The Request-URI Zentrunk sends to the PBX (§5.2): the DID at the URI's host and port, with `transport`,
 * `timeout` (ring seconds) and `carrierid` parameters.
 */
export function originationRequestUri(
  target: OriginationTarget,
  did: string,
  trunkId: string,
  ringTimeoutS: number,
): string {
  const host = target.hostKind === 'ipv6' ? `[${target.host}]` : target.host;
  const user = target.user ?? did;
  return `sip:${user}@${host}:${target.port};transport=${target.transport};timeout=${ringTimeoutS};carrierid=${trunkId}`;
}
