// The account model: Zentrunk's REST objects (BEHAVIOUR.md §14) with Zentrunk's own field names, plus the
// console-only parts the emulator needs (limits, geo and high-risk permissions, DNO list, credits, rates;
// §1, §12). A config file is validated by this schema; every problem is reported with its field path.

import { z } from 'zod';
import { parseIpNetwork } from '../net/ip-address.js';
import { toE164 } from '../numbers/number-intelligence.js';
import { SecretString } from '../secret.js';
import { parseOriginationUri } from '../inbound/origination-uri.js';

const uuid = z.string().min(1, 'must not be empty');
const nullableUuid = uuid.nullable().default(null);
const isoCountry = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code such as US');
const usd = z.number().finite().nonnegative();

/** A phone number as Plivo writes it (digits, optionally with '+'); normalised to E.164 with '+'. */
export const e164NumberSchema = z.string().transform((value, ctx) => {
  const e164 = toE164(value);
  if (e164 === undefined) {
    ctx.addIssue({ code: 'custom', message: 'a phone number in E.164, for example +14155550100' });
    return z.NEVER;
  }
  return e164;
});

/** A number prefix (`+882`, `+4487`): '+' and 1–15 digits. */
const numberPrefix = z.string().regex(/^\+\d{1,15}$/, 'a number prefix such as +882');

// Console rules for credentials (BEHAVIOUR.md §14.4, grade P).
const CREDENTIAL_USERNAME = /^[A-Za-z0-9]{5,20}$/;
const CREDENTIAL_PASSWORD = /^[A-Za-z0-9~!@#$%^&*()_+]{5,20}$/;
const CREDENTIAL_SPECIAL = /[~!@#$%^&*()_+]/;

const secret = (message: string) =>
  z
    .string()
    .refine((value) => value.length > 0, { message })
    .transform((value) => new SecretString(value));

export const trunkSchema = z.object({
  trunk_id: z.string().regex(/^\d{6,20}$/, 'a numeric trunk id such as 21784177241578'),
  name: z.string().default(''),
  /** Derived as `<trunk_id>.<suffix>` when omitted (the REST create response omits it too, §14.1). */
  trunk_domain: z.string().optional(),
  trunk_direction: z.enum(['inbound', 'outbound']),
  trunk_status: z.enum(['enabled', 'disabled']).default('enabled'),
  secure: z.boolean().default(false),
  ipacl_uuid: nullableUuid,
  credential_uuid: nullableUuid,
  primary_uri_uuid: nullableUuid,
  fallback_uri_uuid: nullableUuid,
});

export const originationUriSchema = z.object({
  uri_uuid: uuid,
  name: z.string().default(''),
  uri: z.string().superRefine((value, ctx) => {
    const parsed = parseOriginationUri(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
  }),
  authentication_needed: z.boolean().default(false),
  username: z.string().optional(),
  password: secret('must not be empty').optional(),
});

export const credentialSchema = z.object({
  credential_uuid: uuid,
  name: z.string().default(''),
  username: z.string().regex(CREDENTIAL_USERNAME, '5 to 20 letters and digits'),
  password: z
    .string()
    .refine((value) => CREDENTIAL_PASSWORD.test(value) && CREDENTIAL_SPECIAL.test(value), {
      message: '5 to 20 characters (letters, digits, ~!@#$%^&*()_+) with at least one special character',
    })
    .transform((value) => new SecretString(value)),
});

export const ipAccessControlListSchema = z.object({
  ipacl_uuid: uuid,
  name: z.string().default(''),
  ip_addresses: z
    .array(
      z.string().refine((value) => parseIpNetwork(value) !== undefined, {
        message: 'an IPv4 or IPv6 address, optionally with a /prefix (CIDR)',
      }),
    )
    .min(1, 'at least one address'),
});

export const phoneNumberSchema = z.object({
  number: e164NumberSchema,
  alias: z.string().default(''),
  /** The inbound trunk_id the number routes to (§14.7), or null. */
  app_id: z.string().nullable().default(null),
  voice_enabled: z.boolean().default(true),
});

export const limitsSchema = z.object({
  /** Account-wide calls per second (§12.1: default 2). */
  account_cps: z.number().positive().default(2),
  /**
   * Per outbound trunk_id: the trunk's own allocation from the account pool. A trunk missing here has 1 CPS
   * (§12.1, §20); `null` gives it no allocation of its own, so it draws on the account's CPS only and its calls
   * can queue there (docs/adr/0080).
   */
  trunk_cps: z.record(z.string(), z.number().positive().nullable()).default({}),
  /** Concurrent calls, or null for unlimited (§12.2, §20). */
  max_concurrent_calls: z.number().int().positive().nullable().default(null),
  /** Starting credit balance; the running balance is a counter the emulator passes in. */
  credit_balance_usd: usd.default(10),
});

export const permissionsSchema = z.object({
  geo: z
    .object({
      /** When present, only these destination countries are enabled; absent means all (§12.4 default). */
      allowed_countries: z.array(isoCountry).optional(),
      /** Destination countries deselected in the console. */
      barred_countries: z.array(isoCountry).default([]),
    })
    .prefault({}),
  /** High-risk (IRSF) prefixes blocked while the high-risk block is on (§12.4). */
  high_risk_prefixes: z.array(numberPrefix).default([]),
  /** Premium or high-risk numbers or prefixes approved by support (§12.4: "unblock via support"). */
  premium_allow_list: z.array(numberPrefix).default([]),
  /** Caller IDs on the Do-Not-Originate list (§4.2 #13). */
  dno_numbers: z.array(e164NumberSchema).default([]),
  /** India: org in the India region with KYC-accepted numbers, terminating SIP and media in India (§12.4). */
  india_anchoring: z.object({ compliant: z.boolean().default(false) }).prefault({}),
});

export const numberTypeSchema = z.enum([
  'fixed-line',
  'mobile',
  'fixed-line-or-mobile',
  'toll-free',
  'premium-rate',
  'shared-cost',
  'voip',
  'personal-number',
  'pager',
  'uan',
  'voicemail',
  'unknown',
]);

export const rateRowSchema = z.object({
  /** Originating country (§12.5: origin-based pricing); absent matches any. */
  origin_country: isoCountry.optional(),
  destination_country: isoCountry,
  /** Absent matches any number type. */
  number_type: numberTypeSchema.optional(),
  rate_per_minute_usd: usd,
  /** Billing increments in seconds, for example 60/60 (§12.5); absent uses the destination's default. */
  initial_increment_s: z.number().int().positive().optional(),
  subsequent_increment_s: z.number().int().positive().optional(),
});

export const ratesSchema = z.object({
  /** Rate for destinations the table does not list. */
  default_rate_per_minute_usd: usd.default(0.01),
  /** Added per minute when the call used secure trunking (`secure_trunking_rate`, §12.5). */
  secure_trunking_rate_per_minute_usd: usd.default(0.0015),
  table: z.array(rateRowSchema).default([]),
});

export const accountSchema = z.object({
  name: z.string().default('Trunkline account'),
  auth_id: z.string().default('MATRUNKLINE00000000000'),
  trunks: z.array(trunkSchema).default([]),
  origination_uris: z.array(originationUriSchema).default([]),
  credentials: z.array(credentialSchema).default([]),
  ip_access_control_lists: z.array(ipAccessControlListSchema).default([]),
  numbers: z.array(phoneNumberSchema).default([]),
  limits: limitsSchema.prefault({}),
  permissions: permissionsSchema.prefault({}),
  rates: ratesSchema.prefault({}),
});

export type Trunk = z.output<typeof trunkSchema>;
export type OriginationUri = z.output<typeof originationUriSchema>;
export type Credential = z.output<typeof credentialSchema>;
export type IpAccessControlList = z.output<typeof ipAccessControlListSchema>;
export type PhoneNumber = z.output<typeof phoneNumberSchema>;
export type AccountLimits = z.output<typeof limitsSchema>;
export type AccountPermissions = z.output<typeof permissionsSchema>;
export type RateRow = z.output<typeof rateRowSchema>;
export type Rates = z.output<typeof ratesSchema>;
/** A validated account. */
export type Account = z.output<typeof accountSchema>;
/** What an account file may contain (defaults filled in by the schema). */
export type AccountInput = z.input<typeof accountSchema>;
