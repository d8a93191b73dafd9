// A call detail record: one row per call leg, with every field of Zentrunk's Call object under Zentrunk's own
// names and in its order (BEHAVIOUR.md §14.6), then Trunkline's own fields. The emulator and the softphone both
// write these; the store validates each record before it touches the database, so that a caller's bug becomes a
// typed error naming the field instead of a row that breaks the call list or the CSV export later.
//
// The store owns this shape and imports nothing from policy: callers rate calls and look up hangup causes with
// policy and hand the store plain values.

import { z } from 'zod';
import { parseZentrunkTime } from './zentrunk-time.js';

/** A JSON value, as the free-form columns hold them. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number().refine(Number.isFinite, 'a finite number'),
    z.boolean(),
    z.null(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);
const jsonObject = z.record(z.string(), jsonValueSchema);

const cdrTime = z.string().refine((t) => parseZentrunkTime(t) !== undefined, {
  message: 'a UTC time as YYYY-MM-DD HH:MM:SS',
});
// The patterns, the grade list, the bounds and the default below are shared with cdr-fast-check.ts, the
// hand-written check in front of this schema: each rule is stated once.
/** USD with five decimals, as Zentrunk writes money (`"0.01500"`). */
export const MONEY_PATTERN = /^\d{1,10}\.\d{5}$/;
export const COUNTRY_PATTERN = /^[A-Z]{2}$/;
export const ATTESTATION_PATTERN = /^[A-C]$/;
export const EVIDENCE_GRADES = ['D', 'D-old', 'P', 'O', 'I'] as const;
/** The longest text each text field may hold. */
export const CDR_TEXT_MAX = {
  call_uuid: 128,
  call_id: 1024,
  from_number: 256,
  to_number: 256,
  hangup_cause_name: 128,
  trunk_domain: 255,
  sip_reason: 256,
  codec: 64,
  srtp_suite: 64,
  source_address: 64,
  parent_call_uuid: 128,
  trunk_id: 64,
  policy_rule_id: 128,
  policy_section: 128,
} as const;
/** What an absent `cnam_lookup_rate` becomes (no CNAM lookup, nothing charged). */
export const NO_CNAM_LOOKUP_RATE = '0.00000';
/** The range of each bounded integer field, [min, max]. */
export const CDR_INTEGER_RANGE = {
  hangup_cause_code: [0, 99_999],
  sip_status: [100, 699],
  source_port: [0, 65_535],
} as const;

const money = z.string().regex(MONEY_PATTERN, 'a USD amount with five decimals, such as 0.01500');
const seconds = z.number().int().min(0);
const country = z.string().regex(COUNTRY_PATTERN, 'an ISO 3166 alpha-2 country code such as US');
const text = (field: keyof typeof CDR_TEXT_MAX) => z.string().min(1).max(CDR_TEXT_MAX[field]);
const integer = (field: keyof typeof CDR_INTEGER_RANGE) =>
  z.number().int().min(CDR_INTEGER_RANGE[field][0]).max(CDR_INTEGER_RANGE[field][1]);
const optional = <T extends z.ZodType>(schema: T) => schema.nullable().default(null);
const grade = z.enum(EVIDENCE_GRADES);

export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export const HANGUP_SOURCES = ['customer', 'carrier', 'zentrunk'] as const;
export const STIR_VERIFICATIONS = ['Verified', 'Not Verified', 'Not Applicable'] as const;
export const TRANSPORT_PROTOCOLS = ['udp', 'tcp', 'tls'] as const;
export const RECORDERS = ['emulator', 'softphone'] as const;

export type CallDirection = (typeof CALL_DIRECTIONS)[number];
export type HangupSource = (typeof HANGUP_SOURCES)[number];
export type StirVerification = (typeof STIR_VERIFICATIONS)[number];
export type RecordedBy = (typeof RECORDERS)[number];

/** The fields of Zentrunk's Call object, in the order of BEHAVIOUR.md §14.6. */
const zentrunkCallShape = {
  /** The call leg's id. */
  call_uuid: text('call_uuid'),
  /** The SIP Call-ID; null when the request had none (a malformed INVITE). */
  call_id: optional(text('call_id')),
  /** As presented, E.164 with `+` where the number is one. */
  from_number: text('from_number'),
  to_number: text('to_number'),
  call_direction: z.enum(CALL_DIRECTIONS),
  /** Seconds from answer to end (the §14.6 example: 180 for answer 14:29:00, end 14:32:00); 0 unanswered. */
  call_duration: seconds,
  /** Answered seconds. */
  bill_duration: seconds,
  /** Seconds charged after rounding to the billing increments. */
  billed_duration: seconds,
  initiation_time: cdrTime,
  /** Null when the call was never answered. */
  answer_time: optional(cdrTime),
  end_time: cdrTime,
  hangup_cause_name: text('hangup_cause_name'),
  hangup_cause_code: integer('hangup_cause_code'),
  hangup_source: z.enum(HANGUP_SOURCES),
  /** Per-minute rate applied. */
  total_rate: money,
  total_amount: money,
  trunk_domain: text('trunk_domain'),
  /** Null when the number's country is unknown. */
  from_country: optional(country),
  to_country: optional(country),
  transport_protocol: z.enum(TRANSPORT_PROTOCOLS),
  srtp: z.boolean(),
  secure_trunking: z.boolean(),
  secure_trunking_rate: money,
  stir_verification: z.enum(STIR_VERIFICATIONS),
  /** `A`, `B` or `C` when the call was signed; null otherwise. */
  attestation_indicator: optional(z.string().regex(ATTESTATION_PATTERN, 'A, B or C')),
  cnam_lookup: z.boolean().default(false),
  cnam_lookup_rate: money.default(NO_CNAM_LOOKUP_RATE),
};

/** Trunkline's own fields, after Zentrunk's. */
const trunklineShape = {
  /** Which side wrote the record. */
  recorded_by: z.enum(RECORDERS),
  /** The final SIP status of the INVITE (200 for an answered call). */
  sip_status: optional(integer('sip_status')),
  sip_reason: optional(z.string().max(CDR_TEXT_MAX.sip_reason)),
  /** The negotiated audio codec (`PCMU`, `PCMA`). */
  codec: optional(text('codec')),
  /** The SDES crypto suite in use (`AES_CM_128_HMAC_SHA1_80`). */
  srtp_suite: optional(text('srtp_suite')),
  /** Where the INVITE came from (the emulator) or went to (the softphone). */
  source_address: optional(text('source_address')),
  source_port: optional(integer('source_port')),
  /** How long the call waited in the account CPS queue (§12.1). */
  queue_delay_ms: optional(z.number().finite().min(0)),
  /** The original leg of a transfer leg (§7, §20: two records linked by this field). */
  parent_call_uuid: optional(text('parent_call_uuid')),
  trunk_id: optional(text('trunk_id')),
  /** The policy rule that decided the call's fate, with its BEHAVIOUR.md section and evidence grade. */
  policy_rule_id: optional(text('policy_rule_id')),
  policy_section: optional(text('policy_section')),
  policy_grade: optional(grade),
  /** From the INVITE to the first ringing or answer. */
  post_dial_delay_ms: optional(z.number().finite().min(0)),
  /** RTP statistics both ways, as the media layer summarises them. */
  rtp_stats: optional(z.object({ sent: jsonObject.optional(), received: jsonObject.optional() })),
  /** Anything else a writer wants to keep with the record. */
  extras: optional(jsonObject),
};

export const callDetailRecordSchema = z
  .object({ ...zentrunkCallShape, ...trunklineShape })
  .strict()
  .superRefine((cdr, ctx) => {
    const initiation = parseZentrunkTime(cdr.initiation_time) ?? 0;
    const end = parseZentrunkTime(cdr.end_time) ?? 0;
    const answer = cdr.answer_time === null ? undefined : parseZentrunkTime(cdr.answer_time);
    if (end < initiation)
      ctx.addIssue({ code: 'custom', path: ['end_time'], message: 'before initiation_time' });
    if (answer !== undefined && (answer < initiation || answer > end)) {
      ctx.addIssue({ code: 'custom', path: ['answer_time'], message: 'outside initiation_time…end_time' });
    }
    if (cdr.parent_call_uuid === cdr.call_uuid) {
      ctx.addIssue({ code: 'custom', path: ['parent_call_uuid'], message: 'the call itself' });
    }
  });

/** A stored record: every field present, optional ones null. */
export type CallDetailRecord = z.output<typeof callDetailRecordSchema>;
/** What a writer hands the store: Trunkline's optional fields may be left out (they become null). */
export type NewCallDetailRecord = z.input<typeof callDetailRecordSchema>;

/** Zentrunk's Call object fields, in §14.6 order (the first CSV columns). */
export const ZENTRUNK_CALL_FIELDS = Object.keys(zentrunkCallShape) as ReadonlyArray<
  keyof typeof zentrunkCallShape
>;
/** Trunkline's fields, in the order they follow Zentrunk's. */
export const TRUNKLINE_CDR_FIELDS = Object.keys(trunklineShape) as ReadonlyArray<keyof typeof trunklineShape>;
/** Every field, in the stable export order. */
export const CDR_FIELDS: ReadonlyArray<keyof CallDetailRecord> = [
  ...ZENTRUNK_CALL_FIELDS,
  ...TRUNKLINE_CDR_FIELDS,
];
