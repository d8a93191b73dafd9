// What each negative probe expects Zentrunk to answer: the exact status and hangup code of BEHAVIOUR.md §20,
// with the alternatives the emulator's settings select. Written out here from the specification rather than
// taken from the policy engine, because the emulator enforces that very engine: a probe that asked the engine
// what to expect could never catch the emulator drifting from the specification.

import type { PolicySettings } from '../../policy/index.js';

export type ProbeId =
  | 'probe-caller-id-not-owned'
  | 'probe-barred-country'
  | 'probe-premium-number'
  | 'probe-au-cli-prefix'
  | 'probe-missing-country-code'
  | 'probe-codec-mismatch'
  | 'probe-wrong-credentials'
  | 'probe-trunk-cps'
  | 'probe-unsupported-methods'
  | 'probe-require-100rel';

/** One header a response must carry; list values compare as sets of comma-separated tokens. */
export interface ExpectedHeader {
  readonly name: string;
  readonly value: string;
  readonly compare: 'exact' | 'token-set';
}

export interface ProbeExpectation {
  /** The challenge the first, unauthenticated request must get (the wrong-credentials probe). */
  readonly challengeStatus?: number;
  readonly status: number;
  /** Checked when the emulator sends `X-ZT-Hangup-Code` (setting `hangupCodeHeaders`); absent otherwise. */
  readonly hangupCode?: number;
  readonly headers: readonly ExpectedHeader[];
  /** The specification row, for the report. */
  readonly source: string;
  /** What to change when the emulator answers otherwise. */
  readonly remedy: string;
}

/** The settings a probe's expectation depends on. */
export type ExpectationSettings = Pick<
  PolicySettings,
  | 'geoBlockCode'
  | 'premiumBlocking'
  | 'unsupportedMethodStatus'
  | 'allowHeader'
  | 'noG711Response'
  | 'authChallenge'
  | 'hangupCodeHeaders'
>;

/** §20 "Unsupported methods": the Allow list of each setting. */
export const ALLOW_LISTS = {
  trunkline: 'INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, UPDATE',
  'plivo-traces': 'INVITE,ACK,CANCEL,BYE,UPDATE',
} as const;

/** §20 "Caller ID checks order": the Australian caller IDs Zentrunk blocks (ACMA), longest first. */
export const AU_BLOCKED_CLI_PREFIXES: readonly string[] = ['+611300', '+611800', '+611900', '+6113'];

const CONFIG_REMEDY =
  'Check the emulator’s settings and account in its config file (`trunkline emulator --print-config`)';

/**
 * The expectation of every probe under `settings`, or `undefined` for a probe the settings switch off (premium
 * blocking `off`: there is nothing to refuse).
 */
export function probeExpectations(
  settings: ExpectationSettings,
): Readonly<Record<ProbeId, ProbeExpectation | undefined>> {
  const code = (value: number): { hangupCode?: number } =>
    settings.hangupCodeHeaders ? { hangupCode: value } : {};
  const noG711 =
    settings.noG711Response === '488' ? { status: 488, code: 4620 } : { status: 415, code: 4220 };
  return {
    'probe-caller-id-not-owned': {
      status: 403,
      ...code(4190),
      headers: [],
      source: 'BEHAVIOUR.md §4.2 #12, §20 “Caller ID not owned”: 403 Forbidden + 4190 unknown_caller_id',
      remedy: `${CONFIG_REMEDY}: a caller ID that is not one of the account’s numbers must be refused.`,
    },
    'probe-barred-country': {
      status: 403,
      ...code(settings.geoBlockCode),
      headers: [],
      source: `BEHAVIOUR.md §4.2 #16, §20 “Geo permission block”: 403 Barred Country + ${settings.geoBlockCode}`,
      remedy: `${CONFIG_REMEDY}: the country is in permissions.geo.barred_countries, so calls to it must be refused.`,
    },
    'probe-premium-number':
      settings.premiumBlocking === 'block'
        ? {
            status: 403,
            ...code(4570),
            headers: [],
            source: 'BEHAVIOUR.md §4.2 #17, §20 “Premium / high-risk destination”: 403 Barred Number + 4570',
            remedy: `${CONFIG_REMEDY}: premium blocking is on and the prefix is in permissions.high_risk_prefixes, so the call must be refused.`,
          }
        : undefined,
    'probe-au-cli-prefix': {
      status: 403,
      ...code(4190),
      headers: [],
      source: 'BEHAVIOUR.md §4.2 #14, §20 “Caller ID checks order”: AU CLI prefixes → 403 + 4190',
      remedy: `${CONFIG_REMEDY}: caller IDs starting ${AU_BLOCKED_CLI_PREFIXES.join(', ')} must be refused.`,
    },
    'probe-missing-country-code': {
      status: 404,
      ...code(4100),
      headers: [],
      source: 'BEHAVIOUR.md §4.1, §20 “Destination not E.164”: 404 Prefix Not Supported + 4100',
      remedy: `${CONFIG_REMEDY}: a destination without a country code must be refused.`,
    },
    'probe-codec-mismatch': {
      status: noG711.status,
      ...code(noG711.code),
      headers: [],
      source: `BEHAVIOUR.md §4.2 #19, §20 “No PCMU/PCMA in offer”: ${noG711.status} + ${noG711.code}`,
      remedy: `${CONFIG_REMEDY}: an offer without PCMU or PCMA must be refused.`,
    },
    'probe-wrong-credentials': {
      challengeStatus: Number(settings.authChallenge),
      status: 403,
      ...code(4180),
      headers: [],
      source: `BEHAVIOUR.md §4.2 #5, §20 “Credential trunk auth”: ${settings.authChallenge} challenge, then 403 + 4180 for wrong credentials`,
      remedy: `${CONFIG_REMEDY}: a digest with the wrong password must be refused, never let through.`,
    },
    'probe-trunk-cps': {
      status: 503,
      ...code(5180),
      headers: [],
      source: 'BEHAVIOUR.md §4.2 #7, §20 “Trunk CPS overflow”: immediate 503 + 5180 cps_limit_reached',
      remedy: `${CONFIG_REMEDY}: limits.trunk_cps of the trunk must refuse the call above its rate at once.`,
    },
    'probe-unsupported-methods': {
      status: settings.unsupportedMethodStatus,
      headers:
        settings.unsupportedMethodStatus === 405
          ? [{ name: 'Allow', value: ALLOW_LISTS[settings.allowHeader], compare: 'token-set' }]
          : [],
      source: `BEHAVIOUR.md §3, §20 “Unsupported methods”: ${settings.unsupportedMethodStatus}${
        settings.unsupportedMethodStatus === 405 ? ` with Allow: ${ALLOW_LISTS[settings.allowHeader]}` : ''
      }`,
      remedy: `${CONFIG_REMEDY}: INFO, MESSAGE and REGISTER are not Zentrunk methods and must be refused.`,
    },
    'probe-require-100rel': {
      status: 420,
      headers: [{ name: 'Unsupported', value: '100rel', compare: 'token-set' }],
      source:
        'BEHAVIOUR.md §3, §20 “Require: 100rel”: 420 Bad Extension + Unsupported: 100rel (RFC 3261 §8.2.2.3)',
      remedy: `${CONFIG_REMEDY}: Zentrunk has no PRACK, so an INVITE that requires 100rel must be refused.`,
    },
  };
}
