import { describe, expect, it } from 'vitest';
import { buildCdr } from '../../../src/emulator/cdr/index.js';
import { causeOf, DEFAULT_POLICY_SETTINGS, evaluate } from '../../../src/policy/index.js';
import { ZENTRUNK_CALL_FIELDS } from '../../../src/store/index.js';
import { demo, idleCounters, invite } from '../../support/policy-fixtures.js';
import { documentedCdr } from '../../support/cdr-factory.js';
import { useStores } from '../../support/store-fixtures.js';
import { answeredFacts, at, context, secureTrunk } from './cdr-fixtures.js';

describe('buildCdr', () => {
  const openStore = useStores();
  /** Builds, then commits through the store (its validation is the contract) and reads the row back. */
  const stored = (facts = answeredFacts()) => {
    const store = openStore();
    store.recordCallEnd(buildCdr(facts, context));
    const cdr = store.getCdr(facts.callUuid);
    if (!cdr) throw new Error('not stored');
    return cdr;
  };

  it('fills every §14.6 field of an answered US call the way the documented example does', () => {
    const cdr = stored();
    const zentrunk = (record: Record<string, unknown>) =>
      Object.fromEntries(ZENTRUNK_CALL_FIELDS.map((f) => [f, record[f] ?? null]));
    // The documented example (§14.6) field for field; only the call's identity, numbers and trunk are ours.
    expect(zentrunk(cdr)).toEqual(
      zentrunk(
        documentedCdr({
          call_uuid: 'c0ffee00-0000-4000-8000-000000000001',
          call_id: 'a84b4c76e66710@pbx.example',
          from_number: '+14155550101',
          to_number: '+14155550111',
          trunk_domain: '10000000000002.zt.plivo.com',
        }),
      ),
    );
    expect(cdr).toMatchObject({
      recorded_by: 'emulator',
      sip_status: 200,
      sip_reason: 'OK',
      codec: 'PCMU',
      srtp_suite: null,
      source_address: '127.0.0.1',
      source_port: 5070,
      queue_delay_ms: null,
      parent_call_uuid: null,
      trunk_id: '10000000000002',
      policy_rule_id: 'far-end.hangup',
      policy_section: '§4.3, §13',
      policy_grade: 'D-old',
      post_dial_delay_ms: 1_000,
      rtp_stats: null,
      extras: { far_end_scenario: 'echo' },
    });
  });

  it('records a call rejected for an unknown caller ID (403, 4190) with the rule that decided', () => {
    const decision = evaluate(
      invite({ fromUser: '+14155559999' }),
      demo,
      idleCounters(),
      DEFAULT_POLICY_SETTINGS,
    );
    if (decision.kind !== 'reject' || !decision.cause)
      throw new Error(`expected a rejection, got ${decision.kind}`);
    const cdr = stored(
      answeredFacts({
        from: '+14155559999',
        times: { initiated: at(0), ended: at(3) },
        finalResponse: { status: decision.status, reasonPhrase: decision.reasonPhrase },
        cause: decision.cause,
        decidedBy: decision,
        codec: null,
        stir: undefined,
        farEndScenario: undefined,
      }),
    );
    expect(cdr).toMatchObject({
      answer_time: null,
      initiation_time: '2024-01-15 14:28:48',
      end_time: '2024-01-15 14:28:48',
      call_duration: 0,
      bill_duration: 0,
      billed_duration: 0,
      total_rate: '0.00500',
      total_amount: '0.00000',
      hangup_cause_code: 4190,
      hangup_cause_name: 'unknown_caller_id',
      hangup_source: 'zentrunk',
      sip_status: 403,
      sip_reason: 'Forbidden',
      stir_verification: 'Not Applicable',
      attestation_indicator: null,
      policy_rule_id: 'caller-id.owned',
      policy_section: decision.section,
      policy_grade: decision.grade,
      post_dial_delay_ms: null,
      extras: null,
    });
  });

  it('bills India 60/60: a 61 s call is billed 120 s', () => {
    const cdr = stored(
      answeredFacts({
        from: '+919810012345',
        to: '+919876543210',
        times: { initiated: at(0), answered: at(2_000), ended: at(63_000) },
      }),
    );
    expect(cdr).toMatchObject({
      from_country: 'IN',
      to_country: 'IN',
      call_duration: 61,
      bill_duration: 61,
      billed_duration: 120,
      total_rate: '0.04500',
      total_amount: '0.09000',
    });
  });

  it('links a transfer leg to its parent and bills a secure trunk with SRTP', () => {
    const cdr = stored(
      answeredFacts({
        callUuid: 'c0ffee00-0000-4000-8000-000000000002',
        parentCallUuid: 'c0ffee00-0000-4000-8000-000000000001',
        to: '+14155550130',
        trunk: secureTrunk,
        transport: 'tls',
        srtpSuite: 'AES_CM_128_HMAC_SHA1_80',
        queueDelayMs: 1_250,
        times: { initiated: at(0), answered: at(500), ended: at(60_500) },
        rtp: {
          sent: { packetsSent: 3000, payloadOctetsSent: 480_000, lastSentMs: undefined },
          received: {
            ssrc: 1,
            packetsReceived: 2990,
            payloadOctetsReceived: 478_400,
            valid: true,
            expected: 3000,
            lost: 10,
            extendedHighestSequence: 3000,
            lateOrDuplicate: 0,
            jitter: 16,
            jitterMs: 2,
            lastArrivalMs: 65_000,
          },
        },
      }),
    );
    expect(cdr).toMatchObject({
      parent_call_uuid: 'c0ffee00-0000-4000-8000-000000000001',
      trunk_domain: '10000000000003.zt.plivo.com',
      transport_protocol: 'tls',
      srtp: true,
      srtp_suite: 'AES_CM_128_HMAC_SHA1_80',
      secure_trunking: true,
      secure_trunking_rate: '0.00150',
      total_rate: '0.00650',
      total_amount: '0.00650',
      bill_duration: 60,
      queue_delay_ms: 1_250,
      post_dial_delay_ms: 500,
    });
    expect(cdr.rtp_stats).toEqual({
      sent: { packetsSent: 3000, payloadOctetsSent: 480_000, lastSentMs: null },
      received: expect.objectContaining({ lost: 10, jitterMs: 2 }) as unknown,
    });
  });

  it('uses the Request-URI host when no trunk was found, and keeps numbers it cannot read as presented', () => {
    const cdr = stored(
      answeredFacts({
        trunk: undefined,
        requestHost: '99999999.ZT.plivo.com',
        from: 'anonymous',
        to: '5551234',
        times: { initiated: at(0), ended: at(0) },
        cause: causeOf(4070),
        finalResponse: { status: 404, reasonPhrase: 'Not Found' },
      }),
    );
    expect(cdr).toMatchObject({
      trunk_domain: '99999999.zt.plivo.com',
      trunk_id: null,
      from_number: 'anonymous',
      to_number: '5551234',
      from_country: null,
      to_country: null,
      total_rate: '0.00000',
      hangup_cause_code: 4070,
    });
  });

  it('anchors printed times on the initiation, so a wall-clock step back cannot end a call before it began', () => {
    const cdr = stored(
      answeredFacts({
        times: {
          initiated: at(0),
          answered: { wallMs: at(0).wallMs - 3_600_000, monotonicMs: at(2_000).monotonicMs },
          ended: { wallMs: at(0).wallMs - 3_590_000, monotonicMs: at(12_000).monotonicMs },
        },
      }),
    );
    expect(cdr).toMatchObject({
      initiation_time: '2024-01-15 14:28:48',
      answer_time: '2024-01-15 14:28:50',
      end_time: '2024-01-15 14:29:00',
      bill_duration: 10,
    });
  });

  it('rounds a partial answered second up, as per-second billing does', () => {
    const cdr = stored(
      answeredFacts({ times: { initiated: at(0), answered: at(1_000), ended: at(11_200) } }),
    );
    expect(cdr).toMatchObject({ call_duration: 11, bill_duration: 11, billed_duration: 11 });
  });
});
