// A finished call leg's facts → the store's CDR, with Zentrunk's fields (BEHAVIOUR.md §14.6) filled the way
// Zentrunk fills them: numbers in E.164 with '+', countries from the numbers, money from policy's rating, the
// cause's CDR name. Pure: the account and settings are inputs. Times and durations (docs/adr/0079):
//
//   initiation_time ─────────── answer_time ─────────────────── end_time
//        │◄── post_dial_delay ──►│(first 18x, else the answer)
//                                │◄────── call_duration = bill_duration (answer → end, §14.6 example) ──►│
//
// Durations come from the monotonic clock; printed times are the initiation's wall time plus monotonic offsets,
// so a wall-clock step during a call cannot put the end before the start.

import {
  classifyNumber,
  rateCall,
  toE164,
  trunkDomain,
  type Account,
  type PolicySettings,
} from '../../policy/index.js';
import { formatZentrunkTime, type JsonValue, type NewCallDetailRecord } from '../../store/index.js';
import type { CallLegFacts, LegInstant } from './call-leg-facts.js';

export interface CdrContext {
  readonly account: Account;
  readonly settings: PolicySettings;
}

const ZERO_USD = '0.00000';

/** The wall time of `instant`: the leg's wall start plus the monotonic time since (a clock step moves neither). */
function wallAt(initiated: LegInstant, instant: LegInstant): number {
  return initiated.wallMs + Math.max(0, instant.monotonicMs - initiated.monotonicMs);
}

/** The store record for a finished leg. */
export function buildCdr(facts: CallLegFacts, context: CdrContext): NewCallDetailRecord {
  const { initiated, alerted, answered, ended } = facts.times;
  const answeredMs = answered ? Math.max(0, ended.monotonicMs - answered.monotonicMs) : 0;

  const from = classifyNumber(facts.from);
  const to = classifyNumber(facts.to);
  const fromCountry = from.ok ? (from.country ?? null) : null;
  const toCountry = to.ok ? (to.country ?? null) : null;
  const secureTrunking = facts.trunk?.secure ?? false;
  const charges =
    toCountry === null
      ? undefined
      : rateCall(
          {
            fromCountry: fromCountry ?? undefined,
            toCountry,
            toNumberType: to.ok ? to.type : undefined,
            durationS: answeredMs / 1000,
            secureTrunking,
          },
          context.account.rates,
        );
  const billS = charges?.bill_duration ?? Math.ceil(answeredMs / 1000);
  const pddFrom = alerted ?? answered;
  const stir = facts.stir ?? { verification: 'Not Applicable', attestation: null };

  const extras: Record<string, JsonValue> = { ...facts.extras };
  if (facts.farEndScenario !== undefined) extras['far_end_scenario'] = facts.farEndScenario;

  return {
    call_uuid: facts.callUuid,
    call_id: facts.callId,
    from_number: (from.ok ? from.e164 : toE164(facts.from)) ?? facts.from,
    to_number: (to.ok ? to.e164 : toE164(facts.to)) ?? facts.to,
    call_direction: facts.direction,
    call_duration: billS,
    bill_duration: billS,
    billed_duration: charges?.billed_duration ?? 0,
    initiation_time: formatZentrunkTime(initiated.wallMs),
    answer_time: answered ? formatZentrunkTime(wallAt(initiated, answered)) : null,
    end_time: formatZentrunkTime(wallAt(initiated, ended)),
    hangup_cause_name: facts.cause.cdrCauseName,
    hangup_cause_code: facts.cause.code,
    hangup_source: facts.cause.source,
    total_rate: charges?.total_rate ?? ZERO_USD,
    total_amount: charges?.total_amount ?? ZERO_USD,
    trunk_domain: facts.trunk ? trunkDomain(facts.trunk, context.settings) : facts.requestHost.toLowerCase(),
    from_country: fromCountry,
    to_country: toCountry,
    transport_protocol: facts.transport,
    srtp: facts.srtpSuite != null,
    secure_trunking: secureTrunking,
    secure_trunking_rate: charges?.secure_trunking_rate ?? ZERO_USD,
    stir_verification: stir.verification,
    attestation_indicator: stir.attestation,
    cnam_lookup: false,
    cnam_lookup_rate: ZERO_USD,
    recorded_by: 'emulator',
    sip_status: facts.finalResponse?.status ?? null,
    sip_reason: facts.finalResponse?.reasonPhrase ?? null,
    codec: facts.codec ?? null,
    srtp_suite: facts.srtpSuite ?? null,
    source_address: facts.peer?.address ?? null,
    source_port: facts.peer?.port ?? null,
    queue_delay_ms: facts.queueDelayMs ?? null,
    parent_call_uuid: facts.parentCallUuid ?? null,
    trunk_id: facts.trunk?.trunk_id ?? null,
    policy_rule_id: facts.decidedBy?.ruleId ?? null,
    policy_section: facts.decidedBy?.section ?? null,
    policy_grade: facts.decidedBy?.grade ?? null,
    post_dial_delay_ms: pddFrom ? Math.max(0, pddFrom.monotonicMs - initiated.monotonicMs) : null,
    rtp_stats: rtpStatsJson(facts.rtp),
    extras: Object.keys(extras).length > 0 ? extras : null,
  };
}

/** The media layer's snapshots as the CDR's JSON: finite numbers only (undefined times become null). */
function rtpStatsJson(rtp: CallLegFacts['rtp']): NewCallDetailRecord['rtp_stats'] {
  if (!rtp || (!rtp.sent && !rtp.received)) return null;
  const json = (snapshot: object): Record<string, JsonValue> => {
    const out: Record<string, JsonValue> = {};
    for (const [key, value] of Object.entries(snapshot)) {
      if (typeof value === 'number') out[key] = Number.isFinite(value) ? value : null;
      else if (typeof value === 'boolean' || typeof value === 'string') out[key] = value;
      else if (value === undefined || value === null) out[key] = null;
    }
    return out;
  };
  return {
    ...(rtp.sent ? { sent: json(rtp.sent) } : {}),
    ...(rtp.received ? { received: json(rtp.received) } : {}),
  };
}
