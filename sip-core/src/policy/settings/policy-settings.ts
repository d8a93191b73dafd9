// The emulator's behaviour switches: every default of BEHAVIOUR.md §20 with its alternative. One object, with
// defaults, validated by a schema, so the effective configuration can be shown to the user whole and every
// decision can name the switch it followed.

import { z } from 'zod';
import { fromZodIssues, PolicyConfigError, type ConfigResult } from '../config-issues.js';

const positiveMs = z.number().int().positive();

export const optionsRateSettingsSchema = z.object({
  /** More than one OPTIONS per this interval from one source to one trunk raises a warning (§11, §20). */
  warnIntervalMs: positiveMs.default(10_000),
  /** More than one OPTIONS per this interval… */
  blockIntervalMs: positiveMs.default(5_000),
  /** …sustained for this long blocks the source… */
  blockSustainMs: positiveMs.default(60_000),
  /** …for this long (OPTIONS and INVITE then get no answer). */
  blockDurationMs: positiveMs.default(300_000),
  /** The alternative: warn only, never block. */
  blocking: z.boolean().default(true),
});

export const policySettingsSchema = z.object({
  /** Trunk domains are `<trunk_id>.<suffix>` (and `<trunk_id>.<region>.<suffix>`); served locally. */
  trunkDomainSuffix: z
    .string()
    .regex(/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i, 'a DNS suffix such as zt.plivo.com')
    .default('zt.plivo.com'),
  /** Account CPS overflow: `queue` (tech specs, FAQ) or `reject` at once with 503 + 5180 (§12.1, §17). */
  accountCpsOverflow: z.enum(['queue', 'reject']).default('queue'),
  /** How long a queued call may wait for a free CPS slot before 503 + 5180. */
  accountCpsQueueBoundMs: positiveMs.default(10_000),
  /** Geo block code: 4560 (hangup table) or 4650 (geo-permissions page). */
  geoBlockCode: z.union([z.literal(4560), z.literal(4650)]).default(4560),
  /** Geo block cause name: the FAQ's `destination_country_barred` or the table's `barred_country`. */
  geoBlockCauseName: z
    .enum(['destination_country_barred', 'barred_country'])
    .default('destination_country_barred'),
  /** Premium and high-risk destinations: blocked (default) or not blocked. */
  premiumBlocking: z.enum(['block', 'off']).default('block'),
  /** Where the caller ID is read: P-Asserted-Identity first, else From (default), or From only. */
  callerIdSource: z.enum(['pai-then-from', 'from-only']).default('pai-then-from'),
  /** Status for unsupported methods: 405 with Allow (default) or 501. */
  unsupportedMethodStatus: z.union([z.literal(405), z.literal(501)]).default(405),
  /** The Allow list: Trunkline's full list (default) or the list seen in Plivo's traces. */
  allowHeader: z.enum(['trunkline', 'plivo-traces']).default('trunkline'),
  /** No PCMU/PCMA in the offer: 488 + 4620 (default) or 415 + 4220. */
  noG711Response: z.enum(['488', '415']).default('488'),
  /** TLS or SRTP towards a trunk without secure trunking: 488 (default) or 403, both with 4110. */
  insecureTrunkResponse: z.enum(['488', '403']).default('488'),
  /** A secure trunk receiving a plain RTP offer: reject 488 + 4110 (default), or accept and send no media. */
  secureTrunkPlainRtp: z.enum(['reject', 'accept-no-media']).default('reject'),
  /** Digest challenge on credential trunks: 407 Proxy-Authenticate (default) or 401 WWW-Authenticate. */
  authChallenge: z.enum(['407', '401']).default('407'),
  /** Offer SHA-256 digest beside MD5 in challenges. */
  digestSha256: z.boolean().default(false),
  /** A trunk with both an IP ACL and credentials: either suffices (default) or both are required. */
  aclAndCredentials: z.enum(['either', 'both']).default('either'),
  /** Smallest Session-Expires accepted, in seconds (FreeSWITCH's default Min-SE: 90 s). */
  minSessionExpiresS: z.number().int().min(1).default(90),
  /** OPTIONS ping rate policy. */
  optionsRate: optionsRateSettingsSchema.prefault({}),
  /** Far end no answer: ring time before 480 + 6030. */
  ringTimeoutMs: positiveMs.default(60_000),
  /** RTP inactivity on an answered call before BYE + 3020, or `null` for off. */
  rtpInactivityTimeoutMs: positiveMs.nullable().default(60_000),
  /** CDRs for REFER: two linked records (default) or one. */
  referCdrs: z.enum(['two-records', 'single-record']).default('two-records'),
  /** Put `X-ZT-Hangup-Code` and `Reason` on final error responses and emulator BYEs. */
  hangupCodeHeaders: z.boolean().default(true),
  /** Media port range for the emulator (even ports are used for RTP). */
  mediaPortRange: z
    .object({ min: z.number().int().min(1024).max(65534), max: z.number().int().min(1025).max(65535) })
    .refine((r) => r.min < r.max, { message: 'min must be below max' })
    .default({ min: 10_000, max: 30_000 }),
});

/** The validated, complete settings. */
export type PolicySettings = z.output<typeof policySettingsSchema>;
/** What a settings file may contain: every field optional. */
export type PolicySettingsInput = z.input<typeof policySettingsSchema>;

/** The §20 defaults. */
export const DEFAULT_POLICY_SETTINGS: PolicySettings = Object.freeze(policySettingsSchema.parse({}));

/** Validates settings (parsed JSON), filling in defaults; returns the settings or every problem with its path. */
export function parsePolicySettings(input: unknown): ConfigResult<PolicySettings> {
  const result = policySettingsSchema.safeParse(input ?? {});
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, issues: fromZodIssues(result.error.issues) };
}

/** The defaults with the given overrides, validated; throws a `PolicyConfigError` listing every problem. */
export function policySettings(overrides: PolicySettingsInput = {}): PolicySettings {
  const result = parsePolicySettings(overrides);
  if (!result.ok) throw new PolicyConfigError('policy settings', result.issues);
  return result.value;
}
