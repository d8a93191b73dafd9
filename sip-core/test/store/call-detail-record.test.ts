import { describe, expect, it } from 'vitest';
import {
  callDetailRecordSchema,
  CDR_FIELDS,
  TRUNKLINE_CDR_FIELDS,
  ZENTRUNK_CALL_FIELDS,
  type NewCallDetailRecord,
} from '../../src/store/call-detail-record.js';
import { StoreError } from '../../src/store/store-error.js';
import { InvalidRecordError } from '../../src/store/trunkline-store.js';
import { documentedCdr, makeCdr } from '../support/cdr-factory.js';
import { useStores } from '../support/store-fixtures.js';
import { expectErrorCode } from '../support/expect-error-code.js';

/** BEHAVIOUR.md §14.6, in its order. */
const ZENTRUNK_FIELDS_OF_SECTION_14_6 = [
  'call_uuid',
  'call_id',
  'from_number',
  'to_number',
  'call_direction',
  'call_duration',
  'bill_duration',
  'billed_duration',
  'initiation_time',
  'answer_time',
  'end_time',
  'hangup_cause_name',
  'hangup_cause_code',
  'hangup_source',
  'total_rate',
  'total_amount',
  'trunk_domain',
  'from_country',
  'to_country',
  'transport_protocol',
  'srtp',
  'secure_trunking',
  'secure_trunking_rate',
  'stir_verification',
  'attestation_indicator',
  'cnam_lookup',
  'cnam_lookup_rate',
];

describe('CallDetailRecord', () => {
  const openStore = useStores();

  it("carries every field of Zentrunk's Call object, in its order, then Trunkline's", () => {
    expect(ZENTRUNK_CALL_FIELDS).toEqual(ZENTRUNK_FIELDS_OF_SECTION_14_6);
    expect(CDR_FIELDS).toEqual([...ZENTRUNK_FIELDS_OF_SECTION_14_6, ...TRUNKLINE_CDR_FIELDS]);
    expect(TRUNKLINE_CDR_FIELDS).toEqual([
      'recorded_by',
      'sip_status',
      'sip_reason',
      'codec',
      'srtp_suite',
      'source_address',
      'source_port',
      'queue_delay_ms',
      'parent_call_uuid',
      'trunk_id',
      'policy_rule_id',
      'policy_section',
      'policy_grade',
      'post_dial_delay_ms',
      'rtp_stats',
      'extras',
    ]);
  });

  it('stores the documented example and reads it back equal, with Trunkline fields defaulted to null', () => {
    const store = openStore();
    const stored = store.recordCallEnd(documentedCdr());
    expect(store.getCdr(stored.call_uuid)).toEqual(stored);
    expect(stored).toMatchObject({
      total_amount: '0.01500',
      hangup_cause_code: 3000,
      srtp: false,
      codec: null,
    });
    expect(store.getCdr('no-such-call')).toBeUndefined();
  });

  it('round-trips every field, JSON columns and booleans included', () => {
    const store = openStore();
    const input = makeCdr(7, {
      srtp: true,
      secure_trunking: true,
      cnam_lookup: true,
      srtp_suite: 'AES_CM_128_HMAC_SHA1_80',
      parent_call_uuid: 'call-00000001',
      extras: { nested: { list: [1, 'two', null, true] }, unicode: 'Zoë ☎ 電話' },
    });
    const stored = store.recordCallEnd(input);
    expect(stored).toEqual({ ...callDetailRecordSchema.parse(input) });
    expect(store.getCdr('call-00000007')).toEqual(stored);
  });

  it('refuses a second record with the same call_uuid, writing nothing', () => {
    const store = openStore();
    store.recordCallEnd(makeCdr(1));
    const error = expectErrorCode(
      () => store.recordCallEnd(makeCdr(1, { to_number: '+4420000000' })),
      'STORE_DUPLICATE',
    );
    expect(error).toBeInstanceOf(StoreError);
    expect(store.getCdr('call-00000001')?.to_number).toBe(makeCdr(1).to_number);
  });

  it('records a batch in one call: each result in order, a refused record costing only itself', () => {
    const store = openStore();
    store.recordCallEnd(makeCdr(2));
    const trace = [
      {
        wallTimeMs: 1_700_000_000_000,
        monotonicTimeMs: 1,
        direction: 'received' as const,
        transport: 'udp' as const,
        local: { address: '127.0.0.1', port: 5060 },
        remote: { address: '127.0.0.1', port: 5070 },
        bytes: new TextEncoder().encode('BYE sip:a@b SIP/2.0\r\n\r\n'),
      },
    ];
    const results = store.recordCallEnds([
      { cdr: makeCdr(1), trace },
      { cdr: makeCdr(2, { to_number: '+4420000000' }) },
      { cdr: { ...makeCdr(3), bill_duration: -1 } },
      { cdr: makeCdr(4) },
    ]);
    expect(results.map((r) => (r.ok ? r.cdr.call_uuid : r.error.code))).toEqual([
      'call-00000001',
      'STORE_DUPLICATE',
      'STORE_INVALID_RECORD',
      'call-00000004',
    ]);
    expect(store.getCdr('call-00000001')).toBeDefined();
    expect(store.getSipTrace('call-00000001')).toHaveLength(1);
    expect(store.getCdr('call-00000002')?.to_number).toBe(makeCdr(2).to_number);
    expect(store.getCdr('call-00000003')).toBeUndefined();
    expect(store.getCdr('call-00000004')).toBeDefined();
    expect(store.recordCallEnds([])).toEqual([]);
  });

  const invalid: [string, Partial<NewCallDetailRecord> | Record<string, unknown>, string][] = [
    ['an empty call_uuid', { call_uuid: '' }, 'call_uuid'],
    ['an unknown direction', { call_direction: 'sideways' }, 'call_direction'],
    ['a negative duration', { call_duration: -1 }, 'call_duration'],
    ['a fractional bill_duration', { bill_duration: 1.5 }, 'bill_duration'],
    ['an ISO time instead of Zentrunk’s', { end_time: '2024-01-15T14:32:00Z' }, 'end_time'],
    ['the 30th of February', { end_time: '2024-02-30 14:32:00' }, 'end_time'],
    ['hour 24', { end_time: '2024-01-15 24:00:00' }, 'end_time'],
    ['an end before the initiation', { end_time: '2024-01-15 14:00:00' }, 'end_time'],
    ['an answer after the end', { answer_time: '2024-01-15 15:00:00' }, 'answer_time'],
    ['money with two decimals', { total_amount: '0.02' }, 'total_amount'],
    ['money as a number', { total_rate: 0.005 }, 'total_rate'],
    ['an unknown hangup source', { hangup_source: 'pbx' }, 'hangup_source'],
    ['a lower-case country', { to_country: 'us' }, 'to_country'],
    ['an unknown transport', { transport_protocol: 'sctp' }, 'transport_protocol'],
    ['srtp as a string', { srtp: 'false' }, 'srtp'],
    ['an unknown STIR verdict', { stir_verification: 'verified' }, 'stir_verification'],
    ['attestation D', { attestation_indicator: 'D' }, 'attestation_indicator'],
    ['an unknown recorder', { recorded_by: 'pbx' }, 'recorded_by'],
    ['SIP status 700', { sip_status: 700 }, 'sip_status'],
    ['port 70000', { source_port: 70_000 }, 'source_port'],
    ['an unknown evidence grade', { policy_grade: 'X' }, 'policy_grade'],
    [
      'a parent that is the call itself',
      { parent_call_uuid: '90b6eb07-0000-4000-8000-000000000001' },
      'parent_call_uuid',
    ],
    ['a non-finite number in extras', { extras: { x: Number.NaN } }, 'extras.x'],
    ['a function in extras', { extras: { f: () => 1 } }, 'extras.f'],
    ['an unknown field', { srtp_keys: 'inline:secret' }, ''],
  ];

  it.each(invalid)(
    'refuses %s with STORE_INVALID_RECORD naming the field, writing nothing',
    (_, patch, path) => {
      const store = openStore();
      const error = expectErrorCode(
        () => store.recordCallEnd({ ...documentedCdr(), ...patch }),
        'STORE_INVALID_RECORD',
      );
      expect(error).toBeInstanceOf(InvalidRecordError);
      expect((error as InvalidRecordError).issues.map((i) => i.path)).toContain(path);
      expect(error.message).toContain('Nothing was written');
      expect(store.listCdrs().meta.total_count).toBe(0);
    },
  );

  it('never quotes the refused value in the error (it might be a secret)', () => {
    const store = openStore();
    const error = expectErrorCode(
      () => store.recordCallEnd({ ...documentedCdr(), srtp_keys: 'inline:SECRETKEY' } as NewCallDetailRecord),
      'STORE_INVALID_RECORD',
    );
    expect(error.message).not.toContain('SECRETKEY');
  });

  it('reports every problem at once', () => {
    const store = openStore();
    const error = expectErrorCode(
      () =>
        store.recordCallEnd({
          ...documentedCdr(),
          call_duration: -1,
          srtp: 'no',
          to_country: 'usa',
        } as never),
      'STORE_INVALID_RECORD',
    );
    expect((error as InvalidRecordError).issues.map((i) => i.path).sort()).toEqual([
      'call_duration',
      'srtp',
      'to_country',
    ]);
  });
});
